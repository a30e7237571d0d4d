//! E-services in the demo (R-SVC-3): four at different steps on
//! Utvecklingstrappan, three published in the public register; "Felanmälan
//! gata och park" has an accessibility statement last reviewed more than a
//! year ago, and the preschool application none at all, so the list has
//! findings to show.

use chrono::{Months, NaiveDate, Utc};
use insyn_domain::eservice::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// (name, description, step, unit, systems, target groups, statement made
/// months ago, status, criteria met, published)
type Demo = (
    &'static str,
    &'static str,
    EServiceStep,
    &'static str,
    &'static [&'static str],
    &'static [EServiceTargetGroup],
    Option<u32>,
    Option<EServiceAccessibility>,
    usize,
    bool,
);

use EServiceTargetGroup::*;

const ESERVICES: &[Demo] = &[
    (
        "Ansökan om bygglov",
        "Ansök om bygglov, marklov eller rivningslov och följ ärendet digitalt.",
        EServiceStep::Transaction,
        "Bygglov",
        &["ByggR"],
        &[Citizens, Businesses],
        Some(3),
        Some(EServiceAccessibility::PartiallyCompliant),
        5,
        true,
    ),
    (
        "Felanmälan gata och park",
        "Anmäl fel på gator, belysning, lekplatser och parker med en karta.",
        EServiceStep::Interaction,
        "Gata och park",
        &["Geosecma"],
        &[Citizens, Associations],
        Some(20),
        Some(EServiceAccessibility::FullyCompliant),
        3,
        true,
    ),
    (
        "Bokning av lokaler",
        "Boka idrottshallar och samlingslokaler.",
        EServiceStep::Transaction,
        "Kommunstyrelsen",
        &["Interbook Go"],
        &[Associations, Citizens],
        Some(8),
        Some(EServiceAccessibility::FullyCompliant),
        5,
        true,
    ),
    (
        "Ansökan om förskoleplats",
        "Ansök om plats i förskola; uppgifterna hämtas från folkbokföringen.",
        EServiceStep::Integration,
        "Förskola",
        &["Tempus"],
        &[Parents],
        None,
        None,
        0,
        false,
    ),
];

pub async fn demo_eservices(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let today = Utc::now().date_naive();
    let ago = |m| today.checked_sub_months(Months::new(m)).unwrap_or(today);
    let units = store.list_units(org).await?;
    for &(name, description, step, unit, systems, groups, made, status, met, published) in ESERVICES
    {
        let mut system_ids = vec![];
        for s in systems {
            system_ids.extend(store.system_named(org, s).await?);
        }
        let statement_date: Option<NaiveDate> = made.map(ago);
        let criteria = EServiceCriterionKind::ALL
            .iter()
            .take(met)
            .map(|c| EServiceCriterion {
                criterion: *c,
                verdict: EServiceVerdict::Met,
                note: None,
            })
            .collect();
        let d = EServiceDraft {
            description: Some(description.into()),
            url: Some(format!(
                "https://www.exempelstad.se/e-tjanster/{}",
                name.to_lowercase()
                    .replace(['å', 'ä'], "a")
                    .replace('ö', "o")
                    .replace(' ', "-")
            )),
            unit_id: units.iter().find(|u| u.name == unit).map(|u| u.id),
            owner: Some(format!("Tjänsteägare, {unit}")),
            target_groups: groups.to_vec(),
            goal_areas: vec![EServiceGoalArea::EService],
            system_ids,
            statement_url: made.map(|_| "https://www.exempelstad.se/tillganglighet".into()),
            statement_date,
            accessibility_status: status,
            criteria,
            published,
            ..EServiceDraft::new(name, step)
        };
        store.create_eservice(actor, org, d, today).await?;
    }
    Ok(())
}
