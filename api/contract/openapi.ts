/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and
 * describe responses: the contract cannot drift from the code.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Account, Department, Township } from '../../domain/organisation/schemas';
import { Id } from '../../domain/names';
import {
  ChangeBody,
  ChangeResult,
  CodeParam,
  ExportQuery,
  ImportJson,
  ImportQuery,
  MatterHistory,
  MatterList,
  MatterView,
  ProposalDecisionBody,
  ProposalIdParam,
  ProposalList,
  ProposalQuery,
  ProposalView,
  RetireBody,
  Usage,
} from '../matters/schemas';
import { ACTION_NAMES, CASE_ACTIONS, type ActionName } from '../../domain/actions';
import { ACTION_BODIES, pathParams } from '../whistles/action-bodies';
import { CaseIdParam, CaseListQuery, ExportQuery as CaseExportQuery, RaiseWhistleBody } from '../whistles/schemas';
import { CaseListView, CaseView, ChainCheckView, HistoryView, OverdueView, QueueView } from '../whistles/views';
import { AuditVerifyLine } from '../audit/views';
import {
  FileGridReportBody,
  GridReportIdParam,
  GridReportListQuery,
  GridReportListView,
  GridReportView,
  HandleGridReportBody,
  WhistleFromReportBody,
} from '../grid-reports/schemas';
import {
  DepartmentStatsQuery,
  DepartmentStatsView,
  MatterStatsQuery,
  MatterStatsView,
  RankingQuery,
  RankingView,
  TownshipStatsQuery,
  TownshipStatsView,
  OpenStatsQuery,
  OpenStatsView,
} from '../stats/schemas';

import { calendarPaths } from '../calendar/contract';
import { BEARER, json, responses, secured } from './common';

const body = (schema: z.ZodType, type = 'application/json') => ({ content: { [type]: { schema } }, required: true });
const IdempotencyHeader = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

function referencePaths(
  add: (route: RouteConfig) => void,
  path: string,
  schema: z.ZodType,
  tag: string,
  readRoles: string,
  /** checked beyond its schema (an account's module and grid in its township): 422 */
  checked = false,
) {
  const invalid = checked ? [422] : [];
  const IdParam = z.object({ id: Id });
  const List = z.object({ items: z.array(schema) });
  add({
    method: 'get',
    path,
    tags: [tag],
    summary: `list (${readRoles})`,
    request: { query: z.object({ includeRetired: z.enum(['true', 'false']).optional() }) },
    responses: responses({ 200: json(List, 'the items') }),
  });
  add({
    method: 'post',
    path,
    tags: [tag],
    summary: 'create (admin)',
    request: { body: body(schema) },
    responses: responses({ 201: json(schema, 'created') }, [400, 401, 403, 409, 413, 415, ...invalid, 429, 500]),
  });
  add({
    method: 'get',
    path: `${path}/{id}`,
    tags: [tag],
    summary: `read (${readRoles})`,
    request: { params: IdParam },
    responses: responses({ 200: json(schema, 'the item') }),
  });
  add({
    method: 'put',
    path: `${path}/{id}`,
    tags: [tag],
    summary: 'change (admin)',
    request: { params: IdParam, body: body(schema) },
    responses: responses({ 200: json(schema, 'changed') }, [400, 401, 403, 404, 413, 415, ...invalid, 429, 500]),
  });
  add({
    method: 'delete',
    path: `${path}/{id}`,
    tags: [tag],
    summary: 'retire (admin)',
    request: { params: IdParam },
    responses: responses({ 200: json(schema, 'retired') }),
  });
}

/** Grid reports (网格上报): filed by grid members, handled or whistled by their township. */
function gridReportPaths(add: (route: RouteConfig) => void, path: string) {
  const tags = ['grid reports'];
  const errors = [400, 401, 403, 404, 409, 413, 415, 429, 500];
  add({
    method: 'post',
    path,
    tags,
    summary: 'file a grid report / 网格上报 (a grid member, for its grid): category, description, place, evidence',
    request: { body: body(FileGridReportBody) },
    responses: responses({ 201: json(GridReportView, 'filed, open') }, [400, 401, 403, 413, 415, 422, 429, 500]),
  });
  add({
    method: 'get',
    path,
    tags,
    summary:
      "a township's reports in one status, open by default (its accounts; county-wide roles name townshipId); a grid member's own",
    request: { query: GridReportListQuery },
    responses: responses({ 200: json(GridReportListView, 'newest first') }),
  });
  add({
    method: 'get',
    path: `${path}/{id}`,
    tags,
    summary: 'one grid report (its grid member, its township, county-wide roles)',
    request: { params: GridReportIdParam },
    responses: responses({ 200: json(GridReportView, 'the report') }),
  });
  add({
    method: 'post',
    path: `${path}/{id}/handle`,
    tags,
    summary: 'handle it at township level / 乡镇自行处置 (its township): closed with a note, counted',
    request: { params: GridReportIdParam, body: body(HandleGridReportBody) },
    responses: responses({ 200: json(GridReportView, 'handled') }, errors),
  });
  add({
    method: 'post',
    path: `${path}/{id}/whistle`,
    tags,
    summary:
      'turn it into a whistle in one step / 网格上报转吹哨 (its township): the case keeps gridReportId, the report the case id; repeated, the same case',
    request: { params: GridReportIdParam, body: body(WhistleFromReportBody) },
    responses: responses(
      {
        201: json(z.object({ gridReport: GridReportView, case: CaseView }), 'the whistle blown'),
        200: json(z.object({ gridReport: GridReportView, case: CaseView }), 'the case it became before'),
      },
      [...errors, 422, 503],
    ),
  });
}

