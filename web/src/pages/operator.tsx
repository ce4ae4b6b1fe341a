import { useEffect, useState } from 'preact/hooks';
import { describeError, operatorView, readiness, type OperatorView, type Readiness } from '../api.js';
import { time } from '../format.js';
import { withToken } from '../session.js';
import { ErrorMessage, PageTitle } from '../ui.js';
import { AdminOnly } from './admin.js';
import { LoadGenerator } from './load-generator.js';

const REFRESH_MS = 2000;
const OUTCOMES = ['CONFIRMED', 'FAILED', 'CANCELLED', 'PENDING'] as const;

function useLiveFigures() {
  const [view, setView] = useState<OperatorView | null>(null);
  const [ready, setReady] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const refresh = async () => {
      const [figures, health] = await Promise.allSettled([withToken(operatorView), readiness()]);
      if (stopped) return;
      if (figures.status === 'fulfilled') setView(figures.value);
      if (health.status === 'fulfilled') setReady(health.value);
      setError(figures.status === 'rejected' ? describeError(figures.reason) : null);
      timer = setTimeout(() => void refresh(), REFRESH_MS);
    };
    void refresh();
    return () => ((stopped = true), clearTimeout(timer));
  }, []);
  return { view, ready, error };
}

const figure = (label: string, value: string | number) => (
  <div>
    <dt>{label}</dt>
    <dd>
      <output aria-label={label}>{value}</output>
    </dd>
  </div>
);

export function OperatorPage() {
  const { view, ready, error } = useLiveFigures();
  const orders = view?.orders;
  const placed = orders ? OUTCOMES.reduce((sum, o) => sum + orders.totals[o], 0) : 0;
  const queue = view?.taskQueue;
  return (
    <AdminOnly>
      <PageTitle>Operator</PageTitle>
      <p class="hint">Refreshed every {REFRESH_MS / 1000} s from the orders service, Temporal and /readyz.</p>
      <ErrorMessage error={error} />
      <section aria-labelledby="ready-title">
        <h2 id="ready-title">Readiness</h2>
        <ul class="checks" aria-label="Readiness">
          {ready
            ? Object.entries(ready.checks).map(([name, state]) => (
                <li key={name} class={state === 'up' ? 'up' : 'down'}>
                  {name}: {state}
                </li>
              ))
            : null}
          {queue ? (
            <li class={queue.workflow.pollers > 0 && queue.activity.pollers > 0 ? 'up' : 'down'}>
              worker: {queue.workflow.pollers > 0 && queue.activity.pollers > 0 ? 'up' : 'down'} (
              {queue.workflow.pollers + queue.activity.pollers} pollers)
            </li>
          ) : null}
        </ul>
      </section>
      {orders ? (
        <section aria-labelledby="orders-title">
          <h2 id="orders-title">Orders, last {orders.windowMinutes} minutes</h2>
          <dl class="figures">
            {figure('Orders placed', placed)}
            {OUTCOMES.map((o) => figure(o, orders.totals[o]))}
            {figure('Latency p50', orders.latencyMs ? `${orders.latencyMs.p50} ms` : '—')}
            {figure('Latency p95', orders.latencyMs ? `${orders.latencyMs.p95} ms` : '—')}
            {figure('Latency p99', orders.latencyMs ? `${orders.latencyMs.p99} ms` : '—')}
          </dl>
          {orders.truncated ? <p class="hint">Only the newest {orders.scanned} orders were read.</p> : null}
          <PerMinute view={view} />
          <StepTable view={view} />
        </section>
      ) : null}
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Task queue {queue?.name ?? ''}</h2>
        {queue ? (
          <dl class="figures">
            {figure('Workflow pollers', queue.workflow.pollers)}
            {figure('Workflow backlog', queue.workflow.backlog)}
            {figure('Activity pollers', queue.activity.pollers)}
            {figure('Activity backlog', queue.activity.backlog)}
            {figure('Activity tasks/s', queue.activity.dispatchRate.toFixed(1))}
          </dl>
        ) : (
          <p>{view?.taskQueueError ? `Unavailable: ${view.taskQueueError}` : 'Loading…'}</p>
        )}
      </section>
      <LoadGenerator />
    </AdminOnly>
  );
}

function PerMinute({ view }: { view: OperatorView | null }) {
  if (!view) return null;
  const max = Math.max(1, ...view.orders.perMinute.map((m) => OUTCOMES.reduce((s, o) => s + m[o], 0)));
  return (
    <div class="scroll">
      <table>
        <caption>Orders per minute by outcome</caption>
        <thead>
          <tr>
            <th scope="col">Minute</th>
            {OUTCOMES.map((o) => (
              <th scope="col" key={o}>
                {o}
              </th>
            ))}
            <th scope="col" aria-hidden="true"></th>
          </tr>
        </thead>
        <tbody>
          {view.orders.perMinute.map((m) => (
            <tr key={m.minute}>
              <td>{time(m.minute).slice(0, 5)}</td>
              {OUTCOMES.map((o) => (
                <td key={o}>{m[o]}</td>
              ))}
              <td aria-hidden="true" class="bars">
                {OUTCOMES.map((o) => (
                  <span key={o} class={`bar bar-${o.toLowerCase()}`} style={{ width: `${(m[o] / max) * 10}rem` }} />
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StepTable({ view }: { view: OperatorView | null }) {
  if (!view || view.orders.steps.length === 0) return <p>No saga step failed or was compensated in this window.</p>;
  return (
    <table>
      <caption>Failures and compensations per saga step</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Failed</th>
          <th scope="col">Compensated</th>
        </tr>
      </thead>
      <tbody>
        {view.orders.steps.map((s) => (
          <tr key={s.name}>
            <td>{s.name}</td>
            <td>{s.failed}</td>
            <td>{s.compensated}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
