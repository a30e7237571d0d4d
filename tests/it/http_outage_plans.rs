//! The outage plan (avbrottsplan) through the API and the pages, on both
//! databases: draft → submitted → approved by the owner, a second approved
//! version supersedes the first, a reader cannot write, limits name their
//! field, the print view, and the plan never reaches the public register.

use insyn_domain::AppRole;
use insyn_domain::outage_plan::{OUTAGE_PLAN_SECTIONS, SECTION_MAX};
use insyn_store::Store;
use insyn_tests::{App, Scenario, assert_problem_fields, dual_test};
use serde_json::{Value, json};

/// A text that only the outage plan holds.
const SECRET: &str = "Nödnummer 070-AVBROTT";

fn every_section() -> Value {
    let mut sections = serde_json::Map::new();
    for s in OUTAGE_PLAN_SECTIONS {
        sections.insert((*s).to_owned(), json!(format!("{SECRET}: {s}.")));
    }
    json!({ "sections": sections })
}

struct Setup {
    base: String,
    page: String,
    editor: App,
    owner: App,
    reader: App,
}

async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    Ok(Setup {
        base: format!("/api/v1/orgs/kommunen/systems/{}/outage-plans", s.id),
        page: format!("/o/kommunen/systems/{}/outage-plan", s.id),
        editor: k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?,
        owner: k.signed_in("ola@kommunen.se", AppRole::Reader).await?,
        reader: k.signed_in("lasare@kommunen.se", AppRole::Reader).await?,
    })
}

dual_test!(
    an_outage_plan_is_written_submitted_and_approved_by_the_owner_through_the_api,
    |store: Store| async move {
        let t = setup(&store).await?;
        assert_eq!(t.editor.get_json(&t.base).await, json!([]));
        let draft = t.editor.act(&t.base, 201).await;
        assert_eq!(
            (draft["version"].clone(), draft["status"].clone()),
            (json!(1), json!("draft"))
        );
        let v1 = format!("{}/1", t.base);

        // A reader may read but not write.
        t.reader.get(&v1).await.expect(200);
        t.reader.act(&t.base, 403).await;
        t.reader.put_json(&v1, &every_section()).await.expect(403);
        t.reader.act(&format!("{v1}/submit"), 403).await;

        // Limits name the field; unknown sections are refused.
        let long = json!({ "sections": { "communication": "x".repeat(SECTION_MAX + 1) } });
        let r = t.editor.put_json(&v1, &long).await;
        assert_problem_fields(&r, 422, &[("communication", "error-too-long")]);
        t.editor
            .put_json(&v1, &json!({ "sections": { "not_a_section": "x" } }))
            .await
            .expect(422);
        t.editor.put_json(&v1, &json!([])).await.expect(422);
        // Nor the sections as an array of their texts (serde's sequence form).
        let r = t
            .editor
            .put_json(&v1, &json!({ "sections": [null, null] }))
            .await;
        assert_problem_fields(&r, 422, &[("sections", "error-wrong-type")]);

        // Empty sections cannot be submitted; written, they can.
        let refused = t.editor.act(&format!("{v1}/submit"), 409).await;
        assert_eq!(
            refused["errors"].as_array().map(Vec::len),
            Some(OUTAGE_PLAN_SECTIONS.len())
        );
        let written = t
            .editor
            .put_json_expecting(&v1, &every_section(), 200)
            .await;
        assert_eq!(
            written["sections"]["fallback_routine"],
            format!("{SECRET}: fallback_routine.")
        );
        assert_eq!(
            t.editor.act(&format!("{v1}/submit"), 200).await["status"],
            "submitted"
        );
        t.editor.put_json(&v1, &every_section()).await.expect(409);

        // Only the system owner approves.
        t.editor.act(&format!("{v1}/approve"), 403).await;
        t.reader.act(&format!("{v1}/approve"), 403).await;
        let approved = t.owner.act(&format!("{v1}/approve"), 200).await;
        assert_eq!(approved["status"], "approved");
        assert_eq!(approved["approved_by"], "ola@kommunen.se");
        t.owner.act(&format!("{v1}/approve"), 409).await;

        // A second approved version supersedes the first.
        let second = t.editor.act(&t.base, 201).await;
        assert_eq!(second["version"], 2);
        assert_eq!(
            second["sections"], approved["sections"],
            "starts from version 1"
        );
        let v2 = format!("{}/2", t.base);
        t.editor.act(&format!("{v2}/submit"), 200).await;
        t.editor.act(&format!("{v2}/return"), 200).await;
        t.editor.act(&format!("{v2}/submit"), 200).await;
        t.owner.act(&format!("{v2}/approve"), 200).await;
        let all = t.reader.get_json(&t.base).await;
        let states: Vec<(i64, &str)> = all
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p["version"].as_i64().unwrap_or(0),
                            p["status"].as_str().unwrap_or(""),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(states, [(2, "approved"), (1, "superseded")]);
        t.reader.get(&format!("{}/3", t.base)).await.expect(404);
    }
);

