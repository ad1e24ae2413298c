/**
 * Long cases start a fresh history, carrying the state, the chain position and the courier's
 * position on, once no action is half-way and every event is recorded and handed on.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import type { Courier } from './courier';
import type { LiveCase } from './live-case';
import type { WhistleCaseInput, WhistleCaseWorkflow } from './input';

/** Temporal suggests it, or the history reached the input's limit (tests set a small one). */
export function historyFull(limit: number | undefined): boolean {
  return workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength >= limit);
}

export async function continueWithFreshHistory(
  input: WhistleCaseInput,
  live: LiveCase,
  courier: Courier | undefined,
): Promise<never> {
  const { runId, historyLength } = workflowInfo();
  live.record({ type: 'case.continued', data: { runId, historyLength } }, new Date());
  // nothing half-way: every event recorded and handed on, no action running
  await condition(() => live.journal.idle() && (courier?.idle() ?? true) && allHandlersFinished());
  const position = {
    ...live.journal.position(),
    ...(courier ? { notifyFrom: courier.position() } : {}),
    // the next run keeps the workflow's own hash of every event, so verification can still name the first bad one
    ...(patched('carry-chain-witness') ? { witness: live.journal.witnessToCarry() } : {}),
  };
  return continueAsNew<WhistleCaseWorkflow>({ ...input, carried: { state: live.state, journal: position } });
}
