//! Processor agreements in the store: recorded, changed and removed with
//! their audit records and their state on the day; the compliance gap of a
//! system holding personal data whose supplier has no agreement in force
//! (naming the supplier) disappearing when one is recorded; the support
//! contract rule of business-critical systems; never in the public register.

use crate::store_suppliers::draft as supplier_draft;
use chrono::Utc;
use insyn_domain::contract::ContractKind;
use insyn_domain::processor::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found};

/// Signed on 2025-01-10, covering `systems`, one sub-processor in Finland.
pub fn draft(supplier: SupplierId, systems: Vec<SystemId>) -> ProcessorDraft {
    let mut d = ProcessorDraft::new(supplier);
    d.system_ids = systems;
    d.reference = Some("KS 2025/17".into());
    d.signed_on = Some(date(2025, 1, 10));
    d.review_interval_months = Some(12);
    d.last_review_on = Some(date(2025, 11, 1));
    d.sub_processors = vec![SubProcessor {
        name: "Drift Oy".into(),
        country: "FI".into(),
        activity: Some("Drift av servrar".into()),
    }];
    d
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

dual_test!(
    an_agreement_is_recorded_changed_and_removed_with_its_state_and_audit,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Procapita").await;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Tieto"))
            .await?;
        let before = audit_count(&store).await?;
        let a = store
            .create_processor_agreement(
                &actor(),
                k.org,
                draft(s.id, vec![sys.id]),
                date(2026, 6, 1),
            )
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(a.supplier_name, "Tieto");
        assert_eq!(a.systems[0].name, "Procapita");
        assert_eq!(a.sub_processors[0].country, "FI");
        assert_eq!(a.assessment.status, ProcessorStatus::Valid);
        assert_eq!(a.assessment.next_review_on, Some(date(2026, 11, 1)));

        // A transfer to the US without a mechanism: not valid, said in words.
        let mut d = a.draft();
        d.transfers = vec![Transfer {
            country: "us".into(),
            mechanism: TransferMechanism::None,
            note: None,
        }];
        let b = store
            .update_processor_agreement(&actor(), k.org, a.id, d, date(2026, 6, 1))
            .await?;
        assert_eq!(b.assessment.status, ProcessorStatus::NotValid);
        assert!(b.assessment.reasons_sv[0].contains("US saknar överföringsmekanism"));
        assert_eq!(audit_count(&store).await?, before + 2);
        // Read later, the review is overdue (and the transfer still lacks ground).
        let c = store
            .get_processor_agreement(k.org, a.id, date(2027, 1, 1))
            .await?;
        assert_eq!(c.assessment.status, ProcessorStatus::NotValid);

        // The contract must be a processor agreement with the same supplier.
        let contract = store
            .create_contract(
                &actor(),
                k.org,
                crate::store_contracts::draft("Drift", s.id, vec![sys.id]),
                date(2026, 1, 1),
            )
            .await?;
        let mut d = a.draft();
        d.contract_id = Some(contract.id);
        let e = invalid(
            store
                .update_processor_agreement(&actor(), k.org, a.id, d.clone(), today())
                .await,
        );
        assert_eq!(e.get("contract_id"), Some(validation::UNKNOWN_CHOICE));
        let mut pub_contract = crate::store_contracts::draft("PUB", s.id, vec![sys.id]);
        pub_contract.kind = ContractKind::ProcessorAgreement;
        let pc = store
            .create_contract(&actor(), k.org, pub_contract, date(2026, 1, 1))
            .await?;
        d.contract_id = Some(pc.id);
        let linked = store
            .update_processor_agreement(&actor(), k.org, a.id, d, today())
            .await?;
        assert_eq!(linked.contract_name.as_deref(), Some("PUB"));
        // Removing the contract leaves the agreement, unlinked.
        store.remove_contract(&actor(), k.org, pc.id).await?;
        let unlinked = store.get_processor_agreement(k.org, a.id, today()).await?;
        assert_eq!(unlinked.contract_id, None);

        let page = store
            .list_processor_agreements(k.org, PageRequest::new(Some(1), Some(10)), today())
            .await?;
        assert_eq!((page.total, page.items.len()), (1, 1));
        assert_eq!(
            store
                .system_processor_agreements(k.org, sys.id, today())
                .await?
                .len(),
            1
        );
        // An unknown system, and another organisation's, are refused by name.
        let mut d = a.draft();
        d.system_ids.push(SystemId::new());
        let e = invalid(
            store
                .update_processor_agreement(&actor(), k.org, a.id, d, today())
                .await,
        );
        assert_eq!(e.get("system_ids"), Some(validation::UNKNOWN_CHOICE));
        let other = Scenario::new(&store, "grannen").await?;
        not_found(
            store
                .get_processor_agreement(other.org, a.id, today())
                .await,
        );
        let count = audit_count(&store).await?;
        store
            .remove_processor_agreement(&actor(), k.org, a.id)
            .await?;
        assert_eq!(audit_count(&store).await?, count + 1);
        not_found(store.get_processor_agreement(k.org, a.id, today()).await);
    }
);

