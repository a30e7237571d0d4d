//! "Om X ligger nere" / "if X is down": every system that depends on X,
//! the units and nämnder that use them, the personal-data flows that stop,
//! each dependant that tolerates a shorter outage than X may last, and the
//! business-critical suggestions. The analysis is the domain's
//! (`integration::impact`); this page only words it.

use super::{Chrome, Cx, integration_words, render};
use crate::context::SystemPath;
use crate::error::AppResult;
use askama::Template;
use axum::response::Response;
use insyn_domain::integration::*;
use insyn_domain::*;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "integration_impact.html")]
struct ImpactPage {
    c: Chrome,
    s: System,
    i: Impact,
    /// The names of the systems on the paths.
    names: HashMap<SystemId, String>,
}
integration_words!(ImpactPage);

impl ImpactPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }
    /// A path as names: "A → B → C".
    pub fn path(&self, a: &Affected) -> String {
        a.path
            .iter()
            .map(|s| self.names.get(s).map_or("?", String::as_str))
            .collect::<Vec<_>>()
            .join(" → ")
    }
    /// Why the lists may be short: the walk's bound, digits grouped.
    pub fn incomplete(&self) -> String {
        let n = self.grouped(insyn_store::integrations::IMPACT_FRONTIER);
        self.c.lang.t_with("impact-incomplete", "n", n)
    }
    /// How many depend on the system, digits grouped; "minst N" when the
    /// walk stopped at its bound.
    pub fn affected_count(&self) -> String {
        let n = self.grouped(self.i.affected_total);
        if self.i.complete {
            n
        } else {
            self.c.lang.t_with("impact-at-least", "n", n)
        }
    }
    fn grouped(&self, n: usize) -> String {
        self.c.count(Some(i64::try_from(n).unwrap_or(i64::MAX)))
    }
    /// "N more not shown" under a list of `shown` of `total`.
    pub fn more(&self, shown: usize, total: &usize) -> Option<String> {
        let n = total.saturating_sub(shown);
        (n > 0).then(|| self.c.lang.t_with("impact-more", "n", n))
    }
    /// Minutes in plain units: "2 h", "3 d", "45 min".
    pub fn duration(&self, minutes: &i64) -> String {
        let m = *minutes;
        let (d, h) = (self.c.t("duration-days"), self.c.t("duration-hours"));
        if m >= 1440 && m % 1440 == 0 {
            format!("{} {d}", m / 1440)
        } else if m >= 60 && m % 60 == 0 {
            format!("{} {h}", m / 60)
        } else {
            format!("{m} min")
        }
    }
    pub fn conflict(&self, x: &Conflict) -> String {
        let key = match x.limit {
            Limit::Rto => "impact-conflict-rto",
            Limit::Mtd => "impact-conflict-mtd",
        };
        self.c.lang.t_args(
            key,
            &[
                ("system", x.name.clone()),
                ("tolerates", self.duration(&x.tolerates_minutes)),
                ("down", self.s.name.clone()),
                ("rto", self.duration(&x.down_rto_minutes)),
            ],
        )
    }
}

/// `GET /o/{org}/systems/{id}/impact`.
pub(in crate::html) async fn impact_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let store = cx.store();
    let s = store.get_system(at.org.id, at.system).await?;
    let i = store.impact(at.org.id, at.system).await?;
    let mut names: HashMap<SystemId, String> = i
        .affected
        .iter()
        .chain(&i.suggested_suppliers)
        .map(|a| (a.system_id, a.name.clone()))
        .collect();
    names.insert(s.id, s.name.clone());
    Ok(render(&ImpactPage {
        c: cx.chrome(Some(at.org.clone()), "systems"),
        s,
        i,
        names,
    }))
}
