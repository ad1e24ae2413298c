/**
 * A case's whole life as its users live it, through the HTTP API: the township raises a whistle
 * (a share without a matter, which the dispatch desk classifies); the lead and the co-operating
 * department report for duty and come on site; the lead plans two steps (one for the township's
 * enforcement module, one its own), each is completed; the township adds a progress note with
 * evidence; the lead reports the result; the township verifies it (a share is sent back once and
 * reported again), rates both departments, and both rate the township: closed. The raiser reads the
 * case and the supervisor its history along the way. The same actions, as bare Updates and Queries,
 * make the baseline's case.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { demoAccount } from '../dev/demo-county/load';
import type { Actor, Role } from '../domain/identity';
import { signToken } from '../platform/tokens';
import { BARE_TASK_QUEUE } from './stack';
import { bareCase, bareState, bareStep } from './bare/workflows';
import type { StepTimer } from './stats';

const TOWNSHIP = 'tw-nanpuxi';
const MATTER = 'WJ-006'; // lead: comprehensive enforcement; co-operating: planning (demo county's list)
const LEAD = 'dept-enforcement';
const COOPERATING = 'dept-planning';

/** Which of the n cases take the longer roads: one in `every` through the desk, one in `every` sent back. */
export interface Shares {
  desk: number;
  sendBack: number;
}
export const SHARES: Shares = { desk: 5, sendBack: 4 };
const viaDesk = (i: number) => i % SHARES.desk === 0;
const sentBack = (i: number) => i % SHARES.sendBack === 1;

/** One user action of a case: what the whistle case calls over HTTP and the bare case does instead. */
interface Action {
  /** the endpoint, as the report names it */
  step: string;
  who: keyof Tokens;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const evidence = [
  {
    kind: 'photo',
    uri: 'https://evidence.example/bench-after.jpg',
    sha256: 'b'.repeat(64),
    capturedAt: '2026-11-23T08:00:00Z',
  },
];
const stepOf = (key: string, assignee: object, dependsOn: string[]) => ({
  key,
  title: `步骤 ${key} / step ${key}`,
  kind: 'inspection',
  assignee,
  limit: { amount: 1, unit: 'working_day' },
  dependsOn,
});
const rating = (departmentId: string) => ({ departmentId, speed: 4, attitude: 5, result: 4 });

/** The actions of case `i` after the raise, in order; actions in one inner list run side by side. */
function actionsOf(i: number): Action[][] {
  const post = (step: string, who: keyof Tokens, path: string, body?: unknown): Action => ({
    step: `{id}/${step}`,
    who,
    method: 'POST',
    path,
    body,
  });
  const both = (path: string) => [post(path, 'lead', path), post(path, 'cooperating', path)];
  const resolve = post('resolve', 'lead', 'resolve', {
    summary: '已责令拆除，现场恢复 / demolished, site restored',
    evidence,
  });
  return [
    ...(viaDesk(i) ? [[post('classify', 'dispatcher', 'classify', { matterCode: MATTER })]] : []),
    [{ step: '{id}', who: 'township', method: 'GET', path: '' }],
    both('acknowledge'),
    both('on-site'),
    [
      post('plan', 'lead', 'plan', {
        steps: [
          stepOf('a', { kind: 'township', townshipId: TOWNSHIP, module: 'enforcement' }, []),
          stepOf('b', { kind: 'department', departmentId: LEAD }, ['a']),
        ],
      }),
    ],
    [post('steps/{key}/complete', 'township', 'steps/a/complete', { note: '已现场检查 / inspected' })],
    [post('steps/{key}/complete', 'lead', 'steps/b/complete', { note: '已下达整改通知 / notice served' })],
    [post('progress', 'township', 'progress', { note: '现场已拍照固定证据 / evidence fixed on site', evidence })],
    [resolve],
    ...(sentBack(i)
      ? [[post('verify', 'township', 'verify', { accept: false, reason: '现场未清理 / rubble left' })], [resolve]]
      : []),
    [post('verify', 'township', 'verify', { accept: true })],
    [post('evaluate', 'township', 'evaluate', { ratings: [rating(LEAD), rating(COOPERATING)] })],
    [
      post('evaluate', 'lead', 'evaluate', { cooperation: 5, comment: '配合积极' }),
      post('evaluate', 'cooperating', 'evaluate', { cooperation: 4 }),
    ],
    [{ step: '{id}/history', who: 'supervisor', method: 'GET', path: 'history' }],
  ];
}

export interface Tokens {
  township: string;
  lead: string;
  cooperating: string;
  dispatcher: string;
  supervisor: string;
}

/** Tokens of the demo county's accounts, signed as `npm run token` signs them. */
export async function demoTokens(secret: string): Promise<Tokens> {
  const as = (role: Role, org?: string) => {
    const actor: Actor = { accountId: demoAccount(role, org), role, ...(org ? { orgUnitId: org } : {}) };
    return signToken(secret, actor);
  };
  return {
    township: await as('township', TOWNSHIP),
    lead: await as('department', LEAD),
    cooperating: await as('department', COOPERATING),
    dispatcher: await as('dispatcher'),
    supervisor: await as('supervisor'),
  };
}

export const raiseBody = (i: number, title = '基准案件 / bench case') => ({
  ...(viaDesk(i) ? {} : { matterCode: MATTER }),
  title,
  description: '违法搭建 / illegal construction on a village lot',
  urgency: 'normal',
  location: { townshipId: TOWNSHIP, gridId: `${TOWNSHIP}-g01`, address: `bench road ${i}` },
});

export class WhistleUsers {
  /** answers 409 that a user would see and retry a moment later (the evaluation opening after the verdict) */
  retried = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly tokens: Tokens,
  ) {}

