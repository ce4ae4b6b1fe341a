import { COMPONENTS, componentPids, type Component } from './components.js';
import { DEPENDENCIES, startDependency, stopDependency, type Dependency } from './dependencies.js';
import type { LaunchedStack } from './launcher.js';

export interface FaultPlan {
  /** Every component SIGKILLed at least this many times. */
  killsEach: number;
  /** A fault every min–max ms. */
  everyMs: [number, number];
  /** Hard cap on the fault phase. */
  maxFaultMs: number;
  /** The machine's PostgreSQL and RabbitMQ: restarted this many times each, and held down once for holdDownMs. */
  dependencies?: { restartsEach: number; holdDownMs: number };
  progress?: (line: string) => void;
}

export type Target = Component | Dependency;
export type FaultCounts = Record<Target, number>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const shuffled = <T>(items: readonly T[]) => [...items].sort(() => Math.random() - 0.5);
/** The launcher gives up on six deaths within 60 s; the harness kills one component at most three times a minute. */
const MAX_KILLS_PER_MINUTE = 3;
const isDependency = (t: Target): t is Dependency => (DEPENDENCIES as readonly string[]).includes(t);

/** Takes a dependency down (briefly, or for the hold) and brings it back; returns how long it was down. */
async function outage(name: Dependency, holdMs: number, say: (line: string) => void): Promise<number> {
  const started = Date.now();
  await stopDependency(name);
  say(`stopped ${name} for ${(holdMs / 1000).toFixed(0)} s`);
  await sleep(holdMs);
  await startDependency(name);
  say(`${name} is back after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return Date.now() - started;
}

/**
 * SIGKILLs components and restarts dependencies at random (each round a shuffled bag of all targets)
 * until every target met its count and `enough()` holds. Each dependency is held down once for the hold.
 */
export async function runFaults(stack: LaunchedStack, plan: FaultPlan, enough: () => boolean): Promise<FaultCounts> {
  const say = plan.progress ?? (() => undefined);
  const deps = plan.dependencies;
  const targets: Target[] = [...COMPONENTS, ...(deps ? DEPENDENCIES : [])];
  const counts = Object.fromEntries([...COMPONENTS, ...DEPENDENCIES].map((t) => [t, 0])) as FaultCounts;
  const held = new Set<Dependency>();
  const wanted = (t: Target) => (isDependency(t) ? (deps?.restartsEach ?? 0) : plan.killsEach);
  const history: { name: Target; at: number }[] = [];
  const stopAt = Date.now() + plan.maxFaultMs;
  const done = () =>
    targets.every((t) => counts[t] >= wanted(t)) && (!deps || held.size === DEPENDENCIES.length) && enough();
  let bag: Target[] = [];
  while (!done() && Date.now() < stopAt && stack.exitCode() === null) {
    if (bag.length === 0) bag = shuffled(targets);
    const recent = (name: Target) => history.filter((k) => k.name === name && Date.now() - k.at < 60_000).length;
    const name = bag.find((c) => isDependency(c) || recent(c) < MAX_KILLS_PER_MINUTE);
    if (name && isDependency(name)) {
      bag.splice(bag.indexOf(name), 1);
      // The first restart of each is short; its second pick is the long hold.
      const hold = counts[name] >= 1 && !held.has(name);
      await outage(name, hold ? deps!.holdDownMs : between([1000, 4000]), say);
      if (hold) held.add(name);
      counts[name] += 1;
      history.push({ name, at: Date.now() });
      await sleep(between(plan.everyMs));
      continue;
    }
    const pid = name && (await componentPids(stack.dataDir))[name];
    if (!name || !pid) {
      await sleep(500); // everything killable was killed recently, or is being restarted
      continue;
    }
    bag.splice(bag.indexOf(name), 1);
    process.kill(pid, 'SIGKILL');
    counts[name] += 1;
    history.push({ name, at: Date.now() });
    say(`killed ${name} (pid ${pid})`);
    await sleep(between(plan.everyMs));
  }
  return counts;
}
