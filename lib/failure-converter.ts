// Loaded by path (DataConverter.failureConverterPath) in clients, workers and the workflow bundle, so it
// imports nothing a workflow sandbox lacks.
import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces travel as an encoded payload (so the encryption codec covers them),
 * leaving "Encoded failure" in clear: an activity's error may name a customer, an item or a card.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
