/**
 * Every enum of the case, once, as a `const` array: the types, the request bodies, the views, the
 * projection and the OpenAPI document all read these.
 */

export const URGENCIES = ['urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Grows with the lifecycle: `dispatching` = waiting for the dispatch desk, `reporting` =
 * departments are called, `in_progress` = all have reported for duty (they stay on the case:
 * 事不完、人不撤).
 */
export const CASE_STATUSES = [
  'dispatching',
  'reporting',
  'in_progress',
  'awaiting_verification',
  'evaluating',
  'closed',
  'withdrawn',
  'merged',
  'returned',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case that has ended for good: no clock speaks, no action is taken. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['withdrawn', 'merged', 'returned'];

/** How a final status reads to a clerk. */
export const FINAL_STATUS_ZH: Partial<Record<CaseStatus, string>> = {
  withdrawn: '撤回',
  merged: '合并',
  returned: '退回',
};

export function isFinal(c: { status: CaseStatus }): boolean {
  return FINAL_STATUSES.includes(c.status);
}

/** `to_department`: a township whistles for county departments; `to_township`: the reverse (部门吹哨、乡镇报到). */
export const DIRECTIONS = ['to_department', 'to_township'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * What the responsibility list may ask of a township for a matter (its "有限" role, one key per kind
 * of help): a reverse whistle (部门吹哨、乡镇报到) names the tasks it asks for, and is accepted only
 * where the matter's `townshipTasks` hold every one — "清单之外无属地管理事项".
 */
export const TOWNSHIP_TASKS = [
  'patrol', // 日常巡查、走访摸排、排查摸底
  'report', // 发现报告、及时报告、信息报送、收集线索
  'fix_evidence', // 固定证据
  'dissuade', // 劝阻制止、责令停止建设
  'urge_rectification', // 督促整改
  'assist_investigation', // 配合查处、配合调查取证
  'assist_enforcement', // 配合执法、配合拆除、配合整治、配合处理、配合处置
  'first_response', // 先期处置
  'evacuate', // 组织人员转移疏散
  'mediate', // 先行调解、稳控化解
  'publicise', // 宣传引导
  'assist_relief', // 协助救助帮扶
  'assist_control', // 协助隔离管控
] as const;
export type TownshipTask = (typeof TOWNSHIP_TASKS)[number];

/** The lead carries the final (兜底) responsibility; co-operating departments work with it. */
export const DUTY_ROLES = ['lead', 'cooperating'] as const;
export type DutyRole = (typeof DUTY_ROLES)[number];

export const DUTY_STATUSES = ['called', 'acknowledged', 'on_site'] as const;

/** Evidence fixed at the scene (固定证据). */
export const EVIDENCE_KINDS = ['photo', 'video', 'audio', 'document', 'signature'] as const;

export const SUSPENSION_STATUSES = ['requested', 'approved', 'refused', 'ended'] as const;

export const RULING_DECISIONS = ['uphold', 'reject'] as const;

export const STEP_KINDS = [
  'inspection',
  'evidence',
  'rectification_notice',
  'penalty_decision',
  're_inspection',
  'other',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** `waiting` on dependencies, `open` with its clock running, `done` */
export const STEP_STATUSES = ['waiting', 'open', 'done'] as const;

/** A clock as a reader sees it at the moment of reading. */
export const CLOCK_STATES = ['running', 'paused', 'met', 'overdue'] as const;
