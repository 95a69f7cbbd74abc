/**
 * `tessera serve` run from a project where @tessera/server was installed, as a user starts it: its
 * URL read from the banner, its output kept (and printed when it dies unasked), the admin API at
 * hand, and its whole process group stopped at the end.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { userEnv } from './project.ts';

/** The admin token every test server is started with. */
export const ADMIN_TOKEN = 'package-tests-admin-token';

export interface Keys {
  publicKey: string;
  privateKey: string;
}

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:39211` */
  url: string;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** A call to `/admin/api…` with the admin token; the JSON answer. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A new environment through the admin API; its first key pair. */
  createEnvironment(name: string): Promise<Keys>;
  /** SIGTERM to its process group (SIGKILL after 10 s); resolves once it exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Default: `npx tessera serve --port 0`. */
  command?: [string, ...string[]];
  /** Added to the environment; default database `memory://`, the admin token, warnings only. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Starts the server in `dir`; resolves once it printed its banner, rejects with its output otherwise. */
export async function startServer(dir: string, options: StartOptions = {}): Promise<ServerProcess> {
  const [command, ...args] = options.command ?? ['npx', 'tessera', 'serve', '--port', '0'];
  const env: NodeJS.ProcessEnv = {
    ...userEnv(),
    DATABASE_URL: 'memory://',
    TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stopping = false;
  let listening = false;
  let died: string | undefined;
  void exited.then(([code, signal]) => {
    if (stopping) return;
    died = `\`${[command, ...args].join(' ')}\` exited (code ${code}, signal ${signal}); its output:\n${output}`;
    // Before the banner the start rejects with this; after it, the tests that follow would only see a refused connection.
    if (listening) console.error(died);
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner within ${options.timeoutMs ?? 60_000} ms; output:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const look = () => {
      const match = /Tessera listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(died ?? `exited before listening; output:\n${output}`));
    });
  }).catch(async (err: unknown) => {
    await stopGroup();
    throw err;
  });

  /** The command (npx) and what it started (npm, sh, node) share a process group: stop them all. */
  async function stopGroup(): Promise<void> {
    stopping = true;
    const pid = child.pid;
    if (pid === undefined || !alive(-pid)) return;
    kill(-pid, 'SIGTERM');
    const timer = setTimeout(() => kill(-pid, 'SIGKILL'), 10_000);
    while (alive(-pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    clearTimeout(timer);
  }

  const admin: ServerProcess['admin'] = async (method, path, body) => {
    if (died) throw new Error(died);
    const res = await fetch(`${url}/admin/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  return {
    url,
    output: () => output,
    admin,
    async createEnvironment(name) {
      const { status, body } = await admin('POST', '/environments', { name });
      if (status !== 201) throw new Error(`POST /admin/api/environments answered ${status}: ${JSON.stringify(body)}`);
      return { publicKey: body.keyPair.publicKey, privateKey: body.keyPair.privateKey };
    },
    stop: stopGroup,
  };
}

/** Whether a process (or, negative, a process group) still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** process.kill that ignores a process group already gone. */
function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
