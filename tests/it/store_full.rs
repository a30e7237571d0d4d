//! The full export of one organisation: everything it has, loaded into an
//! empty installation and exported again gives the same document (apart
//! from `exported_at`, and the import's own entry at the end of the audit
//! appendix); unknown versions and existing organisations are refused.

use clap::Parser;
use insyn_domain::security::{ApprovalDraft, ClassificationDraft, InformationSetDraft, PlanAction};
use insyn_domain::*;
use insyn_io::Field;
use insyn_store::full::{FullExport, coverage_problems};
use insyn_store::security::{DecisionDraft, ScaleLevel};
use insyn_store::{Backend, Store, StoreError, Verified};
use insyn_tests::{
    App, TempDirGuard, actor, audit_count, date, dual_test, org_id, person, role_type, unit, url_of,
};

/// An organisation with something in every section.
async fn rich_org(store: &Store) -> anyhow::Result<OrgId> {
    let org = org_id(store, "kommunen").await?;
    let other = org_id(store, "grannen").await?;
    insyn_tests::system(store, other, "Grannens system").await;
    let a = actor();
    // A child whose name sorts before its parent's, and whose parent is newer.
    let child = unit(store, org, None, "Anläggning").await;
    let parent = unit(store, org, None, "Tekniska förvaltningen").await;
    store
        .update_unit(
            &a,
            org,
            child.id,
            UnitDraft {
                parent_id: Some(parent.id),
                name: "Anläggning".into(),
                level: "Avdelning".into(),
                manager_id: None,
            },
        )
        .await?;
    let old = unit(store, org, Some(parent.id), "Nedlagd enhet").await;
    store.archive_unit(&a, org, old.id).await?;
    let mut ola = person(store, org, "Ola Ägare", Some("ola@kommunen.se")).await?;
    ola = store
        .update_person(
            &a,
            org,
            ola.id,
            PersonDraft {
                name: ola.name.clone(),
                email: ola.email.clone(),
                title: Some("Förvaltningschef".into()),
                unit_id: Some(parent.id),
                active: true,
            },
        )
        .await?;
    let product = store
        .create_product(
            &a,
            ProductDraft {
                name: "Treserva".into(),
                vendor: Some("CGI".into()),
                description: Some("Verksamhetssystem".into()),
            },
        )
        .await?;
    let mut d = SystemDraft::named("Treserva");
    d.short_name = Some("TS".into());
    d.description = Some("Socialtjänstens verksamhetssystem".into());
    d.purpose = Some("Dokumentation".into());
    d.responsible_unit_id = Some(parent.id);
    d.using_unit_ids = vec![child.id, parent.id];
    d.vendor = Some("CGI".into());
    d.product_id = Some(product.id);
    d.version = Some("5.2".into());
    d.hosting = Hosting::ALL[1];
    d.user_count = Some(1200);
    d.business_critical = true;
    d.go_live_date = Some(date(2012, 3, 1));
    d.end_date = Some(date(2030, 12, 31));
    d.licence_model = Some("Per användare".into());
    d.licence_count = Some(1300);
    d.doc_links = vec![
        DocLink {
            label: "Manual".into(),
            url: "https://example.se/manual".into(),
        },
        DocLink {
            label: "Drift".into(),
            url: "https://example.se/drift".into(),
        },
    ];
    d.escalation_route = Some("Servicedesk".into());
    d.capabilities = vec!["Ärendehantering".into(), "Journalföring".into()];
    d.tags = vec!["socialtjänst".into(), "kritisk".into()];
    d.notes = Some("Upphandlas 2029".into());
    let s = store.create_system(&a, org, d).await?;
    let gone = insyn_tests::system(store, org, "Gammalt system").await;
    store.archive_system(&a, org, gone.id).await?;
    // Roles: a current holder, an ended one, and an organisation's own role type.
    let owner = role_type(store, org, "system_owner").await?;
    let assign = |role: RoleTypeId, start, system| AssignmentDraft {
        role_type_id: role,
        person_id: ola.id,
        system_id: system,
        unit_id: None,
        start_date: start,
        end_date: None,
        note: Some("Beslut KS 2024".into()),
    };
    store
        .assign_role(&a, org, assign(owner.id, date(2024, 1, 1), Some(s.id)))
        .await?;
    let ended = store
        .assign_role(&a, org, assign(owner.id, date(2020, 1, 1), Some(gone.id)))
        .await?;
    store
        .end_assignment(&a, org, ended.id, date(2023, 6, 30))
        .await?;
    let own = store
        .create_role_type(
            &a,
            org,
            RoleTypeDraft {
                code: "dataskyddsombud".into(),
                name_sv: "Dataskyddsombud".into(),
                name_en: "Data protection officer".into(),
                scope: RoleScope::Unit,
                description: Some("Enligt GDPR".into()),
                sort_order: 9,
                grants_edit: false,
            },
        )
        .await?;
    let mut on_unit = assign(own.id, date(2025, 2, 1), None);
    on_unit.unit_id = Some(parent.id);
    store.assign_role(&a, org, on_unit).await?;
    access(store, org, &ola, parent.id, s.id).await?;
    // Classification, a decision, plans in two states, a signed approval.
    store
        .set_classification_scale(
            &a,
            org,
            &[ScaleLevel {
                level: 2,
                name_sv: "Betydande skada".into(),
                name_en: "Significant harm".into(),
            }],
            true,
        )
        .await?;
    let set = store
        .create_information_set(
            &a,
            org,
            s.id,
            InformationSetDraft {
                name: "Vårddokumentation".into(),
                description: Some("Journaler".into()),
                personal_data: true,
                sensitive_personal_data: true,
            },
        )
        .await?;
    for (level, why) in [(2, "Första"), (3, "Omprövad")] {
        store
            .classify(
                &a,
                org,
                s.id,
                set.id,
                ClassificationDraft {
                    confidentiality: level,
                    integrity: 2,
                    availability: 1,
                    traceability: Some(2),
                    justification: why.into(),
                    valid_until: Some(date(2027, 1, 1)),
                },
            )
            .await?;
    }
    store
        .decide_critical(
            &a,
            org,
            s.id,
            &DecisionDraft {
                critical: true,
                owner_name: "Ola Ägare".into(),
                it_name: "Ida IT".into(),
                note: Some("Styr vården".into()),
            },
        )
        .await?;
    let plan = store.new_plan_version(&a, org, s.id).await?;
    let sections = insyn_domain::security::PLAN_SECTIONS
        .iter()
        .map(|k| ((*k).to_owned(), format!("Text om {k}")))
        .collect();
    store.edit_plan(&a, org, s.id, plan.id, sections).await?;
    store
        .move_plan(&a, org, s.id, plan.id, PlanAction::Submit)
        .await?;
    store
        .move_plan(&a, org, s.id, plan.id, PlanAction::Approve)
        .await?;
    let approval = store
        .create_approval(
            &a,
            org,
            s.id,
            ApprovalDraft {
                baseline: "Grundskydd".into(),
                measures: vec![insyn_domain::security::Measure {
                    description: "Logggranskning".into(),
                    owner: "Ida IT".into(),
                    deadline: date(2026, 6, 1),
                    done: false,
                }],
            },
        )
        .await?;
    store
        .sign_approval(&a, org, s.id, approval.id, false)
        .await?;
    store.new_plan_version(&a, org, s.id).await?;
    crate::store_outage_plans::set_continuity(
        store,
        org,
        s.id,
        Some(240),
        Some(60),
        Some("Papper"),
    )
    .await?;
    crate::store_outage_plans::approve_outage_plan(store, org, s.id).await?;
    store
        .set_field_secrecy(
            &a,
            org,
            &[("version".into(), false), ("notes".into(), true)],
        )
        .await?;
    store
        .save_import_mapping(
            &a,
            org,
            &[("appl".into(), Some(Field::Name)), ("osv".into(), None)],
        )
        .await?;
    // Policy: a chosen and edited profile, a document, a control, a signed
    // review and a queued reminder.
    // Recorded under the default profile, which revises its policy yearly.
    store
        .record_control(
            &a,
            org,
            None,
            insyn_store::policy::ControlDraft {
                control: "policy_revision".into(),
                performed_on: date(2026, 3, 1),
                result: "remarks".into(),
                note: Some("Revideras".into()),
            },
        )
        .await?;
    store.adopt_profile(&a, org, "soderkoping").await?;
    let edited = store
        .active_profile(org)
        .await?
        .body
        .replace("name_en = ", "note_only = 1\nname_en = ");
    assert!(store.save_profile(&a, org, &edited, None).await.is_err());
    store
        .save_checklist(
            &a,
            org,
            vec![insyn_domain::policy::ChecklistItem {
                id: "roller".into(),
                text_sv: "Är rollerna bemannade?".into(),
                text_en: "Are the roles filled?".into(),
                cite: Some("Söderköping".into()),
            }],
        )
        .await?;
    store
        .record_document(
            &a,
            org,
            s.id,
            insyn_store::policy::DocumentDraft {
                kind: "management_plan".into(),
                title: "Förvaltningsplan".into(),
                reference: Some("Dnr 2026/1".into()),
                dated: date(2026, 2, 1),
            },
        )
        .await?;
    let review = store.start_review(&a, org, s.id, "2026").await?;
    store
        .answer_review(
            &a,
            org,
            review.id,
            vec![insyn_store::reviews::Answer {
                item: "roller".into(),
                answer: Some("yes".into()),
                comment: Some("Ja".into()),
            }],
        )
        .await?;
    store.sign_review(&a, org, review.id).await?;
    incident(store, org, s.id, set.id, ola.id).await?;
    continuity(store, org, s.id, ola.id).await?;
    decommission(store, org, gone.id, s.id, parent.id).await?;
    crate::store_processing::rich(store, org, s.id, parent.id).await?;
    crate::store_eservices::rich(store, org, s.id, parent.id).await?;
    store
        .set_continuity(
            &a,
            org,
            s.id,
            insyn_domain::continuity::Requirements {
                rto_minutes: Some(240),
                rpo_minutes: Some(60),
                mtd_minutes: Some(1440),
                ..Default::default()
            },
        )
        .await?;
    // An integration carrying the information set, to the archived system.
    store
        .create_integration(
            &a,
            org,
            insyn_domain::integration::IntegrationDraft {
                from_system_id: s.id,
                to_system_id: gone.id,
                direction: insyn_domain::integration::Direction::Both,
                interface: Some("SFTP".into()),
                information_set_ids: vec![set.id],
                frequency: insyn_domain::integration::Frequency::Daily,
                criticality: insyn_domain::integration::Criticality::High,
                responsible_id: Some(ola.id),
                note: Some("Nattlig fil".into()),
            },
        )
        .await?;
    // A mover: Mia, systemförvaltare of Treserva, moves from Anläggning to
    // the parent unit; her role waits for Anläggning's manager (a handover).
    // Ola's employee number comes from an HR file.
    let k = insyn_tests::Scenario::at(store, org);
    let mia = person(store, org, "Mia Mover", Some("mia@kommunen.se")).await?;
    let moving = |unit_id| PersonDraft {
        name: mia.name.clone(),
        email: mia.email.clone(),
        title: None,
        unit_id: Some(unit_id),
        active: true,
    };
    store
        .update_person(&a, org, mia.id, moving(child.id))
        .await?;
    k.holds("system_manager", &mia, insyn_tests::On::System(s.id))
        .await?;
    store
        .update_person(&a, org, mia.id, moving(parent.id))
        .await?;
    let hr = insyn_domain::access::HrRow {
        row: 2,
        employee_number: Some("1001".into()),
        email: ola.email.clone(),
        name: Some(ola.name.clone()),
        unit: Some("Tekniska förvaltningen".into()),
        ..Default::default()
    };
    store
        .import_hr(&a, org, "personal.xlsx", &[hr], false, false)
        .await?;
    crate::store_contracts::rich(store, org, s.id).await?;
    crate::store_processors::rich(store, org, s.id).await?;
    crate::store_regulatory::rich(store, org, s.id).await?;
    crate::store_licences::rich(store, org, s.id).await?;
    crate::store_it_services::rich(store, org, parent.id, s.id).await?;
    store
        .queue_reminders(chrono::Utc::now().date_naive())
        .await?;
    // Users: one of the organisation's (with a password that must not travel),
    // an installation administrator and a neighbour's user (neither exported).
    let grant = |org_id, role| vec![Grant { org_id, role }];
    store
        .create_user(
            &a,
            "ida@kommunen.se",
            "Ida IT",
            Some("ett-långt-lösenord-1"),
            &grant(Some(org), AppRole::SecurityCoordinator),
        )
        .await?;
    store
        .create_user(
            &a,
            "admin@drift.se",
            "Admin",
            None,
            &grant(None, AppRole::Administrator),
        )
        .await?;
    store
        .create_user(
            &a,
            "g@grannen.se",
            "G",
            None,
            &grant(Some(other), AppRole::Editor),
        )
        .await?;
    Ok(org)
}

