//! Planned restore tests on the årshjul and in "Mina uppgifter": the line of
//! the year plan, the year's list (capped) and a person's due or overdue
//! tests, in the page's words.

use crate::error::AppResult;
use crate::html::Cx;
use chrono::NaiveDate;
use insyn_domain::OrgId;
use insyn_domain::policy::{Compliance, PlannedRestore, PlannedState, planned_months};

/// The most planned tests the årshjul lists by name (all are counted).
pub const LISTED: usize = 100;

/// One planned test as a page shows it.
pub struct PlannedItem {
    pub href: String,
    pub system: String,
    pub planned_on: NaiveDate,
    pub state: String,
    /// `late` when overdue, `soon` when due, `ok` when ahead.
    pub class: &'static str,
    /// Why it is the person's (tasks only): a role, or "named in the test".
    pub why: String,
}

fn item(cx: &Cx, slug: &str, p: &PlannedRestore, state: PlannedState, why: String) -> PlannedItem {
    PlannedItem {
        href: format!(
            "/o/{slug}/systems/{}/restore-tests/{}",
            p.system_id, p.test_id
        ),
        system: p.system_name.clone(),
        planned_on: p.planned_on,
        state: cx.t(&format!("planned-restore-{}", state.as_str())),
        class: match state {
            PlannedState::Overdue => "late",
            PlannedState::Due => "soon",
            PlannedState::Upcoming => "ok",
        },
        why,
    }
}

/// The årshjul's line and list for `year`.
pub struct PlannedYear {
    pub months: [usize; 12],
    pub overdue: usize,
    /// The year's planned tests, at most [`LISTED`].
    pub items: Vec<PlannedItem>,
    /// How many more the year holds than are listed.
    pub more: usize,
}

pub async fn planned_year(
    cx: &Cx,
    org: OrgId,
    slug: &str,
    compliance: &Compliance,
    year: i32,
) -> AppResult<PlannedYear> {
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(compliance.today);
    let all = cx.store().planned_restore_tests(org, end).await?;
    let (months, overdue) = planned_months(&all, year, compliance.today);
    let remind = compliance.restore_remind_days();
    let of_year: Vec<&PlannedRestore> = all
        .iter()
        .filter(|p| chrono::Datelike::year(&p.planned_on) == year)
        .collect();
    let more = of_year.len().saturating_sub(LISTED);
    let items = of_year
        .into_iter()
        .take(LISTED)
        .map(|p| {
            item(
                cx,
                slug,
                p,
                p.state(compliance.today, remind),
                String::new(),
            )
        })
        .collect();
    Ok(PlannedYear {
        months,
        overdue,
        items,
        more,
    })
}

/// The planned tests due or overdue that fall to the person.
pub async fn planned_tasks(
    cx: &Cx,
    org: OrgId,
    slug: &str,
    compliance: &Compliance,
    email: &str,
    name: &str,
) -> AppResult<Vec<PlannedItem>> {
    Ok(cx
        .store()
        .planned_restore_tasks(org, compliance, email, name)
        .await?
        .into_iter()
        .map(|t| {
            let why = match &t.as_role {
                Some(r) => {
                    let role = crate::html::policy::role_name(cx.lang, r);
                    if t.vacant {
                        format!("{role} ({})", cx.t("role-vacant"))
                    } else {
                        role
                    }
                }
                None => cx.t("planned-restore-named"),
            };
            item(cx, slug, &t.test, t.state, why)
        })
        .collect())
}
