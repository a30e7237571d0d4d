//! The incident pages, on both databases: an ordinary user reports through
//! the form, the coordinator sees every clock in plain words at the top,
//! assesses, records the IMY notification and closes the incident; the
//! reporter sees it but not the forms, the owner of another system gets
//! 404, and refused input comes back as 422 with the errors.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_domain::swedish_time::stockholm;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};

const LIST: &str = "/o/kommunen/incidents";

fn local(hours_ago: i64) -> String {
    stockholm(Utc::now() - Duration::hours(hours_ago))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The report form as the reporter fills it in, with `more` fields.
fn report<'a>(
    aware: &'a str,
    system: &'a str,
    more: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("title", "Beslut skickat till fel mottagare"),
        ("kind", "personal_data"),
        ("severity", "high"),
        ("detection", "internal"),
        ("aware_at", aware),
        ("system_ids", system),
    ];
    f.extend_from_slice(more);
    f
}

dual_test!(
    an_incident_is_reported_assessed_notified_and_closed_on_the_pages,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let other = k.system("Ekonomisystemet").await;
        k.owner(&other, "Eva Ekonomi", "eva@kommunen.se").await?;
        let coordinator = k
            .signed_in("sara@kommunen.se", AppRole::SecurityCoordinator)
            .await?;
        let reporter = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let stranger = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;

        // Everyone finds the register and the button to report.
        let list = reporter.get_text(LIST).await;
        assert!(list.contains("Rapportera incident"), "{list}");
        let form = reporter.get(&format!("{LIST}/new")).await.expect(200);
        assert!(
            form.body.contains(&local(0)[..13]),
            "aware at defaults to now"
        );

        // A report without a title, or with aware at in the future, is refused.
        let system = s.id.to_string();
        let refused = reporter
            .post_form(
                LIST,
                &[
                    ("title", ""),
                    ("kind", "personal_data"),
                    ("severity", "high"),
                    ("detection", "internal"),
                    ("aware_at", &local(-5)),
                ],
            )
            .await
            .expect(422);
        let text = refused.text();
        assert!(text.contains("Formuläret innehåller fel"), "{text}");
        assert!(refused.body.contains("href=\"#title\""));
        assert!(refused.body.contains("href=\"#aware_at\""));

        let aware = local(70);
        let r = reporter
            .post_form(
                LIST,
                &report(
                    &aware,
                    &system,
                    &[
                        ("pd_categories", "Brukare; personnummer"),
                        ("pd_sensitive", "on"),
                        ("pd_subjects", "1"),
                    ],
                ),
            )
            .await
            .expect(303);
        let page = r.location().to_owned();
        assert!(page.starts_with("/o/kommunen/incidents/"), "{page}");

        // The reporter sees it, with the clocks, but no forms; the owner of
        // another system does not learn it exists.
        let seen = reporter.get(&page).await.expect(200);
        assert!(
            !seen.body.contains("/status\""),
            "no forms for the reporter"
        );
        seen.assert_text_contains("Beslut skickat till fel mottagare");
        stranger.get(&page).await.expect(404);
        assert!(!stranger.get_text(LIST).await.contains("fel mottagare"));
        reporter
            .post_form(&format!("{page}/notes"), &[("text", "Hej")])
            .await
            .expect(403);

        // The coordinator sees the IMY clock at the top in plain words: about
        // two hours left.
        let text = coordinator.get_text(&page).await;
        assert!(text.contains("till IMY"), "{text}");
        assert!(
            text.contains("1 timme kvar") || text.contains("2 timmar kvar"),
            "{text}"
        );
        assert!(text.contains("senast"), "{text}");
        let en = coordinator.lang("en").get_text(&page).await;
        assert!(en.contains("left"), "{en}");
        assert!(
            en.contains("Notification to IMY") || en.contains("notification to IMY"),
            "{en}"
        );

        // Dismissing needs a reason.
        let r = coordinator
            .post_form(&format!("{page}/status"), &[("status", "dismissed")])
            .await
            .expect(422);
        assert!(r.body.contains("href=\"#status-reason\""), "{}", r.body);

        // Assess, record the notification, add and finish an action, note,
        // and close with lessons learned.
        coordinator
            .post_form(
                &format!("{page}/assessment"),
                &[("significant", "no"), ("reason", "Ett enda ärende")],
            )
            .await
            .expect(303);
        coordinator
            .post_form(
                &format!("{page}/clocks/gdpr-imy"),
                &[
                    ("kind", "reported"),
                    ("at", &local(0)),
                    ("note", "IMY-2026-1"),
                ],
            )
            .await
            .expect(303);
        let r = coordinator
            .post_form(
                &format!("{page}/clocks/gdpr-imy"),
                &[("kind", "reported"), ("at", &local(-3))],
            )
            .await
            .expect(422);
        assert!(r.text().contains("Tidsfrister"));
        coordinator
            .post_form(&format!("{page}/actions"), &[("what", "Ring mottagaren")])
            .await
            .expect(303);
        coordinator
            .post_form(
                &format!("{page}/notes"),
                &[("text", "Mottagaren har raderat brevet")],
            )
            .await
            .expect(303);
        let text = coordinator.get_text(&page).await;
        assert!(text.contains("gjord "), "{text}");
        assert!(text.contains("inte betydande"), "{text}");
        assert!(text.contains("Mottagaren har raderat brevet"), "{text}");
        // The report draft for IMY, as a printable page and as JSON, carries
        // the register's facts and the deadline's recipient.
        let draft = coordinator
            .get_text(&format!("{page}/drafts/gdpr-imy"))
            .await;
        for fact in [
            "Integritetsskyddsmyndigheten",
            "Brukare; personnummer",
            "Treserva",
            "Ring mottagaren",
            "GDPR art. 33",
        ] {
            assert!(draft.contains(fact), "{fact} in {draft}");
        }
        let id = page.trim_start_matches("/o/kommunen/incidents/");
        let json = coordinator
            .get_json(&format!(
                "/api/v1/orgs/kommunen/incidents/{id}/drafts/gdpr-imy"
            ))
            .await;
        assert_eq!(json["form"], "gdpr");
        assert_eq!(json["systems"][0]["name"], "Treserva");
        assert_eq!(json["clock"]["recipient"], serde_json::Value::Null);
        assert_eq!(
            json["clock"]["deadline"]["recipient"],
            "Integritetsskyddsmyndigheten (IMY)"
        );
        assert_eq!(json["personal_data"]["categories"], "Brukare; personnummer");
        let nis2 = coordinator
            .get_text(&format!("{page}/drafts/csirt-early-warning"))
            .await;
        assert!(nis2.contains("CERT-SE"), "{nis2}");
        coordinator
            .get(&format!("{page}/drafts/no-such-deadline"))
            .await
            .expect(404);
        stranger
            .get(&format!("{page}/drafts/gdpr-imy"))
            .await
            .expect(404);

        // The system's incidents tab lists it; another system's does not.
        let tab = coordinator
            .get_text(&format!("/o/kommunen/systems/{system}/incidents"))
            .await;
        assert!(tab.contains("fel mottagare"), "{tab}");
        let tab = coordinator
            .get_text(&format!("/o/kommunen/systems/{}/incidents", other.id))
            .await;
        assert!(!tab.contains("fel mottagare"), "{tab}");
        assert!(
            coordinator
                .get_text(&format!("/o/kommunen/systems/{system}"))
                .await
                .contains("Incidenter")
        );

        let body = coordinator.get(&page).await.expect(200).body;
        let done = body
            .split("action=\"")
            .filter_map(|s| s.split('"').next())
            .find(|a| a.ends_with("/done"))
            .expect("a done button")
            .to_owned();
        coordinator.post_form(&done, &[]).await.expect(303);

        let edit = format!("{page}/edit");
        let f = coordinator.get_text(&edit).await;
        assert!(f.contains("Erfarenheter"), "{f}");
        coordinator
            .post_form(
                &edit,
                &report(
                    &aware,
                    &system,
                    &[
                        ("personal_data", "on"),
                        ("pd_subjects", "1"),
                        ("lessons", "Dubbelkolla adressen"),
                    ],
                ),
            )
            .await
            .expect(303);
        coordinator
            .post_form(&format!("{page}/status"), &[("status", "closed")])
            .await
            .expect(303);
        let text = coordinator.get_text(&page).await;
        assert!(text.contains("Avslutad"), "{text}");
        assert!(text.contains("Dubbelkolla adressen"), "{text}");
        // The timeline says in words what the store entered by itself.
        for said in [
            "Incidenten rapporterades",
            "Status: Avslutad",
            "Inte betydande – Ett enda ärende",
            "till IMY (utan onödigt dröjsmål, om möjligt inom 72 timmar): Rapporten är gjord",
        ] {
            assert!(text.contains(said), "{said} in {text}");
        }
        // Closed incidents leave the open list but stay in all.
        assert!(!coordinator.get_text(LIST).await.contains("fel mottagare"));
        assert!(
            coordinator
                .get_text(&format!("{LIST}?show=all"))
                .await
                .contains("fel mottagare")
        );
    }
);
