/** Environments: the list (each with a guarded reveal of its keys), and a form to create one (with its first key pair). */
import { useId, useState, type FormEvent } from 'react';
import type { Api } from '../api/client.ts';
import type { KeyPair, Verification } from '../api/types.ts';
import { KeyReveal } from '../components/key-reveal.tsx';
import { RevealedKeys, RevealKeysButton } from '../components/reveal-keys.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { formatDateTime } from '../format.ts';
import { useQuery } from '../hooks/use-query.ts';
import { Link } from '../router.tsx';

export function EnvironmentsPage({ api, onChanged }: { api: Api; onChanged: () => void }) {
  const list = useQuery(() => api.environments(), []);
  const [created, setCreated] = useState<{ name: string; keyPair: KeyPair } | undefined>();
  const [revealed, setRevealed] = useState<{ environment: string; keyPairs: KeyPair[] } | undefined>();

  return (
    <section>
      <div className="page-head">
        <h1>Environments &amp; keys</h1>
      </div>
      {created && (
        <>
          <p className="notice" role="status">
            Created <strong>{created.name}</strong>.{' '}
            <Link to={`/environments/${encodeURIComponent(created.name)}`}>Open it</Link> for settings and code
            snippets.
          </p>
          <KeyReveal pair={created.keyPair} onDone={() => setCreated(undefined)} />
        </>
      )}
      {revealed && <RevealedKeys revealed={revealed} onDone={() => setRevealed(undefined)} />}
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.environments.length === 0 ? (
        <Empty title="No environments">Create one below to get a key pair.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">Identity verification</th>
                <th scope="col">Legacy tokens</th>
                <th scope="col">Active key pairs</th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.environments.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/environments/${encodeURIComponent(e.name)}`} className="row-link">
                      {e.name}
                    </Link>
                  </td>
                  <td>{e.identityVerification}</td>
                  <td>{e.allowLegacyTokens ? 'accepted' : 'refused'}</td>
                  <td>{e.keyPairs?.filter((k) => k.active).length ?? 0}</td>
                  <td className="hide-narrow">{formatDateTime(e.createdAt)}</td>
                  <td>
                    <RevealKeysButton
                      api={api}
                      environment={e.name}
                      onRevealed={(environment, keyPairs) => {
                        setCreated(undefined);
                        setRevealed({ environment, keyPairs });
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateEnvironment
        api={api}
        onCreated={(name, keyPair) => {
          setRevealed(undefined);
          setCreated({ name, keyPair });
          list.reload();
          onChanged();
        }}
      />
    </section>
  );
}

function CreateEnvironment({ api, onCreated }: { api: Api; onCreated: (name: string, pair: KeyPair) => void }) {
  const [name, setName] = useState('');
  const [verification, setVerification] = useState<Verification>('required');
  const [legacy, setLegacy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), verification: useId(), legacy: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const env = await api.createEnvironment({ name, identityVerification: verification, allowLegacyTokens: legacy });
      onCreated(env.name, env.keyPair);
      setName('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)}>
      <h2>Create an environment</h2>
      <label htmlFor={ids.name}>Name</label>
      <input
        id={ids.name}
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        pattern="[a-z0-9][a-z0-9_\-]{0,62}"
        placeholder="e.g. qa"
        aria-describedby={`${ids.name}-hint`}
      />
      <p id={`${ids.name}-hint`} className="field-hint">
        Lower-case letters, digits, “-” and “_”.
      </p>
      <label htmlFor={ids.verification}>Identity verification</label>
      <select
        id={ids.verification}
        value={verification}
        onChange={(e) => setVerification(e.target.value as Verification)}
      >
        <option value="required">required — a user needs a valid identity token (recommended)</option>
        <option value="optional">optional — a uid without a token is accepted and marked unverified</option>
      </select>
      <label className="check">
        <input id={ids.legacy} type="checkbox" checked={legacy} onChange={(e) => setLegacy(e.target.checked)} /> Accept
        the legacy tokens of @dashx/node 0.1 (they never expire)
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create environment'}
      </button>
    </form>
  );
}
