//! Incidents in the API: the register, each incident with its clocks as
//! they stand now, and every change to it. Anyone of the organisation may
//! report an incident; seeing and handling one is the domain's rule
//! (`incident::may_see`, `may_handle`) on facts the store gathers (`crate::incident_access`). An incident
//! the caller may not see is answered 404, as if it did not exist.

use crate::api::support::{Acting, Created, area, created, list_type};
use crate::auth::Principal;
use crate::compilation::PeriodQuery;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, Query};
use crate::incident_access::{facts, handled};
use crate::query::PagingQuery;
use axum::Json;
use chrono::Utc;
use insyn_domain::incident::*;
use insyn_domain::validation::{self as v, FieldErrors};
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::incidents::{IncidentFilter, IncidentView, ReportDraft};
use serde::Deserialize;

area! {
    GET "/orgs/{org}/incidents" => list_incidents, Read;
    POST "/orgs/{org}/incidents" => report_incident, Read;
    GET "/orgs/{org}/incidents/{incident}" => get_incident, Read;
    PUT "/orgs/{org}/incidents/{incident}" => update_incident, Read;
    POST "/orgs/{org}/incidents/{incident}/status" => change_status, Read;
    POST "/orgs/{org}/incidents/{incident}/assessment" => assess, Read;
    POST "/orgs/{org}/incidents/{incident}/clocks/{deadline}" => record_clock, Read;
    POST "/orgs/{org}/incidents/{incident}/notes" => add_note, Read;
    POST "/orgs/{org}/incidents/{incident}/actions" => add_action, Read;
    PUT "/orgs/{org}/incidents/{incident}/actions/{action}" => update_action, Read;
    GET "/orgs/{org}/incident-compilation" => compilation, HandleIncidents;
    GET "/orgs/{org}/incidents/{incident}/drafts/{deadline}" => report_draft, Read;
    GET "/orgs/{org}/incident-settings" => get_settings, Read;
    PUT "/orgs/{org}/incident-settings" => set_settings, Administer;
}

list_type!(IncidentList(Incident));

/// Which incidents to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    /// `true`: only those still being handled.
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
    /// Only those touching this system.
    #[param(value_type = Option<uuid::Uuid>)]
    pub system: Option<String>,
}

impl IncidentQuery {
    fn parse(&self) -> Result<(PageRequest, IncidentFilter), FieldErrors> {
        let paging = PagingQuery {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        };
        let mut e = FieldErrors::new();
        let page = paging.parse().unwrap_or_else(|more| {
            e.0.extend(more.0);
            PageRequest::default()
        });
        let open = match self.open.as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                e.add("open", v::UNKNOWN_CHOICE);
                false
            }
        };
        let system = match self.system.as_deref().map(str::trim) {
            None => None,
            Some(s) => match s.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("system", v::UNKNOWN_REFERENCE);
                    None
                }
            },
        };
        let filter = IncidentFilter {
            open,
            system,
            visible_to: None,
        };
        e.into_result((page, filter))
    }
}

/// The incident as it stands now.
async fn view(store: &Store, org: OrgId, id: IncidentId) -> AppResult<Json<IncidentView>> {
    Ok(Json(store.incident(org, id, Utc::now()).await?))
}

/// The organisation's incidents that the caller may see, the latest known
/// first: all of them for the IT-säkerhetssamordnare and administrators
/// (and for everyone with a role when the organisation lets readers see
/// incidents), otherwise those they reported and those on systems where they hold a role.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/incidents", tag = "incidents",
    params(("org" = String, Path), IncidentQuery),
    responses((status = 200, body = IncidentList), (status = 422)))]
async fn list_incidents(
    Acting { store, .. }: Acting,
    me: Principal,
    at: OrgPath,
    Query(q): Query<IncidentQuery>,
) -> AppResult<Json<IncidentList>> {
    let (page, mut filter) = q.parse().map_err(AppError::Invalid)?;
    if !crate::incident_access::sees_all(&store, &me, at.id()).await? {
        filter.visible_to = Some(me.user.email.clone());
    }
    Ok(Json(store.incidents(at.id(), filter, page).await?.into()))
}

