/**
 * A case lived on paper for the scale mode's fill: the same rows of domain/actions.ts the workflow's
 * Update handlers run (refusal, change, audit event, consequences), the clocks' milestones as the
 * followers pass them, and the phases' moves — without Temporal, at chosen instants. What it
 * records is stored exactly as the recording activity stores it (store/ builds the documents).
 */
import { CASE_ACTIONS, type ActionName, type CaseAction, type RequestOf } from '../domain/actions';
import { SYSTEM, type CaseEvent, type CaseEventType, type Move } from '../domain/case-event';

import type { SystemActor, WhistleCase, RaiseWhistle } from '../domain/case/shape';
import { caseClocks, milestoneEvent, passClockMilestone, upcoming } from '../domain/clocks';
import type { Actor } from '../domain/identity';
import type { Routing } from '../domain/routing';
import { openCase } from '../domain/whistle';

export class PaperCase {
  state: WhistleCase;
  /** the recorded batches, in order: what the journal would have handed to the recording activity */
  readonly batches: CaseEvent[][] = [[]];
  /** the case after each batch (the projection the recording activity gets with it) */
  private readonly after: WhistleCase[] = [];
  private seq = 0;

  constructor(caseId: string, raise: RaiseWhistle, by: Actor, at: Date, routing: Routing, caseNumber: string) {
    this.state = openCase(caseId, raise, by, at, routing, caseNumber);
    const { state } = this;
    this.append('whistle.raised', by, { raise, routing: state.routing, duties: state.duties }, at);
  }

  /** Ends the batch being collected: the next events are recorded apart. */
  flush(): this {
    if (this.batches.at(-1)!.length === 0) return this;
    this.after.push(this.state);
    this.batches.push([]);
    return this;
  }

  private append(type: CaseEventType, actor: Actor | SystemActor, data: Record<string, unknown>, at: Date): void {
    this.seq++;
    const { caseId } = this.state;
    this.batches.at(-1)!.push({ caseId, seq: this.seq, type, at: at.toISOString(), actor, data });
  }

  /** An action as its Update handler runs it; refused → thrown (the fill must only do what the rules allow). */
  act<K extends ActionName>(name: K, actor: Actor, at: Date, command: RequestOf<K>): this {
    const request = command as object;
    const row = CASE_ACTIONS[name] as unknown as CaseAction<object>;
    const refusal = row.refuse(this.state, actor, request, at);
    if (refusal) throw new Error(`${name} by ${actor.accountId} refused: ${refusal.reason}`);
    this.state = row.apply(this.state, actor, at, request, () => true);
    this.append(row.event, actor, row.record(request, actor, this.state), at);
    for (const event of row.consequences?.(this.state) ?? []) this.append(event.type, SYSTEM, event.data, at);
    return this;
  }

  /** A change the system makes by itself (a phase), as LiveCase.move records it. */
  move(move: Move | ((c: WhistleCase) => Move), at: Date): this {
    const { next, event } = typeof move === 'function' ? move(this.state) : move;
    this.state = next;
    this.append(event.type, SYSTEM, event.data, at);
    return this;
  }

  /** A state change of a phase that records nothing (the evaluation window opening). */
  change(next: (c: WhistleCase) => WhistleCase): this {
    this.state = next(this.state);
    return this;
  }

  /** Every warning, breach and rung due by `until`, each at its instant, as the clock followers record them. */
  clocksUntil(until: Date): this {
    for (;;) {
      const due = caseClocks(this.state)
        .flatMap((ref) => upcoming(this.state, ref).map((m) => ({ ref, m })))
        .filter(({ m }) => m.at <= until)
        .sort((a, b) => a.m.at.getTime() - b.m.at.getTime())[0];
      if (!due) return this;
      const event = milestoneEvent(this.state, due.ref, due.m, due.m.at);
      this.move({ next: passClockMilestone(this.state, due.ref, due.m), event }, due.m.at);
    }
  }

  /** The batches recorded, each with the case after it (the batch being collected is recorded too). */
  recorded(): { events: CaseEvent[]; projection: WhistleCase }[] {
    this.flush();
    return this.batches.filter((b) => b.length > 0).map((events, i) => ({ events, projection: this.after[i]! }));
  }
}
