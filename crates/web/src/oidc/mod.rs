//! Signing in with OpenID Connect (Entra ID, the municipal identity
//! providers): the authorization code flow with PKCE, `state` and `nonce`.
//!
//! `GET /login/oidc` starts a flow: its secrets (PKCE verifier, nonce, state,
//! where to go afterwards) stay on the server, in the database (so that the
//! callback may reach any instance), under a random id that only the browser
//! that started it holds, in a short-lived HttpOnly cookie.
//! `GET /login/oidc/callback` takes that flow (once: its row is deleted
//! whatever comes of it), checks `state`,
//! exchanges the code, verifies the ID token (signature, issuer, audience,
//! nonce, expiry), matches the person to a user by e-mail (creating one if
//! needed), maps the roles claim to grants and starts a session.

use crate::AppState;
use crate::auth::SESSION_COOKIE;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::link::is_local_path;
use crate::nav::Here;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use insyn_domain::AppRole;
use insyn_store::users::OidcFlow;
use insyn_store::{Actor, Store, StoreError};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse as _,
    reqwest,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

mod claims;
mod flow;

use claims::Person;
pub use claims::{RoleMap, RoleRule};
use flow::Failure;
pub use flow::{CallbackQuery, StartQuery, callback, routes, start};

/// The cookie that ties a flow to the browser that started it.
pub const FLOW_COOKIE: &str = "__Host-insyn-oidc";
/// How long a browser has to come back from the provider.
pub const FLOW_TTL: Duration = Duration::from_secs(10 * 60);
/// At most this many flows wait at once; the oldest goes first.
const MAX_FLOWS: usize = 10_000;
/// The path the provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// Claims beyond the standard ones; the roles claim is read from here.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub other: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for ExtraClaims {}

type Fields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What OpenID Connect sign-in needs to know.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer, exactly as the provider names itself (discovery is at
    /// `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    /// None for a public client (PKCE only).
    pub client_secret: Option<String>,
    /// Where insyn is reached by browsers, e.g. `https://insyn.kommun.se`.
    pub public_url: String,
    /// The claim that carries roles or groups.
    pub roles_claim: String,
    pub role_map: RoleMap,
    /// Believe the e-mail claim without `email_verified` (for providers such
    /// as Entra ID whose addresses are the organisation's own and that do not
    /// send the claim). Off by default: an unverified address is then refused.
    pub trust_email: bool,
}

impl OidcSettings {
    /// The redirect URI to register at the provider.
    pub fn redirect_uri(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.public_url.trim_end_matches('/'))
    }
}

/// Why OpenID Connect could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// A configured OpenID provider (the flows in progress are in the database).
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    client: RwLock<Arc<OidcClient>>,
    /// When the provider's metadata and keys were last fetched.
    fetched: Mutex<Instant>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

