//! The map of a unit's systems and of the whole organisation: bounded (at
//! most `MAX_NODES` systems and `MAX_EDGES` flows drawn, the most critical
//! first), its totals right, its table paged; and the page, for the
//! organisation's users only, saying in words when not everything fits.

use insyn_domain::integration::overview::{self, MAX_EDGES, MAX_NODES};
use insyn_domain::integration::*;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{App, Scenario, actor, dual_test, unit};
use std::collections::HashSet;

fn flow(from: SystemId, to: SystemId, criticality: Criticality) -> IntegrationDraft {
    IntegrationDraft {
        from_system_id: from,
        to_system_id: to,
        direction: Direction::OneWay,
        interface: None,
        information_set_ids: vec![],
        frequency: Frequency::Daily,
        criticality,
        responsible_id: None,
        note: None,
    }
}

async fn system_in(store: &Store, org: OrgId, name: &str, unit: UnitId) -> anyhow::Result<System> {
    let mut d = SystemDraft::named(name);
    d.responsible_unit_id = Some(unit);
    Ok(store.create_system(&actor(), org, d).await?)
}

dual_test!(
    a_units_map_of_100_systems_draws_at_most_the_cap_the_most_critical_first_with_right_totals,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mine = unit(&store, k.org, None, "Socialförvaltningen").await;
        let other = unit(&store, k.org, None, "Kommunstyrelsen").await;
        let mut s = vec![];
        for i in 0..100 {
            s.push(system_in(&store, k.org, &format!("System {i:03}"), mine.id).await?);
        }
        let sends_in = system_in(&store, k.org, "Ekonomi", other.id).await?;
        let receives = system_in(&store, k.org, "Arkiv", other.id).await?;
        let apart = system_in(&store, k.org, "Fristående", other.id).await?;
        // A chain through the unit's 100 systems: the first ten flows critical.
        for i in 0..99 {
            let c = if i < 10 {
                Criticality::Critical
            } else {
                Criticality::Low
            };
            store
                .create_integration(&actor(), k.org, flow(s[i].id, s[i + 1].id, c))
                .await?;
        }
        for (a, b) in [(sends_in.id, s[0].id), (s[1].id, receives.id)] {
            store
                .create_integration(&actor(), k.org, flow(a, b, Criticality::High))
                .await?;
        }
        // Not the unit's: between two systems of another unit.
        store
            .create_integration(
                &actor(),
                k.org,
                flow(apart.id, sends_in.id, Criticality::Critical),
            )
            .await?;

        let m = store
            .scope_map(
                k.org,
                Some(mine.id),
                None,
                PageRequest::new(Some(1), Some(20)),
            )
            .await?;
        assert_eq!(m.systems, 100);
        assert_eq!(m.flows.total, 101);
        assert_eq!(m.flows.items.len(), 20);
        let o = &m.overview;
        assert_eq!(o.nodes.len(), MAX_NODES, "the cap on systems holds");
        assert!(o.edges.len() <= MAX_EDGES);
        let drawn: HashSet<SystemId> = o.nodes.iter().map(|n| n.system_id).collect();
        assert!(
            o.edges
                .iter()
                .all(|e| drawn.contains(&e.from) && drawn.contains(&e.to))
        );
        let critical = o
            .edges
            .iter()
            .filter(|e| e.criticality == Criticality::Critical)
            .count();
        assert_eq!(critical, 10, "the most critical flows are drawn first");
        assert_eq!(o.outside, HashSet::from([sends_in.id, receives.id]));
        assert!(!drawn.contains(&apart.id));
        assert!(
            drawn.iter().all(|d| !m.name(*d).is_empty()),
            "every box named"
        );
        // The columns: the sender from outside first, the receiver outside last.
        let col = |id: SystemId| o.nodes.iter().find(|n| n.system_id == id).unwrap().column;
        let last = o.nodes.iter().map(|n| n.column).max().unwrap();
        assert_eq!(col(sends_in.id), 0);
        assert_eq!(col(receives.id), last);

        let last_page = store
            .scope_map(
                k.org,
                Some(mine.id),
                None,
                PageRequest::new(Some(6), Some(20)),
            )
            .await?;
        assert_eq!(last_page.flows.items.len(), 1);

        let critical = store
            .scope_map(
                k.org,
                Some(mine.id),
                Some(Criticality::Critical),
                PageRequest::default(),
            )
            .await?;
        assert_eq!(critical.flows.total, 10);
        assert_eq!(critical.overview.edges.len(), 10);
        assert_eq!(
            critical.overview.nodes.len(),
            11,
            "no system without a flow of the choice"
        );

        let whole = store
            .scope_map(k.org, None, None, PageRequest::default())
            .await?;
        assert_eq!(whole.systems, 103);
        assert_eq!(whole.flows.total, 102);
        assert_eq!(whole.overview.nodes.len(), MAX_NODES);
        assert!(whole.overview.outside.is_empty());

        // A unit below counts as the unit's; alone, it is a unit of its own.
        let below = unit(&store, k.org, Some(mine.id), "Äldreomsorgen").await;
        let home = system_in(&store, k.org, "Hemtjänst", below.id).await?;
        store
            .create_integration(
                &actor(),
                k.org,
                flow(s[5].id, home.id, Criticality::Critical),
            )
            .await?;
        let m = store
            .scope_map(k.org, Some(mine.id), None, PageRequest::default())
            .await?;
        assert_eq!((m.systems, m.flows.total), (101, 102));
        assert!(!m.overview.outside.contains(&home.id));
        assert!(
            m.overview.nodes.iter().any(|n| n.system_id == home.id),
            "critical: drawn"
        );
        let m = store
            .scope_map(k.org, Some(below.id), None, PageRequest::default())
            .await?;
        assert_eq!((m.systems, m.flows.total), (1, 1));
        assert_eq!(m.overview.outside, HashSet::from([s[5].id]));
        let listed = store
            .list_integrations(
                k.org,
                &insyn_store::integrations::IntegrationFilter {
                    unit: Some(mine.id),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await?;
        assert_eq!(listed.total, 102, "the list chooses as the map does");

        // Another organisation sees none of it.
        let grannen = Scenario::new(&store, "grannen").await?;
        let theirs = store
            .scope_map(grannen.org, Some(mine.id), None, PageRequest::default())
            .await?;
        assert_eq!((theirs.systems, theirs.flows.total), (0, 0));
        assert!(theirs.overview.nodes.is_empty());
    }
);

dual_test!(
    the_map_page_shows_a_unit_says_when_it_is_capped_and_is_not_public,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mine = unit(&store, k.org, None, "Socialförvaltningen").await;
        let a = system_in(&store, k.org, "Treserva", mine.id).await?;
        let b = k.system("Ekonomisystemet").await;
        store
            .create_integration(&actor(), k.org, flow(b.id, a.id, Criticality::Critical))
            .await?;
        let reader = k.signed_in("las@kommunen.se", AppRole::Reader).await?;
        let page = reader
            .get(&format!("/o/kommunen/map?unit={}", mine.id))
            .await
            .expect(200);
        assert!(
            page.body.contains("<svg")
                && page.body.contains(
                    "<title id=\"map-svg-title\">Beroendekarta: Socialförvaltningen</title>"
                )
        );
        assert!(
            page.body.contains("stroke-dasharray=\"6 3\""),
            "the outside system dashed"
        );
        let text = page.text();
        assert!(text.contains("I urvalet: 1 system, 1 flöde"), "{text}");
        assert!(!text.contains("Allt får inte plats"), "{text}");
        assert!(text.contains("Ekonomisystemet") && text.contains("Treserva"));
        let whole = reader.get_text("/o/kommunen/map").await;
        assert!(
            whole.contains("Beroendekarta: Hela organisationen"),
            "{whole}"
        );
        // More systems than are drawn: said in words.
        for i in 0..60 {
            system_in(&store, k.org, &format!("Utan flöde {i:02}"), mine.id).await?;
        }
        let capped = reader
            .lang("en")
            .get_text(&format!("/o/kommunen/map?unit={}", mine.id))
            .await;
        assert!(
            capped.contains("In the choice: 61 systems, 1 flow"),
            "{capped}"
        );
        assert!(
            capped.contains(&format!("On the map: {MAX_NODES} systems, 1 flow")),
            "{capped}"
        );
        assert!(
            capped.contains("Not everything fits on the map"),
            "{capped}"
        );
        reader
            .get("/o/kommunen/map?unit=nonsense")
            .await
            .expect(422);
        reader
            .get(&format!("/o/kommunen/map?unit={}", uuid::Uuid::nil()))
            .await
            .expect(422);
        reader
            .get("/o/kommunen/map?criticality=extreme")
            .await
            .expect(422);
        let unit_page = reader
            .get_text(&format!("/o/kommunen/units/{}", mine.id))
            .await;
        assert!(unit_page.contains("Beroendekarta för enhetens system"));
        let list = reader.get("/o/kommunen/integrations").await.expect(200);
        assert!(
            list.hrefs()
                .iter()
                .any(|h| h.starts_with("/o/kommunen/map"))
        );
        // Secret by default: no one outside sees it.
        let anonymous = App::anonymous(&store).get("/o/kommunen/map").await;
        assert_ne!(anonymous.status.as_u16(), 200);
        assert!(!anonymous.body.contains("Treserva"));
    }
);

