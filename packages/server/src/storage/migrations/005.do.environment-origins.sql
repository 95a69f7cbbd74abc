-- Per-environment settings for browser ingest (docs/operations.md, "Allowed origins"):
-- allowed_origins: the browser origins (scheme://host[:port], or scheme://*.domain[:port]) whose
--   pages may send this environment's ingest requests; NULL means any origin (the default: browser
--   SDKs on any site must work out of the box). Stored normalised, never as an empty array.
-- rate_limit_per_key: ingest requests a second per public key of this environment; NULL means
--   the server-wide TESSERA_RATE_LIMIT_PER_KEY.
ALTER TABLE environments
  ADD COLUMN allowed_origins text[] CHECK (allowed_origins IS NULL OR cardinality(allowed_origins) > 0),
  ADD COLUMN rate_limit_per_key integer CHECK (rate_limit_per_key IS NULL OR rate_limit_per_key > 0);
