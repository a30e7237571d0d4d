//! The demo owner's flagship system (Treserva), kept as a municipality
//! three years in keeps it: the history gave it a systemansvarig, its
//! classification, a förvaltningsplan and its controls; the information
//! set the integrations brought last week is classified the day after.

use insyn_domain::security::ClassificationDraft;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// Classifies every information set of `system` not classified yet.
pub async fn demo_flagship(
    store: &Store,
    org: OrgId,
    system: SystemId,
    actor: &Actor,
) -> Result<()> {
    for set in store.information_sets(org, system).await? {
        if set.current.is_some() {
            continue;
        }
        let draft = ClassificationDraft {
            confidentiality: 3,
            integrity: 3,
            availability: 3,
            traceability: None,
            justification: "Uppgifter om enskildas personliga förhållanden; verksamheten stannar utan systemet.".into(),
            valid_until: None,
        };
        store.classify(actor, org, system, set.id, draft).await?;
    }
    Ok(())
}
