/** One answer (or a network error) to one HTTP attempt. */
export interface Attempt {
  /** 'timeout': no answer within 10 s. */
  status: number | 'network' | 'timeout';
  ms: number;
  /** A 5xx's problem+json `code: detail`, which names the dependency that was out (a service, Temporal). */
  code?: string;
}

/** What a customer saw for one Idempotency-Key. */
export interface PlacedOrder {
  customer: number;
  key: string;
  items: { productId: string; quantity: number }[];
  paymentMethod: string;
  /** Every order id the gateway answered for this key (one, unless idempotency broke). */
  orderIds: Set<string>;
  /** The last answer: 200/202 accepted, 422 key reused, 'gave-up' after the retry budget. */
  outcome: number | 'gave-up';
  attempts: Attempt[];
}

export interface CancelRequest {
  orderId: string;
  outcome: number | 'gave-up';
  /** From the first attempt to a decisive answer (200 or 409), retries included. */
  ms: number;
  attempts: Attempt[];
}

export interface Customer {
  token: string;
  id: string;
}

export interface LoadOptions {
  gatewayUrl: string;
  customers: Customer[];
  /** Lines are drawn from these; the scarce one appears in about a third of the orders. */
  products: { plentiful: string[]; scarce: string };
  keepPlacing: () => boolean;
  /** Orders per second all customers together aim at (each waits its share between orders). */
  ordersPerSecond: number;
  cancelShare?: number;
  declineShare?: number;
  /** How long one customer keeps retrying one request (the same key) before giving up. */
  retryBudgetMs?: number;
}

/** A customer gives up a cancel after this long (as in the runs). */
const CANCEL_BUDGET_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

interface Answer {
  status: number;
  body: any;
}

async function gateway(
  baseUrl: string,
  method: string,
  path: string,
  options: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<Answer> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Sends one request until it gets a non-5xx answer, with the same body and headers each time. */
async function withRetries(
  send: () => Promise<Answer>,
  budgetMs: number,
): Promise<{ last?: Answer; attempts: Attempt[] }> {
  const attempts: Attempt[] = [];
  const deadline = Date.now() + budgetMs;
  for (let n = 0; Date.now() < deadline; n += 1) {
    const started = Date.now();
    try {
      const response = await send();
      const problem = response.body as { code?: string; detail?: string } | undefined;
      const code = response.status >= 500 && problem?.code ? `${problem.code}: ${problem.detail ?? '?'}` : undefined;
      attempts.push({ status: response.status, ms: Date.now() - started, ...(code ? { code } : {}) });
      if (response.status < 500) return { last: response, attempts };
    } catch (error) {
      attempts.push({
        status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network',
        ms: Date.now() - started,
      });
    }
    await sleep(Math.min(200 * 2 ** n, 2000));
  }
  return { attempts };
}

/**
 * Customers placing orders continuously (declined cards, a product that runs out), retrying on
 * network errors and 5xx with the same Idempotency-Key, and cancelling some orders (alongside, not blocking).
 */
export function startCustomers(options: LoadOptions): {
  placed: PlacedOrder[];
  cancels: CancelRequest[];
  done: Promise<void>;
} {
  const { gatewayUrl, products } = options;
  const budget = options.retryBudgetMs ?? 60_000;
  const paceMs = (1000 * options.customers.length) / options.ordersPerSecond;
  const placed: PlacedOrder[] = [];
  const cancels: CancelRequest[] = [];

  async function cancel(customer: Customer, orderId: string): Promise<void> {
    await sleep(Math.random() * 1500);
    const started = Date.now();
    const { last, attempts } = await withRetries(
      () => gateway(gatewayUrl, 'POST', `/api/orders/${orderId}/cancel`, { token: customer.token }),
      CANCEL_BUDGET_MS,
    );
    cancels.push({ orderId, outcome: last?.status ?? 'gave-up', ms: Date.now() - started, attempts });
  }

  async function shop(customer: Customer, index: number): Promise<void> {
    await sleep(Math.random() * paceMs);
    for (let n = 0; options.keepPlacing(); n += 1) {
      const started = Date.now();
      const lines = [{ productId: pick(products.plentiful), quantity: 1 + Math.floor(Math.random() * 3) }];
      if (Math.random() < 1 / 3) lines.push({ productId: products.scarce, quantity: 1 });
      const paymentMethod = Math.random() < (options.declineShare ?? 0.15) ? 'tok_chargeDeclined' : 'tok_visa';
      const order: PlacedOrder = {
        customer: index,
        key: `chaos-${index}-${n}`,
        items: lines,
        paymentMethod,
        orderIds: new Set(),
        outcome: 'gave-up',
        attempts: [],
      };
      placed.push(order);
      const { last, attempts } = await withRetries(async () => {
        const response = await gateway(gatewayUrl, 'POST', '/api/orders', {
          token: customer.token,
          body: { items: lines, paymentMethod },
          headers: { 'idempotency-key': order.key },
        });
        if (response.status === 200 || response.status === 202) order.orderIds.add(response.body.id);
        return response;
      }, budget);
      order.attempts = attempts;
      order.outcome = last?.status ?? 'gave-up';
      const orderId = [...order.orderIds][0];
      if (orderId && Math.random() < (options.cancelShare ?? 0.15)) cancelling.push(cancel(customer, orderId));
      await sleep(paceMs * (0.5 + Math.random()) - (Date.now() - started));
    }
  }

  const cancelling: Promise<void>[] = [];
  const done = Promise.all(options.customers.map((customer, index) => shop(customer, index)))
    .then(() => Promise.all(cancelling))
    .then(() => undefined);
  return { placed, cancels, done };
}
