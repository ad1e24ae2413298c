/**
 * `GET /api/v1/overdue/stream`: server-sent events for the supervisor's live overdue board: each
 * breach, escalation and cure as it is recorded (events `breach`, `escalation`, `cure`; data = the
 * overdue list's row plus `event`), scoped as `GET /api/v1/overdue` is, and a heartbeat comment
 * every 15 s so proxies keep the connection open.
 *
 * The bearer header is required as on every route (a browser reads the stream with fetch, not
 * EventSource, which cannot send it; a token in the query string would end up in logs). The worker
 * records the rows into the `overdue_feed` read model (store/overdue-feed.ts); this process polls
 * the current minute's bucket about once a second. Each event's id is `<recordedAt>~<key>`: a client
 * that reconnects with `Last-Event-ID` gets what it missed (up to an hour back), oldest first.
 */
import type { Request, Response } from 'express';
import { listScope } from '../../domain/access';
import type { Logger } from '../../platform/logger';
import { feedBetween, type FeedEntry, type OverdueFeedModel } from '../../store/overdue-feed';
import { actorOf } from '../http/authenticate';

export interface StreamTiming {
  pollMs: number;
  heartbeatMs: number;
}
export const STREAM_TIMING: StreamTiming = { pollMs: 1_000, heartbeatMs: 15_000 };

/** How far back a poll looks again for rows recorded late by a slower activity. */
const LOOKBACK_MS = 2 * 60_000;
/** How far back `Last-Event-ID` may reach. */
const RESUME_MS = 60 * 60_000;

/** Open streams end when the process stops, so that finishing requests in flight can finish. */
const openStreams = new Set<Response>();

/** Ends every open stream (on SIGTERM): clients reconnect, with Last-Event-ID, to a process still up. */
export function endOpenStreams(): void {
  for (const res of openStreams) res.end();
}

const eventId = (e: FeedEntry) => `${e.recordedAt}~${e._id}`;

function resumePoint(header: string | undefined, now: number): { at: number; id: string } | undefined {
  const match = /^(\d{10,16})~(.+)$/.exec(header ?? '');
  if (!match) return undefined;
  return { at: Math.max(Number(match[1]), now - RESUME_MS), id: header! };
}

export function overdueStream(feed: OverdueFeedModel, logger?: Logger, timing: StreamTiming = STREAM_TIMING) {
  return (req: Request, res: Response) => {
    const { townshipId, departmentId } = listScope(actorOf(req));
    const inScope = (e: FeedEntry) =>
      (!townshipId || e.townshipId === townshipId) && (!departmentId || e.departmentIds.includes(departmentId));
    const started = Date.now();
    const resume = resumePoint(req.header('last-event-id'), started);
    const since = resume?.at ?? started;
    const sent = new Map<string, number>();
    let from = since;

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    openStreams.add(res);

    let closed = false;
    let polling = false;
    const poll = async () => {
      if (polling || closed) return;
      polling = true;
      try {
        const now = Date.now();
        for (const e of await feedBetween(feed, from, now)) {
          const id = eventId(e);
          if (sent.has(id) || !inScope(e) || (resume && id <= resume.id && e.recordedAt === resume.at)) continue;
          sent.set(id, e.recordedAt);
          const { _id, bucket: _b, recordedAt: _r, departmentIds: _d, ...row } = e;
          res.write(`id: ${id}\nevent: ${e.event.kind}\ndata: ${JSON.stringify(row)}\n\n`);
        }
        from = Math.max(since, now - LOOKBACK_MS);
        for (const [id, at] of sent) if (at < from) sent.delete(id);
      } catch (err) {
        logger?.warn({ err }, 'overdue stream: the feed could not be read; trying again');
      } finally {
        polling = false;
      }
    };
    const pollTimer = setInterval(() => void poll(), timing.pollMs);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), timing.heartbeatMs);
    void poll();
    req.on('close', () => {
      closed = true;
      openStreams.delete(res);
      clearInterval(pollTimer);
      clearInterval(heartbeat);
    });
  };
}
