/**
 * A list read page by page with keyset cursors (`nextCursor`), for tables and infinite scroll.
 * Changing `deps` starts again from the first page; one page request is in flight at a time.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface PageLike<T> {
  items: T[];
  nextCursor: string | null;
}

export interface KeysetList<T> {
  items: T[];
  error: Error | undefined;
  /** True while any page is loading. */
  loading: boolean;
  /** False once the last page arrived. */
  hasMore: boolean;
  /** Loads the next page (ignored while one is loading or when there is none). */
  loadMore: () => void;
  /** Starts again from the first page. */
  reload: () => void;
}

/**
 * @example const people = useKeysetList((cursor) => api.people(env, { q, cursor }), [env, q]);
 */
export function useKeysetList<T>(
  loadPage: (cursor: string | undefined) => Promise<PageLike<T>>,
  deps: readonly unknown[],
): KeysetList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [loading, setLoading] = useState(false);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  // The generation a request belongs to: answers for an older one (filters changed) are dropped.
  const genRef = useRef(0);
  const inFlight = useRef(false);

  const fetchPage = useCallback((from: string | undefined, gen: number) => {
    inFlight.current = true;
    setLoading(true);
    setError(undefined);
    loadRef.current(from).then(
      (page) => {
        if (gen !== genRef.current) return;
        inFlight.current = false;
        setItems((prev) => (from === undefined ? page.items : [...prev, ...page.items]));
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (gen !== genRef.current) return;
        inFlight.current = false;
        setError(err instanceof Error ? err : new Error(String(err)));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    const gen = ++genRef.current;
    setItems([]);
    setCursor(undefined);
    fetchPage(undefined, gen);
    // Deps: the caller lists what the pages depend on
  }, [...deps, generation, fetchPage]);

  const loadMore = useCallback(() => {
    if (inFlight.current || cursor === null || cursor === undefined) return;
    fetchPage(cursor, genRef.current);
  }, [cursor, fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { items, error, loading, hasMore: cursor !== null, loadMore, reload };
}
