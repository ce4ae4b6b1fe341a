import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { productsApi } from '../../contracts/products-api.js';
import { createContractClient } from '../../lib/contract-client.js';
import { createServiceTransport } from '../../lib/service-transport.js';
import { databaseUrl } from '../../scripts/databases.js';
import { startFerretDb } from '../../scripts/infra.js';
import { freePort, waitFor, type ManagedProcess } from '../../scripts/processes.js';
import { ensureFerretDb } from '../../scripts/tools.js';
import { TEST_SERVICE_TOKEN } from '../../test/support/constants.js';
import { testMongoDbName } from '../../test/support/mongo.js';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));
let child: ChildProcessWithoutNullStreams | undefined;
let ferret: ManagedProcess | undefined;
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await ferret?.stop();
});

function startProducts(mongoUrl: string): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', mainPath], {
    env: {
      PATH: process.env.PATH,
      SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      PRODUCTS_PORT: '0',
      MONGO_URL: mongoUrl,
      PRODUCTS_DB: testMongoDbName(inject('runId'), 'products_outage'),
      LOG_LEVEL: 'info',
    },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child!.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"products service listening"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child!.once('exit', (code) => reject(new Error(`products exited ${code}: ${output}`)));
  });
}

async function startFerret(port: number) {
  const label = `${inject('runId')}_products_outage_ferret`;
  return startFerretDb({
    bin: await ensureFerretDb(),
    port,
    postgresUrl: databaseUrl(inject('postgresUrl'), label),
    stateDir: join(inject('logDir'), label),
    output: createWriteStream(join(inject('logDir'), `${label}.log`)),
  });
}

const statusOf = async (url: string) => (await fetch(url)).status;

describe('products main.ts while its database is down', () => {
  it('starts, answers 503 (readyz and routes), becomes ready when FerretDB comes up, and 503 again when it goes', async () => {
    const port = await freePort();
    const url = await startProducts(`mongodb://127.0.0.1:${port}/`);
    const products = createContractClient(
      productsApi,
      createServiceTransport({ service: 'products', baseUrl: url, token: TEST_SERVICE_TOKEN, timeoutMs: 10_000 }),
    );
    const list = () =>
      fetch(`${url}${productsApi.list.path}`, { headers: { authorization: `Bearer ${TEST_SERVICE_TOKEN}` } });

    expect(await statusOf(`${url}/readyz`)).toBe(503);
    const refused = await list();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    ferret = await startFerret(port);
    await waitFor('products ready', async () => (await statusOf(`${url}/readyz`)) === 200, 30_000, 200);
    const created = await products.create({ body: { sku: 'OUTAGE-1', name: 'Survivor', priceCents: 100, stock: 2 } });
    expect(await products.get({ params: { id: created.id } })).toEqual(created);

    await ferret.stop();
    const down = await list();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await statusOf(`${url}/readyz`)).toBe(503);

    ferret = await startFerret(port);
    await waitFor('products ready again', async () => (await statusOf(`${url}/readyz`)) === 200, 30_000, 200);
    expect((await products.list({ query: { q: 'Survivor' } })).items).toEqual([created]);
    expect(child?.exitCode).toBeNull();
  }, 120_000);
});
