/**
 * The working calendar over HTTP (工作日历): any signed-in role reads the version in force (with how
 * long its data lasts, and the warning 60 days before the official data runs out) and the history;
 * an administrator loads a year's notice, JSON or CSV, as a new version with who and when. Cases
 * keep the version they were raised with, so loading never moves a running case's deadlines.
 */
import { Router, type Request, type Response } from 'express';
import { checkNotice, type HolidayNotice, type NoticeProblem } from '../../domain/calendar/notice';
import type { Coverage } from '../../domain/calendar/versions';
import { CalendarConflict, type CalendarVersion, type CalendarVersions } from '../../store/calendar-versions';
import { actorOf, requireRole } from '../http/authenticate';
import { fieldErrors, HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import { noticeRowsOfCsv } from './csv';
import type { CalendarInForce } from './in-force';
import { CsvQuery, NoticeBody, NoticeHolidayBody, VersionParam, YearParam } from './schemas';

export function calendarRoutes(versions: CalendarVersions, inForce: CalendarInForce, now: () => Date): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [current, coverage] = await Promise.all([inForce.current(), inForce.coverage()]);
    warn(res, coverage);
    res.json({ ...view(current), coverage });
  });

  router.get('/versions', async (_req, res) => {
    const items = (await versions.history()).map((v) => ({
      ...view(v),
      years: v.years.map((y) => ({ year: y.year, provisional: Boolean(y.provisional) })),
    }));
    res.json({ items });
  });

  router.get('/versions/:version', async (req, res) => {
    const { version } = parse(VersionParam, req.params);
    const found = await versions.get(version);
    if (!found) throw new HttpProblem(404, 'Not Found', `no calendar version ${version} / 无此日历版本`);
    res.json(view(found));
  });

  router.put('/years/:year', requireRole('admin'), async (req, res) => {
    const { year } = parse(YearParam, req.params);
    const notice = noticeOf(req, year);
    const problems = checkNotice(year, notice);
    if (problems.length) throw unprocessable(problems);
    let loaded: CalendarVersion | NoticeProblem;
    try {
      loaded = await versions.load(notice, actorOf(req).accountId, now());
    } catch (err) {
      if (!(err instanceof CalendarConflict)) throw err;
      throw new HttpProblem(
        409,
        'Conflict',
        'another calendar version was loaded just now: read it and load again / 日历刚被更新，请刷新后重试',
      );
    }
    if (!('version' in loaded)) throw unprocessable([loaded]);
    inForce.forget();
    const coverage = await inForce.coverage();
    warn(res, coverage);
    res
      .status(201)
      .location(`/api/v1/calendar/versions/${loaded.version}`)
      .json({ ...view(loaded), coverage });
  });

  return router;
}

/** The notice from the body: JSON as published, or CSV rows with the title in `?source=`. */
function noticeOf(req: Request, year: number): HolidayNotice {
  if (!req.is('text/csv')) {
    const body = parse(NoticeBody, req.body);
    return { year: body.year ?? year, source: body.source, holidays: body.holidays };
  }
  const { source } = parse(CsvQuery, req.query);
  if (!source)
    throw new HttpProblem(400, 'Bad Request', 'name the notice: ?source=… (its title and date) / 请注明通知名称', {
      errors: [{ field: 'source', reason: 'required' }],
    });
  const rows = noticeRowsOfCsv(typeof req.body === 'string' ? req.body : '');
  if (typeof rows === 'string') throw unprocessable([{ field: 'line 1', reason: rows }]);
  const problems = rows.flatMap(({ line, value }) => {
    const checked = NoticeHolidayBody.safeParse(value);
    return checked.success
      ? []
      : fieldErrors(checked.error).map((e) => ({ field: `line ${line}: ${e.field}`, reason: e.reason }));
  });
  if (problems.length) throw unprocessable(problems);
  return { year, source, holidays: rows.map((r) => r.value) };
}

function view(v: CalendarVersion) {
  return {
    ...v,
    years: v.years.map((y) => ({
      year: y.year,
      source: y.source,
      provisional: Boolean(y.provisional),
      holidays: y.holidays.map((h) => ({ ...h, adjustedWorkdays: h.adjustedWorkdays ?? [] })),
    })),
  };
}

/** RFC 9111's Warning header (ASCII only: the bilingual text is in the body's `coverage.warning`). */
function warn(res: Response, coverage: Coverage): void {
  if (coverage.warning)
    res.setHeader(
      'Warning',
      `199 - "working calendar: official holiday data for ${coverage.nextYear} is missing; ${coverage.daysLeft.official} days of official data left"`,
    );
}

function unprocessable(problems: NoticeProblem[]): HttpProblem {
  return new HttpProblem(
    422,
    'Unprocessable Content',
    `${problems.map((p) => p.reason).join('; ')} — nothing was loaded / 未载入`,
    { errors: problems },
  );
}
