import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { ErrorCode } from '../../contracts/problem.js';
import { ProblemError } from '../../lib/problem.js';
import type { GatewayEnv } from '../context.js';
import { codecAuth, type CodecAuthOptions } from '../middleware/codec-auth.js';
import { bearer, json, jsonBody, pick, ProblemSchema } from '../openapi/schemas.js';

/** Temporal's remote codec protocol: protobuf JSON of Payloads, bytes in base64. */
const JsonPayload = z.object({
  metadata: z.record(z.string(), z.base64()).optional(),
  data: z.base64().optional(),
});
const JsonPayloads = z.object({ payloads: z.array(JsonPayload).max(10_000) });
type JsonPayload = z.infer<typeof JsonPayload>;

const fromJson = ({ metadata = {}, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: data === undefined ? undefined : Buffer.from(data, 'base64'),
});
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, base64(v ?? new Uint8Array())])),
  ...(data ? { data: base64(data) } : {}),
});

const codecRoute = (action: 'encode' | 'decode') =>
  createRoute({
    method: 'post',
    path: `/codec/${action}`,
    tags: ['codec'],
    summary: `Temporal remote codec: ${action} payloads (admin or service credential; for the Web UI and the CLI)`,
    security: bearer,
    request: { body: jsonBody(JsonPayloads) },
    responses: {
      200: json(JsonPayloads, `The ${action}d payloads, in order`),
      ...pick(400, 401, 403, 413),
      422: {
        description: 'PAYLOAD_UNDECODABLE: an unknown key id, or a payload that fails authentication',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    },
  });

export interface CodecRoutesDeps extends CodecAuthOptions {
  codec: PayloadCodec;
}

/** POST /codec/encode and /codec/decode, the codec server the Temporal Web UI and `temporal --codec-endpoint` call. */
export function registerCodecRoutes(app: OpenAPIHono<GatewayEnv>, deps: CodecRoutesDeps): void {
  const middleware = codecAuth(deps);
  for (const action of ['encode', 'decode'] as const) {
    app.openapi({ ...codecRoute(action), middleware }, async (c) => {
      const { payloads } = c.req.valid('json');
      try {
        const done = await deps.codec[action](payloads.map(fromJson));
        return c.json({ payloads: done.map(toJson) }, 200);
      } catch (error) {
        if (error instanceof ValueError) throw new ProblemError(422, ErrorCode.PAYLOAD_UNDECODABLE, error.message);
        throw error;
      }
    });
  }
}
