/** The HTTP application: request ids and logs (no secrets), JSON bodies, identity, routes, problem+json errors. */
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { Account, Department, refuseAccountPlacement, Township } from '../domain/organisation/schemas';
import { CASE_ROLES } from '../domain/identity';
import type { Logger } from '../platform/logger';
import type { DeskHours } from '../domain/sla';
import { anchorModel } from '../store/audit-anchors';
import { auditEventModel } from '../store/audit-events';
import { CaseNumbers } from '../store/case-numbers';
import { rollupModels } from '../store/stats-rollups';
import { caseProjectionModel } from '../store/case-projections';
import { caseListModels } from '../store/case-list';
import { overdueFeedModel } from '../store/overdue-feed';
import { listProposalModel } from '../store/list-proposals';
import { organisation } from '../store/organisation';
import { ResponsibilityList } from '../store/responsibility-list';
import { ChainVerifier } from './audit/chain-verifier';
import { auditRoutes } from './audit/routes';
import { openApiDocument } from './contract/openapi';
import { contractRoutes } from './contract/routes';
import { authenticate, requireRole } from './http/authenticate';
import { CachedLookup } from './http/cached-lookup';
import { requireContentType } from './http/content-type';
import { problemHandler, sendProblem } from './http/problem';
import { methodGuard } from './http/method-guard';
import { refuseNul } from './http/no-nul';
import { rateLimitPerMinute } from './http/rate-limit';
import { requestLog } from './http/request-log';
import { dashboardRoutes } from './dashboard';
import { createMetrics } from './ops/metrics';
import { opsRoutes } from './ops/routes';
import { ListInForceCache } from './matters/list-in-force';
import { CalendarInForce } from './calendar/in-force';
import { calendarRoutes } from './calendar/routes';
import { CalendarVersions } from '../store/calendar-versions';
import { matterRoutes } from './matters/routes';
import { overdueRoutes, queueRoutes } from './queues/routes';
import { gridReportRoutes } from './grid-reports/routes';
import { GridReports } from '../store/grid-reports';
import { open311Routes } from './open311/routes';
import { rankingRoutes, statsRoutes } from './stats/routes';
import { referenceRoutes } from './organisation/routes';
import { CaseGateway } from './whistles/case-gateway';
import { WhistleIntake } from './whistles/intake';
import { historyRoutes } from './whistles/history-routes';
import { caseListRoutes } from './whistles/list-routes';
import { whistleRoutes } from './whistles/routes';

export interface AppDeps {
  temporal: Client;
  taskQueue: string;
  store: Connection;
  jwtSecret: string;
  logger: Logger;
  /** how long accounts, townships and the list in force are cached (changes show within it) */
  cacheMs?: number;
  /** requests a minute per account (and 2× per address before sign-in) */
  rateLimitPerMinute?: number;
  /** first part of the case numbers people read (county-year-sequence) */
  countyCode?: string;
  /** the dispatch desk's hours (default: office hours) */
  deskHours?: DeskHours;
  /** Open311 requests read without an api_key answer the public view (default: on) */
  open311PublicView?: boolean;
  /** the built web dashboard served at `/` (absent: `/` says how to build it) */
  dashboardDir?: string;
  /** every whistle taken in runs on the drill SLA profile (default: off) */
  drillSla?: boolean;
  /** the API's clock: when a whistle is raised, what day the calendar's coverage counts from (tests pin it) */
  now?: () => Date;
}

/** Only the list import and a calendar year's notice take CSV; everything else speaks JSON. */
const CSV_PATHS = [/^\/matters\/import$/, /^\/calendar\/years\/[^/]+$/];

const BODY_LIMIT = '256kb';

