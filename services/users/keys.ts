import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { PublicJwk } from '../../contracts/users-api.js';

export const JWT_ALG = 'EdDSA' as const;

const PrivateJwk = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1, 'every key needs a kid'),
});
const PrivateJwks = z.array(PrivateJwk).min(1, 'at least one key is required');

export type { PublicJwk };

export interface SigningKeys {
  /** The first key signs; every key is published, so tokens signed by a retired key still verify. */
  signing: { kid: string; key: CryptoKey | Uint8Array };
  publicJwks: PublicJwk[];
}

export interface KeySource {
  /** JSON array of private Ed25519 JWKs (JWT_PRIVATE_KEYS); when absent a dev key is used. */
  privateKeysJson?: string | undefined;
  dataDir: string;
}

export async function loadSigningKeys({ privateKeysJson, dataDir }: KeySource): Promise<SigningKeys> {
  const jwks =
    privateKeysJson === undefined
      ? await loadOrCreateDevKeys(dataDir)
      : parsePrivateJwks(privateKeysJson, 'JWT_PRIVATE_KEYS');
  return fromPrivateJwks(jwks);
}

export function devKeyPath(dataDir: string): string {
  return join(dataDir, 'users', 'jwt-keys.json');
}

function parsePrivateJwks(json: string, source: string): z.infer<typeof PrivateJwks> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const parsed = PrivateJwks.safeParse(raw);
  if (!parsed.success) {
    // Never echo the input: it holds private key material.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${source} must be a JSON array of private Ed25519 JWKs with kid: ${issues.join('; ')}`);
  }
  const kids = parsed.data.map((jwk) => jwk.kid);
  if (new Set(kids).size !== kids.length) throw new Error(`${source} has duplicate kids`);
  return parsed.data;
}

async function fromPrivateJwks(jwks: z.infer<typeof PrivateJwks>): Promise<SigningKeys> {
  const [first] = jwks;
  if (!first) throw new Error('no signing key');
  const key = await importJWK({ ...first, alg: JWT_ALG }, JWT_ALG);
  const publicJwks = jwks.map(({ kty, crv, x, kid }): PublicJwk => ({ kty, crv, x, kid, alg: JWT_ALG, use: 'sig' }));
  return { signing: { kid: first.kid, key }, publicJwks };
}

/** A key generated once and persisted (0600) so tokens survive restarts; concurrent starts agree on one. */
async function loadOrCreateDevKeys(dataDir: string): Promise<z.infer<typeof PrivateJwks>> {
  const path = devKeyPath(dataDir);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return parsePrivateJwks(existing, path);

  await mkdir(join(dataDir, 'users'), { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(JWT_ALG, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const temporary = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify([{ ...jwk, kid }], null, 2), { mode: 0o600 });
  try {
    // link() fails if the file exists: the first writer wins and nobody reads a half-written file.
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  return parsePrivateJwks(await readFile(path, 'utf8'), path);
}
