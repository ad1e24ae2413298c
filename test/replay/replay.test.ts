/**
 * Replays every recorded case history (test/replay/histories, made by `npm run replay:record`)
 * against the current workflow code. A change that would break a running case — a command added,
 * removed or reordered without a patched() guard, or code that throws on an input a running case
 * holds — fails here, in CI, before it ships.
 *
 * The SDK's replayer throws on non-determinism (and on task failures it happens to report), but a
 * workflow task that fails on the last task of a history ends the replay as if it had succeeded
 * (temporalio/sdk-rust#865); ./task-outcomes reports every activation from inside the workflow
 * code, and one that began but never concluded fails the test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker, type InjectedSinks, type WorkflowBundle } from '@temporalio/worker';
import type { TaskOutcomeSinks } from './task-outcomes';

const dir = join(__dirname, 'histories');
const recorded = readdirSync(dir).filter((f) => f.endsWith('.binpb'));

interface Outcomes {
  began: number;
  concluded: number;
  threw: string[];
}

/** What the workflow code reported, per run. */
const outcomes = new Map<string, Outcomes>();
const outcomesOf = (runId: string): Outcomes => {
  let o = outcomes.get(runId);
  if (!o) outcomes.set(runId, (o = { began: 0, concluded: 0, threw: [] }));
  return o;
};
const sinks: InjectedSinks<TaskOutcomeSinks> = {
  taskOutcomes: {
    began: { fn: (info) => void outcomesOf(info.runId).began++, callDuringReplay: true },
    concluded: { fn: (info) => void outcomesOf(info.runId).concluded++, callDuringReplay: true },
    threw: {
      fn: (info, where, message) => void outcomesOf(info.runId).threw.push(`${where}: ${message}`),
      callDuringReplay: true,
    },
  },
};

/** The workflow code and the reporting interceptor, bundled once for every replay. */
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [require.resolve('./task-outcomes')],
    logger: new DefaultLogger('WARN'),
  });
});

const read = (file: string) => temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));

/** Replays one history; throws on non-determinism or any failed workflow task. */
async function replay(file: string, history = read(file)): Promise<void> {
  const workflowId = file.replace(/\.binpb$/, '');
  outcomes.clear(); // one replay at a time; a doctored copy shares its original's run id
  let runId: string | undefined;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, sinks }, [{ workflowId, history }])) {
    if (result.error) throw result.error; // DeterminismViolationError, or a ReplayError the SDK did report
    runId = result.runId;
  }
  if (!runId) throw new Error(`${file} was not replayed`);
  const { began, concluded, threw } = outcomesOf(runId);
  if (began === 0) throw new Error(`${file}: the workflow code reported no activation (is the interceptor bundled?)`);
  if (concluded < began) {
    const why = threw.length ? threw.join('; ') : 'see the SDK warning "Failing workflow task" above';
    throw new Error(
      `${file}: a workflow task failed on replay (${began - concluded} of ${began} activations did not conclude): ${why}`,
    );
  }
}

describe('when recorded case histories replay against the current workflow code', () => {
  it('then there are histories to replay', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(3);
  });

  it.each(recorded)('then %s replays without non-determinism or a failed workflow task', async (file) => {
    await expect(replay(file)).resolves.toBeUndefined();
  });
});

describe('when a history ends in a workflow task the current code cannot run', () => {
  it('then its replay fails, naming the error', async () => {
    // a recorded case whose first task is still open, its input naming a calendar no code knows
    const history = read('normal-reported-still-open.binpb');
    history.events.splice(3);
    const started = history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const input = JSON.parse(Buffer.from(started.data!).toString());
    input.routing.calendarVersion = 'no-such-calendar';
    started.data = Buffer.from(JSON.stringify(input));
    await expect(replay('broken-input.binpb', history)).rejects.toThrow(
      /a workflow task failed on replay .*unknown working calendar version no-such-calendar/,
    );
  });
});
