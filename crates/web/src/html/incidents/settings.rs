//! The organisation's incident setting (administrators): whether its readers
//! may see (never change) every incident. Off by default.

use super::{Chrome, Cx, render, see};
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::forms::FormData;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;

#[derive(Template)]
#[template(path = "incident_settings.html")]
struct SettingsPage {
    c: Chrome,
    readers: bool,
    saved: bool,
}

#[derive(serde::Deserialize, Default)]
pub(in crate::html) struct Saved {
    saved: Option<String>,
}

pub(in crate::html) async fn settings_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let readers = cx.store().incident_readers(org.id).await?;
    Ok(render(&SettingsPage {
        c: cx.chrome(Some(org), "org"),
        readers,
        saved: q.saved.is_some(),
    }))
}

/// The box ticked lets readers see incidents; unticked, it stops it.
pub(in crate::html) async fn save_settings(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let readers = form.all("readers").contains(&"on");
    cx.store()
        .set_incident_readers(&cx.actor, org.id, readers)
        .await?;
    see(format!("/o/{}/settings/incidents?saved=1", org.slug))
}
