import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Product } from '../api.js';
import { addToCart } from '../cart.js';
import { money } from '../format.js';
import { href } from '../router.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../ui.js';

export function ProductPage({ id }: { id: string }) {
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    api.getProduct(id).then(
      (r) => setProduct(r.product),
      (e: unknown) => setError(describeError(e)),
    );
  }, [id]);

  if (error) return <ErrorMessage error={error} />;
  if (!product) return <Loading what="the product" />;
  return (
    <section>
      <p>
        <a href={href('/')}>Back to the catalog</a>
      </p>
      <PageTitle>{product.name}</PageTitle>
      <p class="price">{money(product.priceCents, product.currency)}</p>
      <p class="stock">{product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}</p>
      <p class="sku">SKU {product.sku}</p>
      {product.description ? <p>{product.description}</p> : null}
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          addToCart(product, quantity);
          setAnnouncement(`Added ${quantity} × ${product.name} to the cart.`);
        }}
      >
        <Field label="Quantity">
          <input
            type="number"
            min={1}
            max={1000}
            value={quantity}
            onInput={(e) => setQuantity(Math.max(1, Number(e.currentTarget.value) || 1))}
          />
        </Field>
        <button type="submit" disabled={product.stock <= 0}>
          Add to cart
        </button>
      </form>
      <p role="status" class="announce">
        {announcement}
      </p>
    </section>
  );
}
