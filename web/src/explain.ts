/**
 * An audit event in words, in the reader's language: who did what, and for warnings, breaches and
 * escalations which clock, which deadline, how late and who was told. User text is returned as data
 * and rendered by Vue's interpolation (as text), never as HTML.
 */
import { duration, lang, when } from './i18n';
import { unitName } from './reference';

export interface AuditEvent {
  seq: number;
  type: string;
  at: string;
  actor: { accountId: string; role: string; orgUnitId?: string };
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

type Pair = [zh: string, en: string];

const CLOCKS: Record<string, Pair> = {
  acknowledge: ['报到', 'report for duty'],
  onSite: ['到场', 'be on site'],
  resolve: ['报结', 'report the result'],
  classify: ['分流', 'classify'],
  arbitrate: ['裁决', 'rule'],
  step: ['步骤', 'complete the step'],
};

const RUNGS: Record<string, Pair> = {
  reminder: ['提醒', 'a reminder'],
  department_head: ['部门负责人', 'the department head'],
  county_supervision: ['县督查室', 'the county supervision office'],
  county_leadership: ['县领导', 'the county leadership'],
};

const RECIPIENTS: Record<string, Pair> = {
  department: ['承办单位', 'the party'],
  department_head: ['部门负责人', 'the department head'],
  supervision_office: ['督查室', 'the supervision office'],
  county_leadership: ['县领导', 'the county leadership'],
};

const TYPES: Record<string, Pair> = {
  'whistle.raised': ['吹哨', 'whistle raised'],
  'duty.acknowledged': ['报到', 'reported for duty'],
  'duty.reminded': ['催办', 'reminder pressed'],
  'duty.arrived': ['到场', 'on site'],
  'duty.warned': ['临期预警', 'deadline warning'],
  'duty.overdue': ['超期', 'overdue'],
  'duty.escalated': ['督办升级', 'escalated'],
  'dispatch.warned': ['调度临期预警', 'desk warning'],
  'dispatch.overdue': ['调度超期', 'desk overdue'],
  'dispatch.escalated': ['调度督办升级', 'desk escalated'],
  'case.classified': ['分流', 'classified'],
  'case.returned': ['退回', 'returned'],
  'case.rerouted': ['重新分流', 'rerouted'],
  'case.progress': ['进展反馈', 'progress note'],
  'case.resolved': ['报结', 'result reported'],
  'case.verified': ['验收', 'verified'],
  'case.escalated': ['升级', 'escalated'],
  'case.evaluated': ['评议', 'evaluated'],
  'case.closed': ['办结', 'closed'],
  'duty.declined': ['提出异议', 'duty declined'],
  'dispute.warned': ['裁决临期预警', 'ruling warning'],
  'dispute.overdue': ['裁决超期', 'ruling overdue'],
  'dispute.escalated': ['裁决督办升级', 'ruling escalated'],
  'dispute.ruled': ['裁决', 'ruled'],
  'duty.reassigned': ['改派', 'reassigned'],
  'duty.suspension-requested': ['申请挂起', 'suspension requested'],
  'duty.suspension-decided': ['审批挂起', 'suspension decided'],
  'duty.resumed': ['恢复计时', 'clocks resumed'],
  'plan.made': ['联合执法方案', 'enforcement plan'],
  'step.completed': ['完成步骤', 'step completed'],
  'step.warned': ['步骤临期预警', 'step warning'],
  'step.overdue': ['步骤超期', 'step overdue'],
  'step.escalated': ['步骤督办升级', 'step escalated'],
  'case.withdrawn': ['撤回', 'withdrawn'],
  'case.merged': ['合并', 'merged'],
  'case.merged-in': ['并入重复案件', 'duplicate merged in'],
  'reinspection.armed': ['复查已安排', 're-inspection armed'],
  'reinspection.due': ['复查到期', 're-inspection due'],
  'reinspection.answered': ['复查', 're-inspected'],
  'case.reopened': ['重新办理', 'reopened'],
  'case.continued': ['延续记录', 'history continued'],
};

const pick = (p: Pair | undefined, fallback: string) => (p ? p[lang.value === 'zh' ? 0 : 1] : fallback);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function eventTitle(e: AuditEvent): string {
  return pick(TYPES[e.type], e.type);
}

/** Who acted: a person's unit, or the system's clock. */
export function actorOf(e: AuditEvent): string {
  if (e.actor.role === 'system') return lang.value === 'zh' ? '系统（计时）' : 'the system (clocks)';
  return unitName(e.actor.orgUnitId) || e.actor.role;
}

/** The sentence that explains a clock's warning, breach or escalation; undefined for other events. */
export function explainClock(e: AuditEvent): string | undefined {
  const d = e.data;
  if (!/\.(warned|overdue|escalated)$/.test(e.type)) return undefined;
  const zh = lang.value === 'zh';
  const party = lateLabel(str(d.departmentId) ?? '') || (zh ? '承办方' : 'the party');
  const clock = pick(CLOCKS[str(d.clock) ?? ''], str(d.clock) ?? '');
  const deadline = when(str(d.deadline));
  const late = typeof d.lateByMs === 'number' ? duration(d.lateByMs) : '';
  if (e.type.endsWith('.warned')) {
    const pct = Math.round(Number(d.fraction) * 100);
    return zh
      ? `${party}「${clock}」时限已用 ${pct}%，截止 ${deadline}。`
      : `${party} has used ${pct}% of the time to ${clock}; due ${deadline}.`;
  }
  if (e.type.endsWith('.overdue'))
    return zh
      ? `${party}未在 ${deadline} 前「${clock}」，已超期。`
      : `${party} did not ${clock} by ${deadline}: overdue.`;
  const rung = pick(RUNGS[str(d.level) ?? ''], str(d.level) ?? '');
  const notify = Array.isArray(d.notify)
    ? d.notify.map((r) => pick(RECIPIENTS[String(r)], String(r))).join(zh ? '、' : ', ')
    : '';
  return zh
    ? `${party}「${clock}」超期 ${late}，督办升级至${rung}；已通知：${notify}。`
    : `${party} is ${late} late to ${clock}: escalated to ${rung}; told: ${notify}.`;
}

/** Text people typed into the event (notes, reasons, summaries), shown as text. */
export function typedText(e: AuditEvent): string[] {
  const d = e.data;
  const raise = (d.raise ?? d) as Record<string, unknown>;
  return [raise.title, raise.description, d.note, d.reason, d.summary, d.comment]
    .map(str)
    .filter((s): s is string => !!s);
}

export interface EvidenceItem {
  kind: string;
  uri: string;
  sha256: string;
}

export function evidenceOf(e: AuditEvent): EvidenceItem[] {
  const d = e.data;
  const raise = (d.raise ?? d) as Record<string, unknown>;
  const list = (
    Array.isArray(d.evidence) ? d.evidence : Array.isArray(raise.evidence) ? raise.evidence : []
  ) as EvidenceItem[];
  return list.filter((x) => typeof x?.sha256 === 'string');
}

export function clockLabel(key: string): string {
  // duty:<unit>:<clock>, desk, arbitration:<unit>, step:<key>
  const [kind, a, b] = key.split(':');
  if (kind === 'duty') return `${unitName(a)} · ${pick(CLOCKS[b ?? ''], b ?? '')}`;
  if (kind === 'desk') return lang.value === 'zh' ? '调度台 · 分流' : 'Dispatch desk · classify';
  if (kind === 'arbitration')
    return `${lang.value === 'zh' ? '督查室 · 裁决' : 'Supervision · ruling'} (${unitName(a)})`;
  if (kind === 'step') return `${pick(CLOCKS.step, 'step')} ${a}`;
  return key;
}

export function rungLabel(rung: string | undefined): string {
  return rung ? pick(RUNGS[rung], rung) : '';
}

export function lateLabel(late: string): string {
  if (late === 'dispatch-desk') return lang.value === 'zh' ? '调度台' : 'Dispatch desk';
  if (late === 'supervision-office') return lang.value === 'zh' ? '督查室' : 'Supervision office';
  return unitName(late);
}
