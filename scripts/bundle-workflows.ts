// Prebuilds the workflow bundle so a production worker starts without webpack (WORKFLOW_BUNDLE_PATH).
// The OpenTelemetry workflow interceptors are always in it: they trace only when the worker has an exporter.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../workers/tracing.js';
import { defaultWorkflowsPath } from '../workers/worker.js';

const out = join(process.cwd(), 'dist', 'workflow-bundle.js');
const { code } = await bundleWorkflowCode({
  workflowsPath: defaultWorkflowsPath(),
  workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
});
await mkdir(dirname(out), { recursive: true });
await writeFile(out, code);
process.stdout.write(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)\n`);
