import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, PROBLEM_CONTENT_TYPE } from '../contracts/problem.js';
import type { FetchApp } from './http-server.js';
import { retryUntilUp } from './retry.js';
import type { Logger } from './logger.js';
import { ProblemError } from './problem.js';

export interface PreparationOptions {
  /** For the log: "preparing the orders database". */
  what: string;
  /** The dependency /readyz names as down until prepared: "postgres". */
  dependency: string;
  /** Start-up work that needs the dependency (migrations, seeding); run again until it succeeds. */
  prepare: () => Promise<void>;
  logger: Logger;
  signal?: AbortSignal;
  retryDelayMs?: number;
}

export interface Preparation {
  prepared(): boolean;
  /** Resolves once prepared; rejects when shutdown stops the retries first. */
  done: Promise<void>;
  /** Until prepared: probes pass through (/readyz says what is down), every other request is 503 problem+json. */
  gate(app: FetchApp): FetchApp;
}

const LIVE_PATHS = new Set(['/healthz', '/metrics']);

/**
 * Start-up work that needs a database, done without dying when the database is down: tried once now
 * (resolving when that try ends), then again in the background until it succeeds, while the process
 * already serves and reports not ready.
 */
export async function startPreparing(options: PreparationOptions): Promise<Preparation> {
  const { logger, dependency } = options;
  let prepared = false;
  const attempt = async () => {
    await options.prepare();
    prepared = true;
  };
  const delayMs = options.retryDelayMs ?? 1_000;
  // One try before serving: ready at once whenever the database is.
  const first = await attempt().then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  let done = Promise.resolve();
  if (first) {
    logger.warn({ err: first.message, retryInMs: delayMs }, `${options.what} failed; serving 503 and retrying`);
    done = sleep(delayMs, undefined, { signal: options.signal }).then(() =>
      retryUntilUp(attempt, { logger, what: options.what, initialDelayMs: delayMs, signal: options.signal }),
    );
    done.then(
      () => logger.info(`${options.what}: done`),
      () => undefined, // aborted by shutdown: stays unprepared
    );
  }
  return { prepared: () => prepared, done, gate: (app) => gateUntil(() => prepared, dependency, app) };
}

/** Answers for the process while `prepared()` is false; the app answers everything once it is true. */
function gateUntil(prepared: () => boolean, dependency: string, app: FetchApp): FetchApp {
  const notReady = (path: string) =>
    path === '/readyz'
      ? new ProblemError(503, ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${dependency} is down`, {
          checks: { [dependency]: 'down' },
          down: [dependency],
        })
      : new ProblemError(
          503,
          ErrorCode.SERVICE_UNAVAILABLE,
          `${dependency} is unavailable; retry`,
          {},
          {
            'Retry-After': '1',
          },
        );
  return {
    fetch(request, bindings) {
      const path = new URL(request.url).pathname;
      if (prepared() || LIVE_PATHS.has(path)) return app.fetch(request, bindings);
      const problem = notReady(path);
      return new Response(JSON.stringify(problem.toProblem()), {
        status: 503,
        headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...problem.headers },
      });
    },
  };
}
