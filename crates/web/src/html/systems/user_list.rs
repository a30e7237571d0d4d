//! "Importera användarlista": a system's own user list against who holds
//! its access profiles. Upload, look at the differences and at what would
//! be recorded (a dry run), then confirm; the file waits in memory like the
//! register import's (`html/import.rs`), whose pieces this reuses.

use super::*;
use crate::auth::Principal;
use crate::context::SystemPath;
use crate::upload::UPLOAD_LIMIT_BYTES;
use crate::upload::{merge_issues, page_file, refusal, user_list};
use axum::extract::Multipart;
use insyn_domain::access::{RosterChange, RosterDifference};
use insyn_store::access::RosterReport;
use insyn_store::import::pending::{PendingUpload, UploadFor};

#[derive(Template)]
#[template(path = "user_list.html")]
pub(in crate::html) struct UserListPage {
    c: Chrome,
    system: System,
    error: Option<String>,
    file_name: String,
    /// The dry run's confirmation token, until it is confirmed.
    token: Option<String>,
    /// The report, as sentences: differences, changes, problems.
    report: Option<Lines>,
    done: bool,
}

pub(in crate::html) struct Lines {
    differences: Vec<String>,
    changes: Vec<String>,
    issues: Vec<String>,
}

impl UserListPage {
    pub fn limits_hint(&self) -> String {
        crate::upload::limits_hint(self.c.lang)
    }
}

/// The report in the user's language; `accounts` gives each row's user name
/// or e-mail address, for the rows insyn does not know.
fn lines(lang: Lang, r: &RosterReport, accounts: &[insyn_domain::access::ListedAccount]) -> Lines {
    let person = |id| r.people.get(&id).cloned().unwrap_or_default();
    let profile = |id| r.profiles.get(&id).cloned().unwrap_or_default();
    let t = |key: &str, args: &[(&str, String)]| lang.t_args(key, args);
    let differences = r
        .differences
        .iter()
        .map(|d| match d {
            RosterDifference::Unknown { row } => {
                let a = accounts.iter().find(|a| a.row == *row);
                let who = a
                    .and_then(|a| a.account.clone().or_else(|| a.email.clone()))
                    .unwrap_or_default();
                t(
                    "roster-unknown",
                    &[("row", row.to_string()), ("account", who)],
                )
            }
            RosterDifference::Leaver { row, person_id } => t(
                "roster-leaver",
                &[("row", row.to_string()), ("person", person(*person_id))],
            ),
            RosterDifference::OtherProfile {
                row,
                person_id,
                listed,
            } => t(
                "roster-other-profile",
                &[
                    ("row", row.to_string()),
                    ("person", person(*person_id)),
                    ("listed", listed.clone()),
                ],
            ),
            RosterDifference::Missing { holding_id } => {
                let (who, what) = r.holdings.get(holding_id).copied().unzip();
                t(
                    "roster-missing",
                    &[
                        ("person", who.map(person).unwrap_or_default()),
                        ("profile", what.map(profile).unwrap_or_default()),
                    ],
                )
            }
        })
        .collect();
    let changes = r
        .changes
        .iter()
        .map(|c| match c {
            RosterChange::Account {
                row,
                person_id,
                account,
                ..
            } => t(
                "roster-change-account",
                &[
                    ("row", row.to_string()),
                    ("person", person(*person_id)),
                    ("account", account.clone()),
                ],
            ),
            RosterChange::Holding {
                row,
                person_id,
                profile_id,
                ..
            } => t(
                "roster-change-holding",
                &[
                    ("row", row.to_string()),
                    ("person", person(*person_id)),
                    ("profile", profile(*profile_id)),
                ],
            ),
        })
        .collect();
    let issues = crate::upload::issue_lines(lang, &r.issues, "roster-column");
    Lines {
        differences,
        changes,
        issues,
    }
}

async fn page(cx: &Cx, at: &SystemPath) -> AppResult<UserListPage> {
    let system = cx.store().get_system(at.org.id, at.system).await?;
    Ok(UserListPage {
        c: cx.chrome(Some(at.org.clone()), "systems"),
        system,
        error: None,
        file_name: String::new(),
        token: None,
        report: None,
        done: false,
    })
}

pub(in crate::html) async fn user_list_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    Ok(render(&page(&cx, &at).await?))
}

/// Reads the list and runs the import: a dry run, or the real one.
async fn run(
    cx: &Cx,
    at: &SystemPath,
    p: &mut UserListPage,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<Option<StatusCode>> {
    let (list, issues) = match user_list(name, bytes).await {
        Ok(l) => l,
        Err(e) => {
            let (status, message) = refusal(cx.lang, &e);
            p.error = Some(message);
            return Ok(Some(status));
        }
    };
    let mut report = cx
        .store()
        .import_roster(
            &cx.actor,
            at.org.id,
            at.system,
            name,
            &list.accounts,
            dry_run,
        )
        .await?;
    merge_issues(&mut report.issues, issues);
    p.report = Some(lines(cx.lang, &report, &list.accounts));
    p.file_name = name.to_owned();
    Ok(None)
}

/// Receives the list and shows the dry run.
pub(in crate::html) async fn upload_user_list(
    cx: Cx,
    me: Principal,
    at: SystemPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut p = page(&cx, &at).await?;
    let (name, bytes) = match page_file(cx.lang, &mut multipart).await? {
        Ok(f) => f,
        Err((status, message)) => {
            p.error = Some(message);
            return Ok(render_status(status, &p));
        }
    };
    if let Some(status) = run(&cx, &at, &mut p, &name, &bytes, true).await? {
        return Ok(render_status(status, &p));
    }
    let pending = PendingUpload::new(
        at.org.id,
        me.user.id,
        UploadFor::UserList(at.system),
        name,
        bytes,
    );
    p.token = Some(
        cx.state
            .store
            .put_upload(&pending, UPLOAD_LIMIT_BYTES)
            .await?,
    );
    Ok(render(&p))
}

/// Imports the list the user looked at in the dry run.
pub(in crate::html) async fn confirm_user_list(
    cx: Cx,
    me: Principal,
    at: SystemPath,
) -> AppResult<Response> {
    let mut p = page(&cx, &at).await?;
    let token = at.params.get("token").unwrap_or_default().to_owned();
    let Some(pending) = cx
        .state
        .store
        .take_upload(
            &token,
            at.org.id,
            me.user.id,
            UploadFor::UserList(at.system),
        )
        .await?
    else {
        p.error = Some(cx.lang.t("import-expired"));
        return Ok(render_status(StatusCode::GONE, &p));
    };
    let (name, bytes) = (pending.file_name, pending.bytes);
    if let Some(status) = run(&cx, &at, &mut p, &name, &bytes, false).await? {
        return Ok(render_status(status, &p));
    }
    p.done = true;
    Ok(render(&p))
}
