/** The request body of each case action (one per row of domain/actions.ts), and its path parameters. */
import type { z } from 'zod';
import type { ActionName } from '../../domain/actions';
import { CompleteStepBody, PlanBody, StepKeyParam } from './plan-schemas';
import {
  AcknowledgeBody,
  ArbitrationBody,
  CaseIdParam,
  ClassifyBody,
  DeclineBody,
  EvaluateBody,
  MergeBody,
  ProgressBody,
  ReinspectionBody,
  RemindBody,
  RerouteBody,
  ReturnBody,
  ResolveBody,
  ResumeBody,
  SuspendBody,
  SuspensionDecisionBody,
  VerifyBody,
  WithdrawBody,
} from './schemas';

export const ACTION_BODIES = {
  acknowledge: AcknowledgeBody,
  arrive: AcknowledgeBody,
  classify: ClassifyBody,
  returnWhistle: ReturnBody,
  reroute: RerouteBody,
  progress: ProgressBody,
  resolve: ResolveBody,
  verify: VerifyBody,
  evaluate: EvaluateBody,
  decline: DeclineBody,
  arbitrate: ArbitrationBody,
  suspend: SuspendBody,
  decideSuspension: SuspensionDecisionBody,
  resume: ResumeBody,
  plan: PlanBody,
  completeStep: CompleteStepBody,
  withdraw: WithdrawBody,
  merge: MergeBody,
  remind: RemindBody,
  reinspect: ReinspectionBody,
} satisfies Record<ActionName, z.ZodType>;

export type BodyOf<K extends ActionName> = z.output<(typeof ACTION_BODIES)[K]>;

/** The path's parameters: the case id, and a step's key where the path names one. */
export function pathParams(path: string): typeof CaseIdParam | typeof StepKeyParam {
  return path.includes('{key}') ? StepKeyParam : CaseIdParam;
}
