/** `tessera serve`: run the server until SIGTERM/SIGINT, then drain and stop. */
import { loadConfig, type ConfigOverrides } from '../config.ts';
import { createServer, type TesseraServer } from '../server.ts';
import { banner, firstStartMessage } from './output.ts';

export async function serve(overrides: ConfigOverrides): Promise<void> {
  const config = loadConfig(overrides);
  const server = await createServer({ config });
  // Listen for signals before anything is printed: whoever reads the banner may stop us at once.
  stopOnSignals(server);
  const url = await server.listen();
  process.stdout.write(`${banner(url, config)}\n`);
  if (server.firstStart) process.stdout.write(firstStartMessage(server.firstStart, url));
  const setup = (await server.services.operators.count()) === 0 ? ': open it to create the first operator account' : '';
  process.stdout.write(`Dashboard ${url}/${setup}\n`);
}

function stopOnSignals(server: TesseraServer): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
