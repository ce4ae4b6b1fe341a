import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the worker made for a watched order, named by its Idempotency-Key `<orderId>:<step>`. */
export interface GatedCall {
  step: string;
  requestId: string;
  arrivedAt: number;
  /** Set once the service answered through the proxy. */
  status?: number;
  body?: unknown;
}

/** The calls of one order (found by the product id its first request names), and the steps held for it. */
export interface OrderGate {
  readonly orderId: string | undefined;
  calls(step?: string): GatedCall[];
  /** Steps with a call waiting at the gate. */
  heldSteps(): string[];
  /** Calls forwarded and not yet answered, plus calls held. */
  pending(): number;
  /** Lifts the hold (of `steps`, else of all); those held go on to the service (an operator's action does not stop a call in flight). */
  release(steps?: readonly string[]): void;
  /** Lifts the hold; the held calls never arrive, nor do that run's later attempts of them (the worker died with them). */
  lose(): void;
}

export interface GateProxy {
  urlOf(service: string): string;
  /** Where each service really is; calls wait until this is known. */
  setTargets(targets: Record<string, string>): void;
  watch(productId: string, holdSteps: readonly string[]): OrderGate;
  close(): Promise<void>;
}

interface Held {
  call: GatedCall;
  forward: () => void;
  drop: () => void;
}

class Gate implements OrderGate {
  orderId: string | undefined;
  readonly all: GatedCall[] = [];
  held: Held[] = [];
  inFlight = 0;
  readonly lost = new Set<string>();
  private readonly holding: Set<string>;

  constructor(holdSteps: readonly string[]) {
    this.holding = new Set(holdSteps);
  }

  holds(call: GatedCall): boolean {
    return this.holding.has(call.step);
  }

  calls(step?: string): GatedCall[] {
    return this.all.filter((call) => step === undefined || call.step === step);
  }

  heldSteps(): string[] {
    return [...new Set(this.held.map((held) => held.call.step))];
  }

  pending(): number {
    return this.inFlight + this.held.length;
  }

  release(steps?: readonly string[]): void {
    const released = (step: string) => steps === undefined || steps.includes(step);
    for (const step of [...this.holding]) if (released(step)) this.holding.delete(step);
    const go = this.held.filter((held) => released(held.call.step));
    this.held = this.held.filter((held) => !released(held.call.step));
    for (const held of go) held.forward();
  }

  lose(): void {
    this.holding.clear();
    for (const held of this.held.splice(0)) {
      this.lost.add(`${held.call.step}\n${held.call.requestId}`);
      held.drop();
    }
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * A transparent HTTP proxy between the worker and the services that can hold a chosen step of a chosen
 * order, so a test stops a saga exactly at a step boundary: the step's request is in flight, nothing it
 * does has happened yet, and everything before it has.
 */
export async function startGateProxy(services: readonly string[]): Promise<GateProxy> {
  const agent = new Agent({ keepAlive: true });
  const gates = new Map<string, Gate>(); // by order id
  const unbound = new Map<string, Gate>(); // by product id, until a request binds the order
  let setTargets!: (targets: Record<string, string>) => void;
  const targets = new Promise<Record<string, string>>((resolve) => (setTargets = resolve));

  const gateOf = (orderId: string, body: string): Gate | undefined => {
    const bound = gates.get(orderId);
    if (bound) return bound;
    for (const [productId, gate] of unbound) {
      if (!body.includes(productId)) continue;
      unbound.delete(productId);
      gate.orderId = orderId;
      gates.set(orderId, gate);
      return gate;
    }
    return undefined;
  };

  const handle = async (service: string, req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = new URL((await targets)[service]!);
    const key = String(req.headers['idempotency-key'] ?? '');
    const split = key.lastIndexOf(':');
    const gate = split > 0 ? gateOf(key.slice(0, split), body.toString('utf8')) : undefined;
    const send = (onAnswer?: (status: number, text: string) => void) =>
      forward(agent, target, req, body, res, (status, text) => onAnswer?.(status, text));
    if (!gate) return send();
    const call: GatedCall = {
      step: key.slice(split + 1),
      requestId: String(req.headers['x-request-id'] ?? ''),
      arrivedAt: Date.now(),
    };
    gate.all.push(call);
    if (gate.lost.has(`${call.step}\n${call.requestId}`)) return void req.socket.destroy();
    const go = () => {
      gate.inFlight += 1;
      send((status, text) => {
        gate.inFlight -= 1;
        Object.assign(call, { status, body: parseJson(text) });
      });
    };
    if (gate.holds(call)) gate.held.push({ call, forward: go, drop: () => req.socket.destroy() });
    else go();
  };

  const servers = new Map<string, Server>();
  for (const service of services) {
    const server = createServer((req, res) => void handle(service, req, res).catch(() => req.socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(service, server);
  }
  return {
    urlOf: (service) => `http://127.0.0.1:${(servers.get(service)!.address() as AddressInfo).port}`,
    setTargets,
    watch(productId, holdSteps) {
      const gate = new Gate(holdSteps);
      unbound.set(productId, gate);
      return gate;
    },
    async close() {
      for (const gate of gates.values()) gate.release();
      await Promise.all(
        [...servers.values()].map(
          (s) => new Promise<void>((resolve) => s.close(() => resolve()).closeAllConnections()),
        ),
      );
      agent.destroy();
    },
  };
}

function forward(
  agent: Agent,
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  onAnswer: (status: number, text: string) => void,
): void {
  const headers = { ...req.headers, host: target.host };
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
    (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (part: Buffer) => parts.push(part));
      answer.on('end', () => {
        const payload = Buffer.concat(parts);
        onAnswer(answer.statusCode ?? 502, payload.toString('utf8'));
        const kept = Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name));
        res.writeHead(answer.statusCode ?? 502, { ...Object.fromEntries(kept), 'content-length': payload.length });
        res.end(payload);
      });
    },
  );
  upstream.on('error', (error) => {
    onAnswer(502, '');
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`gate proxy: ${error.message}`);
  });
  upstream.end(body);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
