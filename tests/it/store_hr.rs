//! Importing an HR file (personalfil): the dry run's differences exactly,
//! the changes in one transaction, a leaver's removal orders, and the same
//! file again changing nothing.

use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_store::access::{AccessReviewDraft, OrderFilter};
use insyn_store::hr::HrReport;
use insyn_tests::{Scenario, actor, audit_count, dual_test, unit};

fn row(n: usize, name: &str, email: &str, unit: &str) -> HrRow {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    HrRow {
        row: n,
        name: opt(name),
        email: opt(email),
        unit: opt(unit),
        ..HrRow::default()
    }
}

async fn import(
    store: &Store,
    org: OrgId,
    rows: &[HrRow],
    complete: bool,
    dry_run: bool,
) -> anyhow::Result<HrReport> {
    Ok(store
        .import_hr(&actor(), org, "personal.csv", rows, complete, dry_run)
        .await?)
}

/// The open removal orders of `who`, with their reasons.
async fn removals(store: &Store, org: OrgId, who: PersonId) -> anyhow::Result<Vec<Option<String>>> {
    let f = OrderFilter {
        person: Some(who),
        open: true,
        ..OrderFilter::default()
    };
    Ok(store
        .access_orders(org, f, PageRequest::default())
        .await?
        .items
        .into_iter()
        .filter(|o| o.kind == OrderKind::Remove)
        .map(|o| o.reason)
        .collect())
}

/// Treserva with the profile "Läsare", which `email` holds (from its user list).
async fn holds_reader(k: &Scenario, email: &str) -> anyhow::Result<SystemId> {
    let treserva = k.system("Treserva").await.id;
    k.store
        .create_access_profile(
            &actor(),
            k.org,
            treserva,
            AccessProfileDraft::named("Läsare"),
            &Parties::default(),
        )
        .await?;
    let listed = ListedAccount {
        row: 2,
        account: None,
        email: Some(email.into()),
        name: None,
        profile: Some("Läsare".into()),
    };
    k.store
        .import_roster(&actor(), k.org, treserva, "users.csv", &[listed], false)
        .await?;
    Ok(treserva)
}

dual_test!(
    an_hr_file_shows_its_differences_then_makes_them_once,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let it = unit(&store, k.org, None, "IT-enheten").await;
        let hr = unit(&store, k.org, None, "HR-enheten").await;
        let mut people = vec![];
        for (name, email, u) in [
            ("Kim Karlsson", "kim@kommunen.se", &it),
            ("Lo Lind", "lo@kommunen.se", &it),
            ("Ann Ek", "ann@kommunen.se", &hr),
            ("Eva Ek", "eva@kommunen.se", &hr),
        ] {
            people.push(k.person_in(name, Some(email), u.id).await?);
        }
        let [kim, lo, ann, eva] = <[Person; 4]>::try_from(people).expect("four");
        // Ann holds a profile on Treserva.
        holds_reader(&k, "ann@kommunen.se").await?;

        let mut gone = row(4, "Ann Ek", "ann@kommunen.se", "HR-enheten");
        gone.active = Some(false);
        let rows = [
            row(2, "Kim Karlsson", "kim@kommunen.se", "IT-enheten"),
            row(3, "Lo Lindqvist", "LO@kommunen.se", "HR-enheten"),
            gone,
            row(5, "Nya Nilsson", "nya@kommunen.se", "HR-enheten"),
            row(6, "Ole Okänd", "ole@kommunen.se", "Ekonomi"),
        ];
        let before = audit_count(&store).await?;
        let dry = import(&store, k.org, &rows, false, true).await?;
        assert_eq!(
            dry.new_people,
            vec![HrNewPerson {
                row: 5,
                name: "Nya Nilsson".into(),
                email: Some("nya@kommunen.se".into()),
                employee_number: None,
                unit_id: Some(hr.id)
            }]
        );
        assert_eq!(dry.changed.len(), 1);
        let c = &dry.changed[0];
        assert_eq!((c.row, c.person_id, c.moved), (3, lo.id, true));
        assert_eq!(c.fields, ["name", "unit"]);
        assert_eq!(
            dry.leavers,
            vec![HrLeaver {
                row: Some(4),
                person_id: ann.id,
                reason: LeaveReason::Inactive
            }]
        );
        let issues: Vec<(usize, &str, &str)> = dry
            .issues
            .iter()
            .map(|i| (i.row, i.column.as_str(), i.code.as_str()))
            .collect();
        assert_eq!(issues, [(6, "unit", HR_UNKNOWN_UNIT)]);
        assert_eq!(dry.people[&lo.id], "Lo Lind");
        // With "the file is complete", Eva (not in it) leaves too.
        let complete = import(&store, k.org, &rows, true, true).await?;
        assert_eq!(
            complete.leavers[1],
            HrLeaver {
                row: None,
                person_id: eva.id,
                reason: LeaveReason::Missing
            }
        );
        // A dry run writes nothing.
        assert_eq!(audit_count(&store).await?, before);
        assert!(store.get_person(k.org, ann.id).await?.active);

        let done = import(&store, k.org, &rows, false, false).await?;
        assert_eq!(
            (
                done.new_people.len(),
                done.changed.len(),
                done.leavers.len()
            ),
            (1, 1, 1)
        );
        let lo_after = store.get_person(k.org, lo.id).await?;
        assert_eq!(
            (lo_after.name.as_str(), lo_after.unit_id),
            ("Lo Lindqvist", Some(hr.id))
        );
        assert!(!store.get_person(k.org, ann.id).await?.active);
        assert_eq!(store.get_person(k.org, kim.id).await?, kim);
        // Ann leaves as through her page: a removal order for her holding.
        assert_eq!(
            removals(&store, k.org, ann.id).await?,
            [Some("left".to_owned())]
        );
        let written = audit_count(&store).await?;
        assert!(
            written >= before + 4,
            "a record per person and one for the import"
        );
        let nya = store
            .list_people(k.org, Some("nya@kommunen.se"), PageRequest::default())
            .await?;
        assert_eq!(nya.items.len(), 1);

        // The same file again: nothing to do, nothing written.
        let again = import(&store, k.org, &rows, false, false).await?;
        assert!(
            again.new_people.is_empty() && again.changed.is_empty() && again.leavers.is_empty()
        );
        assert_eq!(again.issues.len(), 1);
        assert_eq!(audit_count(&store).await?, written);
    }
);

