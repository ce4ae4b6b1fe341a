import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/processes.js';

const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

export interface PrivatePostgres {
  /** The `postgres` database of this instance (trust auth, user postgres). */
  url: string;
  port: number;
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate` by default: every backend is killed at once, as a crash or an abrupt restart would. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root (initdb and postgres refuse root). */
function asPostgres(tool: string, args: string[]): [string, string[]] {
  const command = join(BIN, tool);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * A throwaway PostgreSQL server of our own on a free port, to stop and start at will: outage tests must
 * never touch the machine's server on 5432, which other runs share. Stopped on every exit path.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'durable-shop-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const pgCtl = (args: string[]) => asPostgres('pg_ctl', ['-D', data, ...args]);
  await run(...asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']));
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const stopNow = () => {
    try {
      execFileSync(...pgCtl(['stop', '-m', 'immediate', '-w']), { stdio: 'ignore' });
    } catch {
      // not running
    }
  };
  const cleanUp = () => {
    stopNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  let running = false;
  const instance: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: async () => {
      if (running) return;
      await run(...pgCtl(['start', '-w', '-l', join(dir, 'log'), '-o', options]));
      running = true;
    },
    stop: async (mode = 'immediate') => {
      if (!running) return;
      await run(...pgCtl(['stop', '-m', mode, '-w']));
      running = false;
    },
    destroy: async () => {
      running = false;
      process.removeListener('exit', cleanUp);
      cleanUp();
    },
  };
  await instance.start();
  return instance;
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}
