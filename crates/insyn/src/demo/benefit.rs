//! Benefit assessments in the demo (Stockholm 2.6): Treserva assessed by
//! its owner ten months ago (worth developing: the users are mixed), and a
//! second system assessed more than a year ago (keep), so its next review
//! is due.

use chrono::{Months, Utc};
use insyn_domain::benefit::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

pub async fn demo_benefit(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    owner: &str,
    actor: &Actor,
) -> Result<()> {
    let today = Utc::now().date_naive();
    let ago = |m| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    let assessments = [
        BenefitAssessmentDraft {
            assessed_on: ago(10),
            assessed_by: owner.into(),
            business_value: BusinessValue::High,
            user_satisfaction: Some(Satisfaction::Mixed),
            users_asked: Some("Enkät till handläggarna i socialtjänsten".into()),
            respondents: Some(64),
            strengths: Some("Stödjer hela ärendeflödet; stabil drift.".into()),
            problems: Some(
                "Dubbelregistrering mot ekonomisystemet; mobilt stöd saknas för hemtjänsten."
                    .into(),
            ),
            recommendation: Recommendation::Develop,
            note: Some("Integration mot ekonomisystemet tas upp i förvaltningsplanen.".into()),
        },
        BenefitAssessmentDraft {
            assessed_on: ago(14),
            assessed_by: owner.into(),
            business_value: BusinessValue::Medium,
            user_satisfaction: Some(Satisfaction::Satisfied),
            users_asked: Some("Användargruppens möte".into()),
            respondents: Some(9),
            strengths: Some("Enkelt att använda.".into()),
            problems: None,
            recommendation: Recommendation::Keep,
            note: None,
        },
    ];
    for (&system, a) in systems.iter().zip(assessments) {
        store
            .add_benefit_assessment(actor, org, system, a, today)
            .await?;
    }
    Ok(())
}
