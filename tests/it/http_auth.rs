//! Sign-in, permissions, CSRF, API tokens and the tamper-evident audit trail.

use axum::body::Body;
use axum::http::{Method, Request, header};
use insyn_domain::{AppRole, Grant, OrgId, Permission};
use insyn_store::db::Queryable;
use insyn_store::{Store, Verified};
use insyn_tests::{App, On, Scenario, TEST_ADMIN, actor, bearer, dual_test, org_id, system, unit};
use serde_json::json;

/// What the test expects each route to need: written down, not read from
/// the application, so that a change of permission or a new route without
/// an entry fails this test. The table is the route-table snapshot
/// (`snapshots/…route_table.snap`, checked by `http_snapshots`): one line a
/// route, `METHOD path Permission`, sorted by path.
static EXPECTED: std::sync::LazyLock<Vec<(&str, &str, Permission)>> =
    std::sync::LazyLock::new(|| {
        let snapshot = include_str!("snapshots/it__http_snapshots__route_table.snap");
        let table = snapshot.splitn(3, "---\n").nth(2).expect("a snapshot body");
        table
            .lines()
            .map(|line| {
                let [m, p, perm] = line.split_whitespace().collect::<Vec<_>>()[..] else {
                    panic!("not METHOD path Permission: {line}");
                };
                let perm = Permission::ALL
                    .iter()
                    .copied()
                    .find(|x| format!("{x:?}") == perm)
                    .unwrap_or_else(|| panic!("unknown permission in: {line}"));
                (m, p, perm)
            })
            .collect()
    });

/// Who walks the routes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Nobody,
    Reader,
    Editor,
    SecurityCoordinator,
    /// Administrator of the organisation only.
    OrgAdmin,
    /// Administrator of every organisation.
    InstallationAdmin,
    /// A reader who is systemägare of the system in the paths.
    Owner,
    /// An editor of another organisation only.
    Outsider,
}

// The owner walks first: later editors end the owner's role on the way.
const EVERYONE: &[Who] = &[
    Who::Owner,
    Who::Nobody,
    Who::Reader,
    Who::Editor,
    Who::SecurityCoordinator,
    Who::OrgAdmin,
    Who::InstallationAdmin,
    Who::Outsider,
];

/// Whether `who` may use a route needing `perm` (in the test organisation,
/// on the owner's system).
fn may(who: Who, perm: Permission, org_scoped: bool) -> bool {
    use Permission::*;
    match (who, perm) {
        (_, Public) => true,
        (Who::Nobody, _) => false,
        (_, Authenticated) => true,
        // Only the system's owner approves its plan and signs for the business.
        (w, ActAsOwner) => w == Who::Owner,
        (w, SignForIt | HandleIncidents) => matches!(
            w,
            Who::SecurityCoordinator | Who::OrgAdmin | Who::InstallationAdmin
        ),
        (Who::Outsider, _) if org_scoped => false,
        (Who::Outsider, Read | ReadAudit | EditSystem | EditRegister) => true,
        (Who::Outsider, Administer) => false,
        (Who::InstallationAdmin, _) => true,
        (Who::OrgAdmin, Administer) => org_scoped,
        (Who::OrgAdmin, _) => true,
        (Who::Editor | Who::SecurityCoordinator, Administer) => false,
        (Who::Editor | Who::SecurityCoordinator, _) => true,
        (Who::Reader | Who::Owner, Read | ReadAudit) => true,
        (Who::Owner, EditSystem) => true,
        (Who::Reader | Who::Owner, _) => false,
    }
}

struct Fixture {
    org: OrgId,
    ids: std::collections::HashMap<&'static str, String>,
}

