//! Systems through HTTP: what the form saves, the API returns, and what the
//! API saves, the pages show; `changed_since` for synchronisation; and the
//! audit trail with the request id of the change.

use chrono::{SecondsFormat, Utc};
use insyn_store::Store;
use insyn_tests::{App, TEST_ADMIN, assert_problem_fields, dual_test, org_id, unit};
use serde_json::{Value, json};

/// The id in a redirect to a system page (`/o/{slug}/systems/{id}?saved=1`).
#[track_caller]
fn system_id_of(location: &str, slug: &str) -> String {
    let prefix = format!("/o/{slug}/systems/");
    let rest = location
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{location} is not a system page of {slug}"));
    let id = rest.split(['?', '#']).next().unwrap_or_default();
    assert!(id.parse::<uuid::Uuid>().is_ok(), "{location}: no id");
    id.to_owned()
}

fn sorted(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().expect("text").to_owned())
        .collect();
    out.sort();
    out
}

dual_test!(
    a_system_saved_through_the_form_is_what_the_api_returns,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let eko = unit(&store, org, None, "Ekonomiavdelningen").await;
        let skola = unit(&store, org, None, "Skolförvaltningen").await;
        let social = unit(&store, org, None, "Socialförvaltningen").await;
        let app = App::new(&store).await;
        let product = app
            .post_json_expecting(
                "/api/v1/products",
                &json!({ "name": "Raindance", "vendor": "CGI", "description": null }),
                201,
            )
            .await;
        let product_id = product["id"].as_str().expect("an id").to_owned();

        // The empty form offers the units and the product.
        let form = app.get("/o/kommunen/systems/new").await.expect(200);
        for id in [eko.id.to_string(), skola.id.to_string(), product_id.clone()] {
            assert!(form.body.contains(&format!("value=\"{id}\"")), "{id}");
        }

        let (eko_id, skola_id, social_id) = (
            eko.id.to_string(),
            skola.id.to_string(),
            social.id.to_string(),
        );
        let fields = [
            ("name", "  Ekonomisystem Raindance "),
            ("short_name", "Raindance"),
            (
                "description",
                "Redovisning, budget och leverantörsreskontra.",
            ),
            ("purpose", "Kommunens ekonomi"),
            ("responsible_unit_id", eko_id.as_str()),
            ("using_unit_ids", skola_id.as_str()),
            ("using_unit_ids", social_id.as_str()),
            ("vendor", "CGI"),
            ("product_id", product_id.as_str()),
            ("version", "2024.1"),
            ("hosting", "saas"),
            ("user_count", "1 250"),
            ("business_critical", "on"),
            ("lifecycle", "phasing_out"),
            ("go_live_date", "2015-03-01"),
            ("end_date", "2030-12-31"),
            ("licence_model", "Namngivna användare"),
            ("licence_count", "300"),
            ("escalation_route", "Servicedesk, sedan systemförvaltaren"),
            ("notes", "Upphandlas om 2029."),
            (
                "doc_links",
                "Manual | https://intranat.kommunen.se/raindance\nhttps://cgi.example/support",
            ),
            ("capabilities", "Fakturering, ekonomi, Ekonomi"),
            ("tags", "Personuppgifter"),
        ];
        let r = app
            .post_form("/o/kommunen/systems", &fields)
            .await
            .expect(303);
        let id = system_id_of(r.location(), "kommunen");
        assert!(r.location().ends_with("?saved=1"), "{}", r.location());

        // The page it redirects to shows the system and says it was saved.
        let page = app.get(r.location()).await.expect(200);
        let text = page.text();
        assert!(text.contains("Ändringarna är sparade."), "{text}");
        assert!(text.contains("Ekonomisystem Raindance"), "{text}");

        // The API lists exactly that system, with every field as typed.
        let list = app.get_json("/api/v1/orgs/kommunen/systems").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["page"], 1);
        assert_eq!(list["per_page"], 50);
        let s = &list["items"][0];
        assert_eq!(s["id"], id.as_str());
        let expected = json!({
            "name": "Ekonomisystem Raindance",
            "short_name": "Raindance",
            "description": "Redovisning, budget och leverantörsreskontra.",
            "purpose": "Kommunens ekonomi",
            "responsible_unit_id": eko_id,
            "vendor": "CGI",
            "product_id": product_id,
            "version": "2024.1",
            "hosting": "saas",
            "user_count": 1250,
            "business_critical": true,
            "lifecycle": "phasing_out",
            "go_live_date": "2015-03-01",
            "end_date": "2030-12-31",
            "licence_model": "Namngivna användare",
            "licence_count": 300,
            "escalation_route": "Servicedesk, sedan systemförvaltaren",
            "notes": "Upphandlas om 2029.",
            "doc_links": [
                { "label": "Manual", "url": "https://intranat.kommunen.se/raindance" },
                { "label": "", "url": "https://cgi.example/support" },
            ],
            "capabilities": ["ekonomi", "Fakturering"],
            "tags": ["Personuppgifter"],
            "archived": false,
        });
        for (k, v) in expected.as_object().expect("an object") {
            assert_eq!(&s[k], v, "field {k} in {s}");
        }
        assert_eq!(sorted(&s["using_unit_ids"]), {
            let mut u = vec![skola_id.clone(), social_id.clone()];
            u.sort();
            u
        });
        // The single system reads the same as in the list.
        let one = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}"))
            .await;
        assert_eq!(&one, s);

        // The edit form shows the stored values; saving them unchanged changes nothing.
        let edit = app
            .get(&format!("/o/kommunen/systems/{id}/edit"))
            .await
            .expect(200);
        for v in [
            "value=\"Ekonomisystem Raindance\"",
            "value=\"1250\"",
            "value=\"2015-03-01\"",
        ] {
            assert!(edit.body.contains(v), "{v} missing in the edit form");
        }
        app.post_form(&format!("/o/kommunen/systems/{id}"), &fields)
            .await
            .expect(303);
        let history = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}/history"))
            .await;
        assert_eq!(
            history["total"], 1,
            "an unchanged save is no change: {history}"
        );
        assert_eq!(history["items"][0]["actor"], TEST_ADMIN);
    }
);

