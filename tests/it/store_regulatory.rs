//! Regulatory facts in the store: the entity class under
//! cybersäkerhetslagen and a system's AI Act facts, written with their audit
//! records; the `fria` and `dpia` gaps of the 2026 baseline appearing and
//! closing; the entity class usable in a rule; never in the public register.

use crate::store_processing::complete;
use crate::store_processors::outcome;
use chrono::Utc;
use insyn_domain::regulatory::*;
use insyn_domain::security::ClassificationDraft;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found};

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// High-risk AI the organisation deploys, with no FRIA yet.
pub fn high_risk() -> AiActDraft {
    AiActDraft {
        contains_ai: AiActPresence::Yes,
        risk_class: Some(AiActRiskClass::HighRisk),
        role: Some(AiActRole::Deployer),
        description: Some("Föreslår beslut om försörjningsstöd".into()),
        fria_on: None,
        fria_reference: None,
    }
}

/// An essential entity in public administration, registered.
pub fn essential() -> NisDraft {
    NisDraft {
        entity_class: NisEntityClass::Essential,
        sector: Some(NisSector::PublicAdministration),
        registered_on: Some(date(2026, 2, 1)),
        registration_reference: Some("MCF 2026/4711".into()),
    }
}

fn missing(o: Option<policy::Outcome>) -> bool {
    matches!(o, Some(policy::Outcome::Missing { .. }))
}

fn met(o: Option<policy::Outcome>) -> bool {
    matches!(o, Some(policy::Outcome::Met { .. }))
}

dual_test!(
    the_entity_class_is_not_assessed_until_set_and_each_change_is_audited,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let first = store.nis_facts(k.org).await?;
        assert_eq!(first.draft, NisDraft::default());
        assert_eq!(first.updated_by, None);
        let before = audit_count(&store).await?;
        let set = store
            .set_nis_facts(&actor(), k.org, essential(), today())
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(store.nis_facts(k.org).await?.draft, set.draft);
        let mut d = essential();
        d.entity_class = NisEntityClass::Important;
        store.set_nis_facts(&actor(), k.org, d, today()).await?;
        assert_eq!(
            store.nis_facts(k.org).await?.draft.entity_class,
            NisEntityClass::Important
        );
        assert_eq!(audit_count(&store).await?, before + 2);
        // A registration in the future is refused on its field, nothing written.
        let mut bad = essential();
        bad.registered_on = Some(date(2099, 1, 1));
        let e = invalid(store.set_nis_facts(&actor(), k.org, bad, today()).await);
        assert_eq!(e.get("registered_on"), Some(validation::IN_FUTURE));
        assert_eq!(audit_count(&store).await?, before + 2);
    }
);

dual_test!(
    a_systems_ai_facts_are_set_with_their_findings_and_audited,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Bidragsbedömning").await;
        let unset = store.ai_act(k.org, s.id).await?;
        assert_eq!(unset.draft.contains_ai, AiActPresence::Unknown);
        assert_eq!(unset.findings, [AiActFinding::NotAssessed]);
        let before = audit_count(&store).await?;
        let f = store
            .set_ai_act(&actor(), k.org, s.id, high_risk(), today())
            .await?;
        assert_eq!(f.findings, [AiActFinding::HighRiskWithoutFria]);
        assert_eq!(audit_count(&store).await?, before + 1);
        let mut d = high_risk();
        d.fria_on = Some(date(2026, 3, 1));
        d.fria_reference = Some("KS 2026/112".into());
        store.set_ai_act(&actor(), k.org, s.id, d, today()).await?;
        let read = store.ai_act(k.org, s.id).await?;
        assert!(read.findings.is_empty());
        assert_eq!(read.draft.fria_reference.as_deref(), Some("KS 2026/112"));
        assert_eq!(audit_count(&store).await?, before + 2);
        // Contradicting facts are refused on their field.
        let mut bad = high_risk();
        bad.contains_ai = AiActPresence::No;
        let e = invalid(store.set_ai_act(&actor(), k.org, s.id, bad, today()).await);
        assert_eq!(e.get("risk_class"), Some(NOT_AI));
        // Another organisation's system is not found.
        let other = Scenario::new(&store, "grannen").await?;
        not_found(store.ai_act(other.org, s.id).await);
        not_found(
            store
                .set_ai_act(&actor(), other.org, s.id, high_risk(), today())
                .await,
        );
    }
);

