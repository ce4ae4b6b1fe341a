import { join } from 'node:path';
import { createGatewayClient, uniqueEmail, uniqueSku } from '../support/api.js';
import { startCustomers, type CancelRequest, type PlacedOrder } from './customers.js';
import { checkDelivery, readDelivery } from './delivery.js';
import { restoreDependenciesOnExit, restoreDependenciesSync } from './dependencies.js';
import { watchDrain } from './drain.js';
import { runFaults, type FaultCounts, type FaultPlan } from './faults.js';
import { checkInvariants, readSnapshot } from './invariants.js';
import { launchStack, untilAllReady, type LaunchedStack } from './launcher.js';
import { replayStackHistories, type ReplayCheck } from './replay.js';

export interface ChaosOptions extends FaultPlan {
  /** At least this many orders placed while the faults go on. */
  orders: number;
  customers: number;
  /** Orders per second the customers aim at while the faults go on. */
  ordersPerSecond: number;
  /** Every accepted order must be final this long after the last restart (the issue: 60 s). */
  drainLimitMs: number;
  /** How long to keep watching the drain, to measure it even past the limit. */
  drainWatchMs: number;
  /** How long after every order is final each must have its notification. */
  notificationSettleMs: number;
  postgresUrl: string;
  logDir: string;
}

export interface ChaosReport {
  placed: PlacedOrder[];
  cancels: CancelRequest[];
  outcomes: Record<string, number>;
  /** SIGKILLs per component, restarts per dependency. */
  kills: FaultCounts;
  /** Exits the launcher reported (kills plus crashes they caused), and each restart's exit → ready time. */
  exits: Record<string, number>;
  readyAfterMs: Record<string, number[]>;
  faultMs: number;
  backlogAtRecovery: number;
  /** Last restart ready → every accepted order final; undefined when they were not all final by the end. */
  drainMs?: number;
  /** Final order → its notification (ms), and the unsent outbox / dead letters at the end. */
  notificationLagMs: number[];
  violations: Record<string, string[]>;
  /** `npm run replay` over every history of the run, after the drain. */
  replay: ReplayCheck;
  launcherSurvived: boolean;
}

async function setUp(stack: LaunchedStack, options: ChaosOptions) {
  const api = createGatewayClient(`http://127.0.0.1:${stack.ports.API_PORT}`);
  const admin = await api.login(stack.admin.email, stack.admin.password);
  const product = (stock: number, i: number) =>
    api.createProduct(admin, { sku: uniqueSku(`CHAOS${i}`), name: `Chaos ${i}`, priceCents: 100 * (i + 1), stock });
  const plentiful = await Promise.all([0, 1, 2].map((i) => product(100_000, i)));
  const scarce = await product(Math.max(5, Math.round(options.orders * 0.08)), 3);
  const customers = await Promise.all(
    Array.from({ length: options.customers }, (_, i) => api.registerAndLogin(uniqueEmail(`chaos${i}`))),
  );
  const initialStock = new Map([...plentiful, scarce].map((p) => [p.id, p.stock]));
  return { plentiful: plentiful.map((p) => p.id), scarce: scarce.id, customers, initialStock };
}

/** Exits and restart times as the launcher's supervisor reported them. */
function supervisorFigures(lines: string[]) {
  const exits: Record<string, number> = {};
  const readyAfterMs: Record<string, number[]> = {};
  for (const line of lines) {
    const exit = /\[start\] !!! (\S+) exited unexpectedly/.exec(line);
    // The supervisor calls the gateway `api`; the harness calls it `gateway`.
    const name = exit?.[1] === 'api' ? 'gateway' : exit?.[1];
    if (name) exits[name] = (exits[name] ?? 0) + 1;
    const back = /\[start\] (\S+) is back \(pid \d+, ready ([\d.]+) s after its exit\)/.exec(line);
    if (back) (readyAfterMs[back[1]!] ??= []).push(Number(back[2]) * 1000);
  }
  return { exits, readyAfterMs };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.progress ?? (() => undefined);
  const unhook = restoreDependenciesOnExit();
  try {
    return await chaosRun(options, say);
  } finally {
    restoreDependenciesSync();
    unhook();
  }
}

