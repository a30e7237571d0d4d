//! Every rule of every shipped profile can be met (issue 14, 2): for each
//! rule, a fresh system the rule applies to shows the gap, and the rule's own
//! workflow (a role assignment, a classification, a plan approved by the
//! owner, an approval signed by two people, a recorded decision, a document,
//! a control record or a signed checklist) brings it to "met".

use chrono::{Datelike, Days, Utc};
use insyn_domain::policy::{
    ANNUAL_REVIEW, CLASSIFICATION_REVIEW, Condition, ControlScope, Outcome, SHIPPED,
};
use insyn_domain::security::{ApprovalDraft, ClassificationDraft, PLAN_SECTIONS, PlanAction};
use insyn_domain::*;
use insyn_store::policy::{ControlDraft, DocumentDraft};
use insyn_store::reviews::Answer;
use insyn_store::security::DecisionDraft;
use insyn_store::{Actor, Store};
use insyn_tests::{Scenario, actor, dual_test, org_id, person};
use std::collections::BTreeMap;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// A system the condition holds for (personal data through an information set).
async fn system_for(
    store: &Store,
    org: OrgId,
    name: &str,
    when: &Condition,
) -> anyhow::Result<SystemId> {
    let mut d = SystemDraft::named(name);
    d.business_critical = when.business_critical.unwrap_or(false);
    d.user_count = Some(when.min_users.unwrap_or(1).max(1));
    if let Some(h) = when.hosting.first() {
        d.hosting = *h;
    }
    if let Some(l) = when.lifecycle.first() {
        d.lifecycle = *l;
    }
    // A new system: it goes live today, the day the profile was adopted.
    if when.new_system == Some(true) {
        d.go_live_date = Some(today());
    }
    let s = store.create_system(&actor(), org, d).await?;
    if when.has_supplier == Some(true) {
        let sup = store
            .create_supplier(
                &actor(),
                org,
                crate::store_suppliers::draft(&format!("Leverantör {name}")),
            )
            .await?;
        store
            .set_system_supplier(&actor(), org, s.id, Some(sup.id))
            .await?;
    }
    let personal = when.personal_data == Some(true);
    let sensitive = when.sensitive_personal_data == Some(true);
    if personal || sensitive {
        Scenario::at(store, org)
            .information_set(s.id, "Personuppgifter", true, sensitive)
            .await?;
    }
    crate::store_regulatory::meet_condition(store, org, s.id, when).await?;
    Ok(s.id)
}

