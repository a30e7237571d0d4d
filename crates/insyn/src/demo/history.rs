//! A register that looks lived in: three years of governance on the demo's
//! systems, written through the store's own methods so the audit trail
//! records each step. Most systems have a systemansvarig, classified
//! information (KLASSA levels varied), a förvaltningsplan and controls done
//! in past months of this year and the last; some have an approved security
//! plan and a signed driftgodkännande, a few an approval to renew (classified
//! again since); some controls are overdue and some systems have nothing yet,
//! so the charts show neither 0 % nor 100 %.
//!
//! What only years of use give a register — systems entered years ago,
//! annual reviews signed in past months, classifications decided long ago
//! whose validity has run out — is set afterwards through the store's
//! `demo_backdate_*` methods (audited as the demo's own), never by weakening
//! what a user may enter.
//!
//! Only the first [`LIVED_IN`] systems by name get a history, so a demo of
//! a hundred thousand systems loads as fast as before; the systems the other
//! demo journeys start from (`skip`) keep their gaps.

use chrono::{Datelike, Months, NaiveDate, Utc};
use insyn_domain::security::{ApprovalDraft, ClassificationDraft, InformationSetDraft, PlanAction};
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::policy::{ControlDraft, DocumentDraft};
use insyn_store::reviews::Answer;
use insyn_store::{Actor, Store};
use std::collections::BTreeMap;

/// How many systems (the first by name) get a history.
pub const LIVED_IN: u32 = 300;

/// The rules of the 2026 baseline (GDPR and the AI Act) the demo adds to
/// Söderköping's guideline, so the dashboard shows their gaps too.
const BASELINE_RULES: &[&str] = &[
    "processor-agreement",
    "processing-record",
    "dpia-sensitive",
    "dpia-confidential",
    "fria",
];

/// Söderköping's guideline with the 2026 baseline's GDPR and AI Act rules,
/// saved as the organisation's next profile version.
pub async fn demo_profile(store: &Store, org: OrgId, actor: &Actor) -> Result<()> {
    let current = store.active_profile(org).await?;
    let mut profile = current.profile.clone();
    let codes: Vec<&str> = DEFAULT_ROLE_TYPES.iter().map(|r| r.0).collect();
    let Some(baseline) = insyn_domain::policy::shipped("baseline-2026", &codes) else {
        return Ok(());
    };
    profile.artefacts.extend(
        baseline
            .artefacts
            .into_iter()
            .filter(|a| BASELINE_RULES.contains(&a.id.as_str())),
    );
    store
        .save_profile(
            actor,
            org,
            &profile.to_toml(),
            Some("Söderköpings riktlinje med 2026 års grundnivå för GDPR och AI-förordningen"),
        )
        .await?;
    Ok(())
}

/// `today` less `months` months.
fn ago(today: NaiveDate, months: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months))
        .unwrap_or(today)
}