async fn fixture(store: &Store) -> anyhow::Result<Fixture> {
    let k = Scenario::new(store, "kommunen").await?;
    let org = k.org;
    let other = org_id(store, "grannen").await?;
    let u = unit(store, org, None, "Kommunstyrelsen").await;
    let s = k.system("Treserva").await;
    let p = k.person("Ola Ägare", Some("ola@kommunen.se")).await?;
    let a = k.holds("system_owner", &p, On::System(s.id)).await?;
    let product = store
        .create_product(
            &actor(),
            insyn_domain::ProductDraft {
                name: "Treserva".into(),
                vendor: None,
                description: None,
            },
        )
        .await?;
    let grant = |org_id: Option<OrgId>, role| vec![Grant { org_id, role }];
    let users = [
        ("reader@kommunen.se", grant(Some(org), AppRole::Reader)),
        ("editor@kommunen.se", grant(Some(org), AppRole::Editor)),
        (
            "sec@kommunen.se",
            grant(Some(org), AppRole::SecurityCoordinator),
        ),
        (
            "orgadmin@kommunen.se",
            grant(Some(org), AppRole::Administrator),
        ),
        ("ola@kommunen.se", grant(Some(org), AppRole::Reader)),
        ("outsider@grannen.se", grant(Some(other), AppRole::Editor)),
    ];
    let mut user_id = String::new();
    for (email, grants) in users {
        let created = store
            .create_user(&actor(), email, email, None, &grants)
            .await?;
        user_id = created.id.to_string();
    }
    // Security work on the system: a classified set, an approved plan and an approval.
    let set = k
        .information_set(s.id, "Vårddokumentation", true, false)
        .await?;
    store
        .classify(
            &actor(),
            org,
            s.id,
            set.id,
            insyn_domain::security::ClassificationDraft {
                confidentiality: 2,
                integrity: 2,
                availability: 2,
                traceability: None,
                justification: "x".into(),
                valid_until: None,
            },
        )
        .await?;
    let plan = store.new_plan_version(&actor(), org, s.id).await?;
    let sections = insyn_domain::security::PLAN_SECTIONS
        .iter()
        .map(|k| ((*k).to_owned(), "x".to_owned()))
        .collect();
    store
        .edit_plan(&actor(), org, s.id, plan.id, sections)
        .await?;
    use insyn_domain::security::PlanAction;
    store
        .move_plan(&actor(), org, s.id, plan.id, PlanAction::Submit)
        .await?;
    store
        .move_plan(&actor(), org, s.id, plan.id, PlanAction::Approve)
        .await?;
    let approval = store
        .create_approval(
            &actor(),
            org,
            s.id,
            insyn_domain::security::ApprovalDraft {
                baseline: "x".into(),
                measures: vec![],
            },
        )
        .await?;
    let review = store.start_review(&actor(), org, s.id, "2026").await?;
    store.new_outage_plan(&actor(), org, s.id).await?;
    store
        .open_decommission_case(&actor(), org, s.id, Default::default())
        .await?;
    use insyn_domain::access::{AccessOrderDraft, AccessProfileDraft, OrderKind, Parties};
    let profile = AccessProfileDraft::named("Läsare");
    let profile = store
        .create_access_profile(&actor(), org, s.id, profile, &Parties::default())
        .await?;
    let order = AccessOrderDraft {
        kind: OrderKind::Grant,
        person_id: Some(p.id),
        new_person: None,
        profile_ids: vec![profile.id],
        reason: None,
        start_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date"),
        end_date: None,
        ticket: None,
    };
    let order = store.order_access(&actor(), org, s.id, order).await?;
    let (incident, action) = incident_on(store, org, s.id, p.id).await?;
    let (backup, test, restore_action) = continuity_on(store, org, s.id).await?;
    let campaign = store
        .open_access_review(
            &actor(),
            org,
            insyn_store::access::AccessReviewDraft {
                scope: insyn_domain::access::ReviewScope::System,
                system_id: Some(s.id),
                unit_id: None,
                reviewer_id: Some(p.id),
                deadline: None,
            },
        )
        .await?;
    // A mover: Mo, systemförvaltare of Treserva, leaves Kommunstyrelsen
    // (no manager: the coordinators are asked) for another unit.
    let mo = k
        .person_in("Mo Flytt", Some("mo@kommunen.se"), u.id)
        .await?;
    k.holds("system_manager", &mo, On::System(s.id)).await?;
    let to = unit(store, org, None, "Nämnden").await;
    store
        .update_person(
            &actor(),
            org,
            mo.id,
            insyn_domain::PersonDraft {
                name: mo.name.clone(),
                email: mo.email.clone(),
                title: None,
                unit_id: Some(to.id),
                active: true,
            },
        )
        .await?;
    let handover = store.open_role_handovers(org).await?[0].id.to_string();
    let mut ids = std::collections::HashMap::new();
    ids.insert("handover", handover);
    ids.insert("incident", incident);
    ids.insert("action", action);
    ids.insert("backup", backup);
    ids.insert("test", test);
    ids.insert("restore_action", restore_action);
    ids.insert("review", review.id.to_string());
    ids.insert("campaign", campaign.review.id.to_string());
    ids.insert("set", set.id.to_string());
    ids.insert("plan", plan.id.to_string());
    ids.insert("approval", approval.id.to_string());
    ids.insert("profile", profile.id.to_string());
    ids.insert("order", order[0].id.to_string());
    ids.insert("system", s.id.to_string());
    ids.insert("unit", u.id.to_string());
    ids.insert("person", p.id.to_string());
    ids.insert("assignment", a.id.to_string());
    ids.insert("product", product.id.to_string());
    ids.insert("user", user_id);
    ids.insert("token", uuid::Uuid::now_v7().to_string());
    let to = k.system("Lönesystemet").await;
    let flow = store
        .create_integration(
            &actor(),
            org,
            insyn_domain::integration::IntegrationDraft {
                from_system_id: s.id,
                to_system_id: to.id,
                direction: insyn_domain::integration::Direction::OneWay,
                interface: None,
                information_set_ids: vec![],
                frequency: insyn_domain::integration::Frequency::Daily,
                criticality: insyn_domain::integration::Criticality::Low,
                responsible_id: None,
                note: None,
            },
        )
        .await?;
    ids.insert("integration", flow.id.to_string());
    let (supplier, contract) = crate::store_contracts::fixture(store, org, s.id).await?;
    ids.insert("supplier", supplier.to_string());
    ids.insert("contract", contract.to_string());
    let d = crate::store_processing::complete("Behandling", None, vec![s.id]);
    let record = store.create_processing_record(&actor(), org, d).await?;
    ids.insert("record", record.id.to_string());
    let agreement = store
        .create_processor_agreement(
            &actor(),
            org,
            crate::store_processors::draft(supplier, vec![s.id]),
            chrono::Utc::now().date_naive(),
        )
        .await?;
    ids.insert("agreement", agreement.id.to_string());
    let d = crate::store_eservices::complete(
        "E-tjänst",
        insyn_domain::eservice::EServiceStep::Transaction,
        vec![s.id],
    );
    let today = chrono::Utc::now().date_naive();
    let eservice = store.create_eservice(&actor(), org, d, today).await?;
    ids.insert("eservice", eservice.id.to_string());
    let it = insyn_tests::unit(store, org, None, "IT-enheten").await;
    let service = store
        .create_it_service(
            &actor(),
            org,
            crate::store_it_services::draft("Arbetsplatstjänst", it.id, vec![s.id]),
        )
        .await?;
    ids.insert("service", service.id.to_string());
    let hook = insyn_domain::webhook::WebhookDraft {
        url: "https://helpdesk.example.org/insyn".into(),
        description: None,
        object_types: vec![],
        include_events: false,
        active: true,
    };
    let hook = store
        .create_webhook(&actor(), org, &hook, Default::default())
        .await?;
    ids.insert("webhook", hook.subscription.id.to_string());
    // A job of someone else: only administrators see it.
    let job = store
        .start_job(
            org,
            insyn_domain::job::JobKind::RegisterImport,
            insyn_domain::UserId::new(),
            "system.xlsx",
        )
        .await?;
    ids.insert("job", job.id.to_string());
    Ok(Fixture { org, ids })
}

/// An incident on `system` with an action owned by `owner`: (incident id, action id).
async fn incident_on(
    store: &Store,
    org: OrgId,
    system: insyn_domain::SystemId,
    owner: insyn_domain::PersonId,
) -> anyhow::Result<(String, String)> {
    use insyn_domain::incident::*;
    let now = chrono::Utc::now();
    let draft = insyn_tests::disruption("Driftstörning", now, system);
    let i = store.report_incident(&actor(), org, draft, now).await?;
    let action = ActionDraft {
        what: "Starta om tjänsten".into(),
        owner_id: Some(owner),
        due_on: None,
        done_on: None,
    };
    let a = store
        .add_incident_action(&actor(), org, i.id, action)
        .await?;
    Ok((i.id.to_string(), a.to_string()))
}

/// A backup and a performed restore test with an action on `system`:
/// (backup id, test id, action id).
async fn continuity_on(
    store: &Store,
    org: OrgId,
    system: insyn_domain::SystemId,
) -> anyhow::Result<(String, String, String)> {
    use insyn_domain::continuity::*;
    let b = BackupDraft {
        what: "Databasen".into(),
        ..BackupDraft::default()
    };
    let b = store.add_backup(&actor(), org, system, b).await?;
    let today = chrono::Utc::now().date_naive();
    let t = RestoreTestDraft {
        performed_on: Some(today),
        ..RestoreTestDraft::default()
    };
    let t = store
        .record_restore_test(&actor(), org, system, t, today)
        .await?;
    let a = insyn_domain::incident::ActionDraft {
        what: "Återläs oftare".into(),
        owner_id: None,
        due_on: None,
        done_on: None,
    };
    let a = store
        .add_restore_action(&actor(), org, system, t.id, a)
        .await?;
    Ok((b.id.to_string(), t.id.to_string(), a.to_string()))
}

