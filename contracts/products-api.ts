import { z } from 'zod';
import { route } from './api.js';
import { page } from './common.js';
import {
  CreateProductRequest,
  LedgerEntry,
  ListProductsQuery,
  LookupRequest,
  LookupResponse,
  Product,
  Reservation,
  ReserveRequest,
  RestockRequest,
  UpdateProductRequest,
} from './products.js';

const ReservationParams = z.object({ orderId: z.string().min(1).max(128) });
const Ledger = z.object({ items: z.array(LedgerEntry) });

/**
 * Internal HTTP API of services/products (every /v1 route requires the service token).
 * Reservation errors: 409 OUT_OF_STOCK { productId }, 404 PRODUCT_NOT_FOUND { productId },
 * 409 RESERVATION_RELEASED (a reserve arriving after its release holds nothing),
 * 409 RESERVATION_COMMITTED (release after commit), 409 RESERVATION_NOT_HELD (commit without hold).
 * A contended ledger answers 503 SERVICE_UNAVAILABLE with Retry-After, as does an unreachable database.
 * get, create, update and restock answer a strong `ETag` of the product's state (catalog revision + ledger
 * head); get with a matching `If-None-Match` → 304 without body; update and restock with an `If-Match` that
 * names no current state → 412 PRECONDITION_FAILED, nothing changed.
 */
export const productsApi = {
  list: route({ method: 'GET', path: '/v1/products', query: ListProductsQuery, response: page(Product) }),
  create: route({ method: 'POST', path: '/v1/products', body: CreateProductRequest, response: Product, status: 201 }),
  lookup: route({ method: 'POST', path: '/v1/products/lookup', body: LookupRequest, response: LookupResponse }),
  get: route({ method: 'GET', path: '/v1/products/:id', response: Product }),
  update: route({ method: 'PATCH', path: '/v1/products/:id', body: UpdateProductRequest, response: Product }),
  /** A repeat with the same Idempotency-Key adds the stock once. */
  restock: route({
    method: 'POST',
    path: '/v1/products/:id/restock',
    body: RestockRequest,
    response: Product,
    idempotencyKey: 'optional',
  }),
  ledger: route({ method: 'GET', path: '/v1/products/:id/ledger', response: Ledger }),
  reserve: route({
    method: 'PUT',
    path: '/v1/reservations/:orderId',
    params: ReservationParams,
    body: ReserveRequest,
    response: Reservation,
  }),
  release: route({
    method: 'POST',
    path: '/v1/reservations/:orderId/release',
    params: ReservationParams,
    response: Reservation,
  }),
  commit: route({
    method: 'POST',
    path: '/v1/reservations/:orderId/commit',
    params: ReservationParams,
    response: Reservation,
  }),
  getReservation: route({
    method: 'GET',
    path: '/v1/reservations/:orderId',
    params: ReservationParams,
    response: Reservation,
  }),
};
