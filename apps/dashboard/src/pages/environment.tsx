/**
 * One environment: verification settings, browser ingest (allowed origins, rate limit), key pairs
 * (create, revoke, rotation) and SDK snippets.
 */
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Environment, KeyPair, Verification } from '../api/types.ts';
import { basePath } from '../base-path.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { CopyButton } from '../components/copy-button.tsx';
import { KeyReveal } from '../components/key-reveal.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { formatDateTime } from '../format.ts';
import { useQuery } from '../hooks/use-query.ts';
import { Link } from '../router.tsx';
import { snippets } from '../snippets.ts';
import { IngestSettings } from './environment-ingest.tsx';

export function EnvironmentPage({ api, env, onChanged }: { api: Api; env: string; onChanged: () => void }) {
  const environment = useQuery(() => api.environment(env), [env]);
  if (environment.error) {
    return (
      <section>
        <p className="back">
          <Link to="/environments">← Environments</Link>
        </p>
        <ErrorState error={environment.error} onRetry={environment.reload} />
      </section>
    );
  }
  if (!environment.data) return <Loading />;
  const e = environment.data;
  return (
    <section>
      <p className="back">
        <Link to="/environments">← Environments</Link>
      </p>
      <div className="page-head">
        <h1>{e.name}</h1>
        <Link to={`/e/${encodeURIComponent(e.name)}/overview`}>Overview of {e.name} →</Link>
      </div>
      <Settings
        api={api}
        environment={e}
        onSaved={() => {
          environment.reload();
          onChanged();
        }}
      />
      <KeyPairs api={api} environment={e} onChanged={environment.reload} />
      <Snippets environment={e} />
    </section>
  );
}

