//! Continuity in the demo: RTO, RPO and MTD on the business-critical
//! systems, backups on the first of them, and restore tests on a few: one
//! met, one that missed its RPO with an open action (a gap in compliance),
//! and one planned; the others were tested within the past year.

use chrono::{Days, Utc};
use insyn_domain::continuity::*;
use insyn_domain::incident::ActionDraft;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// Requirements per business-critical system, in turn: (RTO, RPO, MTD) in hours.
const LEVELS: &[(i64, i64, i64)] = &[(4, 1, 24), (8, 4, 48), (24, 24, 72), (2, 1, 8)];

/// How many business-critical systems (the first by name) this journey sets.
pub const JOURNEY_SYSTEMS: u32 = 12;

/// Sets continuity on the organisation's business-critical systems.
pub async fn demo_continuity(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let filter = SystemFilter {
        business_critical: Some(true),
        ..Default::default()
    };
    let page = PageRequest {
        page: 1,
        per_page: JOURNEY_SYSTEMS,
    };
    let critical = store
        .list_systems(org, &filter, Default::default(), false, page)
        .await?
        .items;
    let today = Utc::now().date_naive();
    for (i, s) in critical.iter().enumerate() {
        let (rto, rpo, mtd) = LEVELS[i % LEVELS.len()];
        let req = Requirements {
            rto_minutes: Some(rto * 60),
            rpo_minutes: Some(rpo * 60),
            mtd_minutes: Some(mtd * 60),
            critical_periods: (i % 2 == 0).then(|| "Månadsskiftet (löner och fakturor)".into()),
            fallback_routine: Some("Pappersblanketter och telefon enligt avbrottsplanen".into()),
        };
        store.set_continuity(actor, org, s.id, req).await?;
        if i < 3 {
            let b = BackupDraft {
                what: "Databasen och bifogade filer".into(),
                location: Some("Kommunens driftcentral, kopia i reservhallen".into()),
                frequency: Some(if i == 1 { "Varje natt" } else { "Varje timme" }.into()),
                retention: Some("90 dagar".into()),
                responsible: Some(
                    if i == 2 {
                        "Leverantören"
                    } else {
                        "IT-enheten"
                    }
                    .into(),
                ),
                note: None,
            };
            store.add_backup(actor, org, s.id, b).await?;
        }
        let test = |days: u64, restore: i64, loss: i64| RestoreTestDraft {
            performed_on: Some(today - Days::new(days)),
            performed_by: Some("IT-enhetens driftgrupp".into()),
            restored: Some("Databasen".into()),
            restore_point: Some("Nattens säkerhetskopia".into()),
            restore_minutes: Some(restore),
            data_loss_minutes: Some(loss),
            ..RestoreTestDraft::default()
        };
        match i {
            // Met: restored in 3 h of the 4 allowed, 30 min lost of the 60.
            0 => {
                store
                    .record_restore_test(actor, org, s.id, test(40, 180, 30), today)
                    .await?;
            }
            // Missed its RPO: a night's copy, 8 h lost where 4 h is the most.
            1 => {
                let t = store
                    .record_restore_test(actor, org, s.id, test(20, 300, 480), today)
                    .await?;
                let action = ActionDraft {
                    what: "Säkerhetskopiera var fjärde timme i stället för varje natt".into(),
                    owner_id: s.owners.first().map(|o| o.0),
                    due_on: Some(today + Days::new(45)),
                    done_on: None,
                };
                store
                    .add_restore_action(actor, org, s.id, t.id, action)
                    .await?;
            }
            2 => {
                store
                    .record_restore_test(actor, org, s.id, test(330, rto * 30, rpo * 30), today)
                    .await?;
                let planned = RestoreTestDraft {
                    planned_on: Some(today + Days::new(30)),
                    ..RestoreTestDraft::default()
                };
                store
                    .record_restore_test(actor, org, s.id, planned, today)
                    .await?;
            }
            // The others tested within the past year, in time.
            _ => {
                let days = 30 + 25 * i as u64;
                store
                    .record_restore_test(actor, org, s.id, test(days, rto * 30, rpo * 30), today)
                    .await?;
            }
        }
    }
    Ok(())
}
