import type { Product } from './api.js';
import { createStore } from './store.js';

export interface CartLine {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
  quantity: number;
}

export const cart = createStore<CartLine[]>([], 'durable-shop.cart');

export function addToCart(product: Product, quantity = 1): void {
  const lines = cart.get();
  const existing = lines.find((line) => line.productId === product.id);
  if (existing) {
    setQuantity(product.id, existing.quantity + quantity);
    return;
  }
  const { id: productId, name, priceCents, currency } = product;
  cart.set([...lines, { productId, name, priceCents, currency, quantity }]);
}

export function setQuantity(productId: string, quantity: number): void {
  const clamped = Math.max(1, Math.min(1000, Math.floor(quantity) || 1));
  cart.set(cart.get().map((line) => (line.productId === productId ? { ...line, quantity: clamped } : line)));
}

export function removeFromCart(productId: string): void {
  cart.set(cart.get().filter((line) => line.productId !== productId));
}

export function clearCart(): void {
  cart.set([]);
}
