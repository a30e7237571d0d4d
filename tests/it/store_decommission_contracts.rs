//! The decommissioning case's contracts gate: a contract covering only the
//! system blocks the case until it ends by the planned date (here: once
//! notice is given), named with its supplier; a contract that also covers
//! a system still in use does not block, and counts once that system is
//! decommissioned.

use crate::store_contracts::draft as contract_draft;
use crate::store_decommission::erased;
use crate::store_suppliers::draft as supplier_draft;
use chrono::{Days, Utc};
use insyn_domain::decommission::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, dual_test, invalid};

dual_test!(
    an_active_contract_blocks_the_case_until_notice_is_given,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ekonomisystemet").await;
        let other = k.system("Lönesystemet").await;
        let (a, org) = (actor(), k.org);
        let today = Utc::now().date_naive();
        let visma = store
            .create_supplier(&a, org, supplier_draft("Visma"))
            .await?;
        // Renewed tacitly by 12 months unless notice is given 3 months ahead.
        let only = store
            .create_contract(
                &a,
                org,
                contract_draft("Drift", visma.id, vec![s.id]),
                today,
            )
            .await?;
        let shared = contract_draft("Ramavtal", visma.id, vec![s.id, other.id]);
        let shared = store.create_contract(&a, org, shared, today).await?;
        store.add_erasure(&a, org, s.id, erased("S1")).await?;
        let planned = today + Days::new(800);
        let case = CaseDraft {
            planned_on: Some(planned),
            ..CaseDraft::default()
        };
        store.open_decommission_case(&a, org, s.id, case).await?;

        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert_eq!(failing(&v.gates), vec![Gate::ContractsEnded]);
        let gate = v.gates.iter().find(|g| g.gate == Gate::ContractsEnded);
        assert_eq!(gate.unwrap().items, vec!["Drift (Visma)".to_string()]);
        let close = CloseRequest::default();
        let e = invalid(
            store
                .close_decommission_case(&a, org, s.id, close.clone(), today)
                .await,
        );
        assert_eq!(
            e.get("gates.contracts_ended"),
            Some(Gate::ContractsEnded.key())
        );

        // Notice given today ends it within the next renewal, before the planned date.
        let mut d = only.draft();
        d.notice_given_on = Some(today);
        d.notice_given_by = Some(insyn_domain::contract::ContractParty::Customer);
        let given = store.update_contract(&a, org, only.id, d, today).await?;
        assert!(given.dates.next_end.is_some_and(|e| e <= planned));
        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        assert!(v.ready, "{:?}", v.gates);

        // The other system decommissioned: the shared contract now counts.
        // (Its own case, closed with an exception: the one way to get there.)
        store
            .open_decommission_case(&a, org, other.id, CaseDraft::default())
            .await?;
        let signed = CloseRequest {
            exception_reason: Some("Ersatt av ny lönetjänst; avtalet sägs upp.".into()),
        };
        store
            .close_decommission_case(&a, org, other.id, signed, today)
            .await?;
        let v = store
            .decommission_case(org, s.id, today)
            .await?
            .expect("open");
        let gate = v.gates.iter().find(|g| g.gate == Gate::ContractsEnded);
        assert_eq!(gate.unwrap().items, vec!["Ramavtal (Visma)".to_string()]);
        let mut d = shared.draft();
        d.notice_given_on = Some(today);
        d.notice_given_by = Some(insyn_domain::contract::ContractParty::Customer);
        store.update_contract(&a, org, shared.id, d, today).await?;
        let c = store
            .close_decommission_case(&a, org, s.id, close, today)
            .await?;
        assert_eq!(c.status, CaseStatus::Closed);
    }
);
