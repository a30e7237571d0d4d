//! A mover's roles (issue 16): moving a person to another unit (person
//! page, API or HR file) makes each role they hold a handover for the old
//! unit's manager, shown in "Mina uppgifter", settled by handing it over or
//! keeping it, every step audited; without a manager the coordinators are asked.

use insyn_domain::access::{HANDOVER_RESOLVED, HandoverState, HrRow, RoleHandoverDraft};
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, actor, audit_count, dual_test, invalid, unit};
use serde_json::json;

struct Setup {
    k: Scenario,
    old: Unit,
    new: Unit,
    per: Person,
    system: SystemId,
}

/// Per, in Gamla enheten (whose manager is Maj), is systemägare and
/// systemförvaltare of Treserva; Ny enheten has no manager.
async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let old = unit(store, k.org, None, "Gamla enheten").await;
    let new = unit(store, k.org, None, "Nya enheten").await;
    let maj = k
        .person_in("Maj Chef", Some("maj@kommunen.se"), new.id)
        .await?;
    store
        .update_unit(
            &actor(),
            k.org,
            old.id,
            UnitDraft {
                parent_id: None,
                name: old.name.clone(),
                level: old.level.clone(),
                manager_id: Some(maj.id),
            },
        )
        .await?;
    let per = k
        .person_in("Per Flytt", Some("per@kommunen.se"), old.id)
        .await?;
    let system = k.system("Treserva").await.id;
    k.holds("system_owner", &per, On::System(system)).await?;
    k.holds("system_manager", &per, On::System(system)).await?;
    Ok(Setup {
        k,
        old,
        new,
        per,
        system,
    })
}

fn moved(p: &Person, to: UnitId) -> PersonDraft {
    PersonDraft {
        name: p.name.clone(),
        email: p.email.clone(),
        title: p.title.clone(),
        unit_id: Some(to),
        active: true,
    }
}

dual_test!(
    a_movers_roles_wait_for_the_old_managers_handover_or_confirmation,
    |store: Store| async move {
        let s = setup(&store).await?;
        let (org, a) = (s.k.org, actor());
        // Retitled only: nothing to hand over.
        let mut retitled = moved(&s.per, s.old.id);
        retitled.title = Some("Handläggare".into());
        store.update_person(&a, org, s.per.id, retitled).await?;
        assert!(store.open_role_handovers(org).await?.is_empty());

        let before = audit_count(&store).await?;
        store
            .update_person(&a, org, s.per.id, moved(&s.per, s.new.id))
            .await?;
        assert!(
            audit_count(&store).await? >= before + 3,
            "the move and both items"
        );
        let mine = store
            .role_handovers_for(org, "MAJ@kommunen.se", false)
            .await?;
        let mut roles: Vec<(&str, &str, &str)> = mine
            .iter()
            .map(|h| {
                (
                    h.role_code.as_str(),
                    h.target_name.as_str(),
                    h.from_unit_name.as_str(),
                )
            })
            .collect();
        roles.sort();
        assert_eq!(
            roles,
            [
                ("system_manager", "Treserva", "Gamla enheten"),
                ("system_owner", "Treserva", "Gamla enheten"),
            ]
        );
        assert_eq!(mine[0].manager_name.as_deref(), Some("Maj Chef"));
        // The coordinators are not asked: the old unit has a manager.
        assert!(
            store
                .role_handovers_for(org, "ida@kommunen.se", true)
                .await?
                .is_empty()
        );
        assert!(
            store
                .role_handovers_for(org, "per@kommunen.se", false)
                .await?
                .is_empty()
        );

        // One is handed over to Kim, the other stays with Per.
        let kim =
            s.k.person("Kim Efterträdare", Some("kim@kommunen.se"))
                .await?;
        let owner = mine.iter().find(|h| h.role_code == "system_owner").unwrap();
        let manager = mine
            .iter()
            .find(|h| h.role_code == "system_manager")
            .unwrap();
        let errs = invalid(
            store
                .settle_role_handover(&a, org, owner.id, RoleHandoverDraft::default())
                .await,
        );
        assert_eq!(errs.get("successor_id"), Some(v::REQUIRED));
        let before = audit_count(&store).await?;
        let given = store
            .settle_role_handover(
                &a,
                org,
                owner.id,
                RoleHandoverDraft {
                    keep: false,
                    successor_id: Some(kim.id),
                },
            )
            .await?;
        assert_eq!(given.state, HandoverState::HandedOver);
        assert_eq!(given.successor_id, Some(kim.id));
        assert_eq!(
            audit_count(&store).await?,
            before + 3,
            "ended, given, settled"
        );
        let kept = store
            .settle_role_handover(
                &a,
                org,
                manager.id,
                RoleHandoverDraft {
                    keep: true,
                    successor_id: None,
                },
            )
            .await?;
        assert_eq!(kept.state, HandoverState::Kept);
        let errs = invalid(
            store
                .settle_role_handover(
                    &a,
                    org,
                    manager.id,
                    RoleHandoverDraft {
                        keep: true,
                        successor_id: None,
                    },
                )
                .await,
        );
        assert_eq!(errs.get("state"), Some(HANDOVER_RESOLVED));
        // Done: nothing left to ask; Kim is the owner now, Per still förvaltare.
        assert!(store.open_role_handovers(org).await?.is_empty());
        let today = chrono::Utc::now().date_naive();
        let holders: Vec<(String, String)> = store
            .system_roles(org, s.system)
            .await?
            .into_iter()
            .filter(|r| r.assignment.is_current(today))
            .map(|r| (r.role_code, r.person_name))
            .collect();
        assert!(
            holders.contains(&("system_owner".into(), "Kim Efterträdare".into())),
            "{holders:?}"
        );
        assert!(
            !holders.contains(&("system_owner".into(), "Per Flytt".into())),
            "{holders:?}"
        );
        assert!(
            holders.contains(&("system_manager".into(), "Per Flytt".into())),
            "{holders:?}"
        );
    }
);

