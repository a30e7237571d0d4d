//! Lessons learned within N days of closing (issue 17, Build 4): the
//! baseline profile asks for them within 30 days; compliance lists each
//! closed incident still without them, with a link, in the API and on the
//! compliance page, and the finding is fixed when the lessons are written.

use chrono::{Duration, Utc};
use insyn_domain::AppRole;
use insyn_domain::incident::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, actor, disruption as draft, dual_test};

/// Reports an incident and closes it `days_ago`.
async fn closed(
    store: &Store,
    org: OrgId,
    system: SystemId,
    title: &str,
    days_ago: i64,
) -> Incident {
    let at = Utc::now() - Duration::days(days_ago);
    let i = store
        .report_incident(
            &actor(),
            org,
            draft(title, at - Duration::hours(2), system),
            at,
        )
        .await
        .expect("reported");
    let close = StatusChange {
        status: IncidentStatus::Closed,
        reason: None,
    };
    store
        .change_incident_status(&actor(), org, i.id, close, at)
        .await
        .expect("closed")
}

dual_test!(
    closed_incidents_without_lessons_after_30_days_are_a_compliance_finding,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Treserva").await;
        let reader = k.signed_in("rut@kommunen.se", AppRole::Reader).await?;
        let old = closed(&store, k.org, s.id, "Lagringen full", 40).await;
        let recent = closed(&store, k.org, s.id, "Nätet nere", 5).await;
        // Still open or dismissed incidents ask for nothing.
        store
            .report_incident(
                &actor(),
                k.org,
                draft("Pågår", Utc::now() - Duration::days(60), s.id),
                Utc::now() - Duration::days(59),
            )
            .await?;

        let c = reader.get_json("/api/v1/orgs/kommunen/compliance").await;
        let l = &c["incident_lessons"];
        assert_eq!(l["rule_id"], "incident_lessons", "{c}");
        assert_eq!(l["within_days"], 30);
        assert_eq!(l["state"], "missing");
        let late = l["late"].as_array().expect("late");
        assert_eq!(late.len(), 1, "{l}");
        assert_eq!(late[0]["number"], old.number);
        assert_eq!(late[0]["incident_id"], old.id.to_string());
        assert_eq!(
            l["links"][0],
            format!("/api/v1/orgs/kommunen/incidents/{}", old.id)
        );
        assert!(l["text_sv"].as_str().unwrap().contains("30 dagar"));

        let page = reader.get("/o/kommunen/compliance").await.expect(200);
        let href = format!("/o/kommunen/incidents/{}", old.id);
        assert!(page.body.contains(&href), "{}", page.body);
        assert!(
            !page
                .body
                .contains(&format!("/o/kommunen/incidents/{}", recent.id))
        );

        // Writing the lessons fixes it; the recent one is still within its days.
        let mut d = draft("Lagringen full", old.aware_at, s.id);
        d.lessons = Some("Larm på diskutrymme vid 80 %.".into());
        store
            .update_incident(&actor(), k.org, old.id, d, Utc::now())
            .await?;
        let c = reader.get_json("/api/v1/orgs/kommunen/compliance").await;
        let l = &c["incident_lessons"];
        assert_eq!(l["late"].as_array().map(Vec::len), Some(0), "{l}");
        assert_eq!(l["state"], "due_soon");
        let page = reader.get("/o/kommunen/compliance").await.expect(200);
        assert!(!page.body.contains(&href));
    }
);
