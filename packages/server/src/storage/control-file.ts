/**
 * The control file of a server running on an embedded database: `…/data.control.json`, beside the
 * data directory's lock. It tells the `tessera` command where that server listens and gives it a
 * credential for the admin API, so commands work through the server instead of failing on the
 * lock. The credential is random per process and only ever in that process's memory and this
 * file (mode 0600, removed on close): whoever can read it can read the database itself.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ErrorCode, TesseraError } from '../errors.ts';
import { dataDirFiles } from './data-dir-lock.ts';

export interface ControlFile {
  /** The server's process id (the same as in the lock file). */
  pid: number;
  /** Its base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** The per-process admin credential: `Authorization: Bearer <token>`. */
  token: string;
  /** The server's package version. */
  version: string;
}

/**
 * Writes the control file atomically (a stale one left by a killed process is replaced) and
 * returns how to remove it again.
 * @example const control = writeControlFile(dir, { pid: process.pid, url, token, version }); control.remove();
 */
export function writeControlFile(dataDir: string, content: ControlFile): { remove(): void } {
  const { controlFile } = dataDirFiles(dataDir);
  const temporary = `${controlFile}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600); // the umask can only remove bits; make sure none were added
  renameSync(temporary, controlFile);
  return {
    remove() {
      // Only our own: a newer server may have replaced it.
      if (readControlFile(dataDir)?.pid === content.pid) rmSync(controlFile, { force: true });
    },
  };
}

/**
 * The control file beside a data directory, or undefined when there is none (or it is not one).
 * @throws TesseraError FORBIDDEN when others than its owner may read or change it: its URL could
 *   then send a password or key elsewhere.
 */
export function readControlFile(dataDir: string): ControlFile | undefined {
  const { controlFile } = dataDirFiles(dataDir);
  let text: string;
  try {
    const stat = statSync(controlFile);
    if ((stat.mode & 0o077) !== 0) {
      throw new TesseraError(
        ErrorCode.FORBIDDEN,
        `${controlFile} may be read or changed by other users (mode ${(stat.mode & 0o777).toString(8)}): ` +
          'delete it and restart the server, which writes it with mode 600.',
      );
    }
    text = readFileSync(controlFile, 'utf8');
  } catch (err) {
    if (err instanceof TesseraError) throw err;
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<ControlFile>;
    const ok =
      Number.isInteger(value.pid) &&
      typeof value.url === 'string' &&
      /^http:\/\//.test(value.url) &&
      typeof value.token === 'string' &&
      typeof value.version === 'string';
    return ok ? (value as ControlFile) : undefined;
  } catch {
    return undefined; // being replaced, or not ours
  }
}
