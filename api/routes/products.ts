import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { NotModifiedError } from '../../lib/service-transport.js';
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
import type { ProductsClient, Tagged } from '../upstream.js';

const ETagHeader = z.object({ ETag: z.string().describe('Strong entity tag of this state of the product') });
const tagged = (description: string) => ({ ...json(Product, description), headers: ETagHeader });
const IfNoneMatch = z.object({
  'if-none-match': z.string().max(1024).optional().describe('ETags you hold: 304 when one is current'),
});
const IfMatch = z.object({
  'if-match': z.string().max(1024).optional().describe('Apply only if one of these ETags is current, else 412'),
});

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
  request: { params: IdParams, headers: IfNoneMatch },
  responses: {
    200: tagged('The product'),
    304: { description: 'If-None-Match names the current ETag', headers: ETagHeader },
    ...pick(400, 404, 429, 503),
  },
});
const create = createRoute({
  method: 'post',
  path: '/api/products',
  tags: ['products'],
  summary: 'Add a product (admin)',
  security: bearer,
  request: { body: jsonBody(CreateProductRequest) },
  responses: { 201: tagged('The new product'), ...pick(400, 401, 403, 409, 413, 429, 503) },
});
const update = createRoute({
  method: 'patch',
  path: '/api/products/{id}',
  tags: ['products'],
  summary: 'Change name, description or price (admin)',
  security: bearer,
  request: { params: IdParams, headers: IfMatch, body: jsonBody(UpdateProductRequest) },
  responses: { 200: tagged('The updated product'), ...pick(400, 401, 403, 404, 412, 413, 429, 503) },
});
const restock = createRoute({
  method: 'post',
  path: '/api/products/{id}/restock',
  tags: ['products'],
  summary: 'Add stock (admin)',
  security: bearer,
  request: { params: IdParams, headers: IfMatch, body: jsonBody(RestockRequest) },
  responses: { 200: tagged('The restocked product'), ...pick(400, 401, 403, 404, 412, 413, 429, 503) },
});

export function registerProductRoutes(
  app: OpenAPIHono<GatewayEnv>,
  { products, verifyToken }: ProductRoutesDeps,
): void {
  const adminOnly = authenticate(verifyToken, ['admin']);

  app.openapi(list, async (c) => c.json(await products.list(c.req.valid('query'), c.get('requestId')), 200));
  app.openapi(get, async (c) => {
    const conditions = { ifNoneMatch: c.req.valid('header')['if-none-match'] };
    try {
      return withTag(c, await products.get(c.req.valid('param').id, c.get('requestId'), conditions), 200);
    } catch (error) {
      if (!(error instanceof NotModifiedError)) throw error;
      if (error.etag) c.header('ETag', error.etag);
      return c.body(null, 304);
    }
  });
  app.openapi({ ...create, middleware: adminOnly }, async (c) =>
    withTag(c, await products.create(c.req.valid('json'), c.get('requestId')), 201),
  );
  app.openapi({ ...update, middleware: adminOnly }, async (c) => {
    const conditions = { ifMatch: c.req.valid('header')['if-match'] };
    const id = c.req.valid('param').id;
    return withTag(c, await products.update(id, c.req.valid('json'), c.get('requestId'), conditions), 200);
  });
  app.openapi({ ...restock, middleware: adminOnly }, async (c) => {
    const conditions = { ifMatch: c.req.valid('header')['if-match'] };
    const id = c.req.valid('param').id;
    return withTag(c, await products.restock(id, c.req.valid('json'), c.get('requestId'), conditions), 200);
  });
}

/** The product as JSON with the service's ETag, which names exactly that state. */
function withTag<S extends 200 | 201>(c: Context<GatewayEnv>, { body, etag }: Tagged<Product>, status: S) {
  if (etag) c.header('ETag', etag);
  return c.json(body, status);
}
