import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError, type Notification } from '../api.js';
import { dateTime } from '../format.js';
import { href } from '../router.js';
import { session, withToken } from '../session.js';
import { useStore } from '../store.js';
import { ErrorMessage, Loading, PageTitle } from '../ui.js';
import { SignInFirst } from './orders.js';

/** 404 or 405 on the route itself: this gateway has no notifications yet. */
const unavailable = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 405);

/** The notification of a final order, looked for a few times (it arrives within seconds). */
export function useOrderNotification(orderId: string | null): Notification | null {
  const [found, setFound] = useState<Notification | null>(null);
  useEffect(() => {
    if (!orderId) return undefined;
    let stopped = false;
    void (async () => {
      for (let attempt = 0; attempt < 12 && !stopped; attempt++) {
        try {
          const page = await withToken((token) => api.notifications(token));
          const match = page.items.find((n) => n.orderId === orderId);
          if (match) return void (stopped || setFound(match));
        } catch (error) {
          if (unavailable(error) || (error instanceof ApiError && error.status === 401)) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [orderId]);
  return found;
}

export function NotificationsPage() {
  const current = useStore(session);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'unavailable'>('loading');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!current) return;
    withToken((token) => api.notifications(token)).then(
      (page) => (setItems(page.items), setState('ready')),
      (e: unknown) => (unavailable(e) ? setState('unavailable') : setError(describeError(e))),
    );
  }, [current?.token]);

  if (!current) return <SignInFirst what="your notifications" />;
  return (
    <section>
      <PageTitle>Notifications</PageTitle>
      <ErrorMessage error={error} />
      {state === 'loading' && !error ? <Loading what="notifications" /> : null}
      {state === 'unavailable' ? (
        <p>Notifications are not available on this server yet. Your orders page shows every order’s status.</p>
      ) : null}
      {items && items.length === 0 ? <p>No notifications yet.</p> : null}
      {items && items.length > 0 ? (
        <ul class="notices" aria-label="Notifications">
          {items.map((n) => (
            <li key={n.id} class="notice">
              <strong>{n.subject}</strong> <small>{dateTime(n.createdAt)}</small>
              <p>{n.body}</p>
              <a href={href(`/orders/${encodeURIComponent(n.orderId)}`)}>View the order</a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
