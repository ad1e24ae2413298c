/**
 * The API's only door to the case workflows: start, update, query. Temporal's errors are
 * translated here into HTTP problems (404 unknown case, 409/403 refused, 409 closed case).
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../domain/identity';
import type { Routing } from '../../domain/routing';
import { caseStateQuery, caseUpdates, REFUSED } from '../../workflows/messages';
import type { ActionName, CommandOf } from '../../domain/actions';
import type { WhistleCaseInput } from '../../workflows/whistle-case';
import { HttpProblem } from '../http/problem';
import type { Refusal } from '../../domain/case/refusal';
import type { RaiseWhistle, WhistleCase } from '../../domain/case/shape';

export class CaseGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the case workflow. A case id is never reused, even after the case ended; when it exists
   * already this answers `exists` with the request hash the case was started with (idempotency).
   */
  async raise(
    caseId: string,
    raise: RaiseWhistle,
    raisedBy: Actor,
    raisedAt: Date,
    routing: Routing,
    requestHash: string,
    caseNumber?: string,
  ): Promise<{ started: true } | { started: false; requestHash: unknown }> {
    const input: WhistleCaseInput = {
      caseId,
      raise,
      raisedBy,
      raisedAt: raisedAt.toISOString(),
      routing,
      ...(caseNumber ? { caseNumber } : {}),
    };
    try {
      await this.client.workflow.start('whistleCase', {
        workflowId: caseId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash },
      });
      return { started: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { memo } = await this.client.workflow.getHandle(caseId).describe();
      return { started: false, requestHash: memo?.requestHash };
    }
  }

  async state(caseId: string): Promise<WhistleCase> {
    return this.translate(caseId, () => this.client.workflow.getHandle(caseId).query(caseStateQuery));
  }

  /** Sends an action as a Workflow Update: the workflow's validator refuses it, or it is applied and audited. */
  async act<K extends ActionName>(caseId: string, action: K, command: CommandOf<K>): Promise<WhistleCase> {
    const update: UpdateDefinition<WhistleCase, [CommandOf<K>]> = caseUpdates[action];
    return this.translate(caseId, () =>
      this.client.workflow.getHandle(caseId).executeUpdate(update, { args: [command] }),
    );
  }

  private async translate<T>(caseId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toProblem(caseId, err);
    }
  }
}

function toProblem(caseId: string, err: unknown): unknown {
  if (isClosedWorkflow(err))
    return new HttpProblem(409, 'Conflict', `case ${caseId} is closed and takes no more actions / 案件已结束`);
  if (err instanceof WorkflowNotFoundError) return new HttpProblem(404, 'Not Found', `no case ${caseId} / 案件不存在`);
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === REFUSED
  ) {
    const refusal = err.cause.details?.[0] as Refusal | undefined;
    const [status, title] = REFUSAL_STATUS[refusal?.kind ?? 'conflict'];
    return new HttpProblem(status, title, err.cause.message);
  }
  return err;
}

/** A rule's refusal as HTTP: not yours 403, not now 409, the request names what cannot be 422. */
export const REFUSAL_STATUS: Record<Refusal['kind'], [number, string]> = {
  forbidden: [403, 'Forbidden'],
  conflict: [409, 'Conflict'],
  invalid: [422, 'Unprocessable Content'],
};

function isClosedWorkflow(err: unknown): boolean {
  const message =
    err instanceof Error ? `${err.message} ${String((err as { cause?: Error }).cause?.message ?? '')}` : '';
  // "aborted by closing workflow": an action racing the case's end (a withdrawal, a merge)
  return /already completed|aborted by closing workflow/i.test(message);
}
