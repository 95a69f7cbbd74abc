/**
 * A lock file that keeps two processes from opening the same embedded database, which would
 * corrupt it. A lock left by a process that no longer runs is taken over.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ErrorCode, TesseraError } from '../errors.ts';

export interface DataDirLock {
  release(): void;
}

/** The files that sit beside an embedded data directory `…/data`: `…/data.lock`, `…/data.control.json`. */
export function dataDirFiles(dataDir: string): { dir: string; lockFile: string; controlFile: string } {
  const dir = resolve(dataDir);
  const name = basename(dir) || 'data';
  return { dir, lockFile: join(dirname(dir), `${name}.lock`), controlFile: join(dirname(dir), `${name}.control.json`) };
}

/**
 * The pid of another live process holding the data directory's lock, or undefined when it is free
 * (no lock file, or one left by a process that is gone).
 */
export function lockHolder(dataDir: string): number | undefined {
  let holder: number;
  try {
    holder = Number(readFileSync(dataDirFiles(dataDir).lockFile, 'utf8'));
  } catch {
    return undefined;
  }
  return Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder) ? holder : undefined;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const { dir, lockFile: file } = dataDirFiles(dataDir);
  prepareDirectory(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, err);
      const holder = lockHolder(dir);
      if (holder !== undefined) {
        throw new TesseraError(
          ErrorCode.CONFLICT,
          `The embedded database at ${dir} is in use by another Tessera process (pid ${holder}). ` +
            'Stop that server first, or point DATABASE_URL at PostgreSQL to run several processes.',
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new TesseraError(ErrorCode.CONFLICT, `Could not lock the embedded database at ${dir}`);
}

/** Creates the directory and checks it is writable, so a bad path fails here with its name, not deep in PGlite. */
function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw unusable(dir, err);
  }
}

function unusable(dir: string, err: unknown): TesseraError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file is in the way of the directory'
          : ((err as Error).message ?? String(err));
  return new TesseraError(
    ErrorCode.INVALID_INPUT,
    `Cannot use ${dir} for the embedded database (DATABASE_URL pglite://…): ${why}. ` +
      'Choose a writable directory with DATABASE_URL or --database-url.',
    { cause: err },
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
