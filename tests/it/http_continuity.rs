//! Continuity over HTTP, on both databases: the system's owner sets the
//! requirements and records a restore test through the API and the pages,
//! a reader without a role on the system may read but not write, the tab
//! shows "not met" with the figures and the gap in compliance, and nothing
//! of it reaches the public register.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem};
use serde_json::json;

struct Setup {
    api: String,
    page: String,
    owner: App,
    reader: App,
}

async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Lönesystemet").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    Ok(Setup {
        api: format!("/api/v1/orgs/kommunen/systems/{}", s.id),
        page: format!("/o/kommunen/systems/{}", s.id),
        owner: k.signed_in("ola@kommunen.se", AppRole::Reader).await?,
        reader: k.signed_in("kim@kommunen.se", AppRole::Reader).await?,
    })
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

dual_test!(
    the_owner_records_a_missed_restore_test_through_the_api_and_a_reader_only_reads,
    |store: Store| async move {
        let t = setup(&store).await?;
        let req = json!({ "rto_minutes": 240, "rpo_minutes": 60, "mtd_minutes": 1440,
            "fallback_routine": "HEMLIG reservrutin: manuella utbetalningar" });
        let c = t
            .owner
            .put_json_expecting(&format!("{}/continuity", t.api), &req, 200)
            .await;
        assert_eq!(c["rto_minutes"], 240);
        assert_eq!(c["updated_by"], "ola@kommunen.se");
        // A reader with no role on the system reads but may not write.
        let read = t.reader.get_json(&format!("{}/continuity", t.api)).await;
        assert_eq!(read["rpo_minutes"], 60);
        problem(
            &t.reader
                .put_json(&format!("{}/continuity", t.api), &req)
                .await,
            403,
        );
        let test = json!({ "performed_on": today(), "restored": "HEMLIG lönedatabas",
            "restore_minutes": 360, "data_loss_minutes": 30 });
        problem(
            &t.reader
                .post_json(&format!("{}/restore-tests", t.api), &test)
                .await,
            403,
        );
        // Refused input names the field.
        let bad = t
            .owner
            .put_json(
                &format!("{}/continuity", t.api),
                &json!({ "rto_minutes": 240, "mtd_minutes": 60 }),
            )
            .await;
        let p = problem(&bad, 422);
        assert!(p.to_string().contains("mtd_minutes"), "{p}");

        let v = t
            .owner
            .post_json_expecting(&format!("{}/restore-tests", t.api), &test, 201)
            .await;
        assert_eq!(v["judgement"]["verdict"], "not_met");
        assert_eq!(v["judgement"]["rto"]["measured"], 360);
        assert_eq!(v["required_rto_minutes"], 240);
        let url = format!(
            "{}/restore-tests/{}",
            t.api,
            v["id"].as_str().unwrap_or_default()
        );
        let a = t
            .owner
            .post_json_expecting(
                &format!("{url}/actions"),
                &json!({ "what": "Snabbare återläsning" }),
                201,
            )
            .await;
        let done = json!({ "what": "Snabbare återläsning", "done_on": today() });
        let v = t
            .owner
            .put_json_expecting(
                &format!("{url}/actions/{}", a["id"].as_str().unwrap_or_default()),
                &done,
                200,
            )
            .await;
        assert_eq!(v["actions"][0]["done_on"], today());
        let list = t.reader.get_json(&format!("{}/restore-tests", t.api)).await;
        assert_eq!(list["total"], 1);
        let b = t
            .owner
            .post_json_expecting(
                &format!("{}/backups", t.api),
                &json!({ "what": "Databasen", "frequency": "Varje natt" }),
                201,
            )
            .await;
        let bu = format!("{}/backups/{}", t.api, b["id"].as_str().unwrap_or_default());
        t.owner
            .put_json_expecting(&bu, &json!({ "what": "Databasen och filerna" }), 200)
            .await;
        let list = t.reader.get_json(&format!("{}/backups", t.api)).await;
        assert_eq!(list["items"][0]["what"], "Databasen och filerna");

        // Nothing of it reaches the public register.
        let anon = App::anonymous(&store);
        let page = anon.get("/public/kommunen").await.expect(200);
        let json = anon.get_json("/public/kommunen/register.json").await;
        let csv = anon.get("/public/kommunen/register.csv").await.expect(200);
        let searched = anon.get_text("/public/kommunen?q=HEMLIG").await;
        for body in [&page.body, &json.to_string(), &csv.body, &searched] {
            for secret in ["HEMLIG", "Databasen och filerna", "Snabbare återläsning"] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }
        assert!(!searched.contains("Lönesystemet"), "{searched}");
    }
);

