import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { devKeyPath, loadSigningKeys } from './keys.js';
import { createTokenIssuer } from './tokens.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'users-keys-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const privateJwk = async (kid: string) => ({
  ...(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey)),
  kid,
});
const issuerFor = (keys: Awaited<ReturnType<typeof loadSigningKeys>>) =>
  createTokenIssuer({ keys, issuer: 'iss', audience: 'aud', ttlSeconds: 60 });

describe('signing keys', () => {
  it('generates a dev key once, persists it with mode 0600 and reuses it on restart', async () => {
    const dataDir = await tempDir();
    const first = await loadSigningKeys({ dataDir });
    const path = devKeyPath(dataDir);
    expect(path).toBe(join(dataDir, 'users', 'jwt-keys.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = await loadSigningKeys({ dataDir });
    expect(second.signing.kid).toBe(first.signing.kid);
    expect(second.publicJwks).toEqual(first.publicJwks);
    // A token signed before the restart verifies against the keys published after it.
    const { accessToken } = await issuerFor(first).issue({ sub: 'u1', role: 'customer' });
    await expect(jwtVerify(accessToken, createLocalJWKSet({ keys: second.publicJwks }))).resolves.toBeDefined();
  });

  it('agrees on one dev key when several processes start at once', async () => {
    const dataDir = await tempDir();
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadSigningKeys({ dataDir })));
    expect(new Set(loaded.map((keys) => keys.signing.kid)).size).toBe(1);
    const stored = JSON.parse(await readFile(devKeyPath(dataDir), 'utf8')) as { kid: string }[];
    expect(stored.map((jwk) => jwk.kid)).toEqual([loaded[0]!.signing.kid]);
  });

  it('signs with the first configured key and publishes all of them (rotation)', async () => {
    const [current, previous] = [await privateJwk('2025-02'), await privateJwk('2025-01')];
    const rotated = await loadSigningKeys({
      privateKeysJson: JSON.stringify([current, previous]),
      dataDir: await tempDir(),
    });
    expect(rotated.signing.kid).toBe('2025-02');
    expect(rotated.publicJwks.map((jwk) => jwk.kid)).toEqual(['2025-02', '2025-01']);
    for (const jwk of rotated.publicJwks)
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    const beforeRotation = await loadSigningKeys({
      privateKeysJson: JSON.stringify([previous]),
      dataDir: await tempDir(),
    });
    const { accessToken } = await issuerFor(beforeRotation).issue({ sub: 'u1', role: 'admin' });
    const { protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet({ keys: rotated.publicJwks }));
    expect(protectedHeader.kid).toBe('2025-01');
  });

  it('does not touch the data dir when keys are configured', async () => {
    const dataDir = await tempDir();
    await loadSigningKeys({ privateKeysJson: JSON.stringify([await privateJwk('k1')]), dataDir });
    await expect(stat(devKeyPath(dataDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['an empty array', '[]', /at least one key/],
    ['a key without kid', 'NO_KID', /kid/],
    ['duplicate kids', 'DUPLICATE', /duplicate kids/],
    ['a public key only', 'PUBLIC', /d:/],
  ])('rejects %s without echoing key material', async (_label, input, message) => {
    const jwk = await privateJwk('k1');
    const json =
      input === 'NO_KID'
        ? JSON.stringify([{ ...jwk, kid: undefined }])
        : input === 'DUPLICATE'
          ? JSON.stringify([jwk, jwk])
          : input === 'PUBLIC'
            ? JSON.stringify([{ ...jwk, d: undefined }])
            : input;
    const error = await loadSigningKeys({ privateKeysJson: json, dataDir: await tempDir() }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(jwk.d!);
  });
});
