//! Each unit's manager (chef), and what a leaver leaves behind in the
//! register: the roles they still hold, handed over to a successor in one
//! step, and the systems that lost a required role in compliance.

use chrono::{Days, Utc};
use insyn_domain::access::{
    NOTHING_TO_TRANSFER, RoleTransferDraft, SUCCESSOR_INACTIVE, SUCCESSOR_SAME,
};
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{On, Scenario, actor, dual_test, invalid, unit};

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// The rules the system fails today.
async fn gaps(store: &Store, org: OrgId, system: &str) -> anyhow::Result<Vec<String>> {
    let c = store.compliance(org, None, today()).await?;
    Ok(c.systems
        .iter()
        .find(|s| s.name == system)
        .expect("evaluated")
        .gaps()
        .map(|f| f.rule_id().to_string())
        .collect())
}

/// `p` as they are, but active or not and in `unit`.
fn draft(p: &Person, active: bool, unit: Option<UnitId>) -> PersonDraft {
    PersonDraft {
        name: p.name.clone(),
        email: p.email.clone(),
        title: p.title.clone(),
        unit_id: unit,
        active,
    }
}

/// Hands all of `from`'s roles over to `to`.
async fn transfer(
    store: &Store,
    org: OrgId,
    from: PersonId,
    to: PersonId,
) -> Result<Vec<RoleAssignment>, insyn_store::StoreError> {
    let successor = RoleTransferDraft { successor_id: to };
    store.transfer_roles(&actor(), org, from, successor).await
}

dual_test!(
    a_units_manager_is_a_person_of_the_organisation_and_manages_its_staff,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let other = Scenario::new(&store, "grannen").await?;
        let stranger = other.person("Gun Granne", Some("gun@grannen.se")).await?;
        let boss = k.person("Cia Chef", Some("cia@kommunen.se")).await?;
        let u = unit(&store, k.org, None, "Hemtjänsten").await;
        let with = |manager| UnitDraft {
            parent_id: None,
            name: "Hemtjänsten".into(),
            level: "Enhet".into(),
            manager_id: manager,
        };
        let e = invalid(
            store
                .update_unit(&actor(), k.org, u.id, with(Some(stranger.id)))
                .await,
        );
        assert_eq!(e.get("manager_id"), Some(v::UNKNOWN_REFERENCE));
        let u = store
            .update_unit(&actor(), k.org, u.id, with(Some(boss.id)))
            .await?;
        assert_eq!(u.manager_id, Some(boss.id));
        assert_eq!(store.get_unit(k.org, u.id).await?.manager_id, Some(boss.id));
        let made = store
            .create_unit(
                &actor(),
                k.org,
                UnitDraft {
                    name: "Ny".into(),
                    ..with(Some(boss.id))
                },
            )
            .await?;
        assert_eq!(made.manager_id, Some(boss.id));

        let staff = k.person("Sam Personal", Some("sam@kommunen.se")).await?;
        store
            .update_person(&actor(), k.org, staff.id, draft(&staff, true, Some(u.id)))
            .await?;
        let elsewhere = k.person("Olle Annan", None).await?;
        assert!(
            store
                .manages_person(k.org, "CIA@kommunen.se", staff.id)
                .await?
        );
        assert!(
            !store
                .manages_person(k.org, "cia@kommunen.se", elsewhere.id)
                .await?
        );
        assert!(
            !store
                .manages_person(k.org, "sam@kommunen.se", staff.id)
                .await?
        );
        assert!(
            !store
                .manages_person(other.org, "cia@kommunen.se", staff.id)
                .await?
        );
        // A manager who has left manages nobody.
        store
            .update_person(&actor(), k.org, boss.id, draft(&boss, false, None))
            .await?;
        assert!(
            !store
                .manages_person(k.org, "cia@kommunen.se", staff.id)
                .await?
        );
    }
);

