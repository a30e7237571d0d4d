//! Integrations in the demo: Treserva at the centre of about 50 flows (the
//! map the benchmark draws), one flow into every other system from one
//! before it, some carrying personal data, and continuity figures that make
//! one RTO conflict ("if Treserva is down").

use insyn_domain::integration::demo::demo_flows;
use insyn_domain::security::InformationSetDraft;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// Loads the demo's flows around `hub`.
pub async fn demo_integrations(
    store: &Store,
    org: OrgId,
    hub: SystemId,
    actor: &Actor,
) -> Result<()> {
    let systems = store.demo_system_ids(org).await?;
    let Some(&second) = systems.iter().find(|s| **s != hub) else {
        return Ok(());
    };
    let set = |name: &str| InformationSetDraft {
        name: name.into(),
        description: None,
        personal_data: true,
        sensitive_personal_data: false,
    };
    let records = store
        .create_information_set(actor, org, hub, set("Personakter inom socialtjänsten"))
        .await?;
    let register = store
        .create_information_set(actor, org, second, set("Folkbokföringsuppgifter"))
        .await?;
    let sets = [(hub, records.id), (second, register.id)];
    let flows = demo_flows(hub, &systems, &sets);
    // The first system that depends on the hub tolerates 2 hours; the hub
    // may be down for 8: the impact page's conflict.
    let dependant = flows
        .iter()
        .find(|f| f.from_system_id == hub)
        .map(|f| f.to_system_id);
    store.load_demo_integrations(actor, org, flows).await?;
    set_minutes(store, actor, org, hub, [8 * 60, 4 * 60, 3 * 1440]).await?;
    if let Some(d) = dependant {
        set_minutes(store, actor, org, d, [2 * 60, 60, 1440]).await?;
    }
    Ok(())
}

/// Sets a system's RTO, RPO and MTD (minutes), keeping the critical periods
/// and fallback routine the continuity demo may have written.
async fn set_minutes(
    store: &Store,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    [rto, rpo, mtd]: [i64; 3],
) -> Result<()> {
    let mut req = store
        .continuity(org, system)
        .await?
        .map(|c| c.requirements)
        .unwrap_or_default();
    (req.rto_minutes, req.rpo_minutes, req.mtd_minutes) = (Some(rto), Some(rpo), Some(mtd));
    store.set_continuity(actor, org, system, req).await?;
    Ok(())
}
