/**
 * Median duration of each operation over interleaved runs: interleaving and medians keep a
 * busy shared machine from skewing one side of the comparison.
 */
export async function medianDurations(rounds: number, ...operations: (() => Promise<unknown>)[]): Promise<number[]> {
  const samples = operations.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, operation] of operations.entries()) {
      const start = performance.now();
      await operation();
      samples[index]!.push(performance.now() - start);
    }
  }
  return samples.map((values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
}
