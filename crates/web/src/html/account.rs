//! Signing in and out, and the user's own account: API tokens and signing
//! out of every session.

use super::*;
use crate::auth::{Principal, SESSION_COOKIE, session_cookie};
use crate::context::PathParams;
use crate::extract::ClientIp;
use insyn_domain::access::Language;
use insyn_domain::reminder_mail::MailFrequency;
use insyn_store::ApiToken;

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

pub(super) async fn login_page(cx: Cx, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if cx.me().is_some() {
        return Redirect::to(&next).into_response();
    }
    render(&LoginPage {
        c: cx.chrome(None, "login"),
        email: String::new(),
        next,
        error: None,
        oidc: cx.state.oidc.is_some(),
    })
}

pub(super) async fn login(cx: Cx, ClientIp(ip): ClientIp, form: FormData) -> AppResult<Response> {
    let (state, lang) = (&cx.state, cx.lang);
    let email = form.get("email").to_owned();
    let next = safe_next(Some(form.get("next")));
    let oidc = state.oidc.is_some();
    let again = |status: StatusCode, error: String| {
        render_status(
            status,
            &LoginPage {
                c: cx.chrome(None, "login"),
                email: email.clone(),
                next: next.clone(),
                error: Some(error),
                oidc,
            },
        )
    };
    let actor = insyn_store::Actor {
        name: email.trim().chars().take(254).collect(),
        ..cx.actor.clone()
    };
    let wait = state
        .store
        .sign_in_wait(&email, ip)
        .await?
        .to_std()
        .unwrap_or_default();
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
            state.store.sign_in_succeeded(&actor, &email, ip).await?;
            let secret = state
                .store
                .create_session(user.id, "password", state.session_policy)
                .await?;
            tracing::info!(user = %user.email, "signed in");
            Ok(signed_in(&secret, state.session_policy, &next))
        }
        None => {
            // Counted and recorded (with the throttling it begins) at once.
            state.store.sign_in_failed(&actor, &email, ip).await?;
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
    /// The choices of how often to get reminder mail, in the page's order.
    pub fn frequencies(&self) -> &'static [MailFrequency] {
        MailFrequency::ALL
    }

    pub fn role_name(&self, r: &AppRole) -> String {
        self.c.t(&format!("app-role-{}", r.as_str()))
    }
}

async fn account_view(
    cx: &Cx,
    me: Principal,
    new_token: Option<String>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let orgs = cx
        .store()
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let tokens = cx.store().list_tokens(me.user.id).await?;
    let page = AccountPage {
        c: cx.chrome(None, "account"),
        me,
        orgs,
        tokens,
        new_token,
        errors,
    };
    Ok(form_page(&page.errors, &page))
}

pub(super) async fn account_page(cx: Cx, me: Principal) -> AppResult<Response> {
    account_view(&cx, me, None, FieldErrors::new()).await
}

/// The token form: its name, scope and (optional) last day.
struct TokenDraft {
    name: String,
    scope: TokenScope,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn token_draft(form: &FormData) -> Result<TokenDraft, FieldErrors> {
    let scope = TokenScope::parse(form.get("scope")).unwrap_or(TokenScope::Read);
    // A date: the token works to the end of that day (UTC).
    let expires_at = match form.get("expires_at").trim() {
        "" => None,
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => d.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
            Err(_) => return Err(FieldErrors::single("expires_at", v::NOT_A_DATE)),
        },
    };
    Ok(TokenDraft {
        name: form.get("name").to_owned(),
        scope,
        expires_at,
    })
}

pub(super) async fn create_token(cx: Cx, me: Principal, form: FormData) -> AppResult<Response> {
    let create = async |d: TokenDraft| {
        let store = cx.store();
        let user = me.user.id;
        store
            .create_token_until(&cx.actor, user, &d.name, d.scope, d.expires_at)
            .await
    };
    match submit(token_draft(&form), create).await? {
        // The secret is shown once, on the page itself.
        Posted::Done((_, secret)) => account_view(&cx, me, Some(secret), FieldErrors::new()).await,
        Posted::Invalid(e) => account_view(&cx, me, None, e).await,
    }
}

pub(super) async fn revoke_token(cx: Cx, me: Principal, path: PathParams) -> AppResult<Response> {
    let store = cx.store();
    store
        .revoke_token(&cx.actor, me.user.id, path.id("id")?)
        .await?;
    see("/account")
}

/// The language of the user's interface and mail (`sv` or `en`).
pub(super) async fn set_language(cx: Cx, me: Principal, form: FormData) -> AppResult<Response> {
    let choice = Language::parse(form.get("language"))
        .ok_or_else(|| FieldErrors::single("language", v::UNKNOWN_CHOICE));
    let save = async |language: Language| {
        cx.store()
            .set_user_language(&cx.actor, me.user.id, language)
            .await
    };
    match submit(choice, save).await? {
        Posted::Done(_) => see("/account"),
        Posted::Invalid(e) => account_view(&cx, me, None, e).await,
    }
}

/// How often the user wants the policy reminders' mail.
pub(super) async fn set_mail_frequency(
    cx: Cx,
    me: Principal,
    form: FormData,
) -> AppResult<Response> {
    let choice = MailFrequency::parse(form.get("mail_frequency"))
        .ok_or_else(|| FieldErrors::single("mail_frequency", v::UNKNOWN_CHOICE));
    let save = async |frequency: MailFrequency| {
        cx.store()
            .set_user_mail_frequency(&cx.actor, me.user.id, frequency)
            .await
    };
    match submit(choice, save).await? {
        Posted::Done(_) => see("/account#h-mail"),
        Posted::Invalid(e) => account_view(&cx, me, None, e).await,
    }
}
