// Runs the cached Helm (built with `go install` on first use) with the given arguments, e.g.
// `npx tsx deploy/helm/helm.ts lint deploy/helm/durable-shop`.
import { spawnSync } from 'node:child_process';
import { ensureHelm, ToolchainMissingError } from '../../scripts/tools.js';

try {
  const helm = await ensureHelm();
  const result = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} catch (error) {
  if (!(error instanceof ToolchainMissingError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
