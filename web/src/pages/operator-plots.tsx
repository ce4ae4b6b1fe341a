import type { OperatorView } from '../api.js';
import { time } from '../format.js';
import { Plot, PlotTable } from '../plot.js';
import type { Sample } from '../plot-scale.js';

export const BACKLOG_SPAN_MS = 5 * 60_000;
const OUTCOMES = ['CONFIRMED', 'FAILED', 'CANCELLED'] as const;
const PERCENTILES = ['p50', 'p95', 'p99'] as const;
const hhmm = (at: number | string) => time(new Date(at).toISOString()).slice(0, 5);
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(0)} s` : `${Math.round(value)} ms`);
const seconds = (value: number) => (value === 0 ? '0' : `${Math.round(value / 100) / 10} s`);
const count = (value: number) => String(Math.round(value * 10) / 10);

/** Orders per minute by outcome, saga latency per minute and the task queue's backlog, as plots. */
export function OperatorPlots({ view, backlog }: { view: OperatorView | null; backlog: Sample[] }) {
  return (
    <section aria-labelledby="plots-title">
      <h2 id="plots-title">Plots</h2>
      <div class="plots">
        {view ? <OrdersPlot orders={view.orders} /> : null}
        {view ? <LatencyPlot orders={view.orders} /> : null}
        <BacklogPlot samples={backlog} />
      </div>
    </section>
  );
}

function minuteDomain(minutes: { minute: string }[]): { domain: [number, number]; labels: [string, string] } {
  const first = Date.parse(minutes[0]?.minute ?? '');
  const last = Date.parse(minutes.at(-1)?.minute ?? '');
  return { domain: [first, last], labels: [hhmm(first), hhmm(last)] };
}

function OrdersPlot({ orders }: { orders: OperatorView['orders'] }) {
  const { domain, labels } = minuteDomain(orders.perMinute);
  const latest = orders.perMinute.at(-1);
  const summary = latest
    ? `This minute (${hhmm(latest.minute)}): ${OUTCOMES.map((o) => `${latest[o]} ${o}`).join(', ')}, ` +
      `${latest.PENDING} PENDING; placed in ${orders.windowMinutes} minutes: ` +
      `${orders.perMinute.reduce((sum, m) => sum + m.CONFIRMED + m.FAILED + m.CANCELLED + m.PENDING, 0)}.`
    : 'No minute in the window.';
  return (
    <Plot
      label="Orders per minute by outcome"
      series={OUTCOMES.map((o) => ({
        name: o,
        tone: `line-${o.toLowerCase()}`,
        points: orders.perMinute.map((m) => ({ x: Date.parse(m.minute), y: m[o] })),
      }))}
      xDomain={domain}
      xLabels={labels}
      formatY={count}
      yFloor={2}
      summary={summary}
    >
      <PlotTable
        caption="Orders per minute by outcome"
        columns={['Minute', ...OUTCOMES, 'PENDING']}
        rows={orders.perMinute.map((m) => [hhmm(m.minute), ...OUTCOMES.map((o) => m[o]), m.PENDING])}
      />
    </Plot>
  );
}

function LatencyPlot({ orders }: { orders: OperatorView['orders'] }) {
  const minutes = orders.latencyPerMinute ?? [];
  const { domain, labels } = minuteDomain(minutes);
  const latest = minutes.filter((m) => m.count > 0).at(-1);
  const summary = latest
    ? `Orders placed at ${hhmm(latest.minute)} (${latest.count} finished): ` +
      PERCENTILES.map((p) => `${p} ${ms(latest[p] ?? 0)}`).join(', ') +
      '.'
    : `No order placed in the last ${orders.windowMinutes} minutes has finished yet.`;
  return (
    <Plot
      label="Saga latency p50, p95, p99"
      series={PERCENTILES.map((p) => ({
        name: p,
        tone: `line-${p}`,
        points: minutes.map((m) => ({ x: Date.parse(m.minute), y: m[p] })),
      }))}
      xDomain={domain}
      xLabels={labels}
      formatY={seconds}
      yFloor={1000}
      summary={summary}
    >
      <PlotTable
        caption="Saga latency per minute of placement"
        columns={['Minute', 'Finished', ...PERCENTILES]}
        rows={minutes.map((m) => [
          hhmm(m.minute),
          m.count,
          ...PERCENTILES.map((p) => (m[p] === null ? '—' : ms(m[p]))),
        ])}
      />
    </Plot>
  );
}

function BacklogPlot({ samples }: { samples: Sample[] }) {
  const last = samples.at(-1);
  const end = last?.at ?? Date.now();
  // The line starts where this browser's first sample does, then scrolls once the span is full.
  const start = Math.max(end - BACKLOG_SPAN_MS, samples[0]?.at ?? end);
  const summary = last
    ? `Now: workflow backlog ${last.workflow}, activity backlog ${last.activity} ` +
      `(${samples.length} samples in this browser, one per refresh).`
    : 'No task-queue figures yet.';
  return (
    <Plot
      label="Task queue backlog"
      series={(['workflow', 'activity'] as const).map((kind) => ({
        name: `${kind} tasks`,
        tone: `line-${kind}`,
        points: samples.map((s) => ({ x: s.at, y: s[kind] })),
      }))}
      xDomain={[start, end]}
      xLabels={[time(new Date(start).toISOString()), time(new Date(end).toISOString())]}
      formatY={count}
      yFloor={2}
      summary={summary}
    >
      <PlotTable
        caption="Task queue backlog, latest samples"
        columns={['Time', 'Workflow tasks', 'Activity tasks']}
        rows={samples.slice(-10).map((s) => [time(new Date(s.at).toISOString()), s.workflow, s.activity])}
      />
    </Plot>
  );
}
