import { BrokenCircuitError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { createServiceTransport, ServiceRejectedError, ServiceUnavailableError } from '../lib/service-transport.js';
import { toGatewayProblem } from './errors.js';
import { createOrdersClient, createUsersClient, defaultBreaker, withBreaker } from './upstream.js';

const log = createLogger('test', 'silent');

describe('upstream resilience and error mapping', () => {
  it('opens the circuit after repeated outages, then fails fast without calling the service', async () => {
    let calls = 0;
    const fetchDown: typeof fetch = async () => {
      calls++;
      throw new TypeError('connect ECONNREFUSED');
    };
    const users = createUsersClient(
      withBreaker(
        createServiceTransport({ service: 'users', baseUrl: 'http://users.invalid', token: 't', fetch: fetchDown }),
      ),
    );
    for (let i = 0; i < 5; i++) await expect(users.get('u_1', 'r')).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(users.get('u_1', 'r')).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(calls).toBe(5);
    expect(toGatewayProblem(new BrokenCircuitError(), log)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('names the service when its circuit is open, so the 503 says which dependency is out', async () => {
    const fetchDown: typeof fetch = async () => {
      throw new TypeError('connect ECONNREFUSED');
    };
    const transport = createServiceTransport({
      service: 'orders',
      baseUrl: 'http://o.invalid',
      token: 't',
      fetch: fetchDown,
    });
    const orders = createOrdersClient(withBreaker(transport, defaultBreaker(), 'orders'));
    for (let i = 0; i < 5; i++) await orders.get('o_1', 'r').catch(() => undefined);
    const open = await orders.get('o_1', 'r').catch((error: unknown) => error);
    expect(open).toBeInstanceOf(ServiceUnavailableError);
    expect(toGatewayProblem(open, log)).toMatchObject({
      status: 503,
      message: expect.stringMatching(/^orders is unavailable/),
    });
  });

  it('business refusals do not open the circuit', async () => {
    let calls = 0;
    const fetchRefuse: typeof fetch = async () => {
      calls++;
      return new Response(
        JSON.stringify({ type: 't', title: 'Conflict', status: 409, detail: 'taken', code: 'EMAIL_TAKEN' }),
        { status: 409 },
      );
    };
    const users = createUsersClient(
      withBreaker(
        createServiceTransport({ service: 'users', baseUrl: 'http://users.invalid', token: 't', fetch: fetchRefuse }),
      ),
    );
    for (let i = 0; i < 8; i++)
      await expect(users.register({ email: 'a@b.co', password: 'password-1', name: 'A' }, 'r')).rejects.toBeInstanceOf(
        ServiceRejectedError,
      );
    expect(calls).toBe(8);
  });

  it('keeps a refusal’s status, code and extensions, but hides a refused service credential behind a 503', () => {
    const refused = new ServiceRejectedError('products', 400, {
      type: 'x',
      title: 'Bad Request',
      status: 400,
      detail: 'bad',
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'sku', message: 'm' }],
    });
    expect(toGatewayProblem(refused, log)?.toProblem()).toEqual({
      type: 'urn:durable-shop:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'bad',
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'sku', message: 'm' }],
    });
    const credential = new ServiceRejectedError('users', 401, {
      type: 'x',
      title: 'Unauthorized',
      status: 401,
      detail: 'no',
      code: 'UNAUTHORIZED',
    });
    expect(toGatewayProblem(credential, log)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    const login = new ServiceRejectedError('users', 401, {
      type: 'x',
      title: 'Unauthorized',
      status: 401,
      detail: 'no',
      code: 'INVALID_CREDENTIALS',
    });
    expect(toGatewayProblem(login, log)).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
  });
});
