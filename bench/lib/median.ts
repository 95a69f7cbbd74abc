/**
 * The item whose `key` is the median (the lower middle one for an even count).
 * @throws Error for no items.
 * @example medianBy([{ r: 3 }, { r: 1 }, { r: 2 }], (x) => x.r) // { r: 2 }
 */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('no items to take the median of');
  return median;
}
