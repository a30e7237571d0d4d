//! The outage plan (avbrottsplan) in the store, on both databases: draft →
//! submitted → approved, a newer approved version supersedes the older, the
//! first draft starts from the fallback routine, and the continuity rules
//! (an approved plan; RTO and RPO set) close when both are in place.

use insyn_domain::outage_plan::{OUTAGE_PLAN_SECTIONS, OutagePlanSections, SECTION_MAX};
use insyn_domain::security::{PlanAction, PlanStatus};
use insyn_domain::*;
use insyn_store::db::Queryable as _;
use insyn_store::{Actor, Store, StoreError};
use insyn_tests::{actor, dual_test, org_id};

fn every_section() -> OutagePlanSections {
    let mut s = OutagePlanSections::default();
    for k in OUTAGE_PLAN_SECTIONS {
        s.set(k, Some(format!("Om {k}.")));
    }
    s
}

/// Sets RTO and RPO (and the fallback routine) through the continuity
/// requirements' own setter.
pub(crate) async fn set_continuity(
    store: &Store,
    org: OrgId,
    system: SystemId,
    rto_minutes: Option<i64>,
    rpo_minutes: Option<i64>,
    fallback_routine: Option<&str>,
) -> anyhow::Result<()> {
    let req = insyn_domain::continuity::Requirements {
        rto_minutes,
        rpo_minutes,
        fallback_routine: fallback_routine.map(Into::into),
        ..Default::default()
    };
    store.set_continuity(&actor(), org, system, req).await?;
    Ok(())
}

/// Writes every section, submits and (as the owner) approves a new version.
pub(crate) async fn approve_outage_plan(
    store: &Store,
    org: OrgId,
    s: SystemId,
) -> anyhow::Result<insyn_domain::outage_plan::OutagePlan> {
    let p = store.new_outage_plan(&actor(), org, s).await?;
    approve_outage_plan_version(store, org, s, p.version).await
}

dual_test!(
    an_outage_plan_goes_from_draft_to_approved_and_a_newer_version_supersedes_it,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let s = store
            .create_system(&actor(), org, SystemDraft::named("Procapita"))
            .await?
            .id;
        set_continuity(
            &store,
            org,
            s,
            Some(240),
            Some(60),
            Some("  Pappersblanketter i pärmen  "),
        )
        .await?;
        let first = store.new_outage_plan(&actor(), org, s).await?;
        assert_eq!((first.version, first.status), (1, PlanStatus::Draft));
        assert_eq!(
            first.sections.fallback_routine.as_deref(),
            Some("Pappersblanketter i pärmen"),
            "the first draft starts from the fallback routine"
        );
        // One open draft at a time.
        assert_eq!(store.new_outage_plan(&actor(), org, s).await?.id, first.id);

        // Submitting needs every section; each missing one is named.
        match store
            .move_outage_plan(&actor(), org, s, 1, PlanAction::Submit)
            .await
        {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.0.len(), OUTAGE_PLAN_SECTIONS.len() - 1, "{e:?}");
                assert_eq!(e.get("scope"), Some(insyn_domain::validation::REQUIRED));
            }
            other => panic!("{other:?}"),
        }
        // A section over the limit is refused by its name, and nothing changes.
        let long = OutagePlanSections {
            communication: Some("x".repeat(SECTION_MAX + 1)),
            ..Default::default()
        };
        match store.edit_outage_plan(&actor(), org, s, 1, long).await {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(
                    e.get("communication"),
                    Some(insyn_domain::validation::TOO_LONG)
                )
            }
            other => panic!("{other:?}"),
        }
        let v1 = approve_outage_plan_version(&store, org, s, 1).await?;
        assert_eq!(v1.status, PlanStatus::Approved);
        assert_eq!(v1.approved_by.as_deref(), Some("agare@stad.se"));
        // An approved plan is not edited.
        assert!(
            store
                .edit_outage_plan(&actor(), org, s, 1, every_section())
                .await
                .is_err()
        );

        // Version 2 starts from version 1's texts; its approval supersedes 1.
        let second = store.new_outage_plan(&actor(), org, s).await?;
        assert_eq!(second.version, 2);
        assert_eq!(second.sections, v1.sections);
        let change = OutagePlanSections {
            restart_order: Some("1. Databasen 2. Klienterna".into()),
            exercise: Some("".into()),
            ..Default::default()
        };
        let edited = store.edit_outage_plan(&actor(), org, s, 2, change).await?;
        assert_eq!(
            edited.sections.restart_order.as_deref(),
            Some("1. Databasen 2. Klienterna")
        );
        assert_eq!(edited.sections.exercise, None, "an empty text clears");
        assert_eq!(edited.sections.scope, v1.sections.scope, "the rest stays");
        store
            .edit_outage_plan(&actor(), org, s, 2, every_section())
            .await?;
        approve_outage_plan_version(&store, org, s, 2).await?;
        let all = store.outage_plans(org, s).await?;
        let states: Vec<(i32, PlanStatus)> = all.iter().map(|p| (p.version, p.status)).collect();
        assert_eq!(
            states,
            [(2, PlanStatus::Approved), (1, PlanStatus::Superseded)]
        );

        // Every change is in the audit trail.
        let n = store
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM audit_events WHERE object_type = 'outage_plan'",
                vec![],
            )
            .await?;
        assert!(n >= 8, "{n}");
    }
);