dual_test!(
    a_system_saved_through_the_api_shows_on_the_pages,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let soc = unit(&store, org, None, "Socialförvaltningen").await;
        let app = App::new(&store).await;
        let created = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &json!({
                    "name": "Treserva",
                    "description": "Verksamhetssystem för socialtjänsten",
                    "responsible_unit_id": soc.id,
                    "vendor": "CGI",
                    "hosting": "external",
                    "user_count": 1250,
                    "business_critical": true,
                    "lifecycle": "in_operation",
                    "go_live_date": "2012-09-01",
                    "capabilities": ["Ärendehantering"],
                }),
                201,
            )
            .await;
        let id = created["id"].as_str().expect("an id").to_owned();
        assert_eq!(created["name"], "Treserva");
        assert_eq!(created["org_id"], org.to_string());

        // The register lists it, linked to its page, with its unit and numbers.
        let reg = app.get("/o/kommunen/systems").await.expect(200);
        assert!(
            reg.hrefs().contains(&format!("/o/kommunen/systems/{id}")),
            "no link to the system"
        );
        let text = reg.text();
        for part in [
            "Treserva",
            "CGI",
            "Socialförvaltningen",
            "I drift",
            "1 250",
            "2012-09-01",
            "Visar 1–1 av 1 system",
        ] {
            assert!(
                text.contains(part),
                "{part:?} missing in the register: {text}"
            );
        }

        // Its page shows every value in Swedish.
        let page = app
            .get(&format!("/o/kommunen/systems/{id}"))
            .await
            .expect(200);
        assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
        let text = page.text();
        for part in [
            "Treserva",
            "Verksamhetssystem för socialtjänsten",
            "Socialförvaltningen",
            "Utanför nätet: extern drift",
            "Antal användare 1 250",
            "Verksamhetskritiskt Ja",
            "Livscykel I drift",
            "Driftsättningsdatum 2012-09-01",
            "Ärendehantering",
            "Skapat",
        ] {
            assert!(text.contains(part), "{part:?} missing on the page: {text}");
        }
        assert!(
            page.hrefs()
                .contains(&format!("/o/kommunen/units/{}", soc.id)),
            "the unit is linked"
        );
        // … and the unit's page lists it.
        let unit_page = app
            .get(&format!("/o/kommunen/units/{}", soc.id))
            .await
            .expect(200);
        assert!(unit_page.text().contains("Treserva"));
    }
);

