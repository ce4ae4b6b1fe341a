import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../contracts/canonical-json.js';
import { deriveOrderId, requestHash } from './idempotency.js';

describe('order ids and request hashes', () => {
  it('derives the same id for the same customer and key, a different one otherwise', () => {
    const id = deriveOrderId('u_1', 'key-1');
    expect(id).toMatch(/^ord_[0-9a-f]{26}$/);
    expect(deriveOrderId('u_1', 'key-1')).toBe(id);
    expect(deriveOrderId('u_2', 'key-1')).not.toBe(id);
    expect(deriveOrderId('u_1', 'key-2')).not.toBe(id);
    // The separator keeps ("u_1", "2x") and ("u_12", "x") apart.
    expect(deriveOrderId('u_1', '2x')).not.toBe(deriveOrderId('u_12', 'x'));
  });

  it('makes a random id without a key', () => {
    expect(deriveOrderId('u_1')).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(deriveOrderId('u_1')).not.toBe(deriveOrderId('u_1'));
  });

  it('hashes canonical content: key order and line order do not matter, every value does', () => {
    const base = {
      customerId: 'u_1',
      items: [
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 2 },
      ],
      paymentMethod: 'tok_visa',
    };
    const hash = requestHash(base);
    expect(
      requestHash({
        paymentMethod: 'tok_visa',
        items: [
          { quantity: 2, productId: 'b' },
          { productId: 'a', quantity: 1 },
        ],
        customerId: 'u_1',
      }),
    ).toBe(hash);
    expect(requestHash({ ...base, paymentMethod: 'tok_mastercard' })).not.toBe(hash);
    expect(requestHash({ ...base, customerId: 'u_2' })).not.toBe(hash);
    expect(
      requestHash({
        ...base,
        items: [
          { productId: 'a', quantity: 2 },
          { productId: 'b', quantity: 2 },
        ],
      }),
    ).not.toBe(hash);
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});