/// The outcome of the rule for the system, if the rule applies.
pub async fn outcome(
    store: &Store,
    org: OrgId,
    system: SystemId,
    rule: &str,
) -> anyhow::Result<Option<policy::Outcome>> {
    let c = store.compliance(org, Some(system), today()).await?;
    Ok(c.systems[0]
        .findings
        .iter()
        .find(|f| f.rule_id() == rule)
        .map(|f| f.outcome))
}

dual_test!(
    personal_data_with_a_supplier_and_no_valid_agreement_is_a_gap_until_one_is_recorded,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let sys = k.system("Procapita").await;
        let gap = |o: Option<policy::Outcome>| matches!(o, Some(policy::Outcome::Missing { .. }));
        // No supplier, no personal data: the rule does not apply.
        assert_eq!(
            outcome(&store, org, sys.id, "processor-agreement").await?,
            None
        );
        let tieto = store
            .create_supplier(&a, org, supplier_draft("Tieto"))
            .await?;
        store
            .set_system_supplier(&a, org, sys.id, Some(tieto.id))
            .await?;
        assert_eq!(
            outcome(&store, org, sys.id, "processor-agreement").await?,
            None
        );
        k.information_set(sys.id, "Brukare", true, false).await?;
        assert!(gap(
            outcome(&store, org, sys.id, "processor-agreement").await?
        ));
        let (gaps, total) = store.processor_gaps(org, today()).await?;
        assert_eq!(total, 1);
        assert_eq!(
            (gaps[0].system_name.as_str(), gaps[0].supplier_name.as_str()),
            ("Procapita", "Tieto")
        );

        // An agreement with another supplier does not count.
        let other = store
            .create_supplier(&a, org, supplier_draft("Atea"))
            .await?;
        store
            .create_processor_agreement(&a, org, draft(other.id, vec![sys.id]), today())
            .await?;
        assert!(gap(
            outcome(&store, org, sys.id, "processor-agreement").await?
        ));
        // Nor one with the supplier that transfers to the US without a mechanism.
        let mut bad = draft(tieto.id, vec![sys.id]);
        bad.last_review_on = Some(today());
        bad.transfers = vec![Transfer {
            country: "US".into(),
            mechanism: TransferMechanism::None,
            note: None,
        }];
        let rec = store
            .create_processor_agreement(&a, org, bad, today())
            .await?;
        assert!(gap(
            outcome(&store, org, sys.id, "processor-agreement").await?
        ));
        assert_eq!(store.processor_gaps(org, today()).await?.1, 1);

        // With standard contractual clauses it is valid: the gap is gone.
        let mut good = rec.draft();
        good.transfers[0].mechanism = TransferMechanism::StandardContractualClauses;
        store
            .update_processor_agreement(&a, org, rec.id, good, today())
            .await?;
        assert!(matches!(
            outcome(&store, org, sys.id, "processor-agreement").await?,
            Some(policy::Outcome::Met { .. })
        ));
        assert_eq!(store.processor_gaps(org, today()).await?, (vec![], 0));
        // The organisation's whole evaluation agrees.
        let all = store.compliance(org, None, today()).await?;
        let f = all.systems[0]
            .findings
            .iter()
            .find(|f| f.rule_id() == "processor-agreement")
            .unwrap();
        assert!(!f.is_gap());
    }
);