fn app_for(store: &Store, who: Who) -> App {
    match who {
        Who::Nobody => App::anonymous(store),
        Who::Reader => App::as_user(store, "reader@kommunen.se"),
        Who::Editor => App::as_user(store, "editor@kommunen.se"),
        Who::SecurityCoordinator => App::as_user(store, "sec@kommunen.se"),
        Who::OrgAdmin => App::as_user(store, "orgadmin@kommunen.se"),
        Who::InstallationAdmin => App::as_user(store, TEST_ADMIN),
        Who::Owner => App::as_user(store, "ola@kommunen.se"),
        Who::Outsider => App::as_user(store, "outsider@grannen.se"),
    }
}

/// A concrete URL for a route pattern.
fn fill(path: &str, f: &Fixture) -> String {
    let action = if path.contains("/restore-tests/") {
        &f.ids["restore_action"]
    } else {
        &f.ids["action"]
    };
    let kind = if path.contains("/systems/") {
        "system"
    } else if path.contains("/units/") {
        "unit"
    } else if path.contains("/people/") {
        "person"
    } else if path.contains("assignments/") {
        "assignment"
    } else if path.contains("/products/") {
        "product"
    } else if path.contains("/users/") {
        "user"
    } else {
        "token"
    };
    path.replace("{org}", "kommunen")
        .replace("{code}", "en")
        .replace("{file}", "register.csv")
        .replace("{set}", &f.ids["set"])
        .replace("{plan}", &f.ids["plan"])
        .replace("{version}", "1")
        .replace("{approval}", &f.ids["approval"])
        .replace("{review}", &f.ids["review"])
        .replace("{profile}", &f.ids["profile"])
        .replace("{order}", &f.ids["order"])
        .replace("{incident}", &f.ids["incident"])
        .replace("{backup}", &f.ids["backup"])
        .replace("{test}", &f.ids["test"])
        .replace("{action}", action)
        .replace("{integration}", &f.ids["integration"])
        .replace("{supplier}", &f.ids["supplier"])
        .replace("{contract}", &f.ids["contract"])
        .replace("{record}", &f.ids["record"])
        .replace("{agreement}", &f.ids["agreement"])
        .replace("{eservice}", &f.ids["eservice"])
        .replace("{service}", &f.ids["service"])
        .replace("{webhook}", &f.ids["webhook"])
        .replace("{job}", &f.ids["job"])
        .replace("{delivery}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{follow_up}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{deadline}", "gdpr-imy")
        .replace("{campaign}", &f.ids["campaign"])
        .replace("{record_type}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{erasure}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{assessment}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{licence}", "0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")
        .replace("{handover}", &f.ids["handover"])
        .replace("{item}", &f.ids["token"])
        .replace("{id}", &f.ids[kind])
}

/// Whether a response is a refusal by the permission check (rather than the
/// route's own answer, such as a failed sign-in or a token that is not yours).
fn refused(who: Who, perm: Permission, path: &str, status: u16, location: &str) -> bool {
    if perm == Permission::Public {
        return status == 403;
    }
    match who {
        Who::Nobody => status == 401 || (status == 303 && location.starts_with("/login")),
        // Revoking a token that is not one's own is "not found" for everyone.
        _ if path.ends_with("/revoke") => status == 403,
        // An incident is secret to those it does not concern: the route's
        // own answer, 404, for a reader or an editor with no role on its
        // system (tested in http_incidents).
        Who::Reader | Who::Editor if path.contains("/incidents/{incident}") => {
            status == 401 || status == 403
        }
        Who::Outsider => status == 403 || status == 404,
        // A mover's role is settled by the old unit's manager or a
        // coordinator: 403 for the others is the route's own answer
        // (tested in store_movers).
        Who::Owner | Who::Reader | Who::Editor if path.contains("/role-handovers/{handover}") => {
            status == 401
        }
        // A job is seen by its owner and administrators alone: for the
        // other roles allowed, 404 is the route's own answer (tested in
        // http_jobs).
        _ if path.contains("/jobs/{job}") => status == 401 || status == 403,
        // The walk removes the backup with the first role allowed to; for
        // the roles after it, 404 is the route's own answer.
        _ if path.contains("/backups/{backup}") => status == 401 || status == 403,
        // A record type, an erasure record, a benefit assessment or a
        // licence the fixture does not hold: for the roles allowed, 404 is
        // the route's own answer.
        _ if path.contains("/record-types/{record_type}")
            || path.contains("/erasures/{erasure}")
            || path.contains("/benefit-assessments/{assessment}")
            || path.contains("/licences/{licence}") =>
        {
            status == 401 || status == 403
        }
        // The walk removes the integration (DELETE, …/remove) as soon as a
        // role may: after that the route's own answer is 404.
        _ if path.contains("/integrations/{integration}") => status == 401 || status == 403,
        // Likewise the contract.
        _ if path.contains("/contracts/{contract}") => status == 401 || status == 403,
        // Likewise the record of processing.
        _ if path.contains("/processing-records/{record}") => status == 401 || status == 403,
        // Likewise the processor agreement (its page after the API removed it).
        _ if path.contains("{agreement}") => status == 401 || status == 403,
        // Likewise the e-service.
        _ if path.contains("/e-services/{eservice}") => status == 401 || status == 403,
        // Likewise the IT service; a follow-up the fixture does not hold is 404.
        _ if path.contains("/services/{service}") => status == 401 || status == 403,
        // Likewise the webhook subscription; a delivery the fixture does not hold is 404.
        _ if path.contains("/webhooks/{webhook}") => status == 401 || status == 403,
        _ => status == 401 || status == 403 || status == 404,
    }
}

