//! Outage plans (avbrottsplaner) in the demo: approved ones on the first two
//! business-critical systems (each by its system owner), a draft on the
//! third, so that the plan pages and the continuity rules have something to
//! show.

use insyn_domain::outage_plan::OutagePlanSections;
use insyn_domain::security::PlanAction;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

fn texts(system: &str) -> OutagePlanSections {
    let t = |s: &str| Some(s.to_owned());
    OutagePlanSections {
        scope: t(&format!(
            "Planen gäller {system} i hela kommunen: verksamheten som använder systemet, dess integrationer och den tekniska driften."
        )),
        outage_definition: t(
            "Avbrott är när systemet inte kan användas för det dagliga arbetet i mer än 30 minuter under kontorstid, eller när uppgifter inte kan registreras eller läsas på ett tillförlitligt sätt.",
        ),
        roles_contacts: t(
            "Systemägare beslutar om reservrutin. Systemförvaltare leder arbetet i verksamheten. IT-servicedesk 0123-45 67 89 (dygnet runt). Leverantörens support enligt avtalet.",
        ),
        fallback_routine: t(
            "Pågående ärenden dokumenteras på pappersblanketter ur pärmen i varje enhet och förs in i systemet när det fungerar igen.",
        ),
        communication: t(
            "Systemförvaltaren meddelar berörda enheter via intranätet och sms-listan; IT-säkerhetssamordnaren informeras vid avbrott längre än fyra timmar.",
        ),
        restart_order: t(
            "1. Databas och integrationer. 2. Handläggarnas klienter. 3. Rapporter och utdata.",
        ),
        return_to_normal: t(
            "Uppgifter från reservrutinen registreras i efterhand inom fem arbetsdagar; systemförvaltaren kontrollerar att inget saknas.",
        ),
        exercise: t(
            "Planen övas en gång per år med en skrivbordsövning och efter större förändringar.",
        ),
    }
}

/// The system's current owner, named by e-mail as signed-in users are.
async fn owner(store: &Store, org: OrgId, owners: &[(PersonId, String)]) -> Actor {
    match owners.first() {
        Some((id, _)) => match store.get_person(org, *id).await.ok().and_then(|p| p.email) {
            Some(email) => Actor::new(&email),
            None => Actor::new("insyn demo"),
        },
        None => Actor::new("insyn demo"),
    }
}

pub async fn demo_outage_plans(store: &Store, org: OrgId, editor: &Actor) -> Result<()> {
    let filter = SystemFilter {
        business_critical: Some(true),
        ..Default::default()
    };
    let page = PageRequest {
        page: 1,
        per_page: 3,
    };
    let critical = store
        .list_systems(org, &filter, Default::default(), false, page)
        .await?;
    for (i, s) in critical.items.iter().enumerate() {
        let plan = store.new_outage_plan(editor, org, s.id).await?;
        store
            .edit_outage_plan(editor, org, s.id, plan.version, texts(&s.name))
            .await?;
        if i < 2 {
            store
                .move_outage_plan(editor, org, s.id, plan.version, PlanAction::Submit)
                .await?;
            let by = owner(store, org, &s.owners).await;
            store
                .move_outage_plan(&by, org, s.id, plan.version, PlanAction::Approve)
                .await?;
        }
    }
    Ok(())
}
