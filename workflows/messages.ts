/** The case's public surface: what the API may send (Updates) and read (Queries). */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ArbitrationRequest, DeclineRequest } from '../domain/dispute';
import type {
  CompleteStepCommand as CompleteStepRequest,
  PlanCommand as PlanRequest,
} from '../domain/enforcement-plan';
import type { ReinspectionReport } from '../domain/reinspection';
import type { SuspensionDecision } from '../domain/suspension';
import type { MergeTarget } from '../domain/withdrawal';
import type { Actor } from '../domain/identity';
import type { Routed } from '../domain/dispatch';
import type { EvaluateRequest } from '../domain/evaluation';
import type { MergedDuplicate, Evidence, WhistleCase } from '../domain/case/shape';

export interface AcknowledgeCommand {
  actor: Actor;
}

export const acknowledgeUpdate = defineUpdate<WhistleCase, [AcknowledgeCommand]>('acknowledge');
/** the department is on site (到场) */
export const arriveUpdate = defineUpdate<WhistleCase, [AcknowledgeCommand]>('arrive');
export const caseStateQuery = defineQuery<WhistleCase>('state');

export interface ProgressCommand {
  actor: Actor;
  note: string;
  evidence: Evidence[];
}
export interface ResolveCommand {
  actor: Actor;
  summary: string;
  evidence: Evidence[];
}
export interface VerifyCommand {
  actor: Actor;
  accept: boolean;
  reason?: string;
}

export interface ClassifyCommand {
  actor: Actor;
  /** resolved by the API from the list in force, as for a new whistle */
  routing: Routed;
}

export interface EvaluateCommand extends EvaluateRequest {
  actor: Actor;
}
export const evaluateUpdate = defineUpdate<WhistleCase, [EvaluateCommand]>('evaluate');

export const classifyUpdate = defineUpdate<WhistleCase, [ClassifyCommand]>('classify');
export const progressUpdate = defineUpdate<WhistleCase, [ProgressCommand]>('progress');
export const resolveUpdate = defineUpdate<WhistleCase, [ResolveCommand]>('resolve');
export const verifyUpdate = defineUpdate<WhistleCase, [VerifyCommand]>('verify');

/** ApplicationFailure type carried by a refused Update; its details hold the domain Refusal. */
export const REFUSED = 'Refused';

export interface DeclineCommand extends DeclineRequest {
  actor: Actor;
}
export interface ArbitrateCommand extends ArbitrationRequest {
  actor: Actor;
}
export interface SuspendCommand {
  actor: Actor;
  reason: string;
}
export interface DecideSuspensionCommand extends SuspensionDecision {
  actor: Actor;
}
export interface ResumeCommand {
  actor: Actor;
  /** the supervisor names the department; a department resumes its own */
  departmentId?: string;
}
export interface PlanCommand extends PlanRequest {
  actor: Actor;
}
export interface CompleteStepCommand extends CompleteStepRequest {
  actor: Actor;
}
export interface WithdrawCommand {
  actor: Actor;
  reason: string;
}
export interface MergeCommand {
  actor: Actor;
  /** read by the API from the case merged into */
  into: MergeTarget;
}
export interface ReinspectCommand extends ReinspectionReport {
  actor: Actor;
}

export const declineUpdate = defineUpdate<WhistleCase, [DeclineCommand]>('decline');
export const arbitrateUpdate = defineUpdate<WhistleCase, [ArbitrateCommand]>('arbitrate');
export const suspendUpdate = defineUpdate<WhistleCase, [SuspendCommand]>('suspend');
export const decideSuspensionUpdate = defineUpdate<WhistleCase, [DecideSuspensionCommand]>('decideSuspension');
export const resumeUpdate = defineUpdate<WhistleCase, [ResumeCommand]>('resume');
export const planUpdate = defineUpdate<WhistleCase, [PlanCommand]>('plan');
export const completeStepUpdate = defineUpdate<WhistleCase, [CompleteStepCommand]>('completeStep');
export const withdrawUpdate = defineUpdate<WhistleCase, [WithdrawCommand]>('withdraw');
export const mergeUpdate = defineUpdate<WhistleCase, [MergeCommand]>('merge');
export const reinspectUpdate = defineUpdate<WhistleCase, [ReinspectCommand]>('reinspect');
/** sent by a duplicate to the case it merged into (durably, from workflow to workflow) */
export const mergedInSignal = defineSignal<[MergedDuplicate]>('mergedIn');
