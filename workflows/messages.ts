/** The case's public surface: what the API may send (Updates) and read (Queries). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/identity';
import type { Routed } from '../domain/dispatch';
import type { EvaluateRequest } from '../domain/evaluation';
import type { Evidence, WhistleCase } from '../domain/whistle';

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