/// Writes the history of the first [`LIVED_IN`] systems but those in `skip`.
pub async fn demo_history(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    skip: &[SystemId],
    owner_email: Option<&str>,
) -> Result<()> {
    let today = Utc::now().date_naive();
    let coordinator = Actor::new("sakerhet@exempelstad.se");
    let it = Actor::new("it-chef@exempelstad.se");
    let owner = Actor::new("systemagare@exempelstad.se");
    let people = store
        .list_people(org, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    // The systems the demo owner holds a role on: their information is not
    // personal data, so the owner's landing page stays a handful of tasks.
    let mine: Vec<SystemId> = match people
        .iter()
        .find(|p| p.email.is_some() && p.email.as_deref() == owner_email)
    {
        Some(p) => {
            let filter = SystemFilter {
                holder_id: Some(p.id),
                ..Default::default()
            };
            let page = PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE));
            store
                .list_systems(org, &filter, Default::default(), false, page)
                .await?
                .items
                .iter()
                .map(|r| r.id)
                .collect()
        }
        None => vec![],
    };
    let people = people
        .into_iter()
        // The demo owner's tasks are those of an owner: a handful.
        .filter(|p| p.active && p.email.as_deref() != owner_email)
        .collect::<Vec<_>>();
    let roles: BTreeMap<String, RoleTypeId> = store
        .list_role_types(org)
        .await?
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect();
    let mut entered = vec![];
    for (i, &system) in systems.iter().enumerate() {
        if skip.contains(&system) {
            continue;
        }
        entered.push((system, entered_on(i, today)));
        // Seven in eight have a systemansvarig, appointed up to three years ago.
        if i % 8 != 7
            && let (Some(rt), false) = (roles.get("system_responsible"), people.is_empty())
        {
            let person = &people[(i * 13 + 5) % people.len()];
            store
                .assign_role(
                    &coordinator,
                    org,
                    AssignmentDraft {
                        role_type_id: *rt,
                        person_id: person.id,
                        system_id: Some(system),
                        unit_id: None,
                        start_date: ago(today, (i % 36) as u32 + 1),
                        end_date: None,
                        note: None,
                    },
                )
                .await?;
        }
        // Five in six classified (every set), levels varied.
        let personal = i.is_multiple_of(6) && !mine.contains(&system);
        if i % 6 != 5 {
            classify_all(store, &coordinator, org, system, i, personal).await?;
            // One in twelve was classified years ago for three years: expired.
            if i % 12 == 2 {
                expire_classifications(store, org, system, i, today).await?;
            }
        }
        // Three in four have a förvaltningsplan.
        if i % 4 != 3 {
            store
                .record_document(
                    &coordinator,
                    org,
                    system,
                    DocumentDraft {
                        kind: "management_plan".into(),
                        title: format!("Förvaltningsplan {}", today.year() - (i % 3) as i32),
                        reference: None,
                        dated: ago(today, (i % 30) as u32 + 1),
                    },
                )
                .await?;
        }
        controls(store, &coordinator, org, system, i, today).await?;
        // One in three has an approved plan and a signed driftgodkännande;
        // of those, one in four has been classified again since: to renew.
        if i % 6 != 5 && i.is_multiple_of(3) {
            plan_and_approval(store, &coordinator, &owner, &it, org, system).await?;
            if i.is_multiple_of(12) {
                classify_all(store, &coordinator, org, system, i + 1, personal).await?;
            }
        }
        // Most signed their annual review in the past year, a few of them
        // nearly a year ago (due again soon); the rest are overdue.
        if let Some(signed) = review_signed(i, today) {
            annual_review(store, &owner, org, system, signed).await?;
        }
    }
    store.demo_backdate_systems(org, &entered).await?;
    Ok(())
}

/// When the `i`th system entered the register: between one and four years ago.
fn entered_on(i: usize, today: NaiveDate) -> NaiveDate {
    ago(today, 13 + (i * 7 % 36) as u32) - chrono::Days::new((i % 28) as u64)
}

/// When the `i`th system's last annual review was signed, if it was: six in
/// ten within the past eleven months, one in ten eleven months and a few
/// days ago (due again within the month), three in ten never (overdue).
fn review_signed(i: usize, today: NaiveDate) -> Option<NaiveDate> {
    match i % 10 {
        0..=5 => Some(ago(today, (i * 5 % 11) as u32) - chrono::Days::new((i % 9) as u64)),
        6 => Some(ago(today, 11) - chrono::Days::new(3 + (i % 20) as u64)),
        _ => None,
    }
    .map(|d| d.min(today))
}

/// Moves the system's classifications back three years and a half, valid
/// for three: their validity ran out half a year ago.
async fn expire_classifications(
    store: &Store,
    org: OrgId,
    system: SystemId,
    i: usize,
    today: NaiveDate,
) -> Result<()> {
    let decided = ago(today, 42 + (i % 5) as u32);
    let until = ago(today, 6 + (i % 5) as u32);
    for set in store.information_sets(org, system).await? {
        if let Some(c) = set.current {
            store
                .demo_backdate_classification(org, set.id, c.id, decided, until)
                .await?;
        }
    }
    Ok(())
}

