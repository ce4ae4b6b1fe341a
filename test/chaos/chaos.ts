import { join } from 'node:path';
import { createApiClient, uniqueEmail, uniqueSku } from '../support/api.js';
import { COMPONENTS, componentPids, type Component } from './components.js';
import { startCustomers, type CancelRequest, type PlacedOrder } from './customers.js';
import { checkInvariants, readSnapshot, type Violations } from './invariants.js';
import { watchDrain } from './drain.js';
import { launchStack, untilAllReady, type LaunchedStack } from './launcher.js';

export interface ChaosOptions {
  /** At least this many orders placed while the faults go on. */
  orders: number;
  /** Every component SIGKILLed at least this many times. */
  killsEach: number;
  customers: number;
  /** A kill every min–max ms. */
  killEveryMs: [number, number];
  /** Hard cap on the fault phase. */
  maxFaultMs: number;
  /** Orders per second the customers aim at while the faults go on. */
  ordersPerSecond: number;
  /** Every accepted order must be final this long after the last restart (the issue: 60 s). */
  drainLimitMs: number;
  /** How long to keep watching the drain, to measure it even past the limit. */
  drainWatchMs: number;
  postgresUrl: string;
  logDir: string;
  progress?: (line: string) => void;
}

export interface ChaosReport {
  placed: PlacedOrder[];
  cancels: CancelRequest[];
  outcomes: Record<string, number>;
  kills: Record<Component, number>;
  /** Exits the launcher reported (kills plus crashes they caused), and each restart's exit → ready time. */
  exits: Record<string, number>;
  readyAfterMs: Record<string, number[]>;
  faultMs: number;
  backlogAtRecovery: number;
  /** Last restart ready → every accepted order final; undefined when they were not all final by the end. */
  drainMs?: number;
  violations: Violations;
  launcherSurvived: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const shuffled = <T>(items: readonly T[]) => [...items].sort(() => Math.random() - 0.5);
/** The launcher gives up on six deaths within 60 s; the harness kills one component at most three times a minute. */
const MAX_KILLS_PER_MINUTE = 3;

async function setUp(stack: LaunchedStack, options: ChaosOptions) {
  const api = createApiClient(`http://127.0.0.1:${stack.ports.API_PORT}`);
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

/** SIGKILLs components at random (each round a shuffled bag of all seven) until both targets are met. */
async function killLoop(stack: LaunchedStack, options: ChaosOptions, ordersPlaced: () => number) {
  const kills = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const history: { name: Component; at: number }[] = [];
  const stopAt = Date.now() + options.maxFaultMs;
  let bag: Component[] = [];
  const done = () => Math.min(...Object.values(kills)) >= options.killsEach && ordersPlaced() >= options.orders;
  while (!done() && Date.now() < stopAt && stack.exitCode() === null) {
    if (bag.length === 0) bag = shuffled(COMPONENTS);
    const recent = (name: Component) => history.filter((k) => k.name === name && Date.now() - k.at < 60_000).length;
    const name = bag.find((c) => recent(c) < MAX_KILLS_PER_MINUTE);
    const pid = name && (await componentPids(stack.dataDir))[name];
    if (!name || !pid) {
      await sleep(500); // everything killable was killed recently, or is being restarted
      continue;
    }
    bag.splice(bag.indexOf(name), 1);
    process.kill(pid, 'SIGKILL');
    kills[name] += 1;
    history.push({ name, at: Date.now() });
    options.progress?.(`killed ${name} (pid ${pid}); ${ordersPlaced()} orders placed so far`);
    await sleep(between(options.killEveryMs));
  }
  return kills;
}

/** Exits and restart times as the launcher's supervisor reported them. */
function supervisorFigures(lines: string[]) {
  const exits: Record<string, number> = {};
  const readyAfterMs: Record<string, number[]> = {};
  for (const line of lines) {
    const exit = /\[start\] !!! (\S+) exited unexpectedly/.exec(line);
    if (exit) exits[exit[1]!] = (exits[exit[1]!] ?? 0) + 1;
    const back = /\[start\] (\S+) is back \(pid \d+, ready ([\d.]+) s after its exit\)/.exec(line);
    if (back) (readyAfterMs[back[1]!] ??= []).push(Number(back[2]) * 1000);
  }
  return { exits, readyAfterMs };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.progress ?? (() => undefined);
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
    const kills = await killLoop(stack, options, () => load.placed.length);
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
    return {
      placed: load.placed,
      cancels: load.cancels,
      outcomes,
      kills,
      ...supervisorFigures(stack.lines),
      faultMs,
      backlogAtRecovery,
      drainMs,
      violations: checkInvariants(load.placed, snapshot, drain.finalInTime),
      launcherSurvived: stack.exitCode() === null,
    };
  } finally {
    await stack.stopAndClean();
  }
}
