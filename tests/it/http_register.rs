//! The register page: filters, sort links with aria-sort, the count and the
//! pager; and the API's strictness about the same parameters.

use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{
    App, Resp, actor, date, dual_test, org_id, person, problem, problem_fields, unit,
};
use std::collections::HashMap;

/// The system names of the register's rows, in order, from the row links.
fn row_names(r: &Resp, slug: &str, names: &HashMap<String, String>) -> Vec<String> {
    let prefix = format!("/o/{slug}/systems/");
    r.hrefs()
        .iter()
        .filter_map(|h| h.strip_prefix(&prefix))
        .filter_map(|id| names.get(id).cloned())
        .collect()
}

/// The `aria-sort` of each sortable column header, with its link.
fn sort_headers(r: &Resp) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut rest = r.body.as_str();
    while let Some(i) = rest.find("aria-sort=\"") {
        rest = &rest[i + "aria-sort=\"".len()..];
        let aria = rest[..rest.find('"').expect("end")].to_owned();
        let href = insyn_tests::attr_values(&rest[..rest.find("</th>").expect("end")], "href")
            .into_iter()
            .next()
            .expect("a link in the header");
        out.push((aria, href));
    }
    out
}

/// A system to create: name, responsible unit, lifecycle, business-critical, users.
type Spec = (&'static str, Option<UnitId>, Lifecycle, bool, Option<i64>);

/// The link of the pager's `rel` ("next" or "prev") anchor.
fn rel_link(r: &Resp, rel: &str) -> Option<String> {
    let i = r.body.find(&format!("rel=\"{rel}\""))?;
    let start = r.body[..i].rfind('<')?;
    insyn_tests::attr_values(&r.body[start..i], "href")
        .into_iter()
        .next()
}

dual_test!(
    the_register_page_filters_sorts_counts_and_pages,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        let eko = unit(&store, org, None, "Ekonomiavdelningen").await;
        let lon = unit(&store, org, Some(eko.id), "Lönecentrum").await;
        let skola = unit(&store, org, None, "Skolförvaltningen").await;
        let anna = person(&store, org, "Anna Andersson", Some("anna@kommunen.se")).await?;

        let mut names = HashMap::new();
        let mut ids = HashMap::new();
        let specs: [Spec; 5] = [
            (
                "Ekonomisystem",
                Some(eko.id),
                Lifecycle::InOperation,
                true,
                Some(300),
            ),
            (
                "Lönesystem",
                Some(lon.id),
                Lifecycle::PhasingOut,
                false,
                Some(40),
            ),
            (
                "Skolplattform",
                Some(skola.id),
                Lifecycle::Planned,
                false,
                Some(9000),
            ),
            ("Treserva", None, Lifecycle::InOperation, true, None),
            ("Webbplats", None, Lifecycle::InOperation, false, Some(5)),
        ];
        for (name, u, l, critical, users) in specs {
            let mut d = SystemDraft::named(name);
            d.responsible_unit_id = u;
            d.lifecycle = l;
            d.business_critical = critical;
            d.user_count = users;
            let s = store.create_system(&actor(), org, d).await?;
            names.insert(s.id.to_string(), name.to_owned());
            ids.insert(name, s.id);
        }
        insyn_tests::Scenario::at(&store, org)
            .holds_from(
                SYSTEM_OWNER,
                anna.id,
                insyn_tests::On::System(ids["Ekonomisystem"]),
                date(2020, 1, 1),
            )
            .await?;
        let app = App::new(&store).await;
        let rows = |r: &Resp| row_names(r, "kommunen", &names);
        let page = |q: String| {
            let app = app.clone();
            async move {
                app.get(&format!("/o/kommunen/systems{q}"))
                    .await
                    .expect(200)
            }
        };

        // Everything, by name, with the count and the owner column.
        let all = page(String::new()).await;
        assert_eq!(
            rows(&all),
            [
                "Ekonomisystem",
                "Lönesystem",
                "Skolplattform",
                "Treserva",
                "Webbplats"
            ]
        );
        let text = all.text();
        assert!(text.contains("Visar 1–5 av 5 system"), "{text}");
        assert!(text.contains("Anna Andersson"), "the owner is shown");
        assert!(text.contains("Saknas"), "a missing owner is shown");
        assert!(!text.contains("Rensa filter"), "nothing to clear");

        // Sort links: name ascending now, its link turns it around; the others start ascending.
        let headers = sort_headers(&all);
        assert_eq!(
            headers,
            [
                (
                    "ascending".into(),
                    "/o/kommunen/systems?sort=name&desc=true".into()
                ),
                ("none".into(), "/o/kommunen/systems?sort=unit".into()),
                ("none".into(), "/o/kommunen/systems?sort=lifecycle".into()),
                ("none".into(), "/o/kommunen/systems?sort=users".into()),
                ("none".into(), "/o/kommunen/systems?sort=go_live".into()),
            ]
        );
        let desc = page("?sort=name&desc=true".into()).await;
        assert_eq!(
            rows(&desc),
            [
                "Webbplats",
                "Treserva",
                "Skolplattform",
                "Lönesystem",
                "Ekonomisystem"
            ]
        );
        assert_eq!(sort_headers(&desc)[0].0, "descending");
        assert_eq!(sort_headers(&desc)[0].1, "/o/kommunen/systems?sort=name");
        let users = page("?sort=users".into()).await;
        assert_eq!(
            rows(&users),
            [
                "Webbplats",
                "Lönesystem",
                "Ekonomisystem",
                "Skolplattform",
                "Treserva"
            ],
            "by number of users, unknown last"
        );
        let h = sort_headers(&users);
        assert_eq!(h[0].0, "none");
        assert_eq!(
            h[3],
            (
                "ascending".into(),
                "/o/kommunen/systems?sort=users&desc=true".into()
            )
        );

        // Filters; a sort link keeps them.
        let q = page("?q=ekonomi".into()).await;
        assert_eq!(rows(&q), ["Ekonomisystem"]);
        assert!(q.text().contains("Visar 1–1 av 1 system"));
        assert!(q.text().contains("Rensa filter"));
        assert!(
            q.body.contains("value=\"ekonomi\""),
            "the search box keeps the text"
        );
        assert!(
            sort_headers(&q)
                .iter()
                .all(|(_, href)| href.contains("q=ekonomi")),
            "sort links keep the search"
        );
        assert_eq!(rows(&page("?q=EKONOMI".into()).await), ["Ekonomisystem"]);
        assert_eq!(
            rows(&page("?lifecycle=planned".into()).await),
            ["Skolplattform"]
        );
        assert_eq!(
            rows(&page("?lifecycle=in_operation".into()).await),
            ["Ekonomisystem", "Treserva", "Webbplats"]
        );
        assert_eq!(
            rows(&page("?business_critical=true".into()).await),
            ["Ekonomisystem", "Treserva"]
        );
        assert_eq!(
            rows(&page("?business_critical=false".into()).await),
            ["Lönesystem", "Skolplattform", "Webbplats"]
        );
        let no_owner = page("?no_owner=true".into()).await;
        assert_eq!(
            rows(&no_owner),
            ["Lönesystem", "Skolplattform", "Treserva", "Webbplats"]
        );
        assert!(
            no_owner
                .body
                .contains("name=\"no_owner\" value=\"true\" checked")
        );
        // A unit includes the units below it.
        let by_unit = page(format!("?unit={}", eko.id)).await;
        assert_eq!(rows(&by_unit), ["Ekonomisystem", "Lönesystem"]);
        assert!(
            by_unit
                .body
                .contains(&format!("value=\"{}\" selected", eko.id))
        );
        assert_eq!(
            rows(&page(format!("?unit={}", skola.id)).await),
            ["Skolplattform"]
        );
        assert_eq!(
            rows(&page(format!("?unit={}&business_critical=false", eko.id)).await),
            ["Lönesystem"]
        );
        assert_eq!(
            rows(&page(format!("?holder={}", anna.id)).await),
            ["Ekonomisystem"]
        );
        let none = page("?q=finnsinte".into()).await;
        assert!(rows(&none).is_empty());
        assert!(none.text().contains("Inga system matchar urvalet."));

        // Archived systems only on request.
        store
            .archive_system(&actor(), org, ids["Webbplats"])
            .await?;
        assert_eq!(rows(&page(String::new()).await).len(), 4);
        let archived = page("?include_archived=true".into()).await;
        assert_eq!(rows(&archived).len(), 5);
        assert!(archived.text().contains("Arkiverat"));
        store
            .restore_system(&actor(), org, ids["Webbplats"])
            .await?;

        // Pages of two: the count, the pager and its links (which keep the other parameters).
        let p1 = page("?per_page=2&business_critical=false".into()).await;
        assert_eq!(rows(&p1), ["Lönesystem", "Skolplattform"]);
        p1.assert_text_contains("Visar 1–2 av 3 system");
        assert!(p1.text().contains("Sida 1 / 2"));
        let next = rel_link(&p1, "next").expect("a link to the next page");
        assert_eq!(
            next,
            "/o/kommunen/systems?business_critical=false&page=2&per_page=2"
        );
        assert_eq!(rel_link(&p1, "prev"), None);
        let p2 = app.get(&next).await.expect(200);
        assert_eq!(rows(&p2), ["Webbplats"]);
        p2.assert_text_contains("Visar 3–3 av 3 system");
        assert_eq!(rel_link(&p2, "next"), None);
        assert_eq!(
            rel_link(&p2, "prev").as_deref(),
            Some("/o/kommunen/systems?business_critical=false&page=1&per_page=2")
        );
        let all_pages = page("?per_page=2".into()).await;
        assert!(all_pages.text().contains("Visar 1–2 av 5 system"));
        assert!(all_pages.text().contains("Sida 1 / 3"));
        let middle = page("?per_page=2&page=2".into()).await;
        assert_eq!(rows(&middle), ["Skolplattform", "Treserva"]);
        assert_eq!(
            rel_link(&middle, "prev").as_deref(),
            Some("/o/kommunen/systems?page=1&per_page=2")
        );
        assert_eq!(
            rel_link(&middle, "next").as_deref(),
            Some("/o/kommunen/systems?page=3&per_page=2")
        );
        // No pager when everything fits.
        assert!(!all.body.contains("class=\"pager\""));

        // In English, the same counts.
        let en = app
            .lang("en")
            .get("/o/kommunen/systems?per_page=2")
            .await
            .expect(200);
        en.assert_text_contains("Showing 1–2 of 5 systems");

        // The page ignores parameters it cannot read and shows the whole register.
        for bad in [
            "?lifecycle=bogus",
            "?business_critical=kanske",
            "?sort=bogus",
            "?page=x",
            "?per_page=-1",
            "?unit=not-a-uuid",
            "?holder=123",
            "?changed_since=yesterday",
        ] {
            let r = page(bad.into()).await;
            assert_eq!(rows(&r).len(), 5, "{bad}");
        }

        // The API refuses the same parameters with the field named.
        for (bad, field, code) in [
            ("lifecycle=bogus", "lifecycle", "error-unknown-choice"),
            (
                "changed_since=yesterday",
                "changed_since",
                "error-not-a-date",
            ),
            (
                "business_critical=kanske",
                "business_critical",
                "error-unknown-choice",
            ),
            ("no_owner=2", "no_owner", "error-unknown-choice"),
            ("sort=bogus", "sort", "error-unknown-choice"),
            ("page=x", "page", "error-not-a-number"),
            ("per_page=-1", "per_page", "error-not-a-number"),
            ("unit=not-a-uuid", "unit", "error-unknown-reference"),
            ("holder=123", "holder", "error-unknown-reference"),
        ] {
            let r = app
                .get(&format!("/api/v1/orgs/kommunen/systems?{bad}"))
                .await;
            assert_eq!(
                problem_fields(&problem(&r, 422)),
                [(field.to_owned(), code.to_owned())],
                "{bad}"
            );
        }
        // … several at once, each named.
        let r = app
            .get("/api/v1/orgs/kommunen/systems?lifecycle=bogus&changed_since=yesterday")
            .await;
        let fields: Vec<String> = problem_fields(&problem(&r, 422))
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["lifecycle", "changed_since"]);

        // The API's own filters, sort and pages agree with the page.
        let api = app
            .get_json("/api/v1/orgs/kommunen/systems?q=ekonomi&sort=name&desc=true")
            .await;
        assert_eq!(api["total"], 1);
        assert_eq!(api["items"][0]["name"], "Ekonomisystem");
        let api = app
            .get_json("/api/v1/orgs/kommunen/systems?per_page=2&page=3")
            .await;
        assert_eq!(api["total"], 5);
        assert_eq!(api["page"], 3);
        assert_eq!(api["per_page"], 2);
        assert_eq!(api["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(api["items"][0]["name"], "Webbplats");
        let api = app
            .get_json("/api/v1/orgs/kommunen/systems?no_owner=true&lifecycle=in_operation")
            .await;
        let got: Vec<&str> = api["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|s| s["name"].as_str())
            .collect();
        assert_eq!(got, ["Treserva", "Webbplats"]);
    }
);

dual_test!(
    an_unknown_organisation_is_not_found_on_pages_and_in_the_api,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let r = app.get("/o/finnsinte/systems").await.expect(404);
        assert!(r.text().contains("Sidan finns inte"));
        problem(&app.get("/api/v1/orgs/finnsinte/systems").await, 404);
        problem(&app.get("/api/v1/orgs/finnsinte").await, 404);
        // A malformed id names nothing.
        app.get("/o/kommunen/systems/inte-ett-id").await.expect(404);
        problem(
            &app.get("/api/v1/orgs/kommunen/systems/inte-ett-id").await,
            404,
        );
    }
);
