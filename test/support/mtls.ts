import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  caCert: string;
  server: { cert: string; key: string; name: string };
  client: { cert: string; key: string; name: string };
}

/** A throwaway CA with one server and one client certificate (P-256, one day), written to `dir` by openssl. */
export async function createTestPki(dir: string, serverName = 'temporal.internal'): Promise<TestPki> {
  const path = (name: string) => join(dir, name);
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '1', '-subj', '/CN=durable-shop test CA'],
  ]);
  const issue = async (name: string, subject: string, extensions: string) => {
    await writeFile(path(`${name}.ext`), extensions);
    await run('openssl', [
      ...['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', path(`${name}.key`), '-out', path(`${name}.csr`), '-subj', `/CN=${subject}`],
    ]);
    await run('openssl', [
      ...['x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.crt'), '-CAkey', path('ca.key')],
      ...['-CAcreateserial', '-days', '1', '-out', path(`${name}.crt`), '-extfile', path(`${name}.ext`)],
    ]);
    return { cert: path(`${name}.crt`), key: path(`${name}.key`), name: subject };
  };
  const server = await issue(
    'server',
    serverName,
    `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  const client = await issue(
    'client',
    'durable-shop-client',
    'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n',
  );
  return { caCert: path('ca.crt'), server, client };
}

export interface MtlsProxy {
  address: string;
  /** Subject CNs of the client certificates accepted so far, one per connection. */
  accepted: string[];
  /** Handshakes refused (no certificate, or one the CA did not sign). */
  refused: number;
  close(): Promise<void>;
}

/** Terminates TLS (HTTP/2 by ALPN), demands a client certificate signed by the test CA, pipes to `target`. */
export async function startMtlsProxy(pki: TestPki, target: string): Promise<MtlsProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const [key, cert, ca] = await Promise.all([pki.server.key, pki.server.cert, pki.caCert].map((p) => readFile(p)));
  const proxy: Omit<MtlsProxy, 'address' | 'close'> = { accepted: [], refused: 0 };
  const sockets = new Set<{ destroy(): void }>();
  const server = createServer(
    { key, cert, ca, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      proxy.accepted.push(String(socket.getPeerCertificate().subject?.CN));
      const upstream = connect(port, host);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          sockets.delete(s);
          socket.destroy();
          upstream.destroy();
        });
      }
      socket.pipe(upstream).pipe(socket);
    },
  );
  server.on('tlsClientError', () => proxy.refused++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return Object.assign(proxy, { address, close });
}
