/**
 * The case's Update handlers, one per row of the action table (domain/actions.ts): the row's rule
 * is the validator, so a refused action never enters history; an admitted one changes the case,
 * records its event (and what it sets off) and answers once the event is stored.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { patched, setHandler } from '@temporalio/workflow';
import { ACTION_NAMES, CASE_ACTIONS, type ActionName, type CaseAction, type CommandOf } from '../domain/actions';
import type { Refusal } from '../domain/case/refusal';
import type { WhistleCase } from '../domain/case/shape';
import type { LiveCase } from './live-case';
import { caseUpdates } from './messages';
import { throwIfRefused } from './refusal';

/** What an action does outside the case's own state before it applies (the merge's signal). */
export interface ActionEffect<K extends ActionName> {
  /** refuses what the row's rule cannot see (an effect already under way) */
  refuse(): Refusal | undefined;
  before(command: CommandOf<K>, at: Date): Promise<void>;
}

export type ActionEffects = { [K in ActionName]?: ActionEffect<K> };

export function registerActions(live: LiveCase, effects: ActionEffects): void {
  for (const name of ACTION_NAMES) register(live, name, effects[name]);
}

function register<K extends ActionName>(live: LiveCase, name: K, effect: ActionEffect<K> | undefined): void {
  const action = CASE_ACTIONS[name] as unknown as CaseAction<object>;
  const handler = async (command: CommandOf<K>): Promise<WhistleCase> => {
    const at = new Date();
    await effect?.before(command, at);
    const { actor, ...request } = command;
    live.state = action.apply(live.state, actor, at, request, patched);
    const seq = live.journal.append(action.event, actor, action.record(request, actor, live.state), at);
    for (const event of action.consequences?.(live.state) ?? []) live.record(event, at);
    await live.journal.recorded(seq);
    return live.state;
  };
  const validator = ({ actor, ...request }: CommandOf<K>) =>
    throwIfRefused(effect?.refuse() ?? action.refuse(live.state, actor, request, new Date()));
  const update: UpdateDefinition<WhistleCase, [CommandOf<K>]> = caseUpdates[name];
  setHandler(update, handler, { validator });
}
