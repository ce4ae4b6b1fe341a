import { CancellationScope } from '@temporalio/workflow';
import type { OrderState, StepStatus } from './order-state.js';

/** Undo action of one step; resolves with how it ended ('compensated', or 'skipped' when there was nothing to undo). */
export type Compensation = () => Promise<Extract<StepStatus, 'compensated' | 'skipped'>>;

/** Compensations, registered before their step runs and run last-in first-out. */
export class Compensations {
  private readonly stack: { name: string; undo: Compensation }[] = [];

  register(name: string, undo: Compensation): void {
    this.stack.push({ name, undo });
  }

  /** Runs every compensation even if the workflow is being cancelled; failures are retried, never swallowed. */
  async run(order: OrderState): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      for (const { name, undo } of [...this.stack].reverse()) {
        order.mark(name, 'started');
        order.mark(name, await undo());
      }
    });
    this.stack.length = 0;
  }
}