export function createApp({
  temporal,
  taskQueue,
  store,
  jwtSecret,
  logger,
  cacheMs,
  rateLimitPerMinute: perMinute = 600,
  countyCode = 'XILAN',
  deskHours = 'office',
  open311PublicView = true,
  dashboardDir,
  drillSla = false,
  now = () => new Date(),
}: AppDeps): Express {
  const org = organisation(store);
  const list = new ResponsibilityList(store);
  const accounts = new CachedLookup((id) => org.accounts.get(id), cacheMs);
  const townships = new CachedLookup((id) => org.townships.get(id), cacheMs);
  const departments = new CachedLookup((id) => org.departments.get(id), cacheMs);
  const listInForce = new ListInForceCache(list, cacheMs);
  const calendars = new CalendarVersions(store);
  const calendarInForce = new CalendarInForce(calendars, logger, now, cacheMs);
  const metrics = createMetrics(caseProjectionModel(store), () => calendarInForce.coverage());
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requestLog(logger));

  app.use(metrics.observe);
  const contract = openApiDocument();
  app.use(methodGuard(contract));
  app.use(opsRoutes(temporal, store, metrics.registry, () => calendarInForce.coverage()));
  app.use(contractRoutes(contract));

  const api = express.Router();
  api.use(rateLimitPerMinute(perMinute * 2, 'address'));
  api.use(requireContentType(CSV_PATHS));
  api.use(express.json({ limit: BODY_LIMIT }));
  api.use(express.text({ type: 'text/csv', limit: '2mb' }));
  api.use(refuseNul);
  api.use(authenticate(jwtSecret, accounts));
  api.use(rateLimitPerMinute(perMinute, 'account'));
  const cases = new CaseGateway(temporal, taskQueue);
  const intake = new WhistleIntake(
    cases,
    listInForce,
    townships,
    new CaseNumbers(store, countyCode),
    { deskHours, drillSla },
    calendarInForce,
    now,
  );
  // grid members file grid reports; cases, their queues and their audit are for the roles that work on cases
  api.use(['/whistles', '/queues', '/overdue', '/audit'], requireRole(...CASE_ROLES));
  api.use('/whistles', caseListRoutes(caseListModels(store)));
  api.use('/whistles', whistleRoutes(cases, intake, departments, townships));
  const events = auditEventModel(store);
  const verifier = new ChainVerifier(temporal, events);
  api.use('/whistles', historyRoutes(cases, events, verifier));
  api.use('/audit', auditRoutes({ client: temporal, verifier, anchors: anchorModel(store), events }));
  api.use(
    '/townships',
    referenceRoutes({
      collection: org.townships,
      schema: Township,
      noun: 'township',
      changed: (id) => townships.forget(id),
    }),
  );
  api.use(
    '/departments',
    referenceRoutes({
      collection: org.departments,
      schema: Department,
      noun: 'department',
      changed: (id) => departments.forget(id),
    }),
  );
  api.use(
    '/accounts',
    referenceRoutes({
      collection: org.accounts,
      schema: Account,
      noun: 'account',
      readRoles: ['admin'],
      changed: (id) => accounts.forget(id),
      check: async (item) => {
        const a = item as Account;
        return refuseAccountPlacement(a, a.orgUnitId ? await org.townships.get(a.orgUnitId) : undefined);
      },
    }),
  );
  api.use(
    '/matters',
    matterRoutes(list, org, caseProjectionModel(store), listProposalModel(store), () => listInForce.forget()),
  );
  const gridReports = new GridReports(store);
  api.use('/grid-reports', gridReportRoutes(gridReports, intake));
  api.use('/calendar', calendarRoutes(calendars, calendarInForce, now));
  api.use('/queues', queueRoutes(caseListModels(store)));
  api.use('/overdue', overdueRoutes(caseListModels(store), overdueFeedModel(store), logger));
  const statsDeps = { rollups: rollupModels(store), lists: caseListModels(store), gridReports, org, list };
  api.use('/stats', statsRoutes(statsDeps));
  api.use('/rankings', rankingRoutes(statsDeps));
  app.use('/api/v1', api);
  app.use('/open311/v2', open311Routes({ intake, list: listInForce, store, publicView: open311PublicView }));
  app.use(dashboardRoutes(dashboardDir));

  app.use((req, res) => sendProblem(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  app.use(problemHandler);
  return app;
}
