import { CN_CALENDAR } from '../../domain/calendar';
import { deadline, SLA_PRESETS } from '../../domain/sla';

const at = (iso: string) => new Date(iso);

describe('when the presets are read', () => {
  it('then they follow the Beijing practice: urgent 30 min / 2 h wall clock, normal 2 working hours / 1 / 7 working days, complex 15', () => {
    expect(SLA_PRESETS.urgent).toMatchObject({
      acknowledge: { amount: 30, unit: 'minute' },
      onSite: { amount: 2, unit: 'hour' },
    });
    expect(SLA_PRESETS.normal).toMatchObject({
      acknowledge: { amount: 2, unit: 'working_hour' },
      onSite: { amount: 1, unit: 'working_day' },
      resolve: { amount: 7, unit: 'working_day' },
    });
    expect(SLA_PRESETS.complex.resolve).toEqual({ amount: 15, unit: 'working_day' });
    for (const p of Object.values(SLA_PRESETS)) {
      expect(p.warnings).toEqual([0.5, 0.75, 0.9]);
      expect(p.escalation.map((e) => e.level)).toEqual([
        'reminder',
        'department_head',
        'county_supervision',
        'county_leadership',
      ]);
    }
  });
});

describe('when a deadline is computed', () => {
  it('then wall-clock limits ignore the calendar, even on a holiday night', () => {
    expect(deadline({ amount: 30, unit: 'minute' }, at('2026-10-01T15:50:00Z'), CN_CALENDAR).toISOString()).toBe(
      '2026-10-01T16:20:00.000Z',
    );
  });

  it('then working limits skip the National Day holiday and count the adjusted Saturday', () => {
    // Wed 2026-09-30 17:00 Shanghai: 30 min that day; Oct 1–7 off; Sat Oct 10 is a working day
    const from = at('2026-09-30T09:00:00Z');
    expect(deadline({ amount: 2, unit: 'working_hour' }, from, CN_CALENDAR).toISOString()).toBe(
      '2026-10-08T02:00:00.000Z',
    );
    expect(deadline({ amount: 3, unit: 'working_day' }, from, CN_CALENDAR).toISOString()).toBe(
      '2026-10-10T09:00:00.000Z',
    );
  });
});
