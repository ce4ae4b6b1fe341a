/** The payment provider could not be reached or failed: retryable, never a decline. */
export class PaymentProviderUnavailableError extends Error {
  constructor(message = 'payment provider unavailable') {
    super(message);
    this.name = 'PaymentProviderUnavailableError';
  }
}

export interface AuthorizeCharge {
  orderId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  /** Forwarded so a real provider can deduplicate retries of a call whose answer was lost. */
  idempotencyKey: string;
}

export type AuthorizeOutcome = { approved: true; reference: string } | { approved: false; declineCode: string };

export interface ChargeOperation {
  reference: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

/** A card processor. Implementations throw PaymentProviderUnavailableError on outages. */
export interface PaymentProvider {
  authorize(charge: AuthorizeCharge): Promise<AuthorizeOutcome>;
  capture(operation: ChargeOperation): Promise<void>;
  void(operation: ChargeOperation): Promise<void>;
  refund(operation: ChargeOperation): Promise<void>;
}

const declines: Record<string, string> = {
  tok_chargeDeclined: 'card_declined',
  tok_chargeDeclinedInsufficientFunds: 'insufficient_funds',
};
const approved = new Set(['tok_visa', 'tok_mastercard']);

/** Follows Stripe's test tokens; any unknown token is an invalid payment method. */
export function createSimulatedProvider(): PaymentProvider {
  return {
    async authorize({ paymentMethod }) {
      if (approved.has(paymentMethod)) return { approved: true, reference: `sim_${crypto.randomUUID()}` };
      return { approved: false, declineCode: declines[paymentMethod] ?? 'invalid_payment_method' };
    },
    async capture() {},
    async void() {},
    async refund() {},
  };
}
