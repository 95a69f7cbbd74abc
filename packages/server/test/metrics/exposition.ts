/** A strict reader of Prometheus's text exposition format, for the metrics tests. */

export interface Exposition {
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  /** `# HELP` of each metric family. */
  help: Map<string, string>;
  /** The value of a sample: `sample('name', { label: 'value' })` (every label must match). */
  sample(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample's name and labels. */
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text; throws on any line that is neither a comment nor a sample. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Exposition['samples'] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : types).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return {
    types,
    help,
    samples,
    sample(name, want = {}) {
      const found = samples.find(
        (s) => s.name === name && Object.entries(want).every(([key, value]) => s.labels[key] === value),
      );
      return found?.value;
    },
  };
}
