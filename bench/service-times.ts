// How long each service took to answer the calls of a stretch of the bench, read from the processes' own
// `http_request_duration_seconds` (lib/metrics.ts) before and after it.

/** Seconds spent and calls answered, by `process METHOD route`. */
export type RequestSeconds = Map<string, { seconds: number; calls: number }>;

const SAMPLE = /^http_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)$/;
const label = (labels: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1] ?? '';

/** Sums one process's exposition over statuses; the probes' own routes are left out. */
export function parseRequestSeconds(process: string, exposition: string, into: RequestSeconds = new Map()) {
  for (const line of exposition.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const route = label(sample[2]!, 'route');
    if (['/metrics', '/healthz', '/readyz'].includes(route)) continue;
    const key = `${process} ${label(sample[2]!, 'method')} ${route}`;
    const entry = into.get(key) ?? { seconds: 0, calls: 0 };
    if (sample[1] === 'sum') entry.seconds += Number(sample[3]);
    else entry.calls += Number(sample[3]);
    into.set(key, entry);
  }
  return into;
}

export async function scrapeRequestSeconds(urls: Record<string, string>, token: string): Promise<RequestSeconds> {
  const all: RequestSeconds = new Map();
  for (const [process, url] of Object.entries(urls)) {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) parseRequestSeconds(process, await response.text(), all);
  }
  return all;
}

/** Calls per order and mean ms per call of every route called in between, slowest first. */
export function serviceTimes(before: RequestSeconds, after: RequestSeconds, orders: number): string {
  const rows = [...after].flatMap(([key, { seconds, calls }]) => {
    const then = before.get(key) ?? { seconds: 0, calls: 0 };
    const n = calls - then.calls;
    return n > 0 ? [{ key, perOrder: n / orders, ms: ((seconds - then.seconds) * 1000) / n }] : [];
  });
  rows.sort((a, b) => b.ms - a.ms);
  return rows
    .map((r) => `${r.key} ${r.ms.toFixed(1)} ms${r.perOrder === 1 ? '' : ` ×${r.perOrder.toFixed(2)}`}`)
    .join(', ');
}
