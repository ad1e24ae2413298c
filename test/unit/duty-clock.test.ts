import { CN_CALENDAR } from '../../domain/calendar';
import { pauseClock, resumeClock, startClock } from '../../domain/duty-clock';
import type { Limit } from '../../domain/sla';

const oneWorkingDay: Limit = { amount: 1, unit: 'working_day' };
const twoHours: Limit = { amount: 2, unit: 'hour' };

describe('when a suspended clock resumes', () => {
  it('then a working-time deadline moves on by the office time the pause held', () => {
    // Monday 2026-03-02 09:30 Shanghai: due Tuesday 09:30; paused 10:00–11:00 → due Tuesday 10:30
    const clock = startClock(oneWorkingDay, new Date('2026-03-02T01:30:00Z'), CN_CALENDAR);
    const resumed = resumeClock(
      pauseClock(clock, new Date('2026-03-02T02:00:00Z')),
      oneWorkingDay,
      new Date('2026-03-02T03:00:00Z'),
      CN_CALENDAR,
    );
    expect(resumed).toMatchObject({
      deadline: '2026-03-03T02:30:00.000Z',
      pausedMs: 3_600_000,
      countFrom: '2026-03-02T02:30:00.000Z',
    });
    expect(resumed.pausedAt).toBeUndefined();
  });

  it('then a pause that held no office hours moves nothing, not even a deadline at the close of the day', () => {
    // due Monday 17:30 Shanghai; paused 23:00–23:30 that night
    const clock = { startedAt: '2026-03-02T01:30:00.000Z', deadline: '2026-03-02T09:30:00.000Z', warned: [] };
    const resumed = resumeClock(
      pauseClock(clock, new Date('2026-03-02T15:00:00Z')),
      oneWorkingDay,
      new Date('2026-03-02T15:30:00Z'),
      CN_CALENDAR,
    );
    expect(resumed.deadline).toBe('2026-03-02T09:30:00.000Z');
    expect(resumed.pausedMs).toBe(1_800_000);
  });

  it('then a wall-clock deadline moves on by the paused span', () => {
    const clock = startClock(twoHours, new Date('2026-03-07T12:00:00Z'), CN_CALENDAR);
    const resumed = resumeClock(
      pauseClock(clock, new Date('2026-03-07T12:30:00Z')),
      twoHours,
      new Date('2026-03-07T13:15:00Z'),
      CN_CALENDAR,
    );
    expect(resumed.deadline).toBe('2026-03-07T14:45:00.000Z');
  });

  it('then a met clock is neither paused nor moved', () => {
    const met = {
      ...startClock(twoHours, new Date('2026-03-07T12:00:00Z'), CN_CALENDAR),
      metAt: '2026-03-07T12:10:00.000Z',
    };
    expect(pauseClock(met, new Date('2026-03-07T12:30:00Z'))).toBe(met);
  });
});
