/** The facts a case records in its audit trail, in the order they happened. */
import type { Actor } from './identity';
import type { SystemActor } from './case/shape';

/** Timers and other workflow-driven moves act as the system, never as a person. */
export const SYSTEM: SystemActor = { accountId: 'system', role: 'system' };

export type CaseEventType =
  | 'whistle.raised'
  | 'duty.acknowledged'
  | 'duty.arrived'
  | 'duty.warned'
  | 'duty.overdue'
  | 'duty.escalated'
  | 'dispatch.warned'
  | 'dispatch.overdue'
  | 'dispatch.escalated'
  | 'case.classified'
  | 'case.progress'
  | 'case.resolved'
  | 'case.verified'
  | 'case.escalated'
  | 'case.evaluated'
  | 'case.closed'
  | 'duty.declined'
  | 'dispute.warned'
  | 'dispute.overdue'
  | 'dispute.escalated'
  | 'dispute.ruled'
  | 'duty.reassigned'
  | 'duty.suspension-requested'
  | 'duty.suspension-decided'
  | 'duty.resumed'
  | 'plan.made'
  | 'step.completed'
  | 'step.warned'
  | 'step.overdue'
  | 'step.escalated'
  | 'case.withdrawn'
  | 'case.merged'
  | 'case.merged-in'
  | 'reinspection.armed'
  | 'reinspection.due'
  | 'reinspection.answered'
  | 'case.reopened'
  | 'case.continued';

export interface CaseEvent {
  caseId: string;
  /** 1, 2, 3 … per case: the position in the hash chain and the idempotency key */
  seq: number;
  type: CaseEventType;
  at: string;
  actor: Actor | SystemActor;
  data: Record<string, unknown>;
}
