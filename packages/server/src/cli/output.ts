/** What the CLI prints for people: the start-up banner and the one-time list of new keys. */
import { redactUrl, type Config } from '../config.ts';
import type { FirstStart } from '../services/bootstrap.ts';

export function banner(url: string, config: Config): string {
  return `Tessera listening on ${url}  ·  GraphQL ${url}/graphql  ·  database ${redactUrl(config.databaseUrl)}`;
}

export function firstStartMessage(firstStart: FirstStart, url: string): string {
  const lines = [
    '',
    'First start: created environments and key pairs. Private keys are shown only now — keep them safe.',
    '',
  ];
  for (const { environment, keyPair } of firstStart.environments) {
    lines.push(
      `  ${environment.name.padEnd(11)} public key  ${keyPair.publicKey}`,
      `  ${''.padEnd(11)} private key ${keyPair.privateKey}`,
    );
  }
  lines.push(
    '',
    `  Point an SDK at ${url}/graphql (DashX SDKs: baseUri) with a public key (browsers, apps)`,
    '  or a public + private key pair (your backend). More keys: `npx tessera keys create --environment NAME`.',
    '',
  );
  return lines.join('\n');
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
