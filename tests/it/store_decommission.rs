//! Decommissioning in the store: record types and erasure records written
//! and audited; a case that cannot close while a gate fails (each failing
//! gate named), closes once the register shows nothing left behind and
//! marks the system decommissioned, or closes with an exception the owner
//! signs; nothing of it reaches the public register.

use chrono::{Days, Utc};
use insyn_domain::decommission::*;
use insyn_domain::integration::{Criticality, Direction, Frequency, IntegrationDraft};
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, dual_test, invalid, not_found};

pub fn keep(name: &str) -> RecordTypeDraft {
    RecordTypeDraft {
        name: name.into(),
        disposition: Disposition::Keep,
        disposal_period: None,
        decision_reference: None,
        decision_date: None,
        archive_format: Some("FGS/E-ARK".into()),
        delivery_deadline: None,
        delivered_on: None,
        delivery_reference: None,
        note: None,
    }
}

pub fn erased(serial: &str) -> ErasureDraft {
    ErasureDraft {
        method: Some(ErasureMethod::Purge),
        tool: Some("Blancco Drive Eraser".into()),
        tool_version: Some("7.9".into()),
        operator: Some("Ida IT".into()),
        erased_on: Some(Utc::now().date_naive()),
        verified_by: Some("Per Kontroll".into()),
        verification_method: Some("Fullständig återläsning".into()),
        verification_result: Some(VerificationResult::Passed),
        certificate_reference: Some("BL-2026-0042".into()),
        ..ErasureDraft::medium("SSD", Some(serial))
    }
}

fn gate_fields(e: &FieldErrors) -> Vec<String> {
    e.0.iter()
        .filter(|f| f.field.starts_with("gates."))
        .map(|f| f.field.clone())
        .collect()
}

dual_test!(
    record_types_and_erasures_are_written_audited_and_kept_to_their_system,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ärendesystemet").await;
        let other = k.system("Annat").await;
        let (a, org) = (actor(), k.org);
        let before = audit_count(&store).await?;
        let t = store
            .add_record_type(&a, org, s.id, keep("Bygglov"))
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        let mut d = t.draft.clone();
        d.delivered_on = Some(Utc::now().date_naive());
        d.delivery_reference = Some("FGS-17".into());
        let t = store.update_record_type(&a, org, s.id, t.id, d).await?;
        assert!(t.draft.delivered());
        assert_eq!(store.record_types(org, s.id).await?.len(), 1);
        not_found(store.record_type(org, other.id, t.id).await);
        let e = invalid(store.add_record_type(&a, org, s.id, keep(" ")).await);
        assert_eq!(e.get("name"), Some(validation::REQUIRED));
        store.remove_record_type(&a, org, s.id, t.id).await?;
        assert!(store.record_types(org, s.id).await?.is_empty());

        let m = store
            .add_erasure(
                &a,
                org,
                s.id,
                ErasureDraft::medium("Hårddisk", Some("WD-1")),
            )
            .await?;
        assert!(!m.draft.erased());
        let m = store
            .update_erasure(&a, org, s.id, m.id, erased("WD-1"))
            .await?;
        assert!(m.draft.erased());
        assert_eq!(m.draft.tool.as_deref(), Some("Blancco Drive Eraser"));
        not_found(store.erasure(org, other.id, m.id).await);
        store.remove_erasure(&a, org, s.id, m.id).await?;
        assert!(store.erasures(org, s.id).await?.is_empty());

        store
            .set_archive_responsibility(
                &a,
                org,
                s.id,
                ArchiveResponsibility {
                    unit_id: None,
                    role: Some("Arkivredogörare".into()),
                },
            )
            .await?;
        let r = store.archive_responsibility(org, s.id).await?;
        assert_eq!(r.role.as_deref(), Some("Arkivredogörare"));
    }
);