dual_test!(
    without_a_manager_the_coordinators_are_asked_and_an_hr_file_move_counts,
    |store: Store| async move {
        let s = setup(&store).await?;
        let org = s.k.org;
        // Per moves back, by HR file, from Nya enheten (no manager) … first
        // through the page to Nya, settled, then by file to Gamla.
        store
            .update_person(&actor(), org, s.per.id, moved(&s.per, s.new.id))
            .await?;
        for h in store.open_role_handovers(org).await? {
            store
                .settle_role_handover(
                    &actor(),
                    org,
                    h.id,
                    RoleHandoverDraft {
                        keep: true,
                        successor_id: None,
                    },
                )
                .await?;
        }
        let row = HrRow {
            row: 2,
            employee_number: Some("7001".into()),
            email: Some("per@kommunen.se".into()),
            name: Some("Per Flytt".into()),
            unit: Some("Gamla enheten".into()),
            ..Default::default()
        };
        store
            .import_hr(&actor(), org, "personal.csv", &[row], false, false)
            .await?;
        let asked = store
            .role_handovers_for(org, "ida@kommunen.se", true)
            .await?;
        assert_eq!(asked.len(), 2);
        assert!(
            asked
                .iter()
                .all(|h| h.from_unit_name == "Nya enheten" && h.manager_name.is_none())
        );
        assert!(
            store
                .role_handovers_for(org, "maj@kommunen.se", false)
                .await?
                .is_empty()
        );
        // The file's employee number is kept on the person.
        let per = store.get_person(org, s.per.id).await?;
        assert_eq!(per.employee_number.as_deref(), Some("7001"));
    }
);

dual_test!(
    the_manager_settles_in_mina_uppgifter_and_through_the_api_and_others_may_not,
    |store: Store| async move {
        let s = setup(&store).await?;
        let maj = s.k.signed_in("maj@kommunen.se", AppRole::Reader).await?;
        let rut = s.k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let admin = App::new(&store).await;
        admin
            .put_json(
                &format!("/api/v1/orgs/kommunen/people/{}", s.per.id),
                &json!({ "name": "Per Flytt", "email": "per@kommunen.se", "unit_id": s.new.id }),
            )
            .await
            .expect(200);
        let page = maj.get("/o/kommunen/tasks").await.expect(200);
        page.assert_text_contains("Roller hos personer som har bytt enhet (2)");
        page.assert_text_contains("Per Flytt");
        let listed = maj.get_json("/api/v1/orgs/kommunen/role-handovers").await;
        assert_eq!(listed.as_array().map(Vec::len), Some(2));
        let first = listed[0]["id"].as_str().unwrap().to_owned();
        let second = listed[1]["id"].as_str().unwrap().to_owned();
        // Someone else may not.
        rut.get(&format!("/o/kommunen/role-handovers/{first}"))
            .await
            .expect(403);
        rut.post_json(
            &format!("/api/v1/orgs/kommunen/role-handovers/{first}"),
            &json!({ "keep": true }),
        )
        .await
        .expect(403);
        // The page keeps one; the API hands the other over.
        maj.get(&format!("/o/kommunen/role-handovers/{first}"))
            .await
            .expect(200)
            .assert_text_contains("Lämna över rollen");
        maj.post_form(
            &format!("/o/kommunen/role-handovers/{first}"),
            &[("keep", "1")],
        )
        .await
        .expect(303);
        let kim =
            s.k.person("Kim Efterträdare", Some("kim@kommunen.se"))
                .await?;
        let done = maj
            .post_json_expecting(
                &format!("/api/v1/orgs/kommunen/role-handovers/{second}"),
                &json!({ "successor_id": kim.id }),
                200,
            )
            .await;
        assert_eq!(done["state"], "handed_over");
        maj.post_json(
            &format!("/api/v1/orgs/kommunen/role-handovers/{second}"),
            &json!({ "keep": true }),
        )
        .await
        .expect(422);
        let after = maj.get("/o/kommunen/tasks").await.expect(200).text();
        assert!(!after.contains("bytt enhet"), "settled: no longer a task");
    }
);

dual_test!(
    the_employee_number_shows_on_the_person_page_and_never_publicly,
    |store: Store| async move {
        let s = setup(&store).await?;
        let row = HrRow {
            row: 2,
            employee_number: Some("E-70017".into()),
            email: Some("per@kommunen.se".into()),
            name: Some("Per Flytt".into()),
            ..Default::default()
        };
        store
            .import_hr(&actor(), s.k.org, "personal.csv", &[row], false, false)
            .await?;
        let app = App::new(&store).await;
        app.get(&format!("/o/kommunen/people/{}", s.per.id))
            .await
            .expect(200)
            .assert_text_contains("Anställningsnummer E-70017");
        let person = app
            .get_json(&format!("/api/v1/orgs/kommunen/people/{}", s.per.id))
            .await;
        assert_eq!(person["employee_number"], "E-70017");
        // Per is the system owner of Treserva: the public register names
        // systems, never the number.
        let anon = App::anonymous(&store);
        for uri in [
            "/public/kommunen",
            "/public/kommunen/register.csv",
            "/public/kommunen/register.json",
        ] {
            let body = anon.get(uri).await.expect(200).body;
            assert!(body.contains("Treserva"), "{uri}: {body}");
            assert!(
                !body.contains("E-70017"),
                "{uri} leaked the employee number"
            );
        }
    }
);
