// The recorded replay histories: workflows/histories/<outcome>.json, one per outcome of the saga as it is
// (captured by `npm run histories:capture`), replayed by workflows/replay.test.ts.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyFromFixture } from './history-json.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));

export interface RecordedHistory {
  outcome: string;
  workflowId: string;
  history: ReturnType<typeof historyFromFixture>;
}

export async function loadHistories(): Promise<RecordedHistory[]> {
  await mkdir(HISTORIES_DIR, { recursive: true });
  const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json')).sort();
  const all: RecordedHistory[] = [];
  for (const file of files) {
    const outcome = file.replace(/\.json$/, '');
    const json = await readFile(`${HISTORIES_DIR}${file}`, 'utf8');
    all.push({ outcome, workflowId: outcome, history: historyFromFixture(json) });
  }
  return all;
}
