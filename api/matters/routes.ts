/**
 * The responsibility list over HTTP: read (any signed-in role), change with a reason (admin),
 * export / import in the CSV or JSON form counties keep it in, history per matter, usage.
 */
import { Router, type Request } from 'express';
import type { Actor } from '../../domain/identity';
import { checkMatters, type ListProblem } from '../../domain/responsibility-list/check';
import { MatterFields, type Matter } from '../../domain/responsibility-list/schemas';
import type { CaseProjectionModel } from '../../store/case-projections';
import { usageByMatter } from '../../store/matter-usage';
import type { Organisation } from '../../store/organisation';
import type { ListChange, ResponsibilityList } from '../../store/responsibility-list';
import { decide, proposals, type ListProposalModel } from '../../store/list-proposals';
import { actorOf, requireRole } from '../http/authenticate';
import { isIdempotentRetry } from '../http/idempotency';
import { fieldErrors, HttpProblem } from '../http/problem';
import { parse } from '../http/validate';
import { csvHeaderProblem, csvToRows, mattersToCsv } from './csv';
import {
  ChangeBody,
  CodeParam,
  ExportQuery,
  ImportJson,
  ImportQuery,
  ProposalDecisionBody,
  ProposalIdParam,
  ProposalQuery,
  RetireBody,
} from './schemas';

const withId = (m: Matter) => ({ id: m.code, ...m });

/** `changed` runs after every list change, so cached copies of the list in force are dropped. */
export function matterRoutes(
  list: ResponsibilityList,
  org: Organisation,
  cases: CaseProjectionModel,
  listProposals: ListProposalModel,
  changed: () => void = () => undefined,
): Router {
  const router = Router();
  const admin = requireRole('admin');

  /** Validates against the organisation, then applies as one list version. */
  async function change(changes: ListChange[], actor: Actor, reason: string) {
    const problems = checkMatters(
      changes.map((c, i) => ({ line: i + 1, matter: c.fields })),
      await org.departments.ids(),
    );
    if (problems.length) throw unprocessable(problems);
    return applied(await list.apply(changes, actor, reason, new Date()));
  }

  function applied<T>(result: T): T {
    changed();
    return result;
  }

  router.get('/', async (_req, res) => {
    res.json({ listVersion: await list.listVersion(), items: (await list.current()).map(withId) });
  });

  router.get('/export', async (req, res) => {
    const { format } = parse(ExportQuery, req.query);
    const [listVersion, matters] = await Promise.all([list.listVersion(), list.current()]);
    res.setHeader('X-List-Version', String(listVersion));
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`responsibility-list-v${listVersion}.csv`)
        .send(mattersToCsv(matters));
    } else {
      res.json({ listVersion, matters: matters.map((m) => MatterFields.parse(pickFields(m))) });
    }
  });

  router.get('/usage', requireRole('supervisor', 'admin'), async (_req, res) => {
    const [matters, usage] = await Promise.all([list.current(), usageByMatter(cases)]);
    const items = matters
      .map((m) => {
        const counts = usage.get(m.code) ?? { whistled: 0, disputed: 0, reassigned: 0 };
        return {
          code: m.code,
          name: m.name,
          category: m.category,
          leadDepartmentId: m.leadDepartmentId,
          ...counts,
          used: counts.whistled > 0,
        };
      })
      .sort((a, b) => b.whistled - a.whistled || a.code.localeCompare(b.code));
    const used = items.filter((i) => i.used).length;
    res.json({
      totals: {
        matters: items.length,
        used,
        neverUsed: items.length - used,
        usedShare: items.length ? Math.round((used / items.length) * 1000) / 1000 : 0,
      },
      items,
      neverUsed: items.filter((i) => !i.used).map((i) => i.code),
    });
  });

  router.post('/import', admin, async (req, res) => {
    const { rows, reason } = importRows(req);
    const problems: ListProblem[] = [];
    const valid: { line: number; matter: MatterFields }[] = [];
    for (const { line, value } of rows) {
      const parsed = MatterFields.safeParse(value);
      if (parsed.success) valid.push({ line, matter: parsed.data });
      else
        for (const e of fieldErrors(parsed.error))
          problems.push({ line, code: codeOf(value), reason: `${e.field}: ${e.reason}` });
    }
    const all = [...problems, ...checkMatters(valid, await org.departments.ids())].sort((a, b) => a.line - b.line);
    if (all.length) throw unprocessable(all);
    res.json(
      applied(
        await list.apply(
          valid.map((v) => ({ fields: v.matter })),
          actorOf(req),
          reason,
          new Date(),
        ),
      ),
    );
  });

  // list corrections proposed by rulings: the administrator's queue (before /:code, which would take the word)
  router.get('/proposals', requireRole('supervisor', 'admin'), async (req, res) => {
    const { status } = parse(ProposalQuery, req.query);
    res.json({ items: await proposals(listProposals, status) });
  });

  /** Applies a proposal as a new list version: who (the admin), why (the reason and the ruling). */
  router.post('/proposals/:id/apply', admin, async (req, res) => {
    const proposal = await openProposal(req);
    const { reason } = parse(ProposalDecisionBody, req.body);
    const { matterCode, leadDepartmentId, cooperatingDepartmentIds, townshipTasks, note } = proposal.change;
    const matter = await list.get(matterCode);
    if (!matter || matter.retired)
      throw new HttpProblem(409, 'Conflict', `matter ${matterCode} is no longer on the list / 清单中已无此事项`);
    const fields = {
      ...pickFields(matter),
      ...(leadDepartmentId ? { leadDepartmentId } : {}),
      ...(cooperatingDepartmentIds ? { cooperatingDepartmentIds } : {}),
      ...(townshipTasks ? { townshipTasks } : {}),
    };
    const why = `${reason} — ruling on case ${proposal.caseId} (event ${proposal.seq}): ${note}`;
    const { listVersion } = await change([{ fields }], actorOf(req), why);
    await decideOrConflict(proposal.id, { status: 'applied', listVersion, ...decision(req, reason) });
    res.json(await proposalById(proposal.id));
  });

  router.post('/proposals/:id/reject', admin, async (req, res) => {
    const proposal = await openProposal(req);
    const { reason } = parse(ProposalDecisionBody, req.body);
    await decideOrConflict(proposal.id, { status: 'rejected', ...decision(req, reason) });
    res.json(await proposalById(proposal.id));
  });

  async function proposalById(id: string) {
    return (await proposals(listProposals)).find((p) => p.id === id);
  }

  async function openProposal(req: Request) {
    const { id } = parse(ProposalIdParam, req.params);
    const proposal = await proposalById(id);
    if (!proposal) throw new HttpProblem(404, 'Not Found', `no list proposal ${id} / 无此清单调整建议`);
    if (proposal.status !== 'proposed')
      throw new HttpProblem(409, 'Conflict', `proposal ${id} was ${proposal.status} at ${proposal.decidedAt} / 已处理`);
    return proposal;
  }

  async function decideOrConflict(id: string, outcome: Parameters<typeof decide>[2]) {
    if (!(await decide(listProposals, id, outcome)))
      throw new HttpProblem(409, 'Conflict', `proposal ${id} was decided meanwhile / 已处理`);
  }

  router.get('/:code', async (req, res) => {
    const { code } = parse(CodeParam, req.params);
    const matter = await list.get(code);
    if (!matter) throw new HttpProblem(404, 'Not Found', `no matter ${code} on the list / 清单中无此事项`);
    res.json(withId(matter));
  });

  router.get('/:code/history', async (req, res) => {
    const { code } = parse(CodeParam, req.params);
    const versions = await list.history(code);
    if (versions.length === 0) throw new HttpProblem(404, 'Not Found', `no matter ${code} was ever on the list`);
    res.json({ code, versions });
  });

  router.post('/', admin, async (req, res) => {
    const { matter, reason } = parse(ChangeBody, req.body);
    const existing = await list.get(matter.code);
    if (
      existing &&
      !isIdempotentRetry(req, { ...pickFields(existing), reason: existing.reason }, { ...matter, reason })
    ) {
      throw new HttpProblem(409, 'Conflict', `matter ${matter.code} exists already; change it with PUT`);
    }
    if (!existing) await change([{ fields: matter }], actorOf(req), reason);
    res
      .status(201)
      .location(`${req.baseUrl}/${matter.code}`)
      .json(withId((await list.get(matter.code))!));
  });

  router.put('/:code', admin, async (req, res) => {
    const { code } = parse(CodeParam, req.params);
    const { matter, reason } = parse(ChangeBody, req.body);
    if (matter.code !== code)
      throw new HttpProblem(400, 'Bad Request', `body code ${matter.code} differs from the path's ${code}`, {
        errors: [{ field: 'matter.code', reason: 'must equal the code in the path' }],
      });
    if (!(await list.get(code))) throw new HttpProblem(404, 'Not Found', `no matter ${code}; create it with POST`);
    await change([{ fields: matter }], actorOf(req), reason);
    res.json(withId((await list.get(code))!));
  });

  router.delete('/:code', admin, async (req, res) => {
    const { code } = parse(CodeParam, req.params);
    const { reason } = parse(RetireBody, req.body);
    const matter = await list.get(code);
    if (!matter) throw new HttpProblem(404, 'Not Found', `no matter ${code}`);
    applied(await list.apply([{ fields: pickFields(matter), retire: true }], actorOf(req), reason, new Date()));
    res.json(withId((await list.get(code))!));
  });

  return router;
}

