/**
 * Merging a duplicate (合并): before the duplicate ends, it signals the case it merges into with its
 * raiser and evidence — durably, a command in this history that the server delivers once. The
 * survivor takes each duplicate in once.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import type { CommandOf } from '../domain/actions';
import type { MergedDuplicate } from '../domain/case/shape';
import type { Refusal } from '../domain/case/refusal';
import { duplicateOf, takeIn } from '../domain/withdrawal';
import type { ActionEffect } from './case-actions';
import type { LiveCase } from './live-case';
import { mergedInSignal } from './messages';
import { throwIfRefused } from './refusal';

export class Merging implements ActionEffect<'merge'> {
  /** the case this one is being merged into, while the signal is on its way */
  private into: string | undefined;

  constructor(private readonly live: LiveCase) {}

  /** A second merge while the first one's signal is on its way would hand the duplicate out twice. */
  refuse(): Refusal | undefined {
    return this.into
      ? { kind: 'conflict', reason: `the case is being merged into ${this.into} / 正在合并` }
      : undefined;
  }

  async before({ into }: CommandOf<'merge'>, at: Date): Promise<void> {
    this.into = into.caseId;
    try {
      await getExternalWorkflowHandle(into.caseId).signal(mergedInSignal, duplicateOf(this.live.state, at));
    } catch (err) {
      // the other case ended meanwhile: nothing changed here
      const why = err instanceof Error ? err.message : String(err);
      throwIfRefused({
        kind: 'conflict',
        reason: `case ${into.caseId} cannot take the duplicate in (${why}) / 目标案件无法合并`,
      });
    } finally {
      this.into = undefined;
    }
  }

  /** This case survives a merge: it takes the duplicate in. */
  takeIn(duplicate: MergedDuplicate): void {
    const move = takeIn(this.live.state, duplicate);
    if (move) this.live.move(move, new Date());
  }
}
