/** The case's public surface: what the API may send (Updates) and read (Queries). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/identity';
import type { WhistleCase } from '../domain/whistle';

export interface AcknowledgeCommand {
  actor: Actor;
}

export const acknowledgeUpdate = defineUpdate<WhistleCase, [AcknowledgeCommand]>('acknowledge');
/** the department is on site (到场) */
export const arriveUpdate = defineUpdate<WhistleCase, [AcknowledgeCommand]>('arrive');
export const caseStateQuery = defineQuery<WhistleCase>('state');

/** ApplicationFailure type carried by a refused Update; its details hold the domain Refusal. */
export const REFUSED = 'Refused';