/// Classifies every information set of the system (creating one, of
/// personal data or not, if it has none); `i` varies the levels.
async fn classify_all(
    store: &Store,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    i: usize,
    personal: bool,
) -> Result<()> {
    let mut sets = store.information_sets(org, system).await?;
    if sets.is_empty() {
        sets.push(
            store
                .create_information_set(
                    actor,
                    org,
                    system,
                    InformationSetDraft {
                        name: if personal {
                            "Uppgifter om invånare".into()
                        } else {
                            "Verksamhetsinformation".into()
                        },
                        description: None,
                        personal_data: personal,
                        sensitive_personal_data: personal && i.is_multiple_of(12),
                    },
                )
                .await?,
        );
    }
    let level = |k: usize| (1 + (i * k + k) % 4) as i16;
    for set in sets {
        store
            .classify(
                actor,
                org,
                system,
                set.id,
                ClassificationDraft {
                    confidentiality: level(7),
                    integrity: level(3),
                    availability: level(5),
                    traceability: None,
                    justification: "Klassad enligt KLASSA tillsammans med verksamheten.".into(),
                    valid_until: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// The access and log reviews: most done in a month of this year (due in
/// the same month next year), one in six done a year ago less a few days
/// (due this month), one in six more than a year ago (overdue), one in nine
/// never.
async fn controls(
    store: &Store,
    actor: &Actor,
    org: OrgId,
    system: SystemId,
    i: usize,
    today: NaiveDate,
) -> Result<()> {
    if i % 9 == 4 {
        return Ok(());
    }
    let when = |k: usize, late: usize, soon: usize| {
        if i % 6 == late {
            ago(today, 14)
        } else if i % 6 == soon {
            ago(today, 12) + chrono::Days::new(3 + (i % 20) as u64)
        } else {
            ago(today, (i * k) as u32 % today.month())
        }
    };
    let done = [
        ("access_review", when(1, 2, 0)),
        ("log_review", when(5, 3, 1)),
    ];
    // The same controls a year earlier, so last year's årshjul shows them done.
    let before = done.map(|(c, d)| (c, ago(d, 12)));
    for (control, performed_on) in before.into_iter().chain(done) {
        store
            .record_control(
                actor,
                org,
                Some(system),
                ControlDraft {
                    control: control.into(),
                    performed_on,
                    result: if i.is_multiple_of(5) { "remarks" } else { "ok" }.into(),
                    note: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// A security plan written, submitted and approved by the owner, and the
/// driftgodkännande signed by the owner and by IT.
async fn plan_and_approval(
    store: &Store,
    coordinator: &Actor,
    owner: &Actor,
    it: &Actor,
    org: OrgId,
    system: SystemId,
) -> Result<()> {
    let plan = store.new_plan_version(coordinator, org, system).await?;
    let sections = insyn_domain::security::PLAN_SECTIONS
        .iter()
        .map(|s| (s.to_string(), "Beskrivet i förvaltningsplanen.".to_owned()))
        .collect();
    store
        .edit_plan(coordinator, org, system, plan.id, sections)
        .await?;
    store
        .move_plan(coordinator, org, system, plan.id, PlanAction::Submit)
        .await?;
    store
        .move_plan(owner, org, system, plan.id, PlanAction::Approve)
        .await?;
    let approval = store
        .create_approval(
            coordinator,
            org,
            system,
            ApprovalDraft {
                baseline: "Grundskyddet enligt KLASSA är infört.".into(),
                measures: vec![],
            },
        )
        .await?;
    store
        .sign_approval(owner, org, system, approval.id, true)
        .await?;
    store
        .sign_approval(it, org, system, approval.id, false)
        .await?;
    Ok(())
}

/// The annual review for `signed`'s year, every item answered yes, signed
/// (then moved back to `signed`).
async fn annual_review(
    store: &Store,
    owner: &Actor,
    org: OrgId,
    system: SystemId,
    signed: NaiveDate,
) -> Result<()> {
    let review = store
        .start_review(owner, org, system, &signed.year().to_string())
        .await?;
    let answers = review
        .items
        .iter()
        .map(|i| Answer {
            item: i.id.clone(),
            answer: Some("yes".into()),
            comment: None,
        })
        .collect();
    store.answer_review(owner, org, review.id, answers).await?;
    store.sign_review(owner, org, review.id).await?;
    store
        .demo_backdate_annual_review(org, review.id, signed)
        .await?;
    Ok(())
}
