//! Records of processing (registerförteckning) in the demo: one per
//! nämnd for its main systems, each complete but the Barn- och
//! utbildningsnämnd's, which lacks its retention and the DPIA decision, so
//! the list has something to name; and one per nämnd for the systems with
//! personal data whose records the demo keeps (the others are late).

use insyn_domain::processing::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// (nämnd, the record's words, systems, complete)
type Demo = (&'static str, Words, &'static [&'static str], bool);

const RECORDS: &[Demo] = &[
    (
        "Socialnämnden",
        (
            "Handläggning och dokumentation inom socialtjänsten",
            "Utredning, beslut och dokumentation av insatser enligt SoL och LSS",
            LegalBasis::PublicInterest,
            "Socialtjänstlagen (2001:453); lagen (2001:454) om behandling av personuppgifter inom socialtjänsten",
            "Sökande, brukare, anhöriga och företrädare",
            "Kontaktuppgifter, personnummer, hälsa, sociala förhållanden",
            true,
        ),
        &["Treserva", "Procapita"],
        true,
    ),
    (
        "Barn- och utbildningsnämnden",
        (
            "Elevadministration",
            "Antagning, schema, närvaro och betyg",
            LegalBasis::PublicInterest,
            "Skollagen (2010:800)",
            "Elever och vårdnadshavare",
            "Kontaktuppgifter, personnummer, närvaro, betyg",
            false,
        ),
        &["IST Extens"],
        false,
    ),
    (
        "Kommunstyrelsen",
        (
            "Personaladministration och lön",
            "Anställning, lön, schema och rehabilitering",
            LegalBasis::LegalObligation,
            "Lagen (1982:80) om anställningsskydd; skatteförfarandelagen (2011:1244)",
            "Anställda och tidigare anställda",
            "Kontaktuppgifter, personnummer, lön, frånvaro, hälsa (sjukfrånvaro)",
            true,
        ),
        &["Heroma"],
        true,
    ),
];

/// The demo's records, for the nämnder and systems the demo has.
pub async fn demo_processing(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let units = store.list_units(org).await?;
    let today = chrono::Utc::now().date_naive();
    let agreements = store
        .list_processor_agreements(org, PageRequest::new(Some(1), Some(200)), today)
        .await?
        .items;
    for &(nämnd, words, systems, complete) in RECORDS {
        let Some(unit) = units.iter().find(|u| u.name == nämnd) else {
            continue;
        };
        let mut system_ids = vec![];
        for s in systems {
            if let Some(id) = store.system_named(org, s).await? {
                system_ids.push(id);
            }
        }
        let mut d = draft(unit.id, nämnd, words, system_ids, &agreements);
        if !complete {
            d.retention = None;
            d.dpia_required = None;
            d.dpia_reason = None;
        }
        store.create_processing_record(actor, org, d).await?;
    }
    Ok(())
}

/// A record per nämnd of its `recorded` systems (those holding personal
/// data whose GDPR records the demo keeps): complete, the DPIA decided
/// (made, where a system holds sensitive data), linked to the agreements
/// that cover them.
pub async fn demo_kept_records(
    store: &Store,
    org: OrgId,
    recorded: &[SystemId],
    actor: &Actor,
) -> Result<()> {
    let units = store.list_units(org).await?;
    let top = |mut u: UnitId| {
        for _ in 0..64 {
            match units.iter().find(|x| x.id == u).and_then(|x| x.parent_id) {
                Some(p) => u = p,
                None => break,
            }
        }
        u
    };
    let mut by_nämnd: std::collections::BTreeMap<UnitId, (Vec<SystemId>, bool)> =
        Default::default();
    for &s in recorded {
        let Some(unit) = store.get_system(org, s).await?.responsible_unit_id else {
            continue;
        };
        let sensitive = store
            .information_sets(org, s)
            .await?
            .iter()
            .any(|i| i.sensitive_personal_data);
        let e = by_nämnd.entry(top(unit)).or_default();
        e.0.push(s);
        e.1 |= sensitive;
    }
    let today = chrono::Utc::now().date_naive();
    let agreements = store
        .list_processor_agreements(org, PageRequest::new(Some(1), Some(200)), today)
        .await?
        .items;
    for (unit, (systems, sensitive)) in by_nämnd {
        let Some(nämnd) = units.iter().find(|u| u.id == unit) else {
            continue;
        };
        for chunk in systems.chunks(MAX_ITEMS) {
            let words = (
                "Ärenden och service i nämndens verksamhetssystem",
                "Handläggning, service och uppföljning i nämndens verksamhet",
                LegalBasis::PublicInterest,
                "Förvaltningslagen (2017:900); nämndens reglemente",
                "Invånare, sökande och kontaktpersoner",
                "Kontaktuppgifter, personnummer, ärendeuppgifter",
                sensitive,
            );
            let d = draft(unit, &nämnd.name, words, chunk.to_vec(), &agreements);
            store.create_processing_record(actor, org, d).await?;
        }
    }
    Ok(())
}

/// A record's words: (name, purposes, legal basis, law, data subjects,
/// categories, sensitive).
type Words = (
    &'static str,
    &'static str,
    LegalBasis,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

/// A complete record of `nämnd`'s (the unit `unit`) for `system_ids`: the
/// DPIA made where the data is sensitive, decided not needed elsewhere,
/// and linked to the agreements with the suppliers that run these systems.
fn draft(
    unit: UnitId,
    nämnd: &str,
    (name, purposes, basis, law, subjects, categories, sensitive): Words,
    system_ids: Vec<SystemId>,
    agreements: &[insyn_domain::processor::ProcessorAgreement],
) -> ProcessingDraft {
    let s = |t: &str| Some(t.to_owned());
    let mut d = ProcessingDraft {
        unit_id: Some(unit),
        name: name.into(),
        contact: Some(format!(
            "{nämnd}, Exempelstads kommun, 0123-45 67 00; dataskyddsombud dso@exempelstad.se"
        )),
        purposes: s(purposes),
        legal_basis: Some(basis),
        legal_reference: s(law),
        data_subjects: s(subjects),
        data_categories: s(categories),
        sensitive_data: sensitive,
        offence_data: false,
        personal_numbers: true,
        recipients: s("Andra myndigheter enligt lag; systemleverantören som personuppgiftsbiträde"),
        processors: s("Systemleverantören (drift och support)"),
        transfers: vec![],
        retention: s("Enligt nämndens informationshanteringsplan"),
        security_measures: s(
            "Behörighetsstyrning efter roll, loggning och logguppföljning, kryptering vid överföring",
        ),
        dpia_required: Some(sensitive),
        dpia_reason: s(if sensitive {
            "Känsliga personuppgifter i stor omfattning"
        } else {
            "Inga känsliga uppgifter; ingen ny teknik"
        }),
        dpia_date: None,
        dpia_result: None,
        dpia_next_review: None,
        processor_agreement_ids: agreements
            .iter()
            .filter(|a| a.systems.iter().any(|s| system_ids.contains(&s.id)))
            .map(|a| a.id)
            .collect(),
        system_ids,
        information_set_ids: vec![],
    };
    if sensitive {
        d.dpia_date = chrono::NaiveDate::from_ymd_opt(2025, 9, 1);
        d.dpia_result = s("Godtagbar risk efter åtgärder");
        d.dpia_next_review = chrono::NaiveDate::from_ymd_opt(2027, 9, 1);
    }
    d
}
