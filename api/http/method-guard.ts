/**
 * Methods a documented path does not support answer 405 with `Allow` (OPTIONS: 204 with `Allow`),
 * from the OpenAPI document itself, instead of falling through to another route or a 404.
 */
import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

interface Document {
  paths?: object;
}

export function methodGuard(document: Document): RequestHandler {
  const routes = Object.entries(document.paths ?? {}).map(([template, item]: [string, object | undefined]) => {
    const methods = Object.keys(item ?? {}).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    return { pattern, methods, allow: [...methods, 'OPTIONS'].sort().join(', ') };
  });
  // the most literal template wins (/matters/export before /matters/{code})
  routes.sort(
    (a, b) => b.pattern.source.replace(/\[\^\/\]\+/g, '').length - a.pattern.source.replace(/\[\^\/\]\+/g, '').length,
  );

  return (req, res, next) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    res.setHeader('Allow', route.allow);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    sendProblem(
      res,
      405,
      'Method Not Allowed',
      `${req.method} is not supported on ${req.path}; allowed: ${route.allow}`,
    );
  };
}
