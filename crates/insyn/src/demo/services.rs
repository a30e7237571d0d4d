//! IT services in the demo (Stockholm 5 and 5.4): the workplace service and
//! the operation of the business systems delivered by the IT unit, and a
//! service delivered by a supplier, each with a year of monthly follow-ups;
//! the business systems' operation misses its availability target in two
//! months and its response time in one.

use chrono::{Datelike, Months, Utc};
use insyn_domain::it_service::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// A month's follow-up: availability, cases late on response, a comment.
type Month = (f64, u32, Option<&'static str>);

const WORKPLACE: [Month; 12] = [
    (99.9, 0, None),
    (99.8, 0, None),
    (99.95, 0, None),
    (99.7, 1, None),
    (99.9, 0, None),
    (99.85, 0, None),
    (99.9, 0, Some("Semesterperiod, låg belastning.")),
    (99.8, 0, None),
    (99.75, 0, None),
    (99.9, 0, None),
    (99.6, 0, None),
    (99.9, 0, None),
];

const OPERATION: [Month; 12] = [
    (99.8, 0, None),
    (99.7, 0, None),
    (98.9, 2, Some("Avbrott i serverhallen 14 mars, sex timmar.")),
    (99.6, 0, None),
    (99.9, 0, None),
    (99.55, 0, None),
    (99.7, 0, None),
    (
        99.2,
        0,
        Some("Misslyckad uppgradering av databasen, återställd."),
    ),
    (99.8, 0, None),
    (99.9, 0, None),
    (99.65, 0, None),
    (99.7, 0, None),
];

fn levels(target: f64, hours: &str, response: u32, resolution: u32) -> ServiceLevels {
    ServiceLevels {
        availability_target: Some(target),
        support_hours: Some(hours.into()),
        response_hours: Some(response),
        resolution_hours: Some(resolution),
    }
}

pub async fn demo_services(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    actor: &Actor,
) -> Result<()> {
    let units = store.list_units(org).await?;
    let Some(it) = units
        .iter()
        .find(|u| u.name == "IT-enheten")
        .or(units.first())
    else {
        return Ok(());
    };
    let supplier = store
        .list_suppliers(org, PageRequest::default())
        .await?
        .items
        .into_iter()
        .next();
    let mut services = vec![
        (
            ServiceDraft {
                description: Some(
                    "Dator, skrivare, e-post och kontorsprogram för kommunens medarbetare.".into(),
                ),
                yearly_cost: Some(14_500_000),
                system_ids: systems.iter().take(1).copied().collect(),
                levels: levels(99.5, "vardagar 07–17", 4, 24),
                ..ServiceDraft::new("Arbetsplatstjänst", it.id)
            },
            Some(WORKPLACE),
        ),
        (
            ServiceDraft {
                description: Some(
                    "Drift, säkerhetskopiering och uppgraderingar av verksamhetssystemen.".into(),
                ),
                yearly_cost: Some(6_200_000),
                system_ids: systems.iter().skip(1).take(3).copied().collect(),
                levels: levels(99.5, "vardagar 07–17, beredskap dygnet runt", 2, 8),
                ..ServiceDraft::new("Verksamhetssystem drift", it.id)
            },
            Some(OPERATION),
        ),
    ];
    if let Some(s) = supplier {
        services.push((
            ServiceDraft {
                description: Some("Support på leverantörens system via deras kundtjänst.".into()),
                unit_id: None,
                supplier_id: Some(s.id),
                yearly_cost: Some(380_000),
                levels: levels(99.0, "vardagar 08–16", 8, 40),
                ..ServiceDraft::new("Leverantörssupport", it.id)
            },
            None,
        ));
    }
    // The twelve whole months before this one.
    let today = Utc::now().date_naive();
    let months: Vec<Period> = (1..=12)
        .rev()
        .filter_map(|m| today.checked_sub_months(Months::new(m)))
        .map(|d| Period::month(d.year(), d.month()))
        .collect();
    for (draft, follow_up) in services {
        let s = store.create_it_service(actor, org, draft).await?;
        let Some(year) = follow_up else { continue };
        let rows = months
            .iter()
            .zip(year)
            .enumerate()
            .map(|(i, (p, (availability, late, comment)))| {
                let draft = FollowUpDraft {
                    measured_availability: Some(availability),
                    response_met: Some(30 + (i as u32 * 7) % 20),
                    response_missed: Some(late),
                    resolution_met: Some(25 + (i as u32 * 5) % 15),
                    resolution_missed: Some(0),
                    comment: comment.map(Into::into),
                    ..FollowUpDraft::new(*p)
                };
                (i + 2, draft)
            })
            .collect();
        store
            .import_it_service_follow_ups(actor, org, s.id, rows)
            .await?;
    }
    Ok(())
}
