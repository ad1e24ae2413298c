/** Every /api call carries `Authorization: Bearer <JWT>`: no or bad token → 401, wrong role → 403. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, Role } from '../../domain/identity';
import { verifyToken } from '../../platform/tokens';
import { HttpProblem } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export function authenticate(secret: string): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      return next(unauthorized('missing bearer token: send Authorization: Bearer <JWT> / 缺少令牌'));
    }
    try {
      req.actor = await verifyToken(secret, match[1]!);
      next();
    } catch (err) {
      next(unauthorized(`invalid token: ${(err as Error).message} / 令牌无效`));
    }
  };
}

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'Unauthorized', detail);
}

/** The authenticated actor; only valid behind `authenticate`. */
export function actorOf(req: Request): Actor {
  if (!req.actor) throw new Error('actorOf called on an unauthenticated route');
  return req.actor;
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const { role } = actorOf(req);
    if (roles.includes(role)) return next();
    next(new HttpProblem(403, 'Forbidden', `role ${role} may not do this; allowed: ${roles.join(', ')} / 无权操作`));
  };
}
