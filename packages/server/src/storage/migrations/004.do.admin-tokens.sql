-- Admin API tokens made by `tessera init` (besides TESSERA_ADMIN_TOKEN from the environment).
-- Only the SHA-256 of each token is kept, as for dashboard sessions: a copy of the database
-- cannot be replayed against the admin API.

CREATE TABLE admin_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- What made it and why, e.g. "tessera init".
  label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  -- SHA-256 of the token (hex).
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
