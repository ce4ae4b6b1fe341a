import type { OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from '../context.js';

/** Serves /openapi.json (3.1), generated once from every route registered on `app` with its schemas. */
export function registerOpenApiDocument(app: OpenAPIHono<GatewayEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'serviceToken', {
    type: 'http',
    scheme: 'bearer',
    description: "The deployment's SERVICE_TOKEN, which only its metrics scraper and its own processes hold",
  });
  let document: unknown;
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'durable-shop API',
        version: '1.0.0',
        description:
          'The public contract of the durable-shop gateway. The shop sells in one currency, USD: a product ' +
          'created with another `currency` is refused (400 VALIDATION_FAILED on `currency`), and every order ' +
          'is priced and charged in USD.',
      },
    });
    return c.json(document);
  });
}
