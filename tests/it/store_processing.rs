//! Records of processing (GDPR art. 30) in the store: written and audited,
//! kept to their organisation, units, systems and sets; what a record lacks
//! named by its keys; the baseline's rule (a system with personal data in
//! no record is a gap) met once a record names the system; never public.

use insyn_domain::processing::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::processing::Controller;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found, unit};

/// A complete record of `unit` naming `systems`.
pub fn complete(name: &str, unit: Option<UnitId>, systems: Vec<SystemId>) -> ProcessingDraft {
    let s = |t: &str| Some(t.to_owned());
    ProcessingDraft {
        unit_id: unit,
        name: name.into(),
        contact: s("Socialnämnden, 0142-850 00; dataskyddsombud dso@kommunen.se"),
        purposes: s("Handläggning av ärenden om ekonomiskt bistånd"),
        legal_basis: Some(LegalBasis::PublicInterest),
        legal_reference: s("Socialtjänstlagen (2001:453) 4 kap. 1 §"),
        data_subjects: s("Sökande, medsökande och barn"),
        data_categories: s("Kontaktuppgifter, ekonomi, hälsa"),
        sensitive_data: true,
        offence_data: false,
        personal_numbers: true,
        recipients: s("Försäkringskassan"),
        processors: s("Leverantören (drift)"),
        transfers: vec![Transfer {
            country: "USA".into(),
            mechanism: s("EU–US Data Privacy Framework"),
        }],
        retention: s("Gallras fem år efter avslutat ärende"),
        security_measures: s("Behörighetsstyrning och loggning"),
        dpia_required: Some(true),
        dpia_reason: s("Känsliga uppgifter i stor omfattning"),
        dpia_date: Some(date(2025, 3, 1)),
        dpia_result: s("Godtagbar risk efter åtgärder"),
        dpia_next_review: Some(date(2027, 3, 1)),
        system_ids: systems,
        information_set_ids: vec![],
        processor_agreement_ids: vec![],
    }
}

dual_test!(
    a_record_is_written_audited_and_names_what_it_lacks,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let nämnd = unit(&store, org, None, "Socialnämnden").await;
        let s = k.system("Treserva").await;
        let set = k.information_set(s.id, "Journal", true, true).await?;
        let before = audit_count(&store).await?;
        let mut d = complete("Ekonomiskt bistånd", Some(nämnd.id), vec![s.id]);
        d.information_set_ids = vec![set.id];
        let r = store.create_processing_record(&a, org, d).await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(r.controller, "Socialnämnden");
        assert!(r.missing.is_empty(), "{:?}", r.missing);
        assert_eq!(r.systems[0].name, "Treserva");
        assert_eq!(r.systems[0].approved_plan_version, None);
        assert_eq!(r.information_sets[0].name, "Journal");
        assert_eq!(r.draft.transfers.len(), 1);

        // Emptied items are named, in the order of art. 30(1).
        let mut d = r.draft.clone();
        d.retention = None;
        d.transfers[0].mechanism = None;
        let r = store.update_processing_record(&a, org, r.id, d).await?;
        assert_eq!(
            r.missing,
            [
                "processing-missing-transfer-mechanism",
                "processing-missing-retention"
            ]
        );
        assert_eq!(audit_count(&store).await?, before + 2);
        assert_eq!(store.processing_record(org, r.id).await?.missing, r.missing);

        // The organisation's own record, and the lists per controller.
        let own = store
            .create_processing_record(
                &a,
                org,
                ProcessingDraft {
                    name: "Personalregister".into(),
                    ..Default::default()
                },
            )
            .await?;
        assert_eq!(own.controller, store.org_by_id(org).await?.name);
        assert!(
            own.missing
                .contains(&"processing-missing-purposes".to_owned())
        );
        let names = |p: Page<ProcessingRecord>| {
            p.items
                .into_iter()
                .map(|r| r.draft.name)
                .collect::<Vec<_>>()
        };
        let all = PageRequest::default();
        assert_eq!(
            names(store.processing_records(org, Controller::Any, all).await?),
            ["Personalregister", "Ekonomiskt bistånd"]
        );
        assert_eq!(
            names(
                store
                    .processing_records(org, Controller::Unit(nämnd.id), all)
                    .await?
            ),
            ["Ekonomiskt bistånd"]
        );
        assert_eq!(
            names(
                store
                    .controller_processing_records(org, Controller::Organisation)
                    .await?
            ),
            ["Personalregister"]
        );
        // Paged in the database, each record with its own systems and sets.
        let second = store
            .processing_records(org, Controller::Any, PageRequest::new(Some(2), Some(1)))
            .await?;
        assert_eq!((second.total, second.items.len()), (2, 1));
        assert_eq!(second.items[0].draft.name, "Ekonomiskt bistånd");
        assert_eq!(second.items[0].systems.len(), 1);
        assert_eq!(second.items[0].information_sets.len(), 1);
        assert_eq!(second.items[0].missing, r.missing);
        let first = store
            .processing_records(org, Controller::Any, PageRequest::new(Some(1), Some(1)))
            .await?;
        assert_eq!(first.items[0].draft.name, "Personalregister");
        assert!(first.items[0].systems.is_empty());

        store.remove_processing_record(&a, org, own.id).await?;
        not_found(store.processing_record(org, own.id).await);
        assert_eq!(audit_count(&store).await?, before + 4);
    }
);

