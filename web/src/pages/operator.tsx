import { useEffect, useState } from 'preact/hooks';
import { describeError, operatorView, readiness, type OperatorView, type Readiness } from '../api.js';
import { rollWindow, type Sample } from '../plot-scale.js';
import { withToken } from '../session.js';
import { ErrorMessage, PageTitle } from '../ui.js';
import { AdminOnly } from './admin.js';
import { LoadGenerator } from './load-generator.js';
import { BACKLOG_SPAN_MS, OperatorPlots } from './operator-plots.js';

const REFRESH_MS = 2000;
const OUTCOMES = ['CONFIRMED', 'FAILED', 'CANCELLED', 'PENDING'] as const;

function useLiveFigures() {
  const [view, setView] = useState<OperatorView | null>(null);
  const [ready, setReady] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [backlog, setBacklog] = useState<Sample[]>([]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const refresh = async () => {
      const [figures, health] = await Promise.allSettled([withToken(operatorView), readiness()]);
      if (stopped) return;
      if (figures.status === 'fulfilled') {
        const { generatedAt, taskQueue } = figures.value;
        setView(figures.value);
        if (taskQueue) {
          const sample = {
            at: Date.parse(generatedAt),
            workflow: taskQueue.workflow.backlog,
            activity: taskQueue.activity.backlog,
          };
          setBacklog((samples) => rollWindow(samples, sample, BACKLOG_SPAN_MS));
        }
      }
      if (health.status === 'fulfilled') setReady(health.value);
      setError(figures.status === 'rejected' ? describeError(figures.reason) : null);
      timer = setTimeout(() => void refresh(), REFRESH_MS);
    };
    void refresh();
    return () => ((stopped = true), clearTimeout(timer));
  }, []);
  return { view, ready, error, backlog };
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
  const { view, ready, error, backlog } = useLiveFigures();
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
      <OperatorPlots view={view} backlog={backlog} />
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