dual_test!(
    a_movers_new_manager_reviews_what_they_hold_instead_of_removals,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let cia = k.person("Cia Chef", Some("cia@kommunen.se")).await?;
        let hr = unit(&store, k.org, None, "HR-enheten").await;
        let it = store
            .create_unit(
                &actor(),
                k.org,
                UnitDraft {
                    parent_id: None,
                    name: "IT-enheten".into(),
                    level: "Enhet".into(),
                    manager_id: Some(cia.id),
                },
            )
            .await?;
        let lo = k.person("Lo Lind", Some("lo@kommunen.se")).await?;
        let in_unit = |u: UnitId| PersonDraft {
            name: lo.name.clone(),
            email: lo.email.clone(),
            title: None,
            unit_id: Some(u),
            active: true,
        };
        store
            .update_person(&actor(), k.org, lo.id, in_unit(hr.id))
            .await?;
        let treserva = holds_reader(&k, "lo@kommunen.se").await?;

        // Lo moves from HR to IT, where Cia is the manager.
        store
            .update_person(&actor(), k.org, lo.id, in_unit(it.id))
            .await?;
        assert!(
            removals(&store, k.org, lo.id).await?.is_empty(),
            "no removal orders"
        );
        let open = store.open_access_reviews(k.org).await?;
        assert_eq!(open.len(), 1);
        let r = &open[0];
        assert_eq!(r.scope, ReviewScope::Mover);
        assert_eq!(
            (r.reviewer_id, r.unit_id, r.items),
            (Some(cia.id), Some(it.id), 1)
        );
        assert_eq!(r.subject, "Lo Lind (IT-enheten)");
        assert_eq!(r.reviewer_email.as_deref(), Some("cia@kommunen.se"));
        // Cia answers "remove": the removal order goes through execution;
        // signing records no access-review control for the system.
        let v = store.access_review(k.org, r.id).await?;
        let remove = ReviewAnswerDraft {
            answer: ReviewAnswer::Remove,
            comment: None,
        };
        store
            .answer_review_item(&actor(), k.org, r.id, v.items[0].id, remove)
            .await?;
        assert_eq!(
            removals(&store, k.org, lo.id).await?,
            [Some("access_review".to_owned())]
        );
        store.sign_access_review(&actor(), k.org, r.id).await?;
        let controls = store.control_records(k.org, Some(treserva)).await?;
        assert!(
            controls.is_empty(),
            "a mover's review is not the system's access review"
        );
        // A mover review cannot be opened by hand.
        let by_hand = AccessReviewDraft {
            scope: ReviewScope::Mover,
            system_id: None,
            unit_id: Some(it.id),
            reviewer_id: None,
            deadline: None,
        };
        assert!(
            store
                .open_access_review(&actor(), k.org, by_hand)
                .await
                .is_err()
        );
    }
);
