//! Contracts and suppliers paged in SQL: page 2 of 120 contracts is in
//! the order of the last day to give notice (stored with each write,
//! migration 28), with the right total; the daily reminder pass moves a
//! stored day forward once it has passed (a tacit renewal); suppliers and
//! a supplier's systems are paged with their totals.

use crate::store_contracts::draft;
use crate::store_suppliers::draft as supplier_draft;
use insyn_domain::contract::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::contracts::ContractSort;
use insyn_tests::{Scenario, actor, date, dual_test};

fn page(n: u32) -> PageRequest {
    PageRequest::new(Some(n), Some(50))
}

dual_test!(
    page_two_of_120_contracts_is_in_notice_day_order_with_the_total,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let today = date(2024, 1, 1);
        // Created in an order that is neither the names' nor the days':
        // each runs its own number of months, then renews tacitly by 12
        // (the last notice day is three months before its end).
        let mut all_days = vec![];
        for n in 0..120u32 {
            let months = (n * 37) % 120 + 1;
            let mut d = draft(&format!("Avtal {:03}", 120 - months), s.id, vec![]);
            d.initial_months = Some(months + 3);
            let c = store.create_contract(&actor(), k.org, d, today).await?;
            all_days.push(c.dates.last_notice_day.expect("a notice day"));
        }
        all_days.sort();
        all_days.dedup();
        assert_eq!(all_days.len(), 120, "every contract has its own day");
        let second = store
            .list_contracts(k.org, None, ContractSort::NoticeDay, page(2), today)
            .await?;
        assert_eq!(second.total, 120);
        assert_eq!(second.items.len(), 50);
        let days: Vec<chrono::NaiveDate> = second
            .items
            .iter()
            .map(|c| c.dates.last_notice_day.expect("a notice day"))
            .collect();
        assert_eq!(days, all_days[50..100]);
        let last = store
            .list_contracts(k.org, None, ContractSort::NoticeDay, page(3), today)
            .await?;
        assert_eq!(last.items.len(), 20);
        assert_eq!(last.pages(), 3);
        // By name, the same rows in the names' order.
        let by_name = store
            .list_contracts(k.org, Some(s.id), ContractSort::Name, page(1), today)
            .await?;
        assert_eq!(by_name.total, 120);
        assert_eq!(by_name.items[0].name, "Avtal 000");
        assert_eq!(by_name.items[49].name, "Avtal 049");
        // Another organisation's list is empty.
        let other = Scenario::new(&store, "grannen").await?;
        let theirs = store
            .list_contracts(other.org, None, ContractSort::NoticeDay, page(1), today)
            .await?;
        assert_eq!((theirs.total, theirs.items.len()), (0, 0));
    }
);

dual_test!(
    the_reminder_pass_moves_a_passed_notice_day_forward_after_a_tacit_renewal,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = store
            .create_supplier(&actor(), k.org, supplier_draft("Visma"))
            .await?;
        let created_on = date(2026, 8, 1);
        // 36 months from 2024-01-01, renewed by 12, 3 months' notice: the
        // last day for the end 2026-12-31 is 2026-09-30.
        let renewing = store
            .create_contract(&actor(), k.org, draft("Förnyas", s.id, vec![]), created_on)
            .await?;
        assert_eq!(renewing.dates.last_notice_day, Some(date(2026, 9, 30)));
        let mut fixed = draft("Fast", s.id, vec![]);
        fixed.initial_months = Some(47);
        store
            .create_contract(&actor(), k.org, fixed, created_on)
            .await?;
        let order = |p: Page<Contract>| p.items.into_iter().map(|c| c.name).collect::<Vec<_>>();
        let later = date(2026, 10, 15);
        // Stored on 2026-08-01: the first one's 2026-09-30 before the other's
        // 2027-08-31 (47 months to 2027-11-30, three months' notice).
        assert_eq!(
            order(
                store
                    .list_contracts(k.org, None, ContractSort::NoticeDay, page(1), later)
                    .await?
            ),
            ["Förnyas", "Fast"]
        );
        // The pass refreshes the one stale row (its stored day passed): the
        // renewal moved its day a year on, past the fixed one's.
        assert_eq!(store.refresh_contract_dates(later).await?, 1);
        assert_eq!(
            order(
                store
                    .list_contracts(k.org, None, ContractSort::NoticeDay, page(1), later)
                    .await?
            ),
            ["Fast", "Förnyas"]
        );
        assert_eq!(store.refresh_contract_dates(later).await?, 0);
    }
);

dual_test!(
    suppliers_and_a_suppliers_systems_are_paged_with_their_totals,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mut first = None;
        for n in 0..60 {
            let mut d = supplier_draft(&format!("Leverantör {n:02}"));
            d.org_number = None;
            let s = store.create_supplier(&actor(), k.org, d).await?;
            first.get_or_insert(s.id);
        }
        let second = store.list_suppliers(k.org, page(2)).await?;
        assert_eq!(second.total, 60);
        assert_eq!(
            second
                .items
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            (50..60)
                .map(|n| format!("Leverantör {n}"))
                .collect::<Vec<_>>()
        );
        let supplier = first.expect("a supplier");
        for n in 0..55 {
            let sys = k.system(&format!("System {n:02}")).await;
            store
                .set_system_supplier(&actor(), k.org, sys.id, Some(supplier))
                .await?;
        }
        let systems = store.supplier_systems(k.org, supplier, page(2)).await?;
        assert_eq!(systems.total, 55);
        assert_eq!(systems.items.len(), 5);
        assert_eq!(systems.items[0].name, "System 50");
    }
);
