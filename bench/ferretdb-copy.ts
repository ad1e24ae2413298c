/**
 * The scale fill's fast path on the local database: documents written straight into the tables
 * FerretDB 1.x keeps its collections in, with PostgreSQL's COPY, in FerretDB's own storage format
 * (its "sjson": the document as JSON plus a `$s` schema of each value's BSON type and the keys'
 * order, as `internal/handler/sjson` of FerretDB 1.24 writes it).
 *
 * Why: through the wire protocol FerretDB decodes each BSON document, validates it, encodes it
 * again and inserts it 100 rows a statement — about 0.25 ms of CPU a document, half the CPU of the
 * fill on two cores. COPY leaves PostgreSQL's work only. Each value gets the type the MongoDB
 * driver's BSON would give it (a whole number within 32 bits an int, any other number a double,
 * undefined a null), so what FerretDB reads back is what an insertMany would have stored;
 * test/integration/scale-fill.test.ts compares the two document by document. Only for the
 * bench's throw-away clusters: a production MongoDB is filled through the driver.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FERRETDB_PG_DATABASE, postgresBinDir } from '../dev/ferretdb';

const INT32 = 2 ** 31;

/** `{"$s": schema, key: value, …}`: one document in FerretDB 1.x's storage format. */
export function sjson(doc: Record<string, unknown>): string {
  // the driver sends `_id` where the object has it; FerretDB stores it first
  const ordered = '_id' in doc && Object.keys(doc)[0] !== '_id' ? { _id: doc._id, ...doc } : doc;
  const found = { undefined: false };
  const schema = schemaOf(ordered, found);
  // the values as JSON.stringify writes them, unless an undefined (the driver's null) is among them
  const values = found.undefined ? JSON.stringify(ordered, (_k, v: unknown) => v ?? null) : JSON.stringify(ordered);
  return values === '{}' ? `{"$s":${schema}}` : `{"$s":${schema},${values.slice(1)}`;
}

function schemaOf(o: Record<string, unknown>, found: { undefined: boolean }): string {
  let props = '';
  let keys = '';
  for (const key in o) {
    const name = JSON.stringify(key);
    props += `${props ? ',' : ''}${name}:${elemOf(o[key], found)}`;
    keys += `${keys ? ',' : ''}${name}`;
  }
  return keys ? `{"p":{${props}},"$k":[${keys}]}` : '{}';
}

/** A value's schema: the BSON type the MongoDB driver would give it. */
function elemOf(v: unknown, found: { undefined: boolean }): string {
  if (v === undefined) found.undefined = true;
  if (v === null || v === undefined) return '{"t":"null"}';
  switch (typeof v) {
    case 'string':
      return '{"t":"string"}';
    case 'boolean':
      return '{"t":"bool"}';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`sjson: ${v} has no JSON form`);
      return Number.isSafeInteger(v) && v >= -INT32 && v < INT32 && !Object.is(v, -0)
        ? '{"t":"int"}'
        : '{"t":"double"}';
    case 'object': {
      if (Array.isArray(v)) return `{"t":"array","i":[${v.map((x) => elemOf(x, found)).join(',')}]}`;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new Error(`sjson: a ${v.constructor.name} is not a plain value`);
      return `{"t":"object","$s":${schemaOf(v as Record<string, unknown>, found)}}`;
    }
    default:
      throw new Error(`sjson: a ${typeof v} is not a plain value`);
  }
}

/** COPY into FerretDB's tables through psql on PostgreSQL's Unix socket. */
export class FerretDbCopy {
  private readonly psql = join(postgresBinDir(), 'psql');
  private tables = new Map<string, string>();

  constructor(
    private readonly socketDir: string,
    /** the MongoDB database: FerretDB's PostgreSQL schema */
    private readonly database: string,
  ) {}

  private args(): string[] {
    return ['-h', this.socketDir, '-U', 'postgres', '-d', FERRETDB_PG_DATABASE, '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  }

  /** The table of each collection FerretDB has created (it names them `<collection>_<hash>`). */
  async table(collection: string): Promise<string> {
    if (!this.tables.has(collection)) {
      const { stdout } = await promisify(execFile)(this.psql, [
        ...this.args(),
        '-A',
        '-t',
        '-F',
        '\t',
        '-c',
        `SELECT _jsonb->>'_id', _jsonb->>'table' FROM ${ident(this.database)}._ferretdb_database_metadata`,
      ]);
      this.tables = new Map(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t') as [string, string]),
      );
    }
    const table = this.tables.get(collection);
    if (!table) throw new Error(`FerretDB has no table for collection ${collection} (create the collection first)`);
    return table;
  }

  /** Writes documents (each encoded by `sjson`) in one COPY, one transaction: all or none. */
  async copy(collection: string, rows: string[]): Promise<void> {
    const table = await this.table(collection);
    // CSV with a quote and a delimiter JSON never holds raw: each line is the column's text as it is
    const sql = `COPY ${ident(this.database)}.${ident(table)} (_jsonb) FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
    const child = spawn(this.psql, [...this.args(), '-c', sql], {
      stdio: ['pipe', 'ignore', 'pipe'],
      // documents over 2 kB are compressed as they are stored: lz4 costs a fraction of pglz's CPU
      env: { ...process.env, PGOPTIONS: '-c default_toast_compression=lz4' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    child.stdin.on('error', () => {}); // a failed COPY closes the pipe early: its exit code says why
    child.stdin.end(rows.join('\n') + '\n');
    const code = await exited;
    if (code !== 0) throw new Error(`COPY into ${collection} failed (${code}): ${stderr.trim()}`);
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
