//! The register, the system page, the system form and role assignment.

use super::*;

pub struct SortLink {
    pub href: String,
    /// "ascending", "descending" or "none", for aria-sort.
    pub aria: &'static str,
}

#[derive(Template)]
#[template(path = "register.html")]
pub(super) struct RegisterPage {
    c: Chrome,
    q: SystemQuery,
    rows: Vec<SystemRow>,
    total: i64,
    /// The count stopped at `total` (more matched).
    total_capped: bool,
    first: i64,
    last: i64,
    page: u32,
    pages: u32,
    units: Vec<(Unit, usize)>,
    holder: Option<Person>,
    /// The role-holder field as shown, and whether it named nobody.
    who_text: String,
    who_unknown: bool,
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

    /// "3 / 7", or "3" when the count stopped before the last page.
    pub fn page_of(&self) -> String {
        if self.total_capped {
            self.page.to_string()
        } else {
            format!("{} / {}", self.page, self.pages)
        }
    }

    pub fn sel(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref().unwrap_or("") == option
    }
}

/// The register as `register.xlsx`, `register.csv` or `register.json`.
pub(super) async fn export_register(
    State(state): State<AppState>,
    lang: Lang,
    Path((org, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let format = match file.as_str() {
        "register.xlsx" => "xlsx",
        "register.csv" => "csv",
        "register.json" => "json",
        _ => return Err(AppError::NotFound),
    };
    let bytes = crate::export::register_file(&state.store, o.id, format, lang).await?;
    let media = match format {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/json",
    };
    let disposition = format!("attachment; filename=\"{}-{file}\"", o.slug);
    Ok((
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Everything of the organisation as one file, for administrators
/// (`insyn import-full` loads it into another installation).
pub(super) async fn export_full(
    State(state): State<AppState>,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    crate::export::full_export_download(&state.store, &o).await
}

#[derive(serde::Deserialize)]
pub(super) struct WhoQuery {
    who: Option<String>,
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

pub(super) async fn register(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
    Query(mut q): Query<SystemQuery>,
    Query(who): Query<WhoQuery>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    // The role-holder field takes an e-mail address or a name.
    let who_text = who.who.unwrap_or_default().trim().to_owned();
    let mut who_unknown = false;
    if !who_text.is_empty() {
        match resolve_person(&state, o.id, &who_text).await? {
            Some(id) => q.holder = Some(id.to_string()),
            None => who_unknown = true,
        }
    }
    // A bad parameter in a page link is ignored rather than refused; a
    // search over the limits is said (it would otherwise show everything).
    let req = match q.parse() {
        Ok(r) => r,
        Err(e) if e.get("q").is_some() => return Err(AppError::Invalid(e)),
        Err(_) => ListRequest::default(),
    };
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
        || who_unknown
        || f.no_owner
        || f.include_archived
        || f.capability.is_some()
        || f.tag.is_some();
    Ok(render(&RegisterPage {
        c: Chrome::new(lang, &uri, Some(o), "systems"),
        q,
        total: page.total,
        total_capped: page.total_capped,
        first,
        last,
        page: page.page,
        pages,
        rows: page.items,
        units,
        who_text: match &holder {
            Some(h) if !who_unknown => h.email.clone().unwrap_or_else(|| h.name.clone()),
            _ => who_text,
        },
        who_unknown,
        holder,
        sort_links,
        prev_href,
        next_href,
        filtered,
    }))
}

#[derive(Template)]
#[template(path = "system.html")]
pub(super) struct SystemPage {
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
    /// Editors, and holders of an editing role on this system.
    can_edit_system: bool,
    security: insyn_store::security::SecurityState,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct Flash {
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
    uri: &Here,
    o: Organisation,
    id: SystemId,
    assign: AssignForm,
    flash: Option<String>,
) -> AppResult<SystemPage> {
    let o_id = o.id;
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
    let people_hint = state.store.people_if_few(o.id, 500).await?;
    let overlaps = state.store.overlapping_systems(o.id, id).await?;
    let mut history = state.store.history(o.id, id.0).await?;
    history.reverse();
    let can_edit_system = match &uri.me {
        Some(me) => match me.role_in(o.id) {
            Some(r) if r.allows(Permission::EditSystem) => true,
            Some(_) => state
                .store
                .holds_editing_role(o.id, id, &me.user.email)
                .await
                .unwrap_or(false),
            None => false,
        },
        None => false,
    };
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
        can_edit_system,
        security: state.store.security_state(o_id, id).await?,
    })
}

pub(super) async fn system_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
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
pub(super) struct SystemForm {
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

pub(super) async fn system_form(
    state: &AppState,
    lang: Lang,
    uri: &Here,
    o: Organisation,
    id: Option<SystemId>,
    values: SystemFormValues,
    errors: FieldErrors,
) -> AppResult<Response> {
    let units = insyn_store::units_tree_order(state.store.list_units(o.id).await?);
    let products = state.store.list_products().await?;
    let status = form_status(&errors);
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

pub(super) async fn new_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
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

pub(super) async fn edit_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
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

pub(super) async fn create_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
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

pub(super) async fn update_system(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
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

pub(super) async fn archive_system(
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

pub(super) async fn restore_system(
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
pub(super) async fn resolve_person(
    state: &AppState,
    org: OrgId,
    text: &str,
) -> AppResult<Option<PersonId>> {
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

/// Who may make someone the system owner from the system's page: the
/// register's keepers (editors, coordinators, administrators) or the current
/// owner handing over; holding an editing role on the system is not enough,
/// or a förvaltare could make themselves owner and then sign as owner.
async fn may_assign(
    state: &AppState,
    me: &crate::auth::Principal,
    org: OrgId,
    system: SystemId,
    role: RoleTypeId,
) -> AppResult<bool> {
    let Ok(rt) = state.store.get_role_type(org, role).await else {
        return Ok(true); // an unknown role type is reported by the store
    };
    if rt.code != SYSTEM_OWNER
        || me
            .role_in(org)
            .is_some_and(|r| r.allows(Permission::EditRegister))
    {
        return Ok(true);
    }
    Ok(state
        .store
        .holds_role(org, system, &me.user.email, SYSTEM_OWNER)
        .await?)
}

pub(super) async fn assign_role(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    me: crate::auth::Principal,
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
    match role {
        None => errors.add("role_type_id", v::REQUIRED),
        Some(r) if !may_assign(&state, &me, o.id, id, r).await? => {
            errors.add("role_type_id", "error-owner-assign-not-allowed")
        }
        Some(_) => {}
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

pub(super) async fn end_assignment(
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
