/** What starts a case workflow, and what a run continued as new carries on. */
import type { RaiseWhistle, WhistleCase } from '../domain/case/shape';
import type { Actor } from '../domain/identity';
import type { Routing } from '../domain/routing';
import type { JournalPosition } from './journal';

export interface WhistleCaseInput {
  caseId: string;
  raise: RaiseWhistle;
  raisedBy: Actor;
  /** set by the API when it accepts the whistle, so its 201 answer and the case agree */
  raisedAt: string;
  /** resolved by the API from the list in force; the case keeps it for its whole life */
  routing: Routing;
  /** county-year-sequence; optional, as cases started before numbering have none */
  caseNumber?: string;
  /** a run continued as new carries the case and its journal on */
  carried?: { state: WhistleCase; journal: JournalPosition };
  /** continue as new once the history has this many events (default: when Temporal suggests it) */
  historyLimit?: number;
}

/** The case workflow's signature, for continue-as-new. */
export type WhistleCaseWorkflow = (input: WhistleCaseInput) => Promise<WhistleCase>;
