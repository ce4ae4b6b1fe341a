import { useEffect, useRef, useState } from 'preact/hooks';
import { api, describeError, type Order, type Page, type Product } from '../api.js';
import { session, withToken } from '../session.js';
import { useStore } from '../store.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../ui.js';
import { AdminProduct, CreateProductForm } from './admin-products.js';
import { OrderTable, SignInFirst } from './orders.js';

export function AdminOnly({ children }: { children: preact.ComponentChildren }) {
  const current = useStore(session);
  if (!current) return <SignInFirst what="this page" />;
  if (current.me.role !== 'admin') return <p role="alert">This page is for administrators.</p>;
  return <>{children}</>;
}

export function AdminPage() {
  return (
    <AdminOnly>
      <PageTitle>Admin</PageTitle>
      <CreateProductForm />
      <ProductManager />
      <AllOrders />
    </AdminOnly>
  );
}

function ProductManager() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<Page<Product> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.listProducts({ q: search, limit: 20 }).then(setPage, (e: unknown) => setError(describeError(e)));
  }, [search]);
  return (
    <section aria-labelledby="manage-title">
      <h2 id="manage-title">Products and stock</h2>
      <form
        role="search"
        class="inline"
        aria-label="Find products to manage"
        onSubmit={(e) => (e.preventDefault(), setSearch(q))}
      >
        <Field label="Find products">
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <button type="submit">Find</button>
      </form>
      <ErrorMessage error={error} />
      {!page && !error ? <Loading what="products" /> : null}
      <ul class="manage">
        {page?.items.map((product) => (
          <AdminProduct key={product.id} initial={product} />
        ))}
      </ul>
    </section>
  );
}

const STATUSES = ['', 'PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED'];

function AllOrders() {
  const [status, setStatus] = useState('');
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A page that arrives after the filter changed belongs to the old filter: dropped, not shown under the new one.
  const shown = useRef(status);
  shown.current = status;
  const load = (cursor: string | null) =>
    withToken((token) => api.allOrders(token, { status, cursor })).then(
      (page) => {
        if (shown.current !== status) return;
        setOrders((before) => [...(cursor ? (before ?? []) : []), ...page.items]);
        setNext(page.nextCursor);
        setError(null);
      },
      (e: unknown) => setError(describeError(e)),
    );
  useEffect(() => {
    setOrders(null);
    void load(null);
  }, [status]);
  return (
    <section aria-labelledby="all-orders-title">
      <h2 id="all-orders-title">All orders</h2>
      <Field label="Status filter">
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s || 'Any status'}
            </option>
          ))}
        </select>
      </Field>
      <ErrorMessage error={error} />
      {orders && orders.length === 0 ? <p>No orders{status ? ` with status ${status}` : ''} on this page.</p> : null}
      {orders && orders.length > 0 ? (
        <OrderTable orders={orders} caption="Every customer’s orders, newest first" />
      ) : null}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          Show more orders
        </button>
      ) : null}
    </section>
  );
}