function Settings({ api, environment, onSaved }: { api: Api; environment: Environment; onSaved: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const save = async (changes: { identityVerification?: Verification; allowLegacyTokens?: boolean }) => {
    setSaving(true);
    setError(undefined);
    try {
      await api.updateEnvironment(environment.name, changes);
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="card">
      <h2>Settings</h2>
      <fieldset disabled={saving}>
        <legend>Identity verification</legend>
        <label className="check">
          <input
            type="radio"
            name="verification"
            checked={environment.identityVerification === 'required'}
            onChange={() => void save({ identityVerification: 'required' })}
          />{' '}
          <strong>Required</strong> — a public key alone never writes to a user: the frontend must send a valid identity
          token (recommended).
        </label>
        <label className="check">
          <input
            type="radio"
            name="verification"
            checked={environment.identityVerification === 'optional'}
            onChange={() => void save({ identityVerification: 'optional' })}
          />{' '}
          <strong>Optional</strong> — a uid without a token is accepted; what it writes is marked unverified and never
          merges visitor history.
        </label>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={environment.allowLegacyTokens}
          disabled={saving}
          onChange={(e) => void save({ allowLegacyTokens: e.target.checked })}
        />{' '}
        Accept the legacy AES tokens of <code>@dashx/node</code> 0.1 (they never expire: turn on only while migrating)
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <IngestSettings key={environment.name} api={api} environment={environment} onSaved={onSaved} />
    </div>
  );
}

function rotationStatus(pairs: KeyPair[]): string {
  const active = pairs.filter((p) => p.active);
  if (active.length === 0) return 'No active key pair: every SDK call is refused. Create a key pair.';
  if (active.length === 1)
    return 'One active key pair. To rotate: create a second pair, move your apps to it, then revoke the old one.';
  return 'Rotating: two key pairs are active. Once every app uses the newer pair, revoke the older one.';
}

function KeyPairs({ api, environment, onChanged }: { api: Api; environment: Environment; onChanged: () => void }) {
  const pairs = environment.keyPairs ?? [];
  const activeCount = pairs.filter((p) => p.active).length;
  const [created, setCreated] = useState<KeyPair | undefined>();
  const [revoking, setRevoking] = useState<KeyPair | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await api.createKeyPair(environment.name));
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.revokeKeyPair(revoking.publicKey);
      setRevoking(undefined);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card">
      <div className="card-head">
        <h2>Key pairs</h2>
        <button type="button" className="primary" onClick={() => void create()} disabled={busy || activeCount >= 2}>
          Create key pair
        </button>
      </div>
      <p className="muted" role="status">
        {rotationStatus(pairs)}
        {activeCount >= 2 && ' (At most two pairs may be active at once.)'}
      </p>
      {error && !revoking && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {created && <KeyReveal pair={created} onDone={() => setCreated(undefined)} />}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Public key</th>
              <th scope="col">Status</th>
              <th scope="col" className="hide-narrow">
                Created
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={p.publicKey} data-public-key={p.publicKey}>
                <td>
                  <code className="break">{p.publicKey}</code> <CopyButton text={p.publicKey} />
                </td>
                <td>
                  {p.revokedAt ? (
                    <span className="badge muted-badge">revoked {formatDateTime(p.revokedAt)}</span>
                  ) : !p.active ? (
                    <span className="badge muted-badge">expired {formatDateTime(p.expiresAt)}</span>
                  ) : (
                    <span className="badge ok">active{p.expiresAt ? ` until ${formatDateTime(p.expiresAt)}` : ''}</span>
                  )}
                </td>
                <td className="hide-narrow">{formatDateTime(p.createdAt)}</td>
                <td>
                  {p.active && (
                    <button
                      type="button"
                      className="small danger"
                      onClick={() => setRevoking(p)}
                      aria-label={`Revoke ${p.publicKey}`}
                    >
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== undefined}
        title="Revoke this key pair?"
        confirmLabel="Revoke now"
        danger
        busy={busy}
        error={error}
        onConfirm={() => void revoke()}
        onCancel={() => {
          setRevoking(undefined);
          setError(undefined);
        }}
      >
        <p>
          Every call with <code className="break">{revoking?.publicKey}</code> is refused from now on, and identity
          tokens signed with its private key stop working.
          {activeCount <= 1 && (
            <strong> It is the only active pair: all SDK calls to this environment will fail.</strong>
          )}
        </p>
      </ConfirmDialog>
    </div>
  );
}

function Snippets({ environment }: { environment: Environment }) {
  const active = (environment.keyPairs ?? []).filter((p) => p.active);
  const publicKey = active[active.length - 1]?.publicKey;
  const list = publicKey
    ? snippets({ origin: `${location.origin}${basePath}`, environment: environment.name, publicKey })
    : [];
  const [selected, setSelected] = useState(0);
  const current = list[selected] ?? list[0];
  return (
    <div className="card">
      <h2>Connect an app</h2>
      {!current ? (
        <p className="muted">Create a key pair first: the snippets use its public key.</p>
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label="SDK">
            {list.map((s, i) => (
              <button
                key={s.id}
                type="button"
                role="tab"
                id={`tab-${s.id}`}
                aria-selected={i === selected}
                aria-controls={`panel-${s.id}`}
                tabIndex={i === selected ? 0 : -1}
                onClick={() => setSelected(i)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                    const next = (i + (e.key === 'ArrowRight' ? 1 : list.length - 1)) % list.length;
                    setSelected(next);
                    document.getElementById(`tab-${list[next]!.id}`)?.focus();
                  }
                }}
              >
                {s.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
            <div className="snippet-line">
              <code>{current.install}</code> <CopyButton text={current.install} />
            </div>
            <div className="snippet">
              <pre tabIndex={0} aria-label={`${current.label} setup code`}>
                {current.code}
              </pre>
              <CopyButton text={current.code} label="Copy code" />
            </div>
            <p className="muted small">
              Uses the public key <code>{publicKey}</code>. Backend code reads the private key from an environment
              variable; Environments → <em>Reveal private key…</em> shows it again.
            </p>
          </div>
        </>
      )}
    </div>
  );
}
