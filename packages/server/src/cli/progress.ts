/**
 * Progress of a long copy on stderr: on a terminal, one bar redrawn in place (percent, rows,
 * rows/s, time left, the table being copied); otherwise, for logs, a line per table and at most
 * one line every few seconds in between.
 */
export interface ProgressUpdate {
  table: string;
  /** Rows done, in all; `total` when known beforehand. */
  rows: number;
  total?: number | undefined;
  /** Rows done by this run (a resumed move started with some done): the rate counts these. */
  written: number;
}

export interface Progress {
  update(progress: ProgressUpdate): void;
  end(): void;
}

const LINE_EVERY_MS = 2_000;
const BAR_WIDTH = 24;

export function progressReporter(out: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  let current = '';
  let lastLine = 0;
  let last: ProgressUpdate | undefined;
  const render = (p: ProgressUpdate): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = p.written / seconds;
    const parts = [p.total ? `${p.rows}/${p.total} rows` : `${p.rows} rows`, `${Math.round(rate)} rows/s`];
    if (p.total && rate > 0 && seconds >= 1) parts.push(`ETA ${formatSeconds((p.total - p.rows) / rate)}`);
    parts.push(p.table);
    const percent = p.total ? Math.min(100, Math.floor((100 * p.rows) / p.total)) : undefined;
    return percent === undefined ? parts.join(' · ') : `${String(percent).padStart(3)}% ${parts.join(' · ')}`;
  };
  return {
    update(p) {
      last = p;
      if (out.isTTY) {
        const filled = p.total ? Math.round((BAR_WIDTH * Math.min(p.rows, p.total)) / p.total) : 0;
        const bar = p.total ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ` : '';
        out.write(`\r\x1b[K${bar}${render(p)}`);
        return;
      }
      const t = now();
      if (p.table !== current || t - lastLine >= LINE_EVERY_MS) {
        current = p.table;
        lastLine = t;
        out.write(`${render(p)}\n`);
      }
    },
    end() {
      if (!last) return;
      out.write(out.isTTY ? '\n' : `${render(last)}\n`);
    },
  };
}

/** `42 s`, `3 min 5 s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Turns per-table running counts (a backup's or restore's `onRows`) into running totals.
 * @example restoreBackup(db, input, { source, onRows: tableRows(report.update) });
 */
export function tableRows(update: (progress: ProgressUpdate) => void): (table: string, rowsSoFar: number) => void {
  let rows = 0;
  const counted = new Map<string, number>();
  return (table, rowsSoFar) => {
    rows += rowsSoFar - (counted.get(table) ?? 0);
    counted.set(table, rowsSoFar);
    update({ table, rows, written: rows });
  };
}
