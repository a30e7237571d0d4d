//! The organisation's policy profile: the active one with its versions,
//! choosing a shipped profile, editing the text, and import and export as TOML.

use super::role_name;
use crate::context::OrgPath;
use crate::error::{AppError, AppResult};
use crate::export::download;
use crate::forms::FormData;
use crate::html::{Chrome, Cx, render, render_status, see};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;
use insyn_domain::Organisation;
use insyn_domain::policy::{self, ControlScope, ProfileError};
use insyn_store::StoreError;
use insyn_store::policy::{ProfileVersion, StoredProfile};

#[derive(Template)]
#[template(path = "policy.html")]
pub(super) struct PolicyPage {
    c: Chrome,
    p: StoredProfile,
    versions: Vec<ProfileVersion>,
    shipped: Vec<(String, String)>,
}

impl PolicyPage {
    pub fn role(&self, code: &str) -> String {
        role_name(self.c.lang, code)
    }
    pub fn roles(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.role(c))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", self.c.t("or")))
    }
    pub fn text<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        if self.c.lang == Lang::En { en } else { sv }
    }
    pub fn condition(&self, w: &policy::Condition) -> String {
        let mut parts = vec![];
        if let Some(b) = w.business_critical {
            parts.push(self.c.t(if b {
                "cond-critical"
            } else {
                "cond-not-critical"
            }));
        }
        if let Some(n) = w.min_users {
            parts.push(format!("{} ≥ {n}", self.c.t("field-user-count")));
        }
        if w.personal_data == Some(true) {
            parts.push(self.c.t("cond-personal-data"));
        }
        if w.sensitive_personal_data == Some(true) {
            parts.push(self.c.t("cond-sensitive-personal-data"));
        }
        if let Some(l) = w.min_level {
            parts.push(format!("{} ≥ {l}", self.c.t("cond-level")));
        }
        if let Some(l) = w.min_confidentiality {
            parts.push(format!("{} ≥ {l}", self.c.t("cond-confidentiality")));
        }
        for (set, key) in [
            (w.ai_high_risk, "cond-ai-high-risk"),
            (w.nis_essential, "cond-nis-essential"),
            (w.nis_important, "cond-nis-important"),
        ] {
            if set == Some(true) {
                parts.push(self.c.t(key));
            }
        }
        if let Some(n) = w.new_system {
            parts.push(self.c.t(if n {
                "cond-new-system"
            } else {
                "cond-existing-system"
            }));
        }
        if !w.hosting.is_empty() {
            parts.push(
                w.hosting
                    .iter()
                    .map(|h| self.c.hosting(*h))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if !w.lifecycle.is_empty() {
            parts.push(
                w.lifecycle
                    .iter()
                    .map(|l| self.c.lifecycle(*l))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if parts.is_empty() {
            self.c.t("cond-every-system")
        } else {
            parts.join("; ")
        }
    }
    pub fn artefact(&self, a: &str) -> String {
        let key = format!("artefact-{}", a.replace('_', "-"));
        let t = self.c.t(&key);
        if t == key { a.to_owned() } else { t }
    }
    pub fn interval(&self, months: &u32) -> String {
        format!("{months} {}", self.c.t("months"))
    }
    pub fn scope(&self, s: &ControlScope) -> String {
        self.c.t(match s {
            ControlScope::System => "scope-system",
            ControlScope::Organisation => "scope-organisation",
        })
    }
}

fn shipped_options(lang: Lang) -> Vec<(String, String)> {
    policy::SHIPPED
        .iter()
        .filter_map(|(code, text)| {
            policy::Profile::parse_unchecked(text).ok().map(|p| {
                let name = if lang == Lang::En {
                    p.name_en
                } else {
                    p.name_sv
                };
                ((*code).to_owned(), name)
            })
        })
        .collect()
}

pub(in crate::html) async fn policy_page(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let p = cx.store().active_profile(org.id).await?;
    let versions = cx.store().profile_versions(org.id).await?;
    Ok(render(&PolicyPage {
        c: cx.chrome(Some(org), "policy"),
        p,
        versions,
        shipped: shipped_options(cx.lang),
    }))
}

pub(in crate::html) async fn adopt_profile(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    cx.store()
        .adopt_profile(&cx.actor, org.id, form.get("profile"))
        .await?;
    see(format!("/o/{}/policy?saved=1", org.slug))
}

#[derive(Template)]
#[template(path = "policy_edit.html")]
pub(super) struct PolicyEditPage {
    c: Chrome,
    text: String,
    note: String,
    errors: Vec<ProfileError>,
}

impl PolicyEditPage {
    pub fn problem(&self, e: &ProfileError) -> String {
        let mut s = self.c.t(e.code);
        if let Some(d) = &e.detail {
            s.push_str(": ");
            s.push_str(d);
        }
        s
    }
    pub fn place(&self, e: &ProfileError) -> String {
        match e.path.strip_prefix("line ") {
            Some(n) => format!("{} {n}", self.c.t("profile-line")),
            None => e.path.clone(),
        }
    }
}

fn edit_page(c: Chrome, text: String, note: String, errors: Vec<ProfileError>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &PolicyEditPage {
            c,
            text,
            note,
            errors,
        },
    )
}

pub(in crate::html) async fn policy_edit(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
) -> AppResult<Response> {
    let p = cx.store().active_profile(org.id).await?;
    let c = cx.chrome(Some(org), "policy");
    Ok(edit_page(c, p.body, String::new(), vec![]))
}

/// Saves the profile's text; a text that is not a valid profile is shown
/// again with its problems, each named by its line.
async fn save_text(cx: &Cx, org: Organisation, text: String, note: String) -> AppResult<Response> {
    let saved = cx
        .store()
        .save_profile(&cx.actor, org.id, &text, Some(&note));
    match saved.await {
        Ok(_) => see(format!("/o/{}/policy?saved=1", org.slug)),
        Err(StoreError::Profile(errors)) => Ok(edit_page(
            cx.chrome(Some(org), "policy"),
            text,
            note,
            errors,
        )),
        Err(e) => Err(e.into()),
    }
}

pub(in crate::html) async fn policy_save(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let text = form
        .0
        .iter()
        .find(|(k, _)| k == "profile")
        .map(|(_, v)| v.replace("\r\n", "\n"))
        .unwrap_or_default();
    let note = form.get("note").to_owned();
    save_text(&cx, org, text, note).await
}

/// Uploads a profile file (as exported).
pub(in crate::html) async fn policy_import(
    cx: Cx,
    OrgPath { org, .. }: OrgPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut text = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(format!("upload: {e}")))?;
            text = Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"));
        }
    }
    let text = text.filter(|t| !t.trim().is_empty()).unwrap_or_default();
    let note = cx.t("profile-imported");
    save_text(&cx, org, text, note).await
}

pub(in crate::html) async fn policy_export(
    cx: Cx,
    OrgPath { org: o, .. }: OrgPath,
) -> AppResult<Response> {
    let p = cx.store().active_profile(o.id).await?;
    let name = format!("{}-{}-v{}.toml", o.slug, p.code, p.version);
    Ok(download("application/toml; charset=utf-8", &name, p.body))
}