/// The old read of the map's flows: every flow, the most critical first, by
/// id within a criticality, the first `READ_EDGES` (2 × `MAX_EDGES`).
async fn first_flows_by_criticality(
    store: &Store,
    org: OrgId,
    only: Option<Criticality>,
) -> anyhow::Result<Vec<Edge>> {
    let mut all = vec![];
    for n in 1.. {
        let page = store
            .list_integrations(
                org,
                &insyn_store::integrations::IntegrationFilter::default(),
                PageRequest::new(Some(n), Some(200)),
            )
            .await?;
        let done = page.items.len() < 200;
        all.extend(page.items);
        if done {
            break;
        }
    }
    let rank = |c: Criticality| match c {
        Criticality::Critical => 0,
        Criticality::High => 1,
        Criticality::Medium => 2,
        Criticality::Low => 3,
    };
    let mut edges: Vec<Edge> = all
        .into_iter()
        .filter(|i| only.is_none_or(|c| i.criticality == c))
        .map(|i| Edge {
            id: i.id,
            from: i.from_system_id,
            to: i.to_system_id,
            both: i.direction == Direction::Both,
            criticality: i.criticality,
            personal_data: false,
        })
        .collect();
    edges.sort_by_key(|e| (rank(e.criticality), e.id.0));
    edges.truncate(2 * MAX_EDGES);
    Ok(edges)
}