dual_test!(
    a_record_refuses_what_is_not_its_organisations,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let (a, org) = (actor(), k.org);
        let s = k.system("Treserva").await;
        let t = k.system("Procapita").await;
        let foreign = other.system("Grannens").await;
        let foreign_unit = unit(&store, other.org, None, "Grannens nämnd").await;
        let set_of_t = k.information_set(t.id, "Journal", true, false).await?;

        let e = invalid(
            store
                .create_processing_record(&a, org, complete("X", None, vec![foreign.id]))
                .await,
        );
        assert_eq!(e.get("system_ids"), Some(validation::UNKNOWN_REFERENCE));
        let e = invalid(
            store
                .create_processing_record(&a, org, complete("X", Some(foreign_unit.id), vec![]))
                .await,
        );
        assert_eq!(e.get("unit_id"), Some(validation::UNKNOWN_REFERENCE));
        let mut d = complete("X", None, vec![s.id]);
        d.information_set_ids = vec![set_of_t.id];
        let e = invalid(store.create_processing_record(&a, org, d).await);
        assert_eq!(e.get("information_set_ids"), Some(UNKNOWN_SET));
        let e = invalid(
            store
                .create_processing_record(&a, org, complete(" ", None, vec![]))
                .await,
        );
        assert_eq!(e.get("name"), Some(validation::REQUIRED));

        let r = store
            .create_processing_record(&a, org, complete("X", None, vec![s.id]))
            .await?;
        not_found(store.processing_record(other.org, r.id).await);
        not_found(store.remove_processing_record(&a, other.org, r.id).await);
    }
);

dual_test!(
    a_system_with_personal_data_in_no_record_is_a_gap_until_one_names_it,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        store.adopt_profile(&a, org, "baseline-2026").await?;
        let s = k.system("Treserva").await;
        let plain = k.system("Bredbandskarta").await;
        k.information_set(s.id, "Journal", true, false).await?;
        k.information_set(plain.id, "Kartor", false, false).await?;
        let today = chrono::Utc::now().date_naive();
        let finding = async |sys: SystemId| -> anyhow::Result<Option<policy::Outcome>> {
            let c = store.compliance(org, Some(sys), today).await?;
            Ok(c.systems[0]
                .findings
                .iter()
                .find(|f| f.rule_id() == "processing-record")
                .map(|f| f.outcome))
        };
        assert!(matches!(
            finding(s.id).await?,
            Some(policy::Outcome::Missing { .. })
        ));
        // No personal data: the rule does not apply.
        assert_eq!(finding(plain.id).await?, None);
        // A record naming another system does not cover it.
        let r = store
            .create_processing_record(&a, org, complete("Karta", None, vec![plain.id]))
            .await?;
        assert!(matches!(
            finding(s.id).await?,
            Some(policy::Outcome::Missing { .. })
        ));
        // Named in a record (even an incomplete one): met.
        let mut d = r.draft.clone();
        d.system_ids.push(s.id);
        d.retention = None;
        store.update_processing_record(&a, org, r.id, d).await?;
        assert!(matches!(
            finding(s.id).await?,
            Some(policy::Outcome::Met { .. })
        ));
        // A document of that kind never stands in for the record.
        store.remove_processing_record(&a, org, r.id).await?;
        assert!(matches!(
            finding(s.id).await?,
            Some(policy::Outcome::Missing { .. })
        ));
    }
);