/// Reports an incident. Every clock runs from `aware_at`.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents", tag = "incidents",
    request_body = IncidentDraft,
    params(("org" = String, Path)),
    responses((status = 201, body = Incident), (status = 422)))]
async fn report_incident(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(draft): ApiJson<IncidentDraft>,
) -> AppResult<Created<Incident>> {
    Ok(created(
        store
            .report_incident(&actor, at.id(), draft, Utc::now())
            .await?,
    ))
}

/// An incident with its systems, information sets, timeline, actions and
/// every clock as it stands now.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/incidents/{incident}", tag = "incidents",
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentView), (status = 404)))]
async fn get_incident(
    Acting { store, .. }: Acting,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<IncidentView>> {
    let (id, _) = facts(&store, &me, &at).await?;
    view(&store, at.id(), id).await
}

/// Changes what is recorded of an incident.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/incidents/{incident}", tag = "incidents",
    request_body = IncidentDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403), (status = 404), (status = 422)))]
async fn update_incident(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<IncidentDraft>,
) -> AppResult<Json<Incident>> {
    let id = handled(&store, &me, &at).await?;
    Ok(Json(
        store
            .update_incident(&actor, at.id(), id, draft, Utc::now())
            .await?,
    ))
}

/// Moves the incident's status: forward, dismissed with a reason, or
/// reopened.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents/{incident}/status", tag = "incidents",
    request_body = StatusChange,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403), (status = 404), (status = 422)))]
async fn change_status(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(change): ApiJson<StatusChange>,
) -> AppResult<Json<Incident>> {
    let id = handled(&store, &me, &at).await?;
    Ok(Json(
        store
            .change_incident_status(&actor, at.id(), id, change, Utc::now())
            .await?,
    ))
}

/// Records whether the incident is significant under cybersäkerhetslagen,
/// and why: the NIS2 clocks run only for a significant one.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents/{incident}/assessment", tag = "incidents",
    request_body = SignificanceDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403), (status = 404), (status = 422)))]
async fn assess(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<SignificanceDraft>,
) -> AppResult<Json<Incident>> {
    let id = handled(&store, &me, &at).await?;
    Ok(Json(
        store
            .assess_incident(&actor, at.id(), id, draft, Utc::now())
            .await?,
    ))
}

/// Records the report made on one clock (when, and its reference), or sets
/// the clock aside with the reason (only a clock the profile allows).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents/{incident}/clocks/{deadline}", tag = "incidents",
    request_body = ClockEventDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path), ("deadline" = String, Path, description = "The deadline's id in the policy profile, e.g. gdpr-imy")),
    responses((status = 200, body = IncidentView), (status = 403), (status = 404), (status = 422)))]
async fn record_clock(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<ClockEventDraft>,
) -> AppResult<Json<IncidentView>> {
    let id = handled(&store, &me, &at).await?;
    let deadline: String = at.params.id("deadline")?;
    store
        .record_clock(&actor, at.id(), id, &deadline, draft, Utc::now())
        .await?;
    view(&store, at.id(), id).await
}

/// Writes a note into the incident's timeline.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents/{incident}/notes", tag = "incidents",
    request_body = TimelineDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentView), (status = 403), (status = 404), (status = 422)))]
async fn add_note(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<TimelineDraft>,
) -> AppResult<Json<IncidentView>> {
    let id = handled(&store, &me, &at).await?;
    store
        .note_incident(&actor, at.id(), id, draft, Utc::now())
        .await?;
    view(&store, at.id(), id).await
}

/// Adds an action (åtgärd) with its owner and due date.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/incidents/{incident}/actions", tag = "incidents",
    request_body = ActionDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentView), (status = 403), (status = 404), (status = 422)))]
async fn add_action(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<ActionDraft>,
) -> AppResult<Json<IncidentView>> {
    let id = handled(&store, &me, &at).await?;
    store
        .add_incident_action(&actor, at.id(), id, draft)
        .await?;
    view(&store, at.id(), id).await
}