dual_test!(
    changed_since_returns_only_what_changed_after_it,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let mut ids = vec![];
        for name in ["Procapita", "Raindance", "Visma Lön"] {
            let s = app
                .post_json_expecting(
                    "/api/v1/orgs/kommunen/systems",
                    &json!({ "name": name }),
                    201,
                )
                .await;
            ids.push(s["id"].as_str().expect("an id").to_owned());
        }
        let before = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        let all = app
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems?changed_since={before}"
            ))
            .await;
        assert_eq!(all["total"], 0, "nothing changed yet: {all}");

        app.put_json(
            &format!("/api/v1/orgs/kommunen/systems/{}", ids[1]),
            &json!({ "name": "Raindance", "vendor": "CGI" }),
        )
        .await
        .expect(200);
        let changed = app
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems?changed_since={before}"
            ))
            .await;
        assert_eq!(changed["total"], 1, "{changed}");
        assert_eq!(changed["items"][0]["id"], ids[1].as_str());
        assert_eq!(changed["items"][0]["vendor"], "CGI");

        // An offset other than Z works too (encoded, as `+` would be a space).
        let plus_one = (chrono::DateTime::parse_from_rfc3339(&before)?
            .with_timezone(&chrono::FixedOffset::east_opt(3600).expect("an offset")))
        .to_rfc3339_opts(SecondsFormat::Micros, false)
        .replace('+', "%2B");
        let changed = app
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems?changed_since={plus_one}"
            ))
            .await;
        assert_eq!(changed["total"], 1, "{changed}");

        // Without the filter, all three.
        let all = app.get_json("/api/v1/orgs/kommunen/systems").await;
        assert_eq!(all["total"], 3);
    }
);

