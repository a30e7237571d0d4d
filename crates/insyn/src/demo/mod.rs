//! The demo municipality: its data, its sign-ins and the policy it follows.

use crate::explain;
use anyhow::{Context, Result};
use insyn_domain::{AppRole, Grant};
use insyn_store::{Actor, Store, demo_dated};
use std::time::Instant;

mod access;
mod benefit;
mod continuity;
mod decommission;
mod eservices;
mod flagship;
mod history;
mod incidents;
mod integrations;
mod licences;
mod outage_plans;
mod processing;
mod processors;
mod regulatory;
mod services;

/// The demo's sign-ins, one per application role, and a system owner who
/// has no application role beyond reading but may edit the systems they own.
/// (e-mail, name, role, password)
pub const DEMO_LOGINS: &[(&str, &str, AppRole, &str)] = &[
    (
        "admin@exempelstad.se",
        "Ada Administratör",
        AppRole::Administrator,
        "demo-administrator",
    ),
    (
        insyn_domain::demo::DEMO_COORDINATOR,
        "Sara Säkerhet",
        AppRole::SecurityCoordinator,
        "demo-sakerhetssamordnare",
    ),
    (
        "redaktor@exempelstad.se",
        "Rolf Redaktör",
        AppRole::Editor,
        "demo-redaktor-2026",
    ),
    (
        "revisor@exempelstad.se",
        "Rut Revisor",
        AppRole::Reader,
        "demo-revisor-2026",
    ),
];

/// The demo system owner's password (their e-mail is that of Treserva's owner).
pub const DEMO_OWNER_PASSWORD: &str = "demo-systemagare";

/// Loads the demo municipality when the database is empty.
pub async fn load_demo(store: &Store, systems: usize) -> Result<()> {
    load_demo_orgs(store, systems, 1).await
}