dual_test!(
    the_continuity_tab_shows_a_missed_test_with_its_figures_and_compliance_the_gap,
    |store: Store| async move {
        let t = setup(&store).await?;
        let tab = format!("{}/continuity", t.page);
        let form = [
            ("rto_minutes", "4"),
            ("rto_minutes_unit", "hours"),
            ("rpo_minutes", "1"),
            ("rpo_minutes_unit", "hours"),
            ("mtd_minutes", "1"),
            ("mtd_minutes_unit", "days"),
            ("critical_periods", "Månadsskiftet"),
            ("fallback_routine", "Manuella utbetalningar"),
        ];
        let r = t.owner.post_form(&tab, &form).await.expect(303);
        assert!(r.location().contains("/continuity"), "{}", r.location());
        // A refused form comes back with the error beside the field.
        let mut bad = form.to_vec();
        bad[4] = ("mtd_minutes", "1");
        bad[5] = ("mtd_minutes_unit", "hours");
        let r = t.owner.post_form(&tab, &bad).await.expect(422);
        r.assert_text_contains("kan inte vara kortare");
        let r = t.reader.post_form(&tab, &form).await;
        assert_eq!(r.status.as_u16(), 403);

        let today = today();
        let test = [
            ("performed_on", today.as_str()),
            ("restored", "Lönedatabasen"),
            ("restore_minutes", "3"),
            ("restore_minutes_unit", "hours"),
            ("data_loss_minutes", "2"),
            ("data_loss_minutes_unit", "hours"),
        ];
        let r = t
            .owner
            .post_form(&format!("{}/restore-tests", t.page), &test)
            .await
            .expect(303);
        let page = t.reader.get_text(r.location()).await;
        assert!(page.contains("Klarade inte kraven"), "{page}");
        assert!(
            page.contains("Dataförlusten var 2 h, kravet är högst 1 h."),
            "{page}"
        );
        assert!(
            page.contains("Återläsningen tog 3 h, kravet är högst 4 h."),
            "{page}"
        );
        let listed = t.reader.get_text(&tab).await;
        assert!(listed.contains("Klarade inte kraven"), "{listed}");
        let en = t.reader.lang("en").get_text(r.location()).await;
        assert!(
            en.contains("The data loss was 2 h; the requirement is at most 1 h."),
            "{en}"
        );
        let compliance = t.reader.get_text(&format!("{}/compliance", t.page)).await;
        assert!(compliance.contains("återläsningstest"), "{compliance}");
        // Under a profile that does not name the restore-test control (Söderköping's),
        // the recorded control keeps its words, not its code.
        let org = store.org_by_slug("kommunen").await?.id;
        store
            .adopt_profile(&insyn_store::Actor::new("test"), org, "soderkoping")
            .await?;
        let page = t.reader.get_text(&format!("{}/compliance", t.page)).await;
        assert!(page.contains("Återläsningstest 20"), "{page}");
        assert!(!page.contains("restore_test"), "{page}");
        // An action on the test's page, then done.
        let r = t
            .owner
            .post_form(
                &format!(
                    "{}/actions",
                    r.location().split('?').next().unwrap_or_default()
                ),
                &[("what", "Säkerhetskopiera varje timme")],
            )
            .await
            .expect(303);
        let page = t.owner.get_text(r.location()).await;
        assert!(page.contains("Säkerhetskopiera varje timme"), "{page}");
    }
);
