//! Incidents in the demo: one personal-data incident whose IMY clock is
//! about to run out, one significant outage whose early warning was sent in
//! time, and one closed with its lessons learned — so that the incident
//! pages, their clocks and "Mina uppgifter" have something to show.

use chrono::{Duration, Utc};
use insyn_domain::incident::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

fn draft(
    title: &str,
    kind: IncidentKind,
    severity: Severity,
    aware_hours_ago: i64,
    systems: &[SystemId],
) -> IncidentDraft {
    let now = Utc::now();
    IncidentDraft {
        title: title.into(),
        description: None,
        kind,
        severity,
        detection: Detection::Internal,
        occurred_at: Some(now - Duration::hours(aware_hours_ago + 2)),
        aware_at: now - Duration::hours(aware_hours_ago),
        reported_by: None,
        system_ids: systems.to_vec(),
        information_set_ids: vec![],
        personal_data: None,
        controller: None,
        cause: None,
        lessons: None,
    }
}

/// Puts the demo's incidents on its first systems; `coordinator` handles them.
pub async fn demo_incidents(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    coordinator: &Actor,
) -> Result<()> {
    let [first, second, ..] = systems else {
        return Ok(());
    };
    let now = Utc::now();
    // Actors are named by e-mail address, as signed-in users are: the editor
    // reported two of them and sees those.
    let reporter = Actor::new("redaktor@exempelstad.se");

    // A decision sent to the wrong address 66 hours ago: 6 hours left to notify IMY.
    let mut d = draft(
        "Beslut om hemtjänst skickat till fel mottagare",
        IncidentKind::PersonalData,
        Severity::High,
        66,
        &[*first],
    );
    d.description = Some(
        "Ett beslut med personnummer och uppgifter om hälsa skickades med e-post till en person med samma namn som brukaren."
            .into(),
    );
    d.reported_by = Some("Handläggare inom hemtjänsten".into());
    d.personal_data = Some(PersonalDataImpact {
        categories: Some("Brukare inom hemtjänsten: namn, personnummer, uppgifter om hälsa".into()),
        sensitive: true,
        subjects: Some(1),
        records: Some(1),
        consequences: Some("Risk för integritetsintrång för brukaren.".into()),
    });
    let i = store.report_incident(&reporter, org, d, now).await?;
    let internal = ClockEventDraft {
        kind: ClockEventKind::Reported,
        at: Some(now - Duration::hours(60)),
        note: Some("Incidentrapportering på Kanalen, ärende 2026-311".into()),
    };
    record_if_known(store, org, i.id, "incident-internal", internal, coordinator).await?;
    let no = SignificanceDraft {
        significant: false,
        reason: "En enskild mottagare; verksamhetens tjänster påverkades inte.".into(),
    };
    store
        .assess_incident(coordinator, org, i.id, no, now)
        .await?;
    let status = StatusChange {
        status: IncidentStatus::Investigating,
        reason: None,
    };
    store
        .change_incident_status(coordinator, org, i.id, status, now)
        .await?;
    let action = ActionDraft {
        what: "Be mottagaren radera e-postmeddelandet och bekräfta det skriftligt".into(),
        owner_id: None,
        due_on: Some(now.date_naive() + Duration::days(1)),
        done_on: None,
    };
    store
        .add_incident_action(coordinator, org, i.id, action)
        .await?;

    // A significant outage 30 hours ago: the early warning went out in time.
    let mut d = draft(
        "Verksamhetssystemet otillgängligt efter intrångsförsök",
        IncidentKind::Security,
        Severity::Critical,
        30,
        &[*first, *second],
    );
    d.detection = Detection::Supplier;
    d.reported_by = Some("Leverantörens driftcentral".into());
    let i = store.report_incident(coordinator, org, d, now).await?;
    let yes = SignificanceDraft {
        significant: true,
        reason: "Hemtjänstens planering och dokumentation låg nere i fler än fyra timmar.".into(),
    };
    store
        .assess_incident(coordinator, org, i.id, yes, now)
        .await?;
    let warning = ClockEventDraft {
        kind: ClockEventKind::Reported,
        at: Some(now - Duration::hours(26)),
        note: Some("Tidig varning till CERT-SE, referens CERT-2026-1042".into()),
    };
    record_if_known(
        store,
        org,
        i.id,
        "csirt-early-warning",
        warning,
        coordinator,
    )
    .await?;
    let contained = StatusChange {
        status: IncidentStatus::Contained,
        reason: None,
    };
    store
        .change_incident_status(coordinator, org, i.id, contained, now)
        .await?;

    // A lost laptop in the spring, handled and closed with lessons learned.
    let mut d = draft(
        "Förlorad bärbar dator med lokalt sparade filer",
        IncidentKind::Security,
        Severity::Medium,
        24 * 200,
        &[*second],
    );
    d.cause = Some("Filer sparades lokalt i stället för i verksamhetssystemet.".into());
    d.lessons = Some(
        "Diskkryptering kontrolleras nu vid varje utlämning, och lokal lagring är avstängd.".into(),
    );
    let i = store.report_incident(&reporter, org, d, now).await?;
    let no = SignificanceDraft {
        significant: false,
        reason: "Datorn var krypterad; ingen tjänst påverkades.".into(),
    };
    store
        .assess_incident(coordinator, org, i.id, no, now)
        .await?;
    let closed = StatusChange {
        status: IncidentStatus::Closed,
        reason: None,
    };
    store
        .change_incident_status(coordinator, org, i.id, closed, now)
        .await?;
    Ok(())
}

/// Records a report on a clock the organisation's profile has (the
/// internal report is Söderköping's, and another profile may lack it).
async fn record_if_known(
    store: &Store,
    org: OrgId,
    id: IncidentId,
    deadline: &str,
    event: ClockEventDraft,
    by: &Actor,
) -> Result<()> {
    match store
        .record_clock(by, org, id, deadline, event, Utc::now())
        .await
    {
        Err(insyn_store::StoreError::NotFound) => Ok(()),
        other => other.map(|_| ()),
    }
}
