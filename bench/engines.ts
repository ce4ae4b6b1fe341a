// `npm run bench` (after the catalog bench): bench/orders.ts on the dev server, then on the production Temporal
// server on PostgreSQL, one after the other on the same machine, then their figures side by side.
//   npx tsx bench/engines.ts [orders=300] [customers=16]      (BENCH_ENGINES=dev or server: only that one)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { enginesTable, SUMMARY_PREFIX, type BenchSummary } from './engines-table.js';

const args = process.argv.slice(2);
const engines = (process.env.BENCH_ENGINES ?? 'dev,server').split(',').map((e) => e.trim());

async function benchOn(engine: string): Promise<BenchSummary> {
  console.log(`\n=== bench/orders.ts on the ${engine} engine ===`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/orders.ts', ...args], {
    env: { ...process.env, BENCH_ENGINE: engine },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let summary: BenchSummary | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length)) as BenchSummary;
    else console.log(line);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0 || !summary) throw new Error(`bench/orders.ts on ${engine} failed (exit ${code})`);
  return summary;
}

const runs: BenchSummary[] = [];
for (const engine of engines) runs.push(await benchOn(engine));
console.log(`\n${enginesTable(runs)}`);
