//! An access order for someone not yet in the register, by name and e-mail,
//! on both databases: the person is added (active, without a unit) with the
//! order in one transaction; a refused order leaves no person behind.

use insyn_domain::access::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    App, Scenario, actor, audit_count, date, dual_test, invalid, problem, problem_fields,
};
use serde_json::json;

fn new_person(name: &str, email: &str) -> Option<NewPerson> {
    Some(NewPerson {
        name: name.into(),
        email: email.into(),
    })
}

fn order_for(profile: AccessProfileId, who: Option<NewPerson>) -> AccessOrderDraft {
    AccessOrderDraft {
        kind: OrderKind::Grant,
        person_id: None,
        new_person: who,
        profile_ids: vec![profile],
        reason: None,
        start_date: date(2026, 12, 7),
        end_date: None,
        ticket: None,
    }
}

/// The people of the organisation with this e-mail.
async fn people_with(store: &Store, org: OrgId, email: &str) -> anyhow::Result<Vec<Person>> {
    Ok(store
        .people_if_few(org, 1000)
        .await?
        .into_iter()
        .filter(|p| p.email.as_deref() == Some(email))
        .collect())
}

async fn profile(k: &Scenario, system: SystemId) -> anyhow::Result<AccessProfile> {
    let d = AccessProfileDraft::named("Handläggare");
    Ok(k.store
        .create_access_profile(&actor(), k.org, system, d, &Parties::default())
        .await?)
}

dual_test!(
    an_order_for_a_new_person_adds_the_person_in_the_same_transaction,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let system = k.system("Treserva").await.id;
        let p = profile(&k, system).await?;
        let before = audit_count(&store).await?;
        let orders = store
            .order_access(
                &actor(),
                k.org,
                system,
                order_for(p.id, new_person(" Nora Ny ", "Nora@Kommunen.se")),
            )
            .await?;
        let added = people_with(&store, k.org, "nora@kommunen.se").await?;
        assert_eq!(added.len(), 1);
        let nora = &added[0];
        assert_eq!(nora.name, "Nora Ny");
        assert!(nora.active);
        assert_eq!(nora.unit_id, None);
        assert_eq!(orders[0].person_id, nora.id);
        assert_eq!(
            audit_count(&store).await? - before,
            2,
            "the person's record and the order's"
        );

        // The same e-mail again is taken; a removal for someone new has nothing
        // to remove; a grant of an unknown profile is refused: no person remains.
        let e = invalid(
            store
                .order_access(
                    &actor(),
                    k.org,
                    system,
                    order_for(p.id, new_person("Nora Två", "nora@kommunen.se")),
                )
                .await,
        );
        assert_eq!(e.get("new_person.email"), Some(v::TAKEN));
        let mut removal = order_for(p.id, new_person("Olle Ny", "olle@kommunen.se"));
        removal.kind = OrderKind::Remove;
        let e = invalid(store.order_access(&actor(), k.org, system, removal).await);
        assert_eq!(e.get("profile_ids"), Some(NOT_HELD));
        let unknown = order_for(
            AccessProfileId::new(),
            new_person("Olle Ny", "olle@kommunen.se"),
        );
        let e = invalid(store.order_access(&actor(), k.org, system, unknown).await);
        assert_eq!(e.get("profile_ids"), Some(v::UNKNOWN_REFERENCE));
        assert!(
            people_with(&store, k.org, "olle@kommunen.se")
                .await?
                .is_empty()
        );

        // Both a person and a new one, or neither: a field error each.
        let mut both = order_for(p.id, new_person("Olle Ny", "olle@kommunen.se"));
        both.person_id = Some(nora.id);
        let e = invalid(store.order_access(&actor(), k.org, system, both).await);
        assert_eq!(e.get("new_person"), Some(PERSON_OR_NEW));
        let e = invalid(
            store
                .order_access(&actor(), k.org, system, order_for(p.id, None))
                .await,
        );
        assert_eq!(e.get("person_id"), Some(v::REQUIRED));
        assert!(
            people_with(&store, k.org, "olle@kommunen.se")
                .await?
                .is_empty()
        );
        assert_eq!(audit_count(&store).await? - before, 2);
    }
);

dual_test!(
    an_order_for_a_new_person_through_the_api_and_the_page,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let p = profile(&k, s.id).await?;
        let editor = k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?;
        let uri = format!("/api/v1/orgs/kommunen/systems/{}/access-orders", s.id);
        let body = json!({ "kind": "grant", "profile_ids": [p.id], "start_date": "2026-12-07",
            "new_person": { "name": "Nora Ny", "email": "nora@kommunen.se" } });
        let orders = editor.post_json_expecting(&uri, &body, 201).await;
        let nora = people_with(&store, k.org, "nora@kommunen.se").await?;
        assert_eq!(orders[0]["person_id"], json!(nora[0].id));

        let bad = json!({ "kind": "grant", "profile_ids": [p.id], "start_date": "2026-12-07",
            "new_person": { "name": "x".repeat(201), "email": "olle" } });
        let r = editor.post_json(&uri, &bad).await;
        let fields: Vec<String> = problem_fields(&problem(&r, 422))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert!(fields.contains(&"new_person.name".to_owned()), "{fields:?}");
        assert!(
            fields.contains(&"new_person.email".to_owned()),
            "{fields:?}"
        );

        // The page: the new person's pair beside the person picker.
        let form_uri = format!("/o/kommunen/systems/{}/access/order", s.id);
        let page = editor.get(&form_uri).await.expect(200).text();
        assert!(
            page.contains("Ny person (finns inte i registret)"),
            "{page}"
        );
        let id = p.id.to_string();
        let post = |name: &'static str, email: &'static str, lang: &'static str| {
            let editor: App = editor.lang(lang);
            let form_uri = form_uri.clone();
            let id = id.clone();
            async move {
                editor
                    .post_form(
                        &form_uri,
                        &[
                            ("kind", "grant"),
                            ("profile_ids", &id),
                            ("new_person.name", name),
                            ("new_person.email", email),
                            ("start_date", "2026-12-07"),
                        ],
                    )
                    .await
            }
        };
        let r = post("Olle Ny", "olle@kommunen.se", "sv").await.expect(303);
        assert!(
            r.location().starts_with("/o/kommunen/access-orders/"),
            "{}",
            r.location()
        );
        assert_eq!(
            people_with(&store, k.org, "olle@kommunen.se").await?.len(),
            1
        );
        let r = post("Pia Ny", "pia", "sv").await.expect(422);
        r.assert_text_contains("E-post");
        let r = post("Pia Ny", "nora@kommunen.se", "en").await.expect(422);
        r.assert_text_contains("E-mail");
        assert!(people_with(&store, k.org, "pia").await?.is_empty());
        let r = editor
            .post_form(
                &form_uri,
                &[
                    ("kind", "grant"),
                    ("profile_ids", &id),
                    ("start_date", "2026-12-07"),
                ],
            )
            .await
            .expect(422);
        r.assert_text_contains("Person");
    }
);
