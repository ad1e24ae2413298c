/**
 * Working-calendar versions in MongoDB, one document per version an administrator loaded (a year's
 * notice, with who and when); version 1 is the built-in calendar and is never stored. A version is
 * never changed once written: cases keep the data of the version they were raised with. The
 * version number is the document id, so two administrators loading at once cannot both make the
 * same version: the second is told to reload and try again.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { BUILT_IN_NOTICES, CN_CALENDAR, type HolidayNotice } from '../domain/calendar';
import { withNotice } from '../domain/calendar/versions';
import type { NoticeProblem } from '../domain/calendar/notice';
import { isDuplicateKey } from './connection';

export interface CalendarVersion {
  /** 1 = built in */
  version: number;
  /** what a case records as its `routing.calendarVersion` */
  id: string;
  /** absent on the built-in version */
  createdAt?: string;
  /** account id, or `built-in` */
  createdBy: string;
  /** the year whose notice made this version */
  loadedYear?: number;
  years: HolidayNotice[];
}

type VersionDoc = CalendarVersion & { _id: number };

export const BUILT_IN_VERSION: CalendarVersion = Object.freeze({
  version: 1,
  id: CN_CALENDAR.version,
  createdBy: 'built-in',
  years: [...BUILT_IN_NOTICES],
});

/** Another version was made between reading the current one and writing the next. */
export class CalendarConflict extends Error {
  override readonly name = 'CalendarConflict';
}

export class CalendarVersions {
  private readonly model: Model<VersionDoc>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.CalendarVersion as Model<VersionDoc> | undefined) ??
      connection.model<VersionDoc>(
        'CalendarVersion',
        new Schema<VersionDoc>(
          { _id: Number },
          { strict: false, versionKey: false, minimize: false, id: false, collection: 'calendar_versions' },
        ),
      );
  }

  /** Every version, oldest first (a handful: one or two a year). */
  async history(): Promise<CalendarVersion[]> {
    const docs = await this.model.find({}).lean();
    const loaded = docs.map(({ _id, ...v }) => v as CalendarVersion).sort((a, b) => a.version - b.version);
    return [BUILT_IN_VERSION, ...loaded];
  }

  async current(): Promise<CalendarVersion> {
    return (await this.history()).at(-1)!;
  }

  async get(version: number): Promise<CalendarVersion | undefined> {
    return (await this.history()).find((v) => v.version === version);
  }

  /** A checked notice as the next version, made from the current one; a problem if its year does not follow on. */
  async load(notice: HolidayNotice, by: string, at: Date): Promise<CalendarVersion | NoticeProblem> {
    const current = await this.current();
    const years = withNotice(current.years, notice);
    if (!Array.isArray(years)) return years;
    const version = current.version + 1;
    const next: CalendarVersion = {
      version,
      id: `cn-v${version}`,
      createdAt: at.toISOString(),
      createdBy: by,
      loadedYear: notice.year,
      years,
    };
    try {
      await this.model.create({ _id: version, ...next });
    } catch (err) {
      if (isDuplicateKey(err)) throw new CalendarConflict(`calendar version ${version} was made meanwhile`);
      throw err;
    }
    return next;
  }
}
