/** Starts the demo app: `npm start` at the repository root runs it beside the Tessera server. */
import { createClient } from '@tessera/node';
import { createDemoApp } from './app.ts';
import { loadDemoConfig } from './config.ts';
import { UserStore } from './users.ts';

const config = loadDemoConfig();
// The backend client: keys and base URI come from TESSERA_* environment variables.
const tessera = createClient();
const app = createDemoApp(config, tessera, await UserStore.open(config.dataDir));
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
process.stdout.write(`Demo app listening on http://${config.host}:${port}\n`);

const stop = async () => {
  await app.close();
  await tessera.shutdown();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
