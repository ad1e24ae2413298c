/**
 * The responsibility list (属地管理事项责任清单): each matter names one lead department (牵头, the
 * final responsibility), its co-operating departments, the township's limited role, the legal basis
 * and the SLA profile. "清单之外无属地管理事项" — nothing outside the list is pushed onto a township.
 */
import { z } from 'zod';
import { BilingualName, Id } from '../names';
import { SLA_PRESET_IDS, type SlaPresetId } from '../sla';
import { TOWNSHIP_TASKS } from '../case/enums';

export const MatterCode = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and dashes, e.g. WJ-001');

/** What an administrator or an import states about a matter. */
export const MatterFields = z
  .strictObject({
    code: MatterCode,
    name: BilingualName,
    category: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, 'a snake_case key such as illegal_construction'),
    leadDepartmentId: Id,
    cooperatingDepartmentIds: z.array(Id).max(10).default([]),
    townshipRole: BilingualName,
    /**
     * the township's role as keys: what a department may ask of the township on this matter by a
     * reverse whistle (none: the township may not be called on it)
     */
    townshipTasks: z
      .array(z.enum(TOWNSHIP_TASKS))
      .max(TOWNSHIP_TASKS.length)
      .refine((tasks) => new Set(tasks).size === tasks.length, 'a task is listed twice')
      .default([]),
    legalBasis: z.string().trim().min(1).max(500),
    slaProfile: z.enum(SLA_PRESET_IDS as [SlaPresetId, ...SlaPresetId[]]),
    /** days after closing when the township re-inspects (复查); absent = no re-inspection */
    reinspectionDays: z.number().int().min(1).max(365).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.cooperatingDepartmentIds.includes(m.leadDepartmentId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cooperatingDepartmentIds'],
        message: 'the lead department cannot also co-operate',
      });
    }
    if (new Set(m.cooperatingDepartmentIds).size !== m.cooperatingDepartmentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['cooperatingDepartmentIds'], message: 'a department is listed twice' });
    }
  });
export type MatterFields = z.infer<typeof MatterFields>;

/** A matter as the list holds it: the fields plus where it stands in the list's history. */
export interface Matter extends MatterFields {
  /** this matter's own version: 1 when created, +1 on each change */
  version: number;
  /** the list version this matter version was introduced in */
  listVersion: number;
  effectiveFrom: string;
  retired: boolean;
  changedBy: string;
  changedAt: string;
  reason: string;
}

/** Why a list change is made: kept with every version (动态调整机制). */
export const ChangeReason = z.string().trim().min(2, 'say why the list changes').max(1000);
