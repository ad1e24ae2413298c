/**
 * Replays every recorded case history (test/replay/histories, made by `npm run replay:record`)
 * against the current workflow code. A change that would break a running case — a command added,
 * removed or reordered without a patched() guard — fails here, in CI, before it ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const dir = join(__dirname, 'histories');
const recorded = readdirSync(dir).filter((f) => f.endsWith('.binpb'));

describe('when recorded case histories replay against the current workflow code', () => {
  it('then there are histories to replay', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(3);
  });

  it.each(recorded)('then %s replays without non-determinism', async (file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../workflows') },
        history,
        file.replace(/\.binpb$/, ''),
      ),
    ).resolves.toBeUndefined();
  });
});
