import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../../lib/payload-keys.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUERY_STATE, reconcileScheduleId, SagaStep, type OrderSagaState } from '../../contracts/order-saga.js';
import { waitFor } from '../../scripts/processes.js';
import { createGatewayClient, uniqueEmail, uniqueSku, type GatewayClient } from '../support/api.js';
import { startGateProxy, type GateProxy, type OrderGate } from '../support/gate-proxy.js';
import { applyOperatorAction, isRunning } from '../support/operator-actions.js';
import {
  boundaries,
  columns,
  expectedStatus,
  type Boundary,
  type Column,
  type FinalStatus,
} from '../support/operator-matrix.js';
import { auditViolations, createOrderAuditor, type OrderAudit } from '../support/order-audit.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * Every action an operator has in the Temporal Web UI, at every step boundary of the saga, then the
 * reconciler: each order must end as expected (test/support/operator-matrix.ts), final, with stock and
 * money conserved and one notification. The worker reaches orders and products through a gate
 * (test/support/gate-proxy.ts) that holds the saga's next call, so the saga stands exactly at the
 * boundary when the operator acts. All cells run at once; one reconciler run then finishes them.
 */
const label = 'operator';
const UNITS = 2;
const INITIAL_STOCK = 10;
const WINDOW_MS = 5000;

interface CellResult {
  orderId?: string;
  error?: Error;
  /** False when the saga had left the boundary before the action landed (the cell would prove nothing). */
  boundaryKept?: boolean;
  pointOfNoReturnRecorded?: boolean;
  expected?: FinalStatus;
  audit?: OrderAudit;
}

interface Cell {
  row: string;
  column: string;
  /** Places the order, stops its saga at the boundary and acts on it. */
  act: (placed: Placed) => Promise<void>;
  expected: (pointOfNoReturnRecorded: boolean) => FinalStatus;
  result: CellResult;
}

interface Placed {
  orderId: string;
  gate: OrderGate;
  result: CellResult;
}

let stack: TestStack;
let api: GatewayClient;
let adminToken: string;
let proxy: GateProxy;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  proxy = await startGateProxy(['orders', 'products']);
  const env = {
    ORDER_CANCEL_WINDOW_MS: String(WINDOW_MS),
    RECONCILE_MIN_AGE_SECONDS: '0',
    RECONCILE_INTERVAL_SECONDS: '3600',
  };
  stack = await startTestStack(label, env, {
    worker: { ORDERS_URL: proxy.urlOf('orders'), PRODUCTS_URL: proxy.urlOf('products') },
  });
  proxy.setTargets({ orders: stack.urls.orders, products: stack.urls.products });
  api = createGatewayClient(stack.urls.api);
  adminToken = await api.login(stack.admin.email, stack.admin.password);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, dataConverter: payloadDataConverter() });
});

afterAll(async () => {
  process.stdout.write(renderTable());
  await client?.schedule
    .getHandle(scheduleId())
    .delete()
    .catch(() => {});
  await stack?.stop();
  await proxy?.close();
  await connection?.close();
});

const scheduleId = () => reconcileScheduleId(`orders-${label}-${inject('runId')}`);

async function reached(boundary: Boundary, gate: OrderGate): Promise<boolean> {
  if (boundary.inWindow) {
    if (!gate.orderId) return false;
    const state = await client.workflow.getHandle(gate.orderId).query<OrderSagaState>(QUERY_STATE);
    return state.steps.some((s) => s.name === SagaStep.cancellationWindow && s.status === 'started');
  }
  const held = gate.heldSteps();
  const answered = (step: string) => gate.calls(step).some((c) => c.status !== undefined && c.status < 300);
  return boundary.hold.every((step) => held.includes(step)) && (boundary.done ?? []).every(answered);
}

const atBoundary = (boundary: Boundary, { orderId, gate }: Placed) =>
  waitFor(`${orderId} at "${boundary.name}"`, () => reached(boundary, gate), 60_000, 50);

