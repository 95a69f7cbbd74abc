/**
 * A React Native app in Hermes: the app in tests/packages/fixtures/react-native/ bundled by the
 * Metro installed in a user's project (with React Native's Babel preset), and run in the `hermes`
 * binary of hermes-engine-cli, one Hermes session per app launch.
 *
 * The session is Hermes' REPL (`hermes` with no file), fed on stdin: first the launch state and the
 * bundle (evaluated as global code, as React Native evaluates its bundle), then the test's calls
 * and the native side's events. That keeps one engine alive across a network round trip, which the
 * hermes CLI cannot do otherwise (it has no fetch, sockets or stdin reads): the app's fetch prints
 * each request, this side sends it to the real server with Node's fetch and types the server's
 * answer back in, so the SDK acts on what the server really said. host.js is the app's side of it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, type Project } from './project.ts';

/** The hermes CLI, from the checkout's hermes-engine-cli (0.12.0, the last host build on npm). */
export const HERMES = new URL('../../../node_modules/hermes-engine-cli/linux64-bin/hermes', import.meta.url).pathname;

/** The app's files, written into the project as they are named in fixtures/react-native/. */
const APP_FILES = ['index.js', 'host.js', 'app.js', 'react-native.js', 'metro.config.mjs'];

export interface Bundle {
  code: string;
  /** The files it was made of, relative to the project (from its source map). */
  sources: string[];
}

/**
 * `metro build`, as an app's release bundle for iOS: minified, no dev code. Metro's default
 * transform profile is the one for engines without classes, which Hermes 0.12 is.
 */
export async function bundleReactNativeApp(project: Project): Promise<Bundle> {
  for (const file of APP_FILES) project.write(file, fixture(`react-native/${file}`));
  await project.exec('npx', [
    'metro',
    'build',
    'index.js',
    '--config',
    'metro.config.mjs',
    '--platform',
    'ios',
    '--out',
    'bundle.js',
    '--source-map',
    '--source-map-url',
    'bundle.map',
  ]);
  const map = JSON.parse(readFileSync(join(project.dir, 'bundle.map'), 'utf8')) as {
    sections: { map: { sources: string[] } }[];
  };
  return {
    code: readFileSync(join(project.dir, 'bundle.js'), 'utf8'),
    sources: map.sections
      .flatMap((s) => s.map.sources)
      .map((source) => (source.startsWith(`${project.dir}/`) ? source.slice(project.dir.length + 1) : source)),
  };
}

/** What the app reads at launch (`global.launch`). */
export interface Launch {
  publicKey: string;
  baseUri: string;
  /** More createClient options. */
  options?: Record<string, unknown>;
  /** AsyncStorage's contents, as the last launch left them (`kill()` returns them). */
  disk: Record<string, string>;
}

/** A request the app made and, once it came, the server's answer to it. */
export interface Exchange {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
  status?: number;
  response?: any;
}

export interface RunningApp {
  /** Evaluates a JavaScript expression in the app (a promise is awaited); its value, through JSON. */
  eval<T = unknown>(expression: string): Promise<T>;
  /** Every request the app made (as soon as it made it) and what the server answered, in order. */
  exchanges: Exchange[];
  /** What the app's console printed, and errors Hermes reported as uncaught. */
  logs: string[];
  uncaught: string[];
  /** Saves AsyncStorage's contents, then kills the app without warning (no AppState change); resolves with them. */
  kill(): Promise<Record<string, string>>;
}

