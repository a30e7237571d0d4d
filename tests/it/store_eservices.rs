//! E-services in the store: written and audited, kept to their
//! organisation, units and systems, listed a page at a time with the total
//! and filtered by step, with their findings on the day passed; the public
//! register shows only published ones with only their public fields, in
//! its pages and its search.

use insyn_domain::eservice::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found, unit};

/// An e-service on `step` behind `systems`, its statement and criteria
/// complete.
pub fn complete(name: &str, step: EServiceStep, systems: Vec<SystemId>) -> EServiceDraft {
    EServiceDraft {
        description: Some("Sök bygglov digitalt".into()),
        url: Some("https://kommunen.se/bygglov".into()),
        owner: Some("Anna Tjänsteägare".into()),
        target_groups: vec![
            EServiceTargetGroup::Citizens,
            EServiceTargetGroup::Businesses,
        ],
        goal_areas: vec![EServiceGoalArea::EService],
        system_ids: systems,
        statement_url: Some("https://kommunen.se/tillganglighet".into()),
        statement_date: Some(date(2026, 1, 10)),
        accessibility_status: Some(EServiceAccessibility::PartiallyCompliant),
        criteria: EServiceCriterionKind::ALL
            .iter()
            .map(|c| EServiceCriterion {
                criterion: *c,
                verdict: EServiceVerdict::Met,
                note: Some("Bedömt 2026".into()),
            })
            .collect(),
        ..EServiceDraft::new(name, step)
    }
}

dual_test!(
    an_eservice_is_written_audited_and_listed_by_step,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let today = date(2026, 6, 1);
        let bygg = unit(&store, org, None, "Samhällsbyggnad").await;
        let s = k.system("ByggR").await;
        let before = audit_count(&store).await?;
        let mut d = complete("Ansökan om bygglov", EServiceStep::Transaction, vec![s.id]);
        d.unit_id = Some(bygg.id);
        let e = store.create_eservice(&a, org, d, today).await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(e.unit.as_deref(), Some("Samhällsbyggnad"));
        assert_eq!(e.systems[0].name, "ByggR");
        assert_eq!(e.draft.criteria.len(), 5);
        assert_eq!(e.findings, [NOT_COMPLIANT]);
        assert_eq!(store.eservice(org, e.id, today).await?, e);

        // A year and more later the statement is old.
        let later = store.eservice(org, e.id, date(2027, 2, 1)).await?;
        assert_eq!(later.findings, [STATEMENT_OLD, NOT_COMPLIANT]);

        // Edited as a whole: systems and criteria go, findings say so.
        let mut d = e.draft.clone();
        d.system_ids.clear();
        d.criteria.truncate(2);
        d.statement_url = None;
        let e = store.update_eservice(&a, org, e.id, d, today).await?;
        assert_eq!(
            e.findings,
            [NO_STATEMENT, CRITERIA_NOT_ASSESSED, NO_SYSTEMS]
        );
        assert!(e.systems.is_empty());
        assert_eq!(audit_count(&store).await?, before + 2);

        // A page of them with the total, and one step only.
        for (n, step) in [
            ("Felanmälan gata", EServiceStep::Interaction),
            ("Avgifter", EServiceStep::Information),
            ("Bokning av lokal", EServiceStep::Interaction),
        ] {
            store
                .create_eservice(&a, org, EServiceDraft::new(n, step), today)
                .await?;
        }
        let page = store
            .eservices(org, None, PageRequest::new(Some(1), Some(2)), today)
            .await?;
        assert_eq!(page.total, 4);
        let names: Vec<&str> = page.items.iter().map(|e| e.draft.name.as_str()).collect();
        assert_eq!(names, ["Ansökan om bygglov", "Avgifter"]);
        let step2 = store
            .eservices(
                org,
                Some(EServiceStep::Interaction),
                PageRequest::new(None, None),
                today,
            )
            .await?;
        assert_eq!(step2.total, 2);
        assert_eq!(step2.items[0].draft.name, "Bokning av lokal");

        // The system lists the e-services it serves.
        let d = complete("Ansökan om bygglov", EServiceStep::Transaction, vec![s.id]);
        store.update_eservice(&a, org, e.id, d, today).await?;
        let served = store.eservices_of_system(org, s.id).await?;
        assert_eq!(
            served,
            [(
                e.id,
                "Ansökan om bygglov".to_owned(),
                EServiceStep::Transaction
            )]
        );

        // Removed, audited.
        store.remove_eservice(&a, org, e.id).await?;
        not_found(store.eservice(org, e.id, today).await);
        assert!(store.eservices_of_system(org, s.id).await?.is_empty());
        assert_eq!(audit_count(&store).await?, before + 7);
    }
);

