/** What the CLI prints for people: the start-up banner, key pairs, tables. */
import { redactUrl, type Config } from '../config.ts';
import type { FirstStart } from '../services/installation/bootstrap.ts';

export function banner(url: string, config: Config): string {
  return `Tessera listening on ${url}  ·  GraphQL ${url}/graphql  ·  database ${redactUrl(config.databaseUrl)}`;
}

/** Two aligned lines: `  production  public key  pk_…` and its private key below. */
export function keyPairLines(environment: string, pair: { publicKey: string; privateKey?: string | undefined }) {
  return [
    `  ${environment.padEnd(11)} public key  ${pair.publicKey}`,
    `  ${''.padEnd(11)} private key ${pair.privateKey ?? '(not shown)'}`,
  ];
}

export function firstStartMessage(firstStart: FirstStart, url: string): string {
  const lines = [
    '',
    'First start: created environments and key pairs. Keep the private keys on your backend, never in',
    'a browser or app; `npx tessera keys reveal --environment NAME` shows them again.',
    '',
  ];
  for (const { environment, keyPair } of firstStart.environments)
    lines.push(...keyPairLines(environment.name, keyPair));
  lines.push(
    '',
    `  Point an SDK at ${url}/graphql (DashX SDKs: baseUri) with a public key (browsers, apps)`,
    '  or a public + private key pair (your backend). More keys: `npx tessera keys create --environment NAME`.',
    '',
  );
  return lines.join('\n');
}

/** The last line of the banner: where the dashboard is, and how to get in the first time. */
export function dashboardLine(url: string, needsOperator: boolean): string {
  return needsOperator
    ? `Dashboard ${url}/: open it to create the first operator account, or run\n` +
        '  npx tessera operators create --email you@example.com --password-stdin'
    : `Dashboard ${url}/`;
}

/** Prints rows as aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
