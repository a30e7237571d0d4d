//! Information management and decommissioning in the demo: record types on
//! the first systems of the register, and one system half-way through its
//! decommissioning: decided, its records delivered or covered by a disposal
//! decision, its roles set to end on the planned date, its integrations
//! removed, and one medium listed but not yet erased, so the case is
//! blocked by that one missing erasure. Treserva's owner (the demo's
//! "system owner" sign-in) owns that system too, until the planned date, so
//! the journey can close the case.

use chrono::{Days, Utc};
use insyn_domain::decommission::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

fn record_type(name: &str, disposition: Disposition) -> RecordTypeDraft {
    RecordTypeDraft {
        name: name.into(),
        disposition,
        disposal_period: None,
        decision_reference: None,
        decision_date: None,
        archive_format: Some("FGS/E-ARK".into()),
        delivery_deadline: None,
        delivered_on: None,
        delivery_reference: None,
        note: None,
    }
}

/// Record types on `systems`; the last of them is the one being
/// decommissioned, and `owner_from`'s owner owns it too.
pub async fn demo_decommission(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    owner_from: SystemId,
    actor: &Actor,
) -> Result<()> {
    let Some((&gone, others)) = systems.split_last() else {
        return Ok(());
    };
    let today = Utc::now().date_naive();
    for &s in others {
        let mut keep = record_type("Ärendeakter", Disposition::Keep);
        keep.delivery_deadline = Some(today + Days::new(365));
        store.add_record_type(actor, org, s, keep).await?;
        let mut logs = record_type("Loggfiler", Disposition::Dispose);
        logs.disposal_period = Some("Efter 2 år".into());
        logs.decision_reference = Some("Gallringsbeslut KS 2024/88".into());
        store.add_record_type(actor, org, s, logs).await?;
    }
    let planned = today + Days::new(30);
    let mut keep = record_type("Verifikationer", Disposition::Keep);
    keep.delivered_on = Some(today - Days::new(7));
    keep.delivery_reference = Some("FGS-leverans 2026-03".into());
    store.add_record_type(actor, org, gone, keep).await?;
    let mut drafts = record_type("Arbetsmaterial", Disposition::Dispose);
    drafts.disposal_period = Some("Vid inaktualitet".into());
    drafts.decision_reference = Some("Gallringsbeslut KS 2024/88".into());
    store.add_record_type(actor, org, gone, drafts).await?;
    share_owner(store, org, owner_from, gone, planned, actor).await?;
    for a in store.system_roles(org, gone).await? {
        if a.current && a.assignment.end_date.is_none_or(|e| e > planned) {
            store
                .end_assignment(actor, org, a.assignment.id, planned)
                .await?;
        }
    }
    for i in store.system_integrations(org, gone).await? {
        store.remove_integration(actor, org, i.id).await?;
    }
    let case = CaseDraft {
        decided_by: Some("Kommunstyrelsen".into()),
        decided_on: Some(today - Days::new(60)),
        decision_reference: Some("KS 2026/12".into()),
        planned_on: Some(planned),
        target_system_id: others.first().copied(),
        note: Some("Informationen flyttas till det nya systemet.".into()),
    };
    store.open_decommission_case(actor, org, gone, case).await?;
    let mut disk = ErasureDraft::medium("Serverdisk (SSD)", Some("SSD-7731"));
    disk.method = Some(ErasureMethod::Purge);
    disk.tool = Some("Blancco Drive Eraser".into());
    disk.tool_version = Some("7.9".into());
    disk.operator = Some("IT-enheten".into());
    disk.erased_on = Some(today - Days::new(3));
    disk.verified_by = Some("IT-säkerhetssamordnaren".into());
    disk.verification_result = Some(VerificationResult::Passed);
    disk.certificate_reference = Some("BL-2026-0042".into());
    store.add_erasure(actor, org, gone, disk).await?;
    let tape = ErasureDraft::medium("Backupband", Some("LTO-0815"));
    store.add_erasure(actor, org, gone, tape).await?;
    Ok(())
}

/// Makes `from`'s current system owner an owner of `to` as well, until `until`.
async fn share_owner(
    store: &Store,
    org: OrgId,
    from: SystemId,
    to: SystemId,
    until: chrono::NaiveDate,
    actor: &Actor,
) -> Result<()> {
    let Some(owner) = store
        .system_roles(org, from)
        .await?
        .into_iter()
        .find(|a| a.current && a.role_code == SYSTEM_OWNER)
    else {
        return Ok(());
    };
    let draft = AssignmentDraft {
        role_type_id: owner.assignment.role_type_id,
        person_id: owner.assignment.person_id,
        system_id: Some(to),
        unit_id: None,
        start_date: Utc::now().date_naive(),
        end_date: Some(until),
        note: None,
    };
    store.assign_role(actor, org, draft).await?;
    Ok(())
}
