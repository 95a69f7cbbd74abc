// The Dockerfile's steps, run here without a container engine (none runs on this machine): the
// image copies the very tarball the package tests install, its install command and its
// environment start a working server, and its HEALTHCHECK tells a live server from a dead one.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const instruction = (name: string): string[] =>
  dockerfile
    .split('\n')
    .filter((line) => line.startsWith(`${name} `))
    .map((line) => line.slice(name.length + 1).trim());

/** `ENV A=1 B=2` → { A: '1', B: '2' }, `$PATH` expanded from `base`. */
function imageEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of instruction('ENV')) {
    for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g)) {
      env[key!] = value!.replace('$PATH', base.PATH ?? '');
    }
  }
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the Docker image, step by step', () => {
  const tarball = inject('tarballs')['@tessera/server']!;
  const prefix = mkdtempSync(join(tmpdir(), 'tessera-image-'));
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let output = '';

  const healthcheck = () => {
    const command = instruction('HEALTHCHECK')[0]!.split(' CMD ')[1]!;
    const script = /^node -e "(.*)"$/.exec(command)?.[1];
    if (!script) throw new Error(`HEALTHCHECK is not a node -e command: ${command}`);
    return run(process.execPath, ['-e', script], { env }).then(
      () => 0,
      (err: { code?: number }) => err.code ?? 1,
    );
  };

  beforeAll(async () => {
    // RUN: the image's own install command, with its paths moved into a temporary folder.
    const install = /npm install [^&]+/.exec(instruction('RUN')[0] ?? '')?.[0]?.trim();
    if (!install) throw new Error('the Dockerfile has no npm install step');
    const args = install
      .split(/\s+/)
      .slice(1)
      .map((arg) => arg.replace('/opt/tessera', prefix).replace('/tmp/tessera-server.tgz', tarball));
    await run('npm', args, { cwd: prefix });
    const imageEnvironment = imageEnv(process.env);
    env = {
      ...process.env,
      ...imageEnvironment,
      PATH: imageEnvironment.PATH!.replace('/opt/tessera', prefix),
      PORT: String(await freePort()),
      DATABASE_URL: imageEnvironment.DATABASE_URL!.replace('/var/lib/tessera', prefix),
    };
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
  });

  it('copies the tarball that `npm run pack` makes and the package tests install', () => {
    const version = (
      JSON.parse(readFileSync(join(root, 'packages/server/package.json'), 'utf8')) as { version: string }
    ).version;
    const arg = instruction('ARG').find((a) => a.startsWith('TESSERA_VERSION='));
    expect(arg, 'ARG TESSERA_VERSION follows packages/server/package.json').toBe(`TESSERA_VERSION=${version}`);
    const source = instruction('COPY')[0]!.split(' ')[0]!.replace('${TESSERA_VERSION}', version);
    expect(source).toBe(`dist-packages/${basename(tarball)}`);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toContain('!dist-packages/tessera-server-*.tgz');
  });

  it('starts the server with its ENTRYPOINT, CMD and environment; HEALTHCHECK passes, then fails once it stops', async () => {
    const entrypoint = JSON.parse(instruction('ENTRYPOINT')[0]!) as string[];
    const cmd = JSON.parse(instruction('CMD')[0]!) as string[];
    const [command, ...args] = [...entrypoint, ...cmd];
    server = spawn(command!, args, { cwd: prefix, env });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/listening on http/.test(output)) resolve();
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.on('exit', (code) => reject(new Error(`tessera serve exited (${code}):\n${output}`)));
    });
    await ready;
    expect(await healthcheck(), output).toBe(0);
    const exited = new Promise((resolve) => server!.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    expect(await healthcheck()).toBe(1);
  });
});
