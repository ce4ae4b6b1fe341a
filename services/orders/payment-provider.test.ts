import { describe, expect, it } from 'vitest';
import { createSimulatedProvider } from './payment-provider.js';

const charge = (paymentMethod: string) => ({
  orderId: 'o',
  amountCents: 100,
  currency: 'USD',
  paymentMethod,
  idempotencyKey: 'k',
});

describe('createSimulatedProvider', () => {
  const provider = createSimulatedProvider();

  it.each(['tok_visa', 'tok_mastercard'])('approves %s with a fresh reference', async (token) => {
    const first = await provider.authorize(charge(token));
    const second = await provider.authorize(charge(token));
    expect(first).toMatchObject({ approved: true, reference: expect.stringMatching(/^sim_/) });
    expect(first).not.toEqual(second);
  });

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['tok_amex_unknown', 'invalid_payment_method'],
    ['', 'invalid_payment_method'],
  ])('declines %j with %s', async (token, declineCode) => {
    expect(await provider.authorize(charge(token))).toEqual({ approved: false, declineCode });
  });
});
