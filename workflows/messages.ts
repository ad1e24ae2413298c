/**
 * The case's public surface: the Updates the API may send (one per row of domain/actions.ts, under
 * the row's name), the Query it reads, and the Signal a merged duplicate sends its survivor.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { CASE_ACTIONS, type ActionName, type CommandOf } from '../domain/actions';
import type { ChainWitness } from '../domain/audit-hash';
import type { MergedDuplicate, WhistleCase } from '../domain/case/shape';

export type CaseUpdates = { [K in ActionName]: UpdateDefinition<WhistleCase, [CommandOf<K>]> };

export const caseUpdates = Object.fromEntries(
  Object.entries(CASE_ACTIONS).map(([name, action]) => [name, defineUpdate(action.update)]),
) as CaseUpdates;

export const caseStateQuery = defineQuery<WhistleCase>('state');

/** The workflow's own record of its audit chain (how far it is stored, the hash of every event). */
export const chainWitnessQuery = defineQuery<ChainWitness>('chainWitness');

/** ApplicationFailure type carried by a refused Update; its details hold the domain Refusal. */
export const REFUSED = 'Refused';

/** sent by a duplicate to the case it merged into (durably, from workflow to workflow) */
export const mergedInSignal = defineSignal<[MergedDuplicate]>('mergedIn');