dual_test!(
    a_business_critical_system_needs_an_active_support_or_operation_contract,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let mut d = SystemDraft::named("Lönesystem");
        d.business_critical = true;
        let sys = store.create_system(&a, org, d).await?;
        let gap = |o: Option<policy::Outcome>| matches!(o, Some(policy::Outcome::Missing { .. }));
        assert!(gap(outcome(&store, org, sys.id, "support-contract").await?));
        let s = store
            .create_supplier(&a, org, supplier_draft("Visma"))
            .await?;
        // A licence contract is not support.
        let mut c = crate::store_contracts::draft("Licens", s.id, vec![sys.id]);
        c.kind = ContractKind::Licence;
        store.create_contract(&a, org, c, today()).await?;
        assert!(gap(outcome(&store, org, sys.id, "support-contract").await?));
        // A support contract that has expired is not active.
        let mut c = crate::store_contracts::draft("Gammal support", s.id, vec![sys.id]);
        c.kind = ContractKind::Support;
        c.renewal = insyn_domain::contract::RenewalKind::None;
        c.renewal_months = None;
        c.start_date = Some(date(2020, 1, 1));
        c.signed_on = Some(date(2019, 12, 1));
        c.initial_months = Some(12);
        store.create_contract(&a, org, c, today()).await?;
        assert!(gap(outcome(&store, org, sys.id, "support-contract").await?));
        // An active operation contract meets it.
        let mut c = crate::store_contracts::draft("Drift", s.id, vec![sys.id]);
        c.kind = ContractKind::Operation;
        store.create_contract(&a, org, c, today()).await?;
        assert!(matches!(
            outcome(&store, org, sys.id, "support-contract").await?,
            Some(policy::Outcome::Met { .. })
        ));
    }
);

dual_test!(
    the_public_register_never_shows_a_processor_agreement,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Procapita").await;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Tieto"))
            .await?;
        let mut d = draft(s.id, vec![sys.id]);
        d.reference = Some("PUB 2099/1".into());
        d.sub_processors[0].name = "Hemligt underbiträde".into();
        store
            .create_processor_agreement(&actor(), k.org, d, today())
            .await?;
        crate::store_suppliers::assert_never_public(
            &store,
            k.org,
            "Procapita",
            &["PUB 2099/1", "Hemligt underbiträde"],
        )
        .await?;
    }
);

dual_test!(
    the_owner_is_reminded_of_the_next_review_once_per_review_day,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Procapita").await;
        k.owner(&sys, "Ola Ägare", "ola@kommunen.se").await?;
        let other = k.system("Lön").await;
        k.owner(&other, "Pia Annan", "pia@kommunen.se").await?;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Tieto"))
            .await?;
        // Reviewed 2025-11-01, every 12 months: next 2026-11-01; the lead
        // time is the contracts' (60 days here): from 2026-09-02.
        store.set_contract_lead_days(&actor(), k.org, 60).await?;
        let a = store
            .create_processor_agreement(
                &actor(),
                k.org,
                draft(s.id, vec![sys.id]),
                date(2026, 1, 1),
            )
            .await?;
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 1), None)
                .await?,
            0
        );
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 2), None)
                .await?,
            1
        );
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 3), None)
                .await?,
            0,
            "once"
        );
        let mails = store.outbox_status(Some(k.org)).await?.latest;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].recipient, "ola@kommunen.se");
        assert!(mails[0].subject.contains("Tieto"), "{}", mails[0].subject);
        // A review recorded: the next one is a year on, and re-armed then.
        let mut d = a.draft();
        d.last_review_on = Some(date(2026, 9, 10));
        store
            .update_processor_agreement(&actor(), k.org, a.id, d, date(2026, 9, 10))
            .await?;
        assert_eq!(
            store
                .queue_processor_reminders(date(2026, 9, 11), None)
                .await?,
            0
        );
        assert_eq!(
            store
                .queue_processor_reminders(date(2027, 7, 12), None)
                .await?,
            1
        );
    }
);