dual_test!(
    an_eservice_keeps_to_its_organisation_and_names_the_bad_field,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let (a, today) = (actor(), date(2026, 6, 1));
        let theirs = other.system("Deras").await;
        let d = complete("X", EServiceStep::Information, vec![theirs.id]);
        let e = invalid(store.create_eservice(&a, k.org, d, today).await);
        assert_eq!(e.get("system_ids"), Some("error-unknown-reference"));
        let their_unit = unit(&store, other.org, None, "Deras enhet").await;
        let mut d = EServiceDraft::new("X", EServiceStep::Information);
        d.unit_id = Some(their_unit.id);
        let e = invalid(store.create_eservice(&a, k.org, d, today).await);
        assert_eq!(e.get("unit_id"), Some("error-unknown-reference"));
        let mut d = EServiceDraft::new("X", EServiceStep::Information);
        d.url = Some("kommunen.se".into());
        let e = invalid(store.create_eservice(&a, k.org, d, today).await);
        assert_eq!(e.get("url"), Some("error-not-a-url"));

        let mine = store
            .create_eservice(
                &a,
                k.org,
                EServiceDraft::new("Min", EServiceStep::Information),
                today,
            )
            .await?;
        not_found(store.eservice(other.org, mine.id, today).await);
        not_found(store.remove_eservice(&a, other.org, mine.id).await);
        let d = EServiceDraft::new("Stulen", EServiceStep::Information);
        not_found(
            store
                .update_eservice(&a, other.org, mine.id, d, today)
                .await,
        );
        let e = invalid(
            store
                .set_eservice_public_fields(&a, k.org, &[("secret_stuff".into(), true)])
                .await,
        );
        assert_eq!(e.get("secret_stuff"), Some("error-unknown-choice"));
    }
);

dual_test!(
    the_public_sees_published_eservices_with_public_fields_only_and_search_finds_nothing_secret,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org, today) = (actor(), k.org, date(2026, 6, 1));
        let s = k.system("HemligtSystemnamn").await;
        let mut d = complete("Ansökan om bygglov", EServiceStep::Transaction, vec![s.id]);
        d.owner = Some("Hemliga Ägaren".into());
        d.published = true;
        store.create_eservice(&a, org, d, today).await?;
        let mut d = complete("Opublicerad tjänst", EServiceStep::Information, vec![]);
        d.published = false;
        store.create_eservice(&a, org, d, today).await?;

        let all = PageRequest::new(None, None);
        let (page, _) = store.public_eservices(org, None, all).await?;
        assert_eq!(page.total, 1);
        let p = &page.items[0];
        assert_eq!(p.name.as_deref(), Some("Ansökan om bygglov"));
        assert_eq!(p.step, Some(EServiceStep::Transaction));
        assert!(p.statement_url.is_some());
        // Secret by default: owner, systems, criteria.
        assert_eq!(p.owner, None);
        assert!(p.systems.is_empty() && p.criteria_met.is_empty());
        let json = serde_json::to_string(&page.items)?;
        assert!(!json.contains("Hemlig") && !json.contains("Opublicerad"));

        // The search finds public words, never secret or unpublished ones.
        let found = |q: &'static str| {
            let store = store.clone();
            async move {
                store
                    .public_eservices(org, Some(q), all)
                    .await
                    .map(|(p, _)| p.total)
            }
        };
        assert_eq!(found("bygglov").await?, 1);
        assert_eq!(found("hemliga").await?, 0);
        assert_eq!(found("hemligtsystemnamn").await?, 0);
        assert_eq!(found("opublicerad").await?, 0);

        // The organisation opens the systems and closes the description.
        store
            .set_eservice_public_fields(
                &a,
                org,
                &[("systems".into(), true), ("description".into(), false)],
            )
            .await?;
        assert_eq!(found("hemligtsystemnamn").await?, 1);
        assert_eq!(found("digitalt").await?, 0);
        let (page, secrecy) = store.public_eservices(org, None, all).await?;
        assert_eq!(page.items[0].systems, ["HemligtSystemnamn"]);
        assert_eq!(page.items[0].description, None);
        assert!(secrecy.is_public(insyn_domain::eservice::public::EServiceField::Systems));
        // Never in the systems' public register either.
        let (reg, _) = store.public_register(org, Some("bygglov"), all).await?;
        assert_eq!(reg.total, 0);
    }
);

/// The rich organisation's e-service (for the full export's test).
pub async fn rich(store: &Store, org: OrgId, system: SystemId, unit: UnitId) -> anyhow::Result<()> {
    let mut d = complete(
        "Ansökan om bygglov",
        EServiceStep::Transaction,
        vec![system],
    );
    d.unit_id = Some(unit);
    d.statement_reviewed_on = Some(date(2026, 2, 1));
    d.other_target_groups = Some("Fastighetsägare".into());
    d.published = true;
    let today = chrono::Utc::now().date_naive();
    store.create_eservice(&actor(), org, d, today).await?;
    store
        .set_eservice_public_fields(&actor(), org, &[("owner".into(), true)])
        .await?;
    Ok(())
}
