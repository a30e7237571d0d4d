-- An account signed in with OpenID Connect is bound to the provider's
-- issuer and subject at its first link, never again by e-mail alone.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc_identity ON users(oidc_issuer, oidc_subject);

-- API tokens may expire.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
