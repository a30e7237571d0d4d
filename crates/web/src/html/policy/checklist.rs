//! The checklist of the annual review, edited as text: one item per line.

use crate::AppState;
use crate::context::OrgPath;
use crate::error::AppResult;
use crate::extract::RequestActor;
use crate::forms::FormData;
use crate::html::{Chrome, Here, render, render_status};
use crate::i18n::Lang;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use insyn_domain::FieldErrors;
use insyn_domain::policy::ChecklistItem;
use insyn_store::StoreError;

#[derive(Template)]
#[template(path = "checklist.html")]
pub(super) struct ChecklistPage {
    c: Chrome,
    text: String,
    errors: FieldErrors,
}

fn checklist_text(items: &[ChecklistItem]) -> String {
    items
        .iter()
        .map(|i| {
            if i.text_en.trim().is_empty() || i.text_en == i.text_sv {
                i.text_sv.clone()
            } else {
                format!("{} | {}", i.text_sv, i.text_en)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One item per line: "Swedish text | English text" (the English part optional).
/// Items keep the ids of the items whose Swedish text they repeat.
fn parse_checklist(text: &str, before: &[ChecklistItem]) -> Vec<ChecklistItem> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (sv, en) = match line.split_once('|') {
            Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
            None => (line.to_owned(), line.to_owned()),
        };
        let old = before.iter().find(|i| i.text_sv == sv);
        let mut id = old
            .map(|i| i.id.clone())
            .unwrap_or_else(|| format!("item-{}", out.len() + 1));
        while !used.insert(id.clone()) {
            id.push_str("-b");
        }
        out.push(ChecklistItem {
            id,
            text_sv: sv,
            text_en: en,
            cite: old.and_then(|i| i.cite.clone()),
        });
    }
    out
}

pub(in crate::html) async fn checklist_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    OrgPath { org: o, .. }: OrgPath,
) -> AppResult<Response> {
    let p = state.store.active_profile(o.id).await?;
    Ok(render(&ChecklistPage {
        c: Chrome::new(lang, &uri, Some(o), "policy"),
        text: checklist_text(&p.profile.checklist),
        errors: FieldErrors::new(),
    }))
}

pub(in crate::html) async fn checklist_save(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    OrgPath { org: o, .. }: OrgPath,
    body: Bytes,
) -> AppResult<Response> {
    let f = FormData::parse(&body);
    let text = f.get("items").to_owned();
    let before = state.store.active_profile(o.id).await?;
    let items = parse_checklist(&text, &before.profile.checklist);
    match state.store.save_checklist(&actor, o.id, items).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/o/{}/policy?saved=1#checklist", o.slug)).into_response())
        }
        Err(StoreError::Invalid(errors)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ChecklistPage {
                c: Chrome::new(lang, &uri, Some(o), "policy"),
                text,
                errors,
            },
        )),
        Err(e) => Err(e.into()),
    }
}
