//! The security pages of a system: classification of its information and
//! the decision on business-criticality (`classification`), the system
//! security plan with its print view (`plan`), and the operational approval
//! (`approval`).

use super::*;
use insyn_domain::security::{Aspect, InformationSet};
use insyn_store::security::{ScaleLevel, SecurityState};

pub(super) mod approval;
pub(super) mod classification;
pub(super) mod plan;

/// After a successful post, back to the page (post/redirect/get).
fn back(org: &Organisation, sid: SystemId, page: &str, anchor: &str) -> AppResult<Response> {
    see(format!(
        "/o/{}/systems/{sid}/{page}?saved=1#{anchor}",
        org.slug
    ))
}

/// The name of a level in the organisation's scale, in the user's language.
fn level_name(scale: &[ScaleLevel], lang: Lang, level: Option<i16>) -> String {
    match level {
        None => lang.t("security-not-classified"),
        Some(l) => scale
            .iter()
            .find(|s| s.level == l)
            .map(|s| {
                let name = if lang == Lang::En {
                    &s.name_en
                } else {
                    &s.name_sv
                };
                format!("{l} – {name}")
            })
            .unwrap_or_else(|| l.to_string()),
    }
}

/// A page that shows classification levels by their names in the scale.
trait ShowsLevels {
    /// The scale, the language, and the system's security state.
    fn levels(&self) -> (&[ScaleLevel], Lang, &SecurityState);

    /// The system's level in one aspect.
    fn level(&self, a: &Aspect) -> String {
        let (scale, lang, st) = self.levels();
        level_name(scale, lang, st.levels.get(*a))
    }

    /// An information set's level in one aspect.
    fn set_level(&self, set: &InformationSet, a: &Aspect) -> String {
        let (scale, lang, _) = self.levels();
        level_name(scale, lang, set.current.as_ref().and_then(|c| c.level(*a)))
    }
}
