//! Access management through the API, on both databases: a profile, an
//! order for it, the owner's decision, the förvaltare carrying it out and
//! the holding that follows; and who may not take which step.

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, actor, bearer, dual_test, problem, problem_fields};
use serde_json::{Value, json};

struct Setup {
    k: Scenario,
    base: String,
    editor: App,
    owner: App,
    forvaltare: App,
    person: insyn_domain::PersonId,
}

async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    let f = k.person("Fia Förvaltare", Some("fia@kommunen.se")).await?;
    k.holds("system_manager", &f, On::System(s.id)).await?;
    let person = k.person("Nina Ny", Some("nina@kommunen.se")).await?.id;
    Ok(Setup {
        base: format!("/api/v1/orgs/kommunen/systems/{}", s.id),
        editor: k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?,
        owner: k.signed_in("ola@kommunen.se", AppRole::Reader).await?,
        forvaltare: k.signed_in("fia@kommunen.se", AppRole::Reader).await?,
        k,
        person,
    })
}

impl Setup {
    /// A profile made by the editor, with the policy's parties.
    async fn profile(&self, name: &str) -> Value {
        let uri = format!("{}/access-profiles", self.base);
        self.editor
            .post_json_expecting(&uri, &json!({ "name": name }), 201)
            .await
    }

    /// An order of `profile` for the person, placed by `by`; the order's URL.
    async fn order(&self, by: &App, profile: &Value) -> String {
        let uri = format!("{}/access-orders", self.base);
        let body = json!({ "kind": "grant", "person_id": self.person,
            "profile_ids": [profile["id"]], "start_date": "2025-01-01" });
        let orders = by.post_json_expecting(&uri, &body, 201).await;
        format!(
            "/api/v1/orgs/kommunen/access-orders/{}",
            orders[0]["id"].as_str().unwrap_or_default()
        )
    }
}

fn step(name: &str) -> Value {
    json!({ "step": name, "ticket": "HD-1", "comment": "Enligt beställning." })
}

dual_test!(
    an_order_goes_from_ordered_to_a_holding_through_the_api,
    |store: Store| async move {
        let t = setup(&store).await?;
        let p = t.profile("Handläggare").await;
        assert_eq!(p["orderer"], "manager");
        assert_eq!(p["decider"], "system_owner");
        assert_eq!(p["executor"], "system_manager");
        let again = t
            .editor
            .get_json(&format!(
                "{}/access-profiles/{}",
                t.base,
                p["id"].as_str().unwrap_or_default()
            ))
            .await;
        assert_eq!(again, p);
        let order = t.order(&t.editor, &p).await;
        assert_eq!(t.editor.get_json(&order).await["order"]["state"], "ordered");
        // The förvaltare does not decide; the owner does.
        let steps = format!("{order}/steps");
        let r = t.forvaltare.post_json(&steps, &step("approve")).await;
        problem(&r, 403);
        // The order waits for the owner to decide, not for the förvaltare.
        let tasks = "/api/v1/orgs/kommunen/access-tasks";
        let mine = t.owner.get_json(tasks).await;
        assert_eq!(mine[0]["duty"], "decide", "{mine}");
        assert_eq!(t.forvaltare.get_json(tasks).await, json!([]));
        let o = t
            .owner
            .post_json_expecting(&steps, &step("approve"), 200)
            .await;
        assert_eq!(o["state"], "approved");
        assert_eq!(t.owner.get_json(tasks).await, json!([]));
        assert_eq!(t.forvaltare.get_json(tasks).await[0]["duty"], "carry_out");
        // The owner does not carry out; the förvaltare does.
        problem(&t.owner.post_json(&steps, &step("carry_out")).await, 403);
        let o = t
            .forvaltare
            .post_json_expecting(&steps, &step("carry_out"), 200)
            .await;
        assert_eq!(o["state"], "carried_out");
        let view = t.editor.get_json(&order).await;
        assert_eq!(view["steps"].as_array().map(Vec::len), Some(2));
        let h = t.editor.get_json(&format!("{}/holdings", t.base)).await;
        assert_eq!(h["total"], 1, "{h}");
        assert_eq!(h["items"][0]["profile_id"], p["id"]);
        assert_eq!(h["items"][0]["person_id"], json!(t.person));
        let list = t
            .editor
            .get_json(&format!("{}/access-orders", t.base))
            .await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["state"], "carried_out");
    }
);

