//! Processor agreements in the demo (issue 19): Treserva's supplier (CGI) with a
//! valid agreement (a sub-processor in Ireland, support from India under
//! standard contractual clauses), a second system's supplier whose review of
//! the processor is overdue, and a third system holding personal data whose
//! supplier has no agreement: the compliance gap the journey closes.

use chrono::{Months, Utc};
use insyn_domain::contract::SupplierDraft;
use insyn_domain::processor::*;
use insyn_domain::security::InformationSetDraft;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// The supplier named, linked to `system`, which gets an information set
/// with personal data if it has none.
async fn supplied(
    store: &Store,
    org: OrgId,
    system: SystemId,
    name: &str,
    actor: &Actor,
) -> Result<SupplierId> {
    // The history may have registered the supplier with a contract already.
    let id = match store.supplier_named(org, name).await? {
        Some(id) => id,
        None => {
            store
                .create_supplier(
                    actor,
                    org,
                    SupplierDraft {
                        name: name.into(),
                        support_channel: Some(format!("support@{}.example", name.to_lowercase())),
                        ..SupplierDraft::default()
                    },
                )
                .await?
                .id
        }
    };
    store
        .set_system_supplier(actor, org, system, Some(id))
        .await?;
    let sets = store.information_sets(org, system).await?;
    if !sets.iter().any(|i| i.personal_data) {
        store
            .create_information_set(
                actor,
                org,
                system,
                InformationSetDraft {
                    name: "Personuppgifter om brukare".into(),
                    description: None,
                    personal_data: true,
                    sensitive_personal_data: false,
                },
            )
            .await?;
    }
    Ok(id)
}

/// The agreements on Treserva and `others[0]`; `others[1]` is left without one.
pub async fn demo_processors(
    store: &Store,
    org: OrgId,
    treserva: SystemId,
    others: &[SystemId],
    actor: &Actor,
) -> Result<()> {
    let today = Utc::now().date_naive();
    let ago = |m: u32| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    let cgi = supplied(store, org, treserva, "CGI", actor).await?;
    let mut d = ProcessorDraft::new(cgi);
    d.system_ids = vec![treserva];
    d.reference = Some("SN 2024/118".into());
    d.signed_on = Some(ago(30));
    d.review_interval_months = Some(12);
    d.last_review_on = Some(ago(3));
    d.sub_processors = vec![
        SubProcessor {
            name: "Microsoft Ireland Operations Ltd".into(),
            country: "IE".into(),
            activity: Some("Drift av molntjänsten".into()),
        },
        SubProcessor {
            name: "CGI India".into(),
            country: "IN".into(),
            activity: Some("Andra linjens support".into()),
        },
    ];
    d.transfers = vec![Transfer {
        country: "IN".into(),
        mechanism: TransferMechanism::StandardContractualClauses,
        note: Some("Supportärenden med personuppgifter".into()),
    }];
    store
        .create_processor_agreement(actor, org, d, today)
        .await?;
    if let Some(&second) = others.first() {
        let visma = supplied(store, org, second, "Visma", actor).await?;
        let mut d = ProcessorDraft::new(visma);
        d.system_ids = vec![second];
        d.signed_on = Some(ago(40));
        d.review_interval_months = Some(12);
        d.last_review_on = Some(ago(14));
        store
            .create_processor_agreement(actor, org, d, today)
            .await?;
    }
    if let Some(&third) = others.get(1) {
        // A supplier, personal data, and no agreement: the gap.
        supplied(store, org, third, "Atea", actor).await?;
    }
    Ok(())
}

/// An agreement with each supplier of the `recorded` systems (those whose
/// GDPR records the demo keeps), covering its systems among them: signed
/// when the baseline came, reviewed in the past year.
pub async fn demo_kept_agreements(
    store: &Store,
    org: OrgId,
    recorded: &[SystemId],
    actor: &Actor,
) -> Result<()> {
    let today = Utc::now().date_naive();
    let ago = |m: u32| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    let mut by_supplier: std::collections::BTreeMap<String, (SupplierId, Vec<SystemId>)> =
        Default::default();
    for &s in recorded {
        if let Some(supplier) = store.system_supplier(org, s).await? {
            by_supplier
                .entry(supplier.name)
                .or_insert((supplier.id, vec![]))
                .1
                .push(s);
        }
    }
    for (k, (supplier, systems)) in by_supplier.into_values().enumerate() {
        for chunk in systems.chunks(MAX_SYSTEMS) {
            let mut d = ProcessorDraft::new(supplier);
            d.system_ids = chunk.to_vec();
            d.reference = Some(format!("KS 2025/{}", 140 + k));
            d.signed_on = Some(ago(14 + k as u32 % 6));
            d.review_interval_months = Some(12);
            d.last_review_on = Some(ago(1 + k as u32 % 9));
            store
                .create_processor_agreement(actor, org, d, today)
                .await?;
        }
    }
    Ok(())
}
