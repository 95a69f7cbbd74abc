/** One person: traits, identities and merges (with undo), timeline, export and delete. */
import { useRef, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { AccountDetail, Merge, StoredEvent } from '../api/types.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { JsonView } from '../components/json-view.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { displayName, formatDateTime, identityOf } from '../format.ts';
import { useKeysetList, type KeysetList } from '../hooks/use-keyset-list.ts';
import { useOnVisible } from '../hooks/use-on-visible.ts';
import { useQuery } from '../hooks/use-query.ts';
import { Link, navigate } from '../router.tsx';

const STANDARD: Array<[keyof AccountDetail, string]> = [
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['name', 'Name'],
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
];

export function PersonPage({ api, env, id }: { api: Api; env: string; id: string }) {
  const person = useQuery(() => api.person(env, id), [env, id]);
  const timeline = useKeysetList((cursor) => api.timeline(env, id, cursor), [env, id]);

  if (person.error) {
    return (
      <section>
        <BackLink env={env} />
        <ErrorState error={person.error} onRetry={person.reload} />
      </section>
    );
  }
  if (!person.data) return <Loading />;
  const p = person.data;
  const refresh = () => {
    person.reload();
    timeline.reload();
  };

  return (
    <section>
      <BackLink env={env} />
      <div className="page-head">
        <div>
          <h1>{displayName(p)}</h1>
          <p className="muted">
            <span className={`badge ${p.kind === 'USER' ? 'user' : 'visitor'}`}>
              {p.kind === 'USER' ? 'User' : 'Visitor'}
            </span>{' '}
            <span className="mono">{identityOf(p)}</span> ·{' '}
            {p.verified ? 'verified' : <span className="warn-text">unverified data</span>} · first seen{' '}
            {formatDateTime(p.createdAt)}
          </p>
          {p.mergedIntoId && (
            <p className="notice">
              This visitor was merged into a user: its events show on{' '}
              <Link to={`/e/${encodeURIComponent(env)}/people/${p.mergedIntoId}`}>that user’s page</Link>.
            </p>
          )}
        </div>
        <PersonActions api={api} env={env} person={p} />
      </div>

      <div className="grid-2">
        <Traits person={p} />
        <Identities api={api} env={env} person={p} onChanged={refresh} />
      </div>

      <Timeline env={env} person={p} list={timeline} />
    </section>
  );
}

function BackLink({ env }: { env: string }) {
  return (
    <p className="back">
      <Link to={`/e/${encodeURIComponent(env)}/people`}>← People</Link>
    </p>
  );
}

function PersonActions({ api, env, person }: { api: Api; env: string; person: AccountDetail }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [exportError, setExportError] = useState<string | undefined>();
  const identity = identityOf(person);

  const exportJson = async () => {
    setExportError(undefined);
    try {
      const doc = await api.exportPerson(env, person.id);
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `tessera-${env}-${identity}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(err instanceof Error ? err.message : String(err));
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.deletePerson(env, person.id);
      navigate(`/e/${encodeURIComponent(env)}/people?deleted=${encodeURIComponent(identity)}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <div className="actions">
      <button type="button" onClick={() => void exportJson()}>
        Export JSON
      </button>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete…
      </button>
      {exportError && (
        <p className="form-error" role="alert">
          Export failed: {exportError}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this person?"
        confirmLabel="Delete for good"
        danger
        typeToConfirm={identity}
        busy={busy}
        error={error}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          This deletes <strong>{displayName(person)}</strong>
          {person.visitors.length > 0 &&
            `, the ${person.visitors.length} visitor${person.visitors.length === 1 ? '' : 's'} merged into them,`}{' '}
          and all their events, preferences and contacts. It cannot be undone. Export the JSON first if you need a copy.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function Traits({ person }: { person: AccountDetail }) {
  const unverified = new Set(person.unverifiedTraits);
  const custom = Object.entries(person.custom);
  const rows = STANDARD.filter(([key]) => person[key] !== null);
  return (
    <div className="card">
      <h2>Traits</h2>
      {rows.length === 0 && custom.length === 0 ? (
        <p className="muted">No traits yet. They are set by identify calls.</p>
      ) : (
        <dl className="traits">
          {rows.map(([key, label]) => (
            <TraitRow key={key} label={label} value={String(person[key])} unverified={unverified.has(key)} />
          ))}
          {custom.map(([key, value]) => (
            <TraitRow
              key={`custom.${key}`}
              label={key}
              value={typeof value === 'string' ? value : JSON.stringify(value)}
              unverified={unverified.has(key) || unverified.has(`custom.${key}`)}
              custom
            />
          ))}
        </dl>
      )}
      {unverified.size > 0 && (
        <p className="muted small">
          <span className="badge warn">unverified</span> marks values written without a verified identity (a uid with no
          identity token, in an environment where verification is optional).
        </p>
      )}
    </div>
  );
}

function TraitRow({
  label,
  value,
  unverified,
  custom,
}: {
  label: string;
  value: string;
  unverified: boolean;
  custom?: boolean;
}) {
  return (
    <>
      <dt>
        {label}
        {custom && <span className="muted small"> (custom)</span>}
      </dt>
      <dd>
        <span className="break">{value}</span> {unverified && <span className="badge warn">unverified</span>}
      </dd>
    </>
  );
}

function Identities({
  api,
  env,
  person,
  onChanged,
}: {
  api: Api;
  env: string;
  person: AccountDetail;
  onChanged: () => void;
}) {
  const [undoing, setUndoing] = useState<Merge | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const undo = async () => {
    if (!undoing) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.undoMerge(env, undoing.id);
      setUndoing(undefined);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const visitorLabel = (m: Merge) => m.visitorAnonymousUid ?? m.visitorId;
  return (
    <div className="card">
      <h2>Identities</h2>
      <dl className="traits">
        <dt>uid</dt>
        <dd className="mono">{person.uid ?? '—'}</dd>
        <dt>Anonymous uid</dt>
        <dd className="mono">{person.anonymousUid ?? '—'}</dd>
      </dl>
      <h3>Merged visitors</h3>
      {person.visitors.length === 0 ? (
        <p className="muted">None. A visitor is merged when it identifies as this user with a valid identity token.</p>
      ) : (
        <ul className="plain">
          {person.visitors.map((v) => (
            <li key={v.id}>
              <Link to={`/e/${encodeURIComponent(env)}/people/${v.id}`} className="mono">
                {v.anonymousUid}
              </Link>{' '}
              <span className="muted small">since {formatDateTime(v.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Merge log</h3>
      {person.merges.length === 0 ? (
        <p className="muted">No merges.</p>
      ) : (
        <ul className="merge-log">
          {person.merges.map((m) => (
            <li key={m.id} className={m.status === 'refused' ? 'warning' : undefined}>
              {m.status === 'refused' ? (
                <p role="note">
                  <strong>Refused:</strong> visitor <span className="mono">{visitorLabel(m)}</span> already belongs to
                  another user (a shared device that did not call <code>reset()</code> on logout), so it was not merged.
                </p>
              ) : (
                <p>
                  Visitor <span className="mono">{visitorLabel(m)}</span>{' '}
                  {m.status === 'merged' ? 'merged into' : 'was merged into'}{' '}
                  {m.userId === person.id ? 'this user' : <span className="mono">{m.userUid ?? m.userId}</span>}
                  {m.status === 'undone' && <> — undone {formatDateTime(m.undoneAt)}</>}
                </p>
              )}
              <p className="muted small">
                {formatDateTime(m.createdAt)}
                {Object.keys(m.copiedTraits).length > 0 && <> · copied: {Object.keys(m.copiedTraits).join(', ')}</>}
              </p>
              {m.status === 'merged' && (
                <button type="button" className="small" onClick={() => setUndoing(m)}>
                  Undo merge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={undoing !== undefined}
        title="Undo this merge?"
        confirmLabel="Undo merge"
        busy={busy}
        error={error}
        onConfirm={() => void undo()}
        onCancel={() => {
          setUndoing(undefined);
          setError(undefined);
        }}
      >
        <p>
          Visitor <span className="mono">{undoing && visitorLabel(undoing)}</span> becomes a separate visitor again with
          its own events. Traits copied from it that the user still has unchanged are removed from the user. The same
          visitor is not merged into this user again automatically.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function Timeline({ env, person, list }: { env: string; person: AccountDetail; list: KeysetList<StoredEvent> }) {
  const sentinel = useRef<HTMLDivElement>(null);
  useOnVisible(sentinel, list.loadMore, list.hasMore && !list.loading && !list.error);
  const visitors = new Map(person.visitors.map((v) => [v.id, v.anonymousUid]));
  return (
    <div className="card">
      <h2>Events</h2>
      {list.items.length === 0 && list.loading ? (
        <Loading />
      ) : list.items.length === 0 && list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <Empty title="No events yet">
          Events tracked for this person (or a visitor merged into them) appear here, newest first.
        </Empty>
      ) : (
        <ol className="timeline">
          {list.items.map((e) => (
            <EventItem
              key={e.id}
              event={e}
              asVisitor={e.accountId !== person.id ? (visitors.get(e.accountId) ?? e.accountId) : undefined}
              env={env}
            />
          ))}
        </ol>
      )}
      <div ref={sentinel} className="list-end">
        {list.items.length > 0 &&
          (list.error ? (
            <ErrorState error={list.error} onRetry={list.loadMore} />
          ) : list.hasMore ? (
            <button type="button" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? 'Loading…' : 'Load older events'}
            </button>
          ) : (
            <span className="muted small">That is the first event.</span>
          ))}
      </div>
    </div>
  );
}

function EventItem({ event, asVisitor }: { event: StoredEvent; asVisitor: string | null | undefined; env: string }) {
  return (
    <li>
      <details>
        <summary>
          <span className="event-name mono">{event.name}</span>
          <span className="muted small">{formatDateTime(event.timestamp)}</span>
          {asVisitor && <span className="badge visitor">as visitor {asVisitor.slice(0, 8)}</span>}
          {!event.verified && <span className="badge warn">unverified</span>}
        </summary>
        <div className="event-detail">
          <dl className="traits">
            <dt>Time</dt>
            <dd>
              {formatDateTime(event.timestamp)}
              {event.timestampClamped && <span className="badge warn">clamped: sent from the future</span>}
            </dd>
            <dt>Received</dt>
            <dd>{formatDateTime(event.receivedAt)}</dd>
            <dt>Verified</dt>
            <dd>{event.verified ? 'Yes' : 'No — written without a verified identity'}</dd>
            <dt>Message id</dt>
            <dd className="mono break">{event.messageId}</dd>
            {asVisitor && (
              <>
                <dt>Recorded as</dt>
                <dd className="mono break">visitor {asVisitor}</dd>
              </>
            )}
          </dl>
          <h4>Data</h4>
          <JsonView value={event.data} label="Event data" />
          <h4>System context</h4>
          {event.systemContext ? (
            <JsonView value={event.systemContext} label="System context" />
          ) : (
            <p className="muted">None sent.</p>
          )}
        </div>
      </details>
    </li>
  );
}
