/** Test helpers for the dashboard: build it when needed, and drive Debian's Chromium headless. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dashboardDir = fileURLToPath(new URL('../../../../apps/dashboard/', import.meta.url));
/** Screenshots land here (git-ignored); look at them after a run. */
export const screenshotDir = fileURLToPath(new URL('../../../../apps/dashboard/test-results/', import.meta.url));

/** Builds apps/dashboard/dist if it is missing or older than its sources (~3 s); empties test-results/. */
export function ensureDashboardBuilt(): void {
  const result = spawnSync(process.execPath, ['scripts/ensure-built.js'], { cwd: dashboardDir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the dashboard failed:\n${result.stdout}\n${result.stderr}`);
  // Only this run's screenshots: an old one must not pass for a current one.
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
}

/** Debian's Chromium, headless: one launcher for every browser test in the repository. */
export { launchChromium } from '../../../../tests/helpers/chromium.ts';
