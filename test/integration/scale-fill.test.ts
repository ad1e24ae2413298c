/**
 * The scale bench's fill (bench/fill.ts) writes its documents into FerretDB's tables with COPY, in
 * FerretDB's own storage format (bench/ferretdb-copy.ts), instead of through the wire protocol.
 * Proven here against the real database: the same cases filled both ways read back through the
 * MongoDB driver as the same documents — every field, every value's type, the keys' order — and
 * the indexes dropped for the load are built again, each with its GIN twin, and used.
 */
import type { Connection } from 'mongoose';
import { loadDemoCounty } from '../../dev/demo-county/load';
import { fill } from '../../bench/fill';
import { FerretDbCopy, sjson } from '../../bench/ferretdb-copy';
import { startTestDatabase, type TestDatabase } from '../support/database';

const CASES = 60;
const COLLECTIONS = ['audit_events', 'cases', 'notifications', 'case_facts', 'overdue_feed'];

let db: TestDatabase;
let viaDriver: Connection;
let viaCopy: Connection;
const end = new Date('2026-11-30T08:00:00.000Z');
const quiet = () => {};

beforeAll(async () => {
  db = await startTestDatabase();
  viaDriver = db.connection.useDb('fill_driver');
  viaCopy = db.connection.useDb('fill_copy');
  for (const store of [viaDriver, viaCopy]) await loadDemoCounty(store);
  await fill(viaDriver, CASES, end, quiet);
  await fill(viaCopy, CASES, end, quiet, { ferretDbCopy: { socketDir: db.socketDir, database: 'fill_copy' } });
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

/** Every document of a collection as the driver reads it, in `_id` order, as exact JSON (key order included). */
async function documents(store: Connection, collection: string): Promise<string[]> {
  const docs = await store.db!.collection(collection).find({}).toArray();
  return docs.map((d) => JSON.stringify(d)).sort();
}

describe('the scale fill by COPY', () => {
  test.each(COLLECTIONS)(
    'when %s is filled by COPY then every document reads back as the driver stored it',
    async (collection) => {
      const [driver, copied] = [await documents(viaDriver, collection), await documents(viaCopy, collection)];
      expect(copied.length).toBeGreaterThan(0);
      expect(copied.length).toBe(driver.length);
      expect(copied).toEqual(driver);
    },
  );

  test.each(COLLECTIONS)(
    'when %s is filled by COPY then PostgreSQL holds the same rows as through FerretDB: values, types, key order',
    async (collection) => {
      // jsonb equality covers FerretDB's `$s` schema: each value's BSON type and the keys' order
      const table = async (database: string) =>
        `"${database}"."${await new FerretDbCopy(db.socketDir, database).table(collection)}"`;
      const [rows] = await db.sql(`
        SELECT count(*) FILTER (WHERE d._jsonb IS NULL OR c._jsonb IS NULL), count(*)
          FROM ${await table('fill_driver')} d FULL JOIN ${await table('fill_copy')} c ON d._jsonb = c._jsonb`);
      expect(rows).toEqual(['0', expect.any(String)]);
      expect(Number(rows![1])).toBeGreaterThan(0);
    },
  );

  test('when a value is encoded then it gets the type the driver gives it: int within 32 bits, double beyond, undefined null', async () => {
    const probe = {
      n: 7,
      neg: -3,
      big: 2 ** 31,
      half: 0.5,
      ms: Date.UTC(2026, 0, 1),
      none: undefined,
      list: [1, 'a', null],
    };
    await viaDriver.db!.collection('sjson_types').insertOne({ _id: 'types' as never, ...probe });
    await viaCopy.db!.createCollection('sjson_types');
    const copy = new FerretDbCopy(db.socketDir, 'fill_copy');
    await copy.copy('sjson_types', [sjson({ _id: 'types', ...probe })]);
    const driverTable = await new FerretDbCopy(db.socketDir, 'fill_driver').table('sjson_types');
    const [[driver], [copied]] = [
      await db.sql(`SELECT _jsonb FROM "fill_driver"."${driverTable}"`),
      await db.sql(`SELECT _jsonb FROM "fill_copy"."${await copy.table('sjson_types')}"`),
    ];
    expect(JSON.parse(copied![0]!)).toEqual(JSON.parse(driver![0]!));
    expect(JSON.parse(copied![0]!).$s.p).toMatchObject({
      n: { t: 'int' },
      big: { t: 'double' },
      half: { t: 'double' },
      ms: { t: 'double' },
      none: { t: 'null' },
    });
  });

  test('when the fill is done then the indexes dropped for the load are back, each b-tree with its GIN twin', async () => {
    for (const collection of COLLECTIONS) {
      const names = async (store: Connection) =>
        (await store.db!.collection(collection).indexes()).map((i) => i.name).sort();
      expect(await names(viaCopy)).toEqual(await names(viaDriver));
    }
    const twins = await db.sql(`
      SELECT count(*) FILTER (WHERE am.amname = 'btree'), count(*) FILTER (WHERE am.amname = 'gin')
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
        JOIN pg_namespace n ON n.oid = i.relnamespace
       WHERE n.nspname = 'fill_copy' AND i.relname NOT LIKE '%ferretdb%'`);
    const [btrees, gins] = twins[0]!.map(Number);
    expect(gins).toBe(btrees);
    const township = (await viaCopy.db!.collection('cases').findOne({}))!.townshipId as string;
    expect(await viaCopy.db!.collection('cases').countDocuments({ townshipId: township })).toBe(
      await viaDriver.db!.collection('cases').countDocuments({ townshipId: township }),
    );
  });
});
