/**
 * The bench's reports: the machine it ran on (and how busy it was), a JSON file of every figure
 * and a markdown summary with the issue's targets, met or missed by how much, in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../dev/tools/paths';
import type { SlaProfile } from '../domain/sla';
import type { Lateness } from './lateness';
import type { PhaseResult } from './phase';
import type { Summary } from './stats';

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    /** 1, 5 and 15 minute load averages when the run started: the machine may be shared */
    loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function writeResults(name: string, result: object, markdown: string[]): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const loadavgAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ ...result, loadavgAtEnd }, null, 2)}\n`);
  const md = [...markdown, '', `Load average (1/5/15 min) at the end: ${loadavgAtEnd.join(' / ')}`, ''].join('\n');
  writeFileSync(join(dir, `${name}.md`), md);
  process.stdout.write(md);
  say(`written bench/results/${name}.json and ${name}.md`);
}

const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const pcts = (s: Summary | undefined) => (s ? `${s.p50} / ${s.p95} / ${s.p99}` : '-');

export function header(r: { at: string; machine: ReturnType<typeof machine> }, title: string): string[] {
  const m = r.machine;
  return [
    `# ${title}`,
    '',
    `${r.at}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average ` +
      `(1/5/15 min) at the start ${m.loadavgAtStart.join(' / ')}. Everything — Temporal, FerretDB, PostgreSQL, ` +
      'the worker, the API and the simulated users — on the same machine.',
    '',
  ];
}

/** A target line: the figure, the bound, and met or missed by how much. */
export function target(what: string, value: number, bound: number, lowerIsBetter = true): string {
  const met = lowerIsBetter ? value < bound : value >= bound;
  const by = lowerIsBetter ? value / bound : bound / value;
  const verdict = met ? 'met' : `missed (${by.toFixed(2)}× the bound)`;
  return `- ${what}: ${value} against ${lowerIsBetter ? '<' : '≥'} ${bound} — **${verdict}**`;
}

export function usageLines(whistle: PhaseResult, bare?: PhaseResult): string[] {
  const out: string[] = [];
  for (const k of Object.keys(whistle.cpuMsPerCase))
    out.push(line([`CPU ms per case, ${k}`, whistle.cpuMsPerCase[k]!, bare?.cpuMsPerCase[k] ?? '-']));
  for (const k of Object.keys(whistle.peakRssMiB))
    out.push(line([`peak memory MiB, ${k}`, whistle.peakRssMiB[k]!, bare?.peakRssMiB[k] ?? '-']));
  return out;
}

/** The service's own CPU per case: the API, the worker, Temporal, FerretDB and PostgreSQL. */
export function serviceCpu(p: PhaseResult, parts = ['api', 'worker', 'temporal', 'ferretdb', 'postgresql']): number {
  return Math.round(parts.reduce((s, k) => s + (p.cpuMsPerCase[k] ?? 0), 0) * 10) / 10;
}

export function lifecycleReport(r: {
  at: string;
  machine: ReturnType<typeof machine>;
  cases: number;
  concurrency: number;
  updatesPerCase: number;
  activitiesPerStep: number;
  evaluateRetries: number;
  whistle: PhaseResult;
  bare: PhaseResult;
  ratio: number;
}): string[] {
  const { whistle: w, bare: b } = r;
  const steps = Object.keys(w.steps);
  const reads = steps.filter((s) => s.startsWith('GET'));
  const updates = steps.filter((s) => s.startsWith('POST') && s !== 'POST /whistles');
  const worst = (keys: string[]) => Math.max(...keys.map((k) => w.steps[k]!.p99));
  return [
    ...header(r, 'Whole-lifecycle benchmark'),
    `${r.cases} cases each way at concurrency ${r.concurrency}; ${r.updatesPerCase} Updates per case on average ` +
      `(a share through the desk, a share sent back once); the baseline runs ${r.activitiesPerStep} empty activities ` +
      `per start or Update, as many as the whistle cases ran. ${r.evaluateRetries} evaluations were tried again ` +
      '(409 while the evaluation window was opening).',
    '',
    line(['', 'whistle (HTTP → API → workflow → FerretDB)', 'bare Temporal (client, empty activities)']),
    line(['---', '---', '---']),
    line(['cases/s', w.casesPerSecond, b.casesPerSecond]),
    line(['seconds', w.seconds, b.seconds]),
    ...steps.map((s) => line([`${s} p50 / p95 / p99 ms (${w.steps[s]!.count})`, pcts(w.steps[s]), pcts(b.steps[s])])),
    ...usageLines(w, b),
    line(['CPU ms per case, the service (API, worker, Temporal, FerretDB, PostgreSQL)', serviceCpu(w), serviceCpu(b)]),
    '',
    '## Targets',
    '',
    target('throughput whistle / bare', r.ratio, 0.75, false),
    target('reads p99 ms (worst endpoint)', worst(reads), 100),
    target('Updates p99 ms (worst endpoint, raise included)', worst([...updates, 'POST /whistles']), 250),
  ];
}

export function latenessReport(r: {
  at: string;
  machine: ReturnType<typeof machine>;
  drillCases: number;
  concurrency: number;
  minutes: number;
  profile: SlaProfile;
  lateness: Lateness;
  loadSteps: Record<string, Summary>;
}): string[] {
  const l = r.lateness;
  return [
    ...header(r, 'Escalation lateness'),
    `${r.drillCases} cases on the drill profile (演练: report for duty ${r.profile.acknowledge.amount} min, on site ` +
      `${r.profile.onSite.amount} min, resolve ${r.profile.resolve.amount} min, a minute a rung) that nobody acts on, while ${r.concurrency} users live whole cases beside them; every ` +
      `milestone due in the ${r.minutes} minutes after the last raise: ${l.due} scheduled by the domain's rule, ` +
      `${l.recorded} recorded. Lateness = the event's recorded time minus its due instant.`,
    '',
    line(['milestone', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms']),
    line(['---', '---', '---', '---', '---', '---']),
    ...Object.entries(l.byKind).map(([k, s]) => line([k, s.count, s.p50, s.p95, s.p99, s.mean])),
    line(['all', l.all.count, l.all.p50, l.all.p95, l.all.p99, l.all.mean]),
    '',
    'The load beside them (latency ms p50 / p95 / p99):',
    '',
    ...Object.entries(r.loadSteps).map(([k, s]) => `- ${k} (${s.count}): ${pcts(s)}`),
    '',
    '## Targets',
    '',
    target('lateness p99 ms', l.all.p99, 1000),
    `- every milestone due was recorded: ${l.recorded === l.due ? '**yes**' : `**no** (${l.recorded} of ${l.due})`}`,
  ];
}
