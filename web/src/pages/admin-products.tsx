import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError, type Product } from '../api.js';
import { money } from '../format.js';
import { withToken } from '../session.js';
import { ErrorMessage, Field } from '../ui.js';

const toCents = (dollars: string) => Math.round(Number(dollars) * 100);

export function CreateProductForm() {
  const [form, setForm] = useState({ sku: '', name: '', description: '', price: '', stock: '0' });
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState('');
  const edit = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const { sku, name, description } = form;
      const body = { sku, name, priceCents: toCents(form.price), stock: Number(form.stock) };
      const product = await withToken((t) => api.createProduct(t, description ? { ...body, description } : body));
      setCreated(`Created ${product.name} (${product.sku}).`);
      setForm({ sku: '', name: '', description: '', price: '', stock: '0' });
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="create-title" class="panel">
      <h2 id="create-title">New product</h2>
      <Field label="SKU">
        <input required value={form.sku} onInput={edit('sku')} />
      </Field>
      <Field label="Product name">
        <input required value={form.name} onInput={edit('name')} />
      </Field>
      <Field label="Description">
        <textarea value={form.description} onInput={edit('description')} />
      </Field>
      <Field label="Price (USD)">
        <input type="number" required min={0} step="0.01" value={form.price} onInput={edit('price')} />
      </Field>
      <Field label="Initial stock">
        <input type="number" required min={0} step={1} value={form.stock} onInput={edit('stock')} />
      </Field>
      <ErrorMessage error={error} />
      <p role="status">{created}</p>
      <button type="submit">Create product</button>
    </form>
  );
}

/** One product's price and stock controls; the price is saved only if nobody changed the product since it was read. */
export function AdminProduct({ initial }: { initial: Product }) {
  const [product, setProduct] = useState(initial);
  const [etag, setEtag] = useState<string | null>(null);
  const [price, setPrice] = useState((initial.priceCents / 100).toFixed(2));
  const [quantity, setQuantity] = useState('10');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);

  const reload = () =>
    api.getProduct(initial.id).then(
      (r) => (setProduct(r.product), setEtag(r.etag), setPrice((r.product.priceCents / 100).toFixed(2))),
      (e: unknown) => setError(describeError(e)),
    );
  useEffect(() => void reload(), [initial.id]);

  const run = async (action: () => Promise<{ product: Product; etag: string | null }>, done: string) => {
    setError(null);
    setMessage('');
    try {
      const result = await action();
      setProduct(result.product);
      setEtag(result.etag);
      setMessage(done);
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 412;
      setError(conflict ? 'This product was changed by someone else. Reload it and try again.' : describeError(e));
    }
  };
  return (
    <li class="card" aria-labelledby={`m-${product.id}`}>
      <h3 id={`m-${product.id}`}>{product.name}</h3>
      <p>
        SKU {product.sku} · {money(product.priceCents, product.currency)} · {product.stock} in stock
      </p>
      <form
        class="inline"
        aria-label={`Price of ${product.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => withToken((t) => api.updatePrice(t, product.id, toCents(price), etag)), 'Price saved.');
        }}
      >
        <Field label="Price (USD)">
          <input
            type="number"
            min={0}
            step="0.01"
            required
            value={price}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Save price</button>
      </form>
      <form
        class="inline"
        aria-label={`Restock ${product.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => withToken((t) => api.restock(t, product.id, Number(quantity))), `Added ${quantity} to stock.`);
        }}
      >
        <Field label="Quantity to add">
          <input
            type="number"
            min={1}
            max={1000000}
            step={1}
            required
            value={quantity}
            onInput={(e) => setQuantity(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Restock</button>
      </form>
      <ErrorMessage error={error} />
      {error ? (
        <button type="button" class="secondary" onClick={() => void reload().then(() => setError(null))}>
          Reload product
        </button>
      ) : null}
      <p role="status">{message}</p>
    </li>
  );
}
