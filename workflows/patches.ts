// Patch ids of the saga's command changes. An id stays while histories without it may still replay
// (see README "Change the workflow safely"); remove its old branch with deprecatePatch() after that.

/**
 * Fewer server round trips per order: customer check, pricing, the order record and finalization
 * as local activities; capture and commit in parallel. Histories before it keep the all-regular path.
 */
export const LEAN_ROUND_TRIPS = 'lean-round-trips-v1';

/**
 * Cancels recorded by the orders service: before capture the saga asks the order record to pass its
 * point of no return, and turns back (compensates, CANCELLED) when a cancel was recorded first.
 */
export const DURABLE_CANCEL = 'durable-cancel-v1';

/**
 * Reserve inventory and authorize the payment at once (one round trip for two), each compensation
 * registered first; both settle before the saga moves on, so no compensation races its own step.
 */
export const PARALLEL_HOLDS = 'parallel-holds-v1';

/**
 * The saga of the three patches above under one marker: a new execution records this one patch
 * instead of three (each patch also upserts TemporalChangeVersion, a visibility write), and skips its
 * own upsert of the start's search attributes when the starter already set them. Histories without it
 * take the three patches' branches as before.
 */
export const ONE_MARKER = 'one-marker-v1';