dual_test!(
    the_organisations_map_draws_the_same_flows_as_sorting_every_flow_by_criticality_and_id,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let mut s = vec![];
        for i in 0..70 {
            s.push(k.system(&format!("System {i:02}")).await);
        }
        // 330 flows, the criticalities mixed, so that the first 300 end
        // inside the last criticality and more systems than drawn take part.
        let kinds = [
            Criticality::Low,
            Criticality::Critical,
            Criticality::Medium,
            Criticality::High,
        ];
        for n in 0..330usize {
            let from = s[(n * 7) % 70].id;
            let to = s[(n * 11 + 1 + usize::from((n * 7) % 70 == (n * 11 + 1) % 70)) % 70].id;
            let c = kinds[(n * 5 / 3) % 4];
            store
                .create_integration(&actor(), k.org, flow(from, to, c))
                .await?;
        }
        for only in [None, Some(Criticality::Low), Some(Criticality::High)] {
            let expected = first_flows_by_criticality(&store, k.org, only).await?;
            let m = store
                .scope_map(k.org, None, only, PageRequest::default())
                .await?;
            let want = overview::overview(&expected, &[], |_| true, MAX_NODES, MAX_EDGES);
            assert!(!want.edges.is_empty());
            assert_eq!(m.overview, want, "{only:?}");
        }
        // The unit's map reads the same way, among its systems' flows.
        let mine = unit(&store, k.org, None, "Socialförvaltningen").await;
        let a = system_in(&store, k.org, "Treserva", mine.id).await?;
        for (n, c) in kinds.iter().enumerate() {
            store
                .create_integration(&actor(), k.org, flow(a.id, s[n].id, *c))
                .await?;
        }
        let m = store
            .scope_map(k.org, Some(mine.id), None, PageRequest::default())
            .await?;
        let order: Vec<Criticality> = m.overview.edges.iter().map(|e| e.criticality).collect();
        assert_eq!(order, [kinds[1], kinds[3], kinds[2], kinds[0]]);
    }
);
