/** The HTTP application: request ids and logs, JSON bodies, identity, routes, problem+json errors. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../platform/logger';
import { authenticate } from './http/authenticate';
import { problemHandler, sendProblem } from './http/problem';
import { CaseGateway } from './whistles/case-gateway';
import { whistleRoutes } from './whistles/routes';

export interface AppDeps {
  temporal: Client;
  taskQueue: string;
  jwtSecret: string;
  logger: Logger;
}

const BODY_LIMIT = '256kb';

export function createApp({ temporal, taskQueue, jwtSecret, logger }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use((req, res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      return sendProblem(res, 415, 'Unsupported Media Type', `send the body as application/json, not ${req.headers['content-type'] ?? 'no type'}`);
    }
    next();
  });
  api.use(express.json({ limit: BODY_LIMIT }));
  api.use(authenticate(jwtSecret));
  api.use('/whistles', whistleRoutes(new CaseGateway(temporal, taskQueue)));
  app.use('/api/v1', api);

  app.use((req, res) => sendProblem(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  app.use(problemHandler);
  return app;
}
