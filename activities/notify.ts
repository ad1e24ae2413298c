/**
 * Delivers the outbox entries of recorded case events: a signed POST to each receiver's webhook,
 * or a structured log line where none is configured. Entries already delivered are skipped, so a
 * retried activity sends only what failed; a response lost on the way back can make a receiver see
 * an event twice, which the stable `X-Whistle-Event-Id` lets it drop.
 */
import { Context } from '@temporalio/activity';
import type { Department, Township } from '../domain/organisation/schemas';
import { envSuffix, type Receiver } from '../domain/notifications';
import { createLogger, type Logger } from '../platform/logger';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../platform/webhook-signature';
import { markDelivered, markFailed, pendingNotifications, type Channel, type NotificationDoc, type OutboxModel } from '../store/outbox';
import type { ReferenceCollection } from '../store/reference-collection';

export interface DeliverNotificationsInput {
  caseId: string;
  /** the events `fromSeq`..`toSeq` (inclusive), recorded already by recordCaseEvents */
  fromSeq: number;
  toSeq: number;
}
/** How many entries this attempt delivered, by channel. */
export interface DeliverNotificationsResult {
  webhook: number;
  log: number;
}
export type DeliverNotifications = (input: DeliverNotificationsInput) => Promise<DeliverNotificationsResult>;

export interface NotifyDependencies {
  outbox: OutboxModel;
  townships: ReferenceCollection<Township>;
  departments: ReferenceCollection<Department>;
}

export interface NotifyOptions {
  /** where county offices' URLs and every secret are read (`process.env` by default) */
  env?: NodeJS.ProcessEnv;
  /** per request */
  timeoutMs?: number;
  log?: Logger;
  now?: () => Date;
}

type Target = { channel: 'log' } | { channel: 'webhook'; url: string; secret: string };

class Misconfigured extends Error {}

export function notifyActivities(deps: NotifyDependencies, options: NotifyOptions = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? createLogger('notifications');
  const now = options.now ?? (() => new Date());

  function secretFrom(name: string, receiver: string): string {
    const secret = env[name];
    if (!secret) throw new Misconfigured(`${receiver} has a webhook but ${name} is not set on the worker`);
    return secret;
  }

  /** Where a receiver's notifications go, as configured now. */
  async function targetOf(receiver: Receiver): Promise<Target> {
    if (receiver.kind === 'county_office') {
      const url = env[`WEBHOOK_URL_${envSuffix(receiver.id)}`];
      return url ? { channel: 'webhook', url, secret: secretFrom(`WEBHOOK_SECRET_${envSuffix(receiver.id)}`, receiver.id) } : { channel: 'log' };
    }
    const unit = receiver.kind === 'township' ? await deps.townships.get(receiver.id) : await deps.departments.get(receiver.id);
    const webhook = unit?.webhook;
    return webhook ? { channel: 'webhook', url: webhook.url, secret: secretFrom(webhook.secretRef, receiver.id) } : { channel: 'log' };
  }

  async function post(entry: NotificationDoc, target: Extract<Target, { channel: 'webhook' }>): Promise<void> {
    const body = JSON.stringify(entry.payload);
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        [EVENT_ID_HEADER]: entry.eventId,
        [EVENT_TYPE_HEADER]: entry.payload.type,
        [TIMESTAMP_HEADER]: String(Math.floor(now().getTime() / 1000)),
        [SIGNATURE_HEADER]: signBody(body, target.secret),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`${target.url} answered ${res.status}`);
  }

  async function deliver(entry: NotificationDoc, target: Target): Promise<Channel> {
    if (target.channel === 'webhook') {
      await post(entry, target);
    } else {
      log.info({ channel: 'log', eventId: entry.eventId, type: entry.payload.type, receiver: entry.payload.receiver }, `notification ${entry.payload.type} for ${entry.receiver}`);
    }
    return target.channel;
  }

  const deliverNotifications: DeliverNotifications = async ({ caseId, fromSeq, toSeq }) => {
    const pending = await pendingNotifications(deps.outbox, caseId, fromSeq, toSeq);
    const targets = new Map<string, Promise<Target>>();
    const failed = new Map<string, string>(); // receiver → why, for this attempt
    const delivered: DeliverNotificationsResult = { webhook: 0, log: 0 };

    const bySeq = new Map<number, NotificationDoc[]>();
    for (const entry of pending) bySeq.set(entry.seq, [...(bySeq.get(entry.seq) ?? []), entry]);

    // events in order; the receivers of one event in parallel. A receiver that failed gets none of
    // its later events in this attempt, so it never sees them out of order.
    for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
      stillAlive();
      await Promise.all(
        bySeq.get(seq)!.map(async (entry) => {
          if (failed.has(entry.receiver)) return;
          try {
            if (!targets.has(entry.receiver)) targets.set(entry.receiver, targetOf(entry.payload.receiver));
            const channel = await deliver(entry, await targets.get(entry.receiver)!);
            await markDelivered(deps.outbox, entry._id, channel, now());
            delivered[channel]++;
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            failed.set(entry.receiver, reason);
            log.warn({ eventId: entry.eventId, receiver: entry.receiver, err: reason, misconfigured: err instanceof Misconfigured }, 'notification not delivered');
            await markFailed(deps.outbox, entry._id, reason);
          }
        }),
      );
    }

    if (failed.size > 0) {
      // Temporal retries the activity with backoff; what was delivered above is skipped next time
      const reasons = [...failed].map(([receiver, reason]) => `${receiver}: ${reason}`).join('; ');
      throw new Error(`notifications of ${caseId} ${fromSeq}..${toSeq} not delivered to ${failed.size} receiver(s): ${reasons}`);
    }
    return delivered;
  };

  return { deliverNotifications };
}

/** Heartbeats between events, so a worker that died mid-delivery is noticed in seconds, not at the time-out. */
function stillAlive(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // called outside an activity (tests call the function directly)
  }
}
