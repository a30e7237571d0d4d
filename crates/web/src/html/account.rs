//! Signing in and out, and the user's own account: API tokens and signing
//! out of every session.

use super::*;
use crate::auth::{Principal, SESSION_COOKIE, session_cookie};
use crate::extract::ClientIp;
use insyn_store::{ApiToken, SignIn};

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    c: Chrome,
    email: String,
    next: String,
    error: Option<String>,
    oidc: bool,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct NextQuery {
    next: Option<String>,
}

fn safe_next(n: Option<&str>) -> String {
    n.filter(|n| is_local_path(n) && !n.starts_with("/login"))
        .unwrap_or("/")
        .to_owned()
}

pub(super) async fn login_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if uri.me.is_some() {
        return Redirect::to(&next).into_response();
    }
    render(&LoginPage {
        c: Chrome::new(lang, &uri, None, "login"),
        email: String::new(),
        next,
        error: None,
        oidc: state.oidc.is_some(),
    })
}

pub(super) async fn login(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    ClientIp(ip): ClientIp,
    RequestActor(actor): RequestActor,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body);
    let email = form.get("email").to_owned();
    let next = safe_next(Some(form.get("next")));
    let oidc = state.oidc.is_some();
    let again = |status: StatusCode, error: String| {
        render_status(
            status,
            &LoginPage {
                c: Chrome::new(lang, &uri, None, "login"),
                email: email.clone(),
                next: next.clone(),
                error: Some(error),
                oidc,
            },
        )
    };
    let actor = insyn_store::Actor {
        name: email.trim().chars().take(254).collect(),
        ..actor
    };
    let wait = state.limiter.wait(ip, &email);
    if !wait.is_zero() {
        // Refused unchecked and unrecorded: the failure that began the wait
        // is in the log, and a flood of refused attempts writes nothing.
        let mut r = again(
            StatusCode::TOO_MANY_REQUESTS,
            lang.t_count(
                "login-too-many",
                i64::try_from(wait.as_secs().max(1)).unwrap_or(i64::MAX),
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    match state
        .store
        .check_login(&email, form.get("password"))
        .await?
    {
        Some(user) => {
            state.limiter.succeeded(&email);
            state
                .store
                .record_sign_in(&actor, &email, SignIn::Succeeded, "password", ip)
                .await?;
            let secret = state
                .store
                .create_session(user.id, "password", state.session_policy)
                .await?;
            tracing::info!(user = %user.email, "signed in");
            Ok(signed_in(&secret, state.session_policy, &next))
        }
        None => {
            let now_waits = state.limiter.failed(ip, &email);
            state
                .store
                .record_sign_in(&actor, &email, SignIn::Failed, "password", ip)
                .await?;
            if now_waits {
                state
                    .store
                    .record_sign_in(&actor, &email, SignIn::Throttled, "password", ip)
                    .await?;
            }
            tracing::info!("failed sign-in");
            Ok(again(StatusCode::UNAUTHORIZED, lang.t("login-failed")))
        }
    }
}

/// The redirect that sets the session cookie.
pub(crate) fn signed_in(secret: &str, policy: insyn_store::SessionPolicy, next: &str) -> Response {
    let mut r = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(secret, policy.absolute.num_seconds())) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

fn signed_out(to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    if let Some(secret) = crate::extract::cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(secret).await?;
    }
    Ok(signed_out("/login"))
}

pub(super) async fn logout_all(
    State(state): State<AppState>,
    me: Principal,
) -> AppResult<Response> {
    state.store.end_all_sessions(me.user.id).await?;
    Ok(signed_out("/login"))
}

#[derive(Template)]
#[template(path = "account.html")]
pub(super) struct AccountPage {
    c: Chrome,
    me: Principal,
    orgs: Vec<(String, String)>,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    errors: FieldErrors,
}

impl AccountPage {
    pub fn role_name(&self, r: &AppRole) -> String {
        self.c.t(&format!("app-role-{}", r.as_str()))
    }
}

async fn account_view(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    me: Principal,
    new_token: Option<String>,
    errors: FieldErrors,
) -> AppResult<AccountPage> {
    let orgs = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let tokens = state.store.list_tokens(me.user.id).await?;
    Ok(AccountPage {
        c: Chrome::new(lang, uri, None, "account"),
        me,
        orgs,
        tokens,
        new_token,
        errors,
    })
}

pub(super) async fn account_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    me: Principal,
) -> AppResult<Response> {
    Ok(render(
        &account_view(&state, lang, &uri, me, None, FieldErrors::new()).await?,
    ))
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    me: Principal,
    body: Bytes,
) -> AppResult<Response> {
    let form = FormData::parse(&body);
    let scope = TokenScope::parse(form.get("scope")).unwrap_or(TokenScope::Read);
    // A date: the token works to the end of that day (UTC).
    let expires_at = match form.get("expires_at").trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => d.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
            Err(_) => {
                return Ok(render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &account_view(
                        &state,
                        lang,
                        &uri,
                        me,
                        None,
                        FieldErrors::single("expires_at", v::NOT_A_DATE),
                    )
                    .await?,
                ));
            }
        },
    };
    match state
        .store
        .create_token_until(&actor, me.user.id, form.get("name"), scope, expires_at)
        .await
    {
        Ok((_, secret)) => Ok(render(
            &account_view(&state, lang, &uri, me, Some(secret), FieldErrors::new()).await?,
        )),
        Err(insyn_store::StoreError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_view(&state, lang, &uri, me, None, e).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    me: Principal,
    Path(id): Path<String>,
) -> AppResult<Response> {
    state
        .store
        .revoke_token(&actor, me.user.id, parse_id(&id)?)
        .await?;
    Ok(Redirect::to("/account").into_response())
}