/// Access management: the unit's manager (a person, read after the units),
/// a profile, a grant carried out to a holding, and an access review with
/// its frozen item.
async fn access(
    store: &Store,
    org: OrgId,
    ola: &Person,
    unit: UnitId,
    system: SystemId,
) -> anyhow::Result<()> {
    use insyn_domain::access::*;
    use insyn_store::db::Queryable as _;
    let a = actor();
    store
        .update_unit(
            &a,
            org,
            unit,
            UnitDraft {
                parent_id: None,
                name: "Tekniska förvaltningen".into(),
                level: "Enhet".into(),
                manager_id: Some(ola.id),
            },
        )
        .await?;
    let profile = store
        .create_access_profile(
            &a,
            org,
            system,
            AccessProfileDraft::named("Handläggare"),
            &Parties::default(),
        )
        .await?;
    let order = store
        .order_access(
            &a,
            org,
            system,
            AccessOrderDraft {
                kind: OrderKind::Grant,
                person_id: Some(ola.id),
                new_person: None,
                profile_ids: vec![profile.id],
                reason: Some("Ny tjänst".into()),
                start_date: date(2026, 1, 5),
                end_date: None,
                ticket: Some("INC-1".into()),
            },
        )
        .await?
        .remove(0);
    for (step, done_on) in [
        (OrderStep::Approve, None),
        (OrderStep::CarryOut, Some(date(2026, 1, 5))),
    ] {
        store
            .order_step(
                &a,
                org,
                order.id,
                OrderStepDraft {
                    step,
                    comment: Some("Klart".into()),
                    ticket: Some("INC-2".into()),
                    done_on,
                },
            )
            .await?;
    }
    let holding = store
        .holdings(org, system, PageRequest::default())
        .await?
        .items
        .remove(0);
    // Reviews have no store code of their own here: their rows, as a review opens.
    let review = uuid::Uuid::now_v7();
    let now = chrono::Utc::now();
    let mut tx = store.db.begin().await?;
    tx.execute(
        "INSERT INTO access_reviews (id, org_id, scope, system_id, unit_id, reviewer_id, opened_on, deadline, created_by, created_at) \
         VALUES ($1, $2, 'system', $3, NULL, $4, $5, $6, 'test', $7)",
        insyn_store::params![review, org.0, system.0, ola.id.0, date(2026, 2, 1), date(2026, 3, 1), now],
    )
    .await?;
    tx.execute(
        "INSERT INTO access_review_items (id, review_id, holding_id, person_id, person_name, profile_id, profile_name, system_id, system_name, since) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Treserva', $9)",
        insyn_store::params![uuid::Uuid::now_v7(), review, holding.id.0, ola.id.0, ola.name.as_str(), profile.id.0, profile.name.as_str(), system.0, holding.since],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Entries of imported history (full export appendices) in the installation.
async fn imported_count(store: &Store) -> anyhow::Result<i64> {
    use insyn_store::db::Queryable as _;
    Ok(store
        .db
        .read()
        .count("SELECT COUNT(*) AS n FROM audit_imported", vec![])
        .await?)
}

/// An incident on `system` and its information set, with an action owned
/// by `owner`, a report made on its IMY clock and a note in its timeline.
async fn incident(
    store: &Store,
    org: OrgId,
    system: SystemId,
    set: uuid::Uuid,
    owner: PersonId,
) -> anyhow::Result<()> {
    use insyn_domain::incident::*;
    let a = actor();
    let now = chrono::Utc::now();
    let aware = now - chrono::Duration::hours(5);
    let draft = IncidentDraft {
        title: "Journal öppnad av obehörig".into(),
        description: Some("Loggkontrollen visade en åtkomst utan vårdrelation.".into()),
        kind: IncidentKind::PersonalData,
        severity: Severity::High,
        detection: Detection::Internal,
        occurred_at: Some(aware - chrono::Duration::days(2)),
        aware_at: aware,
        reported_by: Some("Loggkontrollen".into()),
        system_ids: vec![system],
        information_set_ids: vec![set],
        personal_data: Some(PersonalDataImpact {
            categories: Some("Patienter; journaluppgifter".into()),
            sensitive: true,
            subjects: Some(1),
            records: Some(3),
            consequences: Some("Risk för integritetsintrång".into()),
        }),
        controller: None,
        cause: Some("Bred behörighet".into()),
        lessons: None,
    };
    let i = store.report_incident(&a, org, draft, now).await?;
    let no = SignificanceDraft {
        significant: false,
        reason: "En enskild patient".into(),
    };
    store.assess_incident(&a, org, i.id, no, now).await?;
    let report = ClockEventDraft {
        kind: ClockEventKind::Reported,
        at: Some(now - chrono::Duration::hours(1)),
        note: Some("IMY dnr 1".into()),
    };
    store
        .record_clock(&a, org, i.id, "gdpr-imy", report, now)
        .await?;
    let action = ActionDraft {
        what: "Se över behörigheterna i journalsystemet".into(),
        owner_id: Some(owner),
        due_on: Some(date(2027, 1, 31)),
        done_on: None,
    };
    store.add_incident_action(&a, org, i.id, action).await?;
    let note = TimelineDraft {
        text: "Den anställda har hörts".into(),
        at: None,
    };
    store.note_incident(&a, org, i.id, note, now).await?;
    let contained = StatusChange {
        status: IncidentStatus::Contained,
        reason: None,
    };
    store
        .change_incident_status(&a, org, i.id, contained, now)
        .await?;
    Ok(())
}

/// Continuity: the requirements, a backup, a performed restore test that
/// missed its RPO (with the control it records) and its deviation action.
async fn continuity(
    store: &Store,
    org: OrgId,
    system: SystemId,
    owner: PersonId,
) -> anyhow::Result<()> {
    use insyn_domain::continuity::*;
    let a = actor();
    let req = Requirements {
        rto_minutes: Some(240),
        rpo_minutes: Some(60),
        mtd_minutes: Some(1440),
        critical_periods: Some("Lön vid månadsskiftet".into()),
        fallback_routine: Some("Pappersblanketter".into()),
    };
    store.set_continuity(&a, org, system, req).await?;
    let backup = BackupDraft {
        what: "Databasen".into(),
        location: Some("Driftcentralen".into()),
        frequency: Some("Varje natt".into()),
        retention: Some("90 dagar".into()),
        responsible: Some("IT-enheten".into()),
        note: None,
    };
    store.add_backup(&a, org, system, backup).await?;
    let today = chrono::Utc::now().date_naive();
    let test = RestoreTestDraft {
        planned_on: Some(today),
        performed_on: Some(today),
        performed_by: Some("Ida IT".into()),
        restored: Some("Databasen".into()),
        restore_point: Some("Natten innan".into()),
        restore_minutes: Some(180),
        data_loss_minutes: Some(120),
        evidence_url: Some("https://dokument.example.se/1".into()),
        note: None,
    };
    let t = store
        .record_restore_test(&a, org, system, test, today)
        .await?;
    let action = insyn_domain::incident::ActionDraft {
        what: "Säkerhetskopiera varje timme".into(),
        owner_id: Some(owner),
        due_on: Some(date(2027, 1, 31)),
        done_on: None,
    };
    store
        .add_restore_action(&a, org, system, t.id, action)
        .await?;
    Ok(())
}

/// Decommissioning: a record type, the archive responsibility, an erasure
/// record and the case, on the archived system, its information going to `to`.
async fn decommission(
    store: &Store,
    org: OrgId,
    system: SystemId,
    to: SystemId,
    unit: UnitId,
) -> anyhow::Result<()> {
    use insyn_domain::decommission::*;
    let a = actor();
    let mut t = crate::store_decommission::keep("Verifikationer");
    t.decision_reference = Some("KS 2024/88".into());
    t.decision_date = Some(date(2024, 5, 1));
    t.delivery_deadline = Some(date(2026, 12, 31));
    t.delivered_on = Some(date(2026, 11, 30));
    t.delivery_reference = Some("FGS-2026-3".into());
    t.disposal_period = Some("10 år".into());
    t.note = Some("Bokföringslagen".into());
    store.add_record_type(&a, org, system, t).await?;
    let r = ArchiveResponsibility {
        unit_id: Some(unit),
        role: Some("Arkivredogörare".into()),
    };
    store.set_archive_responsibility(&a, org, system, r).await?;
    let mut e = crate::store_decommission::erased("S1");
    e.note = Some("Intyg i diariet".into());
    store.add_erasure(&a, org, system, e).await?;
    let benefit = insyn_domain::benefit::BenefitAssessmentDraft {
        note: Some("Ersätts".into()),
        ..crate::store_benefit::assessed(date(2026, 1, 5))
    };
    let today = chrono::Utc::now().date_naive();
    store
        .add_benefit_assessment(&a, org, system, benefit, today)
        .await?;
    let case = CaseDraft {
        decided_by: Some("Kommunstyrelsen".into()),
        decided_on: Some(date(2026, 1, 10)),
        decision_reference: Some("KS 2026/12".into()),
        planned_on: Some(date(2026, 6, 30)),
        target_system_id: Some(to),
        note: Some("Ersätts av Treserva".into()),
    };
    store.open_decommission_case(&a, org, system, case).await?;
    let reason = CloseRequest {
        exception_reason: Some("Rollerna avslutas av förvaltningen".into()),
    };
    store
        .close_decommission_case(&a, org, system, reason, today)
        .await?;
    Ok(())
}

/// A fresh, empty database of the same kind as `store`.
async fn fresh_like(store: &Store) -> (Store, Option<TempDirGuard>) {
    match store.backend() {
        Backend::Sqlite => {
            let (s, dir) = insyn_tests::sqlite_store().await;
            (s, Some(dir))
        }
        Backend::Postgres => (insyn_tests::pg_store().await, None),
    }
}

async fn done_with(store: Store) {
    if store.backend() == Backend::Postgres {
        insyn_tests::drop_pg_store(store).await;
    }
}

dual_test!(
    a_full_export_imports_into_an_empty_installation_and_exports_the_same,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let doc = store.export_full(org).await?;
        for (section, rows) in &doc.sections {
            assert!(!rows.is_empty(), "section {section} is empty");
        }
        assert_eq!(doc.rows("organisations").len(), 1);
        assert_eq!(doc.rows("systems").len(), 2, "archived systems too");
        assert_eq!(doc.rows("units").len(), 3);
        let units: Vec<&str> = doc
            .rows("units")
            .iter()
            .map(|u| u["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            units[0], "Tekniska förvaltningen",
            "parents first: {units:?}"
        );
        assert_eq!(doc.rows("classifications").len(), 2);
        assert_eq!(doc.rows("security_plans").len(), 2);
        let emails: Vec<&str> = doc
            .rows("users")
            .iter()
            .map(|u| u["email"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(emails, ["ida@kommunen.se"], "only the organisation's users");
        assert!(
            doc.rows("systems")
                .iter()
                .all(|s| s["org_id"] == doc.rows("organisations")[0]["id"])
        );
        let text = String::from_utf8(doc.to_json())?;
        assert!(!text.contains("$argon2"), "no password hashes");
        assert!(
            doc.rows("users")
                .iter()
                .all(|u| !u.contains_key("password_hash"))
        );
        assert!(
            !text.contains("Grannens system"),
            "nothing of other organisations"
        );
        assert!(
            doc.audit_appendix.len() > 20,
            "{}",
            doc.audit_appendix.len()
        );

        // Into an empty installation, through the file's bytes.
        let (fresh, _dir) = fresh_like(&store).await;
        let read = FullExport::from_json(text.as_bytes())?;
        assert_eq!(read, doc);
        let imported = fresh.import_full(&actor(), &read, "kommunen.json").await?;
        assert_eq!(imported.slug, "kommunen");
        // The design changed here (issue 13): the appendix is kept as the
        // organisation's imported history, not chained into this
        // installation's trail, which gets one entry for the import.
        assert_eq!(
            audit_count(&fresh).await?,
            1,
            "one entry of this installation's trail: the import"
        );
        assert_eq!(
            imported_count(&fresh).await?,
            doc.audit_appendix.len() as i64,
            "the appendix, as imported history"
        );
        assert!(matches!(
            insyn_store::audit::verify(&fresh.db).await?,
            Verified::Intact(_)
        ));
        // The user is there, without a password.
        assert!(fresh.user_by_email("ida@kommunen.se").await.is_ok());
        assert!(
            fresh
                .check_login("ida@kommunen.se", "ett-långt-lösenord-1")
                .await?
                .is_none()
        );

        // Exported again: the same sections, the same appendix plus the import.
        let again = fresh.export_full(imported.id).await?;
        for (section, rows) in &doc.sections {
            assert_eq!(&again.sections[section], rows, "section {section} differs");
        }
        assert_eq!(again.sections, doc.sections);
        let n = doc.audit_appendix.len();
        assert_eq!(again.audit_appendix[..n], doc.audit_appendix[..]);
        assert_eq!(again.audit_appendix.len(), n + 1);
        assert_eq!(again.audit_appendix[n].action, "import_full");
        assert_eq!(
            (
                again.format.as_str(),
                again.format_version,
                again.organisation.as_str()
            ),
            (
                doc.format.as_str(),
                doc.format_version,
                doc.organisation.as_str()
            )
        );
        // The register reads the same, through the ordinary store API.
        let all = || PageRequest::new(None, Some(PageRequest::MAX_SIZE));
        let s = store
            .list_full_systems(org, &Default::default(), Default::default(), false, all())
            .await?;
        let t = fresh
            .list_full_systems(org, &Default::default(), Default::default(), false, all())
            .await?;
        assert_eq!(s.items, t.items);

        // A second import is refused, and changes nothing.
        let before = audit_count(&fresh).await?;
        match fresh.import_full(&actor(), &read, "kommunen.json").await {
            Err(StoreError::Refused(m)) => {
                assert!(m.contains("exists in this installation already"), "{m}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(audit_count(&fresh).await?, before);
        done_with(fresh).await;
    }
);

dual_test!(
    a_broken_file_is_refused_whole_with_the_row_and_column,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let doc = store.export_full(org).await?;
        let (fresh, _dir) = fresh_like(&store).await;
        let mut bad = doc.clone();
        let systems = bad.sections.get_mut("systems").expect("systems");
        systems[1].insert("go_live_date".into(), serde_json::json!("1 april"));
        match fresh.import_full(&actor(), &bad, "x.json").await {
            Err(StoreError::Refused(m)) => {
                assert!(
                    m.contains("section systems, row 2, column go_live_date: expected a date"),
                    "{m}"
                )
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(fresh.is_empty().await?, "a failed import leaves nothing");
        assert_eq!(audit_count(&fresh).await?, 0);
        // A row may not refer to anything outside the file (another organisation's system).
        let elsewhere = insyn_tests::system(&fresh, org_id(&fresh, "annan").await?, "Annans").await;
        let mut bad = doc.clone();
        let tags = bad.sections.get_mut("system_tags").expect("tags");
        tags[0].insert(
            "system_id".into(),
            serde_json::json!(elsewhere.id.to_string()),
        );
        match fresh.import_full(&actor(), &bad, "x.json").await {
            Err(StoreError::Refused(m)) => assert!(
                m.contains("section system_tags, row 1, column system_id: refers to a row that is not in the file's section systems"),
                "{m}"
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
        done_with(fresh).await;
    }
);

#[test]
fn unknown_versions_and_sections_are_refused_clearly() {
    let refused = |json: serde_json::Value| match FullExport::from_json(json.to_string().as_bytes())
    {
        Err(StoreError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let m = refused(serde_json::json!({"format": "insyn-full-export", "format_version": 2}));
    assert!(
        m.contains("format version 2") && m.contains("newer insyn"),
        "{m}"
    );
    let m = refused(serde_json::json!({"items": []}));
    assert!(m.contains("not an insyn full export"), "{m}");
    let m = refused(serde_json::json!({
        "format": "insyn-full-export", "format_version": 1, "generator": "insyn 9",
        "exported_at": "2026-01-01T00:00:00Z", "organisation": "x", "not_exported": [],
        "sections": {"data_flows": []}, "audit_appendix": []
    }));
    assert!(
        m.contains("\"data_flows\"") && m.contains("newer insyn"),
        "{m}"
    );
}

dual_test!(
    every_table_and_column_is_exported_or_left_out_on_purpose,
    |store: Store| async move {
        let schema = insyn_store::migrate::describe(&store.db).await?;
        let problems = coverage_problems(&schema);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
);

dual_test!(
    the_command_line_and_the_page_export_and_the_cli_imports,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let dir = TempDirGuard::new();
        let file = dir.path().join("kommunen.json");
        let file_arg = file.to_str().expect("a path").to_owned();
        let url = url_of(&store);
        insyn::run(insyn::Cli::parse_from([
            "insyn",
            "export",
            "--org",
            "kommunen",
            "--format",
            "full",
            "--out",
            &file_arg,
            "--database-url",
            &url,
        ]))
        .await?;
        let from_cli = FullExport::from_json(&std::fs::read(&file)?)?;
        assert_eq!(from_cli.sections, store.export_full(org).await?.sections);

        // Administrators download the same from the register page.
        let app = App::new(&store).await;
        let page = app.get("/o/kommunen/systems").await.expect(200);
        assert!(
            page.body.contains("/o/kommunen/export-full"),
            "a link for administrators"
        );
        let r = app.get("/o/kommunen/export-full").await.expect(200);
        assert!(
            r.header("content-disposition").contains("kommunen-full-"),
            "{}",
            r.header("content-disposition")
        );
        let from_page = FullExport::from_json(r.body.as_bytes())?;
        assert_eq!(from_page.sections, from_cli.sections);
        let api = app
            .get("/api/v1/orgs/kommunen/export-full")
            .await
            .expect(200);
        assert_eq!(
            FullExport::from_json(api.body.as_bytes())?.sections,
            from_cli.sections
        );

        // Into the installation it came from: refused, clearly.
        let err = insyn::run(insyn::Cli::parse_from([
            "insyn",
            "import-full",
            &file_arg,
            "--database-url",
            &url,
        ]))
        .await
        .expect_err("the organisation exists");
        assert!(
            err.to_string()
                .contains("exists in this installation already"),
            "{err}"
        );

        // Into an empty one: loaded.
        let (fresh, _fdir) = fresh_like(&store).await;
        insyn::run(insyn::Cli::parse_from([
            "insyn",
            "import-full",
            &file_arg,
            "--database-url",
            &url_of(&fresh),
        ]))
        .await?;
        assert_eq!(fresh.export_full(org).await?.sections, from_cli.sections);

        // A file of a newer format is refused before anything is opened.
        std::fs::write(
            &file,
            r#"{"format": "insyn-full-export", "format_version": 7}"#,
        )?;
        let err = insyn::run(insyn::Cli::parse_from([
            "insyn",
            "import-full",
            &file_arg,
            "--database-url",
            &url_of(&fresh),
        ]))
        .await
        .expect_err("version 7 is unknown");
        assert!(err.to_string().contains("format version 7"), "{err}");
        done_with(fresh).await;
    }
);

/// Imports `doc` into `fresh` expecting a refusal that says `says`, and
/// checks that nothing was left behind.
async fn refused_whole(fresh: &Store, doc: &FullExport, says: &str) -> anyhow::Result<()> {
    let users_before = fresh.list_users().await?.len();
    let audit_before = audit_count(fresh).await?;
    match fresh.import_full(&actor(), doc, "x.json").await {
        Err(StoreError::Refused(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
    let slug = doc.rows("organisations")[0]["slug"]
        .as_str()
        .unwrap_or_default();
    assert!(fresh.org_by_slug(slug).await.is_err(), "no organisation");
    assert_eq!(fresh.list_users().await?.len(), users_before, "no users");
    assert_eq!(audit_count(fresh).await?, audit_before, "no audit entry");
    assert_eq!(imported_count(fresh).await?, 0, "no imported history");
    Ok(())
}

dual_test!(
    rows_without_the_organisation_or_of_another_are_refused_whole,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let doc = store.export_full(org).await?;
        let (fresh, _dir) = fresh_like(&store).await;
        let other = org_id(&fresh, "annan").await?;

        // A grant without org_id would be an installation-wide administrator here.
        let mut bad = doc.clone();
        let grants = bad.sections.get_mut("user_grants").expect("grants");
        grants[0].remove("org_id");
        grants[0].insert("role".into(), serde_json::json!("administrator"));
        refused_whole(
            &fresh,
            &bad,
            "section user_grants, row 1, column org_id: missing",
        )
        .await?;
        // Nor a grant whose org_id is null, or names another organisation of
        // this installation.
        for (org_id, says) in [
            (serde_json::Value::Null, "missing"),
            (
                serde_json::json!(other.0.to_string()),
                "belongs to another organisation",
            ),
        ] {
            let mut bad = doc.clone();
            bad.sections.get_mut("user_grants").expect("grants")[0].insert("org_id".into(), org_id);
            refused_whole(
                &fresh,
                &bad,
                &format!("section user_grants, row 1, column org_id: {says}"),
            )
            .await?;
        }
        // Every section of the organisation, not only grants: the last row of each.
        for s in insyn_store::full::SECTIONS {
            let Some(col) = insyn_store::full::scope_column(s) else {
                continue;
            };
            let n = doc.rows(s.name).len();
            assert!(n > 0, "section {} is empty in the test data", s.name);
            let mut bad = doc.clone();
            bad.sections.get_mut(s.name).expect("a section")[n - 1].remove(col);
            refused_whole(
                &fresh,
                &bad,
                &format!("section {}, row {n}, column {col}: missing", s.name),
            )
            .await?;
            if col == "org_id" {
                let mut bad = doc.clone();
                bad.sections.get_mut(s.name).expect("a section")[n - 1]
                    .insert(col.into(), serde_json::json!(other.0.to_string()));
                refused_whole(
                    &fresh,
                    &bad,
                    &format!(
                        "section {}, row {n}, column org_id: belongs to another organisation",
                        s.name
                    ),
                )
                .await?;
            }
        }
        done_with(fresh).await;
    }
);

#[test]
fn every_section_of_the_organisation_is_tied_to_it_on_import() {
    use insyn_store::full::{SECTIONS, scope_column};
    for s in SECTIONS {
        let free = s.name == "organisations" || s.name == "users" || s.shared;
        assert_eq!(
            scope_column(s).is_none(),
            free,
            "section {} must be checked to belong to the organisation on import",
            s.name
        );
    }
}

dual_test!(
    the_appendix_is_kept_as_imported_history_outside_the_chain,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let doc = store.export_full(org).await?;
        let (fresh, _dir) = fresh_like(&store).await;
        let fresh = fresh.with_audit_keys(
            insyn_store::AuditKeys::parse("the-key-of-the-installation-it-goes-to-0000")
                .map_err(anyhow::Error::msg)?,
        );
        // An appendix entry that claims to be one of this installation's.
        let mut doc2 = doc.clone();
        doc2.audit_appendix[0].actor = "forged".into();
        fresh.import_full(&actor(), &doc2, "kommunen.json").await?;
        assert_eq!(audit_count(&fresh).await?, 1, "only the import is chained");
        let ids: Vec<uuid::Uuid> = {
            use insyn_store::db::Queryable as _;
            fresh
                .db
                .read()
                .all("SELECT id FROM audit_events", vec![], |r| r.uuid("id"))
                .await?
        };
        assert!(
            doc.audit_appendix.iter().all(|e| !ids.contains(&e.id)),
            "no appendix entry is a link of the chain"
        );
        assert!(matches!(
            insyn_store::audit::verify(&fresh.db).await?,
            Verified::Intact(1)
        ));
        // The history is shown with the object, before this installation's entries.
        let sys = doc.rows("systems")[0]["id"]
            .as_str()
            .map(uuid::Uuid::parse_str)
            .expect("an id")?;
        let here = fresh.history(org, sys).await?;
        let there = store.history(org, sys).await?;
        assert!(!there.is_empty());
        assert_eq!(
            here.iter().map(|e| (e.id, &e.action)).collect::<Vec<_>>(),
            there.iter().map(|e| (e.id, &e.action)).collect::<Vec<_>>()
        );
        assert!(here.iter().all(|e| e.seq == 0), "not of this chain");
        let found = fresh.search_audit(org, &Default::default(), 1000).await?;
        assert_eq!(found.len(), doc.audit_appendix.len() + 1);
        assert_eq!(found[0].action, "import_full", "newest first");
        assert_eq!(found.last().map(|e| e.id), Some(doc.audit_appendix[0].id));

        // The imported history is data, but the import's sealed entry records
        // its digest: changing it in the database is noticed.
        let exec = |sql: String| {
            let fresh = fresh.clone();
            async move {
                use insyn_store::db::Queryable as _;
                let mut tx = fresh.db.begin().await?;
                tx.execute(&sql, vec![]).await?;
                tx.commit().await?;
                anyhow::Ok(())
            }
        };
        // Imported history without an import of it in the trail.
        org_id(&fresh, "annan").await?;
        let annan = "(SELECT id FROM organisations WHERE slug = 'annan')";
        exec(format!(
            "INSERT INTO audit_imported (org_id, pos, id, at, actor, action, object_type, object_id, changes) \
             SELECT {annan}, 1, id, at, actor, action, object_type, object_id, changes FROM audit_events WHERE seq = 1"
        ))
        .await?;
        match insyn_store::audit::verify(&fresh.db).await? {
            Verified::Broken { reason, .. } => {
                assert!(
                    reason.contains("no import of it is in the trail"),
                    "{reason}"
                )
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        exec(format!("DELETE FROM audit_imported WHERE org_id = {annan}")).await?;
        assert!(matches!(
            insyn_store::audit::verify(&fresh.db).await?,
            Verified::Intact(2)
        ));
        exec("UPDATE audit_imported SET actor = 'någon annan' WHERE pos = 2".into()).await?;
        match insyn_store::audit::verify(&fresh.db).await? {
            Verified::Broken { seq: 1, reason, .. } => {
                assert!(reason.contains("brought along in this import"), "{reason}")
            }
            other => panic!("expected the import's entry to be named, got {other:?}"),
        }
        exec("DELETE FROM audit_imported".into()).await?;
        assert!(matches!(
            insyn_store::audit::verify(&fresh.db).await?,
            Verified::Broken { seq: 1, .. }
        ));
        done_with(fresh).await;
    }
);

dual_test!(
    access_rows_refer_only_to_the_files_own_orders_reviews_and_people,
    |store: Store| async move {
        let org = rich_org(&store).await?;
        let doc = store.export_full(org).await?;
        let (fresh, _dir) = fresh_like(&store).await;
        let elsewhere = serde_json::json!(uuid::Uuid::now_v7().to_string());
        // A step of an order the file does not have, or of none.
        let mut bad = doc.clone();
        let steps = bad.sections.get_mut("access_order_steps").expect("steps");
        steps[0].insert("order_id".into(), elsewhere.clone());
        refused_whole(
            &fresh,
            &bad,
            "section access_order_steps, row 1, column order_id: refers to a row that is not in the file's section access_orders",
        )
        .await?;
        let mut bad = doc.clone();
        let steps = bad.sections.get_mut("access_order_steps").expect("steps");
        steps[0].remove("order_id");
        refused_whole(
            &fresh,
            &bad,
            "an access order of the organisation in the file",
        )
        .await?;
        // A review item's review is an access review, not an annual review.
        let mut bad = doc.clone();
        let annual = doc.rows("reviews")[0]["id"].clone();
        let items = bad.sections.get_mut("access_review_items").expect("items");
        items[0].insert("review_id".into(), annual);
        refused_whole(&fresh, &bad, "not in the file's section access_reviews").await?;
        // A unit's manager is one of the file's people.
        let mut bad = doc.clone();
        let units = bad.sections.get_mut("units").expect("units");
        let managed = units
            .iter_mut()
            .find(|u| !u["manager_id"].is_null())
            .expect("a unit with a manager");
        managed.insert("manager_id".into(), elsewhere);
        refused_whole(
            &fresh,
            &bad,
            "column manager_id: refers to a row that is not in the file's section people",
        )
        .await?;
        done_with(fresh).await;
    }
);
