import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Order } from '../api.js';
import { dateTime, money } from '../format.js';
import { href } from '../router.js';
import { session, withToken } from '../session.js';
import { useStore } from '../store.js';
import { ErrorMessage, Loading, PageTitle } from '../ui.js';

export function SignInFirst({ what }: { what: string }) {
  return (
    <p>
      {/* Not named "Sign in": the contract's "Sign in" link is the one in the main navigation. */}
      Signed out:{' '}
      <a href={href(`/signin?next=${encodeURIComponent(location.hash.slice(1))}`)}>go to the sign-in form</a> to see{' '}
      {what}.
    </p>
  );
}

/** A table of orders (the caller's own, or every order for the admin view). */
export function OrderTable({ orders, caption }: { orders: Order[]; caption: string }) {
  return (
    <div class="scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            <th scope="col">Status</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td>
                <a href={href(`/orders/${encodeURIComponent(order.id)}`)}>Order {order.id.slice(0, 12)}</a>
              </td>
              <td>{dateTime(order.createdAt)}</td>
              <td>
                <span class={`status status-${order.status.toLowerCase()}`}>{order.status}</span>
              </td>
              <td>{order.totalCents ? money(order.totalCents, order.currency) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OrdersPage() {
  const current = useStore(session);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (cursor: string | null) =>
    withToken((token) => api.listOrders(token, cursor)).then(
      (page) => {
        setOrders((before) => [...(cursor ? (before ?? []) : []), ...page.items]);
        setNext(page.nextCursor);
      },
      (e: unknown) => setError(describeError(e)),
    );
  useEffect(() => {
    if (current) void load(null);
  }, [current?.token]);

  if (!current) return <SignInFirst what="your orders" />;
  return (
    <section>
      <PageTitle>Your orders</PageTitle>
      <ErrorMessage error={error} />
      {!orders && !error ? <Loading what="orders" /> : null}
      {orders && orders.length === 0 ? <p>No orders yet.</p> : null}
      {orders && orders.length > 0 ? <OrderTable orders={orders} caption="Newest first" /> : null}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          Show more orders
        </button>
      ) : null}
    </section>
  );
}