/// [`load_demo`] with `orgs` - 1 further municipalities of as many systems
/// (the national shape of issue 22: `orgs` 290, `systems` 500).
pub async fn load_demo_orgs(store: &Store, systems: usize, orgs: usize) -> Result<()> {
    if !store.is_empty().await? {
        tracing::info!("the database already has data; the demo is not loaded again");
        print_demo_logins(store).await;
        return Ok(());
    }
    let started = Instant::now();
    // The municipality began to use insyn years ago: its organisation,
    // policy and sign-ins date from then, its systems' history follows day
    // by day, and the other journeys are of today, so the audit trail is
    // written in the order of its days.
    let now = chrono::Utc::now();
    let began = history::began(now.date_naive());
    let data = insyn_domain::demo::generate_national(systems, orgs);
    let kommun = data.orgs[0].id;
    // The further municipalities follow the same policy, so that their tasks
    // and compliance have something to show.
    let others: Vec<_> = data.orgs.iter().skip(2).map(|o| o.id).collect();
    let owner = demo_dated(began, begin(store, data, kommun, others))
        .await
        .context("could not load the demo data")?;
    // The systems the other demo journeys start from keep their gaps: the
    // access demo's (two besides Treserva, which is kept as the owner's
    // flagship), record types on three systems
    // after those and the fourth half-way through its decommissioning, and
    // the processor agreements' two.
    let mut systems_of_access = vec![];
    let mut later = vec![];
    let mut supplied = vec![];
    if let Some((_, _, treserva)) = &owner {
        systems_of_access.push(*treserva);
        systems_of_access.extend(
            first_systems(store, kommun, 3)
                .await?
                .into_iter()
                .filter(|s| s != treserva)
                .take(2),
        );
        later = first_systems(store, kommun, 8)
            .await?
            .into_iter()
            .filter(|s| !systems_of_access.contains(s))
            .take(4)
            .collect();
        supplied = first_systems(store, kommun, 12)
            .await?
            .into_iter()
            .filter(|s| !systems_of_access.contains(s) && !later.contains(s))
            .take(2)
            .collect();
    }
    let flagship = owner.as_ref().map(|(_, _, treserva)| *treserva);
    let touched: Vec<_> = systems_of_access
        .iter()
        .filter(|s| Some(**s) != flagship)
        .chain(&later)
        .chain(&supplied)
        .copied()
        .collect();
    let lived_in = first_rows(store, kommun, history::LIVED_IN).await?;
    let owner_email = owner.as_ref().map(|(email, _, _)| email.as_str());
    let mut history = history::demo_history(
        store,
        kommun,
        &lived_in,
        &touched,
        flagship,
        owner_email,
        now,
    )
    .await
    .map_err(explain)?;
    let recorded = history.recorded.clone();
    // The other journeys happened in the past two weeks, each on its day
    // (a morning `days` ago) between the history's steps, so the audit
    // trail stays in time order and its first page is not all of today.
    let day = |days: i64| {
        let d = (now - chrono::Duration::days(days)).date_naive();
        d.and_hms_opt(9, 30, 0).unwrap_or_default().and_utc()
    };
    macro_rules! journey {
        ($at:expr, $f:expr) => {{
            let at = $at;
            history.until(at).await.map_err(explain)?;
            demo_dated(at, $f).await.map_err(explain)?;
        }};
    }
    let it = Actor::new("it-chef@exempelstad.se");
    let coordinator = Actor::new(insyn_domain::demo::DEMO_COORDINATOR);
    let demo = Actor::new("insyn demo");
    journey!(day(13), continuity::demo_continuity(store, kommun, &it));
    let editor = Actor::new("redaktor@exempelstad.se");
    journey!(
        day(12),
        outage_plans::demo_outage_plans(store, kommun, &editor)
    );
    if let Some((_, name, treserva)) = &owner {
        let systems = &systems_of_access;
        let by_owner = Actor::new(name);
        journey!(
            day(10),
            access::demo_access(store, kommun, systems, &by_owner)
        );
        journey!(
            day(9),
            integrations::demo_integrations(store, kommun, *treserva, &demo)
        );
        journey!(
            day(8),
            flagship::demo_flagship(store, kommun, *treserva, &coordinator)
        );
        journey!(
            day(7),
            decommission::demo_decommission(store, kommun, &later, *treserva, &by_owner)
        );
        journey!(
            day(6),
            benefit::demo_benefit(store, kommun, systems, name, &by_owner)
        );
        journey!(
            day(5),
            licences::demo_licences(store, kommun, systems, &by_owner)
        );
        journey!(
            day(4),
            processors::demo_processors(store, kommun, *treserva, &supplied, &demo)
        );
        journey!(
            day(4) + chrono::Duration::hours(2),
            processors::demo_kept_agreements(store, kommun, &recorded, &demo)
        );
        journey!(day(3), services::demo_services(store, kommun, &later, &it));
    }
    let dpo = Actor::new("dataskydd@exempelstad.se");
    journey!(day(2), processing::demo_processing(store, kommun, &dpo));
    journey!(
        day(2) + chrono::Duration::hours(2),
        processing::demo_kept_records(store, kommun, &recorded, &dpo)
    );
    journey!(
        day(1),
        regulatory::demo_regulatory(store, kommun, &coordinator)
    );
    journey!(
        day(1) + chrono::Duration::hours(3),
        eservices::demo_eservices(store, kommun, &demo)
    );
    // The incidents are of the past days, handled yesterday after the
    // latest became known (30 hours ago); their clocks run on today.
    if let Some(systems) = owner.as_ref().map(|_| &systems_of_access) {
        let handled = (now - chrono::Duration::hours(25))
            .max(day(1) + chrono::Duration::hours(3) + chrono::Duration::minutes(1));
        journey!(
            handled,
            incidents::demo_incidents(store, kommun, systems, &coordinator)
        );
    }
    history.finish().await.map_err(explain)?;
    let lived_in: Vec<_> = lived_in.iter().map(|s| s.id).collect();
    history::demo_rest(store, kommun, &lived_in, owner_email)
        .await
        .map_err(explain)?;
    print_demo_logins(store).await;
    tracing::info!(
        systems,
        orgs,
        seconds = started.elapsed().as_secs_f64(),
        "demo municipality loaded"
    );
    Ok(())
}

/// What the demo municipality began with, years ago: its data, sign-ins
/// and policy. Returns the demo owner (e-mail, name, Treserva).
async fn begin(
    store: &Store,
    data: insyn_domain::demo::DemoData,
    kommun: insyn_domain::OrgId,
    others: Vec<insyn_domain::OrgId>,
) -> Result<Option<(String, String, insyn_domain::SystemId)>> {
    store.load_demo(data).await?;
    let actor = Actor::new("insyn demo");
    for (email, name, role, password) in DEMO_LOGINS {
        let org_id = (*role != AppRole::Administrator).then_some(kommun);
        store
            .create_user(
                &actor,
                email,
                name,
                Some(password),
                &[Grant {
                    org_id,
                    role: *role,
                }],
            )
            .await
            .map_err(explain)?;
    }
    let owner = demo_owner(store, kommun).await?;
    if let Some((email, name, _)) = &owner {
        store
            .create_user(
                &actor,
                email,
                name,
                Some(DEMO_OWNER_PASSWORD),
                &[Grant {
                    org_id: Some(kommun),
                    role: AppRole::Reader,
                }],
            )
            .await
            .map_err(explain)?;
    }
    demo_policy(store, kommun).await.map_err(explain)?;
    for org in others {
        store
            .adopt_profile(&actor, org, "soderkoping")
            .await
            .map_err(explain)?;
    }
    history::demo_profile(
        store,
        kommun,
        &Actor::new(insyn_domain::demo::DEMO_COORDINATOR),
    )
    .await
    .map_err(explain)?;
    Ok(owner)
}

