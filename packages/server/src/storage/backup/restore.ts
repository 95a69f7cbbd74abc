/**
 * Restores a `tessera.backup.v1` file into an empty database, in one transaction: a file cut
 * short, with a wrong checksum, or from a newer schema than this code knows writes nothing.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { ErrorCode, TesseraError, invalidInput } from '../../errors.ts';
import type { Database, Queryable } from '../database.ts';
import { latestMigration, migrate } from '../migrate.ts';
import { BACKUP_FORMAT, type BackupHeader, type BackupTrailer, type TableSum } from './format.ts';
import { ident, jsonInsert, listTables, selfReferenceUpdate, type TableInfo } from './tables.ts';
import { versionOf } from './write.ts';

/** Rows per INSERT (one JSON parameter each). */
const INSERT_ROWS = 2_000;

export interface RestoreSummary {
  schemaVersion: number;
  tables: Record<string, TableSum>;
}

export interface RestoreOptions {
  /** Named in error messages, e.g. the file's path. */
  source: string;
  onRows?: (table: string, rowsSoFar: number) => void;
}

/**
 * @throws TesseraError INVALID_INPUT for a file that is not a whole, intact backup or is from a
 *   newer schema; CONFLICT when the database already holds Tessera data.
 * @example await restoreBackup(db, createReadStream('tessera.backup'), { source: 'tessera.backup' });
 */
export async function restoreBackup(db: Database, input: Readable, options: RestoreOptions): Promise<RestoreSummary> {
  const lines = readLines(input, options.source);
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value, options.source);
  const latest = latestMigration();
  if (header.schemaVersion > latest) {
    throw invalidInput(
      `${options.source} is from schema version ${header.schemaVersion} (Tessera ${header.tesseraVersion}), newer than ` +
        `this Tessera knows (${latest}): restore it with Tessera ${header.tesseraVersion} or newer`,
    );
  }
  await refuseNonEmpty(db);
  if ((await versionOf(db).catch(() => 0)) < header.schemaVersion) await migrate(db, header.schemaVersion);

  const summary = await db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
    const tables = new Map((await listTables(tx)).map((t) => [t.name, t]));
    const all = createHash('sha256').update(`${first.value as string}\n`);
    const sums: Record<string, TableSum> = {};
    let current: TableCopy | undefined;
    for await (const line of lines) {
      const tag = line[0];
      if (tag === 'E') {
        await current?.finish();
        verify(parseJson<BackupTrailer>(line.slice(1), options.source), all.digest('hex'), sums, options.source);
        if (!(await lines.next()).done) throw damaged(options.source, 'there is data after its trailer');
        await resetSequences(tx, [...tables.values()]);
        return { schemaVersion: header.schemaVersion, tables: sums };
      }
      all.update(`${line}\n`);
      if (tag === 'R') {
        if (!current) throw damaged(options.source, 'a row comes before any table');
        await current.add(line);
      } else if (tag === 'T') {
        await current?.finish();
        const { name } = parseJson<{ name: string }>(line.slice(1), options.source);
        const table = tables.get(name);
        const columns = header.tables.find((t) => t.name === name)?.columns;
        if (!table || !columns)
          throw invalidInput(`${options.source} holds table ${name}, which this schema does not have`);
        const sum = { rows: 0, sha256: '' };
        sums[name] = sum;
        current = new TableCopy(tx, table, columns, options.source, sum, options.onRows);
      } else {
        throw damaged(options.source, `line ${JSON.stringify(line.slice(0, 20))} is not a backup record`);
      }
    }
    throw damaged(options.source, 'it ends before its trailer (cut short?)');
  });
  await migrate(db);
  return summary;
}

/** Rows of one table, inserted in batches through `json_populate_recordset`. */
class TableCopy {
  private batch: string[] = [];
  private readonly hash: Hash = createHash('sha256');
  private readonly later: unknown[] = [];
  private readonly insert: string;

