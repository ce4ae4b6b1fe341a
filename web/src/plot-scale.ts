export interface Point {
  x: number;
  y: number | null;
}

/** The smallest 1, 2 or 5 × 10^k at or above `value` (at least `floor`), so axis labels stay round. */
export function niceMax(value: number, floor = 1): number {
  const target = Math.max(value, floor);
  const magnitude = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= target) return step * magnitude;
  return 10 * magnitude;
}

/** Runs of consecutive points that have a value: a gap (null) breaks the line instead of dropping to zero. */
export function segments(points: Point[]): { x: number; y: number }[][] {
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  for (const { x, y } of points) {
    if (y === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push({ x, y });
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

export interface Sample {
  at: number;
  workflow: number;
  activity: number;
}

/** Appends a sample and keeps those of the last `spanMs` (the server answers only the current backlog). */
export function rollWindow(samples: Sample[], next: Sample, spanMs: number): Sample[] {
  const last = samples.at(-1);
  const kept = last && last.at >= next.at ? samples.slice(0, -1) : samples;
  return [...kept.filter((s) => s.at > next.at - spanMs), next];
}
