//! Access management in the demo: behörighetsprofiler on a few systems,
//! holders who came in through carried-out orders, orders still open at
//! each step, an access review past its deadline, a leaver whose
//! holdings wait to be removed, and a mover whose holding and role wait
//! (a removal order, a role handover) — so that the
//! access pages and "Mina uppgifter" have something to show on first start.

use chrono::{Duration, Utc};
use insyn_domain::access::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

/// A demo profile: (name, what it grants, personal data, secret
/// information, most holders, reason required).
type ProfileRow = (&'static str, &'static str, bool, bool, Option<i64>, bool);

const PROFILES: &[ProfileRow] = &[
    (
        "Handläggare",
        "Läsa och registrera ärenden i den egna verksamheten",
        true,
        false,
        None,
        true,
    ),
    (
        "Läsbehörighet",
        "Läsa ärenden och akter, inte ändra",
        true,
        false,
        None,
        false,
    ),
    (
        "Systemadministratör",
        "Användare, behörigheter och inställningar",
        true,
        true,
        Some(3),
        true,
    ),
];

/// What became of each demo order on the first system: the steps taken.
const CARRIED_OUT: &[OrderStep] = &[OrderStep::Approve, OrderStep::CarryOut];

/// Puts access profiles, holdings, open orders and one leaver into the
/// demo's first systems. `owner` decides (the demo system owner of
/// Treserva), `executor` carries out.
pub async fn demo_access(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    owner: &Actor,
) -> Result<()> {
    let defaults = store.active_profile(org).await?.profile.access_parties();
    let people = store
        .list_people(
            org,
            None,
            PageRequest {
                page: 1,
                per_page: 40,
            },
        )
        .await?
        .items;
    // People who sign in to the demo keep their place: nobody of them leaves.
    let users: Vec<String> = store
        .list_users()
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    let people: Vec<_> = people
        .into_iter()
        .filter(|p| p.active && !p.email.as_ref().is_some_and(|e| users.contains(e)))
        .collect();
    if people.len() < 12 {
        return Ok(());
    }
    let chef = Actor::new(&people[0].name);
    let executor = Actor::new("Rolf Redaktör");
    let start = Utc::now().date_naive() - Duration::days(200);
    let mut leaver_holds = false;
    for (n, &system) in systems.iter().enumerate() {
        let mut profiles = Vec::new();
        for &(name, grants, personal_data, secret_info, max_holders, reason_required) in PROFILES {
            let draft = AccessProfileDraft {
                name: name.into(),
                grants: Some(grants.into()),
                personal_data,
                secret_info,
                max_holders,
                reason_required,
                orderer: None,
                decider: None,
                executor: None,
            };
            profiles.push(
                store
                    .create_access_profile(owner, org, system, draft, &defaults)
                    .await?,
            );
        }
        // Holders: each person of a slice of the register holds one profile.
        for (i, person) in people.iter().enumerate().skip(1 + n * 3).take(8) {
            let profile = &profiles[if i % 4 == 0 { 1 } else { 0 }];
            let order = AccessOrderDraft {
                kind: OrderKind::Grant,
                person_id: Some(person.id),
                new_person: None,
                profile_ids: vec![profile.id],
                reason: Some("Arbetar med ärenden i verksamheten".into()),
                start_date: start,
                end_date: None,
                ticket: Some(format!("IT-{}", 4100 + n * 20 + i)),
            };
            let placed = store.order_access(&chef, org, system, order).await?;
            for o in &placed {
                take_all(store, org, o.id, CARRIED_OUT, owner, &executor).await?;
            }
            leaver_holds |= i == 9;
        }
        if n == 0 {
            open_orders(store, org, system, &profiles, &people, &chef, owner).await?;
        }
    }
    // The second system's access review was due two weeks ago and is not
    // signed: an overdue review, with its reminders and escalation.
    if let Some(&system) = systems.get(1) {
        let draft = insyn_store::access::AccessReviewDraft {
            scope: ReviewScope::System,
            system_id: Some(system),
            unit_id: None,
            reviewer_id: None,
            deadline: None,
        };
        let review = store.open_access_review(owner, org, draft).await?;
        store
            .demo_backdate_review(org, review.review.id, 45, 14)
            .await?;
    }
    mover(store, org, systems, &people[5], owner).await?;
    if leaver_holds {
        // Someone who held access has left: their removal orders wait.
        let p = &people[9];
        store
            .update_person(
                &Actor::new("HR-import"),
                org,
                p.id,
                PersonDraft {
                    name: p.name.clone(),
                    email: p.email.clone(),
                    title: p.title.clone(),
                    unit_id: p.unit_id,
                    active: false,
                },
            )
            .await?;
    }
    Ok(())
}

