//! Contracts in the store: created, edited and removed with their audit
//! records and their dates computed on the day; the list sorted by the last
//! notice day; reminders to the responsible role's holders queued once per
//! (contract, notice day, stage), in the recipient's language, and re-armed
//! when the dates change; never in the public register.

use crate::store_suppliers::draft as supplier_draft;
use insyn_domain::access::Language;
use insyn_domain::contract::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::contracts::ContractSort;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test, invalid, not_found, role_type};

/// 36 months from 2024-01-01, renewed tacitly by 12 months, 3 months' notice.
pub fn draft(name: &str, supplier: SupplierId, systems: Vec<SystemId>) -> ContractDraft {
    ContractDraft {
        name: name.into(),
        supplier_id: supplier,
        kind: ContractKind::Subscription,
        reference: Some("KS-IT-12".into()),
        diary_number: Some("KS 2023/412".into()),
        procurement: Some("Avrop från ramavtal Programvaror och tjänster".into()),
        procurement_reference: Some("23.3-6283-20".into()),
        signed_on: Some(date(2023, 12, 1)),
        start_date: Some(date(2024, 1, 1)),
        initial_months: Some(36),
        end_date: None,
        renewal: RenewalKind::Tacit,
        renewal_months: Some(12),
        options_count: 0,
        options_used: 0,
        customer_notice_months: 3,
        customer_notice_end_of: EndOf::Day,
        supplier_notice_months: 6,
        supplier_notice_end_of: EndOf::Day,
        notice_given_on: None,
        notice_given_by: None,
        value_sek: Some(1_200_000),
        yearly_cost_sek: Some(400_000),
        system_ids: systems,
        responsible_role_id: None,
        note: None,
    }
}

dual_test!(
    a_contract_is_created_edited_and_removed_with_its_dates_and_audit,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomi").await;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let before = audit_count(&store).await?;
        let c = store
            .create_contract(
                &actor(),
                k.org,
                draft("Ekonomisystem", s.id, vec![sys.id]),
                date(2026, 10, 15),
            )
            .await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        assert_eq!(c.supplier_name, "Visma");
        assert_eq!(
            c.systems
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["Ekonomi"]
        );
        // Counted from the renewed period: the first deadline has passed.
        assert_eq!(c.dates.status, ContractStatus::Active);
        assert_eq!(c.dates.period_end, Some(date(2026, 12, 31)));
        assert_eq!(c.dates.last_notice_day, Some(date(2027, 9, 30)));
        assert!(
            c.dates
                .explanation_sv
                .iter()
                .any(|l| l.contains("Säg upp senast 2027-09-30"))
        );

        let mut d = c.draft();
        d.notice_given_on = Some(date(2026, 11, 1));
        d.notice_given_by = Some(ContractParty::Customer);
        let u = store
            .update_contract(&actor(), k.org, c.id, d, date(2026, 11, 2))
            .await?;
        assert_eq!(u.dates.status, ContractStatus::NoticeGiven);
        assert_eq!(u.dates.next_end, Some(date(2027, 12, 31)));
        assert_eq!(audit_count(&store).await?, before + 2);
        assert_eq!(
            store
                .system_contracts(k.org, sys.id, date(2026, 11, 2))
                .await?
                .len(),
            1
        );

        // Another organisation does not reach it.
        let other = Scenario::new(&store, "grannen").await?;
        not_found(store.get_contract(other.org, c.id, date(2026, 11, 2)).await);

        let before = audit_count(&store).await?;
        store.remove_contract(&actor(), k.org, c.id).await?;
        assert_eq!(audit_count(&store).await?, before + 1);
        not_found(store.get_contract(k.org, c.id, date(2026, 11, 2)).await);
    }
);

dual_test!(
    a_contract_refuses_unknown_references_and_impossible_terms,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let theirs = store
            .create_supplier(&actor(), other.org, supplier_draft("Visma"))
            .await?;
        let today = date(2026, 1, 1);
        let e = invalid(
            store
                .create_contract(&actor(), k.org, draft("A", theirs.id, vec![]), today)
                .await,
        );
        assert!(e.get("supplier_id").is_some());
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let their_system = other.system("Lön").await;
        let e = invalid(
            store
                .create_contract(
                    &actor(),
                    k.org,
                    draft("A", s.id, vec![their_system.id]),
                    today,
                )
                .await,
        );
        assert!(e.get("system_ids").is_some());
        let mut d = draft("A", s.id, vec![]);
        d.renewal_months = None;
        d.options_used = 3;
        d.renewal = RenewalKind::Options;
        d.options_count = 2;
        d.value_sek = Some(-1);
        d.name = " ".into();
        let e = invalid(store.create_contract(&actor(), k.org, d, today).await);
        for f in ["renewal_months", "options_used", "value_sek", "name"] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        // Without renewals the renewal fields stay in their documented
        // bounds all the same (the contract test sent 601 months).
        let mut d = draft("B", s.id, vec![]);
        d.renewal = RenewalKind::None;
        d.renewal_months = Some(601);
        d.options_count = 21;
        let e = invalid(store.create_contract(&actor(), k.org, d, today).await);
        for f in ["renewal_months", "options_used"] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
    }
);