function matrixCell(boundary: Boundary, column: Column): Cell {
  const act = async (placed: Placed) => {
    await atBoundary(boundary, placed);
    await applyOperatorAction(client, placed.orderId, column.action);
    const actedAt = Date.now();
    const leftWindow = placed.gate.calls(SagaStep.pointOfNoReturn).some((c) => c.arrivedAt <= actedAt);
    placed.result.boundaryKept = !(boundary.inWindow && leftWindow);
    if (column.inFlight === 'lose') placed.gate.lose();
    else placed.gate.release();
  };
  const expected = (recorded: boolean) => expectedStatus(boundary, column, recorded);
  return { row: boundary.name, column: column.name, act, expected, result: {} };
}

/**
 * A Temporal cancel that reaches the saga while its pointOfNoReturn call hangs (the saga sees a cancel
 * between workflow tasks; one running a local activity heartbeats after ~8 s). The call is let through
 * once the saga turned back (its voidPayment arrives), so the record grants the point of no return.
 */
function cancelWhilePointOfNoReturnHangs(): Cell {
  const boundary = boundaries.find((b) => b.hold.includes(SagaStep.pointOfNoReturn))!;
  const act = async (placed: Placed) => {
    await atBoundary(boundary, placed);
    await client.workflow.getHandle(placed.orderId).cancel();
    placed.result.boundaryKept = true;
    const turnedBack = async () => placed.gate.heldSteps().includes(SagaStep.voidPayment);
    await waitFor('the saga turned back', turnedBack, 20_000, 100).catch(() => {});
    placed.gate.release([SagaStep.pointOfNoReturn]);
    const granted = async () => placed.gate.calls(SagaStep.pointOfNoReturn).some((c) => c.status !== undefined);
    await waitFor('pointOfNoReturn answered', granted, 10_000, 50).catch(() => {});
    placed.gate.release();
  };
  const expected = (recorded: boolean): FinalStatus => (recorded ? 'CONFIRMED' : 'CANCELLED');
  const row = boundary.name;
  return { row, column: 'cancel seen while the call hangs', act, expected, result: {} };
}

const cells: Cell[] = [
  ...boundaries.flatMap((boundary) => columns.map((column) => matrixCell(boundary, column))),
  cancelWhilePointOfNoReturnHangs(),
];

/** One product per cell, made before the orders (a burst of creations would only time out on a loaded machine). */
async function createProducts(count: number): Promise<string[]> {
  const ids: string[] = [];
  const input = () => ({ sku: uniqueSku('OPS'), name: 'Operator mug', priceCents: 1250, stock: INITIAL_STOCK });
  for (let round = 0; ids.length < count; round += 1) {
    if (round > count) throw new Error(`only ${ids.length} of ${count} products could be created`);
    const batch = Array.from({ length: Math.min(4, count - ids.length) }, input);
    const made = await Promise.allSettled(batch.map((product) => api.createProduct(adminToken, product)));
    for (const outcome of made) if (outcome.status === 'fulfilled') ids.push(outcome.value.id);
  }
  return ids;
}

async function place(cell: Cell, productId: string, token: string, hold: string[]) {
  const gate = proxy.watch(productId, hold);
  const placed = await api.placeOrder(token, [{ productId, quantity: UNITS }]);
  if (placed.status !== 202) throw new Error(`place: ${placed.status} ${JSON.stringify(placed.body)}`);
  cell.result.orderId = placed.body.id;
  return { orderId: placed.body.id, gate };
}

const holdOf = (cell: Cell) => {
  const boundary = boundaries.find((b) => b.name === cell.row)!;
  return cell.column === 'cancel seen while the call hangs' ? [...boundary.hold, SagaStep.voidPayment] : boundary.hold;
};

