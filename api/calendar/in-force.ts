/**
 * The calendar version in force, as intake reads it on every whistle (cached like the list in
 * force, forgotten at once when this process loads a version), and how long its data lasts: the
 * warning from 60 days before the official data runs out, logged once a day per process (not per
 * request), and shown in the API, /readyz and the metrics.
 */
import { caseCalendarOf, coverageOf, type Coverage } from '../../domain/calendar/versions';
import type { ListInForce } from '../../domain/routing';
import type { Logger } from '../../platform/logger';
import type { CalendarVersion, CalendarVersions } from '../../store/calendar-versions';
import { LOOKUP_CACHE_MS } from '../http/cached-lookup';

const SHANGHAI_MS = 8 * 3_600_000;

/** The Shanghai date of an instant (UTC+8 all year). */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);

export class CalendarInForce {
  private cached: { version: Promise<CalendarVersion>; loadedAt: number } | undefined;
  private warnedOn: string | undefined;

  constructor(
    private readonly versions: CalendarVersions,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly ttlMs = LOOKUP_CACHE_MS,
  ) {}

  async current(): Promise<CalendarVersion> {
    const held = this.cached;
    const cached = held && (await held.version.catch(() => undefined));
    if (held && cached && Date.now() - held.loadedAt < this.ttlMs) return cached;
    const fresh = { version: this.versions.current(), loadedAt: Date.now() };
    this.cached = fresh;
    return fresh.version;
  }

  forget(): void {
    this.cached = undefined;
  }

  /** The calendar a whistle raised at `at` is routed with: the built-in version by id, a loaded one with its data. */
  async forRouting(at: Date): Promise<Pick<ListInForce, 'calendarVersion' | 'calendar'>> {
    const v = await this.current();
    if (v.version === 1) return { calendarVersion: v.id };
    return { calendarVersion: v.id, calendar: caseCalendarOf(v.years, Number(shanghaiDate(at).slice(0, 4))) };
  }

  /** How long the data in force lasts from today; the first call of each day with a warning logs it. */
  async coverage(): Promise<Coverage> {
    const today = shanghaiDate(this.now());
    const coverage = coverageOf((await this.current()).years, today);
    if (coverage.warning && this.warnedOn !== today) {
      this.warnedOn = today;
      this.logger.warn({ calendar: coverage }, coverage.warning);
    }
    return coverage;
  }
}
