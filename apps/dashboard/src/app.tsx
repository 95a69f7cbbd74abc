/** The dashboard: session gate (setup, sign-in), then the signed-in shell and its pages. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi, type Api } from './api/client.ts';
import type { Environment, Operator, SessionState } from './api/types.ts';
import { ErrorState, Loading } from './components/states.tsx';
import { useQuery } from './hooks/use-query.ts';
import { AuthPage } from './pages/auth.tsx';
import { EnvironmentPage } from './pages/environment.tsx';
import { EnvironmentsPage } from './pages/environments.tsx';
import { LivePage } from './pages/live.tsx';
import { NotFound } from './pages/not-found.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { PeoplePage } from './pages/people.tsx';
import { PersonPage } from './pages/person.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';

const LAST_ENV = 'tessera.dashboard.environment';

export function App() {
  const [session, setSession] = useState<SessionState | Error | undefined>();
  const onUnauthorized = useRef(() => {});
  const api = useMemo(() => createApi({ onUnauthorized: () => onUnauthorized.current() }), []);
  onUnauthorized.current = () => setSession({ operator: null, setupRequired: false });

  const load = useCallback(() => {
    setSession(undefined);
    api.session().then(setSession, (err: unknown) => setSession(err instanceof Error ? err : new Error(String(err))));
  }, [api]);
  useEffect(load, [load]);

  if (session === undefined) return <Loading label="Connecting to Tessera…" />;
  if (session instanceof Error) {
    return (
      <main className="auth">
        <ErrorState error={session} onRetry={load} />
      </main>
    );
  }
  if (!session.operator) {
    return <AuthPage api={api} mode={session.setupRequired ? 'setup' : 'sign-in'} onSignedIn={setSession} />;
  }
  return (
    <Shell
      api={api}
      operator={session.operator}
      onSignOut={async () => {
        await api.signOut().catch(() => {});
        setSession({ operator: null, setupRequired: false });
      }}
    />
  );
}

function Shell({ api, operator, onSignOut }: { api: Api; operator: Operator; onSignOut: () => Promise<void> }) {
  const { path } = useLocation();
  const environments = useQuery(() => api.environments(), []);
  const list = environments.data?.environments ?? [];
  const envParam = matchPrefix(path);
  const current = envParam?.env ?? localStorage.getItem(LAST_ENV) ?? list[0]?.name;

  useEffect(() => {
    if (envParam?.env) localStorage.setItem(LAST_ENV, envParam.env);
  }, [envParam?.env]);

  // `/` opens the overview of the environment used last.
  useEffect(() => {
    if (path === '/' && list.length > 0) {
      const known = list.find((e) => e.name === current)?.name ?? list[0]!.name;
      navigate(`/e/${encodeURIComponent(known)}/overview`, { replace: true });
    }
  }, [path, list, current]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Tessera
        </Link>
        <EnvironmentPicker environments={list} current={current} path={path} />
        <nav aria-label="Main" className="nav">
          {current && (
            <>
              <NavLink to={`/e/${encodeURIComponent(current)}/overview`} path={path}>
                Overview
              </NavLink>
              <NavLink to={`/e/${encodeURIComponent(current)}/people`} path={path}>
                People
              </NavLink>
              <NavLink to={`/e/${encodeURIComponent(current)}/live`} path={path}>
                Live events
              </NavLink>
            </>
          )}
          <NavLink to="/environments" path={path}>
            Environments &amp; keys
          </NavLink>
        </nav>
        <div className="who">
          <span className="muted" title="Signed in as">
            {operator.email}
          </span>
          <button type="button" className="small" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {environments.error ? (
          <ErrorState error={environments.error} onRetry={environments.reload} />
        ) : (
          <Routes api={api} path={path} onEnvironmentsChanged={environments.reload} />
        )}
      </main>
    </div>
  );
}

function matchPrefix(path: string): { env: string } | undefined {
  const m = /^\/(?:e|environments)\/([^/]+)/.exec(path);
  return m?.[1] ? { env: decodeURIComponent(m[1]) } : undefined;
}

function Routes({ api, path, onEnvironmentsChanged }: { api: Api; path: string; onEnvironmentsChanged: () => void }) {
  let p: Record<string, string> | undefined;
  if ((p = match('/e/:env/overview', path))) return <OverviewPage api={api} env={p.env!} />;
  if ((p = match('/e/:env/people', path))) return <PeoplePage api={api} env={p.env!} />;
  if ((p = match('/e/:env/people/:id', path))) return <PersonPage api={api} env={p.env!} id={p.id!} />;
  if ((p = match('/e/:env/live', path))) return <LivePage api={api} env={p.env!} />;
  if (match('/environments', path)) return <EnvironmentsPage api={api} onChanged={onEnvironmentsChanged} />;
  if ((p = match('/environments/:env', path))) {
    return <EnvironmentPage api={api} env={p.env!} onChanged={onEnvironmentsChanged} />;
  }
  if (path === '/') return <Loading />;
  return <NotFound />;
}

function NavLink({ to, path, children }: { to: string; path: string; children: React.ReactNode }) {
  const active = path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function EnvironmentPicker({
  environments,
  current,
  path,
}: {
  environments: Environment[];
  current?: string;
  path: string;
}) {
  if (environments.length === 0) return null;
  const section = /^\/e\/[^/]+\/(overview|people|live)/.exec(path)?.[1] ?? 'overview';
  return (
    <label className="env-picker">
      <span className="visually-hidden">Environment</span>
      <select
        value={current}
        onChange={(e) => navigate(`/e/${encodeURIComponent(e.target.value)}/${section}`)}
        aria-label="Environment"
      >
        {environments.map((e) => (
          <option key={e.id} value={e.name}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
