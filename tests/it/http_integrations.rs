//! Integrations over HTTP, on both databases: an editor adds a flow on a
//! system's tab, the organisation's list, the map (SVG with its table) and
//! "if X is down" show it; a reader sees them but may not write; the API
//! creates, reads, changes and removes one; the public register, its search
//! and its exports never show an integration.

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, actor, dual_test};
use serde_json::json;

const API: &str = "/api/v1/orgs/kommunen/integrations";

dual_test!(
    an_editor_adds_a_flow_on_the_tab_and_the_map_and_impact_show_it,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, b) = (
            k.system("Ekonomisystemet").await,
            k.system("Lönesystemet").await,
        );
        let set = k.information_set(a.id, "Löneunderlag", true, false).await?;
        store
            .set_continuity(
                &actor(),
                k.org,
                a.id,
                insyn_domain::continuity::Requirements {
                    rto_minutes: Some(480),
                    rpo_minutes: None,
                    mtd_minutes: None,
                    ..Default::default()
                },
            )
            .await?;
        store
            .set_continuity(
                &actor(),
                k.org,
                b.id,
                insyn_domain::continuity::Requirements {
                    rto_minutes: Some(120),
                    rpo_minutes: None,
                    mtd_minutes: None,
                    ..Default::default()
                },
            )
            .await?;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let tab = format!("/o/kommunen/systems/{}/integrations", a.id);

        let page = editor.get_text(&tab).await;
        assert!(page.contains("Ny integration"), "{page}");
        // The same system at both ends is refused, with the error by the field.
        let a_id = a.id.to_string();
        let refused = editor
            .post_form(
                &tab,
                &[
                    ("side", "from"),
                    ("other_system_id", &a_id),
                    ("direction", "one_way"),
                    ("frequency", "daily"),
                    ("criticality", "high"),
                ],
            )
            .await
            .expect(422);
        assert!(
            refused.body.contains("href=\"#i-other_system_id\""),
            "{}",
            refused.body
        );
        let b_id = b.id.to_string();
        let set_id = set.id.to_string();
        editor
            .post_form(
                &tab,
                &[
                    ("side", "from"),
                    ("other_system_id", &b_id),
                    ("direction", "one_way"),
                    ("interface", "SFTP-fil"),
                    ("information_set_ids", &set_id),
                    ("frequency", "daily"),
                    ("criticality", "critical"),
                ],
            )
            .await
            .expect(303);
        let page = reader.get_text(&tab).await;
        assert!(
            page.contains("Lönesystemet") && page.contains("SFTP-fil"),
            "{page}"
        );
        assert!(page.contains("Löneunderlag") && page.contains("Kritisk"));
        assert!(!page.contains("Ny integration"), "a reader gets no form");
        reader
            .post_form(&tab, &[("other_system_id", &b_id)])
            .await
            .expect(403);

        let list = reader
            .get_text("/o/kommunen/integrations?criticality=critical")
            .await;
        assert!(
            list.contains("Ekonomisystemet") && list.contains("Lönesystemet"),
            "{list}"
        );
        reader
            .get("/o/kommunen/integrations?criticality=extreme")
            .await
            .expect(200);

        let map = reader
            .get(&format!("/o/kommunen/systems/{}/map?depth=2", a.id))
            .await
            .expect(200);
        assert!(map.body.contains("<svg") && map.body.contains("<title id=\"map-svg-title\">"));
        assert!(map.body.contains("marker-end") && map.body.contains("Kritisk"));
        assert!(map.body.contains("<caption id=\"map-caption\">"));
        reader
            .get(&format!("/o/kommunen/systems/{}/map?depth=9", a.id))
            .await
            .expect(422);

        let impact = reader
            .get_text(&format!("/o/kommunen/systems/{}/impact", a.id))
            .await;
        assert!(
            impact.contains("Om Ekonomisystemet ligger nere"),
            "{impact}"
        );
        assert!(
            impact.contains(
                "Lönesystemet tål 2 h avbrott (RTO) men Ekonomisystemet får ligga nere 8 h"
            ),
            "{impact}"
        );
        assert!(impact.contains("Ekonomisystemet → Lönesystemet"));
        let en = reader
            .lang("en")
            .get_text(&format!("/o/kommunen/systems/{}/impact", a.id))
            .await;
        assert!(en.contains("If Ekonomisystemet is down"), "{en}");

        // The editor edits and removes it on the tab.
        let flows = store.system_integrations(k.org, a.id).await?;
        let edit = format!("{tab}/{}", flows[0].id);
        assert!(editor.get_text(&edit).await.contains("Ändra integration"));
        editor
            .post_form(
                &edit,
                &[
                    ("side", "to"),
                    ("other_system_id", &b_id),
                    ("direction", "both"),
                    ("frequency", "weekly"),
                    ("criticality", "low"),
                ],
            )
            .await
            .expect(303);
        let changed = store.get_integration(k.org, flows[0].id).await?;
        assert_eq!(changed.from_system_id, b.id);
        editor
            .post_form(&format!("{edit}/remove"), &[])
            .await
            .expect(303);
        assert!(store.system_integrations(k.org, a.id).await?.is_empty());
    }
);