/// An error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl Oidc {
    /// Fetches the provider's metadata and keys (discovery). Fails with a
    /// message that names the issuer when it cannot be reached or answers
    /// with something else than its own metadata.
    pub async fn discover(settings: OidcSettings) -> Result<Self, SetupError> {
        let http = reqwest::Client::builder()
            // The token endpoint must not send us elsewhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| SetupError(format!("could not set up the HTTP client: {}", chain(&e))))?;
        RedirectUrl::new(settings.redirect_uri()).map_err(|e| {
            SetupError(format!(
                "the public URL {:?} does not make a valid redirect URI: {e}",
                settings.public_url
            ))
        })?;
        for (what, url) in [
            ("issuer", &settings.issuer),
            ("public URL", &settings.public_url),
        ] {
            if !url.starts_with("https://") {
                tracing::warn!(%url, "the OpenID Connect {what} is not HTTPS: only for tests on this machine");
            }
        }
        let client = Self::fetch(&settings, &http).await?;
        tracing::info!(issuer = %settings.issuer, redirect_uri = %settings.redirect_uri(), "OpenID Connect sign-in ready");
        Ok(Self {
            settings,
            http,
            client: RwLock::new(Arc::new(client)),
            fetched: Mutex::new(Instant::now()),
        })
    }

    async fn fetch(
        settings: &OidcSettings,
        http: &reqwest::Client,
    ) -> Result<OidcClient, SetupError> {
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|e| {
            SetupError(format!(
                "the OpenID Connect issuer {:?} is not a URL: {e}",
                settings.issuer
            ))
        })?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|e| {
                SetupError(format!(
                    "could not reach the OpenID provider at {} (discovery of {}/.well-known/openid-configuration failed): {}",
                    settings.issuer,
                    settings.issuer.trim_end_matches('/'),
                    chain(&e)
                ))
            })?;
        let redirect = RedirectUrl::new(settings.redirect_uri())
            .map_err(|e| SetupError(format!("invalid redirect URI: {e}")))?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    fn client(&self) -> Arc<OidcClient> {
        self.client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Fetches the provider's keys again (they rotate), at most once a minute.
    async fn refresh(&self) -> bool {
        {
            let mut at = self.fetched.lock().unwrap_or_else(|e| e.into_inner());
            if at.elapsed() < Duration::from_secs(60) {
                return false;
            }
            *at = Instant::now();
        }
        match Self::fetch(&self.settings, &self.http).await {
            Ok(c) => {
                *self.client.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(c);
                tracing::info!("OpenID provider metadata and keys fetched again");
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not fetch the OpenID provider's keys again");
                false
            }
        }
    }

    /// Starts a flow: the provider's authorization URL and the flow's id.
    async fn begin(&self, store: &Store, next: String) -> Result<(String, String), StoreError> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let id = insyn_store::users::new_secret();
        let flow = OidcFlow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next,
        };
        let ttl = chrono::TimeDelta::from_std(FLOW_TTL).unwrap_or(chrono::TimeDelta::minutes(10));
        store.put_oidc_flow(&id, &flow, ttl, MAX_FLOWS).await?;
        Ok((url.to_string(), id))
    }

    /// Exchanges the code and verifies the ID token; returns the person.
    async fn finish(&self, flow: OidcFlow, code: String) -> Result<Person, Failure> {
        let nonce = Nonce::new(flow.nonce);
        let client = self.client();
        let request = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| Failure::Token(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier));
        let tokens = request.request_async(&self.http).await.map_err(|e| {
            Failure::Token(match e {
                RequestTokenError::ServerResponse(r) => format!(
                    "the token endpoint refused the code: {}{}",
                    r.error().as_ref(),
                    r.error_description()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                ),
                RequestTokenError::Request(e) => {
                    format!("the token endpoint could not be reached: {}", chain(&e))
                }
                // Never the body or the parser's message: they may hold tokens.
                RequestTokenError::Parse(e, _) => {
                    format!("the token response could not be read (at {})", e.path())
                }
                RequestTokenError::Other(m) => format!("token request failed: {m}"),
            })
        })?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| Failure::Token("the token response has no ID token".into()))?;
        let verified = {
            let verifier = client.id_token_verifier();
            id_token.claims(&verifier, &nonce).cloned()
        };
        let claims = match verified {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) if self.refresh().await => {
                // The provider may have rotated its keys since start-up.
                let client = self.client();
                let verifier = client.id_token_verifier();
                id_token.claims(&verifier, &nonce).cloned()
            }
            other => other,
        }
        .map_err(|e| Failure::Token(format!("the ID token is not valid: {}", chain(&e))))?;
        let email = claims
            .email()
            .map(|e| e.as_str().trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .ok_or(Failure::NoEmail("the ID token has no email claim"))?;
        if claims.email_verified() == Some(false) {
            return Err(Failure::NoEmail(
                "the provider says the e-mail is not verified",
            ));
        }
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| {
                let given = claims.given_name().and_then(|n| n.get(None));
                let family = claims.family_name().and_then(|n| n.get(None));
                match (given, family) {
                    (Some(g), Some(f)) => Some(format!("{} {}", g.as_str(), f.as_str())),
                    (Some(g), None) => Some(g.as_str().to_owned()),
                    (None, Some(f)) => Some(f.as_str().to_owned()),
                    (None, None) => None,
                }
            })
            .map(|n| n.trim().chars().take(200).collect::<String>())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| email.clone());
        let roles = match claims
            .additional_claims()
            .other
            .get(&self.settings.roles_claim)
        {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => vec![],
        };
        Ok(Person {
            email_trusted: claims.email_verified() == Some(true) || self.settings.trust_email,
            subject: claims.subject().as_str().to_owned(),
            email,
            name,
            roles,
        })
    }
}
