/**
 * Finds out who holds an embedded database: nobody (the command may open it), a running server
 * (its control file says where to send the command), or another process that is not serving
 * (another command, or a server still starting).
 */
import { readControlFile, type ControlFile } from '../storage/control-file.ts';
import { lockHolder } from '../storage/data-dir-lock.ts';

export type Holder = { kind: 'free' } | { kind: 'server'; control: ControlFile } | { kind: 'busy'; pid: number };

export function holderOf(dataDir: string): Holder {
  const pid = lockHolder(dataDir);
  if (pid === undefined) return { kind: 'free' };
  const control = readControlFile(dataDir);
  // A control file of another pid is stale (its server was killed); the holder does not serve yet.
  return control?.pid === pid ? { kind: 'server', control } : { kind: 'busy', pid };
}