/// An agreement covering `system` with its supplier: a row in each of the
/// agreement sections, for the full export's test data.
pub async fn rich(store: &Store, org: OrgId, system: SystemId) -> anyhow::Result<()> {
    let s = store
        .create_supplier(&actor(), org, supplier_draft("Tieto"))
        .await?;
    let a = store
        .create_processor_agreement(&actor(), org, draft(s.id, vec![system]), date(2026, 1, 1))
        .await?;
    let record = insyn_domain::processing::ProcessingDraft {
        name: "Lönehantering".into(),
        processor_agreement_ids: vec![a.id],
        ..Default::default()
    };
    store
        .create_processing_record(&actor(), org, record)
        .await?;
    Ok(())
}

dual_test!(
    the_gaps_are_the_active_systems_with_personal_data_and_a_supplier_by_name,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let tieto = store
            .create_supplier(&a, org, supplier_draft("Tieto"))
            .await?;
        // Named out of order; one without personal data, one archived, one
        // without a supplier, one covered by an agreement.
        let mut s = vec![];
        for name in [
            "Örat",
            "Bokning",
            "Alfa",
            "Ingen data",
            "Arkiverad",
            "Utan leverantör",
            "Täckt",
        ] {
            let sys = k.system(name).await;
            if name != "Utan leverantör" {
                store
                    .set_system_supplier(&a, org, sys.id, Some(tieto.id))
                    .await?;
            }
            if name != "Ingen data" {
                k.information_set(sys.id, "Brukare", name == "Bokning", name != "Bokning")
                    .await?;
            }
            s.push(sys);
        }
        store.archive_system(&a, org, s[4].id).await?;
        let mut covered = draft(tieto.id, vec![s[6].id]);
        covered.last_review_on = Some(today());
        store
            .create_processor_agreement(&a, org, covered, today())
            .await?;
        // Another organisation's system with the same facts.
        let grannen = Scenario::new(&store, "grannen").await?;
        let theirs = grannen.system("Alfa").await;
        let their_supplier = store
            .create_supplier(&a, grannen.org, supplier_draft("Tieto"))
            .await?;
        store
            .set_system_supplier(&a, grannen.org, theirs.id, Some(their_supplier.id))
            .await?;
        grannen
            .information_set(theirs.id, "Brukare", true, false)
            .await?;

        let (gaps, total) = store.processor_gaps(org, today()).await?;
        let names: Vec<&str> = gaps.iter().map(|g| g.system_name.as_str()).collect();
        assert_eq!(names, ["Alfa", "Bokning", "Örat"]);
        assert_eq!(total, 3);
        assert!(gaps.iter().all(|g| g.supplier_id == tieto.id));
        let one = store.processor_gap_of(org, s[1].id, today()).await?;
        assert_eq!(one.map(|g| g.system_id), Some(s[1].id));
        for quiet in [&s[3], &s[4], &s[5], &s[6]] {
            assert_eq!(store.processor_gap_of(org, quiet.id, today()).await?, None);
        }
        assert_eq!(store.processor_gap_of(org, theirs.id, today()).await?, None);
        assert_eq!(store.processor_gaps(grannen.org, today()).await?.1, 1);
    }
);
