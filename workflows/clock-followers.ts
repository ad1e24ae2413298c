/**
 * One follower per clock the case holds (duties, the desk, arbitrations, enforcement steps): it
 * speaks at each milestone still to come — warnings, the breach, each rung of the ladder — and
 * starts over whenever its clock changes (met, paused, resumed, restarted).
 */
import { condition } from '@temporalio/workflow';
import { isFinal } from '../domain/case/enums';
import {
  caseClocks,
  clockAt,
  clockKey,
  milestoneEvent,
  passClockMilestone,
  upcoming,
  type ClockRef,
} from '../domain/clocks';
import type { LiveCase } from './live-case';

export class ClockFollowers {
  private readonly following = new Set<string>();
  /** the clock each finished follower last saw: a follower starts again only for a new clock there */
  private readonly settled = new Map<string, unknown>();

  constructor(
    private readonly live: LiveCase,
    /** cases started before the lead's resolve clock existed never ran one */
    private readonly resolveClocks: boolean,
  ) {}

  /** Speaks at each milestone still to come; ends once the clock is gone, or met for good. */
  async follow(ref: ClockRef): Promise<void> {
    const key = clockKey(ref);
    this.following.add(key);
    // the lead's resolve clock restarts after a send-back or a reopening
    const restarts = ref.kind === 'duty' && ref.clock === 'resolve';
    for (;;) {
      const clock = clockAt(this.live.state, ref);
      if (!clock || (clock.metAt !== undefined && !restarts) || isFinal(this.live.state)) {
        this.settled.set(key, clock);
        break;
      }
      const changed = () => clockAt(this.live.state, ref) !== clock || isFinal(this.live.state);
      const next = upcoming(this.live.state, ref)[0];
      if (!next) {
        await condition(changed);
        continue;
      }
      if (await condition(changed, Math.max(1, next.at.getTime() - Date.now()))) continue;
      const at = new Date();
      const event = milestoneEvent(this.live.state, ref, next, at);
      this.live.move({ next: passClockMilestone(this.live.state, ref, next), event }, at);
    }
    this.following.delete(key);
  }

  /** Starts a follower for every clock the case gains: new duties, disputes, enforcement steps. */
  async followNewClocks(): Promise<void> {
    for (;;) {
      for (const ref of this.unfollowed()) void this.follow(ref);
      await condition(() => this.unfollowed().length > 0);
    }
  }

  private unfollowed(): ClockRef[] {
    const { state } = this.live;
    return caseClocks(state).filter((ref) => {
      const key = clockKey(ref);
      const skipped = !this.resolveClocks && ref.kind === 'duty' && ref.clock === 'resolve';
      return !this.following.has(key) && this.settled.get(key) !== clockAt(state, ref) && !skipped;
    });
  }
}
