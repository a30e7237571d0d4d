//! Importing a spreadsheet from the browser: upload, look at the dry run row
//! by row, then confirm. The uploaded file waits in memory (30 minutes, for
//! the user who uploaded it) until it is confirmed.

use super::*;
use crate::auth::Principal;
use axum::extract::Multipart;
use insyn_store::import::{ImportReport, ImportTarget, RowAction};
use std::time::{Duration, Instant};

/// An upload waiting for its confirmation.
pub struct PendingImport {
    org: OrgId,
    user: UserId,
    file_name: String,
    bytes: Vec<u8>,
    at: Instant,
}

/// Uploads waiting for confirmation, by a random token.
#[derive(Default)]
pub struct PendingImports(std::sync::Mutex<HashMap<String, PendingImport>>);

const KEEP: Duration = Duration::from_secs(30 * 60);
const MAX_WAITING: usize = 50;

impl PendingImports {
    fn put(&self, p: PendingImport) -> String {
        let token = insyn_store::users::new_secret();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, v| v.at.elapsed() < KEEP);
        if map.len() >= MAX_WAITING
            && let Some(oldest) = map.iter().min_by_key(|(_, v)| v.at).map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(token.clone(), p);
        token
    }

    fn take(&self, token: &str, org: OrgId, user: UserId) -> Option<PendingImport> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(token) {
            Some(p) if p.org == org && p.user == user && p.at.elapsed() < KEEP => map.remove(token),
            _ => None,
        }
    }
}

use std::collections::HashMap;

#[derive(Template)]
#[template(path = "import.html")]
pub(super) struct ImportPage {
    c: Chrome,
    error: Option<String>,
    report: Option<ImportReport>,
    token: Option<String>,
    file_name: String,
}

impl ImportPage {
    pub fn action_text(&self, a: &RowAction) -> String {
        self.c.t(match a {
            RowAction::Create => "import-action-create",
            RowAction::Update => "import-action-update",
            RowAction::Unchanged => "import-action-unchanged",
            RowAction::Skip => "import-action-skip",
        })
    }

    /// A column title from the file on one line ("Avdel-\nning" → "Avdelning").
    pub fn column(&self, c: &str) -> String {
        c.replace("-\n", "").replace('\n', " ")
    }
}

fn page(lang: Lang, uri: &Here, org: Organisation) -> ImportPage {
    ImportPage {
        c: Chrome::new(lang, uri, Some(org), "systems"),
        error: None,
        report: None,
        token: None,
        file_name: String::new(),
    }
}

pub(super) async fn import_page(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    Path(org): Path<String>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    Ok(render(&page(lang, &uri, o)))
}

/// Receives the file and shows the dry run.
pub(super) async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    me: Principal,
    Path(org): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(format!("upload: {e}")))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let mut p = page(lang, &uri, o.clone());
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        p.error = Some(lang.t("import-choose-file"));
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let records = match insyn_io::parse_file(&name, &bytes) {
        Ok(r) => r,
        Err(code) => {
            p.error = Some(lang.t(code));
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let report = state
        .store
        .import(&actor, ImportTarget::Org(o.id), &name, &records, true)
        .await?;
    p.token = Some(state.pending_imports.put(PendingImport {
        org: o.id,
        user: me.user.id,
        file_name: name.clone(),
        bytes,
        at: Instant::now(),
    }));
    p.file_name = name;
    p.report = Some(report);
    Ok(render(&p))
}

/// Imports the file the user looked at in the dry run.
pub(super) async fn confirm(
    State(state): State<AppState>,
    lang: Lang,
    uri: Here,
    RequestActor(actor): RequestActor,
    me: Principal,
    Path((org, token)): Path<(String, String)>,
) -> AppResult<Response> {
    let o = org_of(&state, &org).await?;
    let mut p = page(lang, &uri, o.clone());
    let Some(pending) = state.pending_imports.take(&token, o.id, me.user.id) else {
        p.error = Some(lang.t("import-expired"));
        return Ok(render_status(StatusCode::GONE, &p));
    };
    let records = insyn_io::parse_file(&pending.file_name, &pending.bytes)
        .map_err(|code| AppError::BadRequest(code.to_owned()))?;
    let report = state
        .store
        .import(
            &actor,
            ImportTarget::Org(o.id),
            &pending.file_name,
            &records,
            false,
        )
        .await?;
    p.file_name = pending.file_name;
    p.report = Some(report);
    Ok(render(&p))
}