dual_test!(
    the_list_puts_the_nearest_last_notice_day_first,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let today = date(2026, 6, 1);
        let mut late = draft("B långt bort", s.id, vec![]);
        late.initial_months = Some(60);
        store.create_contract(&actor(), k.org, late, today).await?;
        let mut none = draft("A utan uppsägning", s.id, vec![]);
        none.renewal = RenewalKind::None;
        store.create_contract(&actor(), k.org, none, today).await?;
        store
            .create_contract(&actor(), k.org, draft("C snart", s.id, vec![]), today)
            .await?;
        let names = |v: Page<Contract>| v.items.into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            names(
                store
                    .list_contracts(
                        k.org,
                        None,
                        ContractSort::NoticeDay,
                        PageRequest::default(),
                        today
                    )
                    .await?
            ),
            ["C snart", "B långt bort", "A utan uppsägning"]
        );
        assert_eq!(
            names(
                store
                    .list_contracts(
                        k.org,
                        Some(s.id),
                        ContractSort::Name,
                        PageRequest::default(),
                        today
                    )
                    .await?
            ),
            ["A utan uppsägning", "B långt bort", "C snart"]
        );
    }
);

dual_test!(
    reminders_go_once_per_notice_day_and_stage_and_re_arm_when_dates_change,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomi").await;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let owner = k.owner(&sys, "Ola Ägare", "ola@kommunen.se").await?;
        let _ = owner;
        let user = k
            .user("ola@kommunen.se", "Ola Ägare", AppRole::Reader)
            .await?;
        store
            .set_user_language(&actor(), user.id, Language::En)
            .await?;
        // Someone holding the role elsewhere is not told.
        let other_sys = k.system("Lön").await;
        k.owner(&other_sys, "Pia Annan", "pia@kommunen.se").await?;
        let mut d = draft("Ekonomisystem", s.id, vec![sys.id]);
        d.responsible_role_id = Some(role_type(&store, k.org, SYSTEM_OWNER).await?.id);
        let c = store
            .create_contract(&actor(), k.org, d, date(2026, 1, 1))
            .await?;
        assert_eq!(store.set_contract_lead_days(&actor(), k.org, 60).await?, 60);
        invalid(store.set_contract_lead_days(&actor(), k.org, 0).await);

        // The last notice day is 2026-09-30; 60 days before is 2026-08-01.
        assert_eq!(
            store
                .queue_contract_reminders(date(2026, 7, 31), None)
                .await?,
            0
        );
        assert_eq!(
            store
                .queue_contract_reminders(date(2026, 8, 1), None)
                .await?,
            1
        );
        assert_eq!(
            store
                .queue_contract_reminders(date(2026, 8, 2), None)
                .await?,
            0,
            "sent once"
        );
        let mails = store.outbox_status(Some(k.org)).await?.latest;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].recipient, "ola@kommunen.se");
        assert!(
            mails[0]
                .subject
                .starts_with("insyn: the last day to give notice is 2026-09-30"),
            "{}",
            mails[0].subject
        );

        // The term turns out to be 48 months: a new notice day re-arms it.
        let mut d = c.draft();
        d.initial_months = Some(48);
        store
            .update_contract(&actor(), k.org, c.id, d, date(2026, 8, 3))
            .await?;
        assert_eq!(
            store
                .queue_contract_reminders(date(2026, 8, 3), None)
                .await?,
            0,
            "not yet due"
        );
        assert_eq!(
            store
                .queue_contract_reminders(date(2027, 8, 1), None)
                .await?,
            1
        );
        // Two weeks before: the final stage.
        assert_eq!(
            store
                .queue_contract_reminders(date(2027, 9, 16), None)
                .await?,
            1
        );
        assert_eq!(
            store
                .queue_contract_reminders(date(2027, 9, 17), None)
                .await?,
            0
        );
        assert_eq!(store.outbox_status(Some(k.org)).await?.latest.len(), 3);
    }
);

dual_test!(
    the_public_register_never_shows_a_contract,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomi").await;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let mut d = draft("Hemligt avtal", s.id, vec![sys.id]);
        d.diary_number = Some("KS 2099/1".into());
        store
            .create_contract(&actor(), k.org, d, date(2026, 1, 1))
            .await?;
        crate::store_suppliers::assert_never_public(
            &store,
            k.org,
            "Ekonomi",
            &["Hemligt", "KS 2099/1"],
        )
        .await?;
    }
);

/// A supplier linked to `system`, a contract covering it and a lead time:
/// a row in each of their sections, for the full export's test data.
pub async fn rich(store: &Store, org: OrgId, system: SystemId) -> anyhow::Result<()> {
    let s = store
        .create_supplier(&actor(), org, supplier_draft("Visma"))
        .await?;
    store
        .set_system_supplier(&actor(), org, system, Some(s.id))
        .await?;
    let mut d = draft("Ekonomisystem", s.id, vec![system]);
    d.responsible_role_id = Some(role_type(store, org, SYSTEM_OWNER).await?.id);
    store
        .create_contract(&actor(), org, d, date(2026, 1, 1))
        .await?;
    store.set_contract_lead_days(&actor(), org, 120).await?;
    Ok(())
}

/// A supplier and a contract covering `system`: (supplier id, contract id),
/// for the route × role walk.
pub async fn fixture(
    store: &Store,
    org: OrgId,
    system: SystemId,
) -> anyhow::Result<(SupplierId, ContractId)> {
    let s = store
        .create_supplier(&actor(), org, supplier_draft("Atea"))
        .await?;
    let c = store
        .create_contract(
            &actor(),
            org,
            draft("Drift", s.id, vec![system]),
            date(2026, 1, 1),
        )
        .await?;
    Ok((s.id, c.id))
}
