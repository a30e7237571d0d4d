//! Policy pages: "Mina uppgifter", the compliance dashboard, the årshjul,
//! the organisation's policy profile (choose, edit, export, import, the
//! checklist), and per system its findings, documents, controls and reviews.

mod checklist;
mod compliance;
mod cycle;
mod cycle_month;
mod profile;
mod reviews;
mod system;
mod tasks;

use crate::forms::FormData;
use crate::html::Chrome;
use crate::i18n::Lang;
use insyn_domain::policy::{Finding, Outcome};
use insyn_domain::validation as v;
use insyn_domain::{DEFAULT_ROLE_TYPES, FieldErrors};
use insyn_store::policy::{ControlDraft, Holder, SnapshotRead, StoredProfile};

pub(super) use checklist::{checklist_page, checklist_save};
pub(super) use compliance::compliance_page;
pub(super) use cycle::{cycle_page, record_org_control};
pub(super) use cycle_month::cycle_month;
pub(super) use profile::{
    adopt_profile, policy_edit, policy_export, policy_import, policy_page, policy_save,
};
pub(super) use reviews::{answer_review, review_page, sign_review, start_review};
pub(super) use system::{record_document, record_system_control, system_compliance};
pub(super) use tasks::tasks_page;

use crate::nav::today;

/// Words for findings, shared by every policy page.
pub struct Words<'a> {
    pub c: &'a Chrome,
    pub profile: &'a StoredProfile,
}

impl Words<'_> {
    pub fn rule(&self, f: &Finding) -> String {
        self.profile
            .profile
            .rule(f.rule_id())
            .map(|r| r.text(self.c.lang.code()).to_owned())
            .unwrap_or_else(|| f.rule_id().to_string())
    }

    pub fn cite(&self, f: &Finding) -> String {
        self.profile
            .profile
            .rule(f.rule_id())
            .map(|r| r.cite.to_owned())
            .unwrap_or_default()
    }

    pub fn state(&self, f: &Finding) -> String {
        self.c
            .t(&format!("outcome-{}", f.outcome.state().replace('_', "-")))
    }

    /// The state's look: met, soon or late.
    pub fn class(&self, f: &Finding) -> &'static str {
        match f.outcome {
            Outcome::Met { .. } => "ok",
            Outcome::DueSoon { .. } => "soon",
            Outcome::Missing { .. }
            | Outcome::Overdue { .. }
            | Outcome::Expired { .. }
            | Outcome::Unknown { .. } => "late",
        }
    }

    /// "sedan 2026-01-10", "senast 2026-12-01", "nästa 2027-03-01".
    pub fn when(&self, f: &Finding) -> String {
        let o = &f.outcome;
        match (o, o.date()) {
            (Outcome::Met { .. }, Some(d)) => format!("{} {d}", self.c.t("outcome-next")),
            (Outcome::DueSoon { .. }, Some(d)) => format!("{} {d}", self.c.t("outcome-due")),
            (Outcome::Unknown { fact }, _) => self.c.t(&format!(
                "outcome-fill-in-{}",
                fact.as_str().replace('_', "-")
            )),
            (_, Some(d)) => format!("{} {d}", self.c.t("outcome-since")),
            (_, None) => String::new(),
        }
    }

    pub fn role(&self, code: &str) -> String {
        role_name(self.c.lang, code)
    }
}

/// A role code's name: the default role types' names, else the code.
pub fn role_name(lang: Lang, code: &str) -> String {
    DEFAULT_ROLE_TYPES
        .iter()
        .find(|r| r.0 == code)
        .map(|r| if lang == Lang::En { r.2 } else { r.1 }.to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn holders_text(h: &[Holder]) -> String {
    h.iter().map(|h| &*h.name).collect::<Vec<_>>().join(", ")
}

/// A control record from its form; a date that does not parse is refused.
fn control_draft(f: &FormData) -> Result<ControlDraft, FieldErrors> {
    let performed_on = v::parse_date(f.get("performed_on"))
        .map_err(|code| FieldErrors::single("performed_on", code))?;
    Ok(ControlDraft {
        control: f.get("control").to_owned(),
        performed_on,
        result: f.get("result").to_owned(),
        note: f.opt("note"),
    })
}

/// The name of a control the profile does not name: insyn records the
/// restore-test control with every performed restore test, whatever the
/// profile asks; any other code is shown as it is.
fn unnamed_control(c: &Chrome, code: &str) -> String {
    if code == insyn_store::continuity::RESTORE_TEST_CONTROL {
        c.t("restore-test-control")
    } else {
        code.to_owned()
    }
}

/// "Visar läget kl. 14:03:12 …" when a page shows a compliance snapshot
/// older than the data (a newer one is being computed).
fn stale_note(c: &Chrome, s: &SnapshotRead) -> Option<String> {
    let at = insyn_domain::swedish_time::stockholm(s.snapshot.computed_at);
    (!s.current).then(|| {
        c.lang.t_args(
            "compliance-stale",
            &[("at", at.format("%H:%M:%S").to_string())],
        )
    })
}
