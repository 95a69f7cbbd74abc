// The data directory's lock and control file: who holds an embedded database, and how to reach it.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readControlFile, writeControlFile } from '../../src/storage/control-file.ts';
import { acquireDataDirLock, dataDirFiles, lockHolder } from '../../src/storage/data-dir-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'tessera-control-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data directory path whose parent exists (the lock creates it in real use). */
const dataDirIn = (name: string) => {
  mkdirSync(join(root, name), { recursive: true });
  return join(root, name, 'data');
};

const content = { pid: process.pid, url: 'http://127.0.0.1:4000', token: 'local-token', version: '0.0.0' };

describe('control file', () => {
  it('is written with mode 600, read back, and removed', () => {
    const dataDir = dataDirIn('a');
    const files = dataDirFiles(dataDir);
    expect(files.controlFile).toBe(join(root, 'a', 'data.control.json'));
    const written = writeControlFile(dataDir, content);
    expect(statSync(files.controlFile).mode & 0o777).toBe(0o600);
    expect(readControlFile(dataDir)).toEqual(content);
    written.remove();
    expect(existsSync(files.controlFile)).toBe(false);
  });

  it("replaces a stale one, and leaves a newer server's file alone", () => {
    const dataDir = dataDirIn('b');
    const { controlFile } = dataDirFiles(dataDir);
    const old = writeControlFile(dataDir, { ...content, pid: 999_999_999 });
    writeControlFile(dataDir, content);
    old.remove(); // the old process closing late must not delete the new server's file
    expect(readControlFile(dataDir)?.pid).toBe(process.pid);
    expect(JSON.parse(readFileSync(controlFile, 'utf8')).token).toBe('local-token');
  });

  it('is refused when other users may read or change it', () => {
    const dataDir = dataDirIn('c');
    writeControlFile(dataDir, content);
    chmodSync(dataDirFiles(dataDir).controlFile, 0o644);
    expect(() => readControlFile(dataDir)).toThrow(/may be read or changed by other users \(mode 644\)/);
  });

  it('is ignored when it is not one', () => {
    const dataDir = dataDirIn('d');
    acquireDataDirLock(dataDir).release();
    expect(readControlFile(dataDir)).toBeUndefined();
    writeFileSync(dataDirFiles(dataDir).controlFile, '{"pid":', { mode: 0o600 });
    expect(readControlFile(dataDir)).toBeUndefined();
  });
});

describe('data directory lock', () => {
  it('names who holds it; a lock of a process that is gone is free', () => {
    const dataDir = dataDirIn('e');
    const { lockFile } = dataDirFiles(dataDir);
    const lock = acquireDataDirLock(dataDir);
    expect(lockHolder(dataDir)).toBeUndefined(); // ours
    lock.release();
    writeFileSync(lockFile, String(process.ppid));
    expect(lockHolder(dataDir)).toBe(process.ppid);
    expect(() => acquireDataDirLock(dataDir)).toThrow(/in use by another Tessera process \(pid \d+\)/);
    writeFileSync(lockFile, '999999999');
    expect(lockHolder(dataDir)).toBeUndefined();
    acquireDataDirLock(dataDir).release();
  });

  it('says which directory cannot be used, and why', () => {
    writeFileSync(join(root, 'a-file'), '');
    expect(() => acquireDataDirLock(join(root, 'a-file', 'data'))).toThrow(
      /^Cannot use .*a-file\/data for the embedded database \(DATABASE_URL pglite:\/\/…\): a file is in the way of the directory\. Choose a writable directory/,
    );
  });
});
