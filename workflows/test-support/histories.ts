// The recorded replay histories: workflows/histories/<generation>/<outcome>.json, one generation per
// shape of the saga's commands (each patch adds one), so old and new paths are all replayed.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { historyFromFixture } from './history-json.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));

export interface RecordedHistory {
  generation: string;
  outcome: string;
  /** `<generation>/<outcome>`: unique across generations. */
  workflowId: string;
  history: ReturnType<typeof historyFromFixture>;
}

export async function loadHistories(): Promise<RecordedHistory[]> {
  const generations = (await readdir(HISTORIES_DIR, { withFileTypes: true })).filter((e) => e.isDirectory());
  const all: RecordedHistory[] = [];
  for (const generation of generations.map((e) => e.name).sort()) {
    const files = (await readdir(`${HISTORIES_DIR}${generation}`)).filter((file) => file.endsWith('.json')).sort();
    for (const file of files) {
      const outcome = file.replace(/\.json$/, '');
      const json = await readFile(`${HISTORIES_DIR}${generation}/${file}`, 'utf8');
      all.push({ generation, outcome, workflowId: `${generation}/${outcome}`, history: historyFromFixture(json) });
    }
  }
  return all;
}
