/**
 * A lock file that keeps two processes from opening the same embedded database, which would
 * corrupt it. A lock left by a process that no longer runs is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ErrorCode, TesseraError } from '../errors.ts';

export interface DataDirLock {
  release(): void;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dirname(dir), `${dir.split('/').pop() ?? 'data'}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