dual_test!(
    high_risk_ai_without_a_fria_is_a_gap_until_one_is_recorded,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        store
            .adopt_profile(&actor(), k.org, "baseline-2026")
            .await?;
        let s = k.system("Bidragsbedömning").await;
        assert_eq!(outcome(&store, k.org, s.id, "fria").await?, None);
        store
            .set_ai_act(&actor(), k.org, s.id, high_risk(), today())
            .await?;
        assert!(missing(outcome(&store, k.org, s.id, "fria").await?));
        let mut d = high_risk();
        d.fria_on = Some(date(2026, 3, 1));
        store.set_ai_act(&actor(), k.org, s.id, d, today()).await?;
        assert!(met(outcome(&store, k.org, s.id, "fria").await?));
        // Limited risk: no FRIA asked for.
        let mut d = high_risk();
        d.risk_class = Some(AiActRiskClass::Limited);
        store.set_ai_act(&actor(), k.org, s.id, d, today()).await?;
        assert_eq!(outcome(&store, k.org, s.id, "fria").await?, None);
    }
);

async fn classify(k: &Scenario, system: SystemId, set: uuid::Uuid, c: i16) -> anyhow::Result<()> {
    let d = ClassificationDraft {
        confidentiality: c,
        integrity: 1,
        availability: 1,
        traceability: None,
        justification: "Bedömd".into(),
        valid_until: None,
    };
    k.store.classify(&actor(), k.org, system, set, d).await?;
    Ok(())
}

dual_test!(
    sensitive_data_or_a_high_confidentiality_level_asks_for_a_dpia_decision,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        store.adopt_profile(&a, org, "baseline-2026").await?;
        let journal = k.system("Treserva").await;
        k.information_set(journal.id, "Journal", true, true).await?;
        let ekonomi = k.system("Raindance").await;
        let set = k
            .information_set(ekonomi.id, "Leverantörer", true, false)
            .await?;
        let bokning = k.system("Lokalbokning").await;
        let low = k
            .information_set(bokning.id, "Bokningar", true, false)
            .await?;

        // Sensitive data: a gap until a record names the system with its DPIA decided.
        assert!(missing(
            outcome(&store, org, journal.id, "dpia-sensitive").await?
        ));
        // Not classified yet: whether the level asks for one is unknown.
        assert!(matches!(
            outcome(&store, org, ekonomi.id, "dpia-confidential").await?,
            Some(policy::Outcome::Unknown { .. })
        ));
        classify(&k, ekonomi.id, set.id, 3).await?;
        classify(&k, bokning.id, low.id, 2).await?;
        assert!(missing(
            outcome(&store, org, ekonomi.id, "dpia-confidential").await?
        ));
        assert_eq!(
            outcome(&store, org, bokning.id, "dpia-confidential").await?,
            None
        );

        // A record naming them, its DPIA not decided: still a gap.
        let mut d = complete("Ekonomiskt bistånd", None, vec![journal.id, ekonomi.id]);
        d.dpia_required = None;
        d.dpia_reason = None;
        d.dpia_date = None;
        d.dpia_result = None;
        let r = store.create_processing_record(&a, org, d).await?;
        assert!(missing(
            outcome(&store, org, journal.id, "dpia-sensitive").await?
        ));
        // Required, but without its result: still a gap.
        let mut d = r.draft.clone();
        d.dpia_required = Some(true);
        d.dpia_date = Some(date(2026, 3, 1));
        store
            .update_processing_record(&a, org, r.id, d.clone())
            .await?;
        assert!(missing(
            outcome(&store, org, journal.id, "dpia-sensitive").await?
        ));
        // Required, done with a result: met.
        d.dpia_result = Some("Godtagbar risk efter åtgärder".into());
        store
            .update_processing_record(&a, org, r.id, d.clone())
            .await?;
        assert!(met(
            outcome(&store, org, journal.id, "dpia-sensitive").await?
        ));
        assert!(met(
            outcome(&store, org, ekonomi.id, "dpia-confidential").await?
        ));
        // Not required, with a reason: met too.
        d.dpia_required = Some(false);
        d.dpia_date = None;
        d.dpia_result = None;
        d.dpia_reason = Some("Ingen storskalig behandling".into());
        store.update_processing_record(&a, org, r.id, d).await?;
        assert!(met(
            outcome(&store, org, journal.id, "dpia-sensitive").await?
        ));
    }
);