  /** A request to `/api/v1<path>` as one of the demo county's users. */
  api(method: 'GET' | 'POST', path: string, who: keyof Tokens, body?: unknown): Promise<unknown> {
    return this.call(method, path, this.tokens[who], body, '/api/v1');
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
    base = '/api/v1/whistles',
  ): Promise<{ caseId?: string }> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.apiUrl}${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await res.json()) as { caseId?: string };
      if (res.ok) return json;
      // the evaluation window opens as the workflow moves on from the verdict: a user tries again
      if (res.status === 409 && path.endsWith('/evaluate') && attempt < 200) {
        this.retried++;
        await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    }
  }

  /** Case `i`'s whole life; returns its id. */
  async live(t: StepTimer, i: number, title?: string): Promise<string> {
    const { caseId } = await t.time('POST /whistles', () =>
      this.call('POST', '', this.tokens.township, raiseBody(i, title)),
    );
    for (const together of actionsOf(i))
      await Promise.all(
        together.map((a) =>
          t.time(`${a.method} /whistles/${a.step}`, () =>
            this.call(a.method, `/${caseId}${a.path ? `/${a.path}` : ''}`, this.tokens[a.who], a.body),
          ),
        ),
      );
    return caseId!;
  }

  /** Raises case `i` and leaves it alone (the lateness mode: its clocks run out). */
  async raiseOnly(t: StepTimer, i: number, title: string): Promise<string> {
    const { caseId } = await t.time('POST /whistles', () =>
      this.call('POST', '', this.tokens.township, { ...raiseBody(i, title), matterCode: MATTER }),
    );
    return caseId!;
  }
}

/** How many Updates case `i` sends (its HTTP POSTs after the raise). */
export const updatesOf = (i: number) =>
  actionsOf(i)
    .flat()
    .filter((a) => a.method === 'POST').length;

/**
 * The baseline's case `i`: the same actions as bare Updates (each running its share of the
 * activities the whistle case ran) and Queries, straight through the client.
 */
export async function bareLife(client: Client, t: StepTimer, i: number, activitiesPerStep: number): Promise<void> {
  const steps = updatesOf(i) + 1;
  const total = Math.round(activitiesPerStep * steps);
  // spread evenly: step j runs the activities between j/steps and (j+1)/steps of the total
  const share = (j: number) => Math.floor((total * (j + 1)) / steps) - Math.floor((total * j) / steps);
  const handle: WorkflowHandle<typeof bareCase> = await t.time('POST /whistles', () =>
    client.workflow.start(bareCase, {
      taskQueue: BARE_TASK_QUEUE,
      workflowId: `bare-${randomUUID()}`,
      args: [share(0)],
    }),
  );
  let j = 1;
  for (const together of actionsOf(i))
    await Promise.all(
      together.map((a) =>
        t.time(`${a.method} /whistles/${a.step}`, () =>
          a.method === 'GET' ? handle.query(bareState) : handle.executeUpdate(bareStep, { args: [share(j++)] }),
        ),
      ),
    );
}
