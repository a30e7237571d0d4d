//! Roles through the pages: assigning a system owner by e-mail or name,
//! what the system, person and register pages then show, and ending it.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{App, audit_count, dual_test, org_id, person, role_type, system, text_by_id};

/// The section of a page from a heading's text to the next `<h2`.
fn section<'a>(html: &'a str, heading: &str) -> Option<&'a str> {
    let i = html.find(heading)?;
    let end = html[i..].find("<h2").map_or(html.len(), |e| i + e);
    Some(&html[i..end])
}

dual_test!(
    a_system_owner_assigned_and_ended_through_the_pages,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let anna = person(
            &store,
            org,
            "Anna Andersson",
            Some("anna.andersson@kommunen.se"),
        )
        .await?;
        person(&store, org, "Anna Berg", Some("anna.berg@kommunen.se")).await?;
        let owner = role_type(&store, org, SYSTEM_OWNER).await?;
        let sys = system(&store, org, "Procapita").await;
        let other = system(&store, org, "Raindance").await;
        let app = App::new(&store).await;
        let sys_page = format!("/o/kommunen/systems/{}", sys.id);
        let person_page = format!("/o/kommunen/people/{}", anna.id);
        let no_owner = |app: App| async move {
            app.get_json("/api/v1/orgs/kommunen/systems?no_owner=true")
                .await["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|s| s["name"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        let no_owner_page =
            |app: App| async move { app.get_text("/o/kommunen/systems?no_owner=true").await };

        // The system page offers the role types that apply to systems, and the people.
        let page = app.get(&sys_page).await.expect(200);
        assert!(page.body.contains(&format!("value=\"{}\"", owner.id)));
        assert!(
            page.text()
                .contains("Ingen har någon roll för systemet ännu.")
        );
        assert!(
            page.body.contains("anna.andersson@kommunen.se"),
            "the suggestion list"
        );
        assert_eq!(no_owner(app.clone()).await, ["Procapita", "Raindance"]);

        // An unknown person, an empty one, an ambiguous name, a bad date: 422, nothing written.
        let audits = audit_count(&store).await?;
        let owner_id = owner.id.to_string();
        for (who, start, field, message) in [
            (
                "okand@kommunen.se",
                "2024-01-01",
                "assign-person-error",
                "Det valda finns inte i den här organisationen.",
            ),
            ("", "2024-01-01", "assign-person-error", "Fyll i fältet."),
            (
                "Anna",
                "2024-01-01",
                "assign-person-error",
                "Det valda finns inte i den här organisationen.",
            ),
            (
                "anna.andersson@kommunen.se",
                "1 januari",
                "assign-start_date-error",
                "Ange ett datum som ÅÅÅÅ-MM-DD.",
            ),
        ] {
            let r = app
                .post_form(
                    &format!("{sys_page}/roles"),
                    &[
                        ("role_type_id", owner_id.as_str()),
                        ("person", who),
                        ("start_date", start),
                    ],
                )
                .await
                .expect(422);
            assert_eq!(
                text_by_id(&r.body, field).as_deref(),
                Some(message),
                "{who:?}, {start:?}"
            );
            assert!(
                r.body.contains(&format!(
                    "id=\"assign-person\" name=\"person\" value=\"{who}\""
                )),
                "the typed person is kept: {who:?}"
            );
            assert!(r.text().contains("Procapita"), "the system page again");
        }
        // … in English with the cookie.
        let r = app
            .lang("en")
            .post_form(
                &format!("{sys_page}/roles"),
                &[
                    ("role_type_id", owner_id.as_str()),
                    ("person", "okand@kommunen.se"),
                ],
            )
            .await
            .expect(422);
        assert_eq!(
            text_by_id(&r.body, "assign-person-error").as_deref(),
            Some("The chosen item does not exist in this organisation.")
        );
        assert_eq!(audit_count(&store).await?, audits, "nothing was written");
        assert!(store.system_roles(org, sys.id).await?.is_empty());

        // Assign by e-mail (case does not matter): back to the roles on the system page.
        let r = app
            .post_form(
                &format!("{sys_page}/roles"),
                &[
                    ("role_type_id", owner_id.as_str()),
                    ("person", "Anna.Andersson@Kommunen.se"),
                    ("start_date", "2024-01-01"),
                ],
            )
            .await
            .expect(303);
        assert_eq!(r.location(), format!("{sys_page}?saved=1#roller"));
        let page = app.get(&sys_page).await.expect(200);
        let roles = section(&page.body, "id=\"roller\"").expect("the roles section");
        let text = insyn_tests::html_text(roles);
        assert!(
            text.contains("Systemägare Anna Andersson 2024-01-01"),
            "{text}"
        );
        assert!(roles.contains(&format!("href=\"{person_page}\"")));
        let end_action = insyn_tests::attr_values(roles, "action")
            .into_iter()
            .find(|a| a.contains("/assignments/") && a.ends_with("/end"))
            .expect("an end button");

        // The person page lists it as current; the register knows the owner.
        let p = app.get(&person_page).await.expect(200);
        let current = section(&p.body, "Det här ansvarar personen för").expect("current roles");
        let text = insyn_tests::html_text(current);
        assert!(text.contains("Systemägare Procapita 2024-01-01"), "{text}");
        assert!(!p.body.contains("Tidigare roller"));
        assert_eq!(no_owner(app.clone()).await, ["Raindance"]);
        let np = no_owner_page(app.clone()).await;
        assert!(
            !np.contains("Procapita") && np.contains("Raindance"),
            "{np}"
        );
        let holder = app
            .get_text(&format!("/o/kommunen/systems?holder={}", anna.id))
            .await;
        assert!(holder.contains("Procapita") && !holder.contains("Raindance"));
        // The role-holder field names her (its hint shows the name).
        assert!(
            holder.contains("Rollinnehavare") && holder.contains("Anna Andersson"),
            "{holder}"
        );

        // Assign by a name only one person has, on the other system.
        app.post_form(
            &format!("/o/kommunen/systems/{}/roles", other.id),
            &[("role_type_id", owner_id.as_str()), ("person", "anna berg")],
        )
        .await
        .expect(303);
        assert!(no_owner(app.clone()).await.is_empty());

        // End Anna's role: it moves to her earlier roles, and the system lacks an owner again.
        let r = app.post_empty(&end_action).await.expect(303);
        assert_eq!(r.location(), format!("{sys_page}?saved=1#roller"));
        let page = app.get(&sys_page).await.expect(200);
        let roles = section(&page.body, "id=\"roller\"").expect("the roles section");
        assert!(
            insyn_tests::html_text(roles).contains("Avslutad"),
            "after \"Avsluta\" the role is no longer held: {}",
            insyn_tests::html_text(roles)
        );
        let p = app.get(&person_page).await.expect(200);
        let past = section(&p.body, "Tidigare roller").expect("earlier roles");
        assert!(insyn_tests::html_text(past).contains("Systemägare Procapita 2024-01-01"));
        assert!(p.text().contains("Personen har inga aktuella roller."));
        assert_eq!(no_owner(app.clone()).await, ["Procapita"]);
        let np = no_owner_page(app.clone()).await;
        assert!(np.contains("Procapita"), "{np}");
        let api_roles = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{}/roles", sys.id))
            .await;
        assert_eq!(api_roles["total"], 1);
        assert_eq!(api_roles["items"][0]["current"], false);
        assert!(api_roles["items"][0]["end_date"].is_string());
    }
);

dual_test!(
    a_refused_assignment_keeps_the_typed_start_date,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let owner = role_type(&store, org, SYSTEM_OWNER).await?;
        let sys = system(&store, org, "Procapita").await;
        let app = App::new(&store).await;
        let owner_id = owner.id.to_string();
        let r = app
            .post_form(
                &format!("/o/kommunen/systems/{}/roles", sys.id),
                &[
                    ("role_type_id", owner_id.as_str()),
                    ("person", "okand@kommunen.se"),
                    ("start_date", "2023-08-15"),
                ],
            )
            .await
            .expect(422);
        // Like the system form, the role form shows again what was typed.
        assert!(
            r.body.contains(&format!("value=\"{owner_id}\" selected")),
            "the chosen role is kept"
        );
        assert!(
            r.body
                .contains("name=\"start_date\" type=\"date\" value=\"2023-08-15\""),
            "the typed start date is kept"
        );
    }
);
