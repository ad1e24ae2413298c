/**
 * Time limits for reporting for duty. Presets follow the Beijing practice named in DOMAIN.md:
 * urgent matters count wall-clock time, normal ones working time. Until the working calendar lands
 * (the responsibility-list issue), the normal limit is counted on the wall clock too.
 */
import type { Urgency } from './whistle';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface DutyLimits {
  /** how long a called department has to acknowledge (报到) */
  acknowledgeWithinMs: number;
}

export const DUTY_LIMITS: Record<Urgency, DutyLimits> = {
  urgent: { acknowledgeWithinMs: 30 * MINUTE },
  normal: { acknowledgeWithinMs: 2 * HOUR },
};

export function acknowledgeDeadline(urgency: Urgency, raisedAt: Date): Date {
  return new Date(raisedAt.getTime() + DUTY_LIMITS[urgency].acknowledgeWithinMs);
}
