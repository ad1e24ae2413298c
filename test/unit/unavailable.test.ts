/** Which errors the API answers 503 (a dependency down for now) rather than 500 (a bug). */
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { z } from 'zod';
import { isDependencyUnavailable } from '../../api/http/unavailable';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
const grpc = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: 'd', metadata: {} });

describe('when an error reaches the problem handler', () => {
  it('then a database that cannot be reached counts as unavailable', () => {
    for (const name of ['MongoNetworkError', 'MongoServerSelectionError', 'MongooseServerSelectionError'])
      expect([name, isDependencyUnavailable(named(name))]).toEqual([name, true]);
    expect(isDependencyUnavailable(named('MongooseError', 'Operation `cases.findOne()` buffering timed out'))).toBe(
      true,
    );
    // the driver writing to a connection the killed database half-closed passes Node's error up as it is
    const halfClosed = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isDependencyUnavailable(halfClosed)).toBe(true);
  });

  it('then Temporal unreachable, too slow or throttling counts as unavailable, found along the cause chain', () => {
    for (const code of [14, 4, 8])
      expect([code, isDependencyUnavailable(new ServiceError('call failed', { cause: grpc(code) }))]).toEqual([
        code,
        true,
      ]);
    expect(isDependencyUnavailable(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).toBe(true);
  });

  it('then bugs and refusals do not', () => {
    expect(isDependencyUnavailable(new Error('boom'))).toBe(false);
    expect(isDependencyUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isDependencyUnavailable(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    expect(isDependencyUnavailable(new ServiceError('not found', { cause: grpc(5) }))).toBe(false);
    expect(isDependencyUnavailable(z.string().safeParse(1).error)).toBe(false);
    const loop: { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isDependencyUnavailable(loop)).toBe(false);
  });
});