dual_test!(
    only_the_parties_act_and_nobody_decides_their_own_order,
    |store: Store| async move {
        let t = setup(&store).await?;
        let p = t.profile("Läsare").await;
        // A reader who is none of the parties may neither order nor decide.
        let reader = t.k.signed_in("lasare@kommunen.se", AppRole::Reader).await?;
        let body = json!({ "kind": "grant", "person_id": t.person,
            "profile_ids": [p["id"]], "start_date": "2025-01-01" });
        let r = reader
            .post_json(&format!("{}/access-orders", t.base), &body)
            .await;
        assert_eq!(
            problem(&r, 403)["detail"].as_str().map(str::is_empty),
            Some(false)
        );
        let order = t.order(&t.editor, &p).await;
        let steps = format!("{order}/steps");
        problem(&reader.post_json(&steps, &step("approve")).await, 403);
        // An administrator may act for any party, but not decide an order
        // they placed themselves.
        let admin =
            t.k.signed_in("admin@kommunen.se", AppRole::Administrator)
                .await?;
        let own = t.order(&admin, &t.profile("Admin").await).await;
        let r = admin
            .post_json(&format!("{own}/steps"), &step("approve"))
            .await;
        problem(&r, 403);
        admin
            .post_json_expecting(&steps, &step("approve"), 200)
            .await;
        // Another organisation's order is not found there.
        let other = Scenario::new(&store, "annan").await?;
        let theirs = other
            .signed_in("admin@annan.se", AppRole::Administrator)
            .await?;
        let id = order.rsplit('/').next().unwrap_or_default();
        theirs
            .get(&format!("/api/v1/orgs/annan/access-orders/{id}"))
            .await
            .expect(404);
        let r = theirs
            .post_json(
                &format!("/api/v1/orgs/annan/access-orders/{id}/steps"),
                &step("reject"),
            )
            .await;
        problem(&r, 404);
    }
);

dual_test!(
    bodies_are_checked_and_a_read_token_writes_nothing,
    |store: Store| async move {
        let t = setup(&store).await?;
        let uri = format!("{}/access-profiles", t.base);
        let r = t
            .editor
            .post_json(
                &uri,
                &json!({ "name": "x".repeat(201), "grants": "g".repeat(2001) }),
            )
            .await;
        let mut fields: Vec<String> = problem_fields(&problem(&r, 422))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        fields.sort();
        assert_eq!(fields, ["grants", "name"]);
        let r = t
            .editor
            .send_raw(Method::POST, &uri, "application/json", "{\"name\": ".into())
            .await;
        problem(&r, 422);
        let orders = format!("{}/access-orders", t.base);
        let r = t
            .editor
            .post_json(&orders, &json!({ "kind": "grant" }))
            .await;
        let fields: Vec<String> = problem_fields(&problem(&r, 422))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert!(fields.contains(&"profile_ids".to_owned()), "{fields:?}");
        // A token with read scope reads, but neither makes profiles nor orders.
        let user = store.user_by_email("redaktor@kommunen.se").await?;
        let (_, read) = store
            .create_token(&actor(), user.id, "Läs", insyn_domain::TokenScope::Read)
            .await?;
        let anon = App::anonymous(&store);
        anon.request(bearer(&read, Method::GET, &uri, ""))
            .await
            .expect(200);
        let body = json!({ "name": "Token" }).to_string();
        let r = anon.request(bearer(&read, Method::POST, &uri, &body)).await;
        r.expect(403);
        let p = t.profile("Handläggare").await;
        let body = json!({ "kind": "grant", "person_id": t.person,
            "profile_ids": [p["id"]], "start_date": "2025-01-01" });
        anon.request(bearer(&read, Method::POST, &orders, &body.to_string()))
            .await
            .expect(403);
        let list = t.editor.get_json(&orders).await;
        assert_eq!(list["total"], 0);
    }
);
