import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Notification, type Order } from '../api.js';
import { temporalWorkflowUrl } from '../config.js';
import { failureText, FINAL_STATUSES, money, time } from '../format.js';
import { followOrder, type Transport } from '../order-stream.js';
import { href } from '../router.js';
import { session, withToken } from '../session.js';
import { useStore } from '../store.js';
import { ErrorMessage, Loading, PageTitle } from '../ui.js';
import { SignInFirst } from './orders.js';
import { useOrderNotification } from './notifications.js';

const PAST_POINT_OF_NO_RETURN = new Set(['capturePayment', 'commitInventory']);

function cancellable(order: Order): boolean {
  return order.status === 'PENDING' && !order.steps.some((step) => PAST_POINT_OF_NO_RETURN.has(step.name));
}

export function OrderPage({ id }: { id: string }) {
  const current = useStore(session);
  const [order, setOrder] = useState<Order | null>(null);
  const [transport, setTransport] = useState<Transport>('stream');
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const token = current?.token;

  useEffect(() => {
    if (!token) return undefined;
    return followOrder({
      token,
      orderId: id,
      onOrder: (next) => {
        setOrder(next);
        setError(null);
      },
      onTransport: setTransport,
      onError: (e) => setError(describeError(e)),
    });
  }, [id, token]);
  const notification = useOrderNotification(order && FINAL_STATUSES.has(order.status) ? order.id : null);

  if (!current) return <SignInFirst what="this order" />;
  if (!order) return error ? <ErrorMessage error={error} /> : <Loading what="the order" />;

  const cancel = async () => {
    setCancelling(true);
    try {
      setOrder(await withToken((t) => api.cancelOrder(t, order.id)));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setCancelling(false);
    }
  };
  const final = FINAL_STATUSES.has(order.status);
  const workflowUrl = temporalWorkflowUrl(order.workflowId);
  return (
    <section>
      <p>
        <a href={href('/orders')}>All your orders</a>
      </p>
      <PageTitle>Order {order.id.slice(0, 12)}</PageTitle>
      <p class="order-status">
        Status:{' '}
        <output aria-label="Order status" aria-live="polite" class={`status status-${order.status.toLowerCase()}`}>
          {order.status}
        </output>
        <small class="transport">
          {final ? '' : transport === 'stream' ? ' · following live' : ' · checking for updates every second'}
        </small>
      </p>
      {order.status === 'FAILED' ? (
        <p role="alert" class="error" aria-label="Failure reason">
          {failureText(order.failureReason)}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      {cancellable(order) ? (
        <button type="button" disabled={cancelling} onClick={() => void cancel()}>
          Cancel order
        </button>
      ) : null}
      <h2 id="steps-title">Progress</h2>
      {order.steps.length === 0 ? <p>Waiting for the first step…</p> : null}
      <ol class="steps" aria-labelledby="steps-title">
        {order.steps.map((step) => (
          <li key={`${step.name}-${step.status}-${step.at}`} class={`step step-${step.status}`}>
            <span class="step-name">{step.name}</span> <span class="step-status">{step.status}</span>{' '}
            <time dateTime={step.at}>{time(step.at)}</time>
          </li>
        ))}
      </ol>
      <h2>Items</h2>
      <ul class="lines">
        {order.items.map((item) => (
          <li key={item.productId}>
            {item.quantity} × {item.name ?? item.productId}
            {item.unitPriceCents != null ? ` at ${money(item.unitPriceCents, order.currency)}` : ''}
          </li>
        ))}
      </ul>
      <p class="total">Total: {order.totalCents != null ? money(order.totalCents, order.currency) : 'being priced'}</p>
      <p>Payment: {order.paymentMethod}</p>
      {notification ? <NotificationNote notification={notification} /> : null}
      {workflowUrl ? (
        <p>
          <a href={workflowUrl} target="_blank" rel="noopener noreferrer">
            Open in Temporal UI
          </a>{' '}
          <small>(workflow {order.workflowId})</small>
        </p>
      ) : null}
    </section>
  );
}

function NotificationNote({ notification }: { notification: Notification }) {
  return (
    <aside aria-label="Notification" class="notice">
      <strong>{notification.subject}</strong>
      <p>{notification.body}</p>
    </aside>
  );
}