async function chaosRun(options: ChaosOptions, say: (line: string) => void): Promise<ChaosReport> {
  const stack = await launchStack({
    postgresUrl: options.postgresUrl,
    logFile: join(options.logDir, `chaos-${Date.now()}.log`),
    parentDir: options.logDir,
  });
  try {
    const world = await setUp(stack, options);
    say(`stack ready (data ${stack.dataDir}); ${world.customers.length} customers start shopping`);
    let faults = true;
    const load = startCustomers({
      gatewayUrl: `http://127.0.0.1:${stack.ports.API_PORT}`,
      customers: world.customers,
      products: { plentiful: world.plentiful, scarce: world.scarce },
      keepPlacing: () => faults && load.placed.length < options.orders,
      ordersPerSecond: options.ordersPerSecond,
    });
    const faultStart = Date.now();
    const kills = await runFaults(stack, options, () => load.placed.length >= options.orders);
    faults = false;
    const faultMs = Date.now() - faultStart;
    say(`faults stopped after ${(faultMs / 1000).toFixed(0)} s; waiting for every component to be ready`);
    await untilAllReady(stack);
    const recoveredAt = Date.now();
    let customersDone = false;
    void load.done.then(() => (customersDone = true));
    const urls = {
      orders: `http://127.0.0.1:${stack.ports.ORDERS_PORT}`,
      products: `http://127.0.0.1:${stack.ports.PRODUCTS_PORT}`,
      token: stack.serviceToken,
    };
    const customerIds = world.customers.map((c) => c.id);
    const drain = await watchDrain({
      urls,
      customerIds,
      acceptedIds: () => load.placed.flatMap((p) => [...p.orderIds]),
      customersDone: () => customersDone,
      recoveredAt,
      limitMs: options.drainLimitMs,
      watchMs: options.drainWatchMs,
      say,
    });
    await load.done;
    const { drainMs, pendingIds, backlogAtRecovery } = drain;
    say(
      drainMs === undefined ? `still pending: ${pendingIds.join(' ')}` : `drained in ${(drainMs / 1000).toFixed(1)} s`,
    );
    const snapshot = await readSnapshot(urls, customerIds, world.initialStock);
    const outcomes: Record<string, number> = {};
    for (const order of snapshot.orders) {
      const outcome = order.failureReason ? `${order.status} ${order.failureReason}` : order.status;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    const finalOrders = snapshot.orders.filter((o) => o.status !== 'PENDING');
    const delivery = await readDelivery(
      {
        notificationsUrl: `http://127.0.0.1:${stack.ports.NOTIFICATIONS_PORT}`,
        token: stack.serviceToken,
        ordersDatabaseUrl: stack.ordersDatabaseUrl,
        queuePrefix: stack.id,
      },
      customerIds,
      finalOrders,
      options.notificationSettleMs,
    );
    const figures = supervisorFigures(stack.lines);
    say('replaying every history of the run through the shipped bundle (npm run replay)');
    const replay = await replayStackHistories(stack.ports.TEMPORAL_PORT);
    return {
      placed: load.placed,
      cancels: load.cancels,
      outcomes,
      kills,
      ...figures,
      faultMs,
      backlogAtRecovery,
      drainMs,
      notificationLagMs: delivery.lagMs,
      violations: {
        ...checkInvariants(load.placed, snapshot, drain.finalInTime),
        ...checkDelivery({ orders: snapshot.orders, cancels: load.cancels, delivery, exits: figures.exits, kills }),
      },
      replay,
      launcherSurvived: stack.exitCode() === null,
    };
  } finally {
    await stack.stopAndClean();
  }
}
