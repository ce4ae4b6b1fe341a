import {
  createSimulatedProvider,
  PaymentProviderUnavailableError,
  type ChargeOperation,
  type PaymentProvider,
} from '../payment-provider.js';

type Move = 'capture' | 'void' | 'refund';
type ChargeState = 'authorized' | 'captured' | 'voided' | 'refunded';

const moves: Record<Move, { from: ChargeState; to: ChargeState }> = {
  capture: { from: 'authorized', to: 'captured' },
  void: { from: 'authorized', to: 'voided' },
  refund: { from: 'captured', to: 'refunded' },
};

export interface LedgerProvider extends PaymentProvider {
  /** Every call received, replays included. */
  received: { operation: Move; idempotencyKey: string }[];
  /** The money moves actually made, per charge reference. */
  movesOf(reference: string): Move[];
  stateOf(reference: string): ChargeState | undefined;
  /** While true, every call fails as an outage (nothing recorded). */
  down: boolean;
}

/**
 * A payment provider as a real one behaves (Stripe-like): each charge has a state, and a call
 * repeated under the same idempotency key answers the first call's outcome without moving money
 * again; a move the charge's state does not allow is refused.
 */
export function createLedgerProvider(): LedgerProvider {
  const simulated = createSimulatedProvider();
  const states = new Map<string, ChargeState>();
  const made = new Map<string, Move[]>();
  const outcomes = new Map<string, Error | null>();
  const received: LedgerProvider['received'] = [];

  const move = (operation: Move) => async (charge: ChargeOperation) => {
    if (provider.down) throw new PaymentProviderUnavailableError('provider down');
    received.push({ operation, idempotencyKey: charge.idempotencyKey });
    const id = `${operation}|${charge.idempotencyKey}`;
    const replay = outcomes.get(id);
    if (replay !== undefined) {
      if (replay) throw replay;
      return;
    }
    const rule = moves[operation];
    if (states.get(charge.reference) !== rule.from) {
      const refusal = new Error(`cannot ${operation} a ${states.get(charge.reference) ?? 'unknown'} charge`);
      outcomes.set(id, refusal);
      throw refusal;
    }
    states.set(charge.reference, rule.to);
    made.set(charge.reference, [...(made.get(charge.reference) ?? []), operation]);
    outcomes.set(id, null);
  };

  const provider: LedgerProvider = {
    received,
    down: false,
    movesOf: (reference) => made.get(reference) ?? [],
    stateOf: (reference) => states.get(reference),
    async authorize(charge) {
      const outcome = await simulated.authorize(charge);
      if (outcome.approved) states.set(outcome.reference, 'authorized');
      return outcome;
    },
    capture: move('capture'),
    void: move('void'),
    refund: move('refund'),
  };
  return provider;
}
