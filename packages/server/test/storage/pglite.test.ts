import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/open.ts';

describe('embedded PGlite', () => {
  it('starts with 16 MB of shared buffers, in memory and on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-pglite-'));
    try {
      for (const url of ['memory://', `pglite://${dir}`]) {
        const db = await openDatabase(url, { migrate: false });
        try {
          const [row] = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
          expect(row?.shared_buffers).toBe('16MB');
        } finally {
          await db.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000); // two PGlite starts; a loaded two-core machine has taken over 30 s
});
