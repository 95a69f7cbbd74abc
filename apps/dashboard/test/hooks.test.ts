// @vitest-environment happy-dom
// The data hooks: useQuery, useKeysetList (pages and filters) and useLiveEvents (polling, pause).
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../src/api/client.ts';
import { useKeysetList } from '../src/hooks/use-keyset-list.ts';
import { useLiveEvents } from '../src/hooks/use-live-events.ts';
import { useQuery } from '../src/hooks/use-query.ts';
import { deferred, fakeFetch } from './fake-fetch.ts';

afterEach(() => cleanup());

const person = (id: string) => ({ id, kind: 'USER', uid: id });

describe('useQuery', () => {
  it('loads, shows errors, and reloads', async () => {
    let fail = true;
    const fake = fakeFetch(() =>
      fail
        ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'down' } } }
        : { body: { environments: [{ name: 'production' }] } },
    );
    const api = createApi({ fetch: fake.fetch });
    const { result } = renderHook(() => useQuery(() => api.environments(), []));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.error?.message).toBe('down'));
    fail = false;
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.data?.environments[0]?.name).toBe('production'));
    expect(result.current.error).toBeUndefined();
  });

  it('drops an answer for inputs that changed meanwhile', async () => {
    const slow = deferred<string>();
    const { result, rerender } = renderHook(
      ({ id }) => useQuery(() => (id === 'a' ? slow.promise : Promise.resolve('b')), [id]),
      {
        initialProps: { id: 'a' },
      },
    );
    rerender({ id: 'b' });
    await waitFor(() => expect(result.current.data).toBe('b'));
    await act(async () => slow.resolve('a'));
    expect(result.current.data).toBe('b');
  });
});

describe('useKeysetList', () => {
  const pages = fakeFetch((c) => {
    const url = new URL(c.url, 'http://x');
    const q = url.searchParams.get('q') ?? '';
    if (q === 'broken') return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error' } } };
    if (url.searchParams.get('cursor') === 'p2') return { body: { items: [person(`${q}3`)], nextCursor: null } };
    return { body: { items: [person(`${q}1`), person(`${q}2`)], nextCursor: 'p2' } };
  });
  const api = createApi({ fetch: pages.fetch });

  it('loads the first page, appends the next with its cursor, and knows the end', async () => {
    const { result } = renderHook(() =>
      useKeysetList((cursor) => api.people('production', cursor ? { cursor } : {}), ['production']),
    );
    await waitFor(() => expect(result.current.items.map((p) => p.id)).toEqual(['1', '2']));
    expect(result.current.hasMore).toBe(true);
    act(() => result.current.loadMore());
    act(() => result.current.loadMore()); // ignored: a page is already loading
    await waitFor(() => expect(result.current.items.map((p) => p.id)).toEqual(['1', '2', '3']));
    expect(result.current.hasMore).toBe(false);
    expect(pages.calls.filter((c) => c.url.includes('cursor=p2'))).toHaveLength(1);
  });

  it('starts again when the filter changes, ignoring the old filter’s late page', async () => {
    const gate = deferred<void>();
    const load = async (q: string, cursor?: string) => {
      if (q === 'old') await gate.promise;
      return api.people('production', { q, ...(cursor ? { cursor } : {}) });
    };
    const { result, rerender } = renderHook(({ q }) => useKeysetList((cursor) => load(q, cursor), [q]), {
      initialProps: { q: 'old' },
    });
    rerender({ q: 'new' });
    await waitFor(() => expect(result.current.items.map((p) => p.id)).toEqual(['new1', 'new2']));
    await act(async () => gate.resolve());
    expect(result.current.items.map((p) => p.id)).toEqual(['new1', 'new2']);
  });

  it('keeps the error for the page that failed', async () => {
    const { result } = renderHook(() => useKeysetList(() => api.people('production', { q: 'broken' }), []));
    await waitFor(() => expect(result.current.error?.message).toBe('Internal server error'));
    expect(result.current.loading).toBe(false);
    expect(result.current.items).toEqual([]);
  });
});

describe('useLiveEvents', () => {
  const event = (id: number, name = `Event ${id}`) => ({ id, name, kind: 'USER', accountId: 'a', data: {} });

  it('shows the newest events, then adds new ones on top using the cursor', async () => {
    const answers = [
      { items: [event(2), event(1)], cursor: '2' },
      { items: [], cursor: '2' },
      { items: [event(3)], cursor: '3' },
    ];
    const fake = fakeFetch(() => ({ body: answers.shift() ?? { items: [], cursor: '3' } }));
    const api = createApi({ fetch: fake.fetch });
    const { result } = renderHook(() =>
      useLiveEvents((after) => api.live('production', after ? { after } : {}), ['production'], {
        paused: false,
        intervalMs: 5,
      }),
    );
    await waitFor(() => expect(result.current.events.map((e) => e.id)).toEqual([3, 2, 1]));
    expect(result.current.connecting).toBe(false);
    expect(fake.calls[0]?.url).not.toContain('after=');
    expect(fake.calls[1]?.url).toContain('after=2');
    expect(fake.calls[2]?.url).toContain('after=2');
  });

  it('stops asking while paused and catches up from its cursor on resume', async () => {
    let next = 10;
    const fake = fakeFetch((c) => {
      const after = new URL(c.url, 'http://x').searchParams.get('after');
      const id = next++;
      return { body: { items: [event(id)], cursor: String(id), after } };
    });
    const api = createApi({ fetch: fake.fetch });
    const { result, rerender } = renderHook(
      ({ paused }) =>
        useLiveEvents((after) => api.live('production', after ? { after } : {}), ['production'], {
          paused,
          intervalMs: 5,
        }),
      { initialProps: { paused: false } },
    );
    await waitFor(() => expect(result.current.events.length).toBeGreaterThanOrEqual(2));
    rerender({ paused: true });
    const callsWhenPaused = fake.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.length).toBeLessThanOrEqual(callsWhenPaused + 1);
    const shown = result.current.events.length;
    const lastId = result.current.events[0]!.id;
    rerender({ paused: false });
    await waitFor(() => expect(result.current.events.length).toBeGreaterThan(shown));
    const resumed = fake.calls.find((c, i) => i >= callsWhenPaused && c.url.includes(`after=${lastId}`));
    expect(resumed).toBeDefined();
  });

  it('keeps polling after an error and reports it meanwhile', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const fake = fakeFetch(async () => {
      if (++calls === 1) return { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'db down' } } };
      await gate.promise;
      return { body: { items: [event(1)], cursor: '1' } };
    });
    const api = createApi({ fetch: fake.fetch });
    const { result } = renderHook(() =>
      useLiveEvents((after) => api.live('production', after ? { after } : {}), ['production'], {
        paused: false,
        intervalMs: 5,
      }),
    );
    await waitFor(() => expect(result.current.error?.message).toBe('db down'));
    expect(result.current.connecting).toBe(true);
    gate.resolve();
    await waitFor(() => expect(result.current.events.map((e) => e.id)).toEqual([1]));
    expect(result.current.error).toBeUndefined();
  });
});
