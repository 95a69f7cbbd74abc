/** The one-time setup page (first operator) and the sign-in page. */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, type Api } from '../api/client.ts';
import type { SessionState } from '../api/types.ts';

interface AuthPageProps {
  api: Api;
  mode: 'setup' | 'sign-in';
  onSignedIn: (state: SessionState) => void;
}

export function AuthPage({ api, mode, onSignedIn }: AuthPageProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = { email: useId(), password: useId(), confirm: useId(), error: useId() };
  const setup = mode === 'setup';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (setup && password !== confirm) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    try {
      onSignedIn(setup ? await api.setup(email, password) : await api.signIn(email, password));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'CONFLICT' && setup
          ? 'Setup was already done by someone else. Reload the page and sign in.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form
        className="card auth-card"
        onSubmit={(e) => void submit(e)}
        aria-describedby={error ? ids.error : undefined}
      >
        <p className="brand">Tessera</p>
        <h1>{setup ? 'Create the operator account' : 'Sign in'}</h1>
        {setup && (
          <p className="muted">
            No operator exists yet. The account you create now can sign in to this dashboard; add more later with{' '}
            <code>npx tessera operators create</code>. This page is shown only once.
          </p>
        )}
        <label htmlFor={ids.email}>Email</label>
        <input
          id={ids.email}
          type="email"
          autoComplete={setup ? 'username' : 'email'}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
        <label htmlFor={ids.password}>Password</label>
        <input
          id={ids.password}
          type="password"
          autoComplete={setup ? 'new-password' : 'current-password'}
          required
          minLength={setup ? 10 : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {setup && (
          <>
            <p className="field-hint">At least 10 characters. A passphrase of a few words is best.</p>
            <label htmlFor={ids.confirm}>Repeat the password</label>
            <input
              id={ids.confirm}
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </>
        )}
        {error && (
          <p id={ids.error} className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? 'Please wait…' : setup ? 'Create account and sign in' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
