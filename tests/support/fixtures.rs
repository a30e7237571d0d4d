//! Test data made through the store: organisations, units, systems, people,
//! role types, and reading lists and the audit trail back.

use chrono::NaiveDate;
use insyn_domain::{
    FieldErrors, OrgDraft, OrgId, OrgKind, Organisation, Page, PageRequest, System, SystemDraft,
    SystemFilter, SystemSort, Unit, UnitDraft, UnitId,
};
use insyn_store::{Actor, Store, StoreError, SystemRow};

/// Who the tests say they are in the audit trail.
pub fn actor() -> Actor {
    Actor::new("test")
}

/// Creates a municipality with the given slug (its name is derived from it).
pub async fn org(store: &Store, slug: &str) -> anyhow::Result<Organisation> {
    Ok(store
        .create_org(
            &actor(),
            OrgDraft {
                slug: slug.to_owned(),
                name: format!("Org {slug}"),
                kind: OrgKind::Municipality,
                parent_id: None,
            },
        )
        .await?)
}

/// The id of a freshly created organisation.
pub async fn org_id(store: &Store, slug: &str) -> anyhow::Result<OrgId> {
    Ok(org(store, slug).await?.id)
}

/// A date that exists.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The field errors of a refused write; panics on anything else.
#[track_caller]
pub fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) -> FieldErrors {
    match r {
        Err(StoreError::Invalid(e)) => e,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// Panics unless the result is `StoreError::NotFound`.
#[track_caller]
pub fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("expected StoreError::NotFound, got {other:?}"),
    }
}

/// Creates a unit (level "Enhet").
pub async fn unit(store: &Store, org: OrgId, parent: Option<UnitId>, name: &str) -> Unit {
    store
        .create_unit(
            &actor(),
            org,
            UnitDraft {
                parent_id: parent,
                name: name.to_owned(),
                level: "Enhet".to_owned(),
                manager_id: None,
            },
        )
        .await
        .expect("unit created")
}

/// Creates a system with only a name.
pub async fn system(store: &Store, org: OrgId, name: &str) -> System {
    store
        .create_system(&actor(), org, SystemDraft::named(name))
        .await
        .expect("system created")
}

/// Every system matching `filter` (up to 500), sorted by name.
pub async fn list(
    store: &Store,
    org: OrgId,
    filter: &SystemFilter,
) -> anyhow::Result<Page<SystemRow>> {
    Ok(store
        .list_systems(
            org,
            filter,
            SystemSort::Name,
            false,
            PageRequest::new(None, Some(PageRequest::MAX_SIZE)),
        )
        .await?)
}

/// The names of every system matching `filter`, sorted by name.
pub async fn names(
    store: &Store,
    org: OrgId,
    filter: &SystemFilter,
) -> anyhow::Result<Vec<String>> {
    Ok(list(store, org, filter)
        .await?
        .items
        .into_iter()
        .map(|r| r.name)
        .collect())
}

/// The names of the register's active systems in the given order (the
/// first page, of the default size).
pub async fn sorted_names(
    store: &Store,
    org: OrgId,
    sort: SystemSort,
    desc: bool,
) -> anyhow::Result<Vec<String>> {
    Ok(store
        .list_systems(
            org,
            &SystemFilter::default(),
            sort,
            desc,
            PageRequest::default(),
        )
        .await?
        .items
        .into_iter()
        .map(|r| r.name)
        .collect())
}

/// The systems a search for `q` finds (up to 500), sorted by name.
pub async fn search_rows(store: &Store, org: OrgId, q: &str) -> anyhow::Result<Vec<SystemRow>> {
    let filter = SystemFilter {
        q: Some(q.to_owned()),
        ..Default::default()
    };
    Ok(list(store, org, &filter).await?.items)
}

/// The names found by a search for `q`.
pub async fn search(store: &Store, org: OrgId, q: &str) -> anyhow::Result<Vec<String>> {
    Ok(search_rows(store, org, q)
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect())
}

/// How many audit records the whole database holds.
pub async fn audit_count(store: &Store) -> anyhow::Result<i64> {
    use insyn_store::db::Queryable as _;
    Ok(store
        .db
        .read()
        .count("SELECT COUNT(*) AS n FROM audit_events", vec![])
        .await?)
}

/// Asserts that a response is a problem document (`application/problem+json`)
/// Creates an active person with an e-mail address.
pub async fn person(
    store: &Store,
    org: OrgId,
    name: &str,
    email: Option<&str>,
) -> anyhow::Result<insyn_domain::Person> {
    Ok(store
        .create_person(
            &actor(),
            org,
            insyn_domain::PersonDraft {
                name: name.to_owned(),
                email: email.map(str::to_owned),
                title: None,
                unit_id: None,
                active: true,
            },
        )
        .await?)
}

/// The organisation's role type with this code (e.g. `system_owner`).
pub async fn role_type(
    store: &Store,
    org: OrgId,
    code: &str,
) -> anyhow::Result<insyn_domain::RoleType> {
    store
        .list_role_types(org)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .ok_or_else(|| anyhow::anyhow!("role type {code} missing"))
}

/// The tests' own policy profile (`tests/fixtures/profile.toml`, code
/// `egen`): an owner for every system, a förvaltare when more than one user,
/// a continuity plan and a restore test for business-critical systems, an
/// annual review with two checklist items.
pub const TEST_PROFILE: &str = include_str!("../fixtures/profile.toml");

/// The profile of the reminder tests (`tests/fixtures/reminders-profile.toml`,
/// code `paminn`): an owner, a continuity plan for business-critical systems
/// and a yearly restore test reminded 30 days before it is due.
pub const REMINDERS_PROFILE: &str = include_str!("../fixtures/reminders-profile.toml");

/// A spreadsheet from `crates/io/testdata/`.
pub fn io_testdata(file: &str) -> Vec<u8> {
    let path = format!(
        "{}/../crates/io/testdata/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The first page of an organisation's systems as the register lists them
/// by default (no filter, the default order and page size).
pub async fn default_page(store: &Store, org: OrgId) -> anyhow::Result<Page<SystemRow>> {
    Ok(store
        .list_systems(
            org,
            &Default::default(),
            Default::default(),
            false,
            Default::default(),
        )
        .await?)
}

/// A plain disruption on one system, known since `aware_at`: an incident
/// draft with nothing but what the record requires.
pub fn disruption(
    title: &str,
    aware_at: chrono::DateTime<chrono::Utc>,
    system: insyn_domain::SystemId,
) -> insyn_domain::incident::IncidentDraft {
    use insyn_domain::incident::*;
    IncidentDraft {
        title: title.into(),
        description: None,
        kind: IncidentKind::Disruption,
        severity: Severity::Low,
        detection: Detection::Internal,
        occurred_at: None,
        aware_at,
        reported_by: None,
        system_ids: vec![system],
        information_set_ids: vec![],
        personal_data: None,
        controller: None,
        cause: None,
        lessons: None,
    }
}