dual_test!(
    the_public_register_never_shows_a_record_of_processing,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let mut d = complete("Hemlig behandling", None, vec![s.id]);
        d.purposes = Some("Skyddade personuppgifter".into());
        store.create_processing_record(&actor(), k.org, d).await?;
        crate::store_suppliers::assert_never_public(
            &store,
            k.org,
            "Treserva",
            &[
                "Hemlig behandling",
                "Skyddade personuppgifter",
                "Privacy Framework",
            ],
        )
        .await?;
    }
);

/// A record of `unit` naming `system` and its first information set, for
/// the full export's test data.
pub async fn rich(store: &Store, org: OrgId, system: SystemId, unit: UnitId) -> anyhow::Result<()> {
    let mut d = complete("Ekonomiskt bistånd", Some(unit), vec![system]);
    d.information_set_ids = store
        .information_sets(org, system)
        .await?
        .into_iter()
        .take(1)
        .map(|s| s.id)
        .collect();
    assert!(!d.information_set_ids.is_empty());
    store.create_processing_record(&actor(), org, d).await?;
    Ok(())
}

dual_test!(
    a_record_names_its_processors_agreements_of_its_own_organisation,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let (a, org) = (actor(), k.org);
        let s = k.system("Treserva").await;
        let supplier = crate::store_suppliers::draft("Tietoevry");
        let tieto = store.create_supplier(&a, org, supplier).await?;
        let today = chrono::Utc::now().date_naive();
        let agreement = store
            .create_processor_agreement(
                &a,
                org,
                crate::store_processors::draft(tieto.id, vec![s.id]),
                today,
            )
            .await?;
        let theirs = other
            .store
            .create_supplier(&a, other.org, crate::store_suppliers::draft("Grannens"))
            .await?;
        let foreign = store
            .create_processor_agreement(
                &a,
                other.org,
                crate::store_processors::draft(theirs.id, vec![]),
                today,
            )
            .await?;

        let mut d = ProcessingDraft {
            name: "Ekonomiskt bistånd".into(),
            processor_agreement_ids: vec![foreign.id],
            ..Default::default()
        };
        let e = invalid(store.create_processing_record(&a, org, d.clone()).await);
        assert_eq!(
            e.get("processor_agreement_ids"),
            Some(validation::UNKNOWN_REFERENCE)
        );

        d.processor_agreement_ids = vec![agreement.id, agreement.id];
        let r = store.create_processing_record(&a, org, d).await?;
        assert_eq!(r.draft.processor_agreement_ids, [agreement.id]);
        assert_eq!(r.processor_agreements[0].supplier_name, "Tietoevry");
        let read = store.processing_record(org, r.id).await?;
        assert_eq!(read.processor_agreements, r.processor_agreements);

        // Removing the agreement takes it off the record, nothing else.
        store
            .remove_processor_agreement(&a, org, agreement.id)
            .await?;
        let read = store.processing_record(org, r.id).await?;
        assert!(read.processor_agreements.is_empty());
        assert_eq!(read.draft.name, "Ekonomiskt bistånd");
    }
);