/// A profile whose one rule holds only for an essential entity.
const NIS_PROFILE: &str = r#"code = "nis"
name_sv = "NIS"
name_en = "NIS"
source = "test"

[[role]]
id = "owner"
any_of = ["system_owner"]
text_sv = "Systemägare"
text_en = "Owner"
cite = "1"

[[artefact]]
id = "nis-plan"
artefact = "continuity_plan"
when = { nis_essential = true }
text_sv = "Plan"
text_en = "Plan"
cite = "1"
"#;

dual_test!(
    the_entity_class_reaches_every_systems_rules,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Växel").await;
        store
            .save_profile(&actor(), k.org, NIS_PROFILE, None)
            .await?;
        assert_eq!(outcome(&store, k.org, s.id, "nis-plan").await?, None);
        let mut important = essential();
        important.entity_class = NisEntityClass::Important;
        store
            .set_nis_facts(&actor(), k.org, important, today())
            .await?;
        assert_eq!(outcome(&store, k.org, s.id, "nis-plan").await?, None);
        store
            .set_nis_facts(&actor(), k.org, essential(), today())
            .await?;
        assert!(missing(outcome(&store, k.org, s.id, "nis-plan").await?));
    }
);

dual_test!(
    the_public_register_never_shows_ai_facts,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Bidragsbedömning").await;
        let mut d = high_risk();
        d.description = Some("Hemlig AI-användning".into());
        d.fria_on = Some(date(2026, 3, 1));
        d.fria_reference = Some("FRIA 2099/7".into());
        store.set_ai_act(&actor(), k.org, s.id, d, today()).await?;
        store
            .set_nis_facts(&actor(), k.org, essential(), today())
            .await?;
        crate::store_suppliers::assert_never_public(
            &store,
            k.org,
            "Bidragsbedömning",
            &[
                "Hemlig AI-användning",
                "FRIA 2099/7",
                "MCF 2026/4711",
                "high_risk",
            ],
        )
        .await?;
    }
);

/// The full export's data: the entity class and one system's AI facts.
pub async fn rich(store: &Store, org: OrgId, system: SystemId) -> anyhow::Result<()> {
    store
        .set_nis_facts(&actor(), org, essential(), today())
        .await?;
    let mut d = high_risk();
    d.fria_on = Some(date(2026, 3, 1));
    d.fria_reference = Some("KS 2026/112".into());
    store.set_ai_act(&actor(), org, system, d, today()).await?;
    Ok(())
}

/// Makes the regulatory parts of a rule's condition hold for the system (the
/// every-rule test): its information classified at the confidentiality
/// level asked for, high-risk AI, the organisation's entity class.
pub async fn meet_condition(
    store: &Store,
    org: OrgId,
    s: SystemId,
    when: &policy::Condition,
) -> anyhow::Result<()> {
    let k = Scenario::at(store, org);
    if let Some(level) = when.min_confidentiality {
        for set in store.information_sets(org, s).await? {
            classify(&k, s, set.id, level).await?;
        }
    }
    if when.ai_high_risk == Some(true) {
        store
            .set_ai_act(&actor(), org, s, high_risk(), today())
            .await?;
    }
    let class = match (when.nis_essential, when.nis_important) {
        (Some(true), _) => Some(NisEntityClass::Essential),
        (_, Some(true)) => Some(NisEntityClass::Important),
        _ => None,
    };
    if let Some(entity_class) = class {
        let d = NisDraft {
            entity_class,
            ..essential()
        };
        store.set_nis_facts(&actor(), org, d, today()).await?;
    }
    Ok(())
}

/// Meets the `fria` (a FRIA recorded) or `dpia` (a record naming the
/// system with its DPIA decided) artefact.
pub async fn meet_artefact(
    store: &Store,
    org: OrgId,
    s: SystemId,
    artefact: &str,
) -> anyhow::Result<()> {
    if artefact == policy::FRIA {
        let mut d = high_risk();
        d.fria_on = Some(today());
        store.set_ai_act(&actor(), org, s, d, today()).await?;
    } else {
        let d = complete("Behandling med konsekvensbedömning", None, vec![s]);
        store.create_processing_record(&actor(), org, d).await?;
    }
    Ok(())
}
