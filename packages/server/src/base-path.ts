/** `TESSERA_BASE_PATH`: the path prefix every route is served under, behind a proxy's sub-path. */
import { invalidInput } from './errors.ts';

/**
 * Parses the setting: `''` (none, the default) or a path such as `/tessera`; throws one line
 * naming `setting` when it is not valid. `/` alone means none.
 * @example parseBasePath('/tessera') // '/tessera'
 */
export function parseBasePath(text: string | undefined, setting = 'TESSERA_BASE_PATH'): string {
  const value = text?.trim() ?? '';
  if (value === '' || value === '/') return '';
  const problem = !value.startsWith('/')
    ? 'must start with /'
    : value.endsWith('/')
      ? 'must not end with /'
      : value.split('/').some((segment, i) => i > 0 && (segment === '' || segment === '.' || segment === '..'))
        ? 'must not contain empty, . or .. segments'
        : !/^[A-Za-z0-9/._~-]+$/.test(value)
          ? 'may only contain letters, digits, /, ., _, ~ and -'
          : undefined;
  if (problem) throw invalidInput(`${setting} ${problem} (e.g. /tessera), got "${value}"`);
  return value;
}