dual_test!(
    a_leavers_roles_are_tasks_until_handed_over_and_compliance_shows_the_gap_at_once,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let gone = k.system("Gammalt").await;
        let ola = k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        k.holds("system_manager", &ola, On::System(s.id)).await?;
        // One role still to come, and one that ended: only the first is handed over.
        k.holds_from(
            SYSTEM_OWNER,
            ola.id,
            On::System(gone.id),
            today() + Days::new(30),
        )
        .await?;
        let ended = k
            .holds_during(
                "system_manager",
                ola.id,
                On::System(gone.id),
                today() - Days::new(400),
                Some(today() - Days::new(10)),
            )
            .await?;
        let siv = k
            .person("Siv Efterträdare", Some("siv@kommunen.se"))
            .await?;
        assert!(
            !gaps(&store, k.org, "Treserva")
                .await?
                .contains(&"owner".to_owned())
        );
        assert!(
            store
                .leavers_roles(k.org, insyn_domain::listing::PageRequest::default())
                .await?
                .items
                .is_empty()
        );

        // Ola leaves without a successor: the system lost its owner at once,
        // and each role is a task.
        store
            .update_person(&actor(), k.org, ola.id, draft(&ola, false, None))
            .await?;
        assert!(
            gaps(&store, k.org, "Treserva")
                .await?
                .contains(&"owner".to_owned()),
            "{:?}",
            gaps(&store, k.org, "Treserva").await?
        );
        let tasks = store
            .leavers_roles(k.org, insyn_domain::listing::PageRequest::default())
            .await?
            .items;
        let open = store
            .person_roles(k.org, ola.id)
            .await?
            .iter()
            .filter(|a| a.assignment.end_date.is_none())
            .count();
        assert_eq!(tasks.len(), open, "{tasks:?}");
        assert!(tasks.len() >= 2, "{tasks:?}");
        assert!(tasks.iter().all(|a| a.assignment.person_id == ola.id));
        // A page at a time, the same roles in the same order, counted over all.
        let mut paged = vec![];
        for n in 1..=tasks.len() as u32 + 1 {
            let p = store
                .leavers_roles(
                    k.org,
                    insyn_domain::listing::PageRequest::new(Some(n), Some(1)),
                )
                .await?;
            assert_eq!(p.total, tasks.len() as i64);
            paged.extend(p.items.into_iter().map(|a| a.assignment.id));
        }
        assert_eq!(
            paged,
            tasks.iter().map(|a| a.assignment.id).collect::<Vec<_>>()
        );
        assert!(tasks.iter().all(|a| a.assignment.id != ended.id));

        // The successor must be someone else, who has not left.
        let e = invalid(transfer(&store, k.org, ola.id, ola.id).await);
        assert_eq!(e.get("successor_id"), Some(SUCCESSOR_SAME));
        let left = k.person("Lo Slutat", None).await?;
        store
            .update_person(&actor(), k.org, left.id, draft(&left, false, None))
            .await?;
        let e = invalid(transfer(&store, k.org, ola.id, left.id).await);
        assert_eq!(e.get("successor_id"), Some(SUCCESSOR_INACTIVE));
        let e = invalid(transfer(&store, k.org, ola.id, PersonId::new()).await);
        assert_eq!(e.get("successor_id"), Some(v::UNKNOWN_REFERENCE));

        // One step: every role Ola still held or was to hold is Siv's.
        let before = insyn_tests::audit_count(&store).await?;
        let given = transfer(&store, k.org, ola.id, siv.id).await?;
        assert_eq!(given.len(), tasks.len());
        assert!(given.iter().all(|a| a.person_id == siv.id));
        let later = given
            .iter()
            .find(|a| a.system_id == Some(gone.id))
            .expect("the role still to come");
        assert_eq!(later.start_date, today() + Days::new(30));
        assert_eq!(
            insyn_tests::audit_count(&store).await? - before,
            2 * given.len() as i64,
            "each role ended and begun, audited"
        );
        assert!(
            store
                .leavers_roles(k.org, insyn_domain::listing::PageRequest::default())
                .await?
                .items
                .is_empty()
        );
        assert!(
            !gaps(&store, k.org, "Treserva")
                .await?
                .contains(&"owner".to_owned())
        );
        for a in store.person_roles(k.org, ola.id).await? {
            assert!(!a.current, "{a:?}");
        }
        // Nothing is left to hand over.
        let e = invalid(transfer(&store, k.org, ola.id, siv.id).await);
        assert_eq!(e.get("successor_id"), Some(NOTHING_TO_TRANSFER));
    }
);
