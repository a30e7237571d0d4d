//! Importing a system's user list: a spreadsheet made by LibreOffice
//! (`tests/fixtures/treserva-users.xlsx`, see the fixtures README) against
//! the holdings insyn believes in. The dry run shows exactly the
//! differences, applying records what it says, and a re-import is a no-op.

use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, audit_count, date, dual_test};

const LIST: &[u8] = include_bytes!("../fixtures/treserva-users.xlsx");

/// Grants `profile` to `who` through the whole chain.
pub async fn grant(
    k: &Scenario,
    system: SystemId,
    profile: AccessProfileId,
    who: PersonId,
) -> anyhow::Result<()> {
    let draft = AccessOrderDraft {
        kind: OrderKind::Grant,
        person_id: Some(who),
        new_person: None,
        profile_ids: vec![profile],
        reason: Some("Ny tjänst".into()),
        start_date: date(2026, 12, 7),
        end_date: None,
        ticket: None,
    };
    let o = k.store.order_access(&actor(), k.org, system, draft).await?;
    for step in [OrderStep::Approve, OrderStep::CarryOut] {
        let d = OrderStepDraft {
            step,
            comment: None,
            ticket: None,
            done_on: None,
        };
        k.store.order_step(&actor(), k.org, o[0].id, d).await?;
    }
    Ok(())
}

/// Imports the list into the system (or only looks, with `dry_run`).
async fn import(
    k: &Scenario,
    system: SystemId,
    listed: &[ListedAccount],
    dry_run: bool,
) -> anyhow::Result<insyn_store::access::RosterReport> {
    Ok(k.store
        .import_roster(
            &actor(),
            k.org,
            system,
            "treserva-users.xlsx",
            listed,
            dry_run,
        )
        .await?)
}

/// The one holding the person has today, if any.
async fn held(store: &Store, org: OrgId, who: PersonId) -> anyhow::Result<Option<Holding>> {
    Ok(store.holdings_of_person(org, who).await?.into_iter().next())
}

dual_test!(
    a_user_list_from_libreoffice_shows_exactly_the_differences,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let system = k.system("Treserva").await.id;
        let mut ids = vec![];
        for name in ["Handläggare", "Läsare"] {
            let d = AccessProfileDraft::named(name);
            let p = store
                .create_access_profile(&actor(), k.org, system, d, &Parties::default())
                .await?;
            ids.push(p.id);
        }
        let (clerk, reader) = (ids[0], ids[1]);
        let kim = k.person("Kim Karlsson", Some("kim@kommunen.se")).await?;
        let lo = k.person("Lo Lind", Some("lo@kommunen.se")).await?;
        let ann = k.person("Ann Ek", Some("ann@kommunen.se")).await?;
        let eva = k.person("Eva Berg", Some("eva@kommunen.se")).await?;
        let bo = k.person("Bo Ström", Some("bo@kommunen.se")).await?;
        grant(&k, system, clerk, kim.id).await?;
        grant(&k, system, reader, lo.id).await?;
        grant(&k, system, clerk, eva.id).await?;
        grant(&k, system, reader, bo.id).await?;
        // Lo leaves: the holding stays until its removal is carried out.
        let left = PersonDraft {
            name: lo.name.clone(),
            email: lo.email.clone(),
            title: None,
            unit_id: None,
            active: false,
        };
        store.update_person(&actor(), k.org, lo.id, left).await?;
        let holding_of = |who: PersonId| held(&store, k.org, who);
        let (hkim, hlo, hbo) = (
            holding_of(kim.id).await?.unwrap(),
            holding_of(lo.id).await?.unwrap(),
            holding_of(bo.id).await?.unwrap(),
        );

        let list = insyn_io::read_user_list("treserva-users.xlsx", LIST)?;
        // The row without a user name or an e-mail address is named.
        assert_eq!(list.issues.len(), 1);
        assert_eq!(list.issues[0].row, 7);
        assert_eq!(list.issues[0].code, "import-roster-no-account");
        assert_eq!(list.accounts.len(), 5);

        let before = audit_count(&store).await?;
        let dry = import(&k, system, &list.accounts, true).await?;
        assert_eq!(
            dry.differences,
            vec![
                RosterDifference::Leaver {
                    row: 3,
                    person_id: lo.id
                },
                RosterDifference::Unknown { row: 4 },
                RosterDifference::Unknown { row: 5 },
                RosterDifference::OtherProfile {
                    row: 6,
                    person_id: eva.id,
                    listed: "Läsare".into()
                },
                RosterDifference::Missing { holding_id: hbo.id },
            ]
        );
        let want = vec![
            RosterChange::Account {
                row: 2,
                holding_id: hkim.id,
                person_id: kim.id,
                account: "kim01".into(),
            },
            RosterChange::Account {
                row: 3,
                holding_id: hlo.id,
                person_id: lo.id,
                account: "lo01".into(),
            },
            RosterChange::Holding {
                row: 4,
                person_id: ann.id,
                profile_id: reader,
                account: Some("ann01".into()),
            },
        ];
        assert_eq!(dry.changes, want);
        assert!(dry.issues.is_empty());
        assert_eq!(dry.people.get(&ann.id).map(String::as_str), Some("Ann Ek"));
        // The dry run wrote nothing.
        assert_eq!(audit_count(&store).await?, before);
        assert!(holding_of(ann.id).await?.is_none());
        assert_eq!(holding_of(kim.id).await?.unwrap().account, None);

        let done = import(&k, system, &list.accounts, false).await?;
        assert_eq!(done.changes, want);
        assert_eq!(done.differences, dry.differences);
        // One audit record for the whole import.
        assert_eq!(audit_count(&store).await?, before + 1);
        let kim_now = holding_of(kim.id).await?.unwrap();
        assert_eq!(kim_now.account.as_deref(), Some("kim01"));
        let ann_now = holding_of(ann.id).await?.unwrap();
        assert_eq!(
            (
                ann_now.profile_id,
                ann_now.account.as_deref(),
                ann_now.order_id
            ),
            (reader, Some("ann01"), None)
        );

        // The same list again: nothing to change, nothing written; what is
        // left is for people to decide.
        let again = import(&k, system, &list.accounts, false).await?;
        assert!(again.changes.is_empty());
        assert_eq!(audit_count(&store).await?, before + 1);
        let left: Vec<RosterDifference> = dry
            .differences
            .into_iter()
            .filter(|d| *d != RosterDifference::Unknown { row: 4 })
            .collect();
        assert_eq!(again.differences, left, "Ann is known now");
    }
);
