//! The organisation's licences (`/o/{org}/licences`, linked from the
//! contracts page and each system's Licenser tab): the overused and idle
//! first, the totals (how many, the yearly cost of those not ended, how many
//! overused, idle and ended), filtered by a finding and paged in SQL.

use super::licences::LicenceWords;
use super::*;
use crate::context::OrgPath;
use crate::query::licences::LicenceQuery;
use insyn_domain::licence::{LicenceFinding, LicenceView};
use insyn_store::licences::LicenceTotals;

#[derive(Template)]
#[template(path = "licence_list.html")]
struct ListPage {
    c: Chrome,
    lw: LicenceWords,
    licences: Page<LicenceView>,
    totals: LicenceTotals,
    /// The finding shown only, if one is chosen.
    finding: Option<LicenceFinding>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    /// The filter's choices: (query value, message key, how many).
    fn filters(&self) -> [(&'static str, &'static str, i64); 4] {
        let t = &self.totals;
        [
            ("", "licences-filter-all", t.licences),
            ("overuse", "licences-filter-overuse", t.overuse),
            ("idle", "licences-filter-idle", t.idle),
            ("ended", "licences-filter-ended", t.ended),
        ]
    }

    fn total_cost(&self) -> String {
        self.lw.kronor(&Some(self.totals.yearly_cost))
    }

    fn chosen(&self, value: &str) -> bool {
        self.finding.map_or("", |f| f.as_str()) == value
    }

    fn href(&self, value: &str) -> String {
        let base = format!("/o/{}/licences", self.c.org_slug());
        match value {
            "" => base,
            v => format!("{base}?finding={v}"),
        }
    }
}

pub(super) async fn licences_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<LicenceQuery>,
) -> AppResult<Response> {
    let mut r = q.lenient();
    let store = cx.store();
    let today = crate::nav::today();
    let mut l = store
        .list_licences(at.id(), r.finding, r.page, today)
        .await?;
    if l.page.page > l.page.pages() {
        r.page.page = l.page.pages();
        l = store
            .list_licences(at.id(), r.finding, r.page, today)
            .await?;
    }
    let finding = r.finding.map_or(String::new(), |f| format!("finding={f}&"));
    let href = |n: u32| format!("/o/{}/licences?{finding}page={n}", at.org.slug);
    let p = &l.page;
    let prev_href = (p.page > 1).then(|| href(p.page - 1));
    let next_href = (p.page < p.pages()).then(|| href(p.page + 1));
    Ok(render(&ListPage {
        c: cx.chrome(Some(at.org.clone()), "contracts"),
        lw: LicenceWords { lang: cx.lang },
        licences: l.page,
        totals: l.totals,
        finding: r.finding,
        prev_href,
        next_href,
    }))
}
