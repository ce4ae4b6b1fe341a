// `npm test`: every test, in the lanes vitest.config.ts defines. The unit lane first; then the integration
// and e2e lanes side by side, each in a vitest run of its own (vitest runs every file of such lanes in one
// queue, one at a time: most of them wait on timers, outages and child processes, not on the CPU); then the
// files that take down the machine's PostgreSQL or RabbitMQ, alone. Arguments go to every vitest run. The
// failed tests are listed again at the end, where a CI log's tail shows them.
//   npx tsx scripts/test.ts [vitest options…]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

const vitestEntry = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
// A file filter leaves some lanes without files: that is not a failure then.
const extra = process.argv.length > 2 ? [...process.argv.slice(2), '--passWithNoTests'] : [];

const failures: string[] = [];
// vitest's marks of a failed test ("×" beside it, "FAIL" in its summary) and of errors outside any test;
// the first error line after such a mark says why.
const failureLine = /^\s*(×|FAIL\s)|Vitest caught/;
const errorLine = /^\s*(\w*Error|Unhandled \w+)\b/;

/** One `vitest run` of the named projects, its lines prefixed with `label` when it shares the terminal. */
function vitest(projects: string[], label?: string): Promise<number> {
  const args = [vitestEntry, 'run', ...projects.flatMap((p) => ['--project', p]), ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const [input, output] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    let why = false;
    createInterface({ input }).on('line', (line) => {
      output.write(label ? `[${label}] ${line}\n` : `${line}\n`);
      const plain = stripVTControlCharacters(line).trim();
      if (failureLine.test(plain)) {
        failures.push(`[${projects.join(', ')}] ${plain}`);
        why = true;
      } else if (why && errorLine.test(plain)) {
        failures.push(`    ${plain.slice(0, 300)}`);
        why = false;
      }
    });
  }
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

const started = performance.now();
const results: [string, number][] = [];
results.push(['unit', await vitest(['unit'])]);
const [integration, e2e] = await Promise.all([vitest(['integration'], 'integration'), vitest(['e2e'], 'e2e')]);
results.push(['integration', integration], ['e2e', e2e]);
results.push(['machine-outages', await vitest(['machine-outages'])]);

const failed = results.filter(([, code]) => code !== 0).map(([lane]) => lane);
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
if (failed.length > 0 && failures.length > 0) console.log(`\nfailed:\n${[...new Set(failures)].join('\n')}`);
console.log(
  `\nnpm test: ${failed.length === 0 ? 'every lane passed' : `FAILED: ${failed.join(', ')}`} (${minutes} min)`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