dual_test!(
    every_route_with_every_role_is_allowed_or_refused_as_the_table_says,
    |store: Store| async move {
        let f = fixture(&store).await?;
        // The test administrator exists before anyone walks the routes.
        App::new(&store).await;
        let rules = insyn_web::route_rules(store.clone());
        let actual: Vec<(String, String, Permission)> = rules
            .iter()
            .map(|r| (r.method.to_string(), r.path.clone(), r.perm))
            .collect();
        for (m, p, perm) in &actual {
            let expected = EXPECTED.iter().find(|(em, ep, _)| em == m && ep == p);
            assert!(
                expected.is_some(),
                "{m} {p} is routed but missing from the test's permission table"
            );
            assert_eq!(
                expected.map(|e| e.2),
                Some(*perm),
                "{m} {p} needs another permission"
            );
        }
        for (m, p, _) in EXPECTED.iter() {
            assert!(
                actual.iter().any(|(am, ap, _)| am == m && ap == p),
                "{m} {p} is in the table but not routed"
            );
        }
        let mut failures = vec![];
        // First (they write nothing, so the owner still holds the role):
        // every other method on every path. HEAD is judged like GET (it
        // reaches the GET handler), and a method the path does not have is
        // 405 for everyone, before any handler runs.
        let mut paths: Vec<&str> = EXPECTED.iter().map(|(_, p, _)| *p).collect();
        paths.sort_unstable();
        paths.dedup();
        let methods = [
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ];
        for who in EVERYONE {
            let app = app_for(&store, *who);
            for p in &paths {
                if *p == "/logout" || *p == "/account/logout-all" {
                    continue;
                }
                let uri = fill(p, &f);
                for method in &methods {
                    let routed = |m: &Method| {
                        EXPECTED
                            .iter()
                            .find(|(em, ep, _)| *em == m.as_str() && ep == p)
                            .map(|e| e.2)
                    };
                    if routed(method).is_some() {
                        continue; // walked above
                    }
                    let get_perm = (*method == Method::HEAD)
                        .then(|| routed(&Method::GET))
                        .flatten();
                    let r = app
                        .send_raw(
                            method.clone(),
                            &uri,
                            "application/x-www-form-urlencoded",
                            String::new(),
                        )
                        .await;
                    let status = r.status.as_u16();
                    match get_perm {
                        Some(perm) => {
                            let allowed = !refused(*who, perm, p, status, r.location());
                            let expect = may(*who, perm, p.contains("{org}"));
                            if allowed != expect || status >= 500 || !r.body.is_empty() {
                                failures.push(format!(
                                    "{who:?} HEAD {uri}: got {status} with {} bytes, expected {} like GET",
                                    r.body.len(),
                                    if expect { "allowed" } else { "refused" }
                                ));
                            }
                        }
                        None if status != 405 => failures.push(format!(
                            "{who:?} {method} {uri}: got {status}, expected 405"
                        )),
                        None => {}
                    }
                }
            }
        }
        for who in EVERYONE {
            let app = app_for(&store, *who);
            for (m, p, perm) in EXPECTED.iter() {
                // Signing out ends the session the rest of the walk needs.
                if *p == "/logout" || *p == "/account/logout-all" {
                    continue;
                }
                let uri = fill(p, &f);
                let method: Method = m.parse().expect("a method");
                let body = if p.starts_with("/api/") && method != Method::GET {
                    ("application/json", "{}".to_owned())
                } else {
                    ("application/x-www-form-urlencoded", String::new())
                };
                let r = app.send_raw(method, &uri, body.0, body.1).await;
                let status = r.status.as_u16();
                let allowed = !refused(*who, *perm, p, status, r.location());
                let org_scoped = p.contains("{org}");
                let expect = may(*who, *perm, org_scoped);
                if allowed != expect || status >= 500 {
                    failures.push(format!(
                        "{who:?} {m} {uri}: got {status}, expected {}",
                        if expect { "allowed" } else { "refused" }
                    ));
                }
                // Another organisation's records do not exist for an outsider.
                if *who == Who::Outsider
                    && org_scoped
                    && *perm != Permission::Public
                    && status != 404
                {
                    failures.push(format!("{who:?} {m} {uri}: got {status}, expected 404"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
        let _ = f.org;
    }
);

dual_test!(
    without_a_session_pages_go_to_sign_in_and_the_api_says_401,
    |store: Store| async move {
        fixture(&store).await?;
        let app = App::anonymous(&store);
        let r = app.get("/o/kommunen/systems?q=x").await.expect(303);
        assert_eq!(
            r.location(),
            "/login?next=%2Fo%2Fkommunen%2Fsystems%3Fq%3Dx"
        );
        let r = app.get("/api/v1/orgs/kommunen/systems").await.expect(401);
        assert!(r.header("www-authenticate").starts_with("Bearer"));
        app.get("/healthz").await.expect(200);
        app.get("/login").await.expect(200);
        // A wrong token is refused outright, not treated as anonymous.
        let req = Request::builder()
            .uri("/api/v1/orgs")
            .header(header::AUTHORIZATION, "Bearer insyn_nope")
            .body(Body::empty())?;
        app.request(req).await.expect(401);
    }
);

dual_test!(
    signing_in_and_out_with_a_password,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        store
            .create_user(
                &actor(),
                "Anna@Kommunen.se",
                "Anna",
                Some("rätt häst batteri"),
                &[Grant {
                    org_id: Some(org),
                    role: AppRole::Editor,
                }],
            )
            .await?;
        // Stored as an Argon2id hash, never as the password.
        let hash = store
            .db
            .read()
            .one("SELECT password_hash AS h FROM users", vec![], |r| {
                r.text("h")
            })
            .await?;
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("häst"));

        let app = App::anonymous(&store);
        let bad = app
            .post_form(
                "/login",
                &[
                    ("email", "anna@kommunen.se"),
                    ("password", "fel lösenord!!"),
                ],
            )
            .await
            .expect(401);
        bad.assert_text_contains("Fel e-postadress eller lösenord");
        let ok = app
            .post_form(
                "/login",
                &[
                    ("email", "ANNA@kommunen.se"),
                    ("password", "rätt häst batteri"),
                    ("next", "/o/kommunen/people"),
                ],
            )
            .await
            .expect(303);
        assert_eq!(ok.location(), "/o/kommunen/people");
        let cookie = ok.header("set-cookie").to_owned();
        for part in [
            "__Host-insyn=",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
        ] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let secret = cookie
            .trim_start_matches("__Host-insyn=")
            .split(';')
            .next()
            .unwrap_or("")
            .to_owned();
        let with_cookie = |method: Method, uri: &str| {
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::COOKIE, format!("__Host-insyn={secret}"))
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .expect("a request")
        };
        let me = app
            .request(with_cookie(Method::GET, "/api/v1/me"))
            .await
            .expect(200)
            .json();
        assert_eq!(me["email"], "anna@kommunen.se");
        assert_eq!(me["via"], "session");
        // An off-site `next` is ignored.
        let r = app
            .post_form(
                "/login",
                &[
                    ("email", "anna@kommunen.se"),
                    ("password", "rätt häst batteri"),
                    ("next", "//evil.example"),
                ],
            )
            .await
            .expect(303);
        assert_eq!(r.location(), "/");
        // Signing out ends the session.
        let out = app
            .request(with_cookie(Method::POST, "/logout"))
            .await
            .expect(303);
        assert!(out.header("set-cookie").contains("Max-Age=0"));
        app.request(with_cookie(Method::GET, "/api/v1/me"))
            .await
            .expect(401);
    }
);

dual_test!(short_passwords_are_refused, |store: Store| async move {
    let e = insyn_tests::invalid(
        store
            .create_user(
                &actor(),
                "kort@kommunen.se",
                "Kort",
                Some("elva tecken"),
                &[],
            )
            .await,
    );
    assert_eq!(e.get("password"), Some("error-password-too-short"));
    store
        .create_user(
            &actor(),
            "lang@kommunen.se",
            "Lång",
            Some("tolv tecken!"),
            &[],
        )
        .await?;
});

dual_test!(
    posts_from_another_site_are_refused,
    |store: Store| async move {
        fixture(&store).await?;
        let app = App::new(&store).await;
        let cookie = {
            // The session the app signs in with, sent by hand with other headers.
            let r = app.get("/api/v1/me").await.expect(200);
            assert_eq!(r.json()["email"], TEST_ADMIN);
            app.session_cookie().await
        };
        let post = |headers: &[(&str, &str)]| {
            let mut b = Request::builder()
                .method(Method::POST)
                .uri("/o/kommunen/people")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie.clone());
            for (k, v) in headers {
                b = b.header(*k, *v);
            }
            b.body(Body::from("name=Ny+Person")).expect("a request")
        };
        let before = store
            .list_people(org_id_of(&store).await?, None, Default::default())
            .await?
            .total;
        // The bare router: nothing adds the headers a browser would.
        let send = |req: Request<Body>| {
            let router = insyn_web::router(store.clone());
            async move {
                use tower::ServiceExt as _;
                router.oneshot(req).await.map(|r| r.status().as_u16())
            }
        };
        assert_eq!(send(post(&[("sec-fetch-site", "cross-site")])).await?, 403);
        assert_eq!(
            send(post(&[
                ("origin", "https://evil.example"),
                ("host", "insyn.kommun.se"),
            ]))
            .await?,
            403
        );
        assert_eq!(
            send(post(&[])).await?,
            403,
            "no Origin and no Sec-Fetch-Site"
        );
        assert_eq!(
            store
                .list_people(org_id_of(&store).await?, None, Default::default())
                .await?
                .total,
            before,
            "nothing was written"
        );
        // The same post from the same site goes through.
        assert_eq!(
            send(post(&[
                ("origin", "https://insyn.kommun.se"),
                ("host", "insyn.kommun.se"),
            ]))
            .await?,
            303
        );
    }
);

async fn org_id_of(store: &Store) -> anyhow::Result<OrgId> {
    Ok(store.org_by_slug("kommunen").await?.id)
}

/// The token the account page shows once after making it.
fn shown_token(page: &str) -> String {
    page.split("insyn_")
        .nth(1)
        .map(|s| format!("insyn_{}", &s[..64]))
        .expect("the new token is shown once")
}

dual_test!(
    api_tokens_read_write_and_revoke,
    |store: Store| async move {
        fixture(&store).await?;
        let app = App::as_user(&store, "editor@kommunen.se");
        let page = app
            .post_form(
                "/account/tokens",
                &[("name", "Helpdesk"), ("scope", "read")],
            )
            .await
            .expect(200);
        let read = shown_token(&page.body);
        // Only a hash is stored.
        let stored = store
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = $1",
                vec![read.clone().into()],
            )
            .await?;
        assert_eq!(stored, 0);
        let again = app.get("/account").await.expect(200);
        assert!(!again.body.contains(&read), "the token is shown only once");

        let anon = App::anonymous(&store);
        let me = anon
            .request(bearer(&read, Method::GET, "/api/v1/me", ""))
            .await
            .expect(200)
            .json();
        assert_eq!(me["scope"], "read");
        anon.request(bearer(
            &read,
            Method::GET,
            "/api/v1/orgs/kommunen/systems",
            "",
        ))
        .await
        .expect(200);
        anon.request(bearer(
            &read,
            Method::POST,
            "/api/v1/orgs/kommunen/systems",
            r#"{"name":"Nytt"}"#,
        ))
        .await
        .expect(403);

        let user = store.user_by_email("editor@kommunen.se").await?;
        let (token, write) = store
            .create_token(
                &actor(),
                user.id,
                "Integration",
                insyn_domain::TokenScope::Write,
            )
            .await?;
        let created = anon
            .request(bearer(
                &write,
                Method::POST,
                "/api/v1/orgs/kommunen/systems",
                r#"{"name":"Nytt"}"#,
            ))
            .await
            .expect(201)
            .json();
        // The change is recorded as the token owner's, naming the token.
        let history = App::new(&store)
            .await
            .get(&format!(
                "/api/v1/orgs/kommunen/systems/{}/history",
                created["id"].as_str().unwrap_or("")
            ))
            .await
            .expect(200)
            .json();
        assert_eq!(
            history["items"][0]["actor"],
            "editor@kommunen.se (API-token Integration)"
        );
        assert!(
            store
                .list_tokens(user.id)
                .await?
                .iter()
                .any(|t| t.id == token.id && t.last_used_at.is_some())
        );
        store.revoke_token(&actor(), user.id, token.id).await?;
        anon.request(bearer(&write, Method::GET, "/api/v1/me", ""))
            .await
            .expect(401);
    }
);

