//! The compliance API and dashboard are paged and filtered (issues 22 and
//! 23): the API never sends more than one page of systems, filters by
//! förvaltning, rule, state and responsible person, and refuses a filter it
//! cannot apply; the dashboard's gap list is paged the same way.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test, html_text, problem, problem_fields};

dual_test!(
    the_compliance_api_sends_one_filtered_page_of_systems,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mut first = None;
        for i in 0..23 {
            let s = k.system(&format!("System {i:02}")).await;
            first.get_or_insert(s);
        }
        let treserva = first.expect("a system");
        k.owner(&treserva, "Ola Ägare", "ola@kommunen.se").await?;
        let reader = k.signed_in("revisor@kommunen.se", AppRole::Reader).await?;

        let all = reader.get_json("/api/v1/orgs/kommunen/compliance").await;
        assert_eq!(all["total"], 23);
        assert_eq!(all["page"], 1);
        assert_eq!(all["systems"].as_array().unwrap().len(), 23);
        assert_eq!(all["current"], true);

        let p = reader
            .get_json("/api/v1/orgs/kommunen/compliance?per_page=10&page=3")
            .await;
        assert_eq!(p["total"], 23);
        let names: Vec<&str> = p["systems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["System 20", "System 21", "System 22"]);

        // The owner rule is missing on every system but the one with an owner.
        let rule = "owner";
        let missing = reader
            .get_json(&format!(
                "/api/v1/orgs/kommunen/compliance?rule={rule}&state=missing&per_page=500"
            ))
            .await;
        assert_eq!(missing["total"], 22, "{missing}");
        for s in missing["systems"].as_array().unwrap() {
            assert_ne!(s["name"], "System 00");
            let f = s["findings"].as_array().unwrap();
            assert_eq!(f.len(), 1);
            assert_eq!(
                (f[0]["rule_id"].as_str(), f[0]["state"].as_str()),
                (Some(rule), Some("missing"))
            );
        }

        // What falls to Ola: the open findings on his system only.
        let ola = reader
            .get_json("/api/v1/orgs/kommunen/compliance?responsible=OLA@kommunen.se")
            .await;
        let systems = ola["systems"].as_array().unwrap();
        assert_eq!(systems.len(), 1, "{ola}");
        assert_eq!(systems[0]["name"], "System 00");
        assert!(
            systems[0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["state"] != "met")
        );

        // Filters it cannot apply are refused, naming the field.
        for (query, field) in [("state=broken", "state"), ("per_page=501", "per_page")] {
            let r = reader
                .get(&format!("/api/v1/orgs/kommunen/compliance?{query}"))
                .await
                .expect(422);
            let fields = problem_fields(&problem(&r, 422));
            assert!(
                fields.iter().any(|(f, _)| f == field),
                "{query}: {fields:?}"
            );
        }
        // A rule the profile lacks matches nothing (the profile is data).
        let none = reader
            .get_json("/api/v1/orgs/kommunen/compliance?rule=no-such-rule")
            .await;
        assert_eq!(none["total"], 0);
        assert!(none["systems"].as_array().unwrap().is_empty());
        let long = "x".repeat(400);
        reader
            .get(&format!(
                "/api/v1/orgs/kommunen/compliance?responsible={long}"
            ))
            .await
            .expect(422);
    }
);

dual_test!(
    the_dashboard_pages_and_filters_its_gaps,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        for i in 0..60 {
            k.system(&format!("System {i:02}")).await;
        }
        let reader = k.signed_in("revisor@kommunen.se", AppRole::Reader).await?;
        let page = html_text(&reader.get_text("/o/kommunen/compliance").await);
        assert!(page.contains("Visar 1–50 av"), "{page}");
        assert!(page.contains("Nästa"), "a pager: {page}");
        // The owner rule alone: one gap per system, 60 in all, ten on page 2.
        let two = reader
            .get_text("/o/kommunen/compliance?rule=owner&state=missing&page=2")
            .await;
        let text = html_text(&two);
        assert!(text.contains("Visar 51–60 av 60 brister"), "{text}");
        assert!(text.contains("System 59"));
        assert!(
            !text.contains("System 49"),
            "page 1's systems are not on page 2"
        );
        // A page past the end shows the last; nonsense in the filter is ignored.
        let past = html_text(
            &reader
                .get_text("/o/kommunen/compliance?rule=owner&state=missing&page=99")
                .await,
        );
        assert!(past.contains("Visar 51–60 av 60 brister"), "{past}");
        reader
            .get("/o/kommunen/compliance?state=%00&rule=x&page=-1")
            .await
            .expect(200);
    }
);
