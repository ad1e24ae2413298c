/**
 * Delivers the outbox entries of recorded case events: a signed POST to each receiver's webhook,
 * or a structured log line where none is configured. Entries already delivered are skipped, so a
 * retried activity sends only what failed; a response lost on the way back can make a receiver see
 * an event twice, which the stable `X-Whistle-Event-Id` lets it drop. Logs and errors name a receiver
 * and its URL's origin, never the URL's path or query, a secret or a signature.
 */
import { Context } from '@temporalio/activity';
import type { Department, Township } from '../domain/organisation/schemas';
import { envSuffix, type Receiver } from '../domain/notifications';
import { createLogger, type Logger } from '../platform/logger';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
} from '../platform/webhook-signature';
import { LRUCache } from 'lru-cache';
import {
  outboxBatches,
  settle,
  type BatchDoc,
  type Channel,
  type NotificationDoc,
  type OutboxModel,
} from '../store/outbox';
import type { ReferenceCollection } from '../store/reference-collection';

export interface DeliverNotificationsInput {
  caseId: string;
  /** the events `fromSeq`..`toSeq` (inclusive), recorded already by recordCaseEvents */
  fromSeq: number;
  toSeq: number;
  /** the first events of the recorded batches in the range, when the caller knows them */
  batches?: number[];
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
  /** how long a receiver's webhook configuration is reused (30 s by default) */
  configTtlMs?: number;
}

type Target = { channel: 'log' } | { channel: 'webhook'; url: string; secret: string };

class Misconfigured extends Error {}

/** The courier's activity; the log channel's delivery for the recording activity is `notifier(…).deliverToLogs`. */
export function notifyActivities(deps: NotifyDependencies, options: NotifyOptions = {}) {
  const { deliverNotifications } = notifier(deps, options);
  return { deliverNotifications };
}

