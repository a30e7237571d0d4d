//! Access reviews through the API, on both databases: an editor opens a
//! campaign on a system, its owner answers every item and signs; others
//! may read but not answer, and a campaign with open items is not signed.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem, problem_fields};
use serde_json::{Value, json};

/// Treserva, owned by Ola, with one profile that Nina holds.
async fn setup(store: &Store) -> anyhow::Result<(Scenario, String, App, App)> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    let nina = k.person("Nina Ny", Some("nina@kommunen.se")).await?.id;
    let editor = k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?;
    let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
    let admin = App::new(store).await;
    let base = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
    let p = editor
        .post_json_expecting(
            &format!("{base}/access-profiles"),
            &json!({ "name": "Handläggare" }),
            201,
        )
        .await;
    let orders = editor
        .post_json_expecting(
            &format!("{base}/access-orders"),
            &json!({ "kind": "grant", "person_id": nina, "profile_ids": [p["id"]], "start_date": "2025-01-01" }),
            201,
        )
        .await;
    let order = format!(
        "/api/v1/orgs/kommunen/access-orders/{}",
        orders[0]["id"].as_str().unwrap_or_default()
    );
    for step in ["approve", "carry_out"] {
        owner_or_admin(&admin, &order, step).await;
    }
    Ok((k, base, editor, owner))
}

