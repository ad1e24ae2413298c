/**
 * A workflow interceptor module bundled into the replay test's workflow code only. It reports, per
 * activation, that the workflow code began it and that it concluded; an activation begun but never
 * concluded is a failed workflow task. The SDK's replayer reports non-determinism, but a task that
 * throws (a TypeError in the workflow's code, a handler that throws) on the last task of a recorded
 * history ends the replay as if it had succeeded — these reports close that gap.
 */
import {
  proxySinks,
  type Sinks,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowInternalsInterceptor,
} from '@temporalio/workflow';

export interface TaskOutcomeSinks extends Sinks {
  taskOutcomes: {
    /** the workflow code began an activation */
    began(): void;
    /** the activation concluded with commands (a failed workflow task never gets here) */
    concluded(): void;
    /** the workflow function or a handler threw: the likely cause of a failed task */
    threw(where: string, message: string): void;
  };
}

const { taskOutcomes } = proxySinks<TaskOutcomeSinks>();

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

const internals: WorkflowInternalsInterceptor = {
  activate(input, next) {
    // an activation runs in batches (signals first); count it once
    if (input.batchIndex === 0) taskOutcomes.began();
    next(input);
  },
  concludeActivation(input, next) {
    taskOutcomes.concluded();
    return next(input);
  },
};

const inbound: WorkflowInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      return await next(input);
    } catch (err) {
      taskOutcomes.threw('workflow function', describe(err));
      throw err;
    }
  },
  async handleSignal(input, next) {
    try {
      return await next(input);
    } catch (err) {
      taskOutcomes.threw(`signal ${input.signalName}`, describe(err));
      throw err;
    }
  },
  async handleUpdate(input, next) {
    try {
      return await next(input);
    } catch (err) {
      taskOutcomes.threw(`update ${input.name}`, describe(err));
      throw err;
    }
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ internals: [internals], inbound: [inbound] });
