//! Signing in with OpenID Connect (Entra ID, the municipal identity
//! providers): the authorization code flow with PKCE, `state` and `nonce`.
//!
//! `GET /login/oidc` starts a flow: its secrets (PKCE verifier, nonce, state,
//! where to go afterwards) stay on the server, under a random id that only
//! the browser that started it holds, in a short-lived HttpOnly cookie.
//! `GET /login/oidc/callback` takes that flow (once), checks `state`,
//! exchanges the code, verifies the ID token (signature, issuer, audience,
//! nonce, expiry), matches the person to a user by e-mail (creating one if
//! needed), maps the roles claim to grants and starts a session.

use crate::AppState;
use crate::auth::SESSION_COOKIE;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::nav::{Here, is_local_path};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use insyn_domain::{AppRole, Grant};
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

/// One rule of the role mapping: a value of the roles claim gives an
/// application role, in one organisation (by slug) or in all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRule {
    pub value: String,
    pub role: AppRole,
    pub org: Option<String>,
}

/// `value=role[@org-slug],…`, e.g.
/// `insyn-admins=administrator,insyn-socialtjanst=editor@socialtjanst`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap(pub Vec<RoleRule>);

impl RoleMap {
    /// Parses the mapping. The role is what follows the last `=`, so a
    /// value may itself contain `=`; entries are separated by commas.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut rules = vec![];
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (value, target) = entry.rsplit_once('=').ok_or_else(|| {
                format!("role mapping entry {entry:?} is not of the form value=role[@org-slug]")
            })?;
            let (role, org) = match target.split_once('@') {
                Some((r, o)) => (r, Some(o.trim().to_owned()).filter(|o| !o.is_empty())),
                None => (target, None),
            };
            let role = AppRole::parse(role).ok_or_else(|| {
                format!(
                    "unknown role {:?} in role mapping entry {entry:?}: use administrator, security_coordinator, editor or reader",
                    role.trim()
                )
            })?;
            let value = value.trim();
            if value.is_empty() {
                return Err(format!("role mapping entry {entry:?} has no claim value"));
            }
            rules.push(RoleRule {
                value: value.to_owned(),
                role,
                org,
            });
        }
        Ok(Self(rules))
    }

    /// The rules that the claim values match.
    pub fn matching<'a>(&'a self, values: &'a [String]) -> impl Iterator<Item = &'a RoleRule> {
        self.0.iter().filter(|r| values.contains(&r.value))
    }
}

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

/// A flow waiting for the browser to come back.
struct Flow {
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
    next: String,
    started: Instant,
}

