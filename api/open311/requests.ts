/**
 * A case (its projection) as a GeoReport v2 service request. GeoReport knows only open and
 * closed; the case's own status and how many departments have reported for duty go to
 * status_notes, the first open report-for-duty deadline to expected_datetime.
 */
import { FINAL_STATUSES } from '../../domain/case/enums';
import type { CaseProjectionDoc } from '../../store/case-projections';
import type { Tree } from './format';
import type { Lang } from './services';
import type { WhistleCase } from '../../domain/case/shape';

/** Case statuses that end a case; every other one (including ones added later) is still open. */
export const CLOSED_STATUSES: readonly string[] = ['closed', ...FINAL_STATUSES];

export type GeoStatus = 'open' | 'closed';

export const geoStatus = (caseStatus: string): GeoStatus => (CLOSED_STATUSES.includes(caseStatus) ? 'closed' : 'open');

type CaseView = Pick<WhistleCase, 'status' | 'duties' | 'routing'>;

const STATUS_LABELS: Readonly<Record<string, string>> = {
  dispatching: 'waiting for the dispatch desk to classify it / 调度室分流中',
  closed: 'closed / 已办结',
  withdrawn: 'withdrawn / 已撤回',
  merged: 'merged into another case / 已合并',
};

export function statusNotes(c: CaseView): string {
  // the projection's status is a plain string: statuses added later still get a note
  const status: string = c.status;
  const total = c.duties.length;
  const reported = c.duties.filter((d) => d.status !== 'called').length;
  const overdue = c.duties.filter((d) =>
    Object.values(d.clocks).some((k) => k.overdueSince !== undefined && k.metAt === undefined),
  ).length;
  const late = overdue ? `; ${overdue} overdue / 超时 ${overdue}` : '';
  if ((status === 'reporting' || status === 'in_progress') && total > 0) {
    return `${status}: ${reported} of ${total} department${total === 1 ? '' : 's'} reported for duty / 报到 ${reported}/${total}${late}`;
  }
  const label = STATUS_LABELS[status];
  return label ? `${status}: ${label}` : status;
}

/** The earliest report-for-duty deadline still open, or null when none is. */
export function expectedDatetime(c: CaseView): string | null {
  const open = c.duties.filter((d) => d.status === 'called').map((d) => d.clocks.acknowledge.deadline);
  return open.length ? open.reduce((a, b) => (b < a ? b : a)) : null;
}

/** What happens next, as the routing decided it when the whistle was raised. */
export function serviceNotice(c: CaseView): string {
  const matter = c.routing.matter;
  if (!matter) return '转县综治调度室分流 / sent to the dispatch desk to classify and route';
  const cooperating = c.duties.filter((d) => d.role === 'cooperating').map((d) => d.departmentId);
  const deadline = c.duties.map((d) => d.clocks.acknowledge.deadline).sort()[0];
  const zh = `已吹哨：牵头部门 ${matter.leadDepartmentId}${cooperating.length ? `，配合部门 ${cooperating.join('、')}` : ''}${deadline ? `，须于 ${deadline} 前报到` : ''}`;
  const en = `whistle blown: lead ${matter.leadDepartmentId}${cooperating.length ? `, co-operating ${cooperating.join(', ')}` : ''}${deadline ? `; each must report for duty by ${deadline}` : ''}`;
  return `${zh} / ${en}`;
}

export function toGeoReportRequest(c: CaseProjectionDoc, lang: Lang): Tree {
  const matter = c.routing.matter;
  const coordinates = c.location.coordinates;
  // keys in the spec's order: XML clients may read them positionally
  return {
    service_request_id: c.caseId,
    status: geoStatus(c.status),
    status_notes: statusNotes(c),
    service_name: matter ? matter.name[lang] : null,
    service_code: matter?.code ?? null,
    description: c.description,
    agency_responsible: matter?.leadDepartmentId ?? 'dispatch desk',
    service_notice: serviceNotice(c),
    requested_datetime: c.raisedAt,
    updated_datetime: c.updatedAt,
    expected_datetime: expectedDatetime(c),
    address: c.location.address,
    address_id: null,
    zipcode: null,
    lat: coordinates?.lat ?? null,
    long: coordinates?.lng ?? null,
    media_url: null,
  };
}
