import { FinalStatuses } from '../../contracts/orders.js';
import { readOrders, type ServiceUrls } from './invariants.js';

export interface DrainWatch {
  urls: ServiceUrls;
  customerIds: string[];
  /** Order ids the gateway accepted so far (customers may still be retrying when the watch starts). */
  acceptedIds: () => string[];
  customersDone: () => boolean;
  /** When the last restarted component was ready again. */
  recoveredAt: number;
  limitMs: number;
  watchMs: number;
  say: (line: string) => void;
}

export interface Drain {
  /** Orders seen final within the limit. */
  finalInTime: Set<string>;
  backlogAtRecovery: number;
  /** Recovery → every accepted order final; undefined when some were still pending at the end of the watch. */
  drainMs?: number;
  pendingIds: string[];
}

/** Polls the orders service once a second until every accepted order is final (or the watch ends). */
export async function watchDrain(watch: DrainWatch): Promise<Drain> {
  const drain: Drain = { finalInTime: new Set(), backlogAtRecovery: -1, pendingIds: [] };
  for (let poll = 0; Date.now() - watch.recoveredAt < watch.watchMs; poll += 1) {
    const orders = await readOrders(watch.urls, watch.customerIds).catch(() => undefined);
    const elapsed = Date.now() - watch.recoveredAt;
    if (orders) {
      const final = new Set(orders.filter((o) => FinalStatuses.includes(o.status)).map((o) => o.id));
      if (elapsed <= watch.limitMs) final.forEach((id) => drain.finalInTime.add(id));
      drain.pendingIds = watch.acceptedIds().filter((id) => !final.has(id));
      if (drain.backlogAtRecovery < 0) drain.backlogAtRecovery = drain.pendingIds.length;
      if (watch.customersDone() && drain.pendingIds.length === 0) return { ...drain, drainMs: elapsed };
      if (poll % 10 === 0) watch.say(`${drain.pendingIds.length} accepted orders not final yet`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return drain;
}
