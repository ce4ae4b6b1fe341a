/** Integer cents as money, e.g. 1999 USD → $19.99. */
export function money(cents: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour12: false });
}

export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { hour12: false });
}

const reasons: Record<string, string> = {
  OUT_OF_STOCK: 'Not enough stock was left for one of the items, so nothing was charged.',
  PRODUCT_NOT_FOUND: 'One of the products no longer exists, so nothing was charged.',
  PAYMENT_DECLINED: 'The payment was declined by the card issuer. Nothing was charged; try another card.',
  CUSTOMER_INACTIVE: 'This account is not active, so the order could not be placed.',
};

export function failureText(reason: string | null): string {
  if (!reason) return 'The order could not be completed.';
  return reasons[reason] ?? `The order could not be completed (${reason}).`;
}

/** The simulated provider's test tokens (the contract's list), with readable labels. */
export const PAYMENT_METHODS = [
  { token: 'tok_visa', label: 'Visa (succeeds)' },
  { token: 'tok_mastercard', label: 'Mastercard (succeeds)' },
  { token: 'tok_chargeDeclined', label: 'Card declined (fails)' },
  { token: 'tok_chargeDeclinedInsufficientFunds', label: 'Insufficient funds (fails)' },
] as const;

export const FINAL_STATUSES = new Set(['CONFIRMED', 'FAILED', 'CANCELLED']);