/// The demo follows Söderköping's guideline (Treserva is its example), and
/// the demo security coordinator holds that role, so that "Mina uppgifter"
/// and the compliance dashboard have something to show.
async fn demo_policy(store: &Store, org: insyn_domain::OrgId) -> insyn_store::db::Result<()> {
    let actor = Actor::new("insyn demo");
    store.adopt_profile(&actor, org, "soderkoping").await?;
    let Some(top) = store
        .list_units(org)
        .await?
        .into_iter()
        .find(|u| u.parent_id.is_none())
    else {
        return Ok(());
    };
    let sara = store
        .create_person(
            &actor,
            org,
            insyn_domain::PersonDraft {
                name: "Sara Säkerhet".into(),
                email: Some(insyn_domain::demo::DEMO_COORDINATOR.into()),
                title: Some("IT-säkerhetssamordnare".into()),
                unit_id: Some(top.id),
                active: true,
            },
        )
        .await?;
    let coordinator = store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == insyn_domain::policy::COORDINATOR);
    if let Some(rt) = coordinator {
        store
            .assign_role(
                &actor,
                org,
                insyn_domain::AssignmentDraft {
                    role_type_id: rt.id,
                    person_id: sara.id,
                    system_id: None,
                    unit_id: Some(top.id),
                    // Since the municipality began to use insyn.
                    start_date: insyn_store::db::now().date_naive(),
                    end_date: None,
                    note: None,
                },
            )
            .await?;
    }
    Ok(())
}

/// The first `n` systems of the register, by name.
async fn first_systems(
    store: &Store,
    org: insyn_domain::OrgId,
    n: u32,
) -> Result<Vec<insyn_domain::SystemId>> {
    Ok(first_rows(store, org, n)
        .await?
        .iter()
        .map(|s| s.id)
        .collect())
}

/// The first `n` systems of the register, by name, as listed.
async fn first_rows(
    store: &Store,
    org: insyn_domain::OrgId,
    n: u32,
) -> Result<Vec<insyn_store::SystemRow>> {
    let page = insyn_domain::PageRequest {
        page: 1,
        per_page: n,
    };
    let found = store
        .list_systems(org, &Default::default(), Default::default(), false, page)
        .await?;
    Ok(found.items)
}

/// The person who owns Treserva in the demo (e-mail, name, and Treserva):
/// a system owner with no application role beyond reading.
async fn demo_owner(
    store: &Store,
    org: insyn_domain::OrgId,
) -> Result<Option<(String, String, insyn_domain::SystemId)>> {
    let filter = insyn_domain::SystemFilter {
        q: Some("Treserva".into()),
        ..Default::default()
    };
    let page = store
        .list_systems(org, &filter, Default::default(), false, Default::default())
        .await?;
    let Some(owner) = page.items.first().and_then(|s| s.owners.first()) else {
        return Ok(None);
    };
    let p = store.get_person(org, owner.0).await?;
    let treserva = page.items[0].id;
    Ok(p.email.map(|e| (e, p.name, treserva)))
}

async fn print_demo_logins(store: &Store) {
    println!("demo logins (e-mail / password):");
    for (email, _, role, password) in DEMO_LOGINS {
        if store.user_by_email(email).await.is_ok() {
            println!("  {:<22} {email} / {password}", role.as_str());
        }
    }
    if let Ok(Some(owner)) = store.list_users().await.map(|u| {
        u.into_iter()
            .find(|u| !DEMO_LOGINS.iter().any(|d| d.0 == u.email))
    }) {
        println!(
            "  {:<22} {} / {DEMO_OWNER_PASSWORD} (system owner of Treserva; may edit it)",
            "system owner", owner.email
        );
    }
}
