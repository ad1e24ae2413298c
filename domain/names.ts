/** Shared shapes: ids people and systems type, and names in Chinese with English alongside. */
import { z } from 'zod';

export const Id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'only letters, digits and . _ : - are allowed');

export const BilingualName = z.strictObject({
  zh: z.string().trim().min(1).max(200),
  en: z.string().trim().min(1).max(200),
});
export type BilingualName = z.infer<typeof BilingualName>;
