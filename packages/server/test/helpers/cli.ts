/** Runs the real `tessera` command as a child process, from its sources (through tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cliSource = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** Node's arguments before the command's own: `node …tesseraArgs serve --port 0`. */
// tsx is resolved here: the command runs in a temporary folder that has no node_modules.
const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'));
export const tesseraArgs = ['--conditions=@tessera/source', '--import', tsx.href, cliSource];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tessera ...args` to completion; `input` is written to its stdin (which is then closed). */
export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...tesseraArgs, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running `tessera` process and waits until its stdout matches `ready`. */
export function startCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [...tesseraArgs, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera did not print ${options.ready} in time; output:\n${out}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = out.match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => out, match, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tessera exited (${code}) before it was ready; output:\n${out}`));
    });
  });
}