/** An action's path, from its row in the action table and its body. */
function actionPath(name: ActionName, prefix: string): RouteConfig {
  const { path, summary, answer, mayBeInvalid, mayBeUnavailable } = CASE_ACTIONS[name];
  const schema = ACTION_BODIES[name];
  const errors = [
    400,
    401,
    403,
    404,
    409,
    413,
    415,
    429,
    500,
    ...(mayBeInvalid ? [422] : []),
    ...(mayBeUnavailable ? [503] : []),
  ];
  return {
    method: 'post',
    path: prefix + path,
    tags: ['whistles'],
    summary,
    // a body with nothing required may be left out
    request: { params: pathParams(path), body: { ...body(schema), required: !schema.safeParse({}).success } },
    responses: responses({ 200: json(CaseView, answer) }, errors),
  };
}

export function openApiDocument(serverUrl = '/') {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const add = (route: RouteConfig) => registry.registerPath({ security: secured, ...route });
  const v1 = '/api/v1';

  add({
    method: 'post',
    path: `${v1}/whistles`,
    tags: ['whistles'],
    summary: 'blow the whistle / 吹哨 (a township; or a department with direction to_township, 部门吹哨)',
    request: { headers: IdempotencyHeader, body: body(RaiseWhistleBody) },
    responses: responses(
      {
        201: json(CaseView, 'the case, routed by the list in force'),
        200: json(CaseView, 'the case an earlier request with this Idempotency-Key started'),
      },
      [400, 401, 403, 413, 415, 422, 429, 500, 503],
    ),
  });
  add({
    method: 'get',
    path: `${v1}/whistles`,
    tags: ['whistles'],
    summary: "the caller's cases, filtered and paged, newest first",
    request: { query: CaseListQuery },
    responses: responses({ 200: json(CaseListView, 'a page of cases') }),
  });
  add({
    method: 'get',
    path: `${v1}/whistles/{id}`,
    tags: ['whistles'],
    summary: 'the live state of a case',
    request: { params: CaseIdParam },
    responses: responses({ 200: json(CaseView, 'the case with its live clocks') }),
  });
  for (const name of ACTION_NAMES) add(actionPath(name, `${v1}/whistles/{id}/`));
  add({
    method: 'get',
    path: `${v1}/whistles/{id}/history`,
    tags: ['whistles'],
    summary: 'the audit timeline: every event with its hash link',
    request: { params: CaseIdParam },
    responses: responses({ 200: json(HistoryView, 'events in order') }),
  });
  add({
    method: 'get',
    path: `${v1}/whistles/{id}/history/verify`,
    tags: ['whistles'],
    summary: "check the stored chain against the case workflow's own record; names the first bad seq",
    request: { params: CaseIdParam },
    responses: responses({ 200: json(ChainCheckView, 'the verdict') }),
  });
  add({
    method: 'get',
    path: `${v1}/audit/verify`,
    tags: ['audit'],
    summary:
      "check every case's chain against its workflow, and the latest anchor against the database (supervisor); streamed as NDJSON, a line per case",
    responses: responses(
      {
        200: {
          description: 'one JSON object a line: start, a case (or error) line per case, anchor, summary',
          content: { 'application/x-ndjson': { schema: AuditVerifyLine } },
        },
      },
      [401, 403, 429, 500],
    ),
  });

  referencePaths(add, `${v1}/townships`, Township, 'organisation', 'any role');
  referencePaths(add, `${v1}/departments`, Department, 'organisation', 'any role');
  referencePaths(add, `${v1}/accounts`, Account, 'organisation', 'admin', true);

  const list = 'responsibility list';
  add({
    method: 'get',
    path: `${v1}/matters`,
    tags: [list],
    summary: 'the list in force',
    responses: responses({ 200: json(MatterList, 'matters in force') }),
  });
  add({
    method: 'post',
    path: `${v1}/matters`,
    tags: [list],
    summary: 'add a matter (admin)',
    request: { body: body(ChangeBody) },
    responses: responses({ 201: json(MatterView, 'created') }, [400, 401, 403, 409, 413, 415, 422, 429, 500]),
  });
  add({
    method: 'get',
    path: `${v1}/matters/export`,
    tags: [list],
    summary: 'export as CSV or JSON',
    request: { query: ExportQuery },
    responses: responses({
      200: {
        description: 'the list',
        content: {
          'text/csv': { schema: z.string() },
          'application/json': { schema: z.object({ listVersion: z.number().int(), matters: z.array(z.unknown()) }) },
        },
      },
    }),
  });
  add({
    method: 'post',
    path: `${v1}/matters/import`,
    tags: [list],
    summary: 'import CSV or JSON, all or nothing (admin)',
    request: {
      query: ImportQuery,
      body: {
        content: { 'application/json': { schema: ImportJson }, 'text/csv': { schema: z.string() } },
        required: true,
      },
    },
    responses: responses(
      { 200: json(ChangeResult, 'applied as one list version') },
      [400, 401, 403, 413, 415, 422, 429, 500],
    ),
  });
  add({
    method: 'get',
    path: `${v1}/matters/usage`,
    tags: [list],
    summary: 'usage per matter (supervisor, admin)',
    responses: responses({ 200: json(Usage, 'usage') }),
  });
  add({
    method: 'get',
    path: `${v1}/matters/proposals`,
    tags: [list],
    summary: 'list corrections proposed by rulings / 裁决提出的清单调整 (supervisor, admin)',
    request: { query: ProposalQuery },
    responses: responses({ 200: json(ProposalList, 'proposals, oldest first') }),
  });
  for (const [verb, summary] of [
    ['apply', 'apply a proposal as a new list version / 采纳 (admin): who, why, which ruling'],
    ['reject', 'reject a proposal with a reason / 驳回 (admin)'],
  ] as const) {
    add({
      method: 'post',
      path: `${v1}/matters/proposals/{id}/${verb}`,
      tags: [list],
      summary,
      request: { params: ProposalIdParam, body: body(ProposalDecisionBody) },
      responses: responses(
        { 200: json(ProposalView, 'the proposal as decided') },
        [400, 401, 403, 404, 409, 413, 415, 422, 429, 500],
      ),
    });
  }
  add({
    method: 'get',
    path: `${v1}/matters/{code}`,
    tags: [list],
    summary: 'one matter in force',
    request: { params: CodeParam },
    responses: responses({ 200: json(MatterView, 'the matter') }),
  });
  add({
    method: 'put',
    path: `${v1}/matters/{code}`,
    tags: [list],
    summary: 'change a matter: a new version (admin)',
    request: { params: CodeParam, body: body(ChangeBody) },
    responses: responses({ 200: json(MatterView, 'the new version') }, [400, 401, 403, 404, 413, 415, 422, 429, 500]),
  });
  add({
    method: 'delete',
    path: `${v1}/matters/{code}`,
    tags: [list],
    summary: 'retire a matter (admin)',
    request: { params: CodeParam, body: body(RetireBody) },
    responses: responses({ 200: json(MatterView, 'retired') }, [400, 401, 403, 404, 413, 415, 429, 500]),
  });
  add({
    method: 'get',
    path: `${v1}/matters/{code}/history`,
    tags: [list],
    summary: 'every version with who and why',
    request: { params: CodeParam },
    responses: responses({ 200: json(MatterHistory, 'the versions') }),
  });

  for (const [path, summary] of [
    ['duties', "the caller's open clocks and enforcement steps / 待办 (a called department or township)"],
    ['desk', 'whistles waiting at the dispatch desk / 待分流 (dispatcher, supervisor)'],
    ['supervision', 'declines awaiting a ruling, suspensions awaiting approval / 待裁决、待审批 (supervisor)'],
  ] as const) {
    add({
      method: 'get',
      path: `${v1}/queues/${path}`,
      tags: ['queues'],
      summary,
      responses: responses({ 200: json(QueueView, 'soonest deadline first') }, [401, 403, 429, 500]),
    });
  }

  gridReportPaths(add, `${v1}/grid-reports`);

  add({
    method: 'get',
    path: `${v1}/overdue`,
    tags: ['queues'],
    summary: 'every late clock in your scope, the latest first: who, which clock, which rung / 超时清单',
    responses: responses({ 200: json(OverdueView, 'the latest first') }, [401, 403, 429, 500]),
  });

  add({
    method: 'get',
    path: `${v1}/overdue/stream`,
    tags: ['queues'],
    summary:
      'server-sent events: each breach, escalation and cure as it is recorded, in your scope / 超时实时推送 (event ids resume with Last-Event-ID; a heartbeat comment every 15 s)',
    request: { headers: z.object({ 'last-event-id': z.string().max(300).optional() }) },
    responses: responses(
      {
        200: {
          description: '`event: breach | escalation | cure`, `data:` the overdue row plus `event`',
          content: { 'text/event-stream': { schema: z.string() } },
        },
      },
      [401, 403, 429, 500],
    ),
  });

  const jsonOrCsv = (schema: z.ZodType, description: string) => ({
    description: `${description}; \`format=csv\`: the rows as CSV (UTF-8 with BOM, nested fields as a.b columns, formula cells neutralised)`,
    content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
  });
  for (const [path, summary, query, view] of [
    [
      'stats/departments',
      'per department: called, on-time report (报到) and on-site, report and resolve times (working minutes where the profile counts working time), results, satisfaction, escalations, declines, suspensions / 部门统计 (supervisor, admin; a department its own row)',
      DepartmentStatsQuery,
      DepartmentStatsView,
    ],
    [
      'stats/townships',
      'per township: whistles raised, withdrawn, merged; cooperation rating; verification speed / 乡镇统计 (supervisor, admin; a township its own row)',
      TownshipStatsQuery,
      TownshipStatsView,
    ],
    [
      'stats/open',
      'open cases now, and of them overdue, by township and grid / 在办案件分布 (按乡镇、网格; supervisor, admin; a township its own)',
      OpenStatsQuery,
      OpenStatsView,
    ],
    [
      'stats/matters',
      'per matter of the list: used, never used, disputes, reassignments / 事项统计 (supervisor, admin)',
      MatterStatsQuery,
      MatterStatsView,
    ],
    [
      'rankings/departments',
      "a month's ranking of departments: response, resolution, satisfaction, composite score, tier / 部门月度排名 (supervisor, admin; a department its own row)",
      RankingQuery,
      RankingView,
    ],
    [
      'rankings/townships',
      "a month's ranking of townships / 乡镇月度排名 (supervisor, admin; a township its own row)",
      RankingQuery,
      RankingView,
    ],
  ] as const) {
    add({
      method: 'get',
      path: `${v1}/${path}`,
      tags: ['statistics'],
      summary,
      request: { query },
      responses: responses({ 200: jsonOrCsv(view, 'the rows') }, [400, 401, 403, 429, 500]),
    });
  }

  calendarPaths(add, v1);

  const csv = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } });
  for (const [path, tag, summary, query] of [
    ['/whistles/export', 'whistles', 'the case list as CSV, with its filters / 导出案件', CaseExportQuery],
    ['/overdue/export', 'queues', 'the overdue list as CSV / 导出超时清单', undefined],
  ] as const) {
    add({
      method: 'get',
      path: `${v1}${path}`,
      tags: [tag],
      summary: `${summary} (UTF-8 with BOM; formula cells neutralised)`,
      ...(query ? { request: { query } } : {}),
      responses: responses({ 200: csv('CSV for spreadsheets') }),
    });
  }
  add({
    method: 'get',
    path: `${v1}/whistles/{id}/history/export`,
    tags: ['whistles'],
    summary: "one case's audit history as CSV / 导出审计记录 (UTF-8 with BOM; formula cells neutralised)",
    request: { params: CaseIdParam },
    responses: responses({ 200: csv('one row per event') }),
  });

  const ops = 'operations';
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    tags: [ops],
    summary: 'the process is up',
    responses: { 200: json(z.object({ status: z.literal('ok') }), 'up') },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags: [ops],
    summary: 'Temporal and the database are reachable',
    responses: {
      200: json(
        z.object({
          status: z.literal('ready'),
          checks: z.record(z.string(), z.string()),
          details: z
            .object({
              calendar: z.object({ daysLeft: z.record(z.string(), z.number()), warning: z.string().optional() }),
            })
            .optional(),
        }),
        'ready; details.calendar warns 60 days before the official holiday data runs out',
      ),
      503: json(z.object({ status: z.literal('not ready'), checks: z.record(z.string(), z.string()) }), 'not ready'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: [ops],
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'text exposition format', content: { 'text/plain': { schema: z.string() } } } },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: '吹哨报到 · Whistle / report for duty API',
      version: '1.0.0',
      description:
        'Townships blow the whistle; county departments report for duty. 乡镇吹哨、部门报到。Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: serverUrl }],
  });
}