dual_test!(
    a_remembered_token_follows_grants_and_deactivation_at_once,
    |store: Store| async move {
        // Token answers are cached briefly (insyn_store::cache); a change of
        // grants or of the active flag must still count from the next request.
        fixture(&store).await?;
        let user = store.user_by_email("editor@kommunen.se").await?;
        let (_, secret) = store
            .create_token(&actor(), user.id, "Synk", insyn_domain::TokenScope::Write)
            .await?;
        let anon = App::anonymous(&store);
        let list = || bearer(&secret, Method::GET, "/api/v1/orgs/kommunen/systems", "");
        anon.request(list()).await.expect(200);
        anon.request(list()).await.expect(200);
        // No grant in the organisation any more: it does not exist for them.
        store
            .update_user(&actor(), user.id, &user.name, true, &[])
            .await?;
        anon.request(list()).await.expect(404);
        store
            .update_user(&actor(), user.id, &user.name, true, &user.grants)
            .await?;
        anon.request(list()).await.expect(200);
        store
            .update_user(&actor(), user.id, &user.name, false, &user.grants)
            .await?;
        anon.request(list()).await.expect(401);
    }
);

dual_test!(
    a_system_owner_edits_their_own_system_and_nothing_else,
    |store: Store| async move {
        let f = fixture(&store).await?;
        let other = system(&store, f.org, "Procapita").await;
        let app = App::as_user(&store, "ola@kommunen.se");
        let mine = &f.ids["system"];
        app.put_json(
            &format!("/api/v1/orgs/kommunen/systems/{mine}"),
            &json!({"name": "Treserva", "purpose": "Dokumentation"}),
        )
        .await
        .expect(200);
        app.put_json(
            &format!("/api/v1/orgs/kommunen/systems/{}", other.id),
            &json!({"name": "Procapita"}),
        )
        .await
        .expect(403);
        app.post_json("/api/v1/orgs/kommunen/systems", &json!({"name": "Eget"}))
            .await
            .expect(403);
        // The page offers editing on the owned system only.
        assert!(
            app.get(&format!("/o/kommunen/systems/{mine}"))
                .await
                .expect(200)
                .body
                .contains("/edit\"")
        );
        assert!(
            !app.get(&format!("/o/kommunen/systems/{}", other.id))
                .await
                .expect(200)
                .body
                .contains("/edit\"")
        );
        // When the role ends, so does the right.
        let a: insyn_domain::AssignmentId = f.ids["assignment"].parse()?;
        store
            .end_assignment(
                &actor(),
                f.org,
                a,
                chrono::Utc::now().date_naive() - chrono::Days::new(1),
            )
            .await?;
        app.put_json(
            &format!("/api/v1/orgs/kommunen/systems/{mine}"),
            &json!({"name": "Treserva"}),
        )
        .await
        .expect(403);
    }
);

