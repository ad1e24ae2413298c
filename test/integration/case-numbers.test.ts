/**
 * Case numbers and list versions are never handed out twice, on the local database too. FerretDB 1.x
 * applies an `$inc` by reading the document and writing it back without a lock, so concurrent bumps of
 * one counter return the same value; these tests raise at once from several connections (as several
 * API processes would) against the real FerretDB, and through the API.
 */
import type { Connection } from 'mongoose';
import { CaseNumbers } from '../../store/case-numbers';
import { connectStore } from '../../store/connection';
import { ResponsibilityList } from '../../store/responsibility-list';
import { admin, demoMatter, illegalConstruction, township } from '../support/fixtures';
import { useHarness } from '../support/harness';
import { call } from '../support/http';

const harness = useHarness('dev-server');

/** the same moment in 2026, China Standard Time */
const AT = new Date('2026-06-01T02:00:00Z');

/** `processes` connections of their own, each with its own instance, as separate API processes have. */
async function withProcesses<T>(processes: number, run: (connections: Connection[]) => Promise<T>): Promise<T> {
  const connections = await Promise.all(Array.from({ length: processes }, () => connectStore(harness.db.uri)));
  try {
    return await run(connections);
  } finally {
    await Promise.all(connections.map((c) => c.close()));
  }
}

const sequenceOf = (numbers: string[]) => numbers.map((n) => Number(n.split('-').at(-1))).sort((a, b) => a - b);

describe('when many case numbers are asked for at once', () => {
  it('then 120 calls from four processes and from within each at once give 120 distinct numbers', async () => {
    const numbers = await withProcesses(4, (connections) => {
      const processes = connections.map((connection) => new CaseNumbers(connection, 'BURST'));
      return Promise.all(Array.from({ length: 120 }, (_, i) => processes[i % 4]!.next(AT)));
    });
    expect(new Set(numbers).size).toBe(120);
    expect(numbers.every((n) => /^BURST-2026-\d{6}$/.test(n))).toBe(true);
  });

  it('then 120 callers each as its own process (no queue between them) give 120 distinct numbers', async () => {
    const numbers = await withProcesses(4, (connections) =>
      Promise.all(Array.from({ length: 120 }, (_, i) => new CaseNumbers(connections[i % 4]!, 'APART').next(AT))),
    );
    expect(new Set(numbers).size).toBe(120);
  });

  it('then one process asking 100 at once gets 1 to 100, dense, in the format people read', async () => {
    const numbers = await withProcesses(1, ([connection]) => {
      const caseNumbers = new CaseNumbers(connection!, 'DENSE');
      return Promise.all(Array.from({ length: 100 }, () => caseNumbers.next(AT)));
    });
    expect(sequenceOf(numbers)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(numbers).toContain('DENSE-2026-000001');
  });

  it('then a counter written before claims existed is continued, never reused, and a new year starts at 1', async () => {
    // an existing deployment: 123 numbers were handed out by the counter alone
    await harness.db.connection.collection('counters').insertOne({ _id: 'OLDER-2026', seq: 123 } as never);
    const caseNumbers = new CaseNumbers(harness.db.connection, 'OLDER');
    expect(await caseNumbers.next(AT)).toBe('OLDER-2026-000124');
    expect(await caseNumbers.next(AT)).toBe('OLDER-2026-000125');
    // 2026-12-31T16:00Z is already 1 January 2027 in China Standard Time
    expect(await caseNumbers.next(new Date('2026-12-31T16:00:00Z'))).toBe('OLDER-2027-000001');
  });
});

describe('when two administrators change the list at once', () => {
  it('then each change is its own list version, and the list in force reads the latest', async () => {
    const versions = await withProcesses(4, (connections) =>
      Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          new ResponsibilityList(connections[i % 4]!).apply(
            [{ fields: { ...demoMatter('WJ-006'), code: `ZZ-${String(i).padStart(3, '0')}` } }],
            admin,
            `change ${i}`,
            AT,
          ),
        ),
      ),
    );
    const listVersions = versions.map((v) => v.listVersion);
    expect(new Set(listVersions).size).toBe(12);
    expect(await new ResponsibilityList(harness.db.connection).listVersion()).toBe(Math.max(...listVersions));
  });
});

describe('when 30 whistles are raised at once through the API', () => {
  it('then the 30 cases have 30 distinct case numbers', async () => {
    const token = await harness.stack.token(township);
    const raised = await Promise.all(
      Array.from({ length: 30 }, () =>
        call(harness.stack.baseUrl, 'POST', '/api/v1/whistles', { token, body: illegalConstruction() }),
      ),
    );
    expect(raised.map((r) => r.status)).toEqual(Array.from({ length: 30 }, () => 201));
    const numbers = raised.map((r) => r.body.caseNumber as string);
    expect(numbers.every((n) => /^XILAN-\d{4}-\d{6}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(30);
  });
});
