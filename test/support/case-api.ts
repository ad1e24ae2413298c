/** A case driven over HTTP as its users drive it: raise, act, read the case and its history, as any actor. */
import type { Actor } from '../../domain/identity';
import { supervisor } from './fixtures';
import type { Harness } from './harness';
import { call, type JsonResponse } from './http';

/** The status with the body, so a failure shows why. */
export const answer = (res: JsonResponse) =>
  `${res.status} ${res.status >= 400 ? JSON.stringify(res.body) : ''}`.trim();

export function caseApi(harness: Harness) {
  const as = (actor: Actor) => harness.stack.token(actor);
  const raiseAs = async (actor: Actor, body: unknown) =>
    call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token: await as(actor), body });
  const act = async (actor: Actor, caseId: string, action: string, body?: unknown) =>
    call(harness.stack.baseUrl, 'POST', `/api/v1/whistles/${caseId}/${action}`, { token: await as(actor), body });
  /** The case's state; `clocksNow` is left out: it is computed at the moment of reading, not kept. */
  const read = async (caseId: string, actor: Actor = supervisor) => {
    const res = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}`, { token: await as(actor) });
    expect(res.status).toBe(200);
    const { clocksNow: _readingNow, ...state } = res.body;
    return state;
  };
  const history = async (caseId: string): Promise<{ seq: number; type: string; data: any }[]> => {
    const res = await call(harness.stack.baseUrl, 'GET', `/api/v1/whistles/${caseId}/history`, {
      token: await as(supervisor),
    });
    expect(res.status).toBe(200);
    return res.body.events;
  };
  /** An action that must succeed; returns the case it answers with. */
  async function ok(actor: Actor, caseId: string, action: string, body?: unknown): Promise<any> {
    const res = await act(actor, caseId, action, body);
    expect(`${action} as ${actor.accountId}: ${answer(res)}`).toBe(`${action} as ${actor.accountId}: 200`);
    return res.body;
  }
  return { as, raiseAs, act, read, history, ok };
}
