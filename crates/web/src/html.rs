//! The pages. Every action is a plain link or form post; a successful post
//! redirects (post/redirect/get), a failed one shows the form again with the
//! typed values, an error summary at the top and a message beside each field.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{RequestActor, lang_of};
use crate::forms::{FormData, SystemFormValues, system_draft};
use crate::i18n::Lang;
use crate::query::{ListRequest, PageQuery, SystemQuery};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::{AssignmentView, AuditEvent, SystemRow, UnitNode};
use std::str::FromStr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/lang/{code}", get(set_lang))
        .route("/static/insyn.css", get(stylesheet))
        .route("/o/{org}", get(org_page))
        .route("/o/{org}/systems", get(register).post(create_system))
        .route("/o/{org}/systems/new", get(new_system))
        .route(
            "/o/{org}/systems/{id}",
            get(system_page).post(update_system),
        )
        .route("/o/{org}/systems/{id}/edit", get(edit_system))
        .route("/o/{org}/systems/{id}/archive", post(archive_system))
        .route("/o/{org}/systems/{id}/restore", post(restore_system))
        .route("/o/{org}/systems/{id}/roles", post(assign_role))
        .route("/o/{org}/assignments/{id}/end", post(end_assignment))
        .route("/o/{org}/people", get(people_page))
        .route("/o/{org}/people/{id}", get(person_page))
        .route("/o/{org}/units/{id}", get(unit_page))
}

/// What the layout needs on every page.
pub struct Chrome {
    pub lang: Lang,
    /// The current path and query, for the language switch to come back to.
    pub here: String,
    pub org: Option<Organisation>,
    /// Which main navigation entry is current.
    pub section: &'static str,
}

impl Chrome {
    fn new(
        lang: Lang,
        uri: &OriginalUri,
        org: Option<Organisation>,
        section: &'static str,
    ) -> Self {
        Self {
            lang,
            here: uri
                .0
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            org,
            section,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.lang.other().code(),
            urlencode(&self.here)
        )
    }

    pub fn org_slug(&self) -> &str {
        self.org.as_ref().map(|o| o.slug.as_str()).unwrap_or("")
    }

    pub fn lifecycle(&self, l: impl Val<Lifecycle>) -> String {
        self.lang.t(&format!("lifecycle-{}", l.val().as_str()))
    }

    pub fn hosting(&self, h: impl Val<Hosting>) -> String {
        self.lang.t(&format!("hosting-{}", h.val().as_str()))
    }

    pub fn yes_no(&self, b: impl Val<bool>) -> String {
        self.lang.t(if b.val() { "yes" } else { "no" })
    }

    pub fn date(&self, d: impl Val<Option<NaiveDate>>) -> String {
        d.val().map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn count(&self, n: impl Val<Option<i64>>) -> String {
        n.val().map(group_digits).unwrap_or_default()
    }

    pub fn role_name(&self, a: &AssignmentView) -> String {
        a.role_name(self.lang.code()).to_owned()
    }

    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> String {
        errors
            .get(field)
            .map(|c| self.lang.t(c))
            .unwrap_or_default()
    }
}

/// A copyable value, whether askama hands it over by value or by reference.
pub trait Val<T> {
    fn val(&self) -> T;
}

macro_rules! val {
    ($($t:ty),*) => {$(
        impl Val<$t> for $t { fn val(&self) -> $t { *self } }
        impl Val<$t> for &$t { fn val(&self) -> $t { **self } }
        impl Val<$t> for &&$t { fn val(&self) -> $t { ***self } }
    )*};
}
val!(
    Lifecycle,
    Hosting,
    bool,
    Option<NaiveDate>,
    Option<i64>,
    i64
);

/// 1250 → "1 250", as Swedish writes numbers (a no-break space).
pub fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            AppError::Internal.into_response()
        }
    }
}

fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut r = render(t);
    *r.status_mut() = status;
    r
}