/** Starts the app in a new Hermes session; resolves once its client loaded its stored state. */
export async function launchApp(bundle: Bundle, launch: Launch): Promise<RunningApp> {
  const hermes = spawn(HERMES, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const type = (line: string) => hermes.stdin.write(`${line}\n`);
  const exited = once(hermes, 'exit');
  let transcript = '';
  let pending = '';
  let lastCall = 0;
  const calls = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  const exchanges: Exchange[] = [];
  const logs: string[] = [];
  const uncaught: string[] = [];
  /** Requests this side could not deliver: each fails the next call's answer. */
  const failures: Error[] = [];
  /** What Hermes printed, without the REPL's prompts and `undefined` answers to ticks. */
  const printed = () =>
    transcript
      .split('\n')
      .filter((line) => !/^(>> )*(undefined)?$/.test(line))
      .join('\n');

  /** The server's answer to one of the app's requests, typed back in. */
  async function answer(request: {
    id: number;
    url: string;
    method: string;
    headers: Record<string, string>;
    body: string | null;
  }) {
    const exchange: Exchange = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body && JSON.parse(request.body),
    };
    exchanges.push(exchange);
    try {
      const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
      const text = await res.text();
      const headers = Object.fromEntries(res.headers);
      Object.assign(exchange, { status: res.status, response: text && JSON.parse(text) });
      type(`host.respond(${request.id}, ${res.status}, ${JSON.stringify(headers)}, ${JSON.stringify(text)})`);
    } catch (err) {
      failures.push(new Error(`${request.method} ${request.url} from Hermes could not be sent: ${String(err)}`));
      type(`host.fail(${request.id})`);
    }
  }

  // Writes after Hermes exited (a tick, a late answer) have no one to go to.
  hermes.stdin.on('error', () => undefined);
  hermes.stderr.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
  hermes.stdout.on('data', (chunk: Buffer) => {
    transcript += chunk.toString();
    pending += chunk.toString();
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.includes('Uncaught ')) uncaught.push(line.slice(line.indexOf('Uncaught ')));
      const at = line.indexOf('@@host ');
      if (at < 0) continue;
      const message = JSON.parse(line.slice(at + '@@host '.length));
      if (message.type === 'log') logs.push(`${message.level}: ${message.text}`);
      if (message.type === 'request') void answer(message);
      if (message.type === 'result') {
        const call = calls.get(message.id);
        calls.delete(message.id);
        if ('error' in message) call?.reject(new Error(message.error));
        else call?.resolve(message.value);
      }
    }
  });

  let gone: string | undefined;
  void exited.then(([code, signal]) => {
    gone = `Hermes exited (${String(code ?? signal)}); it printed:\n${printed()}`;
    for (const call of calls.values()) call.reject(new Error(gone));
    calls.clear();
  });

  const evaluate = <T>(expression: string, timeoutMs = 15_000): Promise<T> => {
    const id = ++lastCall;
    return new Promise<T>((resolve, reject) => {
      if (gone) return reject(new Error(gone));
      const timer = setTimeout(() => {
        calls.delete(id);
        reject(new Error(`no answer to \`${expression}\` within ${timeoutMs} ms; Hermes printed:\n${printed()}`));
      }, timeoutMs);
      const settle =
        <A extends unknown[]>(fn: (...args: A) => void) =>
        (...args: A) => {
          clearTimeout(timer);
          const failure = failures.shift();
          if (failure) reject(failure);
          else fn(...args);
        };
      calls.set(id, { resolve: settle(resolve), reject: settle(reject) });
      type(`host.run(${id}, function () { return ${expression}; })`);
    });
  };

  type(`var launch = ${JSON.stringify(launch)}; (0, eval)(${JSON.stringify(bundle.code)}); void 0`);
  // The native run loop: timers fire when they are due.
  const loop = setInterval(() => type('host.tick()'), 20);
  void exited.then(() => clearInterval(loop));
  try {
    await evaluate('app.ready');
  } catch (err) {
    hermes.kill('SIGKILL');
    throw err;
  }

  return {
    eval: evaluate,
    exchanges,
    logs,
    uncaught,
    async kill() {
      try {
        return await evaluate<Record<string, string>>('app.disk()');
      } finally {
        clearInterval(loop);
        hermes.kill('SIGKILL');
        await exited;
      }
    },
  };
}
