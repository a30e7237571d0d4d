//! "Mina uppgifter" through HTTP, on both databases: each task is an action
//! in plain words under its system's heading, with a link to the form that
//! does it (the role chosen); done, it is gone; with nothing to do the page
//! says so; the public register counts its systems in a sentence.

use insyn_domain::AppRole;
use insyn_domain::SYSTEM_OWNER;
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, actor, dual_test, html_text};

dual_test!(
    a_task_says_what_to_do_links_to_its_form_and_is_gone_once_done,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let treserva = k.system("Treserva").await;
        let other = k.system("Procapita").await;
        let ola = k.owner(&treserva, "Ola Ägare", "ola@kommunen.se").await?;
        k.holds(SYSTEM_OWNER, &ola, On::System(other.id)).await?;
        k.user("ola@kommunen.se", "Ola Ägare", AppRole::Reader)
            .await?;
        // Söderköping asks for a systemansvarig, which neither system has.
        store.adopt_profile(&actor(), k.org, "soderkoping").await?;
        let ola = App::as_user(&store, "ola@kommunen.se");

        let page = ola.get("/o/kommunen/tasks").await.expect(200).body;
        let text = html_text(&page);
        assert!(
            text.contains("Utse en systemansvarig för Treserva"),
            "{text}"
        );
        assert!(text.contains("Klassa informationen i Treserva"), "{text}");
        // "Saknas" and "Kan inte bedömas (uppgift saknas)" are told apart.
        for words in [
            "Så läser du lägena:",
            "Saknas det som regeln kräver finns inte i registret",
            "Kan inte bedömas (uppgift saknas) registret saknar en uppgift om systemet",
        ] {
            assert!(text.contains(words), "{words}: {text}");
        }
        // One heading per system (h3, under the policy tasks' h2); the policy's words under "Varför?".
        assert!(
            page.contains("<h2 id=\"h-policy-tasks\">Uppgifter enligt policyn</h2>"),
            "{page}"
        );
        assert_eq!(page.matches("<section class=\"task-group\"").count(), 2);
        assert!(page.contains(">Treserva</a></h3>"), "{page}");
        assert!(page.contains(">Procapita</a></h3>"), "{page}");
        assert!(page.contains("<summary>Varför?"), "{page}");
        assert!(
            !page.contains("<table class=\"tasks\">\n  <caption>Uppgifter"),
            "no longer one table of policy sentences"
        );
        let base = format!("/o/kommunen/systems/{}", treserva.id);
        let href = format!("{base}?role=system_responsible#assign-heading");
        assert!(page.contains(&href), "{page}");
        assert!(page.contains(&format!("{base}/security#sets")), "{page}");

        // The link opens the system's role form with the role chosen.
        let form = ola
            .get(&format!("{base}?role=system_responsible"))
            .await
            .expect(200)
            .body;
        let rt = store
            .list_role_types(k.org)
            .await?
            .into_iter()
            .find(|r| r.code == "system_responsible")
            .expect("a default role type");
        assert!(
            form.contains(&format!("<option value=\"{}\" selected>", rt.id)),
            "the role is chosen: {form}"
        );
        let plain = ola.get(&base).await.expect(200).body;
        assert!(
            !plain.contains(&format!("<option value=\"{}\" selected>", rt.id)),
            "only when asked"
        );

        // Done through that form, the task is gone; the others stay.
        ola.post_form(
            &format!("{base}/roles"),
            &[
                ("role_type_id", &rt.id.to_string()),
                ("person", "ola@kommunen.se"),
            ],
        )
        .await
        .expect(303);
        let text = ola.get_text("/o/kommunen/tasks").await;
        assert!(
            !text.contains("Utse en systemansvarig för Treserva"),
            "{text}"
        );
        assert!(text.contains("Utse en systemansvarig för Procapita"));
        assert!(text.contains("Klassa informationen i Treserva"));

        // In English too.
        let en = ola.lang("en").get_text("/o/kommunen/tasks").await;
        assert!(
            en.contains("Appoint a system responsible for Procapita"),
            "{en}"
        );
        assert!(en.contains("Why?"), "{en}");
        assert!(
            en.contains("Missing what the rule asks for is not in the register"),
            "{en}"
        );
        assert!(
            en.contains("Cannot be assessed (information missing) the register lacks a fact"),
            "{en}"
        );
        // So are they on the system's compliance page.
        let page = ola.get_text(&format!("{base}/compliance")).await;
        assert!(page.contains("Så läser du lägena:"), "{page}");
    }
);

dual_test!(
    with_nothing_to_do_the_page_says_so_and_the_public_register_counts_in_a_sentence,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        k.system("Treserva").await;
        k.system("Procapita").await;
        k.user("lisa@kommunen.se", "Lisa Läsare", AppRole::Reader)
            .await?;
        let lisa = App::as_user(&store, "lisa@kommunen.se");
        let page = lisa.get("/o/kommunen/tasks").await.expect(200).body;
        assert!(page.contains("class=\"empty-state\""), "{page}");
        assert!(
            html_text(&page).contains("Inget att göra enligt policyn just nu"),
            "{page}"
        );
        assert!(!page.contains("task-group"));

        let anon = App::anonymous(&store);
        let public = anon.get_text("/public/kommunen").await;
        assert!(public.contains("Registret visar 2 system."), "{public}");
        let none = anon.get_text("/public/kommunen?q=finnsinte").await;
        assert!(none.contains("Inga system visas."), "{none}");
        let en = anon.lang("en").get_text("/public/kommunen").await;
        assert!(en.contains("The register shows 2 systems."), "{en}");
    }
);

