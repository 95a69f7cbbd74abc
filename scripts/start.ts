/**
 * `npm start`: the whole system on the embedded database — the Tessera server (API + dashboard)
 * and the demo app beside it, with the demo's environment and keys created on first start.
 * Settings: PORT (Tessera, default 4000), DEMO_PORT (default 3000), TESSERA_HOME (where state is
 * kept, default ./.tessera), DATABASE_URL (default: embedded, in TESSERA_HOME), TESSERA_ADMIN_TOKEN.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const stateDir = resolve(root, process.env.TESSERA_HOME ?? '.tessera');
const children: ChildProcess[] = [];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Builds the server as it is installed (packages/server/dist, with the dashboard) and the browser
 * SDK's script-tag bundle, at every start so neither is ever stale: ~1 s, the dashboard ~3 s more
 * when it changed. Types are not needed to run, so tsc is skipped.
 */
function buildPackages(): void {
  const builds = [['packages/sdk-browser/scripts/build.mjs', '--script-tag'], ['packages/server/scripts/build.mjs']];
  for (const [script, ...args] of builds) {
    const result = spawnSync(process.execPath, [script!, ...args], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, TESSERA_BUILD_TYPES: '0' },
    });
    if (result.status !== 0) throw new Error(`${script} failed`);
  }
}

/** A persistent admin token, so this script (and you) can use the admin API. */
function adminToken(): string {
  if (process.env.TESSERA_ADMIN_TOKEN) return process.env.TESSERA_ADMIN_TOKEN;
  const file = join(stateDir, 'admin-token');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Starts a child process, echoes its output with a prefix, resolves when a line matches. */
function start(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<RegExpMatchArray> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log(`[${name}] ${line}`);
      buffered += chunk.toString();
      const match = buffered.match(ready);
      if (match) resolve(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      reject(new Error(`${name} exited with code ${code}`));
      stopAll(code ?? 1);
    });
  });
}

function stopAll(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}

interface KeyPairJson {
  publicKey: string;
  privateKey: string;
}

interface DemoKeys {
  environment: string;
  publicKey: string;
  privateKey: string;
}

/** The demo's environment and keys: created through the admin API once, then kept in .tessera. */
async function demoKeys(tesseraUrl: string, token: string): Promise<DemoKeys> {
  const file = join(stateDir, 'demo-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${tesseraUrl}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { keyPair?: KeyPairJson } & KeyPairJson };
  };
  let created = await call('POST', '/environments', { name: 'demo' });
  let pair: KeyPairJson | undefined = created.body.keyPair;
  if (created.status === 409) {
    created = await call('POST', '/environments/demo/key-pairs');
    pair = created.body;
  }
  if (!pair?.privateKey) throw new Error(`Could not create the demo's keys: ${JSON.stringify(created.body)}`);
  const keys = { environment: 'demo', publicKey: pair.publicKey, privateKey: pair.privateKey };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

async function main(): Promise<void> {
  mkdirSync(stateDir, { recursive: true });
  buildPackages();

  const token = adminToken();
  const [, tesseraUrl] = await start(
    'tessera',
    ['packages/server/bin/tessera.js', 'serve'],
    {
      TESSERA_ADMIN_TOKEN: token,
      DATABASE_URL: process.env.DATABASE_URL || `pglite://${join(stateDir, 'data')}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    /Tessera listening on (http:\/\/\S+)/,
  );
  if (!tesseraUrl) throw new Error('Tessera did not say where it listens');
  const keys = await demoKeys(tesseraUrl, token);
  const [, demoUrl] = await start(
    'demo',
    ['--conditions=@tessera/source', '--import', 'tsx', 'examples/demo-app/src/main.ts'],
    {
      TESSERA_BASE_URI: tesseraUrl,
      TESSERA_PUBLIC_KEY: keys.publicKey,
      TESSERA_PRIVATE_KEY: keys.privateKey,
      TESSERA_TARGET_ENVIRONMENT: keys.environment,
      DEMO_DATA_DIR: join(stateDir, 'demo'),
    },
    /Demo app listening on (http:\/\/\S+)/,
  );

  log('');
  log(`  Demo app   ${demoUrl}   browse, subscribe, sign up, log in, log out`);
  log(`  Dashboard  ${tesseraUrl}   watch each step (environment "demo")`);
  log('  First visit to the dashboard: create your operator account on its setup page');
  log('  (or: npx tessera operators create --email you@example.com --password-stdin).');
  log(`  Admin API token: in ${relative(process.cwd(), join(stateDir, 'admin-token')) || 'admin-token'}`);
  log('');
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  stopAll(1);
});
