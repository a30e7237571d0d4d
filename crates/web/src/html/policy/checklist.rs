//! The checklist of the annual review, edited as text: one item per line.

use crate::context::OrgPath;
use crate::error::AppResult;
use crate::forms::FormData;
use crate::html::{Chrome, Cx, Posted, form_page, see, submit};
use askama::Template;
use axum::response::Response;
use insyn_domain::policy::ChecklistItem;
use insyn_domain::{FieldErrors, Organisation};

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

fn checklist_form(cx: &Cx, org: Organisation, text: String, errors: FieldErrors) -> Response {
    let page = ChecklistPage {
        c: cx.chrome(Some(org), "policy"),
        text,
        errors,
    };
    form_page(&page.errors, &page)
}

pub(in crate::html) async fn checklist_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let p = cx.store().active_profile(org.id).await?;
    let text = checklist_text(&p.profile.checklist);
    Ok(checklist_form(&cx, org, text, FieldErrors::new()))
}

pub(in crate::html) async fn checklist_save(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let text = form.get("items").to_owned();
    let before = cx.store().active_profile(org.id).await?;
    let items = parse_checklist(&text, &before.profile.checklist);
    let save = async |items| cx.store().save_checklist(&cx.actor, org.id, items).await;
    match submit(Ok(items), save).await? {
        Posted::Done(_) => see(format!("/o/{}/policy?saved=1#checklist", org.slug)),
        Posted::Invalid(errors) => Ok(checklist_form(&cx, org, text, errors)),
    }
}
