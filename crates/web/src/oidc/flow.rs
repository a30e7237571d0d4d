//! The sign-in itself: `GET /login/oidc` starts a flow, the callback ends
//! it with a session, and a failure is a page in the person's language.

use super::*;

/// Why a sign-in failed. The reason is logged; the person sees a message
/// in their language.
#[derive(Debug)]
pub(super) enum Failure {
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
    let (url, id) = match oidc.begin(&state.store, safe_next(q.next.as_deref())).await {
        Ok(started) => started,
        Err(e) => return AppError::from(e).into_response(),
    };
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
    let flow = match crate::extract::cookie(headers, FLOW_COOKIE) {
        Some(id) => state
            .store
            .take_oidc_flow(id)
            .await
            .map_err(|e| Err(e.into()))?,
        None => None,
    }
    .ok_or(Ok(Failure::State(
        "no flow for this browser, or it expired",
    )))?;
    // Compared in full; the flow is gone either way, so a wrong guess
    // cannot be retried.
    if q.state.as_deref() != Some(flow.state.as_str()) {
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
