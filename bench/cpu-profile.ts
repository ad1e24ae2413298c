/**
 * `npm run bench:profile -- <file.cpuprofile or folder>`: where a process's CPU went, from a `--cpu-prof`
 * profile (the bench's `--cpu-prof` writes one for the worker and the API): self time by package or
 * project folder, and the functions that took the most.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@temporalio/worker/…` → `@temporalio/worker`; a project file → its folder. */
function ownerOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const project = /\/(domain|workflows|activities|api|store|platform|worker|bench|dev)\//.exec(url);
  return project ? `project: ${project[1]}` : url.split('/').slice(-2).join('/');
}

function summarise(file: string, top: number): void {
  if (statSync(file).isDirectory()) {
    // a process's folder: one file per thread; threads that hardly ran (tsx's loader) are left out
    for (const f of readdirSync(file).filter((f) => f.endsWith('.cpuprofile'))) summarise(join(file, f), top);
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((s, [, t]) => s + t, 0);
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    owners.set(ownerOf(url), (owners.get(ownerOf(url)) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  if (busy < 1e6) return;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${pct(us).padStart(7)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  process.stdout.write(
    [
      `${file}: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s`,
      'by package or folder (self time):',
      ...rows(owners),
      'by function (self time):',
      ...rows(functions),
      '',
    ].join('\n'),
  );
}

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  process.stderr.write('usage: npm run bench:profile -- <file.cpuprofile> …\n');
  process.exit(2);
}
for (const f of files) summarise(f, 25);
