/** Every /api call carries `Authorization: Bearer <JWT>`: no or bad token → 401, wrong role → 403. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, Role } from '../../domain/identity';
import { verifyToken } from '../../platform/tokens';
import { accountMayAct, type Account } from '../../domain/organisation/schemas';
import type { CachedLookup } from './cached-lookup';
import { HttpProblem } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Token valid, and its account known, enabled and still holding the token's role and org unit. */
export function authenticate(secret: string, accounts: CachedLookup<Account>): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      return next(unauthorized('missing bearer token: send Authorization: Bearer <JWT> / 缺少令牌'));
    }
    let actor: Actor;
    try {
      actor = await verifyToken(secret, match[1]!);
    } catch (err) {
      return next(unauthorized(`invalid token: ${(err as Error).message} / 令牌无效`));
    }
    const account = await accounts.get(actor.accountId);
    if (!accountMayAct(account)) {
      return next(unauthorized(`account ${actor.accountId} is unknown or disabled / 账号不存在或已停用`));
    }
    if (account.role !== actor.role || account.orgUnitId !== actor.orgUnitId) {
      return next(
        unauthorized(`the token's role or org unit no longer matches account ${actor.accountId} / 令牌与账号不符`),
      );
    }
    req.actor = actorOfAccount(actor, account);
    next();
  };
}

/** The module and the grid come from the account as it is now, never from the token. */
export function actorOfAccount(actor: Actor, account: Account): Actor {
  return {
    ...actor,
    ...(account.moduleKey ? { module: account.moduleKey } : {}),
    ...(account.gridId ? { gridId: account.gridId } : {}),
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
