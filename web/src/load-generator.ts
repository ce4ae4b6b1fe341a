import { api, ApiError, randomKey } from './api.js';
import { createStore } from './store.js';

export const LIMITS = { maxRate: 10, maxSeconds: 300, maxInFlight: 20 } as const;

export interface LoadSettings {
  ordersPerSecond: number;
  seconds: number;
  /** Percentages; the rest succeed. */
  declinedPercent: number;
  outOfStockPercent: number;
}

export interface LoadState {
  running: boolean;
  phase: string;
  placed: number;
  rejected: number;
  skipped: number;
  lastError: string | null;
}

export const loadState = createStore<LoadState>({
  running: false,
  phase: 'Idle',
  placed: 0,
  rejected: 0,
  skipped: 0,
  lastError: null,
});
let stopCurrent: (() => void) | null = null;

const update = (patch: Partial<LoadState>) => loadState.set({ ...loadState.get(), ...patch });
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(value) || min));

/**
 * Places real orders through the public API from this browser: a few throwaway customers (each within
 * the per-customer order limit), a stocked product and a sold-out one, at a bounded rate for a bounded time.
 */
export async function startLoad(adminToken: string, settings: LoadSettings): Promise<void> {
  if (loadState.get().running) return;
  const rate = clamp(settings.ordersPerSecond, 1, LIMITS.maxRate);
  const seconds = clamp(settings.seconds, 1, LIMITS.maxSeconds);
  let stopped = false;
  stopCurrent = () => (stopped = true);
  update({ running: true, phase: 'Preparing customers and products', placed: 0, rejected: 0, skipped: 0 });
  try {
    const run = randomKey().slice(0, 8);
    const [stocked, soldOut] = await Promise.all([
      api.createProduct(adminToken, {
        sku: `LOAD-${run}`,
        name: `Load test item ${run}`,
        priceCents: 500,
        stock: 1_000_000,
      }),
      api.createProduct(adminToken, {
        sku: `LOAD-${run}-EMPTY`,
        name: `Load test sold out ${run}`,
        priceCents: 500,
        stock: 0,
      }),
    ]);
    const tokens = await Promise.all(
      Array.from({ length: rate }, async (_, i) => {
        const email = `load-${run}-${i}@example.com`;
        await api.register({ email, password: `load-${run}-password`, name: `Load ${i}` });
        return (await api.login({ email, password: `load-${run}-password` })).accessToken;
      }),
    );
    if (stopped) return;
    update({ phase: `Placing ${rate} orders per second for ${seconds} s` });
    const total = rate * seconds;
    let inFlight = 0;
    for (let i = 0; i < total && !stopped; i++) {
      if (inFlight >= LIMITS.maxInFlight) update({ skipped: loadState.get().skipped + 1 });
      else {
        inFlight++;
        void placeOne(tokens[i % tokens.length]!, settings, stocked.id, soldOut.id).finally(() => inFlight--);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
    }
  } catch (error) {
    update({ lastError: error instanceof Error ? error.message : String(error) });
  } finally {
    update({ running: false, phase: stopped ? 'Stopped' : 'Finished' });
    stopCurrent = null;
  }
}

async function placeOne(token: string, settings: LoadSettings, stockedId: string, soldOutId: string) {
  const roll = Math.random() * 100;
  const outOfStock = roll < settings.outOfStockPercent;
  const declined = !outOfStock && roll < settings.outOfStockPercent + settings.declinedPercent;
  try {
    await api.placeOrder(
      token,
      {
        items: [{ productId: outOfStock ? soldOutId : stockedId, quantity: 1 }],
        paymentMethod: declined ? 'tok_chargeDeclined' : 'tok_visa',
      },
      randomKey(),
    );
    update({ placed: loadState.get().placed + 1 });
  } catch (error) {
    update({
      rejected: loadState.get().rejected + 1,
      lastError: error instanceof ApiError ? `${error.status} ${error.code}` : String(error),
    });
  }
}

export function stopLoad(): void {
  stopCurrent?.();
}