/// Someone with a holding on the first system who is also its
/// systemförvaltare moves to another unit: the removal order of the
/// holding and the handover of the role wait (the old unit has no manager
/// in the demo, so the IT-säkerhetssamordnare is asked).
async fn mover(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    p: &insyn_domain::Person,
    owner: &Actor,
) -> Result<()> {
    let (Some(&system), Some(from)) = (systems.first(), p.unit_id) else {
        return Ok(());
    };
    let units = store.list_units(org).await?;
    let Some(to) = units.iter().find(|u| u.id != from && !u.archived) else {
        return Ok(());
    };
    let types = store.list_role_types(org).await?;
    if let Some(role) = types.iter().find(|t| t.code == "system_manager") {
        let draft = AssignmentDraft {
            role_type_id: role.id,
            person_id: p.id,
            system_id: Some(system),
            unit_id: None,
            start_date: Utc::now().date_naive() - Duration::days(400),
            end_date: None,
            note: Some("Biträdande systemförvaltare".into()),
        };
        store.assign_role(owner, org, draft).await?;
    }
    let draft = PersonDraft {
        name: p.name.clone(),
        email: p.email.clone(),
        title: p.title.clone(),
        unit_id: Some(to.id),
        active: true,
    };
    store
        .update_person(&Actor::new("HR-import"), org, p.id, draft)
        .await?;
    Ok(())
}

/// Orders on the first system that wait at each step: one to decide, one
/// to carry out, and one rejected with its reason.
async fn open_orders(
    store: &Store,
    org: OrgId,
    system: SystemId,
    profiles: &[AccessProfile],
    people: &[insyn_domain::Person],
    chef: &Actor,
    owner: &Actor,
) -> Result<()> {
    let today = Utc::now().date_naive();
    let waits: [(usize, usize, &[OrderStep], Option<&str>); 3] = [
        (0, 10, &[], Some("Nyanställd handläggare inom hemtjänsten")),
        (
            2,
            11,
            &[OrderStep::Approve],
            Some("Ersätter ordinarie systemadministratör under semestern"),
        ),
        (
            1,
            1,
            &[OrderStep::Reject],
            Some("Behöver läsa akter vid ärendedragning"),
        ),
    ];
    for (profile, person, steps, reason) in waits {
        let order = AccessOrderDraft {
            kind: OrderKind::Grant,
            person_id: Some(people[person].id),
            new_person: None,
            profile_ids: vec![profiles[profile].id],
            reason: reason.map(Into::into),
            start_date: today,
            end_date: (profile == 2).then(|| today + Duration::days(60)),
            ticket: Some(format!("IT-{}", 4900 + person)),
        };
        for o in store.order_access(chef, org, system, order).await? {
            take_all(store, org, o.id, steps, owner, owner).await?;
        }
    }
    Ok(())
}

/// Takes `steps` on an order in turn: decisions by `decider`, the rest by
/// `executor`.
async fn take_all(
    store: &Store,
    org: OrgId,
    id: AccessOrderId,
    steps: &[OrderStep],
    decider: &Actor,
    executor: &Actor,
) -> Result<()> {
    for &step in steps {
        let (by, comment, ticket) = match step {
            OrderStep::Approve => (decider, None, None),
            OrderStep::Reject => (
                decider,
                Some("Läsbehörighet räcker inte som grund; beställ Handläggare i stället".into()),
                None,
            ),
            _ => (
                executor,
                None,
                Some(format!("HD-{}", 20_000 + id.0.as_u128() % 1000)),
            ),
        };
        let draft = OrderStepDraft {
            step,
            comment,
            ticket,
            done_on: None,
        };
        store.order_step(by, org, id, draft).await?;
    }
    Ok(())
}
