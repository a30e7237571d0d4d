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
    store
        .put_continuity_minutes(actor, org, hub, Some(8 * 60), Some(4 * 60), Some(3 * 1440))
        .await?;
    if let Some(d) = dependant {
        store
            .put_continuity_minutes(actor, org, d, Some(2 * 60), Some(60), Some(1440))
            .await?;
    }
    Ok(())
}
