/**
 * The web dashboard at `/`: the files vite built into `.web-dist/` (git-ignored), served as they
 * are. Hashed assets are cached for a year; index.html is asked for again each time so a new build
 * shows at the next load. Helmet's CSP stays as it is (script-src 'self'): the build has no inline
 * script and the Vue templates are compiled ahead of time, so nothing needs eval.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { sendProblem } from './http/problem';

export function dashboardRoutes(dir: string | undefined): Router {
  const router = Router();
  const built = dir !== undefined && existsSync(join(dir, 'index.html'));
  if (!built) {
    router.get('/', (_req, res) =>
      sendProblem(
        res,
        404,
        'Not Found',
        'the web dashboard is not built: `npm start` or `npm run build:web` builds it / 工作台尚未构建',
      ),
    );
    return router;
  }
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  router.get(['/', '/index.html'], (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: dir });
  });
  return router;
}
