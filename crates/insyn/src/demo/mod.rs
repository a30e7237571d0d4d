//! The demo municipality: its data, its sign-ins and the policy it follows.

use crate::explain;
use anyhow::{Context, Result};
use insyn_domain::{AppRole, Grant};
use insyn_store::{Actor, Store};
use std::time::Instant;

mod access;
mod benefit;
mod continuity;
mod decommission;
mod eservices;
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
        "sakerhet@exempelstad.se",
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
    let data = insyn_domain::demo::generate_national(systems, orgs);
    let kommun = data.orgs[0].id;
    // The further municipalities follow the same policy, so that their tasks
    // and compliance have something to show.
    let others: Vec<_> = data.orgs.iter().skip(2).map(|o| o.id).collect();
    store
        .load_demo(data)
        .await
        .context("could not load the demo data")?;
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
    history::demo_profile(store, kommun, &Actor::new("sakerhet@exempelstad.se"))
        .await
        .map_err(explain)?;
    // The systems the other demo journeys start from keep their gaps.
    let mut touched = vec![];
    continuity::demo_continuity(store, kommun, &Actor::new("it-chef@exempelstad.se"))
        .await
        .map_err(explain)?;
    outage_plans::demo_outage_plans(store, kommun, &Actor::new("redaktor@exempelstad.se"))
        .await
        .map_err(explain)?;
    if let Some((_, name, treserva)) = &owner {
        let mut systems = vec![*treserva];
        systems.extend(
            first_systems(store, kommun, 3)
                .await?
                .into_iter()
                .filter(|s| s != treserva)
                .take(2),
        );
        access::demo_access(store, kommun, &systems, &Actor::new(name))
            .await
            .map_err(explain)?;
        incidents::demo_incidents(
            store,
            kommun,
            &systems,
            &Actor::new("sakerhet@exempelstad.se"),
        )
        .await
        .map_err(explain)?;
        integrations::demo_integrations(store, kommun, *treserva, &Actor::new("insyn demo"))
            .await
            .map_err(explain)?;
        // Record types on three systems after the access demo's, and the
        // fourth half-way through its decommissioning.
        let later: Vec<_> = first_systems(store, kommun, 8)
            .await?
            .into_iter()
            .filter(|s| !systems.contains(s))
            .take(4)
            .collect();
        decommission::demo_decommission(store, kommun, &later, *treserva, &Actor::new(name))
            .await
            .map_err(explain)?;
        benefit::demo_benefit(store, kommun, &systems, name, &Actor::new(name))
            .await
            .map_err(explain)?;
        licences::demo_licences(store, kommun, &systems, &Actor::new(name))
            .await
            .map_err(explain)?;
        let supplied: Vec<_> = first_systems(store, kommun, 12)
            .await?
            .into_iter()
            .filter(|s| !systems.contains(s) && !later.contains(s))
            .take(2)
            .collect();
        processors::demo_processors(
            store,
            kommun,
            *treserva,
            &supplied,
            &Actor::new("insyn demo"),
        )
        .await
        .map_err(explain)?;
        services::demo_services(store, kommun, &later, &Actor::new("it-chef@exempelstad.se"))
            .await
            .map_err(explain)?;
        touched.extend(systems.iter().chain(&later).chain(&supplied).copied());
    }
    processing::demo_processing(store, kommun, &Actor::new("dataskydd@exempelstad.se"))
        .await
        .map_err(explain)?;
    regulatory::demo_regulatory(store, kommun, &Actor::new("sakerhet@exempelstad.se"))
        .await
        .map_err(explain)?;
    eservices::demo_eservices(store, kommun, &Actor::new("insyn demo"))
        .await
        .map_err(explain)?;
    let lived_in = first_systems(store, kommun, history::LIVED_IN).await?;
    let owner_email = owner.as_ref().map(|(email, _, _)| email.as_str());
    history::demo_history(store, kommun, &lived_in, &touched, owner_email)
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
                email: Some("sakerhet@exempelstad.se".into()),
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
                    start_date: chrono::Utc::now().date_naive(),
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
    let page = insyn_domain::PageRequest {
        page: 1,
        per_page: n,
    };
    let found = store
        .list_systems(org, &Default::default(), Default::default(), false, page)
        .await?;
    Ok(found.items.iter().map(|s| s.id).collect())
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