dual_test!(
    sessions_end_when_idle_too_long_or_too_old,
    |store: Store| async move {
        let u = store
            .create_user(&actor(), "s@kommunen.se", "S", None, &[])
            .await?;
        let policy = insyn_store::SessionPolicy::default();
        let secret = store.create_session(u.id, "password", policy).await?;
        assert!(store.session_user(&secret, policy).await?.is_some());
        let tight = insyn_store::SessionPolicy {
            idle: chrono::Duration::zero(),
            absolute: chrono::Duration::hours(1),
        };
        // Idle longer than allowed: gone, and gone for good.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert!(store.session_user(&secret, tight).await?.is_none());
        assert!(store.session_user(&secret, policy).await?.is_none());
        let old = store
            .create_session(
                u.id,
                "password",
                insyn_store::SessionPolicy {
                    idle: chrono::Duration::hours(1),
                    absolute: chrono::Duration::zero(),
                },
            )
            .await?;
        assert!(
            store.session_user(&old, policy).await?.is_none(),
            "past its absolute limit"
        );
        // Signing out everywhere ends every session.
        let a = store.create_session(u.id, "password", policy).await?;
        let b = store.create_session(u.id, "password", policy).await?;
        assert_eq!(store.end_all_sessions(u.id).await?, 2);
        assert!(store.session_user(&a, policy).await?.is_none());
        assert!(store.session_user(&b, policy).await?.is_none());
    }
);

async fn exec(store: &Store, sql: &str) -> anyhow::Result<u64> {
    let mut tx = store.db.begin().await?;
    let n = tx.execute(sql, vec![]).await?;
    tx.commit().await?;
    Ok(n)
}

dual_test!(
    editing_or_deleting_an_audit_entry_by_hand_is_detected,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        for n in 0..4 {
            system(&store, org, &format!("System {n}")).await;
        }
        let Verified::Intact(n) = insyn_store::audit::verify(&store.db).await? else {
            panic!("a fresh trail is intact");
        };
        assert!(n >= 5, "{n}");
        // Change who did something in the third entry.
        assert_eq!(
            exec(
                &store,
                "UPDATE audit_events SET actor = 'någon annan' WHERE seq = 3"
            )
            .await?,
            1
        );
        match insyn_store::audit::verify(&store.db).await? {
            Verified::Broken { seq, id, .. } => {
                assert_eq!(seq, 3);
                assert!(id.is_some());
            }
            other => panic!("not detected: {other:?}"),
        }
        exec(
            &store,
            "UPDATE audit_events SET actor = 'test' WHERE seq = 3",
        )
        .await?;
        assert!(matches!(
            insyn_store::audit::verify(&store.db).await?,
            Verified::Intact(_)
        ));
        // Change what was changed.
        exec(
            &store,
            "UPDATE audit_events SET changes = '{}' WHERE seq = 4",
        )
        .await?;
        assert!(matches!(
            insyn_store::audit::verify(&store.db).await?,
            Verified::Broken { seq: 4, .. }
        ));
        exec(&store, "DELETE FROM audit_events WHERE seq = 4").await?;
        // A removed entry breaks the link of the one after it.
        assert!(matches!(
            insyn_store::audit::verify(&store.db).await?,
            Verified::Broken { seq: 5, .. }
        ));
    }
);

dual_test!(
    deleting_the_newest_audit_entry_is_detected,
    |store: Store| async move {
        let org = org_id(&store, "kommunen").await?;
        system(&store, org, "Sist").await;
        assert!(matches!(
            insyn_store::audit::verify(&store.db).await?,
            Verified::Intact(_)
        ));
        exec(
            &store,
            "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)",
        )
        .await?;
        assert!(matches!(
            insyn_store::audit::verify(&store.db).await?,
            Verified::Broken { .. }
        ));
    }
);

/// `insyn audit verify` passes on an intact trail and fails, naming entry 2,
/// once that entry is changed by hand.
async fn verify_command_detects(store: &Store, url: &str, tamper: &str) {
    use clap::Parser;
    let org = org_id(store, "kommunen").await.expect("an organisation");
    system(store, org, "Ett").await;
    let run = || {
        insyn::run(insyn::Cli::parse_from([
            "insyn",
            "audit",
            "verify",
            "--database-url",
            url,
        ]))
    };
    run().await.expect("an intact trail passes");
    exec(store, tamper).await.expect("tampering");
    let err = run().await.expect_err("a tampered trail fails");
    assert!(err.to_string().contains("entry 2"), "{err}");
}

#[tokio::test]
async fn the_audit_verify_command_fails_on_a_tampered_trail() {
    let (store, dir) = insyn_tests::sqlite_store().await;
    let url = format!("sqlite://{}", dir.path().join("insyn.db").display());
    verify_command_detects(
        &store,
        &url,
        "UPDATE audit_events SET action = 'archive' WHERE seq = 2",
    )
    .await;
}

#[tokio::test]
async fn the_audit_verify_command_fails_on_a_tampered_trail_on_postgresql() {
    let store = insyn_tests::pg_store().await;
    let insyn_store::Db::Postgres(pool) = &*store.db else {
        panic!("a PostgreSQL store");
    };
    let db = pool
        .connect_options()
        .get_database()
        .map(str::to_owned)
        .expect("a database name");
    let url = insyn_tests::with_database(&insyn_tests::pg_url(), &db);
    verify_command_detects(
        &store,
        &url,
        "UPDATE audit_events SET actor = 'någon annan' WHERE seq = 2",
    )
    .await;
    insyn_tests::drop_pg_store(store).await;
}

