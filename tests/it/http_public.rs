//! The public register shows only the fields marked public, on the page and
//! in its exports, to anyone without signing in.

use insyn_domain::{Hosting, SystemDraft};
use insyn_store::Store;
use insyn_tests::{App, actor, dual_test, org_id};
use serde_json::json;

/// Values that are secret by default and must never appear publicly.
const SECRETS: &[&str] = &[
    "9.8.7-hemlig",
    "Ring Kalle 070-HEMLIG",
    "HEMLIG anteckning",
    "https://intra.kommunen.se/hemlig",
];

async fn setup(store: &Store) -> anyhow::Result<()> {
    let org = org_id(store, "kommunen").await?;
    let mut d = SystemDraft::named("Treserva");
    d.purpose = Some("Dokumentation i socialtjänsten".into());
    d.version = Some("9.8.7-hemlig".into());
    d.hosting = Hosting::Saas;
    d.escalation_route = Some("Ring Kalle 070-HEMLIG".into());
    d.notes = Some("HEMLIG anteckning".into());
    d.doc_links = vec![insyn_domain::DocLink {
        label: "Manual".into(),
        url: "https://intra.kommunen.se/hemlig".into(),
    }];
    let s = store.create_system(&actor(), org, d).await?;
    store
        .create_information_set(
            &actor(),
            org,
            s.id,
            insyn_domain::security::InformationSetDraft {
                name: "Personakter".into(),
                description: None,
                personal_data: true,
                sensitive_personal_data: true,
            },
        )
        .await?;
    Ok(())
}

dual_test!(
    the_public_register_never_shows_a_secret_field,
    |store: Store| async move {
        setup(&store).await?;
        let anon = App::anonymous(&store);
        let page = anon.get("/public/kommunen").await.expect(200);
        let text = page.text();
        assert!(
            text.contains("Treserva") && text.contains("Dokumentation i socialtjänsten"),
            "{text}"
        );
        assert!(
            text.contains("Personuppgifter"),
            "the personal-data column is public: {text}"
        );
        let csv = anon.get("/public/kommunen/register.csv").await.expect(200);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert!(csv.body.starts_with('\u{feff}'));
        let json = anon
            .get("/public/kommunen/register.json")
            .await
            .expect(200)
            .json();
        assert_eq!(json["items"][0]["name"], "Treserva");
        assert_eq!(json["items"][0]["personal_data"], "Ja");
        assert!(json["items"][0].get("version").is_none());
        for body in [&page.body, &csv.body, &json.to_string()] {
            for secret in SECRETS {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
            // The hosting (SaaS) is secret by default too.
            assert!(!body.contains("molntjänst"), "{body}");
        }
        // Searchable.
        assert!(
            anon.get("/public/kommunen?q=socialtj")
                .await
                .expect(200)
                .text()
                .contains("Treserva")
        );
        assert!(
            !anon
                .get("/public/kommunen?q=ekonomi")
                .await
                .expect(200)
                .text()
                .contains("Treserva")
        );
        anon.get("/public/ingen-sadan").await.expect(404);
        anon.get("/public/kommunen/register.exe").await.expect(404);
    }
);

dual_test!(
    the_organisations_marking_decides_what_is_public,
    |store: Store| async move {
        setup(&store).await?;
        let admin = App::new(&store).await;
        admin
            .put_json(
                "/api/v1/orgs/kommunen/field-secrecy",
                &json!({"fields": {"purpose": true, "version": false}}),
            )
            .await
            .expect(200);
        let anon = App::anonymous(&store);
        let page = anon.get("/public/kommunen").await.expect(200);
        let csv = anon.get("/public/kommunen/register.csv").await.expect(200);
        let json = anon
            .get("/public/kommunen/register.json")
            .await
            .expect(200)
            .body;
        for body in [&page.body, &csv.body, &json] {
            assert!(
                !body.contains("Dokumentation i socialtjänsten"),
                "purpose is secret now: {body}"
            );
            assert!(
                body.contains("9.8.7-hemlig"),
                "version is public now: {body}"
            );
            assert!(!body.contains("Ring Kalle"), "{body}");
        }
    }
);

dual_test!(
    an_administrator_marks_fields_on_the_page,
    |store: Store| async move {
        setup(&store).await?;
        let admin = App::new(&store).await;
        let page = admin.get("/o/kommunen/settings/secrecy").await.expect(200);
        assert!(
            page.body.contains("value=\"version\" checked"),
            "version is secret by default"
        );
        // Everything public except the name's neighbours: tick only "notes".
        admin
            .post_form("/o/kommunen/settings/secrecy", &[("secret", "notes")])
            .await
            .expect(303);
        let public = App::anonymous(&store)
            .get("/public/kommunen")
            .await
            .expect(200)
            .body;
        assert!(public.contains("9.8.7-hemlig"), "version is public now");
        assert!(!public.contains("HEMLIG anteckning"), "notes stay secret");
        // Readers may not change it.
        let org = store.org_by_slug("kommunen").await?.id;
        store
            .create_user(
                &actor(),
                "las@kommunen.se",
                "Läsare",
                None,
                &[insyn_domain::Grant {
                    org_id: Some(org),
                    role: insyn_domain::AppRole::Reader,
                }],
            )
            .await?;
        App::as_user(&store, "las@kommunen.se")
            .post_form("/o/kommunen/settings/secrecy", &[])
            .await
            .expect(403);
    }
);
