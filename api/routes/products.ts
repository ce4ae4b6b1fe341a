import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { page } from '../../contracts/common.js';
import {
  CreateProductRequest,
  ListProductsQuery,
  Product,
  RestockRequest,
  UpdateProductRequest,
} from '../../contracts/products.js';
import { authenticate, type VerifyToken } from '../middleware/auth.js';
import type { GatewayEnv } from '../context.js';
import { bearer, IdParams, json, jsonBody, pick } from '../openapi/schemas.js';
import type { ProductsClient } from '../upstream.js';

export interface ProductRoutesDeps {
  products: ProductsClient;
  verifyToken: VerifyToken;
}

const list = createRoute({
  method: 'get',
  path: '/api/products',
  tags: ['products'],
  summary: 'Browse the catalog',
  request: { query: ListProductsQuery },
  responses: { 200: json(page(Product), 'A page of products'), ...pick(400, 429, 503) },
});
const get = createRoute({
  method: 'get',
  path: '/api/products/{id}',
  tags: ['products'],
  summary: 'One product',
  request: { params: IdParams },
  responses: { 200: json(Product, 'The product'), ...pick(400, 404, 429, 503) },
});
const create = createRoute({
  method: 'post',
  path: '/api/products',
  tags: ['products'],
  summary: 'Add a product (admin)',
  security: bearer,
  request: { body: jsonBody(CreateProductRequest) },
  responses: { 201: json(Product, 'The new product'), ...pick(400, 401, 403, 409, 413, 429, 503) },
});
const update = createRoute({
  method: 'patch',
  path: '/api/products/{id}',
  tags: ['products'],
  summary: 'Change name, description or price (admin)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(UpdateProductRequest) },
  responses: { 200: json(Product, 'The updated product'), ...pick(400, 401, 403, 404, 413, 429, 503) },
});
const restock = createRoute({
  method: 'post',
  path: '/api/products/{id}/restock',
  tags: ['products'],
  summary: 'Add stock (admin)',
  security: bearer,
  request: { params: IdParams, body: jsonBody(RestockRequest) },
  responses: { 200: json(Product, 'The restocked product'), ...pick(400, 401, 403, 404, 413, 429, 503) },
});

export function registerProductRoutes(
  app: OpenAPIHono<GatewayEnv>,
  { products, verifyToken }: ProductRoutesDeps,
): void {
  const adminOnly = authenticate(verifyToken, ['admin']);

  app.openapi(list, async (c) => c.json(await products.list(c.req.valid('query'), c.get('requestId')), 200));
  app.openapi(get, async (c) => c.json(await products.get(c.req.valid('param').id, c.get('requestId')), 200));
  app.openapi({ ...create, middleware: adminOnly }, async (c) =>
    c.json(await products.create(c.req.valid('json'), c.get('requestId')), 201),
  );
  app.openapi({ ...update, middleware: adminOnly }, async (c) =>
    c.json(await products.update(c.req.valid('param').id, c.req.valid('json'), c.get('requestId')), 200),
  );
  app.openapi({ ...restock, middleware: adminOnly }, async (c) =>
    c.json(await products.restock(c.req.valid('param').id, c.req.valid('json'), c.get('requestId')), 200),
  );
}
