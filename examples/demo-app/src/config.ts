/** The demo's settings, read once from the environment. */

export interface DemoConfig {
  /** `DEMO_PORT`; default 3000. */
  port: number;
  /** `DEMO_HOST`; default 127.0.0.1. */
  host: string;
  /** Where the demo keeps its own users (`DEMO_DATA_DIR`; default ./.tessera/demo). */
  dataDir: string;
  /** Tessera's origin, for the browser SDK (`TESSERA_BASE_URI`). */
  tesseraUrl: string;
  /** The environment's public key, for the browser SDK (`TESSERA_PUBLIC_KEY`). */
  publicKey: string;
  /** `TESSERA_TARGET_ENVIRONMENT`, e.g. `demo`. */
  environment: string | undefined;
}

export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: start the demo with \`npm start\` at the repository root`);
    return value;
  };
  const port = Number(env.DEMO_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`DEMO_PORT must be a port number, got ${env.DEMO_PORT}`);
  return {
    port,
    host: env.DEMO_HOST ?? '127.0.0.1',
    dataDir: env.DEMO_DATA_DIR ?? './.tessera/demo',
    tesseraUrl: required('TESSERA_BASE_URI'),
    publicKey: required('TESSERA_PUBLIC_KEY'),
    environment: env.TESSERA_TARGET_ENVIRONMENT || undefined,
  };
}