/// A configured OpenID provider and the flows in progress.
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    client: RwLock<Arc<OidcClient>>,
    /// When the provider's metadata and keys were last fetched.
    fetched: Mutex<Instant>,
    flows: Mutex<HashMap<String, Flow>>,
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
            flows: Mutex::new(HashMap::new()),
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
    fn begin(&self, next: String) -> (String, String) {
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
        let mut flows = self.flows.lock().unwrap_or_else(|e| e.into_inner());
        flows.retain(|_, f| f.started.elapsed() < FLOW_TTL);
        if flows.len() >= MAX_FLOWS
            && let Some(oldest) = flows
                .iter()
                .min_by_key(|(_, f)| f.started)
                .map(|(k, _)| k.clone())
        {
            flows.remove(&oldest);
        }
        flows.insert(
            id.clone(),
            Flow {
                state,
                nonce,
                verifier,
                next,
                started: Instant::now(),
            },
        );
        (url.to_string(), id)
    }

    /// Takes a flow out (each can be finished once), if it has not expired.
    fn take(&self, id: &str) -> Option<Flow> {
        let mut flows = self.flows.lock().unwrap_or_else(|e| e.into_inner());
        flows.remove(id).filter(|f| f.started.elapsed() < FLOW_TTL)
    }

    /// Exchanges the code and verifies the ID token; returns the person.
    async fn finish(&self, flow: Flow, code: String) -> Result<Person, Failure> {
        let client = self.client();
        let request = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| Failure::Token(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(flow.verifier);
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
            id_token.claims(&verifier, &flow.nonce).cloned()
        };
        let claims = match verified {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) if self.refresh().await => {
                // The provider may have rotated its keys since start-up.
                let client = self.client();
                let verifier = client.id_token_verifier();
                id_token.claims(&verifier, &flow.nonce).cloned()
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

    /// The grants the role mapping gives for these claim values. An
    /// organisation that does not exist (any more) is left out, with a warning.
    async fn grants(&self, store: &Store, roles: &[String]) -> Result<Vec<Grant>, StoreError> {
        let mut grants: Vec<Grant> = vec![];
        for rule in self.settings.role_map.matching(roles) {
            let org_id = match &rule.org {
                None => None,
                Some(slug) => match store.org_by_slug(slug).await {
                    Ok(o) => Some(o.id),
                    Err(StoreError::NotFound) => {
                        tracing::warn!(org = %slug, value = %rule.value, "the OpenID Connect role mapping names an organisation that does not exist: ignored");
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            let g = Grant {
                org_id,
                role: rule.role,
            };
            if !grants.contains(&g) {
                grants.push(g);
            }
        }
        Ok(grants)
    }
}

/// Who the provider says signed in.
#[derive(Debug)]
struct Person {
    subject: String,
    /// Whether the e-mail address may be believed: verified by the provider
    /// (or the provider is trusted for its addresses).
    email_trusted: bool,
    email: String,
    name: String,
    roles: Vec<String>,
}

/// Why a sign-in failed. The reason is logged; the person sees a message
/// in their language.
#[derive(Debug)]
enum Failure {
    /// No flow for this browser, an expired one, or a state that differs.
    State(&'static str),
    /// The provider sent an error instead of a code (e.g. the person cancelled).
    Provider(String),
    /// The code exchange failed or the ID token did not verify.
    Token(String),
    /// No (verified) e-mail address to match the person by.
    NoEmail(&'static str),
    /// The matched user is deactivated.
    Disabled,
    /// An account with this e-mail exists but may not be taken over by a
    /// sign-in with the provider (it has a password or installation-wide
    /// rights, or is bound to another identity).
    NotLinkable(&'static str),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::State(_) => StatusCode::BAD_REQUEST,
            Failure::Provider(_)
            | Failure::NoEmail(_)
            | Failure::Disabled
            | Failure::NotLinkable(_) => StatusCode::FORBIDDEN,
            Failure::Token(_) => StatusCode::BAD_GATEWAY,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Failure::State(_) => "oidc-error-state",
            Failure::Provider(_) => "oidc-error-provider",
            Failure::Token(_) => "oidc-error-token",
            Failure::NoEmail(_) => "oidc-error-email",
            Failure::Disabled => "oidc-error-disabled",
            Failure::NotLinkable(_) => "oidc-error-link",
        }
    }

    fn reason(&self) -> String {
        match self {
            Failure::State(r) | Failure::NoEmail(r) | Failure::NotLinkable(r) => (*r).to_owned(),
            Failure::Provider(r) | Failure::Token(r) => r.clone(),
            Failure::Disabled => "the user is deactivated".into(),
        }
    }

    fn page(&self, lang: Lang, here: &Here) -> Response {
        tracing::warn!(reason = %self.reason(), "OpenID Connect sign-in failed");
        // The page's language switch leads to the sign-in page, not back
        // here with the provider's answer.
        let here = Here {
            uri: axum::http::Uri::from_static("/login"),
            me: here.me.clone(),
        };
        let mut r = crate::html::error_page(
            lang,
            &here,
            self.status(),
            lang.t("oidc-error-title"),
            lang.t(self.key()),
        );
        r.headers_mut()
            .append(header::SET_COOKIE, clear_flow_cookie());
        r
    }
}

fn flow_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{FLOW_COOKIE}={id}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        FLOW_TTL.as_secs()
    ))
    .unwrap_or_else(|_| clear_flow_cookie())
}

fn clear_flow_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-insyn-oidc=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0",
    )
}