/// Changes an action, e.g. marks it done.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/incidents/{incident}/actions/{action}", tag = "incidents",
    request_body = ActionDraft,
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path), ("action" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentView), (status = 403), (status = 404), (status = 422)))]
async fn update_action(
    Acting { store, actor }: Acting,
    me: Principal,
    at: OrgPath,
    ApiJson(draft): ApiJson<ActionDraft>,
) -> AppResult<Json<IncidentView>> {
    let id = handled(&store, &me, &at).await?;
    let action = at.params.id("action")?;
    store
        .update_incident_action(&actor, at.id(), id, action, draft)
        .await?;
    view(&store, at.id(), id).await
}

/// The compilation of the incidents the organisation became aware of in a
/// period: counts per type, severity, system and unit, median times to
/// awareness and containment, and how each reporting clock went. As JSON,
/// or with `format=csv` as CSV with the same figures.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/incident-compilation", tag = "incidents",
    params(("org" = String, Path), PeriodQuery),
    responses(
        (status = 200, content((Compilation = "application/json"), (String = "text/csv"))),
        (status = 403), (status = 422)))]
async fn compilation(
    Acting { store, .. }: Acting,
    at: OrgPath,
    Query(q): Query<PeriodQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let p = q.parse().map_err(AppError::Invalid)?;
    let c = crate::compilation::compile(&store, at.id(), p).await?;
    Ok(if p.csv {
        crate::compilation::csv_response(p, &c)
    } else {
        Json(c).into_response()
    })
}

/// The report one clock asks for (GDPR art. 33.3 for IMY, the NIS2 early
/// warning, notification or final report, or the internal report),
/// pre-filled from the incident and the register, with the recipient and
/// channel of the profile's deadline.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/incidents/{incident}/drafts/{deadline}", tag = "incidents",
    params(("org" = String, Path), ("incident" = uuid::Uuid, Path), ("deadline" = String, Path, description = "The deadline's id in the policy profile, e.g. gdpr-imy")),
    responses((status = 200, body = ReportDraft), (status = 404)))]
async fn report_draft(
    Acting { store, .. }: Acting,
    me: Principal,
    at: OrgPath,
) -> AppResult<Json<ReportDraft>> {
    let (id, _) = facts(&store, &me, &at).await?;
    let deadline: String = at.params.id("deadline")?;
    Ok(Json(
        store
            .incident_report_draft(at.id(), id, &deadline, Utc::now())
            .await?,
    ))
}

/// The organisation's incident setting.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentSettings {
    /// Everyone with an account in the organisation (readers, editors) may
    /// see every incident, never change one. Off by default.
    pub readers_see_incidents: bool,
}

impl v::Validate for IncidentSettings {
    fn problems(&self) -> FieldErrors {
        FieldErrors::new()
    }
}

#[utoipa::path(get, path = "/api/v1/orgs/{org}/incident-settings", tag = "incidents",
    params(("org" = String, Path)),
    responses((status = 200, body = IncidentSettings), (status = 404)))]
async fn get_settings(
    Acting { store, .. }: Acting,
    at: OrgPath,
) -> AppResult<Json<IncidentSettings>> {
    Ok(Json(IncidentSettings {
        readers_see_incidents: store.incident_readers(at.id()).await?,
    }))
}

/// Lets the organisation's readers see its incidents, or stops it (audited).
#[utoipa::path(put, path = "/api/v1/orgs/{org}/incident-settings", tag = "incidents",
    request_body = IncidentSettings,
    params(("org" = String, Path)),
    responses((status = 200, body = IncidentSettings), (status = 404), (status = 422)))]
async fn set_settings(
    Acting { store, actor }: Acting,
    at: OrgPath,
    ApiJson(body): ApiJson<IncidentSettings>,
) -> AppResult<Json<IncidentSettings>> {
    store
        .set_incident_readers(&actor, at.id(), body.readers_see_incidents)
        .await?;
    Ok(Json(body))
}