dual_test!(
    a_case_closes_only_when_every_gate_passes_and_then_the_system_is_decommissioned,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Gamla ekonomisystemet").await;
        let next = k.system("Nya ekonomisystemet").await;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();
        let ola = k.person("Ola Ägare", Some("ola@kommunen.se")).await?;
        let role = k
            .holds_from(
                SYSTEM_OWNER,
                ola.id,
                insyn_tests::On::System(s.id),
                today - Days::new(30),
            )
            .await?;
        let flow = store
            .create_integration(
                &a,
                org,
                IntegrationDraft {
                    from_system_id: s.id,
                    to_system_id: next.id,
                    direction: Direction::OneWay,
                    interface: None,
                    information_set_ids: vec![],
                    frequency: Frequency::Daily,
                    criticality: Criticality::High,
                    responsible_id: None,
                    note: None,
                },
            )
            .await?;
        let t = store
            .add_record_type(&a, org, s.id, keep("Verifikationer"))
            .await?;
        let case = CaseDraft {
            decided_by: Some("Kommunstyrelsen".into()),
            decided_on: Some(today),
            decision_reference: Some("KS 2026/12".into()),
            planned_on: Some(today),
            target_system_id: Some(next.id),
            note: None,
        };
        let before = audit_count(&store).await?;
        store
            .open_decommission_case(&a, org, s.id, case.clone())
            .await?;
        // Opening the case moves the system to "phasing out", audited with it.
        let sys = store.get_system(org, s.id).await?;
        assert_eq!(sys.lifecycle, Lifecycle::PhasingOut);
        assert_eq!(audit_count(&store).await?, before + 2);
        let e = invalid(store.open_decommission_case(&a, org, s.id, case).await);
        assert_eq!(e.get("system_id"), Some(CASE_EXISTS));

        let close = CloseRequest::default();
        let e = invalid(
            store
                .close_decommission_case(&a, org, s.id, close.clone(), today)
                .await,
        );
        assert_eq!(e.get("exception_reason"), Some(GATES_FAIL));
        assert_eq!(
            gate_fields(&e),
            vec![
                "gates.keep_delivered",
                "gates.erasure_recorded",
                "gates.roles_ended",
                "gates.integrations_removed"
            ]
        );
        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert!(!v.ready);
        assert_eq!(v.gates[0].items, vec!["Verifikationer".to_string()]);

        // Fix every gate in the register; one medium left unerased still blocks.
        let mut d = t.draft.clone();
        d.delivered_on = Some(today);
        d.delivery_reference = Some("FGS-2026-3".into());
        store.update_record_type(&a, org, s.id, t.id, d).await?;
        store.end_assignment(&a, org, role.id, today).await?;
        store.remove_integration(&a, org, flow.id).await?;
        store.add_erasure(&a, org, s.id, erased("S1")).await?;
        let tape = store
            .add_erasure(
                &a,
                org,
                s.id,
                ErasureDraft::medium("Backupband", Some("T9")),
            )
            .await?;
        let e = invalid(
            store
                .close_decommission_case(&a, org, s.id, close.clone(), today)
                .await,
        );
        assert_eq!(gate_fields(&e), vec!["gates.media_erased"]);
        let sys = store.get_system(org, s.id).await?;
        assert_ne!(sys.lifecycle, Lifecycle::Decommissioned);

        store
            .update_erasure(&a, org, s.id, tape.id, erased("T9"))
            .await?;
        let before = audit_count(&store).await?;
        let c = store
            .close_decommission_case(&a, org, s.id, close.clone(), today)
            .await?;
        assert_eq!(c.status, CaseStatus::Closed);
        assert!(c.exception_reason.is_none());
        // The case's change and the system's lifecycle, both audited.
        assert_eq!(audit_count(&store).await?, before + 2);
        let sys = store.get_system(org, s.id).await?;
        assert_eq!(sys.lifecycle, Lifecycle::Decommissioned);
        let e = invalid(
            store
                .close_decommission_case(&a, org, s.id, close, today)
                .await,
        );
        assert_eq!(e.get("status"), Some(CASE_CLOSED));
    }
);

dual_test!(
    a_case_with_failing_gates_closes_with_a_signed_exception,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Skolplattformen").await;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();
        store
            .open_decommission_case(&a, org, s.id, CaseDraft::default())
            .await?;
        let e = invalid(
            store
                .update_decommission_case(
                    &a,
                    org,
                    s.id,
                    CaseDraft {
                        target_system_id: Some(s.id),
                        ..CaseDraft::default()
                    },
                )
                .await,
        );
        assert_eq!(e.get("target_system_id"), Some(validation::WRONG_TARGET));
        let reason = "Servern stals 2026-02-01; polisanmälan 5000-K123-26";
        let c = store
            .close_decommission_case(
                &a,
                org,
                s.id,
                CloseRequest {
                    exception_reason: Some(reason.into()),
                },
                today,
            )
            .await?;
        assert_eq!(c.status, CaseStatus::ClosedWithException);
        assert_eq!(c.exception_reason.as_deref(), Some(reason));
        assert_eq!(c.exception_gates, vec![Gate::ErasureRecorded]);
        assert_eq!(c.closed_by.as_deref(), Some(a.name.as_str()));
        let e = invalid(
            store
                .update_decommission_case(&a, org, s.id, CaseDraft::default())
                .await,
        );
        assert_eq!(e.get("status"), Some(CASE_CLOSED));
    }
);

