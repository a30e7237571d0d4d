//! "Importera personalfil": the people of an HR file against the register.
//! Upload (saying whether the file lists everyone employed), look at who
//! is new, who changed or moved, and who left (a dry run), then confirm;
//! the file waits in memory like the register import's (`html/import.rs`).

use super::*;
use crate::auth::Principal;
use crate::context::OrgPath;
use crate::upload::UPLOAD_LIMIT_BYTES;
use crate::upload::{hr_file, merge_issues, page_file_with, refusal};
use axum::extract::Multipart;
use insyn_domain::access::LeaveReason;
use insyn_store::hr::HrReport;
use insyn_store::import::pending::{PendingUpload, UploadFor};

#[derive(Template)]
#[template(path = "hr_import.html")]
pub(in crate::html) struct HrImportPage {
    c: Chrome,
    error: Option<String>,
    file_name: String,
    complete: bool,
    /// The dry run's confirmation token, until it is confirmed.
    token: Option<String>,
    report: Option<Lines>,
    done: bool,
}

/// The report as sentences in the user's language.
pub(in crate::html) struct Lines {
    new_people: Vec<String>,
    changed: Vec<String>,
    leavers: Vec<String>,
    issues: Vec<String>,
}

impl Lines {
    fn is_empty(&self) -> bool {
        self.new_people.is_empty() && self.changed.is_empty() && self.leavers.is_empty()
    }
}

impl HrImportPage {
    pub fn limits_hint(&self) -> String {
        crate::upload::limits_hint(self.c.lang)
    }
    pub fn nothing(&self) -> bool {
        self.report.as_ref().is_none_or(Lines::is_empty)
    }
}

fn lines(lang: Lang, r: &HrReport) -> Lines {
    let person = |id| r.people.get(&id).cloned().unwrap_or_default();
    let unit = |id: Option<UnitId>| {
        id.and_then(|u| r.units.get(&u).cloned())
            .unwrap_or_else(|| lang.t("hr-no-unit"))
    };
    let t = |key: &str, args: &[(&str, String)]| lang.t_args(key, args);
    let new_people = r
        .new_people
        .iter()
        .map(|n| {
            t(
                "hr-new",
                &[
                    ("row", n.row.to_string()),
                    ("name", n.name.clone()),
                    ("email", n.email.clone().unwrap_or_default()),
                    ("unit", unit(n.unit_id)),
                ],
            )
        })
        .collect();
    let changed = r
        .changed
        .iter()
        .map(|c| {
            let what: Vec<String> = c
                .fields
                .iter()
                .map(|f| {
                    let value = match f.as_str() {
                        "name" => c.name.clone(),
                        "email" => c.email.clone().unwrap_or_default(),
                        "employee_number" => c.employee_number.clone().unwrap_or_default(),
                        "unit" => unit(c.unit_id),
                        _ => String::new(),
                    };
                    t(&format!("hr-field-{f}"), &[("value", value)])
                })
                .collect();
            let mut line = t(
                "hr-changed",
                &[
                    ("row", c.row.to_string()),
                    ("person", person(c.person_id)),
                    ("changes", what.join(", ")),
                ],
            );
            if c.moved {
                line.push(' ');
                line.push_str(&lang.t("hr-moved"));
            }
            line
        })
        .collect();
    let leavers = r
        .leavers
        .iter()
        .map(|l| {
            let key = match l.reason {
                LeaveReason::Inactive => "hr-leaver-inactive",
                LeaveReason::EndDate => "hr-leaver-end-date",
                LeaveReason::Missing => "hr-leaver-missing",
            };
            let row = l.row.map(|n| n.to_string()).unwrap_or_default();
            t(key, &[("row", row), ("person", person(l.person_id))])
        })
        .collect();
    let issues = crate::upload::issue_lines(lang, &r.issues, "hr-column");
    Lines {
        new_people,
        changed,
        leavers,
        issues,
    }
}

fn page(cx: &Cx, at: &OrgPath) -> HrImportPage {
    HrImportPage {
        c: cx.chrome(Some(at.org.clone()), "people"),
        error: None,
        file_name: String::new(),
        complete: false,
        token: None,
        report: None,
        done: false,
    }
}

pub(in crate::html) async fn hr_file_page(cx: Cx, at: OrgPath) -> AppResult<Response> {
    Ok(render(&page(&cx, &at)))
}

/// Reads the file and runs the import: a dry run, or the real one.
async fn run(
    cx: &Cx,
    at: &OrgPath,
    p: &mut HrImportPage,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<Option<StatusCode>> {
    p.file_name = name.to_owned();
    let (file, issues) = match hr_file(name, bytes).await {
        Ok(f) => f,
        Err(e) => {
            let (status, message) = refusal(cx.lang, &e);
            p.error = Some(message);
            return Ok(Some(status));
        }
    };
    let mut report = cx
        .store()
        .import_hr(&cx.actor, at.org.id, name, &file.rows, p.complete, dry_run)
        .await?;
    merge_issues(&mut report.issues, issues);
    p.report = Some(lines(cx.lang, &report));
    Ok(None)
}

/// Receives the file and shows the dry run.
pub(in crate::html) async fn upload_hr_file(
    cx: Cx,
    me: Principal,
    at: OrgPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut p = page(&cx, &at);
    let mut complete = false;
    let file = page_file_with(cx.lang, &mut multipart, |field, value| {
        complete |= field == "complete" && !value.is_empty();
    })
    .await?;
    p.complete = complete;
    let (name, bytes) = match file {
        Ok(f) => f,
        Err((status, message)) => {
            p.error = Some(message);
            return Ok(render_status(status, &p));
        }
    };
    if let Some(status) = run(&cx, &at, &mut p, &name, &bytes, true).await? {
        return Ok(render_status(status, &p));
    }
    let pending = PendingUpload {
        hr_complete: complete,
        ..PendingUpload::new(at.org.id, me.user.id, UploadFor::HrFile, name, bytes)
    };
    p.token = Some(
        cx.state
            .store
            .put_upload(&pending, UPLOAD_LIMIT_BYTES)
            .await?,
    );
    Ok(render(&p))
}

/// Imports the file the user looked at in the dry run.
pub(in crate::html) async fn confirm_hr_file(
    cx: Cx,
    me: Principal,
    at: OrgPath,
) -> AppResult<Response> {
    let mut p = page(&cx, &at);
    let token = at.params.get("token").unwrap_or_default().to_owned();
    let Some(pending) = cx
        .state
        .store
        .take_upload(&token, at.org.id, me.user.id, UploadFor::HrFile)
        .await?
    else {
        p.error = Some(cx.lang.t("import-expired"));
        return Ok(render_status(StatusCode::GONE, &p));
    };
    p.complete = pending.hr_complete;
    let (name, bytes) = (pending.file_name, pending.bytes);
    if let Some(status) = run(&cx, &at, &mut p, &name, &bytes, false).await? {
        return Ok(render_status(status, &p));
    }
    p.done = true;
    Ok(render(&p))
}
