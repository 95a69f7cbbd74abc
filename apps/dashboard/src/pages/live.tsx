/** Live events: new events of the environment as they arrive, filterable, with pause. */
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Kind, LiveEvent } from '../api/types.ts';
import { JsonView } from '../components/json-view.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { formatDateTime, identityOf } from '../format.ts';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useLiveEvents } from '../hooks/use-live-events.ts';
import { Link } from '../router.tsx';

export function LivePage({ api, env }: { api: Api; env: string }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'' | Kind>('');
  const [paused, setPaused] = useState(false);
  const nameFilter = useDebounced(name.trim(), 300);
  const live = useLiveEvents(
    (after) =>
      api.live(env, {
        ...(after ? { after } : {}),
        ...(nameFilter ? { name: nameFilter } : {}),
        ...(kind ? { kind } : {}),
      }),
    [env, nameFilter, kind],
    { paused },
  );

  return (
    <section>
      <div className="page-head">
        <h1>Live events</h1>
        <button
          type="button"
          onClick={() => setPaused((p) => !p)}
          aria-pressed={paused}
          className={paused ? 'primary' : undefined}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label className="grow">
          <span className="visually-hidden">Event name contains</span>
          <input
            type="search"
            placeholder="Filter by event name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-label="Event name contains"
          />
        </label>
        <label>
          <span className="visually-hidden">Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as '' | Kind)} aria-label="Kind">
            <option value="">Users and visitors</option>
            <option value="USER">Users</option>
            <option value="VISITOR">Visitors</option>
          </select>
        </label>
      </form>
      <p className="live-status" role="status">
        {paused ? (
          <>Paused. New events are not shown until you resume.</>
        ) : live.error ? (
          <span className="warn-text">Reconnecting… ({live.error.message})</span>
        ) : (
          <>
            <span className="pulse" aria-hidden="true" />
            <span>
              Listening for new events in <strong>{env}</strong>.
            </span>
          </>
        )}
      </p>
      {live.connecting && live.error ? (
        <ErrorState error={live.error} />
      ) : live.connecting ? (
        <Loading />
      ) : live.events.length === 0 ? (
        <Empty title={nameFilter || kind ? 'No matching events yet' : 'Waiting for events'}>
          Events sent to this environment appear here within a couple of seconds. Send one from an SDK, or{' '}
          <Link to={`/environments/${encodeURIComponent(env)}`}>copy a snippet</Link>.
        </Empty>
      ) : (
        <ol className="timeline live" aria-live="polite" aria-relevant="additions">
          {live.events.map((e) => (
            <LiveItem key={e.id} event={e} env={env} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LiveItem({ event, env }: { event: LiveEvent; env: string }) {
  const personId = event.mergedIntoId ?? event.accountId;
  return (
    <li>
      <details>
        <summary>
          <span className="event-name mono">{event.name}</span>
          <span className={`badge ${event.kind === 'USER' ? 'user' : 'visitor'}`}>
            {event.kind === 'USER' ? 'User' : 'Visitor'}
          </span>
          <span className="mono small ellipsis">{identityOf(event)}</span>
          <span className="muted small">{formatDateTime(event.timestamp)}</span>
          {!event.verified && <span className="badge warn">unverified</span>}
        </summary>
        <div className="event-detail">
          <p>
            <Link to={`/e/${encodeURIComponent(env)}/people/${personId}`}>Open this person</Link> · received{' '}
            {formatDateTime(event.receivedAt)}
          </p>
          <JsonView value={event.data} label="Event data" />
        </div>
      </details>
    </li>
  );
}
