/** Request and response shapes of the grid-report endpoints (网格上报): validation and the OpenAPI document. */
import { z } from 'zod';
import { URGENCIES } from '../../domain/case/enums';
import { GRID_REPORT_CATEGORIES, GRID_REPORT_STATUSES } from '../../domain/grid-report';
import { Id } from '../../domain/names';
import { MatterCode } from '../../domain/responsibility-list/schemas';
import { EvidenceBody } from '../whistles/schemas';

const Coordinates = z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

export const FileGridReportBody = z.strictObject({
  category: z.enum(GRID_REPORT_CATEGORIES),
  description: z.string().trim().min(1).max(5000),
  location: z.strictObject({ address: z.string().trim().min(1).max(500), coordinates: Coordinates.optional() }),
  /** photos, video, audio, signatures fixed at the scene, each with its content hash */
  evidence: z.array(EvidenceBody).max(50).default([]),
  /** the grid member's own grid (the default); another is refused */
  gridId: Id.optional(),
});

export const HandleGridReportBody = z.strictObject({
  /** how the township dealt with it (乡镇自行处置) */
  note: z.string().trim().min(1).max(5000),
});

/** What the township adds when it whistles: the report gives the place, the grid and the evidence. */
export const WhistleFromReportBody = z.strictObject({
  matterCode: MatterCode.optional(),
  urgency: z.enum(URGENCIES),
  /** default: the report's category, e.g. 网格上报：违法建设 / Grid report: illegal construction */
  title: z.string().trim().min(1).max(200).optional(),
  /** default: the grid member's description */
  description: z.string().trim().min(1).max(5000).optional(),
  departmentIds: z.array(Id).min(1, 'leave departmentIds out, or name at least one').max(20).optional(),
});

export const GridReportIdParam = z.strictObject({ id: Id });

export const GridReportListQuery = z.strictObject({
  /** a township's reports in this status (default: open); a grid member's list is all its own */
  status: z.enum(GRID_REPORT_STATUSES).optional(),
  /** county-wide roles name the township */
  townshipId: Id.optional(),
});

export const GridReportView = z
  .object({
    id: z.string(),
    townshipId: z.string(),
    gridId: z.string(),
    category: z.enum(GRID_REPORT_CATEGORIES),
    description: z.string(),
    location: z.object({ address: z.string(), coordinates: Coordinates.optional() }),
    evidence: z.array(EvidenceBody),
    filedBy: z.string(),
    filedAt: z.iso.datetime(),
    status: z.enum(GRID_REPORT_STATUSES),
    handled: z
      .object({ at: z.iso.datetime(), by: z.string(), module: z.string().optional(), note: z.string() })
      .optional(),
    whistle: z
      .object({ caseId: z.string(), at: z.iso.datetime(), by: z.string(), module: z.string().optional() })
      .optional(),
  })
  .meta({ id: 'GridReport' });

export const GridReportListView = z.object({ items: z.array(GridReportView) });
