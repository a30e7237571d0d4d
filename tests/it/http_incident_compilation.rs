//! The coordinator's incident compilation page, on both databases: its
//! tables carry the store's figures, each chart draws one bar per table
//! row, the CSV link serves the same period, and a reader is refused.

use chrono::{Duration, NaiveDate, Utc};
use insyn_domain::AppRole;
use insyn_domain::swedish_time::stockholm;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};

const PAGE: &str = "/o/kommunen/incidents/compilation";

/// The rows of the table `id` as (row heading, the cells after it).
fn rows(html: &str, id: &str) -> Vec<(String, Vec<i64>)> {
    let start = html
        .find(&format!("<table id=\"{id}-table\""))
        .unwrap_or_else(|| panic!("no table {id}: {html}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap_or(0)];
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let (head, rest) = row.split_once("</th>").unwrap_or_default();
            let cells = rest
                .split("<td>")
                .skip(1)
                .filter_map(|c| c.split("</td>").next()?.parse().ok())
                .collect();
            (head.to_owned(), cells)
        })
        .collect()
}

/// The bars the chart of section `id` draws.
fn bars(html: &str, id: &str) -> usize {
    let start = html
        .find(&format!("<section aria-labelledby=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let section = &html[start..start + html[start..].find("</section>").unwrap_or(0)];
    assert!(
        section.contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\""),
        "{section}"
    );
    section.matches("<g class=\"bar\">").count()
}

fn counts(rows: &[(String, Vec<i64>)]) -> Vec<i64> {
    rows.iter().map(|(_, c)| c[0]).collect()
}

dual_test!(
    the_compilation_page_shows_the_stores_figures_in_charts_and_tables,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let treserva = k.system("Treserva").await;
        let other = k.system("Ekonomisystemet").await;
        let coordinator = k
            .signed_in("sara@kommunen.se", AppRole::SecurityCoordinator)
            .await?;
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let aware = stockholm(Utc::now() - Duration::hours(3))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        for (system, severity, kind) in [
            (&treserva, "high", "personal_data"),
            (&treserva, "low", "security"),
            (&other, "low", "security"),
        ] {
            let id = system.id.to_string();
            reader
                .post_form(
                    "/o/kommunen/incidents",
                    &[
                        ("title", "Incident"),
                        ("kind", kind),
                        ("severity", severity),
                        ("detection", "internal"),
                        ("aware_at", aware.as_str()),
                        ("system_ids", id.as_str()),
                    ],
                )
                .await
                .expect(303);
        }

        // The coordinator finds the page from the list; a reader does not,
        // and is refused it.
        assert!(
            coordinator
                .get_text("/o/kommunen/incidents")
                .await
                .contains("Sammanställning av incidenter")
        );
        assert!(
            !reader
                .get("/o/kommunen/incidents")
                .await
                .body
                .contains(PAGE)
        );
        reader.get(PAGE).await.expect(403);

        let today = Utc::now().date_naive();
        let from = today - Duration::days(30);
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let c = store
            .incident_compilation(
                k.org,
                start(from),
                start(today + Duration::days(1)),
                Utc::now(),
            )
            .await?
            .unwrap_or_else(|| panic!("no compilation"));
        assert_eq!(c.total, 3);
        let url = format!("{PAGE}?from={from}&to={today}");
        let page = coordinator.get(&url).await.expect(200);
        let html = page.body.clone();
        assert_eq!(
            insyn_tests::html::text_by_id(&html, "total").as_deref(),
            Some("3")
        );
        for (id, figures) in [
            ("by-kind", &c.by_kind),
            ("by-severity", &c.by_severity),
            ("by-system", &c.by_system),
        ] {
            let r = rows(&html, id);
            let want: Vec<i64> = figures.iter().map(|f| f.count).collect();
            assert_eq!(counts(&r), want, "{id}");
            assert_eq!(bars(&html, id), r.len(), "{id}");
        }
        let systems: Vec<String> = rows(&html, "by-system").into_iter().map(|r| r.0).collect();
        assert_eq!(systems, ["Treserva", "Ekonomisystemet"]);
        let clocks = rows(&html, "clocks");
        assert_eq!(clocks.len(), c.clocks.len());
        assert_eq!(bars(&html, "clocks"), clocks.len());
        for ((name, cells), t) in clocks.iter().zip(&c.clocks) {
            // The deadline's name from the profile, not its id.
            assert_eq!(name, &t.name_sv);
            assert_ne!(name, &t.deadline);
            assert_eq!(
                cells,
                &[t.met, t.met_late, t.missed, t.running, t.not_applicable]
            );
        }
        let en = coordinator.lang("en").get_text(&url).await;
        assert!(en.contains("Incident compilation"), "{en}");
        for t in &c.clocks {
            assert!(en.contains(&t.name_en), "{en}");
        }

        // The CSV link serves the same period's figures.
        let csv_href = format!("{PAGE}?from={from}&#38;to={today}&#38;format=csv");
        assert!(html.contains(&csv_href), "{html}");
        let csv = coordinator
            .get(&csv_href.replace("&#38;", "&"))
            .await
            .expect(200);
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert_eq!(csv.body, c.to_csv());

        // A period that ends before it starts is named on the form.
        let bad = coordinator
            .get(&format!("{PAGE}?from=2026-12-31&to=2026-01-01"))
            .await
            .expect(422);
        assert!(bad.body.contains("href=\"#to\""), "{}", bad.body);
    }
);
