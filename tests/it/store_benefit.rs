//! Benefit assessments in the store (Stockholm 2.6): written and audited,
//! each new one recording the `benefit_review` control of the årshjul on its
//! day (so Stockholm's benefit-review rule is met), kept to their system,
//! refused with the field named when wrong, and never public.

use chrono::{Days, NaiveDate, Utc};
use insyn_domain::benefit::*;
use insyn_domain::policy::Outcome;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found};

/// An assessment with every field filled, made on `on`.
pub fn assessed(on: NaiveDate) -> BenefitAssessmentDraft {
    BenefitAssessmentDraft {
        assessed_on: on,
        assessed_by: "Ola Ägare".into(),
        business_value: BusinessValue::High,
        user_satisfaction: Some(Satisfaction::Mixed),
        users_asked: Some("Enkät till handläggarna".into()),
        respondents: Some(41),
        strengths: Some("Stabilt, bra sök".into()),
        problems: Some("Dubbelregistrering mot e-arkivet".into()),
        recommendation: Recommendation::Develop,
        note: None,
    }
}

fn benefit_rule(c: &insyn_domain::policy::Compliance) -> Option<Outcome> {
    c.systems[0]
        .findings
        .iter()
        .find(|f| f.rule_id() == "benefit-review")
        .map(|f| f.outcome)
}

dual_test!(
    an_assessment_records_the_benefit_review_and_meets_the_rule,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ärendesystemet").await;
        let other = k.system("Annat").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let (a, org) = (actor(), k.org);
        store.adopt_profile(&a, org, "stockholm").await?;
        let today = Utc::now().date_naive();
        let c = store.compliance(org, Some(s.id), today).await?;
        assert!(
            !matches!(benefit_rule(&c), Some(Outcome::Met { .. }) | None),
            "{:?}",
            benefit_rule(&c)
        );

        let before = audit_count(&store).await?;
        let on = today - Days::new(3);
        let x = store
            .add_benefit_assessment(&a, org, s.id, assessed(on), today)
            .await?;
        assert!(audit_count(&store).await? > before, "audited");
        let controls = store.control_records(org, Some(s.id)).await?;
        assert_eq!(controls.len(), 1);
        assert_eq!(controls[0].control, BENEFIT_CONTROL);
        assert_eq!(controls[0].performed_on, on);
        assert_eq!(controls[0].result, "remarks", "develop ⇒ remarks");
        let c = store.compliance(org, Some(s.id), today).await?;
        assert!(
            matches!(benefit_rule(&c), Some(Outcome::Met { next_due: Some(d) }) if d > today),
            "{:?}",
            benefit_rule(&c)
        );

        // Corrected: the recommendation changes, the control stays one.
        let mut d = x.draft.clone();
        d.recommendation = Recommendation::PhaseOut;
        let y = store
            .update_benefit_assessment(&a, org, s.id, x.id, d, today)
            .await?;
        assert_eq!(y.draft.recommendation, Recommendation::PhaseOut);
        assert_eq!(store.control_records(org, Some(s.id)).await?.len(), 1);
        assert_eq!(store.benefit_assessments(org, s.id).await?.len(), 1);
        not_found(store.benefit_assessment(org, other.id, x.id).await);

        let mut future = assessed(today + Days::new(1));
        future.assessed_by = " ".into();
        let e = invalid(
            store
                .add_benefit_assessment(&a, org, s.id, future, today)
                .await,
        );
        assert_eq!(
            e.get("assessed_on"),
            Some(insyn_domain::validation::IN_FUTURE)
        );
        assert_eq!(
            e.get("assessed_by"),
            Some(insyn_domain::validation::REQUIRED)
        );

        store.remove_benefit_assessment(&a, org, s.id, x.id).await?;
        assert!(store.benefit_assessments(org, s.id).await?.is_empty());
    }
);
