//! Licences over HTTP, on both databases: the owner records one through the
//! system's Licenser tab, changes it on its own page and removes it after a
//! confirmation; a refused form names its fields in Swedish and English;
//! the API lists a system's licences and the organisation's (overused
//! first, filtered by a finding, with totals); a reader reads but writes
//! nothing; nothing of it reaches the public register.

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem};
use serde_json::json;

dual_test!(
    the_owner_keeps_the_licences_through_the_tab_and_the_api,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ärendesystemet").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}/licences", s.id);
        let page = format!("/o/kommunen/systems/{}/licences", s.id);

        let tab = reader.get_text(&page).await;
        assert!(tab.contains("Inga licenser är registrerade"), "{tab}");
        assert!(!tab.contains("Ny licens"), "a reader gets no form");

        let form = [
            ("name", "HEMLIG användarlicens"),
            ("metric", "installation"),
            ("quantity", "10"),
            ("yearly_cost", "25 000"),
            ("in_use_source", "entered"),
            ("in_use_entered", "14"),
            ("valid_from", "2026-01-01"),
            ("notes", "Avrop 2026"),
        ];
        let r = reader.post_form(&page, &form).await;
        assert_eq!(r.status.as_u16(), 403);
        owner.post_form(&page, &form).await.expect(303);
        let tab = reader.get_text(&page).await;
        assert!(
            tab.contains("Överanvänd: 14 används men 10 är köpta"),
            "{tab}"
        );
        assert!(tab.contains("Per installation eller enhet"), "{tab}");
        let en = reader.lang("en").get_text(&page).await;
        assert!(en.contains("Overused: 14 in use but 10 bought"), "{en}");

        // Refused: named per field, in the reader's language.
        let bad = [
            ("name", ""),
            ("metric", "site"),
            ("quantity", "10"),
            ("in_use_source", "entered"),
            ("valid_from", "2026-13-01"),
        ];
        let body = owner.post_form(&page, &bad).await.expect(422).text();
        assert!(body.contains("Ange ett datum som ÅÅÅÅ-MM-DD"), "{body}");
        let bad = [
            ("name", ""),
            ("metric", "site"),
            ("quantity", "10"),
            ("in_use_source", "entered"),
        ];
        let body = owner.post_form(&page, &bad).await.expect(422).text();
        assert!(body.contains("lämna fältet Antal köpta tomt"), "{body}");
        let body = owner
            .lang("en")
            .post_form(&page, &bad)
            .await
            .expect(422)
            .text();
        assert!(body.contains("leave Quantity bought empty"), "{body}");
        assert_eq!(
            store
                .system_licences(k.org, s.id, chrono::Utc::now().date_naive())
                .await?
                .len(),
            1
        );

        // The API: the system's list, one, a correction; a reader cannot write.
        let list = reader.get_json(&api).await;
        assert_eq!(list["total"], 1, "{list}");
        let item = list["items"][0].clone();
        assert_eq!(item["findings"], json!(["overuse"]), "{item}");
        assert_eq!(item["in_use"], 14);
        assert_eq!(item["cost_per_user"], 1786);
        let one = format!("{api}/{}", item["id"].as_str().unwrap());
        let stored = reader.get_json(&one).await;
        assert_eq!(stored["metric"], "installation");
        let mut changed = stored.clone();
        for k in ["id", "system_id", "updated_by", "updated_at"] {
            changed.as_object_mut().unwrap().remove(k);
        }
        changed["quantity"] = json!(40);
        problem(&reader.put_json(&one, &changed).await, 403);
        let v = owner.put_json_expecting(&one, &changed, 200).await;
        assert_eq!(v["quantity"], 40, "{v}");
        let site = json!({ "name": "Kommunlicens", "metric": "site", "quantity": 5,
            "in_use_source": "holdings" });
        let p = problem(&owner.post_json(&api, &site).await, 422);
        assert!(p.to_string().contains("quantity"), "{p}");

        // The organisation's list: the idle one (40 bought, 14 in use) found.
        let org = reader
            .get_json("/api/v1/orgs/kommunen/licences?finding=idle")
            .await;
        assert_eq!(org["total"], 1, "{org}");
        assert_eq!(org["items"][0]["system_name"], "Ärendesystemet");
        assert_eq!(org["totals"]["yearly_cost"], 25_000);
        let none = reader
            .get_json("/api/v1/orgs/kommunen/licences?finding=overuse")
            .await;
        assert_eq!(none["total"], 0, "{none}");
        let r = reader
            .get("/api/v1/orgs/kommunen/licences?finding=mycket")
            .await;
        problem(&r, 422);
        let list_page = reader.get_text("/o/kommunen/licences").await;
        assert!(list_page.contains("Outnyttjad: 26 av 40"), "{list_page}");
        assert!(
            list_page.contains("25 000 kr") || list_page.contains("25\u{a0}000 kr"),
            "{list_page}"
        );

        // Its own page: changed through the form, removed after a confirmation.
        let own = format!("{page}/{}", item["id"].as_str().unwrap());
        let r = reader.get(&own).await;
        assert_eq!(r.status.as_u16(), 403);
        let edit = owner.get_text(&own).await;
        assert!(
            edit.contains("Vill du ta bort licensen HEMLIG användarlicens?"),
            "{edit}"
        );
        let mut form = form.to_vec();
        form[2] = ("quantity", "14");
        owner.post_form(&own, &form).await.expect(303);
        let tab = reader.get_text(&page).await;
        assert!(tab.contains("Inga anmärkningar"), "{tab}");

        // Nothing of it reaches the public register.
        let anon = App::anonymous(&store);
        let public = anon.get("/public/kommunen").await.expect(200);
        let json = anon.get_json("/public/kommunen/register.json").await;
        let searched = anon.get_text("/public/kommunen?q=HEMLIG").await;
        for body in [&public.body, &json.to_string(), &searched] {
            for secret in ["HEMLIG", "Avrop 2026"] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }

        let office = json!({ "name": "Office", "metric": "named_user", "quantity": 5,
            "in_use_source": "holdings" });
        let made = owner.post_json_expecting(&api, &office, 201).await;
        let gone = format!("{api}/{}", made["id"].as_str().unwrap());
        owner
            .send_raw(Method::DELETE, &gone, "application/json", String::new())
            .await
            .expect(204);
        owner
            .post_form(&format!("{own}/remove"), &[])
            .await
            .expect(303);
        assert!(
            reader.get_json(&api).await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
);
