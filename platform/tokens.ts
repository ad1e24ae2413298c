/**
 * Bearer tokens (JWT, HS256) carry who acts: `sub` = account, `role`, `org` = township or
 * department id for org-bound roles. Shared by the API (verify) and `npm run token` (sign).
 */
import { jwtVerify, SignJWT } from 'jose';
import { isRole, ORG_BOUND_ROLES, type Actor } from '../domain/identity';

const ISSUER = 'whistle';
const key = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(secret: string, actor: Actor, expiresIn: string | number = '12h'): Promise<string> {
  return new SignJWT({ role: actor.role, ...(actor.orgUnitId ? { org: actor.orgUnitId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.accountId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

/** Verifies signature, expiry and claims; throws with a reason a caller can read. */
export async function verifyToken(secret: string, token: string): Promise<Actor> {
  const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'] });
  const { sub, role, org } = payload;
  if (typeof sub !== 'string' || sub === '') throw new Error('token has no subject (sub)');
  if (!isRole(role)) throw new Error(`token role ${JSON.stringify(role)} is not one of the known roles`);
  if (ORG_BOUND_ROLES.includes(role) && (typeof org !== 'string' || org === '')) {
    throw new Error(`a ${role} token needs the org claim`);
  }
  return { accountId: sub, role, ...(typeof org === 'string' && org !== '' ? { orgUnitId: org } : {}) };
}