/// The fields named in a 422 answer.
fn fields(r: &insyn_tests::Resp) -> Vec<String> {
    problem_fields(&problem(r, 422))
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

async fn owner_or_admin(admin: &App, order: &str, step: &str) -> Value {
    admin
        .post_json_expecting(
            &format!("{order}/steps"),
            &json!({ "step": step, "comment": "Ok" }),
            200,
        )
        .await
}

dual_test!(
    a_campaign_is_opened_answered_and_signed_through_the_api,
    |store: Store| async move {
        let (k, base, editor, owner) = setup(&store).await?;
        let opened = editor
            .post_json_expecting(&format!("{base}/access-reviews"), &json!({}), 201)
            .await;
        assert_eq!(opened["review"]["reviewer_name"], "Ola Ägare");
        assert_eq!(opened["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(opened["items"][0]["person_name"], "Nina Ny");
        let id = opened["review"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let item = opened["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let review = format!("/api/v1/orgs/kommunen/access-reviews/{id}");
        let answer = format!("{review}/items/{item}");

        let list = owner.get_json(&format!("{base}/access-reviews")).await;
        assert_eq!(list["total"], 1);
        let mine = owner
            .get_json("/api/v1/orgs/kommunen/access-reviews?mine=true&open=true")
            .await;
        assert_eq!(mine["total"], 1);
        let theirs = editor
            .get_json("/api/v1/orgs/kommunen/access-reviews?mine=true")
            .await;
        assert_eq!(theirs["total"], 0);

        // The editor is not the reviewer.
        let r = editor.put_json(&answer, &json!({ "answer": "keep" })).await;
        problem(&r, 403);
        // Not sure needs a comment; it does not let the campaign be signed.
        let r = owner
            .put_json(&answer, &json!({ "answer": "not_sure" }))
            .await;
        assert_eq!(fields(&r), ["comment"]);
        owner
            .put_json_expecting(
                &answer,
                &json!({ "answer": "not_sure", "comment": "Fråga HR" }),
                200,
            )
            .await;
        problem(
            &owner.post_json(&format!("{review}/sign"), &json!({})).await,
            409,
        );
        let done = owner
            .put_json_expecting(
                &answer,
                &json!({ "answer": "remove", "comment": "Slutat i gruppen" }),
                200,
            )
            .await;
        assert!(done["removal_order_id"].is_string(), "{done}");
        let signed = owner
            .post_json_expecting(&format!("{review}/sign"), &json!({}), 200)
            .await;
        assert_eq!(signed["signed_by"], "ola@kommunen.se");
        assert_eq!(
            (signed["items"].clone(), signed["resolved"].clone()),
            (json!(1), json!(1))
        );
        problem(
            &owner.post_json(&format!("{review}/sign"), &json!({})).await,
            409,
        );
        let view = editor.get_json(&review).await;
        assert_eq!(view["items"][0]["answer"], "remove");
        let o = editor
            .get_json(&format!(
                "/api/v1/orgs/kommunen/access-orders/{}",
                done["removal_order_id"].as_str().unwrap_or_default()
            ))
            .await;
        assert_eq!(o["order"]["kind"], "remove");
        let open = editor
            .get_json("/api/v1/orgs/kommunen/access-reviews?open=true")
            .await;
        assert_eq!(open["total"], 0);
        drop(k);
    }
);

dual_test!(
    a_campaign_needs_a_scope_and_a_reader_may_not_open_one,
    |store: Store| async move {
        let (k, base, editor, _) = setup(&store).await?;
        let reader = k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        problem(
            &reader
                .post_json(&format!("{base}/access-reviews"), &json!({}))
                .await,
            403,
        );
        let r = editor
            .post_json(
                "/api/v1/orgs/kommunen/access-reviews",
                &json!({ "scope": "unit" }),
            )
            .await;
        assert_eq!(fields(&r), ["unit_id"]);
        let r = editor
            .post_json(
                &format!("{base}/access-reviews"),
                &json!({ "deadline": "2001-01-01" }),
            )
            .await;
        assert_eq!(fields(&r), ["deadline"]);
        let missing = format!(
            "/api/v1/orgs/kommunen/access-reviews/{}",
            uuid::Uuid::now_v7()
        );
        problem(&editor.get(&missing).await, 404);
    }
);

dual_test!(
    the_owner_opens_answers_signs_and_prints_a_campaign_on_the_pages,
    |store: Store| async move {
        let (k, base, editor, owner) = setup(&store).await?;
        let system = base.trim_start_matches("/api/v1/orgs/kommunen/systems/");
        let pages = format!("/o/kommunen/systems/{system}");
        let page = owner.get_text(&pages).await;
        assert!(page.contains("Behörighetskontroller"), "{page}");
        let list = format!("{pages}/access-reviews");
        assert!(
            owner
                .get_text(&list)
                .await
                .contains("Starta behörighetskontroll")
        );
        let r = owner
            .post_form(&list, &[("deadline", "2001-01-01")])
            .await
            .expect(422);
        assert!(r.text().contains("framtiden"), "{}", r.text());
        let r = owner
            .post_form(&list, &[("deadline", "")])
            .await
            .expect(303);
        let campaign = r.location().to_owned();
        assert!(
            campaign.starts_with("/o/kommunen/access-reviews/"),
            "{campaign}"
        );
        let tasks = owner.get("/o/kommunen/tasks").await.expect(200).body;
        assert!(tasks.contains(&campaign), "the reviewer's task: {tasks}");

        let v = editor
            .get_json(&campaign.replace("/o/kommunen/", "/api/v1/orgs/kommunen/"))
            .await;
        let item = v["items"][0]["id"].as_str().unwrap_or_default().to_owned();
        let page = owner.get_text(&campaign).await;
        assert!(
            page.contains("Nina Ny") && page.contains("Behåll"),
            "{page}"
        );
        // The editor is not the reviewer; nothing posted is nothing to refuse.
        let answer = format!("answer-{item}");
        editor
            .post_form(&campaign, &[(&answer, "keep")])
            .await
            .expect(403);
        editor.post_form(&campaign, &[]).await.expect(303);
        // Not sure without a comment is shown beside the item.
        let r = owner
            .post_form(&campaign, &[(&answer, "not_sure")])
            .await
            .expect(422);
        assert!(r.body.contains(&format!("err-{item}")), "{}", r.body);
        owner
            .post_form(&format!("{campaign}/sign"), &[])
            .await
            .expect(422);
        owner
            .post_form(&campaign, &[(&answer, "keep")])
            .await
            .expect(303);
        owner
            .post_form(&format!("{campaign}/sign"), &[])
            .await
            .expect(303);

        let print = owner.get_text(&format!("{campaign}/print")).await;
        assert!(print.contains("Signerad: ola@kommunen.se"), "{print}");
        assert!(print.contains("Nina Ny") && print.contains("Behåll"));
        assert!(
            !owner
                .get_text("/o/kommunen/tasks")
                .await
                .contains(&campaign)
        );
        assert!(
            owner
                .get_text("/o/kommunen/access-reviews")
                .await
                .contains("Signerad")
        );
        drop(k);
    }
);
