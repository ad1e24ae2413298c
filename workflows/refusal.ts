import { ApplicationFailure } from '@temporalio/workflow';
import { REFUSED } from './messages';
import type { Refusal } from '../domain/case/refusal';

/** Update validators reject by throwing: the Update is never admitted to history, nothing changes. */
export function throwIfRefused(refusal: Refusal | undefined): void {
  if (refusal) {
    throw ApplicationFailure.create({ type: REFUSED, message: refusal.reason, details: [refusal], nonRetryable: true });
  }
}
