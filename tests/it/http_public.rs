//! The public register shows only the fields marked public, on the page and
//! in its exports, to anyone without signing in.

use insyn_domain::{Hosting, SystemDraft};
use insyn_store::Store;
use insyn_tests::{App, Scenario, actor, dual_test, org_id};
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
    Scenario::at(store, org)
        .information_set(s.id, "Personakter", true, true)
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
        let json = anon.get_json("/public/kommunen/register.json").await;
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
            anon.get_text("/public/kommunen?q=socialtj")
                .await
                .contains("Treserva")
        );
        assert!(
            !anon
                .get_text("/public/kommunen?q=ekonomi")
                .await
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
        Scenario::at(&store, org)
            .user("las@kommunen.se", "Läsare", insyn_domain::AppRole::Reader)
            .await?;
        App::as_user(&store, "las@kommunen.se")
            .post_form("/o/kommunen/settings/secrecy", &[])
            .await
            .expect(403);
    }
);

// Every kind of field, each with a value found nowhere else: marked secret,
// none of them can be seen, searched, sorted or filtered by in the public
// register; marked public one at a time, each shows (so the test can see
// what it looks for).
dual_test!(
    no_field_marked_secret_can_be_seen_or_searched_publicly,
    |store: Store| async move {
        use insyn_domain::security::FIELD_SECRECY_DEFAULTS;
        let org = org_id(&store, "kommunen").await?;
        let unit = insyn_tests::unit(&store, org, None, "Mrkrespunit").await;
        let using = insyn_tests::unit(&store, org, None, "Mrkuseunit").await;
        let product = store
            .create_product(
                &actor(),
                insyn_domain::ProductDraft {
                    name: "Mrkproduct".into(),
                    vendor: None,
                    description: None,
                },
            )
            .await?;
        let mut d = SystemDraft::named("Mrkname");
        d.short_name = Some("Mrkshort".into());
        d.description = Some("Mrkdescription".into());
        d.purpose = Some("Mrkpurpose".into());
        d.vendor = Some("Mrkvendor".into());
        d.version = Some("Mrkversion".into());
        d.escalation_route = Some("Mrkescalation".into());
        d.notes = Some("Mrknotes".into());
        d.licence_model = Some("Mrklicence".into());
        d.tags = vec!["Mrktag".into()];
        d.capabilities = vec!["Mrkcapability".into()];
        d.responsible_unit_id = Some(unit.id);
        d.using_unit_ids = vec![using.id];
        d.product_id = Some(product.id);
        d.doc_links = vec![insyn_domain::DocLink {
            label: "Mrklinklabel".into(),
            url: "https://intra.kommunen.se/mrklink".into(),
        }];
        let s = store.create_system(&actor(), org, d).await?;
        let k = insyn_tests::Scenario::at(&store, org);
        let owner = k.person("Mrkowner Person", None).await?;
        k.holds(
            insyn_domain::SYSTEM_OWNER,
            &owner,
            insyn_tests::On::System(s.id),
        )
        .await?;
        // Another system, with nothing secret, keeps the register non-empty.
        store
            .create_system(&actor(), org, SystemDraft::named("Oppet system"))
            .await?;
        // (field kind, the marker its value carries, whether a search looks in it)
        let fields: &[(&str, &str, bool)] = &[
            ("name", "mrkname", true),
            ("short_name", "mrkshort", true),
            ("description", "mrkdescription", true),
            ("purpose", "mrkpurpose", true),
            ("vendor", "mrkvendor", true),
            ("version", "mrkversion", false),
            ("escalation_route", "mrkescalation", false),
            ("notes", "mrknotes", false),
            ("licences", "mrklicence", false),
            ("tags", "mrktag", true),
            ("capabilities", "mrkcapability", true),
            ("responsible_unit", "mrkrespunit", false),
            ("using_units", "mrkuseunit", false),
            ("product", "mrkproduct", false),
            ("doc_links", "mrklink", false),
            ("role_holders", "mrkowner", false),
        ];
        for (f, _, _) in fields {
            assert!(
                FIELD_SECRECY_DEFAULTS.iter().any(|(d, _)| d == f),
                "{f} is a field kind"
            );
        }
        let admin = App::new(&store).await;
        // Many requests from one (unknown) address: a budget that does not stop the walk.
        let anon = App::from_router(
            &store,
            insyn_web::router_with_settings(
                store.clone(),
                insyn_web::Settings {
                    public_requests_per_minute: Some(100_000),
                    ..Default::default()
                },
            ),
        );
        let set_secret = |public: Option<&'static str>| {
            let all: serde_json::Map<String, serde_json::Value> = FIELD_SECRECY_DEFAULTS
                .iter()
                .map(|(f, _)| ((*f).to_owned(), json!(Some(*f) != public)))
                .collect();
            json!({ "fields": all })
        };
        // Everything the public register answers for a query string, in every format.
        let bodies = |query: String| {
            let anon = anon.clone();
            async move {
                let mut out = vec![];
                for path in [
                    "/public/kommunen",
                    "/public/kommunen/register.csv",
                    "/public/kommunen/register.json",
                ] {
                    out.push(
                        anon.get(&format!("{path}{query}"))
                            .await
                            .expect(200)
                            .body
                            .to_lowercase(),
                    );
                }
                out
            }
        };
        admin
            .put_json("/api/v1/orgs/kommunen/field-secrecy", &set_secret(None))
            .await
            .expect(200);
        let plain = anon.get("/public/kommunen").await.expect(200).body;
        assert!(plain.contains("<tbody>"), "the register lists both systems");
        for (f, marker, _) in fields {
            for body in bodies(String::new()).await {
                assert!(!body.contains(marker), "secret {f} shown: {body}");
            }
            // Search, sort and filter parameters find nothing by a secret value.
            let found = anon
                .get(&format!("/public/kommunen?q={marker}"))
                .await
                .expect(200)
                .body;
            assert!(
                !found.contains("<tbody>"),
                "a search by secret {f} finds nothing: {found}"
            );
            let sorted = anon
                .get(&format!("/public/kommunen?sort={f}&desc=true&{f}={marker}"))
                .await
                .expect(200)
                .body;
            let rows = |b: &str| b.split("<tbody>").nth(1).map(str::to_owned);
            assert_eq!(
                rows(&sorted),
                rows(&plain),
                "sorting or filtering by secret {f} changes nothing"
            );
        }
        // Public one at a time: each marker then shows, and the searchable ones are found.
        for (f, marker, searchable) in fields {
            admin
                .put_json("/api/v1/orgs/kommunen/field-secrecy", &set_secret(Some(f)))
                .await
                .expect(200);
            for body in bodies(String::new()).await {
                assert!(body.contains(marker), "public {f} not shown: {body}");
            }
            if *searchable {
                for body in bodies(format!("?q={marker}")).await {
                    assert!(body.contains(marker), "public {f} not found by search");
                }
            }
            for (other, other_marker, _) in fields {
                if other != f {
                    for body in bodies(String::new()).await.iter().take(1) {
                        assert!(
                            !body.contains(other_marker),
                            "with only {f} public, secret {other} shown"
                        );
                    }
                }
            }
        }
    }
);