dual_test!(
    create_and_update_through_the_api_are_in_the_history_with_the_request_id,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let created = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Lönesystem", "user_count": 40, "vendor": "Visma" }),
            )
            .await
            .expect(201);
        let create_request = created.header("x-request-id").to_owned();
        let id = created.json()["id"].as_str().expect("an id").to_owned();

        let updated = app
            .put_json(
                &format!("/api/v1/orgs/kommunen/systems/{id}"),
                &json!({ "name": "Lönesystem", "user_count": 45, "vendor": "Visma", "tags": ["Lön"] }),
            )
            .await
            .expect(200);
        let update_request = updated.header("x-request-id").to_owned();
        assert!(
            !update_request.is_empty(),
            "every response has a request id"
        );
        assert_ne!(update_request, create_request);
        assert_eq!(updated.json()["user_count"], 45);

        let h = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}/history"))
            .await;
        assert_eq!(h["total"], 2, "{h}");
        let items = h["items"].as_array().expect("items");
        let actions: Vec<&str> = items
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(actions, ["create", "update"], "oldest first");
        for e in items {
            assert_eq!(e["object_type"], "system");
            assert_eq!(e["object_id"], id.as_str());
        }
        let actors: Vec<Value> = items.iter().map(|e| e["actor"].clone()).collect();
        assert_eq!(items[0]["request_id"], create_request.as_str());
        let u = &items[1];
        assert_eq!(u["request_id"], update_request.as_str());
        let mut changed: Vec<&str> = u["changes"]
            .as_object()
            .expect("changes")
            .keys()
            .map(String::as_str)
            .collect();
        changed.sort();
        assert_eq!(changed, ["tags", "user_count"], "only what changed: {u}");
        assert_eq!(u["changes"]["user_count"], json!({ "old": 40, "new": 45 }));
        assert_eq!(u["changes"]["tags"], json!({ "old": [], "new": ["Lön"] }));

        // A request id sent by the caller is replaced by the server's own, in
        // the response and in the record (a caller must not write into the
        // audit trail; issue 13).
        let mut req = axum::http::Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/orgs/kommunen/systems/{id}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({ "name": "Lönesystem", "user_count": 50, "vendor": "Visma", "tags": ["Lön"] })
                    .to_string(),
            ))?;
        req.headers_mut()
            .insert("x-request-id", "trace-1234".parse()?);
        let r = app.request(req).await.expect(200);
        let sent = r.header("x-request-id").to_owned();
        assert!(!sent.is_empty() && sent != "trace-1234", "{sent}");
        let h = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}/history"))
            .await;
        assert_eq!(h["total"], 3);
        assert_eq!(h["items"][2]["request_id"], sent.as_str());

        // The system page shows the same history, newest first, with the changed fields.
        let page = app.get_text(&format!("/o/kommunen/systems/{id}")).await;
        let updated_at = page.find("Ändrat").expect("the update is listed");
        let created_at = page.find("Skapat").expect("the creation is listed");
        assert!(updated_at < created_at, "newest first");
        assert!(page.contains("tags, user_count"), "{page}");

        // Changes are recorded as made by the signed-in user.
        assert_eq!(
            actors,
            [json!(TEST_ADMIN), json!(TEST_ADMIN)],
            "who made the changes"
        );
    }
);

dual_test!(
    archive_and_restore_through_the_pages_and_the_api,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let s = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Procapita" }),
                201,
            )
            .await;
        let id = s["id"].as_str().expect("an id").to_owned();
        let page = format!("/o/kommunen/systems/{id}");
        let listed = |q: &'static str| {
            let app = app.clone();
            async move {
                app.get_json(&format!("/api/v1/orgs/kommunen/systems{q}"))
                    .await["total"]
                    .clone()
            }
        };

        // The page: archive, and the page offers to restore.
        let r = app.post_empty(&format!("{page}/archive")).await.expect(303);
        assert_eq!(r.location(), format!("{page}?saved=1"));
        let p = app.get(&page).await.expect(200);
        assert!(p.body.contains(&format!("action=\"{page}/restore\"")));
        assert!(p.text().contains("Arkiverat"));
        assert_eq!(listed("").await, 0);
        assert_eq!(listed("?include_archived=true").await, 1);
        // Archiving again changes nothing.
        app.post_empty(&format!("{page}/archive")).await.expect(303);
        app.post_empty(&format!("{page}/restore")).await.expect(303);
        assert_eq!(listed("").await, 1);
        let p = app.get(&page).await.expect(200);
        assert!(p.body.contains(&format!("action=\"{page}/archive\"")));

        // The API: the same, answering with the system.
        let api = format!("/api/v1/orgs/kommunen/systems/{id}");
        let a = app
            .post_json_expecting(&format!("{api}/archive"), &json!({}), 200)
            .await;
        assert_eq!(a["archived"], true);
        // A new system may take the archived one's name; restoring the old one is then refused.
        app.post_json(
            "/api/v1/orgs/kommunen/systems",
            &json!({ "name": "Procapita" }),
        )
        .await
        .expect(201);
        let r = app.post_json(&format!("{api}/restore"), &json!({})).await;
        assert_problem_fields(&r, 409, &[("name", "error-taken")]);
        let h = app.get_json(&format!("{api}/history")).await;
        let actions: Vec<&str> = h["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions, ["create", "archive", "restore", "archive"]);
    }
);
