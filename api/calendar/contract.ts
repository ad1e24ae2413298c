/** The working calendar's routes in the OpenAPI document. */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, responses } from '../contract/common';
import { CalendarView, CsvQuery, HistoryView, NoticeBody, VersionParam, VersionView, YearParam } from './schemas';

const WARNING = {
  Warning: z
    .string()
    .meta({ description: 'from 60 days before the official holiday data runs out (ASCII; see coverage.warning)' }),
};

export function calendarPaths(add: (route: RouteConfig) => void, v1: string): void {
  const tags = ['working calendar'];
  add({
    method: 'get',
    path: `${v1}/calendar`,
    tags,
    summary: 'the calendar version in force, and how long its data lasts / 现行工作日历',
    responses: responses(
      { 200: { ...json(CalendarView, 'the version in force'), headers: z.object(WARNING) } },
      [401, 429, 500],
    ),
  });
  add({
    method: 'get',
    path: `${v1}/calendar/versions`,
    tags,
    summary: 'every version, oldest first: who loaded which year when / 日历版本历史',
    responses: responses({ 200: json(HistoryView, 'the versions') }, [401, 429, 500]),
  });
  add({
    method: 'get',
    path: `${v1}/calendar/versions/{version}`,
    tags,
    summary: 'one version with its data',
    request: { params: VersionParam },
    responses: responses({ 200: json(VersionView, 'the version') }),
  });
  add({
    method: 'put',
    path: `${v1}/calendar/years/{year}`,
    tags,
    summary:
      "load a year's holiday notice as a new version (admin) / 载入年度节假日安排: JSON as published, or CSV (holiday,from,to,adjustedWorkdays) with ?source=",
    request: {
      params: YearParam,
      query: CsvQuery,
      body: {
        content: { 'application/json': { schema: NoticeBody }, 'text/csv': { schema: z.string() } },
        required: true,
      },
    },
    responses: responses(
      { 201: { ...json(CalendarView, 'the new version in force'), headers: z.object(WARNING) } },
      [400, 401, 403, 409, 413, 415, 422, 429, 500],
    ),
  });
}
