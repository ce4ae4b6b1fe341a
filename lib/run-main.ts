import type { z } from 'zod';
import { loadConfigOrExit } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

export type ShutdownStep = () => unknown;

export interface ProcessContext<C> {
  config: C;
  logger: Logger;
  telemetry: Telemetry;
  /** Registers a step for graceful shutdown; steps run last-registered first (like `defer`). */
  onStop: (step: ShutdownStep) => void;
  /** Aborted once shutdown begins: long waits (reconnect loops) give up on it. */
  stopping: AbortSignal;
  /** Logs a fatal error and exits 1: for failures after start-up (e.g. a worker that dies). */
  fail: (error: unknown, message: string) => never;
}

export interface MainOptions<S extends z.ZodType> {
  /** The process name in logs, metrics and traces. */
  name: string;
  config: S;
  /** The process environment; passed by main.ts, the only place that reads it. */
  env: Record<string, string | undefined>;
  /** Hard bound on graceful shutdown; past it the process exits 1. */
  shutdownDeadlineMs?: number;
  /** Builds and serves the process; resolves once it serves. */
  start: (context: ProcessContext<z.infer<S>>) => Promise<void>;
}

/**
 * The life of every process: telemetry → config (or a listed error and exit 1) → start → graceful
 * shutdown on SIGTERM/SIGINT within a deadline. A start-up failure is logged and exits 1.
 */
export async function runMain<S extends z.ZodType>(options: MainOptions<S>): Promise<void> {
  const { name, env } = options;
  const telemetry = await startTelemetry({
    serviceName: name,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  });
  const config = loadConfigOrExit(options.config, env);
  const level = (config as { LOG_LEVEL?: string }).LOG_LEVEL ?? 'info';
  const logger = createLogger(name, level);
  const steps: ShutdownStep[] = [() => telemetry.shutdown()];
  const controller = new AbortController();
  const fail = (error: unknown, message: string): never => {
    logger.fatal({ err: error }, message);
    process.exit(1);
  };
  onShutdown(
    logger,
    () => [...steps].reverse(),
    options.shutdownDeadlineMs,
    () => controller.abort(),
  );
  try {
    await options.start({
      config,
      logger,
      telemetry,
      onStop: (step) => void steps.push(step),
      stopping: controller.signal,
      fail,
    });
  } catch (error) {
    if (controller.signal.aborted) return;
    fail(error, `${name} failed to start`);
  }
}

/**
 * Runs the steps in order on SIGTERM/SIGINT, then exits. A hard deadline guarantees the
 * process never outlives a stop request, even when a step hangs.
 */
function onShutdown(
  logger: Logger,
  steps: ShutdownStep[] | (() => ShutdownStep[]),
  deadlineMs = 10_000,
  beforeSteps?: () => void,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), deadlineMs);
    deadline.unref();
    logger.info({ signal, deadlineMs }, 'shutting down');
    beforeSteps?.();
    void (async () => {
      for (const step of typeof steps === 'function' ? steps() : steps) {
        try {
          await step();
        } catch (error) {
          logger.error({ err: error }, 'shutdown step failed');
        }
      }
      logger.info('stopped');
      process.exit(0);
    })();
  };
  // `on`, not `once`: a second signal (npm and tsx relay Ctrl-C too) must not kill a shutdown under way.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
