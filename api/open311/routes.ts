/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) for the townships' apps: the list in force
 * as services, a request raises a whistle through the same intake as /api/v1, requests read back
 * from the case projection. Every resource in .json and .xml. An api_key bound to a township
 * account stands in for the bearer token of /api/v1; service discovery and the services are public.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Connection } from 'mongoose';
import { caseProjectionModel } from '../../store/case-projections';
import { ApiKeys } from '../../store/api-keys';
import { organisation } from '../../store/organisation';
import { ResponsibilityList } from '../../store/responsibility-list';
import { idempotencyKey } from '../http/idempotency';
import type { ListInForceCache } from '../matters/list-in-force';
import type { WhistleIntake } from '../whistles/intake';
import { ApiKeyAuth } from './api-key';
import { CaseSearch } from './case-search';
import { caseListModels } from '../../store/case-list';
import { discovery } from './discovery';
import { badRequest, notFound, open311ErrorHandler, open311NotFound } from './errors';
import { FORMATS, send, type Format } from './format';
import { parseRequestSearch } from './query';
import { checkPostRequest, toRaise } from './raise';
import { serviceNotice, toGeoReportRequest, toPublicRequest } from './requests';
import { langOf, serviceDefinition, ServiceCatalogue, toService } from './services';

export interface Open311Deps {
  intake: WhistleIntake;
  list: ListInForceCache;
  store: Connection;
  /** requests read without an api_key get the public view (a county may switch it off) */
  publicView?: boolean;
}

const BODY_LIMIT = '64kb';

/** The spec posts form-encoded; JSON is taken too. Anything else is a 400 (the spec's catch-all). */
const FORM = 'application/x-www-form-urlencoded';
const requireFormOrJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || req.is(FORM) || req.is('application/json')) return next();
  next(
    badRequest(`send the request as ${FORM} (or application/json), not ${req.headers['content-type'] ?? 'no type'}`),
  );
};

export function open311Routes({ intake, list, store, publicView = true }: Open311Deps): Router {
  const auth = new ApiKeyAuth(new ApiKeys(store), organisation(store).accounts);
  const catalogue = new ServiceCatalogue(list, new ResponsibilityList(store));
  const cases = new CaseSearch(caseProjectionModel(store), caseListModels(store));
  const router = Router();

  /** Registers a resource once per format: /services.json and /services.xml. */
  const each = (register: (format: Format) => void) => FORMATS.forEach(register);
  const param = (req: Request, name: string): string => String(req.params[name] ?? '');

  each((format) =>
    router.get(`/discovery.${format}`, async (req: Request, res: Response) => {
      const { changedAt } = await catalogue.all();
      send(
        res,
        format,
        200,
        'discovery',
        discovery(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`, changedAt),
      );
    }),
  );

  each((format) =>
    router.get(`/services.${format}`, async (req, res) => {
      const lang = langOf(req.query.lang);
      const { matters } = await catalogue.all();
      send(
        res,
        format,
        200,
        'services',
        matters.map((m) => toService(m, lang)),
      );
    }),
  );

  each((format) =>
    router.get(`/services/:service_code.${format}`, async (req, res) => {
      const code = param(req, 'service_code');
      const matter = await catalogue.get(code);
      if (!matter) throw notFound(`service_code ${code} was not found / 清单中无此事项`);
      send(res, format, 200, 'service_definition', serviceDefinition(matter));
    }),
  );

  each((format) =>
    router.post(
      `/requests.${format}`,
      requireFormOrJson,
      express.urlencoded({ extended: false, limit: BODY_LIMIT }),
      express.json({ limit: BODY_LIMIT }),
      async (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        // the key first: a caller without one learns nothing about the arguments
        const actor = await auth.actor(body.api_key ?? req.query.api_key);
        const request = checkPostRequest(body);
        const matter = await catalogue.get(request.service_code);
        if (!matter) throw notFound(`service_code ${request.service_code} was not found / 清单中无此事项`);
        const { case: c, created } = await intake.raise(
          actor,
          toRaise(request, matter, actor.orgUnitId),
          idempotencyKey(req),
        );
        send(res, format, created ? 201 : 200, 'service_requests', [
          { service_request_id: c.caseId, service_notice: serviceNotice(c), account_id: null },
        ]);
      },
    ),
  );

  /**
   * Who reads: with an api_key, its township and the full view; without one (GeoReport clients send
   * the key only when posting), anyone, the public view — unless the county switched it off. A key
   * that is sent but wrong is refused, never read as the public.
   */
  async function reader(req: Request) {
    if (req.query.api_key !== undefined || !publicView) {
      const actor = await auth.actor(req.query.api_key);
      return { townshipId: actor.orgUnitId, view: toGeoReportRequest };
    }
    return { townshipId: undefined, view: toPublicRequest };
  }

  each((format) =>
    router.get(`/requests.${format}`, async (req, res) => {
      const { townshipId, view } = await reader(req);
      const search = parseRequestSearch(req.query, new Date());
      const docs = await cases.find(townshipId, search);
      const lang = langOf(req.query.lang);
      send(
        res,
        format,
        200,
        'service_requests',
        docs.map((d) => view(d, lang)),
      );
    }),
  );

  each((format) =>
    router.get(`/requests/:service_request_id.${format}`, async (req, res) => {
      const { townshipId, view } = await reader(req);
      const id = param(req, 'service_request_id');
      const doc = await cases.one(townshipId, id);
      if (!doc) throw notFound(`service_request_id ${id} was not found / 无此请求`);
      send(res, format, 200, 'service_requests', [view(doc, langOf(req.query.lang))]);
    }),
  );

  router.use(open311NotFound);
  router.use(open311ErrorHandler);
  return router;
}
