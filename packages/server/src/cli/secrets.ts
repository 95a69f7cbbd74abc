/**
 * Secrets the commands take without putting them on the command line (where `ps` and shell
 * history would show them): from a file, from stdin, or from an environment variable.
 * `--password VALUE` style flags still work but are the last resort.
 */
import { readFileSync } from 'node:fs';
import { invalidInput } from '../errors.ts';

export interface SecretSources {
  /** What the secret is, for messages: "the password". */
  what: string;
  /** The flag that takes the value itself, e.g. `--password`. */
  flag: string;
  value?: string | undefined;
  /** `--…-file FILE` */
  file?: string | undefined;
  /** `--…-stdin` */
  stdin?: boolean | undefined;
  /** The environment variable's name and value (from config.ts). */
  env: { name: string; value: string | undefined };
}

/**
 * The secret from exactly one of its sources; flags win over the environment variable.
 * @throws TesseraError INVALID_INPUT when it is given twice, or not at all.
 * @example await readSecret({ what: 'the password', flag: '--password', stdin: true, env })
 */
export async function readSecret(s: SecretSources): Promise<string> {
  const flags = [
    s.value !== undefined && s.flag,
    s.file !== undefined && `${s.flag}-file`,
    s.stdin === true && `${s.flag}-stdin`,
  ].filter((f): f is string => typeof f === 'string');
  if (flags.length > 1) throw invalidInput(`Give ${s.what} one way, not with ${flags.join(' and ')}`);
  if (s.value !== undefined) return s.value;
  if (s.file !== undefined) return fromFile(s.file, `${s.flag}-file`);
  if (s.stdin === true) return fromStdin(`${s.flag}-stdin`);
  if (s.env.value !== undefined) return s.env.value;
  throw invalidInput(`Give ${s.what} with ${s.flag}-file FILE, ${s.flag}-stdin or the ${s.env.name} variable`);
}

/** A secret's text is all of it but the final line ending (`echo` and editors add one). */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function fromFile(path: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw invalidInput(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const value = withoutFinalNewline(text);
  if (value === '') throw invalidInput(`${flag}: ${path} is empty`);
  return value;
}

async function fromStdin(flag: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = withoutFinalNewline(Buffer.concat(chunks).toString('utf8'));
  if (value === '') throw invalidInput(`${flag}: nothing was read from stdin`);
  return value;
}
