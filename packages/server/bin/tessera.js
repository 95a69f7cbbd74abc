#!/usr/bin/env node
// The `tessera` command: the built CLI (dist/cli.js), in production mode unless NODE_ENV says
// otherwise. It is set here, before the CLI loads, because graphql-js reads it when it loads.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'error: this checkout of @tessera/server is not built: run `npm run build -w @tessera/server` (npm start does it)\n',
  );
  process.exit(1);
}
process.env.NODE_ENV ??= 'production';
await import(cli.href);