export function notifier(deps: NotifyDependencies, options: NotifyOptions = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? createLogger('notifications');
  const now = options.now ?? (() => new Date());

  function secretFrom(name: string, receiver: string): string {
    const secret = env[name];
    if (!secret) throw new Misconfigured(`${receiver} has a webhook but ${name} is not set on the worker`);
    return secret;
  }

  // configuration changes rarely; reading it per receiver and attempt would cost a scan each on FerretDB
  const configured = new LRUCache<string, Promise<Target>>({ max: 1000, ttl: options.configTtlMs ?? 30_000 });
  function targetOf(receiver: Receiver): Promise<Target> {
    const key = `${receiver.kind}:${receiver.id}`;
    let target = configured.get(key);
    if (!target) {
      target = lookUp(receiver);
      configured.set(key, target);
      target.catch(() => configured.delete(key));
    }
    return target;
  }

  /** Where a receiver's notifications go, as configured now. */
  async function lookUp(receiver: Receiver): Promise<Target> {
    if (receiver.kind === 'county_office') {
      const url = env[`WEBHOOK_URL_${envSuffix(receiver.id)}`];
      return url
        ? { channel: 'webhook', url, secret: secretFrom(`WEBHOOK_SECRET_${envSuffix(receiver.id)}`, receiver.id) }
        : { channel: 'log' };
    }
    const unit =
      receiver.kind === 'township' ? await deps.townships.get(receiver.id) : await deps.departments.get(receiver.id);
    const webhook = unit?.webhook;
    return webhook
      ? { channel: 'webhook', url: webhook.url, secret: secretFrom(webhook.secretRef, receiver.id) }
      : { channel: 'log' };
  }

  async function post(entry: NotificationDoc, target: Extract<Target, { channel: 'webhook' }>): Promise<void> {
    const body = JSON.stringify(entry.payload);
    // the receiver by its origin: a webhook URL may carry a token in its path or query
    const where = originOf(target.url);
    let res: Response;
    try {
      res = await fetch(target.url, {
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
    } catch (err) {
      // fetch's own messages may quote the whole URL ("Failed to parse URL from …"): not kept as the cause
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`${where} could not be reached: ${failureKind(err)}`);
    }
    await res.body?.cancel();
    if (!res.ok) throw new Error(`${where} answered ${res.status}`);
  }

  async function deliver(entry: NotificationDoc, target: Target): Promise<Channel> {
    if (target.channel === 'webhook') {
      await post(entry, target);
    } else {
      log.info(
        { channel: 'log', eventId: entry.eventId, type: entry.payload.type, receiver: entry.payload.receiver },
        `notification ${entry.payload.type} for ${entry.receiver}`,
      );
    }
    return target.channel;
  }

  const deliverNotifications: DeliverNotifications = async ({ caseId, fromSeq, toSeq, batches }) => {
    const failed = new Map<string, string>(); // receiver → why, for this attempt
    const delivered: DeliverNotificationsResult = { webhook: 0, log: 0 };

    // events in order; the receivers of one event in parallel. A receiver that failed gets none of
    // its later events in this attempt, so it never sees them out of order.
    for (const batch of await outboxBatches(deps.outbox, caseId, fromSeq, toSeq, batches)) {
      const pending = batch.entries.filter((e) => e.status === 'pending');
      if (pending.length === 0) continue;
      for (const seq of [...new Set(pending.map((e) => e.seq))].sort((a, b) => a - b)) {
        stillAlive();
        await Promise.all(pending.filter((e) => e.seq === seq).map((entry) => attempt(entry, failed, delivered)));
      }
      if ((await settle(deps.outbox, batch, now())) === 'delivered') logDelivered(batch);
    }

    if (failed.size > 0) {
      // Temporal retries the activity with backoff; what was delivered above is skipped next time
      const reasons = [...failed].map(([receiver, reason]) => `${receiver}: ${reason}`).join('; ');
      throw new Error(
        `notifications of ${caseId} ${fromSeq}..${toSeq} not delivered to ${failed.size} receiver(s): ${reasons}`,
      );
    }
    return delivered;
  };

  /** The batch stays in the outbox, marked delivered; this line logs the same record. */
  function logDelivered(batch: BatchDoc): void {
    const deliveries = batch.entries.map((e) => ({
      eventId: e.eventId,
      receiver: e.receiver,
      channel: e.channel,
      attempts: e.attempts,
      at: e.deliveredAt,
    }));
    log.info({ caseId: batch.caseId, batch: batch._id, deliveries }, 'notifications delivered');
  }

  /**
   * For the recording activity, before the batch is stored: the entries whose receivers take log
   * lines are delivered in place (the same line the courier writes); a receiver with a webhook, or
   * whose configuration cannot be read now, is left to the courier. True if any entry waits for it.
   */
  const deliverToLogs = async (batch: BatchDoc): Promise<boolean> => {
    for (const entry of batch.entries) {
      const target = await targetOf(entry.payload.receiver).catch(() => undefined);
      if (target?.channel !== 'log') continue;
      entry.attempts++;
      await deliver(entry, target);
      Object.assign(entry, { status: 'delivered', channel: 'log', deliveredAt: now().toISOString() });
    }
    if (batch.entries.some((e) => e.status === 'pending')) return true;
    batch.deliveredAt = now().toISOString();
    logDelivered(batch);
    return false;
  };

  /** One entry, changed in place: delivered with its channel, or its error noted. */
  async function attempt(
    entry: NotificationDoc,
    failed: Map<string, string>,
    delivered: DeliverNotificationsResult,
  ): Promise<void> {
    if (failed.has(entry.receiver)) return;
    entry.attempts++;
    try {
      const channel = await deliver(entry, await targetOf(entry.payload.receiver));
      Object.assign(entry, { status: 'delivered', channel, deliveredAt: now().toISOString() });
      delivered[channel]++;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      failed.set(entry.receiver, reason);
      entry.lastError = reason.slice(0, 1000);
      log.warn(
        { eventId: entry.eventId, receiver: entry.receiver, err: reason, misconfigured: err instanceof Misconfigured },
        'notification not delivered',
      );
    }
  }

  return { deliverNotifications, deliverToLogs };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'a webhook URL that does not parse';
  }
}

/** Why a request failed, in words that hold no part of its URL: a timeout, or the socket's error code. */
function failureKind(err: unknown): string {
  if (!(err instanceof Error)) return 'failed';
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : err.name;
}

/** Heartbeats between events, so a worker that died mid-delivery is noticed in seconds, not at the time-out. */
function stillAlive(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // called outside an activity (tests call the function directly)
  }
}