/// Classifies every information set of the system (creating one if none).
async fn classify(store: &Store, org: OrgId, s: SystemId) -> anyhow::Result<()> {
    let mut sets = store.information_sets(org, s).await?;
    if sets.is_empty() {
        Scenario::at(store, org)
            .information_set(s, "Information", false, false)
            .await?;
        sets = store.information_sets(org, s).await?;
    }
    for set in sets {
        store
            .classify(
                &actor(),
                org,
                s,
                set.id,
                ClassificationDraft {
                    confidentiality: 1,
                    integrity: 1,
                    availability: 1,
                    traceability: Some(1),
                    justification: "Bedömd.".into(),
                    valid_until: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// Writes, submits and approves a security plan.
async fn approve_plan(store: &Store, org: OrgId, s: SystemId) -> anyhow::Result<()> {
    let plan = store.new_plan_version(&actor(), org, s).await?;
    let sections: BTreeMap<String, String> = PLAN_SECTIONS
        .iter()
        .map(|k| ((*k).to_owned(), format!("Om {k}.")))
        .collect();
    store.edit_plan(&actor(), org, s, plan.id, sections).await?;
    store
        .move_plan(&actor(), org, s, plan.id, PlanAction::Submit)
        .await?;
    store
        .move_plan(
            &Actor::new("agare@stad.se"),
            org,
            s,
            plan.id,
            PlanAction::Approve,
        )
        .await?;
    Ok(())
}

/// Meets an artefact rule through the artefact's own workflow.
async fn meet_artefact(
    store: &Store,
    org: OrgId,
    s: SystemId,
    artefact: &str,
) -> anyhow::Result<()> {
    match artefact {
        "classification" => classify(store, org, s).await?,
        "security_plan" => approve_plan(store, org, s).await?,
        "outage_plan" => {
            crate::store_outage_plans::approve_outage_plan(store, org, s).await?;
        }
        "decommission_gates" => {
            use insyn_domain::decommission::CaseDraft;
            store
                .open_decommission_case(&Actor::new("agare@stad.se"), org, s, CaseDraft::default())
                .await?;
            let medium = crate::store_decommission::erased("S1");
            store
                .add_erasure(&Actor::new("agare@stad.se"), org, s, medium)
                .await?;
        }
        "fria" | "dpia" => crate::store_regulatory::meet_artefact(store, org, s, artefact).await?,
        "processing_record" => {
            let d = crate::store_processing::complete("Behandling", None, vec![s]);
            store.create_processing_record(&actor(), org, d).await?;
        }
        "processor_agreement" => {
            let sup = store.system_supplier(org, s).await?.expect("a supplier");
            let d = crate::store_processors::draft(sup.id, vec![s]);
            store
                .create_processor_agreement(&actor(), org, d, today())
                .await?;
        }
        "support_contract" => {
            let sup = store
                .create_supplier(
                    &actor(),
                    org,
                    crate::store_suppliers::draft(&format!("Support {s}")),
                )
                .await?;
            let mut c = crate::store_contracts::draft("Support", sup.id, vec![s]);
            c.kind = insyn_domain::contract::ContractKind::Support;
            store.create_contract(&actor(), org, c, today()).await?;
        }
        "continuity_requirements" => {
            crate::store_outage_plans::set_continuity(store, org, s, Some(240), Some(60), None)
                .await?
        }
        "operational_approval" => {
            classify(store, org, s).await?;
            if store.profile_asks(org, s, "security_plan").await? {
                approve_plan(store, org, s).await?;
            }
            let a = store
                .create_approval(
                    &actor(),
                    org,
                    s,
                    ApprovalDraft {
                        baseline: "Grundskyddet är infört.".into(),
                        measures: vec![],
                    },
                )
                .await?;
            store
                .sign_approval(&Actor::new("agare@stad.se"), org, s, a.id, true)
                .await?;
            store
                .sign_approval(&Actor::new("it@stad.se"), org, s, a.id, false)
                .await?;
        }
        "business_critical_decision" => {
            let critical = store.get_system(org, s).await?.business_critical;
            store
                .decide_critical(
                    &actor(),
                    org,
                    s,
                    &DecisionDraft {
                        critical,
                        owner_name: "Ägaren".into(),
                        it_name: "IT-enheten".into(),
                        note: None,
                    },
                )
                .await?;
        }
        kind => {
            store
                .record_document(
                    &actor(),
                    org,
                    s,
                    DocumentDraft {
                        kind: kind.into(),
                        title: format!("Dokument {kind}"),
                        reference: None,
                        dated: today(),
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// Performs a control through its workflow.
async fn meet_control(
    store: &Store,
    org: OrgId,
    s: Option<SystemId>,
    control: &str,
) -> anyhow::Result<()> {
    match (control, s) {
        (ANNUAL_REVIEW, Some(s)) => {
            let period = today().year().to_string();
            let r = store.start_review(&actor(), org, s, &period).await?;
            let answers = r
                .items
                .iter()
                .map(|i| Answer {
                    item: i.id.clone(),
                    answer: Some("yes".into()),
                    comment: None,
                })
                .collect();
            store.answer_review(&actor(), org, r.id, answers).await?;
            store
                .sign_review(&Actor::new("agare@stad.se"), org, r.id)
                .await?;
        }
        (CLASSIFICATION_REVIEW, Some(s)) => classify(store, org, s).await?,
        (code, s) => {
            store
                .record_control(
                    &actor(),
                    org,
                    s,
                    ControlDraft {
                        control: code.into(),
                        performed_on: today(),
                        result: "ok".into(),
                        note: None,
                    },
                )
                .await?;
        }
    }
    Ok(())
}

async fn outcome(
    store: &Store,
    org: OrgId,
    s: SystemId,
    rule: &str,
    on: chrono::NaiveDate,
) -> anyhow::Result<Option<Outcome>> {
    let c = store.compliance(org, Some(s), on).await?;
    Ok(c.systems
        .first()
        .and_then(|x| x.findings.iter().find(|f| f.rule_id() == rule))
        .map(|f| f.outcome))
}

dual_test!(
    every_rule_of_every_shipped_profile_can_be_met,
    |store: Store| async move {
        let tomorrow = today() + Days::new(1);
        let mut checked = 0;
        for (code, _) in SHIPPED {
            let org = org_id(&store, code).await?;
            let profile = store.adopt_profile(&actor(), org, code).await?.profile;
            let pia = person(&store, org, "Pia Person", Some("pia@stad.se")).await?;
            let role_types = store.list_role_types(org).await?;
            for r in &profile.roles {
                let s = system_for(&store, org, &r.id, &r.when).await?;
                let before = outcome(&store, org, s, &r.id, tomorrow).await?;
                assert!(
                    matches!(before, Some(Outcome::Missing { .. })),
                    "{code}: {} {before:?}",
                    r.id
                );
                let rt = role_types
                    .iter()
                    .find(|t| t.code == r.any_of[0])
                    .expect("a role type");
                store
                    .assign_role(
                        &actor(),
                        org,
                        AssignmentDraft {
                            role_type_id: rt.id,
                            person_id: pia.id,
                            system_id: Some(s),
                            unit_id: None,
                            start_date: today(),
                            end_date: None,
                            note: None,
                        },
                    )
                    .await?;
                let after = outcome(&store, org, s, &r.id, tomorrow).await?;
                assert_eq!(after.map(|o| o.state()), Some("met"), "{code}: {}", r.id);
                checked += 1;
            }
            for a in &profile.artefacts {
                let s = system_for(&store, org, &a.id, &a.when).await?;
                let before = outcome(&store, org, s, &a.id, tomorrow).await?;
                assert!(
                    matches!(before, Some(Outcome::Missing { .. })),
                    "{code}: {} {before:?}",
                    a.id
                );
                meet_artefact(&store, org, s, &a.artefact).await?;
                let after = outcome(&store, org, s, &a.id, tomorrow).await?;
                assert_eq!(after.map(|o| o.state()), Some("met"), "{code}: {}", a.id);
                checked += 1;
            }
            for c in profile
                .controls
                .iter()
                .filter(|c| c.scope == ControlScope::System)
            {
                let s = system_for(&store, org, &c.id, &c.when).await?;
                let before = outcome(&store, org, s, &c.id, tomorrow).await?;
                assert!(
                    matches!(before, Some(Outcome::Overdue { .. })),
                    "{code}: {} {before:?}",
                    c.id
                );
                meet_control(&store, org, Some(s), &c.control).await?;
                let after = outcome(&store, org, s, &c.id, tomorrow).await?;
                assert_eq!(after.map(|o| o.state()), Some("met"), "{code}: {}", c.id);
                checked += 1;
            }
            let org_rule = |on| {
                let store = store.clone();
                async move {
                    anyhow::Ok(
                        store
                            .compliance(org, None, on)
                            .await?
                            .organisation
                            .into_iter()
                            .map(|f| (f.rule_id().to_owned(), f.outcome.state()))
                            .collect::<Vec<_>>(),
                    )
                }
            };
            let org_controls: Vec<_> = profile
                .controls
                .iter()
                .filter(|c| c.scope == ControlScope::Organisation)
                .collect();
            if !org_controls.is_empty() {
                // Adopted today: late a few years on, until performed.
                let years_on = today() + Days::new(3 * 366 + 1);
                assert!(
                    org_rule(years_on)
                        .await?
                        .iter()
                        .all(|(_, s)| *s == "overdue")
                );
                for c in &org_controls {
                    meet_control(&store, org, None, &c.control).await?;
                    checked += 1;
                }
                assert!(org_rule(tomorrow).await?.iter().all(|(_, s)| *s == "met"));
            }
        }
        // Every rule of the six profiles was tried.
        let total: usize = SHIPPED
            .iter()
            .map(|(_, t)| {
                let p = insyn_domain::policy::Profile::parse_unchecked(t).expect("parses");
                p.roles.len() + p.artefacts.len() + p.controls.len()
            })
            .sum();
        assert_eq!(checked, total);
    }
);
