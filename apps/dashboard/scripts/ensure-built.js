// Builds the dashboard into packages/server/dist/dashboard when it is missing or older than its
// sources; otherwise does nothing. The server's build runs it, so a fresh clone serves the
// dashboard with no extra step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, '..', '..', 'packages', 'server', 'dist', 'dashboard', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(root, p)).filter(existsSync);
const stale = !existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the dashboard (apps/dashboard)…');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const bin = existsSync(vite) ? vite : join(root, '..', '..', 'node_modules', '.bin', 'vite');
  const result = spawnSync(bin, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The dashboard build failed.');
    process.exitCode = 1;
  }
}
