/** The facts a case records in its audit trail, in the order they happened. */
import type { Actor } from './identity';
import type { SystemActor, WhistleCase } from './case/shape';

/** Timers and other workflow-driven moves act as the system, never as a person. */
export const SYSTEM: SystemActor = { accountId: 'system', role: 'system' };

export type CaseEventType =
  | 'whistle.raised'
  | 'duty.acknowledged'
  | 'duty.reminded'
  | 'duty.arrived'
  | 'duty.warned'
  | 'duty.overdue'
  | 'duty.escalated'
  | 'dispatch.warned'
  | 'dispatch.overdue'
  | 'dispatch.escalated'
  | 'case.classified'
  | 'case.returned'
  | 'case.rerouted'
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

/** An event a rule produces for the workflow to record (it adds the sequence number, time and actor). */
export interface NewEvent {
  type: CaseEventType;
  data: Record<string, unknown>;
}

/** A change the system makes by itself (a timer, a phase): the case after it, and the event to record. */
export interface Move {
  next: WhistleCase;
  event: NewEvent;
}
