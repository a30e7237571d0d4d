//! What a page handler is written with: the request's context ([`Cx`]),
//! rendering, and the one way a form post goes ([`submit`]): the parsed
//! draft goes to the store; refused input shows the form again with its
//! errors (422); success redirects (post/redirect/get).

use super::*;
use crate::auth::Principal;
use insyn_domain::auth::OnSystem;
use insyn_store::{Actor, Store};

pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            AppError::Internal.into_response()
        }
    }
}

pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut r = render(t);
    *r.status_mut() = status;
    r
}

/// A page with a form: 200 when shown fresh, 422 when it comes back with
/// errors.
pub fn form_page(errors: &FieldErrors, page: &impl Template) -> Response {
    render_status(form_status(errors), page)
}

/// A form shown fresh is 200; shown again with errors, 422.
pub fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// What every page handler needs of its request: the state, the user's
/// language, where the request is and who makes it, and who acts in it (for
/// the audit trail).
pub struct Cx {
    pub state: AppState,
    pub lang: Lang,
    pub here: Here,
    pub actor: Actor,
}

impl axum::extract::FromRequestParts<AppState> for Cx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state).await?;
        let here = Here::from_request_parts(parts, state).await?;
        let RequestActor(actor) = RequestActor::from_request_parts(parts, state).await?;
        Ok(Cx {
            state: state.clone(),
            lang,
            here,
            actor,
        })
    }
}

impl Cx {
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// The signed-in user.
    pub fn me(&self) -> Option<&Principal> {
        self.here.me.as_ref()
    }

    /// The page's frame, in the organisation and the navigation's section.
    pub fn chrome(&self, org: Option<Organisation>, section: &'static str) -> Chrome {
        Chrome::new(self.lang, &self.here, org, section)
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// What the signed-in user may do on this system (nothing when no one is).
    pub async fn on_system(&self, org: OrgId, system: SystemId) -> AppResult<OnSystem> {
        abilities(&self.state, &self.here.me, org, system).await
    }
}

/// What the signed-in user (if any) may do on this system: the same answer
/// the permission check gives ([`crate::auth::on_system`]).
pub async fn abilities(
    state: &AppState,
    me: &Option<Principal>,
    org: OrgId,
    system: SystemId,
) -> AppResult<OnSystem> {
    match me {
        Some(me) => crate::auth::on_system(state, me, org, system).await,
        None => Ok(OnSystem::default()),
    }
}

/// After a successful post: to the page that shows the result (303).
pub fn see(to: impl AsRef<str>) -> AppResult<Response> {
    Ok(Redirect::to(to.as_ref()).into_response())
}

/// How a form post went.
pub enum Posted<T> {
    Done(T),
    /// The input was refused, field by field: show the form again with these.
    Invalid(FieldErrors),
}

/// The middle of every form post: the draft the form parsed into goes to
/// `act` (the store); input refused by the parsing or by the store comes back
/// as [`Posted::Invalid`], for the form to be shown again; any other failure
/// is an error.
pub async fn submit<D, T, E>(
    draft: Result<D, FieldErrors>,
    act: impl AsyncFnOnce(D) -> Result<T, E>,
) -> AppResult<Posted<T>>
where
    AppError: From<E>,
{
    let draft = match draft {
        Ok(d) => d,
        Err(e) => return Ok(Posted::Invalid(e)),
    };
    match act(draft).await.map_err(AppError::from) {
        Ok(t) => Ok(Posted::Done(t)),
        Err(AppError::Invalid(e)) => Ok(Posted::Invalid(e)),
        Err(e) => Err(e),
    }
}

/// The previous and next pages' links of a page of a list, `link(n)`
/// being page `n`'s address.
pub fn prev_next<T>(p: &Page<T>, link: impl Fn(u32) -> String) -> (Option<String>, Option<String>) {
    let prev = (p.page > 1).then(|| link(p.page - 1));
    let next = (p.page < p.pages()).then(|| link(p.page + 1));
    (prev, next)
}
