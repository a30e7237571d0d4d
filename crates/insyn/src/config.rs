//! Settings of `insyn serve` and `insyn demo` beyond the address and the
//! database: sign-in with OpenID Connect. Each comes from an option or an
//! `INSYN_*` environment variable; the client secret also from a file.

use anyhow::{Context, Result, bail};
use clap::Args;
use insyn_store::Store;
use insyn_web::oidc::{Oidc, OidcSettings, RoleMap};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args, Clone, Default)]
pub struct OidcArgs {
    /// OpenID Connect issuer, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0.
    /// Turns on "sign in with the municipality's sign-in"; insyn fetches
    /// <issuer>/.well-known/openid-configuration at start-up.
    #[arg(long, env = "INSYN_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client (application) id registered at the provider.
    #[arg(long, env = "INSYN_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret. Prefer INSYN_OIDC_CLIENT_SECRET_FILE: options are
    /// visible to other users of the machine.
    #[arg(long, env = "INSYN_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// A file whose content (trailing line break removed) is the client secret.
    #[arg(long, env = "INSYN_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The address browsers reach insyn at, e.g. https://insyn.kommun.se; the
    /// redirect URI to register at the provider is <public-url>/login/oidc/callback,
    /// and reminder mails link to the tasks and each system under it (without
    /// it, they give paths such as /o/kommun/tasks).
    #[arg(long, env = "INSYN_PUBLIC_URL", value_parser = crate::mail::public_url)]
    pub public_url: Option<String>,
    /// The ID token claim that carries the person's roles or groups.
    #[arg(long, env = "INSYN_OIDC_ROLES_CLAIM", default_value = "roles")]
    pub oidc_roles_claim: String,
    /// Claim values to application roles: "value=role[@org-slug],…", roles
    /// administrator, security_coordinator, editor, reader; without @org-slug
    /// the role applies in every organisation.
    #[arg(long, env = "INSYN_OIDC_ROLE_MAP", default_value = "")]
    pub oidc_role_map: String,
    /// Believe the provider's e-mail claim even without email_verified
    /// (Entra ID sends none; its addresses are the organisation's own). Off:
    /// a sign-in without a verified address is refused.
    #[arg(long, env = "INSYN_OIDC_TRUST_EMAIL")]
    pub oidc_trust_email: bool,
}

impl OidcArgs {
    /// The settings, or None when no issuer is given (OpenID Connect off).
    pub fn settings(&self) -> Result<Option<OidcSettings>> {
        let Some(issuer) = self.oidc_issuer.as_deref().map(str::trim) else {
            if self.oidc_client_id.is_some() {
                bail!("--oidc-client-id is set but --oidc-issuer (INSYN_OIDC_ISSUER) is not");
            }
            return Ok(None);
        };
        let client_id = self
            .oidc_client_id
            .clone()
            .filter(|c| !c.trim().is_empty())
            .context("--oidc-issuer needs --oidc-client-id (INSYN_OIDC_CLIENT_ID)")?;
        let public_url = self.public_url.clone().filter(|u| !u.trim().is_empty()).context(
            "--oidc-issuer needs --public-url (INSYN_PUBLIC_URL): the address browsers reach insyn at, for the redirect URI",
        )?;
        let client_secret = match (&self.oidc_client_secret, &self.oidc_client_secret_file) {
            (Some(_), Some(_)) => bail!(
                "give the OpenID Connect client secret once: --oidc-client-secret or --oidc-client-secret-file, not both"
            ),
            (Some(s), None) => Some(s.clone()),
            (None, Some(path)) => {
                let s = std::fs::read_to_string(path).with_context(|| {
                    format!("could not read the client secret file {}", path.display())
                })?;
                Some(s.trim_end_matches(['\r', '\n']).to_owned())
            }
            (None, None) => None,
        }
        .filter(|s| !s.is_empty());
        let role_map = RoleMap::parse(&self.oidc_role_map)
            .map_err(|e| anyhow::anyhow!("--oidc-role-map (INSYN_OIDC_ROLE_MAP): {e}"))?;
        Ok(Some(OidcSettings {
            issuer: issuer.to_owned(),
            client_id: client_id.trim().to_owned(),
            client_secret,
            public_url: public_url.trim().trim_end_matches('/').to_owned(),
            trust_email: self.oidc_trust_email,
            roles_claim: self.oidc_roles_claim.trim().to_owned(),
            role_map,
        }))
    }

    /// Discovers the provider when OpenID Connect is configured. Fails, naming
    /// the issuer, when it cannot be reached.
    pub async fn connect(&self, store: &Store) -> Result<Option<Arc<Oidc>>> {
        let Some(settings) = self.settings()? else {
            return Ok(None);
        };
        for rule in &settings.role_map.0 {
            if let Some(slug) = &rule.org
                && store.org_by_slug(slug).await.is_err()
            {
                tracing::warn!(org = %slug, value = %rule.value, "the OpenID Connect role mapping names an organisation that does not exist (yet)");
            }
        }
        if settings.client_secret.is_none() {
            tracing::info!(
                "no OpenID Connect client secret: signing in as a public client (PKCE only)"
            );
        }
        let oidc = Oidc::discover(settings).await?;
        Ok(Some(Arc::new(oidc)))
    }
}