dual_test!(
    a_token_opens_no_page_route_and_cannot_make_or_revoke_tokens,
    |store: Store| async move {
        let f = fixture(&store).await?;
        App::new(&store).await;
        // Tokens of the installation's administrator: the widest there is.
        let admin = store.user_by_email(TEST_ADMIN).await?;
        let (_, read) = store
            .create_token(&actor(), admin.id, "Läs", insyn_domain::TokenScope::Read)
            .await?;
        let (write_token, write) = store
            .create_token(&actor(), admin.id, "Skriv", insyn_domain::TokenScope::Write)
            .await?;
        let tokens_before = store.list_tokens(admin.id).await?.len();
        let anon = App::anonymous(&store);
        let mut failures = vec![];
        // `/metrics` reads its own bearer (the metrics token, not a user's):
        // any other is answered 404 there, as `http_metrics` tests.
        let pages = EXPECTED
            .iter()
            .filter(|(_, p, _)| !p.starts_with("/api/") && *p != "/metrics");
        for (m, p, _) in pages {
            let uri = fill(p, &f);
            for secret in [&read, &write] {
                let mut req = bearer(secret, m.parse()?, &uri, "name=Ny&scope=write");
                req.headers_mut().insert(
                    header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded".parse()?,
                );
                let r = anon.request(req).await;
                if r.status != 401 {
                    failures.push(format!("{m} {uri} with a token: got {}", r.status));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // Nothing was made or revoked on the way.
        let after = store.list_tokens(admin.id).await?;
        assert_eq!(after.len(), tokens_before);
        assert!(after.iter().all(|t| !t.revoked), "no token was revoked");
        assert!(after.iter().any(|t| t.id == write_token.id));
        // The same token still works where it belongs.
        anon.request(bearer(&read, Method::GET, "/api/v1/me", ""))
            .await
            .expect(200);
    }
);

dual_test!(
    responses_are_not_cached_and_request_ids_are_the_servers,
    |store: Store| async move {
        fixture(&store).await?;
        let app = App::new(&store).await;
        let r = app.get("/o/kommunen/systems").await.expect(200);
        assert_eq!(r.header("cache-control"), "no-store");
        let r = app.get("/static/insyn.css").await.expect(200);
        assert!(r.header("cache-control").contains("max-age"));
        // A request id sent by the client is not the one recorded.
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/orgs/kommunen/systems")
            .header("x-request-id", "forged-id-from-client")
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, app.session_cookie().await)
            .body(Body::from(r#"{"name":"Med eget id"}"#))?;
        let r = app.request(req).await.expect(201);
        let id = r.header("x-request-id").to_owned();
        assert!(!id.is_empty() && id != "forged-id-from-client", "{id}");
        let events = store
            .search_audit(
                store.org_by_slug("kommunen").await?.id,
                &Default::default(),
                500,
            )
            .await?;
        assert!(
            events
                .iter()
                .all(|e| e.request_id.as_deref() != Some("forged-id-from-client"))
        );
        assert!(
            events
                .iter()
                .any(|e| e.request_id.as_deref() == Some(id.as_str()))
        );
    }
);

dual_test!(
    sign_ins_are_audited_and_failures_back_off_per_account,
    |store: Store| async move {
        store
            .create_user(
                &actor(),
                "bo@kommunen.se",
                "Bo",
                Some("ett riktigt lösenord"),
                &[],
            )
            .await?;
        let count = |action: &'static str| {
            let store = store.clone();
            async move {
                store
                    .db
                    .read()
                    .count(
                        "SELECT COUNT(*) AS n FROM audit_events WHERE action = $1 AND object_type = 'user'",
                        vec![action.into()],
                    )
                    .await
            }
        };
        let app = App::anonymous(&store);
        let try_password = |pw: &'static str| {
            let app = app.clone();
            async move {
                app.post_form("/login", &[("email", "bo@kommunen.se"), ("password", pw)])
                    .await
            }
        };
        try_password("ett riktigt lösenord").await.expect(303);
        assert_eq!(count("sign_in").await?, 1);
        for _ in 0..insyn_domain::back_off::FREE_PER_ACCOUNT {
            try_password("gissning").await.expect(401);
        }
        assert_eq!(count("sign_in_failed").await?, 5);
        // The account now waits (a second, then doubling), whoever asks and
        // with whatever password; the wait is said, and recorded.
        let r = try_password("ett riktigt lösenord").await.expect(429);
        assert_eq!(r.header("retry-after"), "1");
        r.assert_text_contains("Vänta en sekund");
        // More attempts while it waits are refused unchecked and write
        // nothing: the wait was recorded once, by the failure that began it.
        for _ in 0..3 {
            try_password("gissning").await.expect(429);
        }
        assert_eq!(count("sign_in_throttled").await?, 1);
        assert_eq!(count("sign_in_failed").await?, 5);
        // An unknown address is recorded too, without revealing anything.
        app.post_form(
            "/login",
            &[("email", "ingen@kommunen.se"), ("password", "x")],
        )
        .await
        .expect(401);
        let unknown = store
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'sign_in_failed' AND object_id = $1",
                vec![uuid::Uuid::nil().into()],
            )
            .await?;
        assert_eq!(unknown, 1);
        // After the wait, the right password works again.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        try_password("ett riktigt lösenord").await.expect(303);
        assert_eq!(count("sign_in").await?, 2);
        assert!(
            matches!(
                insyn_store::audit::verify(&store.db).await?,
                insyn_store::Verified::Intact { .. }
            ),
            "the chain holds the sign-ins"
        );
    }
);

dual_test!(
    the_public_register_has_a_request_budget,
    |store: Store| async move {
        org_id(&store, "kommunen").await?;
        let app = App::from_router(
            &store,
            insyn_web::router_with_settings(
                store.clone(),
                insyn_web::Settings {
                    public_requests_per_minute: Some(3),
                    ..Default::default()
                },
            ),
        );
        for _ in 0..3 {
            app.get("/public/kommunen").await.expect(200);
        }
        app.get("/public/kommunen/register.csv").await.expect(429);
        // Signed-in pages and sign-in itself are not part of that budget.
        app.get("/login").await.expect(200);
    }
);

#[tokio::test]
async fn strict_transport_security_only_when_served_over_https() {
    let (store, _dir) = insyn_tests::sqlite_store().await;
    let https = App::from_router(
        &store,
        insyn_web::router_with_settings(
            store.clone(),
            insyn_web::Settings {
                public_url: Some("https://insyn.kommun.se".into()),
                ..Default::default()
            },
        ),
    );
    let r = https.get("/login").await.expect(200);
    assert!(
        r.header("strict-transport-security")
            .starts_with("max-age=")
    );
    let plain = App::anonymous(&store);
    let r = plain.get("/login").await.expect(200);
    assert_eq!(r.header("strict-transport-security"), "");
}

dual_test!(api_tokens_may_expire, |store: Store| async move {
    fixture(&store).await?;
    let app = App::as_user(&store, "editor@kommunen.se");
    // A date in the past, or not a date: refused, nothing made.
    for (date, message) in [
        ("2020-01-01", "Datumet måste ligga i framtiden."),
        ("snart", "Ange ett datum som ÅÅÅÅ-MM-DD."),
    ] {
        let r = app
            .post_form(
                "/account/tokens",
                &[("name", "Gammal"), ("scope", "read"), ("expires_at", date)],
            )
            .await
            .expect(422);
        assert!(r.text().contains(message), "{date}: {}", r.text());
    }
    let user = store.user_by_email("editor@kommunen.se").await?;
    assert!(store.list_tokens(user.id).await?.is_empty());
    let page = app
        .post_form(
            "/account/tokens",
            &[
                ("name", "Kvartal"),
                ("scope", "read"),
                ("expires_at", "2099-03-31"),
            ],
        )
        .await
        .expect(200);
    let secret = shown_token(&page.body);
    assert!(page.text().contains("2099-03-31"), "the end date is listed");
    let me = || bearer(&secret, Method::GET, "/api/v1/me", "");
    let anon = App::anonymous(&store);
    anon.request(me()).await.expect(200);
    let tokens = store.list_tokens(user.id).await?;
    assert_eq!(
        tokens[0].expires_at.map(|e| e.to_rfc3339()),
        Some("2099-03-31T23:59:59+00:00".to_owned())
    );
    // Once its moment has passed it opens nothing, though the server
    // remembers it from a moment before.
    let (_, short) = store
        .create_token_until(
            &actor(),
            user.id,
            "Kort",
            insyn_domain::TokenScope::Read,
            Some(chrono::Utc::now() + chrono::Duration::milliseconds(1500)),
        )
        .await?;
    let with = |secret: &str| bearer(secret, Method::GET, "/api/v1/me", "");
    anon.request(with(&short)).await.expect(200);
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    anon.request(with(&short)).await.expect(401);
    anon.request(me()).await.expect(200);
});

dual_test!(
    only_installation_administrators_change_the_shared_catalogue_and_each_user_sees_it,
    |store: Store| async move {
        let f = fixture(&store).await?;
        let product = f.ids["product"].clone();
        // The product is used by a system of the test organisation.
        let org = f.org;
        let mut d = insyn_domain::SystemDraft::named("Procapita");
        d.product_id = Some(insyn_domain::ProductId(product.parse()?));
        store.create_system(&actor(), org, d).await?;
        let body = serde_json::json!({ "name": "Treserva (omdöpt)" });
        let uri = format!("/api/v1/products/{product}");
        for who in [
            "editor@kommunen.se",
            "orgadmin@kommunen.se",
            "outsider@grannen.se",
        ] {
            App::as_user(&store, who)
                .put_json(&uri, &body)
                .await
                .expect(403);
            App::as_user(&store, who)
                .post_json("/api/v1/products", &serde_json::json!({ "name": "Nytt" }))
                .await
                .expect(403);
        }
        App::new(&store)
            .await
            .put_json(&uri, &body)
            .await
            .expect(200);
        // The organisation's own log says so.
        let log = store.search_audit(org, &Default::default(), 100).await?;
        assert!(
            log.iter()
                .any(|e| e.object_type == "product" && e.action == "update"),
            "{log:?}"
        );
        // Another organisation, without the product, sees nothing of it.
        let other = store.org_by_slug("grannen").await?.id;
        let log = store.search_audit(other, &Default::default(), 100).await?;
        assert!(log.iter().all(|e| e.object_type != "product"));
    }
);

dual_test!(
    searches_have_a_length_and_a_word_limit,
    |store: Store| async move {
        fixture(&store).await?;
        let app = App::new(&store).await;
        let long = "a".repeat(201);
        let many = (0..11)
            .map(|i| format!("ord{i}"))
            .collect::<Vec<_>>()
            .join("+");
        for q in [long.as_str(), many.as_str()] {
            for path in [
                "/api/v1/orgs/kommunen/systems",
                "/api/v1/orgs/kommunen/people",
                "/o/kommunen/systems",
                "/public/kommunen",
            ] {
                let r = app.get(&format!("{path}?q={q}")).await;
                assert_eq!(r.status, 422, "{path} with {} characters", q.len());
                if path.starts_with("/api/") {
                    let p = insyn_tests::problem(&r, 422);
                    assert_eq!(p["errors"][0]["field"], "q", "{p}");
                } else {
                    r.assert_text_contains("högst 200 tecken");
                }
            }
        }
        // Control characters (a NUL above all, which broke the full-text
        // query on SQLite and which PostgreSQL refuses) find nothing and harm
        // nothing; in a body a NUL is dropped, as from a form.
        for q in ["eko%00nomi", "%22%00%22", "%00", "%01%02%03"] {
            app.get(&format!("/api/v1/orgs/kommunen/systems?q={q}"))
                .await
                .expect(200);
            app.get(&format!("/o/kommunen/systems?q={q}"))
                .await
                .expect(200);
            App::anonymous(&store)
                .get(&format!("/public/kommunen?q={q}"))
                .await
                .expect(200);
        }
        let r = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &serde_json::json!({ "name": "Noll\u{0}tecken", "tags": ["ok", "n\u{0}"] }),
                201,
            )
            .await;
        assert_eq!(r["name"], "Nolltecken", "NUL is dropped: {r}");
        // At the limit is fine.
        let ok = "b".repeat(200);
        app.get(&format!("/api/v1/orgs/kommunen/systems?q={ok}"))
            .await
            .expect(200);
    }
);

dual_test!(
    the_installations_own_log_shows_sign_ins_to_its_administrators,
    |store: Store| async move {
        fixture(&store).await?;
        store
            .create_user(
                &actor(),
                "bo@kommunen.se",
                "Bo",
                Some("ett riktigt lösenord"),
                &[],
            )
            .await?;
        let anon = App::anonymous(&store);
        anon.post_form(
            "/login",
            &[("email", "bo@kommunen.se"), ("password", "fel fel fel")],
        )
        .await
        .expect(401);
        let admin = App::new(&store).await;
        let page = admin
            .get("/admin/audit?actor=bo@kommunen")
            .await
            .expect(200);
        page.assert_text_contains("Misslyckad inloggning");
        let csv = admin
            .get("/admin/audit?object_type=user&format=csv")
            .await
            .expect(200);
        assert!(csv.body.contains("sign_in_failed"), "{}", csv.body);
        // An organisation's administrator does not see the installation's log.
        App::as_user(&store, "orgadmin@kommunen.se")
            .get("/admin/audit")
            .await
            .expect(403);
    }
);
