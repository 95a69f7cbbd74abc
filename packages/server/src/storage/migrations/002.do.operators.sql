-- Operators of the dashboard (email + scrypt password hash), their sessions and the login
-- throttle, plus the indexes the dashboard's people search, filters and statistics need.

CREATE TABLE operators (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- "scrypt$N$r$p$salt$hash" (base64url); the parameters travel with the hash so they can grow.
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);
CREATE UNIQUE INDEX operators_email ON operators (lower(email));

CREATE TABLE operator_sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  operator_id   uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  -- SHA-256 of the cookie's token (hex): a copy of the database cannot be replayed as a session.
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  user_agent    text,
  ip            text
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);

-- Failed sign-ins per key ("email:…" or "ip:…"). A row in the database, not a counter in memory,
-- so every server process sees the same count.
CREATE TABLE operator_login_throttle (
  key              text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  last_failure_at  timestamptz,
  locked_until     timestamptz
);

-- People search: the words of uid, name, first/last name and email (also split at @ . + _ -),
-- matched by prefix (`'ada':* & 'exa':*`). Must stay the same expression as searchVector in
-- services/account-reads.ts. (GIN cannot hold the uuid environment_id without btree_gin; the
-- environment is checked on each matching row.)
CREATE INDEX accounts_search ON accounts USING gin (
  to_tsvector('simple', coalesce(uid, '') || ' ' || coalesce(name, '') || ' ' || coalesce(first_name, '') || ' '
    || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || translate(coalesce(email, ''), '@.+_-', '     '))
);
-- The "unverified" filter stays an index scan however rare unverified accounts are.
CREATE INDEX accounts_unverified ON accounts (environment_id, created_at DESC, id DESC) WHERE NOT verified;
-- The "users" filter skips the (usually far more numerous) visitors.
CREATE INDEX accounts_users ON accounts (environment_id, created_at DESC, id DESC) WHERE kind = 'USER';
-- Conversions per day on the overview.
CREATE INDEX merges_environment ON merges (environment_id, created_at);
-- Events per day: a BRIN index costs next to nothing on ingest (events arrive roughly in time order).
CREATE INDEX events_timestamp_brin ON events USING brin ("timestamp");

-- The overview's per-day numbers (events, active people, new accounts, conversions, event names), computed once per past day
-- (recomputed while the day may still receive late events) instead of scanning every event of
-- the period on each visit. Aggregates only: no personal data.
CREATE TABLE dashboard_daily_stats (
  environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  day             date NOT NULL,
  events          integer NOT NULL,
  active_people   integer NOT NULL,
  new_visitors    integer NOT NULL,
  new_users       integer NOT NULL,
  conversions     integer NOT NULL,
  -- { "event name": count } for the day's most frequent names.
  event_names     jsonb NOT NULL DEFAULT '{}',
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment_id, day)
);
