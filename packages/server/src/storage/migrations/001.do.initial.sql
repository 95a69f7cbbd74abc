-- Tessera's initial schema: projects, environments, key pairs, accounts, events, merges,
-- and the account-scoped data of the DashX API (stored preferences, contacts).
-- Every key that identifies a person or an event includes the environment, so the schema can
-- later be distributed by environment.

CREATE TABLE projects (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE environments (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id             uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name                   text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  identity_verification  text NOT NULL DEFAULT 'required'
                         CHECK (identity_verification IN ('required', 'optional')),
  allow_legacy_tokens    boolean NOT NULL DEFAULT false,
  created_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, name)
);

CREATE TABLE key_pairs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  public_key      text NOT NULL UNIQUE,
  -- Kept in the clear: the server signs and verifies HMACs with it. Never logged.
  private_key     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  revoked_at      timestamptz
);
CREATE INDEX key_pairs_environment ON key_pairs (environment_id);

CREATE TABLE accounts (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id     uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('VISITOR', 'USER')),
  uid                text,
  anonymous_uid      text,
  email              text,
  phone              text,
  name               text,
  first_name         text,
  last_name          text,
  custom             jsonb NOT NULL DEFAULT '{}',
  -- False when any of the account's data was written without a verified identity.
  verified           boolean NOT NULL DEFAULT true,
  -- Names of the traits whose current value was written without a verified identity.
  unverified_traits  text[] NOT NULL DEFAULT '{}',
  merged_into_id     uuid REFERENCES accounts (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (environment_id, uid),
  UNIQUE (environment_id, anonymous_uid),
  CHECK ((kind = 'USER' AND uid IS NOT NULL) OR (kind = 'VISITOR' AND anonymous_uid IS NOT NULL))
);
CREATE INDEX accounts_listing ON accounts (environment_id, created_at DESC, id DESC);
CREATE INDEX accounts_merged_into ON accounts (merged_into_id) WHERE merged_into_id IS NOT NULL;
CREATE INDEX accounts_email ON accounts (environment_id, lower(email));

CREATE TABLE events (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment_id     uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  account_id         uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name               text NOT NULL,
  data               jsonb NOT NULL DEFAULT '{}',
  "timestamp"        timestamptz NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  system_context     jsonb,
  verified           boolean NOT NULL,
  -- True when the client's timestamp was too far in the future and was replaced.
  timestamp_clamped  boolean NOT NULL DEFAULT false,
  message_id         text NOT NULL,
  UNIQUE (environment_id, message_id)
);
CREATE INDEX events_timeline ON events (account_id, "timestamp" DESC, id DESC);
CREATE INDEX events_recent ON events (environment_id, id DESC);

CREATE TABLE merges (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id  uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  visitor_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- merged: the visitor now belongs to the user; undone: an operator reversed it;
  -- refused: the visitor already belonged to another user (shared device without reset()).
  status          text NOT NULL CHECK (status IN ('merged', 'undone', 'refused')),
  -- Traits copied from the visitor onto the user ({ field: value }), so undo can restore them.
  copied_traits   jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  undone_at       timestamptz
);
CREATE INDEX merges_user ON merges (user_id, created_at DESC);
CREATE INDEX merges_visitor ON merges (visitor_id);

CREATE TABLE stored_preferences (
  account_id  uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  data        jsonb NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contacts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id        uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('ANDROID', 'EMAIL', 'IOS', 'PHONE', 'WEB', 'WHATSAPP')),
  value             text NOT NULL,
  name              text,
  tag               text,
  status            text NOT NULL DEFAULT 'SUBSCRIBED'
                    CHECK (status IN ('BLACKLISTED', 'NOT_SUBSCRIBED', 'REVOKED', 'SUBSCRIBED', 'UNSUBSCRIBED')),
  unverified_value  text,
  verified_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, kind, value)
);
