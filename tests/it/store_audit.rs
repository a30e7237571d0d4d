//! Every write leaves an audit record, in the same transaction; writes that
//! change nothing or fail leave none.

use insyn_domain::*;
use insyn_store::{AuditEvent, Store};
use insyn_tests::{actor, dual_test, invalid, org_id, unit};
use serde_json::{Value, json};

fn actions(h: &[AuditEvent]) -> Vec<&str> {
    h.iter().map(|e| e.action.as_str()).collect()
}

dual_test!(
    create_and_update_are_recorded_with_old_and_new_values,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let mut d = SystemDraft::named("Lönesystem");
        d.user_count = Some(40);
        d.tags = vec!["Personuppgifter".into()];
        let created = store.create_system(&actor(), org, d.clone()).await?;

        let h = store.history(org, created.id.0).await?;
        assert_eq!(actions(&h), ["create"]);
        let c = &h[0];
        assert_eq!(c.actor, "test");
        assert_eq!(c.object_type, "system");
        assert_eq!(c.object_id, created.id.0);
        assert_eq!(c.org_id, Some(org));
        assert_eq!(
            c.changes["name"],
            json!({ "old": null, "new": "Lönesystem" })
        );
        assert_eq!(c.changes["user_count"], json!({ "old": null, "new": 40 }));
        assert_eq!(
            c.changes["tags"],
            json!({ "old": null, "new": ["Personuppgifter"] })
        );
        assert!(c.changes.get("updated_at").is_none());

        d.vendor = Some("Visma".into());
        d.user_count = Some(45);
        d.tags = vec![];
        let updated = store
            .update_system(&actor(), org, created.id, d.clone())
            .await?;
        let h = store.history(org, created.id.0).await?;
        assert_eq!(actions(&h), ["create", "update"]);
        let u = &h[1];
        assert!(u.at >= c.at);
        let changed: Vec<&String> = u.changes.as_object().expect("an object").keys().collect();
        assert_eq!(
            changed,
            ["tags", "user_count", "vendor"],
            "only what changed is recorded"
        );
        assert_eq!(u.changes["vendor"], json!({ "old": null, "new": "Visma" }));
        assert_eq!(u.changes["user_count"], json!({ "old": 40, "new": 45 }));
        assert_eq!(
            u.changes["tags"],
            json!({ "old": ["Personuppgifter"], "new": [] })
        );

        // A draft equal to what is stored (spaces aside) changes nothing at all.
        let mut same = d.clone();
        same.name = "  Lönesystem ".into();
        let unchanged = store.update_system(&actor(), org, created.id, same).await?;
        assert_eq!(unchanged, updated);
        assert_eq!(
            store.get_system(org, created.id).await?.updated_at,
            updated.updated_at
        );
        assert_eq!(store.history(org, created.id.0).await?.len(), 2);

        // A refused update changes nothing and records nothing.
        let mut bad = d.clone();
        bad.name = String::new();
        invalid(store.update_system(&actor(), org, created.id, bad).await);
        let mut bad = d.clone();
        bad.responsible_unit_id = Some(UnitId::new());
        invalid(store.update_system(&actor(), org, created.id, bad).await);
        let mut bad = d.clone();
        bad.licence_count = Some(-1);
        invalid(store.update_system(&actor(), org, created.id, bad).await);
        assert_eq!(store.get_system(org, created.id).await?, updated);
        assert_eq!(store.history(org, created.id.0).await?.len(), 2);

        // Archiving and restoring are recorded too.
        store.archive_system(&actor(), org, created.id).await?;
        store
            .restore_system(&insyn_store::Actor::new("someone else"), org, created.id)
            .await?;
        let h = store.history(org, created.id.0).await?;
        assert_eq!(actions(&h), ["create", "update", "archive", "restore"]);
        assert_eq!(
            h[2].changes["archived"],
            json!({ "old": false, "new": true })
        );
        assert_eq!(
            h[3].changes["archived"],
            json!({ "old": true, "new": false })
        );
        assert_eq!(h[3].actor, "someone else");
        // Oldest first.
        assert!(h.windows(2).all(|w| w[0].at <= w[1].at));
    }
);

dual_test!(
    a_refused_create_leaves_no_trace,
    |store: Store| async move {
        let org = org_id(&store, "stad").await?;
        let id = SystemId::new();
        let mut d = SystemDraft::named("Spöke");
        d.product_id = Some(ProductId::new());
        invalid(store.create_system_with_id(&actor(), org, id, d).await);
        assert!(store.history(org, id.0).await?.is_empty());
        insyn_tests::not_found(store.get_system(org, id).await);
        // The id is still free.
        let s = store
            .create_system_with_id(&actor(), org, id, SystemDraft::named("Spöke"))
            .await?;
        assert_eq!(s.id, id);
        assert_eq!(actions(&store.history(org, id.0).await?), ["create"]);
    }
);

dual_test!(other_objects_are_audited_too, |store: Store| async move {
    let org = insyn_tests::org(&store, "stad").await?;
    let h = store.history(org.id, org.id.0).await?;
    assert_eq!(actions(&h), ["create"]);
    assert_eq!(h[0].object_type, "organisation");
    assert_eq!(h[0].changes["slug"]["new"], json!("stad"));

    let u = unit(&store, org.id, None, "Kansliet").await;
    let renamed = store
        .update_unit(
            &actor(),
            org.id,
            u.id,
            UnitDraft {
                parent_id: None,
                name: "Kommunkansliet".into(),
                level: "Enhet".into(),
                manager_id: None,
            },
        )
        .await?;
    assert_eq!(renamed.name, "Kommunkansliet");
    let h = store.history(org.id, u.id.0).await?;
    assert_eq!(actions(&h), ["create", "update"]);
    assert_eq!(
        h[1].changes["name"],
        json!({ "old": "Kansliet", "new": "Kommunkansliet" })
    );

    let p = store
        .create_person(
            &actor(),
            org.id,
            PersonDraft {
                name: "Lena Larsson".into(),
                email: Some("lena@stad.se".into()),
                title: None,
                unit_id: Some(u.id),
                active: true,
            },
        )
        .await?;
    let h = store.history(org.id, p.id.0).await?;
    assert_eq!(actions(&h), ["create"]);
    assert_eq!(h[0].changes["email"]["new"], Value::from("lena@stad.se"));
    assert_eq!(h[0].object_type, "person");
});