fn parse_id<T: FromStr>(s: &str) -> AppResult<T> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn org_of(state: &AppState, slug: &str) -> AppResult<Organisation> {
    Ok(state.store.org_by_slug(slug).await?)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: String,
    detail: String,
}

/// Turns an error response from a page handler into a page in the user's language.
pub async fn html_errors(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let uri = OriginalUri(req.uri().clone());
    let resp = next.run(req).await;
    let Some(err) = resp.extensions().get::<AppError>().cloned() else {
        return resp;
    };
    let detail = match &err {
        AppError::NotFound => lang.t("error-not-found-detail"),
        AppError::Invalid(e) => {
            e.0.iter()
                .map(|x| {
                    let label = lang.t(&format!("field-{}", x.field.replace('_', "-")));
                    format!("{label}: {}", lang.t(x.code))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        AppError::BadRequest(_) => lang.t("error-bad-request-detail"),
        AppError::Internal => lang.t("error-internal-detail"),
    };
    render_status(
        err.status(),
        &ErrorPage {
            c: Chrome::new(lang, &uri, None, ""),
            title: lang.t(err.title_key()),
            detail,
        },
    )
}

pub async fn not_found(lang: Lang, uri: OriginalUri) -> Response {
    if uri.0.path().starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    render_status(
        StatusCode::NOT_FOUND,
        &ErrorPage {
            c: Chrome::new(lang, &uri, None, ""),
            title: lang.t("error-not-found"),
            detail: lang.t("error-not-found-detail"),
        },
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/insyn.css"),
    )
}

#[derive(serde::Deserialize)]
struct Next_ {
    next: Option<String>,
}

/// Sets the language cookie and goes back to where the user was.
async fn set_lang(Path(code): Path<String>, Query(q): Query<Next_>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only local paths: never redirect elsewhere.
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// A path on this site: one leading slash, no scheme or host, no backslash
/// or control character that a browser could read as another host.
pub fn is_local_path(s: &str) -> bool {
    s.starts_with('/')
        && !s[1..].starts_with(['/', '\\'])
        && !s
            .chars()
            .any(|c| c.is_control() || c == '\\' || c.is_whitespace())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    orgs: Vec<Organisation>,
}

async fn home(State(state): State<AppState>, lang: Lang, uri: OriginalUri) -> AppResult<Response> {
    let orgs = state.store.list_orgs().await?;
    if orgs.len() == 1 {
        return Ok(Redirect::to(&format!("/o/{}/systems", orgs[0].slug)).into_response());
    }
    Ok(render(&HomePage {
        c: Chrome::new(lang, &uri, None, "home"),
        orgs,
    }))
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    c: Chrome,
    tree: Vec<UnitNode>,
    overlaps: Vec<(String, i64)>,
    companies: Vec<Organisation>,
    parent: Option<Organisation>,
}

async fn org_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let tree = state.store.unit_tree(o.id).await?;
    let overlaps = state.store.capability_overlaps(o.id).await?;
    let all = state.store.list_orgs().await?;
    let companies = all
        .iter()
        .filter(|x| x.parent_id == Some(o.id))
        .cloned()
        .collect();
    let parent = all.iter().find(|x| Some(x.id) == o.parent_id).cloned();
    Ok(render(&OrgPage {
        c: Chrome::new(lang, &uri, Some(o), "org"),
        tree,
        overlaps,
        companies,
        parent,
    }))
}

/// A column header link that sorts by the column (toggling direction).
pub struct SortLink {
    pub href: String,
    /// "ascending", "descending" or "none", for aria-sort.
    pub aria: &'static str,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    c: Chrome,
    q: SystemQuery,
    rows: Vec<SystemRow>,
    total: i64,
    first: i64,
    last: i64,
    page: u32,
    pages: u32,
    units: Vec<(Unit, usize)>,
    holder: Option<Person>,
    sort_links: Vec<(&'static str, SortLink)>,
    prev_href: Option<String>,
    next_href: Option<String>,
    filtered: bool,
}

impl RegisterPage {
    pub fn sort_link(&self, col: &str) -> &SortLink {
        &self
            .sort_links
            .iter()
            .find(|(c, _)| *c == col)
            .expect("every sortable column has a link")
            .1
    }

    pub fn sel(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref().unwrap_or("") == option
    }
}

fn with_params(base: &str, q: &SystemQuery) -> String {
    let s = serde_urlencoded::to_string(q).unwrap_or_default();
    // Drop empty parameters so links stay short.
    let kept: Vec<&str> = s
        .split('&')
        .filter(|kv| !kv.ends_with('=') && !kv.is_empty())
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

async fn register(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path(org): Path<String>,
    Query(q): Query<SystemQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    // A bad parameter in a page link is ignored rather than refused.
    let req = q.parse().unwrap_or_else(|_| ListRequest::default());
    let page = state
        .store
        .list_systems(o.id, &req.filter, req.sort, req.desc, req.page)
        .await?;
    let units = insyn_store::units_tree_order(state.store.list_units(o.id).await?);
    let holder = match req.filter.holder_id {
        Some(h) => state.store.get_person(o.id, h).await.ok(),
        None => None,
    };
    let base = format!("/o/{}/systems", o.slug);
    let sort_links = SystemSort::ALL
        .iter()
        .map(|s| {
            let current = req.sort == *s;
            let mut nq = q.clone();
            nq.sort = Some(s.as_str().to_owned());
            nq.desc = (current && !req.desc).then(|| "true".to_owned());
            nq.page = None;
            (
                s.as_str(),
                SortLink {
                    href: with_params(&base, &nq),
                    aria: match (current, req.desc) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                },
            )
        })
        .collect();
    let pages = page.pages();
    let link_to = |n: u32| {
        let mut nq = q.clone();
        nq.page = Some(n.to_string());
        with_params(&base, &nq)
    };
    let prev_href = (page.page > 1).then(|| link_to(page.page - 1));
    let next_href = (page.page < pages).then(|| link_to(page.page + 1));
    let first = if page.total == 0 {
        0
    } else {
        req.page.offset() + 1
    };
    let last = req.page.offset() + page.items.len() as i64;
    let f = &req.filter;
    let filtered = f.q.is_some()
        || f.unit_id.is_some()
        || f.lifecycle.is_some()
        || f.business_critical.is_some()
        || f.holder_id.is_some()
        || f.no_owner
        || f.include_archived
        || f.capability.is_some()
        || f.tag.is_some();
    Ok(render(&RegisterPage {
        c: Chrome::new(lang, &uri, Some(o), "systems"),
        q,
        total: page.total,
        first,
        last,
        page: page.page,
        pages,
        rows: page.items,
        units,
        holder,
        sort_links,
        prev_href,
        next_href,
        filtered,
    }))
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    c: Chrome,
    s: System,
    responsible_unit: Option<Unit>,
    using_units: Vec<Unit>,
    product: Option<Product>,
    roles: Vec<AssignmentView>,
    role_types: Vec<RoleType>,
    people_hint: Vec<Person>,
    overlaps: Vec<(String, SystemId, String)>,
    history: Vec<AuditEvent>,
    assign: AssignForm,
    today: String,
    flash: Option<String>,
}

impl SystemPage {
    pub fn changed_fields(&self, e: &AuditEvent) -> String {
        e.changes
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    }
}

#[derive(serde::Deserialize, Default)]
struct Flash {
    saved: Option<String>,
}

/// The role form on the system page, as typed, with its errors.
#[derive(Default)]
pub struct AssignForm {
    pub errors: FieldErrors,
    pub person: String,
    pub role: String,
    pub start: String,
}

async fn system_view(
    state: &AppState,
    lang: Lang,
    uri: &OriginalUri,
    o: Organisation,
    id: SystemId,
    assign: AssignForm,
    flash: Option<String>,
) -> AppResult<SystemPage> {
    let s = state.store.get_system(o.id, id).await?;
    let units = state.store.list_units(o.id).await?;
    let responsible_unit = units
        .iter()
        .find(|u| Some(u.id) == s.responsible_unit_id)
        .cloned();
    let using_units = units
        .iter()
        .filter(|u| s.using_unit_ids.contains(&u.id))
        .cloned()
        .collect();
    let product = match s.product_id {
        Some(p) => state.store.get_product(p).await.ok(),
        None => None,
    };
    let roles = state.store.system_roles(o.id, id).await?;
    let role_types = state
        .store
        .list_role_types(o.id)
        .await?
        .into_iter()
        .filter(|r| r.scope == RoleScope::System)
        .collect();
    let people = state
        .store
        .list_people(o.id, None, PageRequest::new(Some(1), Some(500)))
        .await?;
    let people_hint = if people.total <= 500 {
        people.items
    } else {
        vec![]
    };
    let overlaps = state.store.overlapping_systems(o.id, id).await?;
    let mut history = state.store.history(o.id, id.0).await?;
    history.reverse();
    Ok(SystemPage {
        c: Chrome::new(lang, uri, Some(o), "systems"),
        s,
        responsible_unit,
        using_units,
        product,
        roles,
        role_types,
        people_hint,
        overlaps,
        history,
        today: if assign.start.is_empty() {
            chrono::Utc::now().date_naive().to_string()
        } else {
            assign.start.clone()
        },
        assign,
        flash,
    })
}

async fn system_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path((org, sid)): Path<(String, String)>,
    Query(flash): Query<Flash>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let flash = flash.saved.map(|_| lang.t("flash-saved"));
    let page = system_view(
        &state,
        lang,
        &uri,
        o,
        parse_id(&sid)?,
        AssignForm::default(),
        flash,
    )
    .await?;
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "system_form.html")]
struct SystemForm {
    c: Chrome,
    /// None for a new system.
    id: Option<SystemId>,
    values: SystemFormValues,
    errors: FieldErrors,
    units: Vec<(Unit, usize)>,
    products: Vec<Product>,
}

impl SystemForm {
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/o/{}/systems/{id}", self.c.org_slug()),
            None => format!("/o/{}/systems", self.c.org_slug()),
        }
    }

    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    pub fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    /// Attributes that tie a field to its error message for screen readers.
    pub fn described(&self, field: &str) -> String {
        if self.has_err(field) {
            format!("aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }

    pub fn label_of(&self, field: &str) -> String {
        self.c.t(&format!("field-{}", field.replace('_', "-")))
    }
}

async fn system_form(
    state: &AppState,
    lang: Lang,
    uri: &OriginalUri,
    o: Organisation,
    id: Option<SystemId>,
    values: SystemFormValues,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = insyn_store::units_tree_order(state.store.list_units(o.id).await?);
    let products = state.store.list_products().await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &SystemForm {
            c: Chrome::new(lang, uri, Some(o), "systems"),
            id,
            values,
            errors,
            units,
            products,
        },
    ))
}

async fn new_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    system_form(
        &state,
        lang,
        &uri,
        o,
        None,
        SystemFormValues::new_system(),
        FieldErrors::new(),
    )
    .await
}

async fn edit_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let s = state.store.get_system(o.id, parse_id(&sid)?).await?;
    system_form(
        &state,
        lang,
        &uri,
        o,
        Some(s.id),
        SystemFormValues::from_system(&s),
        FieldErrors::new(),
    )
    .await
}