dual_test!(
    the_api_creates_reads_changes_and_removes_and_a_reader_may_only_read,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, b) = (k.system("A").await, k.system("B").await);
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let body = json!({
            "from_system_id": a.id, "to_system_id": b.id, "direction": "one_way",
            "interface": "REST", "frequency": "realtime", "criticality": "high"
        });
        reader.post_json(API, &body).await.expect(403);
        let created = editor.post_json_expecting(API, &body, 201).await;
        let url = format!("{API}/{}", created["id"].as_str().unwrap_or_default());
        assert_eq!(reader.get_json(&url).await["to_system_name"], "B");
        let list = reader.get_json(&format!("{API}?system={}", b.id)).await;
        assert_eq!(list["total"], 1);
        let bad = reader
            .get(&format!("{API}?criticality=extreme"))
            .await
            .expect(422);
        assert!(bad.body.contains("criticality"));
        let mut same = body.clone();
        same["to_system_id"] = json!(a.id);
        same["note"] = json!("x".repeat(2001));
        let refused = editor.post_json(API, &same).await.expect(422);
        assert!(
            refused.body.contains("error-integration-same-system"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("note"));
        let mut changed = body.clone();
        changed["criticality"] = json!("critical");
        let after = editor.put_json_expecting(&url, &changed, 200).await;
        assert_eq!(after["criticality"], "critical");
        let impact = reader
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{}/impact", a.id))
            .await;
        assert_eq!(impact["affected"][0]["name"], "B");
        let map = reader
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems/{}/neighbourhood?depth=3",
                a.id
            ))
            .await;
        assert_eq!(map["layout"]["nodes"].as_array().map(Vec::len), Some(2));
        reader
            .send_raw(Method::DELETE, &url, "application/json", String::new())
            .await
            .expect(403);
        editor
            .send_raw(Method::DELETE, &url, "application/json", String::new())
            .await
            .expect(204);
        reader.get(&url).await.expect(404);
    }
);

dual_test!(
    the_public_register_its_search_and_exports_never_show_an_integration,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let (a, b) = (
            k.system("Ekonomisystemet").await,
            k.system("Lönesystemet").await,
        );
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let body = json!({
            "from_system_id": a.id, "to_system_id": b.id, "direction": "both",
            "interface": "HEMLIGT-GRANSSNITT", "frequency": "daily", "criticality": "critical",
            "note": "REDUNDANSBRIST"
        });
        editor.post_json_expecting(API, &body, 201).await;
        let anon = App::anonymous(&store);
        let page = anon.get("/public/kommunen").await.expect(200);
        assert!(page.text().contains("Ekonomisystemet"));
        let search = anon.get("/public/kommunen?q=HEMLIGT").await.expect(200);
        let csv = anon.get("/public/kommunen/register.csv").await.expect(200);
        let json = anon.get("/public/kommunen/register.json").await.expect(200);
        for body in [&page.body, &search.body, &csv.body, &json.body] {
            for secret in [
                "HEMLIGT-GRANSSNITT",
                "REDUNDANSBRIST",
                "Integration",
                "integration",
            ] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }
        let tab = format!("/o/kommunen/systems/{}/integrations", a.id);
        let out = anon.get(&tab).await;
        assert!([303, 401].contains(&out.status.as_u16()), "{}", out.status);
        anon.get(API).await.expect(401);
    }
);
