/**
 * The live feed: the newest matching events, then every poll adds what arrived since (newest
 * first, at most `max` kept). Paused, it stops asking; on resume it catches up from its cursor.
 */
import { useEffect, useRef, useState } from 'react';

export interface LivePoll<E> {
  items: E[];
  cursor: string;
}

export interface LiveOptions {
  /** Stop polling (the list stays as it is). */
  paused: boolean;
  /** Milliseconds between polls. Default 1500. */
  intervalMs?: number;
  /** Events kept on screen. Default 500. */
  max?: number;
}

export interface LiveState<E> {
  events: E[];
  error: Error | undefined;
  /** True until the first answer. */
  connecting: boolean;
}

/**
 * @example const live = useLiveEvents((after) => api.live(env, { after, name }), [env, name], { paused });
 */
export function useLiveEvents<E extends { id: number }>(
  poll: (after: string | undefined) => Promise<LivePoll<E>>,
  deps: readonly unknown[],
  options: LiveOptions,
): LiveState<E> {
  const { paused, intervalMs = 1500, max = 500 } = options;
  const [events, setEvents] = useState<E[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [connecting, setConnecting] = useState(true);
  const cursor = useRef<string | undefined>(undefined);
  const pollRef = useRef(poll);
  pollRef.current = poll;

  // A new filter starts a new feed.
  useEffect(() => {
    cursor.current = undefined;
    setEvents([]);
    setConnecting(true);
    // Deps: the caller lists what the feed depends on
  }, deps);

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const answer = await pollRef.current(cursor.current);
        if (stopped) return;
        cursor.current = answer.cursor;
        setError(undefined);
        setConnecting(false);
        if (answer.items.length > 0) {
          setEvents((prev) => {
            const seen = new Set(prev.map((e) => e.id));
            const fresh = answer.items.filter((e) => !seen.has(e.id));
            return [...fresh, ...prev].slice(0, max);
          });
        }
      } catch (err) {
        if (stopped) return;
        setError(err instanceof Error ? err : new Error(String(err)));
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // Deps: restart polling when the feed or pause changes
  }, [...deps, paused, intervalMs, max]);

  return { events, error, connecting };
}
