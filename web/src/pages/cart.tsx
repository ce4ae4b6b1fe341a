import { useState } from 'preact/hooks';
import { api, describeError, randomKey } from '../api.js';
import { cart, clearCart, removeFromCart, setQuantity } from '../cart.js';
import { money, PAYMENT_METHODS } from '../format.js';
import { href, navigate } from '../router.js';
import { session, withToken } from '../session.js';
import { useStore } from '../store.js';
import { ErrorMessage, Field, PageTitle } from '../ui.js';

export function CartPage() {
  const lines = useStore(cart);
  const current = useStore(session);
  const [paymentMethod, setPaymentMethod] = useState<string>(PAYMENT_METHODS[0].token);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per checkout attempt: a retried click never places a second order.
  const [idempotencyKey, setIdempotencyKey] = useState(randomKey);
  const total = lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);

  const place = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
      const { body: order } = await withToken((token) =>
        api.placeOrder(token, { items, paymentMethod }, idempotencyKey),
      );
      clearCart();
      setIdempotencyKey(randomKey());
      navigate(`/orders/${encodeURIComponent(order.id)}`);
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <section>
      <PageTitle>Cart</PageTitle>
      {lines.length === 0 ? (
        <p>
          Your cart is empty. <a href={href('/')}>Browse the catalog</a>.
        </p>
      ) : (
        <form onSubmit={(event) => void place(event)} aria-label="Checkout">
          <ul class="lines" aria-label="Cart items">
            {lines.map((line) => (
              <li key={line.productId}>
                <span class="name">{line.name}</span>
                <span>{money(line.priceCents, line.currency)} each</span>
                <Field label={`Quantity of ${line.name}`}>
                  <input
                    type="number"
                    min={1}
                    max={1000}
                    value={line.quantity}
                    onChange={(e) => setQuantity(line.productId, Number(e.currentTarget.value))}
                  />
                </Field>
                <button type="button" class="secondary" onClick={() => removeFromCart(line.productId)}>
                  Remove {line.name}
                </button>
              </li>
            ))}
          </ul>
          <p class="total">
            Estimated total: <strong>{money(total, lines[0]?.currency)}</strong>
            <br />
            <small>The shop prices the order from the catalog when it is placed.</small>
          </p>
          <Field label="Payment method">
            <select value={paymentMethod} onChange={(e) => setPaymentMethod(e.currentTarget.value)}>
              {PAYMENT_METHODS.map((method) => (
                <option key={method.token} value={method.token}>
                  {method.label}
                </option>
              ))}
            </select>
          </Field>
          <ErrorMessage error={error} />
          {current ? (
            <button type="submit" disabled={busy}>
              Place order
            </button>
          ) : (
            <p>
              Signed out: <a href={href('/signin?next=/cart')}>go to the sign-in form</a> to place the order.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