function importRows(req: Request): { rows: { line: number; value: unknown }[]; reason: string } {
  if (req.is('text/csv')) {
    const { reason } = parse(ImportQuery, req.query);
    if (!reason)
      throw new HttpProblem(400, 'Bad Request', 'say why the list changes: ?reason=…', {
        errors: [{ field: 'reason', reason: 'required' }],
      });
    const text = typeof req.body === 'string' ? req.body : '';
    const headerProblem = csvHeaderProblem(text);
    if (headerProblem) throw unprocessable([{ line: 1, reason: headerProblem }]);
    return { rows: csvToRows(text), reason };
  }
  const { reason, matters } = parse(ImportJson, req.body);
  return { rows: matters.map((value, i) => ({ line: i + 1, value })), reason };
}

function unprocessable(problems: ListProblem[]): HttpProblem {
  return new HttpProblem(
    422,
    'Unprocessable Content',
    `${problems.length} problem(s); nothing was changed / 存在错误，未导入任何事项`,
    { errors: problems },
  );
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function pickFields(m: Matter): MatterFields {
  const {
    version: _v,
    listVersion: _l,
    effectiveFrom: _e,
    retired: _r,
    changedBy: _b,
    changedAt: _a,
    reason: _why,
    ...fields
  } = m;
  return fields;
}

const decision = (req: Request, reason: string) => ({
  decidedAt: new Date().toISOString(),
  decidedBy: actorOf(req).accountId,
  decisionReason: reason,
});
