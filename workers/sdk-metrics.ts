import { Runtime } from '@temporalio/worker';

/**
 * Serves the Temporal SDK's own worker metrics (task slots, schedule-to-start latency, sticky cache,
 * polls) in Prometheus format on `bindAddress` under `/metrics`, with `_total` counters and durations
 * in seconds like the rest of the system. Must run before the first connection is made.
 */
export function installSdkMetrics(bindAddress: string): void {
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
      },
    },
  });
}
