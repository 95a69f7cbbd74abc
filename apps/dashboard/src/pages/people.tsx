/** People: every account of the environment, searchable and filterable, newest first. */
import { useRef, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Kind, PeopleFilter } from '../api/types.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { displayName, formatAgo, formatDateTime, formatEventCount, identityOf } from '../format.ts';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useKeysetList } from '../hooks/use-keyset-list.ts';
import { useOnVisible } from '../hooks/use-on-visible.ts';
import { Link, currentPath, navigate, useLocation } from '../router.tsx';

type Tri = '' | 'true' | 'false';

export function PeoplePage({ api, env }: { api: Api; env: string }) {
  const { search } = useLocation();
  const [q, setQ] = useState(search.get('q') ?? '');
  const kind = (search.get('kind') ?? '') as '' | Kind;
  const verified = (search.get('verified') ?? '') as Tri;
  const hasMerges = (search.get('hasMerges') ?? '') as Tri;
  const query = useDebounced(q.trim(), 250);
  const deleted = search.get('deleted');

  const filter: PeopleFilter = {
    ...(query ? { q: query } : {}),
    ...(kind ? { kind } : {}),
    ...(verified ? { verified: verified === 'true' } : {}),
    ...(hasMerges ? { hasMerges: hasMerges === 'true' } : {}),
  };
  const people = useKeysetList(
    (cursor) => api.people(env, { ...filter, ...(cursor ? { cursor } : {}), limit: 50 }),
    [env, query, kind, verified, hasMerges],
  );
  const sentinel = useRef<HTMLDivElement>(null);
  useOnVisible(sentinel, people.loadMore, people.hasMore && !people.loading && !people.error);

  // Filters live in the address, so Back and a shared link keep them.
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(location.search);
    next.delete('deleted');
    if (value) next.set(name, value);
    else next.delete(name);
    if (q.trim()) next.set('q', q.trim());
    const s = next.toString();
    navigate(`${currentPath()}${s ? `?${s}` : ''}`, { replace: true });
  };
  const filtered = Boolean(query || kind || verified || hasMerges);

  return (
    <section>
      <div className="page-head">
        <h1>People</h1>
      </div>
      {deleted && (
        <p className="notice" role="status">
          Deleted <span className="mono">{deleted}</span> with their merged visitors and all their events.
        </p>
      )}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="grow">
          <span className="visually-hidden">Search people</span>
          <input
            type="search"
            placeholder="Search by uid, email or name"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-label="Search by uid, email or name"
          />
        </label>
        <Select
          label="Kind"
          value={kind}
          onChange={(v) => setParam('kind', v)}
          options={[
            ['', 'All kinds'],
            ['USER', 'Users'],
            ['VISITOR', 'Visitors'],
          ]}
        />
        <Select
          label="Verified"
          value={verified}
          onChange={(v) => setParam('verified', v)}
          options={[
            ['', 'Verified or not'],
            ['true', 'Verified'],
            ['false', 'Unverified'],
          ]}
        />
        <Select
          label="Merges"
          value={hasMerges}
          onChange={(v) => setParam('hasMerges', v)}
          options={[
            ['', 'With or without merges'],
            ['true', 'Has merged visitors'],
            ['false', 'No merged visitors'],
          ]}
        />
      </form>

      {people.error && people.items.length === 0 ? (
        <ErrorState error={people.error} onRetry={people.reload} />
      ) : people.items.length === 0 && people.loading ? (
        <Loading />
      ) : people.items.length === 0 ? (
        filtered ? (
          <Empty title="Nobody matches">
            Search finds exact uids, anonymous uids and emails, and names or emails by the start of their words (
            <span className="mono">ada love</span> finds Ada Lovelace). Clear the filters to see everyone.
          </Empty>
        ) : (
          <Empty title="No people yet">
            People appear when an SDK identifies them or sends their first event.{' '}
            <Link to={`/environments/${encodeURIComponent(env)}`}>Get this environment’s keys and a snippet</Link>.
          </Empty>
        )
      ) : (
        <div className="table-wrap">
          <table className="table people">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Kind</th>
                <th scope="col">Identity</th>
                <th scope="col">Verified</th>
                <th scope="col" className="hide-narrow">
                  First seen
                </th>
                <th scope="col">Last seen</th>
                <th scope="col" className="num">
                  Events
                </th>
              </tr>
            </thead>
            <tbody>
              {people.items.map((a) => (
                <tr key={a.id}>
                  <td className="person-cell">
                    <Link to={`/e/${encodeURIComponent(env)}/people/${a.id}`} className="row-link">
                      {displayName(a)}
                    </Link>
                    {a.email && a.email !== displayName(a) && <div className="muted small">{a.email}</div>}
                  </td>
                  <td data-label="Kind">
                    <span className={`badge ${a.kind === 'USER' ? 'user' : 'visitor'}`}>
                      {a.kind === 'USER' ? 'User' : 'Visitor'}
                    </span>
                    {a.mergedIntoId && <div className="muted small">merged into a user</div>}
                    {(a.mergedVisitors ?? 0) > 0 && (
                      <div className="muted small">
                        +{a.mergedVisitors} visitor{a.mergedVisitors === 1 ? '' : 's'}
                      </div>
                    )}
                  </td>
                  <td className="mono ellipsis" data-label="Identity" title={identityOf(a)}>
                    {identityOf(a)}
                  </td>
                  <td data-label="Verified">{a.verified ? 'Yes' : <span className="warn-text">No</span>}</td>
                  <td
                    className="hide-narrow"
                    data-label="First seen"
                    title={formatDateTime(a.firstEventAt ?? a.createdAt)}
                  >
                    {formatDateTime(earliest(a.createdAt, a.firstEventAt))}
                  </td>
                  <td data-label="Last seen" title={formatDateTime(latest(a.lastSeenAt, a.lastEventAt))}>
                    {formatAgo(latest(a.lastSeenAt, a.lastEventAt))}
                  </td>
                  <td className="num" data-label="Events">
                    {formatEventCount(a.eventCount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div ref={sentinel} className="list-end">
            {people.error ? (
              <ErrorState error={people.error} onRetry={people.loadMore} />
            ) : people.hasMore ? (
              <button type="button" onClick={people.loadMore} disabled={people.loading}>
                {people.loading ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <span className="muted small">
                {people.items.length} shown — that is everyone{filtered ? ' matching' : ''}.
              </span>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function earliest(a: string, b: string | null | undefined): string {
  return b && b < a ? b : a;
}
function latest(a: string, b: string | null | undefined): string {
  return b && b > a ? b : a;
}

function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: Array<[string, string]>;
}) {
  return (
    <label>
      <span className="visually-hidden">{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={props.label}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