dual_test!(
    an_empty_register_offers_the_import_and_the_new_system_form,
    |store: Store| async move {
        let admin = App::new_with_org(&store, "tom").await?;
        let page = admin.get("/o/tom/systems").await.expect(200).body;
        assert!(page.contains("Registret har inga system än."), "{page}");
        assert!(page.contains("href=\"/o/tom/import\""), "{page}");
        assert!(page.contains("href=\"/o/tom/systems/new\""), "{page}");
    }
);

dual_test!(
    a_coordinator_with_many_tasks_gets_them_a_page_at_a_time,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        // 25 systems with every role vacant: their gaps fall to the coordinator.
        for i in 0..25 {
            k.system(&format!("System {i:02}")).await;
        }
        let it = insyn_tests::unit(&store, k.org, None, "IT-enheten").await;
        let sara = k
            .person("Sara Samordnare", Some("sara@kommunen.se"))
            .await?;
        k.holds("security_coordinator", &sara, On::Unit(it.id))
            .await?;
        k.user("sara@kommunen.se", "Sara Samordnare", AppRole::Reader)
            .await?;
        store.adopt_profile(&actor(), k.org, "soderkoping").await?;
        let sara = App::as_user(&store, "sara@kommunen.se");

        // The systems a page has a heading for.
        let names = |page: &str| -> Vec<String> {
            page.split("<h3 id=\"task-group-")
                .skip(1)
                .filter(|h| h.contains("\"><a href=\"/o/kommunen/systems/"))
                .map(|h| html_text(h.split("</h3>").next().unwrap_or("")))
                .collect()
        };
        let first = sara.get("/o/kommunen/tasks").await.expect(200).body;
        assert_eq!(names(&first).len(), 20, "20 systems a page");
        assert!(
            html_text(&first).contains("Sida 1 av 2 (20 system per sida)"),
            "{first}"
        );
        assert!(
            first.contains("href=\"/o/kommunen/tasks?page=2#tasks-heading\" rel=\"next\""),
            "{first}"
        );
        let second = sara.get("/o/kommunen/tasks?page=2").await.expect(200).body;
        assert_eq!(names(&second).len(), 5);
        assert!(second.contains("rel=\"prev\""), "{second}");
        assert!(!second.contains("rel=\"next\""), "{second}");
        // No system on both pages; a page past the end is empty, not an error.
        let (a, b) = (names(&first), names(&second));
        assert!(a.iter().all(|n| !b.contains(n)), "{a:?} {b:?}");
        sara.get("/o/kommunen/tasks?page=99").await.expect(200);
        sara.get("/o/kommunen/tasks?page=x").await.expect(200);

        // The API pages the same tasks in the same order.
        let all = sara
            .get_json("/api/v1/orgs/kommunen/tasks?per_page=500")
            .await;
        let total = all["total"].as_i64().unwrap();
        let items = all["items"].as_array().unwrap();
        assert_eq!(items.len() as i64, total);
        assert!(total > 25, "{all}");
        let page = sara
            .get_json("/api/v1/orgs/kommunen/tasks?per_page=7&page=2")
            .await;
        assert_eq!(page["total"].as_i64(), Some(total));
        assert_eq!(page["items"].as_array().unwrap()[..], items[7..14]);
        let default = sara.get_json("/api/v1/orgs/kommunen/tasks").await;
        assert_eq!(
            default["items"].as_array().unwrap().len(),
            50,
            "one page by default"
        );
        sara.get("/api/v1/orgs/kommunen/tasks?per_page=x")
            .await
            .expect(422);
    }
);

#[test]
fn every_words_of_a_task_exist_in_both_languages_with_their_arguments() {
    use insyn_web::i18n::Lang;
    for key in insyn_domain::policy::ACTION_KEYS {
        for lang in [Lang::Sv, Lang::En] {
            let words = lang.t_args(
                key,
                &[
                    ("system", "Treserva".into()),
                    ("role", "en systemförvaltare".into()),
                    ("control", "kontrollen".into()),
                    ("document", "dokumentet".into()),
                    ("date", "2027-01-31".into()),
                ],
            );
            assert_ne!(words, *key, "{key} in {lang:?}");
            assert!(!words.contains('{'), "{key} in {lang:?}: {words}");
        }
    }
}

dual_test!(
    a_reader_goes_from_the_register_to_what_is_late_in_one_click,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        k.system("Treserva").await;
        k.user("rut@kommunen.se", "Rut Revisor", AppRole::Reader)
            .await?;
        k.user("rolf@kommunen.se", "Rolf Redaktör", AppRole::Editor)
            .await?;
        let link = "href=\"/o/kommunen/compliance?state=overdue#h-gaps\"";
        let rut = App::as_user(&store, "rut@kommunen.se");
        let page = rut.get("/o/kommunen/systems").await.expect(200).body;
        assert!(page.contains(link), "{page}");
        assert!(html_text(&page).contains("Vad är försenat?"), "{page}");
        let en = rut.lang("en").get_text("/o/kommunen/systems").await;
        assert!(en.contains("What is late?"), "{en}");
        // The link leads to the overdue duties, which a reader may see.
        rut.get("/o/kommunen/compliance?state=overdue")
            .await
            .expect(200);
        // An editor's register has its own buttons instead.
        let rolf = App::as_user(&store, "rolf@kommunen.se");
        let page = rolf.get("/o/kommunen/systems").await.expect(200).body;
        assert!(!page.contains(link), "{page}");
    }
);