  constructor(
    private readonly tx: Queryable,
    private readonly table: TableInfo,
    columns: string[],
    source: string,
    private readonly sum: TableSum,
    private readonly onRows: RestoreOptions['onRows'],
  ) {
    const missing = columns.filter((c) => !table.columns.includes(c));
    if (missing.length > 0) {
      throw invalidInput(
        `${source}: table ${table.name} has columns this schema does not have (${missing.join(', ')})`,
      );
    }
    // Columns referencing the same table are filled in afterwards, when every row they may name exists.
    this.insert = jsonInsert(table, columns);
  }

  async add(line: string): Promise<void> {
    this.hash.update(`${line}\n`);
    this.batch.push(line.slice(1));
    if (this.table.selfReferences.length > 0) {
      const row = JSON.parse(line.slice(1)) as Record<string, unknown>;
      if (this.table.selfReferences.some((c) => row[c] !== null && row[c] !== undefined)) this.later.push(row);
    }
    if (this.batch.length >= INSERT_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    await this.tx.query(this.insert, [`[${this.batch.join(',')}]`]);
    this.sum.rows += this.batch.length;
    this.batch = [];
    this.onRows?.(this.table.name, this.sum.rows);
  }

  async finish(): Promise<void> {
    await this.flush();
    this.sum.sha256 = this.hash.digest('hex');
    const update = selfReferenceUpdate(this.table);
    for (let i = 0; i < this.later.length; i += INSERT_ROWS) {
      await this.tx.query(update, [JSON.stringify(this.later.slice(i, i + INSERT_ROWS))]);
    }
  }
}

/** Refuses a database that holds any Tessera row (its schema alone is fine). */
export async function refuseNonEmpty(db: Queryable): Promise<void> {
  for (const table of await listTables(db)) {
    const [row] = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(table.name)}) AS any`);
    if (row?.any) {
      throw new TesseraError(
        ErrorCode.CONFLICT,
        `The target database is not empty (table ${table.name} has rows): restore only into an empty database`,
      );
    }
  }
}

/** Identity and serial columns continue after the restored rows. */
export async function resetSequences(tx: Queryable, tables: TableInfo[]): Promise<void> {
  for (const table of tables) {
    for (const column of table.sequenced) {
      await tx.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(${ident(column)}) FROM ${ident(table.name)}), 0) + 1, false)`,
        [ident(table.name), column],
      );
    }
  }
}

function verify(trailer: BackupTrailer, sha256: string, sums: Record<string, TableSum>, source: string): void {
  if (trailer.sha256 !== sha256) throw damaged(source, 'its checksum does not match its content');
  const names = new Set([...Object.keys(trailer.tables ?? {}), ...Object.keys(sums)]);
  for (const name of names) {
    const want = trailer.tables[name];
    const got = sums[name];
    if (!want || !got || want.rows !== got.rows || want.sha256 !== got.sha256) {
      throw damaged(source, `table ${name} does not match its checksum or row count`);
    }
  }
}

function parseHeader(line: string | undefined, source: string): BackupHeader {
  const header = line?.[0] === 'H' ? parseJson<Partial<BackupHeader>>(line.slice(1), source) : undefined;
  if (header?.format !== BACKUP_FORMAT || !Number.isInteger(header.schemaVersion) || !Array.isArray(header.tables)) {
    throw invalidInput(`${source} is not a Tessera backup (${BACKUP_FORMAT})`);
  }
  return header as BackupHeader;
}

function parseJson<T>(text: string, source: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw damaged(source, 'a line is not valid JSON');
  }
}

function damaged(source: string, why: string): TesseraError {
  return invalidInput(`${source} is not a whole, intact Tessera backup: ${why}; nothing was restored`);
}

/** The file's lines, gunzipped; a damaged or cut gzip stream becomes one clear error. */
async function* readLines(input: Readable, source: string): AsyncGenerator<string, void, undefined> {
  const gunzip = input.pipe(createGunzip());
  input.on('error', (err) => gunzip.destroy(err));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      const text = rest + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) yield line;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw invalidInput(`${source} does not exist`);
    throw damaged(source, `${(err as Error).message}`);
  }
  if (rest !== '') yield rest;
}
