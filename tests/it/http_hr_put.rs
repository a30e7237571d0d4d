//! People in from the HR system by its own id (`PUT
//! /api/v1/orgs/{org}/people/by-external-id/{id}`, issue 21): 201 when
//! created, 200 when updated or unchanged (nothing written then), a person
//! the register had without an id adopted by e-mail, an end date that has
//! passed makes a leaver whose roles become the leavers' tasks, and wrong
//! input is a 409 or 422 naming the field.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, assert_problem_fields, audit_count, dual_test, unit};
use serde_json::json;

const API: &str = "/api/v1/orgs/kommunen/people/by-external-id";

dual_test!(
    the_hr_system_creates_updates_and_ends_a_person_by_its_id,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        unit(&store, k.org, None, "IT-enheten").await;
        let soc = unit(&store, k.org, None, "Socialförvaltningen").await;
        let app = App::new(&store).await;
        let body =
            json!({ "name": "Kim Karlsson", "email": "kim@kommunen.se", "unit": "it-enheten" });
        let created = app
            .put_json_expecting(&format!("{API}/1001"), &body, 201)
            .await;
        assert_eq!(created["employee_number"], "1001");
        assert_eq!(created["active"], true);
        let id = created["id"].as_str().unwrap_or_default().to_owned();
        // The same again: 200, nothing written.
        let before = audit_count(&store).await?;
        let same = app
            .put_json_expecting(&format!("{API}/1001"), &body, 200)
            .await;
        assert_eq!(same["id"], id.as_str());
        assert_eq!(audit_count(&store).await?, before);
        // A new name and unit: updated, the same person.
        let moved = json!({ "name": "Kim Berg", "email": "kim@kommunen.se", "unit": "Socialförvaltningen" });
        let v = app
            .put_json_expecting(&format!("{API}/1001"), &moved, 200)
            .await;
        assert_eq!(
            (v["id"].as_str(), v["name"].as_str()),
            (Some(id.as_str()), Some("Kim Berg"))
        );
        assert_eq!(v["unit_id"], json!(soc.id));
        let listed = app
            .get_json("/api/v1/orgs/kommunen/people?per_page=100")
            .await;
        assert_eq!(listed["total"], 1, "{listed}");

        // Someone the register had without an id is adopted by e-mail.
        let eva = k.person("Eva Ek", Some("eva@kommunen.se")).await?;
        let v = app
            .put_json_expecting(
                &format!("{API}/1002"),
                &json!({ "name": "Eva Ek", "email": "EVA@kommunen.se" }),
                200,
            )
            .await;
        assert_eq!(
            (v["id"].clone(), v["employee_number"].clone()),
            (json!(eva.id), json!("1002"))
        );

        // An end date that has passed: a leaver, whose role is a task.
        let s = k.system("Treserva").await;
        let kim = store
            .get_person(k.org, insyn_domain::PersonId(id.parse()?))
            .await?;
        k.holds(
            insyn_domain::SYSTEM_OWNER,
            &kim,
            insyn_tests::On::System(s.id),
        )
        .await?;
        let left =
            json!({ "name": "Kim Berg", "email": "kim@kommunen.se", "end_date": "2024-03-31" });
        let v = app
            .put_json_expecting(&format!("{API}/1001"), &left, 200)
            .await;
        assert_eq!(v["active"], false);
        let tasks = app.get_json("/api/v1/orgs/kommunen/leavers/roles").await;
        assert_eq!(tasks["total"], 1, "{tasks}");
        // Someone who left before the register knew them: kept as a leaver.
        let v = app
            .put_json_expecting(
                &format!("{API}/0999"),
                &json!({ "name": "Gammal Anställd", "end_date": "2020-01-31" }),
                201,
            )
            .await;
        assert_eq!(v["active"], false);
    }
);

dual_test!(
    wrong_input_is_named_and_changes_nothing,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let app = App::new(&store).await;
        app.put_json_expecting(
            &format!("{API}/1001"),
            &json!({ "name": "Kim Karlsson", "email": "kim@kommunen.se" }),
            201,
        )
        .await;
        let before = audit_count(&store).await?;
        // Another employee's e-mail address: a conflict.
        let r = app
            .put_json(
                &format!("{API}/1002"),
                &json!({ "name": "Kim Kopia", "email": "kim@kommunen.se" }),
            )
            .await;
        assert_problem_fields(&r, 409, &[("email", "error-taken")]);
        let r = app
            .put_json(
                &format!("{API}/1003"),
                &json!({ "name": "Ny", "unit": "Finns inte" }),
            )
            .await;
        assert_problem_fields(&r, 422, &[("unit", "import-hr-unknown-unit")]);
        let r = app
            .put_json(
                &format!("{API}/1003"),
                &json!({ "name": " ", "email": "inte en adress" }),
            )
            .await;
        assert_problem_fields(
            &r,
            422,
            &[("name", "error-required"), ("email", "error-not-an-email")],
        );
        let long = "9".repeat(51);
        let r = app
            .put_json(&format!("{API}/{long}"), &json!({ "name": "Ny" }))
            .await;
        assert_problem_fields(&r, 422, &[("external_id", "error-too-long")]);
        assert_eq!(audit_count(&store).await?, before);
        // Readers may not.
        let reader = k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        reader
            .put_json(&format!("{API}/1004"), &json!({ "name": "Ny" }))
            .await
            .expect(403);
    }
);

dual_test!(
    a_person_without_e_mail_is_found_by_name_in_any_case_and_spacing,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let asa = k.person("Åsa Öberg", None).await?;
        k.person("Per Persson", None).await?;
        k.person("Per Persson", None).await?;
        // Many others, so that the match is not the only person there is.
        for i in 0..30 {
            k.person(
                &format!("Annan Person {i}"),
                Some(&format!("p{i}@kommunen.se")),
            )
            .await?;
        }
        let app = App::new(&store).await;
        let v = app
            .put_json_expecting(
                &format!("{API}/2001"),
                &json!({ "name": "  ÅSA   öberg " }),
                200,
            )
            .await;
        assert_eq!(
            (v["id"].clone(), v["employee_number"].clone()),
            (json!(asa.id), json!("2001"))
        );
        // Two people of that name and no e-mail: which one is not guessed.
        let before = audit_count(&store).await?;
        let r = app
            .put_json(&format!("{API}/2002"), &json!({ "name": "per PERSSON" }))
            .await;
        assert_problem_fields(&r, 422, &[("name", "import-hr-which-person")]);
        // A name with LIKE's own characters matches only itself.
        let v = app
            .put_json_expecting(
                &format!("{API}/2003"),
                &json!({ "name": "P%r_Persson" }),
                201,
            )
            .await;
        assert_ne!(v["id"], json!(asa.id));
        assert!(audit_count(&store).await? > before);
    }
);
