/** Calls `onVisible` when the element scrolls into view (infinite scroll); no-op without IntersectionObserver. */
import { useEffect, useRef, type RefObject } from 'react';

export function useOnVisible<T extends Element>(
  ref: RefObject<T | null>,
  onVisible: () => void,
  enabled: boolean,
): void {
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) callback.current();
      },
      { rootMargin: '200px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, enabled]);
}
