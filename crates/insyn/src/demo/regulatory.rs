//! Regulatory facts in the demo: the municipality an essential entity in
//! public administration under cybersäkerhetslagen, registered with the
//! supervisory authority; Procapita with a high-risk AI decision support
//! (AI Act annex III point 5 a) and no FRIA yet, so the AI tab has a finding
//! to show; Treserva assessed as holding no AI system.

use chrono::{Months, Utc};
use insyn_domain::regulatory::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

pub async fn demo_regulatory(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let today = Utc::now().date_naive();
    let nis = NisDraft {
        entity_class: NisEntityClass::Essential,
        sector: Some(NisSector::PublicAdministration),
        registered_on: today.checked_sub_months(Months::new(9)),
        registration_reference: Some("MCF 2026-1042".into()),
    };
    store.set_nis_facts(actor, org, nis, today).await?;
    let facts = [
        (
            "Procapita",
            AiActDraft {
                contains_ai: AiActPresence::Yes,
                risk_class: Some(AiActRiskClass::HighRisk),
                role: Some(AiActRole::Deployer),
                description: Some(
                    "Beslutsstöd som föreslår bedömning av rätt till ekonomiskt bistånd; handläggaren beslutar."
                        .into(),
                ),
                fria_on: None,
                fria_reference: None,
            },
        ),
        (
            "Treserva",
            AiActDraft {
                contains_ai: AiActPresence::No,
                ..AiActDraft::default()
            },
        ),
    ];
    for (name, d) in facts {
        if let Some(system) = store.system_named(org, name).await? {
            store.set_ai_act(actor, org, system, d, today).await?;
        }
    }
    Ok(())
}