/** Runs the reconciler now (its Schedule, triggered) and waits for that run to finish. */
async function runReconciler(): Promise<void> {
  const schedule = client.schedule.getHandle(scheduleId());
  const before = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger();
  let run = { workflowId: '', runId: '' };
  const started = async () => {
    const actions = (await schedule.describe()).info.recentActions;
    if (actions.length <= before) return false;
    const { workflowId, firstExecutionRunId } = actions.at(-1)!.action.workflow;
    run = { workflowId, runId: firstExecutionRunId };
    return true;
  };
  await waitFor('a reconcile run', started, 30_000, 200);
  await client.workflow.getHandle(run.workflowId, run.runId).result();
}

/** One order per cell, all at once: act at the boundary; let running sagas finish; reconcile; audit. */
async function runMatrix(): Promise<void> {
  const tokens = new Map<string, string>();
  for (const row of new Set(cells.map((c) => c.row)))
    tokens.set(row, (await api.registerAndLogin(uniqueEmail('operator'))).token);
  const products = await createProducts(cells.length);
  const acted = await Promise.all(
    cells.map(async (cell, index) => {
      const productId = products[index]!;
      try {
        const { orderId, gate } = await place(cell, productId, tokens.get(cell.row)!, holdOf(cell));
        await cell.act({ orderId, gate, result: cell.result });
        return { cell, gate, productId };
      } catch (error) {
        cell.result.error = error as Error;
        return undefined;
      }
    }),
  );
  const live = acted.filter((a) => a !== undefined);
  await Promise.all(
    live.map(async ({ cell, gate }) => {
      const closed = async () => !(await isRunning(client, cell.result.orderId!));
      await waitFor('saga closed', closed, 60_000, 250).catch(() => {});
      await waitFor('calls answered', async () => gate.pending() === 0, 10_000, 50).catch(() => {});
      const granted = gate.calls(SagaStep.pointOfNoReturn).some((c) => (c.body as { passed?: boolean })?.passed);
      cell.result.pointOfNoReturnRecorded = granted;
      cell.result.expected = cell.expected(granted);
    }),
  );
  await runReconciler();
  const auditor = createOrderAuditor({ api, urls: stack.urls, token: stack.serviceToken });
  await Promise.all(
    live.map(async ({ cell, productId }) => {
      try {
        await auditor.settle(cell.result.orderId!, 15_000);
        const target = { orderId: cell.result.orderId!, productId, token: tokens.get(cell.row)! };
        cell.result.audit = await auditor.audit(target);
      } catch (error) {
        cell.result.error = error as Error;
      }
    }),
  );
}

beforeAll(runMatrix, 400_000);

for (const row of new Set(cells.map((c) => c.row))) {
  describe(row, () => {
    for (const cell of cells.filter((c) => c.row === row)) {
      it(cell.column, () => {
        const { error, audit, expected, orderId, boundaryKept } = cell.result;
        if (error) throw error;
        expect(boundaryKept, `${orderId}: the saga had left the boundary before the action`).toBe(true);
        expect.soft(audit!.status, `${orderId}: final status`).toBe(expected);
        expect(auditViolations(audit!, INITIAL_STOCK, UNITS), `${orderId}: invariants`).toEqual([]);
      });
    }
  });
}

function renderTable(): string {
  const lines = ['', 'operator-action matrix (status after the reconciler; ok, or FAIL with what was expected)'];
  for (const row of new Set(cells.map((c) => c.row))) {
    lines.push(`- ${row}:`);
    for (const { column, result } of cells.filter((c) => c.row === row)) {
      const { error, audit, expected } = result;
      const problems = audit ? auditViolations(audit, INITIAL_STOCK, UNITS) : [];
      const ok = audit?.status === expected && problems.length === 0 && result.boundaryKept;
      const why = [`expected ${expected}`, ...problems, result.boundaryKept === false ? 'boundary missed' : ''];
      const text = error
        ? `ERROR ${error.message.slice(0, 100)}`
        : `${audit?.status}${ok ? ' ok' : ` FAIL (${why.filter(Boolean).join('; ')})`}`;
      lines.push(`    ${column}: ${text}  [${result.orderId ?? '-'}]`);
      if (audit && !ok) lines.push(`      steps: ${audit.steps}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