dual_test!(
    a_system_being_phased_out_with_failing_gates_is_a_compliance_gap,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mut d = SystemDraft::named("Utfasat system");
        d.lifecycle = Lifecycle::PhasingOut;
        let s = store.create_system(&actor(), k.org, d).await?;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();
        let finding = async || -> anyhow::Result<Option<policy::Outcome>> {
            let c = store.compliance(org, Some(s.id), today).await?;
            Ok(c.systems[0]
                .findings
                .iter()
                .find(|f| f.rule_id() == "decommission-gates")
                .map(|f| f.outcome))
        };
        // No case: the rule asks for one.
        assert!(matches!(
            finding().await?,
            Some(policy::Outcome::Missing { .. })
        ));
        store
            .open_decommission_case(&a, org, s.id, CaseDraft::default())
            .await?;
        assert!(matches!(
            finding().await?,
            Some(policy::Outcome::Missing { .. })
        ));
        // Every gate passes once a medium is erased: the rule is met.
        store.add_erasure(&a, org, s.id, erased("S1")).await?;
        assert!(matches!(
            finding().await?,
            Some(policy::Outcome::Met { .. })
        ));
    }
);

dual_test!(
    neither_an_edit_nor_an_import_marks_a_system_decommissioned_past_its_case,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Gamla ekonomisystemet").await;
        let pay = k.system("Lönesystemet").await;
        let (a, org) = (actor(), k.org);
        let mut d = SystemDraft::named("Gamla ekonomisystemet");
        d.lifecycle = Lifecycle::Decommissioned;
        let e = invalid(store.update_system(&a, org, s.id, d).await);
        assert_eq!(e.get("lifecycle"), Some("error-decommission-needs-case"));

        let before = audit_count(&store).await?;
        let csv = "Systemnamn;Livscykel;Verksamhetskritiskt\n\
                   Gamla ekonomisystemet;Avvecklad;Nej\n\
                   Lönesystemet;I drift;Ja\n";
        let recs = insyn::parse_spreadsheet("system.csv", csv.as_bytes())?;
        let report = store
            .import(
                &a,
                insyn_store::import::ImportTarget::Org(org),
                "system.csv",
                &recs,
                false,
            )
            .await?;
        let codes: Vec<&str> = report
            .rows
            .iter()
            .flat_map(|r| &r.issues)
            .map(|i| i.1.as_str())
            .collect();
        assert!(
            codes.contains(&"error-decommission-needs-case"),
            "{codes:?}"
        );
        assert!(
            codes.contains(&"error-critical-needs-decision"),
            "{codes:?}"
        );
        assert_eq!(report.updated, 0, "{report:?}");
        let now = store.get_system(org, s.id).await?;
        assert_eq!(now.lifecycle, Lifecycle::InOperation);
        assert!(!store.get_system(org, pay.id).await?.business_critical);
        assert_eq!(audit_count(&store).await?, before, "nothing written");

        // Registering a system that was decommissioned long ago is history,
        // not a bypass; setting it back into use corrects a mistake.
        let mut old = SystemDraft::named("Stordatorn");
        old.lifecycle = Lifecycle::Decommissioned;
        let old_sys = store.create_system(&a, org, old.clone()).await?;
        old.lifecycle = Lifecycle::InOperation;
        let back = store.update_system(&a, org, old_sys.id, old).await?;
        assert_eq!(back.lifecycle, Lifecycle::InOperation);
    }
);

dual_test!(
    a_system_holds_at_most_max_per_system_records_of_a_kind,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, org) = (actor(), k.org);
        let s = k.system("Gamla ärendesystemet").await;
        let other = k.system("Nya ärendesystemet").await;
        for i in 0..validation::MAX_PER_SYSTEM {
            store
                .add_record_type(&a, org, s.id, keep(&format!("Handlingstyp {i}")))
                .await?;
        }
        let before = audit_count(&store).await?;
        let full = invalid(store.add_record_type(&a, org, s.id, keep("En till")).await);
        assert_eq!(full.get("system_id"), Some(validation::SYSTEM_FULL));
        assert_eq!(audit_count(&store).await?, before, "nothing written");
        // The list reads every one of them; another system is not full.
        let held = store.record_types(org, s.id).await?;
        assert_eq!(held.len() as i64, validation::MAX_PER_SYSTEM);
        store
            .add_record_type(&a, org, other.id, keep("En till"))
            .await?;
    }
);
