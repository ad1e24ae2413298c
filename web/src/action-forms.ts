/**
 * What each case action asks of the person pressing it: the fields of its body (as the API's
 * ACTION_BODIES take them), and how the chosen target fills the path or the body. Which actions are
 * offered is not decided here: the case read's `allowedActions` says so, from the refusal rules.
 */
import type { MessageKey } from './i18n';

export interface Field {
  name: string;
  label: MessageKey;
  kind: 'text' | 'textarea' | 'yesno' | 'department' | 'matter' | 'score' | 'json';
  optional?: boolean;
}

export interface ActionForm {
  /** the button's label */
  label: [zh: string, en: string];
  fields: Field[];
  /** where the chosen target goes: a body field, or the `{key}` in the path */
  target?: { field: string; label: MessageKey } | 'path';
  /** the button is a warning (withdraw, return) */
  danger?: boolean;
}

const reason: Field = { name: 'reason', label: 'reason', kind: 'textarea' };
const note = (optional = false): Field => ({ name: 'note', label: 'note', kind: 'textarea', optional });

export const ACTION_FORMS: Record<string, ActionForm> = {
  acknowledge: { label: ['报到', 'Report for duty'], fields: [] },
  arrive: { label: ['到场', 'On site'], fields: [] },
  classify: { label: ['分流', 'Classify'], fields: [{ name: 'matterCode', label: 'matter', kind: 'matter' }] },
  returnWhistle: { label: ['退回', 'Return'], fields: [reason], danger: true },
  reroute: {
    label: ['重新分流', 'Reroute'],
    fields: [{ name: 'matterCode', label: 'matter', kind: 'matter' }, reason],
  },
  progress: { label: ['进展反馈', 'Progress note'], fields: [note()] },
  resolve: { label: ['报结', 'Report the result'], fields: [{ name: 'summary', label: 'summary', kind: 'textarea' }] },
  verify: {
    label: ['验收', 'Verify'],
    fields: [
      { name: 'accept', label: 'accept', kind: 'yesno' },
      { name: 'reason', label: 'reason', kind: 'textarea', optional: true },
    ],
  },
  evaluate: { label: ['评议', 'Evaluate'], fields: [] },
  decline: {
    label: ['提出异议', 'Decline'],
    fields: [reason, { name: 'suggestedDepartmentId', label: 'suggested', kind: 'department', optional: true }],
  },
  arbitrate: {
    label: ['裁决', 'Rule'],
    target: { field: 'departmentId', label: 'department' },
    fields: [
      { name: 'uphold', label: 'uphold', kind: 'yesno' },
      { name: 'reassignTo', label: 'reassignTo', kind: 'department', optional: true },
      note(),
    ],
  },
  suspend: { label: ['申请挂起', 'Ask to suspend'], fields: [reason] },
  decideSuspension: {
    label: ['审批挂起', 'Decide the suspension'],
    target: { field: 'departmentId', label: 'department' },
    fields: [{ name: 'approve', label: 'approve', kind: 'yesno' }, note(true)],
  },
  resume: { label: ['恢复计时', 'Resume clocks'], target: { field: 'departmentId', label: 'department' }, fields: [] },
  plan: {
    label: ['联合执法方案', 'Plan enforcement'],
    fields: [
      { name: 'steps', label: 'steps', kind: 'json' },
      { name: 'reason', label: 'reason', kind: 'textarea', optional: true },
    ],
  },
  completeStep: { label: ['完成步骤', 'Complete a step'], target: 'path', fields: [note(true)] },
  withdraw: { label: ['撤回', 'Withdraw'], fields: [reason], danger: true },
  merge: {
    label: ['合并重复案件', 'Merge the duplicate'],
    fields: [{ name: 'intoCaseId', label: 'intoCase', kind: 'text' }],
  },
  remind: {
    label: ['催办', 'Press a reminder'],
    target: { field: 'departmentId', label: 'department' },
    fields: [note(true)],
  },
  reinspect: {
    label: ['复查', 'Re-inspect'],
    fields: [{ name: 'recurred', label: 'recurred', kind: 'yesno' }, note()],
  },
};

/** The request body from the form's values: empty optional fields left out, yes/no as booleans. */
export function bodyOf(action: string, values: Record<string, string>, target: string | undefined): object {
  const form = ACTION_FORMS[action];
  const body: Record<string, unknown> = {};
  for (const f of form?.fields ?? []) {
    const v = (values[f.name] ?? '').trim();
    if (v === '' && f.optional) continue;
    if (f.kind === 'yesno') body[f.name] = v !== 'no';
    else if (f.kind === 'json') body[f.name] = v === '' ? [] : (JSON.parse(v) as unknown);
    else body[f.name] = v;
  }
  if (action === 'arbitrate') {
    body.decision = body.uphold ? 'uphold' : 'reject';
    delete body.uphold;
  }
  if (form?.target && form.target !== 'path' && target) body[form.target.field] = target;
  return body;
}
