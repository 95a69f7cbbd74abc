/** A small history-API router: the server answers every dashboard path with index.html. */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { basePath } from './base-path.ts';

const listeners = new Set<() => void>();

/** Dashboard paths (`/e/production/people`) leave out the server's base path; addresses include it. */
const addressOf = (to: string) => (to.startsWith('/') ? `${basePath}${to}` : to);

/** The dashboard path of the current address, without the base path. */
export function currentPath(): string {
  const path = location.pathname;
  return basePath !== '' && path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path;
}

/** Goes to a path inside the dashboard without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', addressOf(to));
  else history.pushState(null, '', addressOf(to));
  for (const listener of listeners) listener();
}

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion((v) => v + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: currentPath(), search: new URLSearchParams(location.search) };
}

/** Matches `/e/:env/people/:id` against a path; the params, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return undefined;
  }
  return params;
}

/** A link that navigates in place (and still opens in a new tab with Ctrl/⌘-click). */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={addressOf(to)} onClick={handle} {...rest} />;
}
