/** Configuration by environment variable, validated once at start so a typo fails loudly. */
import { z } from 'zod';
import { DESK_HOURS } from '../domain/sla';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TASK_QUEUE: z.string().min(1).default('whistle-cases'),
  MONGODB_URI: z.string().min(1).default('mongodb://127.0.0.1:27017/whistle'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  COUNTY_CODE: z
    .string()
    .regex(/^[A-Z0-9]{2,12}$/, 'letters and digits, e.g. XILAN')
    .default('XILAN'),
  /** the dispatch desk's hours: `24h` (staffed around the clock, the demo county) or `office` */
  DESK_HOURS: z.enum(DESK_HOURS).default('24h'),
  /** Open311 requests read without an api_key answer a public view (no personal data); `off` refuses them */
  OPEN311_PUBLIC_VIEW: z.enum(['on', 'off']).default('on'),
  /** the built web dashboard served at `/` (default: `.web-dist/` beside the API's code) */
  DASHBOARD_DIR: z.string().min(1).optional(),

  /**
   * `on`: every whistle this API takes in runs on the drill profile (演练, limits in minutes), for
   * drills, training and the bench's lateness mode; `off` (the default): the matter's own profile
   */
  SLA_DRILL: z.enum(['on', 'off']).default('off'),
  /**
   * worker: how many case workflows it keeps in memory between their tasks (the SDK's
   * `maxCachedWorkflows`). A case left out of the cache replays its history on its next task, so a
   * county with more open cases than this pays a replay on the first action after a quiet spell,
   * never a wrong answer. About 0.5 MiB a cached case beside 370 MiB of its own: with 1,000 the worker held
   * 1.1 GiB (1.3 at its peak) once 7,000 live cases had run, so 500.
   */
  WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(0).default(500),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

export function requireJwtSecret(config: Config): string {
  if (!config.JWT_SECRET) throw new Error('JWT_SECRET is not set (npm start generates one into .data/)');
  return config.JWT_SECRET;
}
