/**
 * Grid reports (网格上报): a grid member (网格员) who finds a problem on patrol files it into its
 * township with evidence; the township either handles it itself (closed at township level with a
 * note, counted) or turns it into a whistle in one step, the two keeping each other's id. These are
 * the rules — who may do what in which state — that the API's validators call; a report is a record,
 * not a workflow: it has no clock in the reform's practice (Taishun counts them, it sets no limit).
 * Pure: no I/O, no clock; every instant is passed in.
 */
import type { Refusal } from './case/refusal';
import type { Evidence } from './case/shape';
import type { Actor } from './identity';

/**
 * What a grid member can tell at the scene, a small set the township sorts by (the responsibility
 * list's matter is the township's to choose when it whistles): illegal construction, pollution,
 * a safety hazard, a fire risk, sanitation, a dispute, a resident's request, anything else.
 */
export const GRID_REPORT_CATEGORIES = [
  'illegal_construction',
  'pollution',
  'safety_hazard',
  'fire_risk',
  'sanitation',
  'dispute',
  'livelihood',
  'other',
] as const;
export type GridReportCategory = (typeof GRID_REPORT_CATEGORIES)[number];

export const GRID_REPORT_CATEGORY_NAMES: Record<GridReportCategory, { zh: string; en: string }> = {
  illegal_construction: { zh: '违法建设', en: 'illegal construction' },
  pollution: { zh: '环境污染', en: 'pollution' },
  safety_hazard: { zh: '安全隐患', en: 'safety hazard' },
  fire_risk: { zh: '火灾隐患', en: 'fire risk' },
  sanitation: { zh: '环境卫生', en: 'sanitation' },
  dispute: { zh: '矛盾纠纷', en: 'dispute' },
  livelihood: { zh: '民生诉求', en: "a resident's request" },
  other: { zh: '其他', en: 'other' },
};

/**
 * `open`: waiting for the township; `whistling`: being turned into a whistle (a call interrupted
 * half-way is finished by repeating it); `handled`: closed by the township itself; `whistled`: a case.
 */
export const GRID_REPORT_STATUSES = ['open', 'whistling', 'handled', 'whistled'] as const;
export type GridReportStatus = (typeof GRID_REPORT_STATUSES)[number];

export interface GridReport {
  id: string;
  townshipId: string;
  gridId: string;
  category: GridReportCategory;
  description: string;
  location: { address: string; coordinates?: { lat: number; lng: number } };
  evidence: Evidence[];
  /** the grid member's account */
  filedBy: string;
  filedAt: string;
  status: GridReportStatus;
  /** closed at township level: by whom (and its module), when, how */
  handled?: { at: string; by: string; module?: string; note: string };
  /** turned into a whistle: the case keeps `gridReportId` */
  whistle?: { caseId: string; at: string; by: string; module?: string };
}

export interface FileGridReport {
  category: GridReportCategory;
  description: string;
  location: GridReport['location'];
  evidence: Evidence[];
  /** the grid the problem is in: the grid member's own (the default) */
  gridId?: string;
}

const forbidden = (reason: string): Refusal => ({ kind: 'forbidden', reason });
const conflict = (reason: string): Refusal => ({ kind: 'conflict', reason });

/** Only a grid member files, into its township and for its own grid (网格员巡查其网格). */
export function refuseFile(actor: Actor, command: Pick<FileGridReport, 'gridId'>): Refusal | undefined {
  if (actor.role !== 'grid' || !actor.orgUnitId || !actor.gridId)
    return forbidden('only a grid member files grid reports / 仅网格员可上报');
  if (command.gridId !== undefined && command.gridId !== actor.gridId)
    return {
      kind: 'invalid',
      reason: `you patrol grid ${actor.gridId}, not ${command.gridId} / 只能上报本网格`,
    };
  return undefined;
}

export function fileReport(id: string, actor: Actor, at: Date, command: FileGridReport): GridReport {
  return {
    id,
    townshipId: actor.orgUnitId!,
    gridId: actor.gridId!,
    category: command.category,
    description: command.description,
    location: { ...command.location },
    evidence: command.evidence,
    filedBy: actor.accountId,
    filedAt: at.toISOString(),
    status: 'open',
  };
}

/** Its grid member, its township's accounts (every module) and the county-wide roles read a report. */
export function canSeeReport(r: Pick<GridReport, 'townshipId' | 'filedBy'>, actor: Actor): boolean {
  switch (actor.role) {
    case 'grid':
      return r.filedBy === actor.accountId;
    case 'township':
      return r.townshipId === actor.orgUnitId;
    case 'department':
      return false;
    default:
      return true;
  }
}

/** The township decides: only its own accounts act on its reports, and only while a report is open. */
function refuseDecision(r: GridReport, actor: Actor, what: string): Refusal | undefined {
  if (actor.role !== 'township' || actor.orgUnitId !== r.townshipId)
    return forbidden(`only ${r.townshipId}'s accounts ${what} its grid reports / 仅本乡镇可处理本乡镇网格上报`);
  return undefined;
}

const DECIDED: Record<Exclude<GridReportStatus, 'open'>, (r: GridReport) => string> = {
  whistling: (r) => `report ${r.id} is being turned into case ${r.whistle?.caseId} / 正在转为吹哨`,
  handled: (r) => `report ${r.id} was handled by the township at ${r.handled?.at} / 已由乡镇自行处置`,
  whistled: (r) => `report ${r.id} became case ${r.whistle?.caseId} / 已转为吹哨案件`,
};

/** Handling it at township level (乡镇自行处置) closes an open report; a note says how. */
export function refuseHandle(r: GridReport, actor: Actor): Refusal | undefined {
  const refusal = refuseDecision(r, actor, 'handle');
  if (refusal) return refusal;
  return r.status === 'open' ? undefined : conflict(DECIDED[r.status](r));
}

export function handle(r: GridReport, actor: Actor, at: Date, note: string): GridReport {
  return {
    ...r,
    status: 'handled',
    handled: { at: at.toISOString(), by: actor.accountId, ...(actor.module ? { module: actor.module } : {}), note },
  };
}

/**
 * Turning it into a whistle (网格上报转吹哨): an open report, or one already on its way (`whistling`,
 * `whistled`: the call is repeated and answers the same case — idempotent). A handled report is not
 * whistled afterwards: the township closed it.
 */
export function refuseWhistle(r: GridReport, actor: Actor): Refusal | undefined {
  const refusal = refuseDecision(r, actor, 'whistle for');
  if (refusal) return refusal;
  return r.status === 'handled' ? conflict(DECIDED.handled(r)) : undefined;
}

/** The case a report becomes, claimed before the whistle is blown so that handling it meanwhile is refused. */
export function claimForWhistle(r: GridReport, actor: Actor, at: Date, caseId: string): GridReport {
  return {
    ...r,
    status: 'whistling',
    whistle: {
      caseId,
      at: at.toISOString(),
      by: actor.accountId,
      ...(actor.module ? { module: actor.module } : {}),
    },
  };
}

/** The default title of the whistle a report becomes: its category, and where. */
export function whistleTitle(r: GridReport): string {
  const name = GRID_REPORT_CATEGORY_NAMES[r.category];
  return `网格上报：${name.zh} / Grid report: ${name.en}`;
}
