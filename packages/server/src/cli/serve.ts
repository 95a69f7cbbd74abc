/**
 * `tessera serve`: run the server until SIGTERM/SIGINT, then drain and stop. It binds its port
 * before the first start creates anything, so a server that cannot listen leaves no keys that
 * nobody saw (and no lock or control file).
 */
import { loadConfig, type ConfigOverrides } from '../config.ts';
import { createServer, type TesseraServer } from '../server.ts';
import { bootstrap } from '../services/installation/bootstrap.ts';
import { banner, dashboardLine, firstStartMessage } from './output.ts';

export async function serve(overrides: ConfigOverrides): Promise<void> {
  const config = loadConfig(overrides);
  const server = await createServer({ config, bootstrap: false });
  // Listen for signals before anything is printed: whoever reads the banner may stop us at once.
  stopOnSignals(server);
  try {
    const url = await server.listen();
    const firstStart = await bootstrap(server.db, server.services.environments);
    const needsOperator = (await server.services.operators.count()) === 0;
    process.stdout.write(`${banner(url, config)}\n`);
    if (firstStart) process.stdout.write(firstStartMessage(firstStart, url));
    process.stdout.write(`${dashboardLine(url, needsOperator)}\n`);
  } catch (err) {
    await server.close();
    throw err;
  }
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
