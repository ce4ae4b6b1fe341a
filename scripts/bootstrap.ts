// Builds the real dependencies this project runs (Temporal dev server and server, FerretDB, Helm, Prometheus, Jaeger) once per machine.
import {
  ensureFerretDb,
  ensureHelm,
  ensureJaeger,
  ensurePrometheus,
  ensureTemporal,
  ToolchainMissingError,
} from './tools.js';
import { ensureTemporalServer, ensureTemporalUi } from './temporal-server-tools.js';

try {
  const needTemporal = !process.env.TEMPORAL_ADDRESS;
  const needFerret = !process.env.MONGO_URL;
  if (needTemporal) await ensureTemporal();
  if (needFerret) await ensureFerretDb();
  await ensureHelm(); // the chart tests render with it
  // prometheus and promtool (the rule unit tests in npm test) come from one build.
  await ensurePrometheus();
  await ensureJaeger(); // the trace test's OTLP backend
  // `npm start -- --engine server` and its test: the production engine and its Web UI (the longest build, last).
  await ensureTemporalServer();
  await ensureTemporalUi();
} catch (error) {
  if (error instanceof ToolchainMissingError) {
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
  const stderr = (error as { stderr?: string }).stderr;
  process.stderr.write(`bootstrap failed: ${(error as Error).message}\n${stderr ?? ''}\n`);
  process.exit(1);
}