async fn create_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    RequestActor(actor): RequestActor,
    Path(org): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let form = FormData::parse(&body);
    let result = match system_draft(&form) {
        Ok(d) => state
            .store
            .create_system(&actor, o.id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(s) => {
            Ok(Redirect::to(&format!("/o/{}/systems/{}?saved=1", o.slug, s.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            system_form(
                &state,
                lang,
                &uri,
                o,
                None,
                SystemFormValues::from_form(&form),
                errors,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

async fn update_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let id: SystemId = parse_id(&sid)?;
    let form = FormData::parse(&body);
    let result = match system_draft(&form) {
        Ok(d) => state
            .store
            .update_system(&actor, o.id, id, d)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(s) => {
            Ok(Redirect::to(&format!("/o/{}/systems/{}?saved=1", o.slug, s.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            // The system must exist (and be this organisation's) to show its form again.
            state.store.get_system(o.id, id).await?;
            system_form(
                &state,
                lang,
                &uri,
                o,
                Some(id),
                SystemFormValues::from_form(&form),
                errors,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

async fn archive_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let s = state
        .store
        .archive_system(&actor, o.id, parse_id(&sid)?)
        .await?;
    Ok(Redirect::to(&format!("/o/{}/systems/{}?saved=1", o.slug, s.id)).into_response())
}

async fn restore_system(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let s = state
        .store
        .restore_system(&actor, o.id, parse_id(&sid)?)
        .await?;
    Ok(Redirect::to(&format!("/o/{}/systems/{}?saved=1", o.slug, s.id)).into_response())
}

/// Finds a person by e-mail, or by a name that only one person has.
async fn resolve_person(state: &AppState, org: OrgId, text: &str) -> AppResult<Option<PersonId>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = text.parse::<PersonId>() {
        return Ok(state.store.get_person(org, id).await.ok().map(|p| p.id));
    }
    // "Name <mail>" as the suggestion list shows it.
    let key = text
        .rsplit_once('<')
        .map(|(_, m)| m.trim_end_matches('>').trim())
        .unwrap_or(text)
        .to_lowercase();
    let found = state
        .store
        .list_people(org, Some(&key), PageRequest::new(Some(1), Some(20)))
        .await?;
    let exact: Vec<&Person> = found
        .items
        .iter()
        .filter(|p| p.email.as_deref() == Some(key.as_str()) || p.name.to_lowercase() == key)
        .collect();
    Ok(if exact.len() == 1 {
        Some(exact[0].id)
    } else {
        None
    })
}

async fn assign_role(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    RequestActor(actor): RequestActor,
    Path((org, sid)): Path<(String, String)>,
    body: Bytes,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let id: SystemId = parse_id(&sid)?;
    let form = FormData::parse(&body);
    let mut errors = FieldErrors::new();
    let person = resolve_person(&state, o.id, form.get("person")).await?;
    if person.is_none() {
        errors.add(
            "person",
            if form.get("person").is_empty() {
                v::REQUIRED
            } else {
                v::UNKNOWN_REFERENCE
            },
        );
    }
    let role: Option<RoleTypeId> = form.get("role_type_id").parse().ok();
    if role.is_none() {
        errors.add("role_type_id", v::REQUIRED);
    }
    let start = match form.get("start_date") {
        "" => Some(chrono::Utc::now().date_naive()),
        s => v::parse_date(s)
            .map_err(|c| errors.add("start_date", c))
            .ok(),
    };
    if let (true, Some(person), Some(role), Some(start)) = (errors.is_empty(), person, role, start)
    {
        let draft = AssignmentDraft {
            role_type_id: role,
            person_id: person,
            system_id: Some(id),
            unit_id: None,
            start_date: start,
            end_date: None,
            note: form.opt("note"),
        };
        match state.store.assign_role(&actor, o.id, draft).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/o/{}/systems/{id}?saved=1#roller", o.slug))
                        .into_response(),
                );
            }
            Err(insyn_store::StoreError::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    }
    let page = system_view(
        &state,
        lang,
        &uri,
        o,
        id,
        AssignForm {
            errors,
            person: form.get("person").to_owned(),
            role: form.get("role_type_id").to_owned(),
            start: form.get("start_date").to_owned(),
        },
        None,
    )
    .await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

async fn end_assignment(
    State(state): State<AppState>,
    RequestActor(actor): RequestActor,
    Path((org, aid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let today = chrono::Utc::now().date_naive();
    let id: AssignmentId = parse_id(&aid)?;
    let current = state.store.get_assignment(o.id, id).await?;
    let end = current.assignment.end_for(today);
    let a = state.store.end_assignment(&actor, o.id, id, end).await?;
    let back = match (a.system_id, a.unit_id) {
        (Some(s), _) => format!("/o/{}/systems/{s}?saved=1#roller", o.slug),
        (None, Some(u)) => format!("/o/{}/units/{u}", o.slug),
        _ => format!("/o/{}/people/{}", o.slug, a.person_id),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    c: Chrome,
    q: String,
    people: Page<Person>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

async fn people_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path(org): Path<String>,
    Query(pq): Query<PageQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let (q, page) = pq.parse().unwrap_or((None, PageRequest::default()));
    let people = state.store.list_people(o.id, q.as_deref(), page).await?;
    let base = format!("/o/{}/people", o.slug);
    let link = |n: u32| {
        let mut x = pq.clone();
        x.page = Some(n.to_string());
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&x).unwrap_or_default()
        )
    };
    let prev_href = (people.page > 1).then(|| link(people.page - 1));
    let next_href = (people.page < people.pages()).then(|| link(people.page + 1));
    Ok(render(&PeoplePage {
        c: Chrome::new(lang, &uri, Some(o), "people"),
        q: q.unwrap_or_default(),
        people,
        prev_href,
        next_href,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: Person,
    unit: Option<Unit>,
    current: Vec<AssignmentView>,
    past: Vec<AssignmentView>,
}

async fn person_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path((org, pid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let p = state.store.get_person(o.id, parse_id(&pid)?).await?;
    let unit = match p.unit_id {
        Some(u) => state.store.get_unit(o.id, u).await.ok(),
        None => None,
    };
    let (current, past) = state
        .store
        .person_roles(o.id, p.id)
        .await?
        .into_iter()
        .partition(|a| a.current);
    Ok(render(&PersonPage {
        c: Chrome::new(lang, &uri, Some(o), "people"),
        p,
        unit,
        current,
        past,
    }))
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    c: Chrome,
    u: Unit,
    path: Vec<Unit>,
    children: Vec<UnitNode>,
    systems: Page<SystemRow>,
    roles: Vec<AssignmentView>,
}

async fn unit_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: OriginalUri,
    Path((org, uid)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let u = state.store.get_unit(o.id, parse_id(&uid)?).await?;
    let tree = state.store.unit_tree(o.id).await?;
    let children = tree
        .iter()
        .filter(|n| n.unit.parent_id == Some(u.id))
        .cloned()
        .collect();
    // The way up to the top of the tree, for the breadcrumb.
    let mut path = vec![];
    let mut up = u.parent_id;
    while let Some(p) = up {
        match tree.iter().find(|n| n.unit.id == p) {
            Some(n) if path.len() < 32 => {
                path.insert(0, n.unit.clone());
                up = n.unit.parent_id;
            }
            _ => break,
        }
    }
    let filter = SystemFilter {
        unit_id: Some(u.id),
        ..Default::default()
    };
    let systems = state
        .store
        .list_systems(
            o.id,
            &filter,
            SystemSort::Name,
            false,
            PageRequest::new(Some(1), Some(200)),
        )
        .await?;
    let roles = state.store.unit_roles(o.id, u.id).await?;
    Ok(render(&UnitPage {
        c: Chrome::new(lang, &uri, Some(o), "org"),
        u,
        path,
        children,
        systems,
        roles,
    }))
}
