import { useEffect, useState } from 'preact/hooks';
import { LIMITS, loadState, startLoad, stopLoad, type LoadSettings } from '../load-generator.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { Field } from '../ui.js';

export function LoadGenerator() {
  const state = useStore(loadState);
  const current = useStore(session);
  useEffect(() => stopLoad, []);
  const [settings, setSettings] = useState<LoadSettings>({
    ordersPerSecond: 2,
    seconds: 30,
    declinedPercent: 20,
    outOfStockPercent: 10,
  });
  const number = (key: keyof LoadSettings, label: string, min: number, max: number) => (
    <Field label={label}>
      <input
        type="number"
        min={min}
        max={max}
        step={1}
        required
        value={settings[key]}
        onInput={(e) => setSettings({ ...settings, [key]: Number(e.currentTarget.value) })}
      />
    </Field>
  );
  return (
    <section aria-labelledby="load-title" class="panel">
      <h2 id="load-title">Load generator</h2>
      <p class="hint">
        Places real orders from this browser through the public API, at most {LIMITS.maxRate} per second for{' '}
        {LIMITS.maxSeconds} s; it stops when you leave the page.
      </p>
      <form
        class="inline"
        aria-label="Load generator"
        onSubmit={(e) => {
          e.preventDefault();
          if (current) void startLoad(current.token, settings);
        }}
      >
        {number('ordersPerSecond', 'Orders per second', 1, LIMITS.maxRate)}
        {number('seconds', 'Duration (seconds)', 1, LIMITS.maxSeconds)}
        {number('declinedPercent', 'Declined cards (%)', 0, 100)}
        {number('outOfStockPercent', 'Out of stock (%)', 0, 100)}
        <button type="submit" disabled={state.running}>
          Start load
        </button>
        <button type="button" class="secondary" disabled={!state.running} onClick={stopLoad}>
          Stop load
        </button>
      </form>
      <p role="status" aria-label="Load generator state">
        {state.phase} · {state.placed} placed · {state.rejected} rejected
        {state.skipped ? ` · ${state.skipped} skipped (too many in flight)` : ''}
        {state.lastError ? ` · last error: ${state.lastError}` : ''}
      </p>
    </section>
  );
}