dual_test!(
    the_outage_plan_pages_write_approve_and_print_and_nothing_reaches_the_public_register,
    |store: Store| async move {
        let t = setup(&store).await?;
        let page = t.editor.get(&t.page).await.expect(200);
        page.assert_text_contains("Avbrottsplan");
        t.reader.post_form(&t.page, &[]).await.expect(403);
        let started = t.editor.post_form(&t.page, &[]).await.expect(303);
        assert!(
            started
                .location()
                .ends_with("/outage-plan/1?saved=1#outage-plan")
        );
        let v1 = format!("{}/1", t.page);

        // A refused save shows the typed texts again with the field's message.
        let long = "x".repeat(SECTION_MAX + 1);
        let refused = t
            .editor
            .post_form(&v1, &[("scope", "Hela Treserva"), ("communication", &long)])
            .await
            .expect(422);
        refused.assert_text_contains("Hela Treserva");
        refused.assert_text_contains("Kommunikation");

        let texts: Vec<(String, String)> = OUTAGE_PLAN_SECTIONS
            .iter()
            .map(|k| ((*k).to_owned(), format!("{SECRET}: {k}.")))
            .collect();
        let fields: Vec<(&str, &str)> = texts
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        t.editor.post_form(&v1, &fields).await.expect(303);
        t.editor
            .post_form(&format!("{v1}/submit"), &[])
            .await
            .expect(303);
        t.editor
            .post_form(&format!("{v1}/approve"), &[])
            .await
            .expect(403);
        let shown = t.owner.get(&v1).await.expect(200);
        assert!(
            shown.body.contains(&format!("{v1}/approve")),
            "the owner may approve"
        );
        let seen = t.editor.get(&v1).await.expect(200);
        assert!(
            !seen.body.contains(&format!("{v1}/approve")),
            "the editor may not"
        );
        t.owner
            .post_form(&format!("{v1}/approve"), &[])
            .await
            .expect(303);
        let approved = t.editor.get(&t.page).await.expect(200);
        approved.assert_text_contains("Godkänd");
        approved.assert_text_contains("ola@kommunen.se");

        let print = t.reader.get(&format!("{v1}/print")).await.expect(200);
        assert!(
            print.body.contains("/static/print.css"),
            "the A4 print style"
        );
        print.assert_text_contains("Återstartsordning och prioriteringar");
        print.assert_text_contains("Ola Ägare");
        print.assert_text_contains(&format!("{SECRET}: exercise."));
        t.editor
            .lang("en")
            .get(&format!("{v1}/print"))
            .await
            .expect(200)
            .assert_text_contains("Restart order and priorities");

        // Secret by default: not on the public page, its search or its exports.
        let anon = App::anonymous(&store);
        for url in [
            "/public/kommunen",
            "/public/kommunen/register.csv",
            "/public/kommunen/register.json",
        ] {
            let r = anon.get(url).await.expect(200);
            assert!(r.body.contains("Treserva"), "{url}: the system is public");
            assert!(!r.body.contains("AVBROTT"), "{url}: {}", r.body);
        }
        let found = anon
            .get("/public/kommunen?q=N%C3%B6dnummer")
            .await
            .expect(200);
        assert!(
            !found.body.contains("Treserva"),
            "the search finds nothing in the plan"
        );
    }
);