/// Text from the provider, fit for one log line.
fn printable(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

/// Where to go after signing in: a local path only (no open redirect).
fn safe_next(n: Option<&str>) -> String {
    n.filter(|n| is_local_path(n) && !n.starts_with("/login"))
        .unwrap_or("/")
        .to_owned()
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /login/oidc`: sends the browser to the provider.
/// The sign-in through the organisation's identity provider.
pub fn routes(rules: &mut crate::auth::Rules) -> axum::Router<AppState> {
    let mut r = axum::Router::new();
    crate::routes!(r, rules, "";
        GET "/login/oidc" => start, Public;
        GET "/login/oidc/callback" => callback, Public;
    );
    r
}

pub async fn start(State(state): State<AppState>, Query(q): Query<StartQuery>) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return AppError::NotFound.into_response();
    };
    let (url, id) = oidc.begin(safe_next(q.next.as_deref()));
    let mut r = Redirect::to(&url).into_response();
    r.headers_mut().append(header::SET_COOKIE, flow_cookie(&id));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /login/oidc/callback`: where the provider sends the browser back.
pub async fn callback(
    State(state): State<AppState>,
    lang: Lang,
    here: Here,
    headers: HeaderMap,
    crate::extract::ClientIp(client): crate::extract::ClientIp,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return AppError::NotFound.into_response();
    };
    match sign_in(&state, &oidc, &headers, client, q).await {
        Ok(r) => r,
        Err(Err(e)) => e.into_response(),
        Err(Ok(f)) => f.page(lang, &here),
    }
}

async fn sign_in(
    state: &AppState,
    oidc: &Oidc,
    headers: &HeaderMap,
    client: Option<std::net::IpAddr>,
    q: CallbackQuery,
) -> Result<Response, Result<Failure, AppError>> {
    let flow = crate::extract::cookie(headers, FLOW_COOKIE)
        .map(str::to_owned)
        .and_then(|id| oidc.take(&id))
        .ok_or(Ok(Failure::State(
            "no flow for this browser, or it expired",
        )))?;
    // Compared in full; the flow is gone either way, so a wrong guess
    // cannot be retried.
    if q.state.as_deref() != Some(flow.state.secret().as_str()) {
        return Err(Ok(Failure::State("the state does not match the flow")));
    }
    if let Some(error) = q.error {
        let detail = q
            .error_description
            .map(|d| format!(" ({})", printable(&d, 200)))
            .unwrap_or_default();
        return Err(Ok(Failure::Provider(format!(
            "the provider answered {}{detail}",
            printable(&error, 64)
        ))));
    }
    let code = q
        .code
        .filter(|c| !c.is_empty())
        .ok_or(Ok(Failure::Provider("neither a code nor an error".into())))?;
    let next = flow.next.clone();
    let person = oidc.finish(flow, code).await.map_err(Ok)?;
    let store = &state.store;
    let grants = oidc
        .grants(store, &person.roles)
        .await
        .map_err(|e| Err(e.into()))?;
    let actor = Actor {
        name: format!("{} (OpenID Connect)", person.email),
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let issuer = oidc.settings.issuer.as_str();
    let err = |e: StoreError| Err(AppError::from(e));
    // The identity is the issuer and subject. An account is bound to it at
    // the first sign-in; by e-mail only then, only with an address the
    // provider vouches for, and never an account that has a password or
    // installation-wide rights (those are taken over by no sign-in service).
    let user = match store
        .user_by_oidc(issuer, &person.subject)
        .await
        .map_err(err)?
    {
        Some(user) => user,
        None => match store.user_by_email(&person.email).await {
            Ok(user) => {
                if !user.active {
                    return Err(Ok(Failure::Disabled));
                }
                if !person.email_trusted {
                    return Err(Ok(Failure::NoEmail(
                        "the provider does not say the e-mail is verified",
                    )));
                }
                if user.has_password {
                    return Err(Ok(Failure::NotLinkable(
                        "an account with this e-mail signs in with a password",
                    )));
                }
                if user
                    .grants
                    .iter()
                    .any(|g| g.org_id.is_none() && g.role == AppRole::Administrator)
                {
                    return Err(Ok(Failure::NotLinkable(
                        "an account with this e-mail administers the whole installation",
                    )));
                }
                if !store
                    .link_oidc(&actor, user.id, issuer, &person.subject)
                    .await
                    .map_err(err)?
                {
                    return Err(Ok(Failure::NotLinkable(
                        "an account with this e-mail is bound to another identity",
                    )));
                }
                user
            }
            Err(StoreError::NotFound) => {
                if !person.email_trusted {
                    return Err(Ok(Failure::NoEmail(
                        "the provider does not say the e-mail is verified",
                    )));
                }
                match store
                    .create_user(&actor, &person.email, &person.name, None, &grants)
                    .await
                {
                    Ok(u) => {
                        store
                            .link_oidc(&actor, u.id, issuer, &person.subject)
                            .await
                            .map_err(err)?;
                        tracing::info!(user = %u.email, grants = u.grants.len(), "user created at first OpenID Connect sign-in");
                        u
                    }
                    Err(StoreError::Invalid(_)) => {
                        return Err(Ok(Failure::NoEmail(
                            "the e-mail claim is not a valid address",
                        )));
                    }
                    Err(e) => return Err(Err(e.into())),
                }
            }
            Err(e) => return Err(Err(e.into())),
        },
    };
    if !user.active {
        return Err(Ok(Failure::Disabled));
    }
    let same = grants.len() == user.grants.len() && grants.iter().all(|g| user.grants.contains(g));
    let user = if grants.is_empty() || same {
        user
    } else {
        tracing::info!(user = %user.email, "grants updated from the OpenID Connect roles claim");
        store
            .update_user(&actor, user.id, &user.name, true, &grants)
            .await
            .map_err(err)?
    };
    store
        .record_sign_in(
            &actor,
            &user.email,
            insyn_store::SignIn::Succeeded,
            "oidc",
            client,
        )
        .await
        .map_err(err)?;
    // A session this browser had before ends: one person, one session.
    if let Some(old) = crate::extract::cookie(headers, SESSION_COOKIE).map(str::to_owned) {
        store.end_session(&old).await.map_err(|e| Err(e.into()))?;
    }
    let secret = store
        .create_session(user.id, "oidc", state.session_policy)
        .await
        .map_err(|e| Err(e.into()))?;
    tracing::info!(user = %user.email, subject = %person.subject, "signed in with OpenID Connect");
    let mut r = crate::html::signed_in(&secret, state.session_policy, &next);
    r.headers_mut()
        .append(header::SET_COOKIE, clear_flow_cookie());
    Ok(r)
}
