/**
 * Which errors mean "a dependency is down for now" (Temporal unreachable or not answering, the
 * database unreachable): the API answers those 503 with Retry-After, so a client asks again later
 * instead of reading a 500 as a bug. Recognised by gRPC status code and driver error names along the
 * error's cause chain, never by the request.
 */

/** gRPC UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (Temporal throttling) */
const TRANSIENT_GRPC_CODES = new Set([14, 4, 8]);

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'ConnectionError', // @temporalio/client: the connection to the server could not be made
  'WorkflowUpdateRPCTimeoutOrCancelledError', // no worker took the Update within the RPC's time
]);

/**
 * A socket to a dependency closed or refused under the driver: the MongoDB driver passes Node's own
 * error up as it is when it writes to a connection the killed server half-closed (seen in the fault
 * test: EPIPE, "This socket has been ended by the other party"). The API opens sockets to its
 * dependencies only.
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/** Seconds a client should wait before asking again. */
export const RETRY_AFTER_SECONDS = 2;

export function isDependencyUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = err; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (name === 'ServiceError' && typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return true;
    if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code) && 'details' in e && 'metadata' in e) return true;
    // mongoose, while disconnected, queues an operation and gives up after bufferTimeoutMS
    if (name === 'MongooseError' && typeof message === 'string' && /buffering timed out/.test(message)) return true;
  }
  return false;
}
