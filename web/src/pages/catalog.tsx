import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Page, type Product } from '../api.js';
import { addToCart } from '../cart.js';
import { money } from '../format.js';
import { href, navigate, queryParam } from '../router.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../ui.js';

export function CatalogPage({ path }: { path: string }) {
  const q = queryParam(path, 'q') ?? '';
  const [search, setSearch] = useState(q);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<Product> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    setPage(null);
    setError(null);
    api.listProducts({ q, cursor }).then(setPage, (e: unknown) => setError(describeError(e)));
  }, [q, cursor]);

  const add = (product: Product) => {
    addToCart(product);
    setAnnouncement(`Added ${product.name} to the cart.`);
  };

  return (
    <section>
      <PageTitle>Catalog</PageTitle>
      <form
        role="search"
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(search ? `/?q=${encodeURIComponent(search)}` : '/');
        }}
      >
        <Field label="Search products">
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
        <button type="submit">Search</button>
      </form>
      <p role="status" class="announce">
        {announcement}
      </p>
      <ErrorMessage error={error} />
      {!page && !error ? <Loading what="products" /> : null}
      {page && page.items.length === 0 ? <p>No products match{q ? ` “${q}”` : ''}.</p> : null}
      {page ? (
        <ul class="grid" aria-label="Products">
          {page.items.map((product) => (
            <li key={product.id} class="card" aria-labelledby={`p-${product.id}`}>
              <h2 id={`p-${product.id}`}>
                <a href={href(`/products/${encodeURIComponent(product.id)}`)}>{product.name}</a>
              </h2>
              <p class="price">{money(product.priceCents, product.currency)}</p>
              <p class="stock">{product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}</p>
              <button
                type="button"
                disabled={product.stock <= 0}
                aria-describedby={`p-${product.id}`}
                onClick={() => add(product)}
              >
                Add to cart
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <nav aria-label="Pages" class="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Next page
        </button>
      </nav>
    </section>
  );
}
