import type { ComponentChildren } from 'preact';
import { niceMax, segments, type Point } from './plot-scale.js';

export interface PlotSeries {
  name: string;
  /** Class that sets the line's colour and dash (styles.css), so series differ without colour too. */
  tone: string;
  points: Point[];
}

interface PlotProps {
  /** The plot's accessible name. */
  label: string;
  series: PlotSeries[];
  xDomain: [number, number];
  xLabels: [string, string];
  formatY: (value: number) => string;
  yFloor?: number;
  /** A sentence with the latest values: the text alternative everyone can read. */
  summary: string;
  /** The data as a table for assistive technology (visually hidden). */
  children?: ComponentChildren;
}

const W = 360;
const H = 160;
const M = { top: 8, right: 8, bottom: 20, left: 52 };

/** A small line plot in plain SVG (no inline styles or scripts, so it renders under the storefront's CSP). */
export function Plot(props: PlotProps) {
  const values = props.series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  const yMax = niceMax(Math.max(0, ...values), props.yFloor);
  const [x0, x1] = props.xDomain;
  const x = (v: number) => M.left + ((v - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const fmt = (n: number) => n.toFixed(1);
  return (
    <figure class="plot">
      <svg role="img" aria-label={props.label} viewBox={`0 0 ${W} ${H}`}>
        {[0, yMax / 2, yMax].map((tick) => (
          <g key={tick} class="tick">
            <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} />
            <text x={M.left - 4} y={y(tick) + 4} text-anchor="end">
              {props.formatY(tick)}
            </text>
          </g>
        ))}
        <text class="axis" x={M.left} y={H - 4}>
          {props.xLabels[0]}
        </text>
        <text class="axis" x={W - M.right} y={H - 4} text-anchor="end">
          {props.xLabels[1]}
        </text>
        {props.series.map((s) =>
          segments(s.points).map((run, i) =>
            run.length === 1 ? (
              <circle
                key={`${s.name}${i}`}
                class={s.tone}
                data-series={s.name}
                cx={x(run[0]!.x)}
                cy={y(run[0]!.y)}
                r={3}
              />
            ) : (
              <polyline
                key={`${s.name}${i}`}
                class={s.tone}
                data-series={s.name}
                points={run.map((p) => `${fmt(x(p.x))},${fmt(y(p.y))}`).join(' ')}
              />
            ),
          ),
        )}
      </svg>
      <figcaption>
        <strong>{props.label}.</strong> {props.summary}
      </figcaption>
      <ul class="legend" aria-hidden="true">
        {props.series.map((s) => (
          <li key={s.name}>
            <svg viewBox="0 0 24 8" width="24" height="8">
              <line class={s.tone} x1={0} x2={24} y1={4} y2={4} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      {props.children}
    </figure>
  );
}

/** A visually hidden table of a plot's data, read by screen readers instead of the picture. */
export function PlotTable(props: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <table class="visually-hidden">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