async fn approve_outage_plan_version(
    store: &Store,
    org: OrgId,
    s: SystemId,
    version: i32,
) -> anyhow::Result<insyn_domain::outage_plan::OutagePlan> {
    store
        .edit_outage_plan(&actor(), org, s, version, every_section())
        .await?;
    store
        .move_outage_plan(&actor(), org, s, version, PlanAction::Submit)
        .await?;
    Ok(store
        .move_outage_plan(
            &Actor::new("agare@stad.se"),
            org,
            s,
            version,
            PlanAction::Approve,
        )
        .await?)
}

dual_test!(
    a_business_critical_system_lacks_requirements_and_plan_until_both_are_set,
    |store: Store| async move {
        let org = org_id(&store, "mjolby").await?;
        store.adopt_profile(&actor(), org, "mjolby-2005").await?;
        let mut d = SystemDraft::named("Ekonomisystem");
        d.business_critical = true;
        let s = store.create_system(&actor(), org, d).await?.id;
        let today = chrono::Utc::now().date_naive();
        let state = async |rule: &str| -> anyhow::Result<&'static str> {
            let c = store.compliance(org, Some(s), today).await?;
            Ok(c.systems[0]
                .findings
                .iter()
                .find(|f| f.rule_id() == rule)
                .map(|f| f.outcome.state())
                .unwrap_or("not asked"))
        };
        assert_eq!(state("outage-plan").await?, "missing");
        assert_eq!(state("continuity-requirements").await?, "missing");

        // RTO alone is not enough; RTO and RPO close the rule.
        set_continuity(&store, org, s, Some(480), None, None).await?;
        assert_eq!(state("continuity-requirements").await?, "missing");
        set_continuity(&store, org, s, Some(480), Some(1440), None).await?;
        assert_eq!(state("continuity-requirements").await?, "met");

        // A draft or a submitted plan is not an approved one.
        let p = store.new_outage_plan(&actor(), org, s).await?;
        store
            .edit_outage_plan(&actor(), org, s, p.version, every_section())
            .await?;
        store
            .move_outage_plan(&actor(), org, s, p.version, PlanAction::Submit)
            .await?;
        assert_eq!(state("outage-plan").await?, "missing");
        store
            .move_outage_plan(&actor(), org, s, p.version, PlanAction::Approve)
            .await?;
        assert_eq!(state("outage-plan").await?, "met");
        // The whole organisation's compliance says the same.
        let all = store.compliance(org, None, today).await?;
        assert!(
            all.systems[0]
                .gaps()
                .all(|f| f.rule_id() != "outage-plan" && f.rule_id() != "continuity-requirements")
        );
    }
);
