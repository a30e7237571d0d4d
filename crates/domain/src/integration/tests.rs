use super::*;
use crate::ids::{IntegrationId, SystemId, UnitId};
use std::collections::HashMap;

fn sys() -> SystemId {
    SystemId::new()
}

fn edge(from: SystemId, to: SystemId, personal_data: bool) -> Edge {
    Edge {
        id: IntegrationId::new(),
        from,
        to,
        both: false,
        criticality: Criticality::High,
        personal_data,
    }
}

fn facts(name: &str, rto: Option<i64>, units: Vec<UnitId>) -> SystemFacts {
    SystemFacts {
        name: name.into(),
        rto_minutes: rto,
        mtd_minutes: None,
        units,
        business_critical: false,
    }
}

#[test]
fn if_a_is_down_b_and_c_stop_but_not_d_and_c_is_flagged() {
    let (a, b, c, d) = (sys(), sys(), sys(), sys());
    let (ub, uc, ud, top) = (UnitId::new(), UnitId::new(), UnitId::new(), UnitId::new());
    let ab = edge(a, b, true);
    let edges = vec![ab, edge(b, c, false), edge(d, b, true)];
    let mut systems = HashMap::new();
    systems.insert(a, facts("A", Some(8 * 60), vec![]));
    systems.insert(b, facts("B", None, vec![ub]));
    systems.insert(c, facts("C", Some(2 * 60), vec![uc]));
    systems.insert(d, facts("D", Some(60), vec![ud]));
    let unit = |name: &str, parent| UnitFacts {
        name: name.into(),
        parent,
    };
    let units = HashMap::from([
        (ub, unit("Lön", Some(top))),
        (uc, unit("Skola", None)),
        (ud, unit("Vård", None)),
        (top, unit("Kommunstyrelsen", None)),
    ]);
    let i = impact(&ImpactFacts {
        down: a,
        edges,
        systems,
        units,
    });
    let names: Vec<(&str, u32)> = i
        .affected
        .iter()
        .map(|x| (x.name.as_str(), x.depth))
        .collect();
    assert_eq!(names, vec![("B", 1), ("C", 2)]);
    assert_eq!(i.affected[1].path, vec![a, b, c]);
    let unit_names: Vec<(&str, &str)> = i
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.top_name.as_str()))
        .collect();
    assert_eq!(
        unit_names,
        vec![("Lön", "Kommunstyrelsen"), ("Skola", "Skola")]
    );
    assert_eq!(i.conflicts.len(), 1, "C tolerates 2 h, A may be down 8 h");
    assert_eq!(i.conflicts[0].system_id, c);
    assert_eq!(i.conflicts[0].limit, Limit::Rto);
    assert_eq!(i.conflicts[0].tolerates_minutes, 120);
    assert_eq!(i.conflicts[0].down_rto_minutes, 480);
    assert_eq!(
        i.stopped_personal_data_flows
            .iter()
            .map(|x| x.integration_id)
            .collect::<Vec<_>>(),
        vec![ab.id],
        "D → B still flows"
    );
}

#[test]
fn a_cycle_ends_the_walk() {
    let (a, b) = (sys(), sys());
    let edges = vec![edge(a, b, false), edge(b, a, false)];
    let found = dependants(&edges, a, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, b);
    let i = impact(&ImpactFacts {
        down: a,
        edges,
        ..Default::default()
    });
    assert_eq!(i.affected.len(), 1);
}

#[test]
fn a_flow_both_ways_makes_each_depend_on_the_other() {
    let (a, b) = (sys(), sys());
    let mut e = edge(a, b, false);
    e.both = true;
    assert_eq!(dependants(&[e], b, None)[0].0, a);
    assert_eq!(dependants(&[e], a, None)[0].0, b);
}

#[test]
fn mtd_shorter_than_the_rto_is_a_conflict_and_critical_dependants_suggest() {
    let (a, b, u) = (sys(), sys(), sys());
    let mut systems = HashMap::new();
    systems.insert(a, facts("A", Some(240), vec![]));
    let mut fb = facts("B", Some(600), vec![]);
    fb.mtd_minutes = Some(120);
    fb.business_critical = true;
    systems.insert(b, fb);
    systems.insert(u, facts("U", None, vec![]));
    let i = impact(&ImpactFacts {
        down: a,
        edges: vec![edge(a, b, false), edge(u, a, false)],
        systems: systems.clone(),
        units: HashMap::new(),
    });
    assert_eq!(i.conflicts.len(), 1);
    assert_eq!(i.conflicts[0].limit, Limit::Mtd);
    assert!(i.suggest_business_critical);
    assert_eq!(
        i.critical_dependants
            .iter()
            .map(|a| a.system_id)
            .collect::<Vec<_>>(),
        vec![b]
    );
    // B is critical: U and A, which it depends on, are suggested.
    let i = impact(&ImpactFacts {
        down: b,
        edges: vec![edge(a, b, false), edge(u, a, false)],
        systems,
        units: HashMap::new(),
    });
    let up: Vec<SystemId> = i.suggested_suppliers.iter().map(|s| s.system_id).collect();
    assert_eq!(up, vec![a, u]);
}

#[test]
fn the_map_puts_suppliers_left_and_dependants_right_and_caps() {
    let x = sys();
    let ups: Vec<SystemId> = (0..3).map(|_| sys()).collect();
    let downs: Vec<SystemId> = (0..60).map(|_| sys()).collect();
    let mut edges: Vec<Edge> = ups.iter().map(|u| edge(*u, x, false)).collect();
    edges.extend(downs.iter().map(|d| edge(x, *d, false)));
    let l = layout(&edges, x, 1, 150);
    assert_eq!(l.nodes.len(), 64);
    assert_eq!(l.more, 0);
    assert_eq!(l.node(ups[0]).map(|n| n.column), Some(-1));
    assert_eq!(l.node(downs[0]).map(|n| n.column), Some(1));
    assert_eq!(l.rows(), 60);
    assert_eq!(l.columns(), (-1, 1));
    assert_eq!(l.edges.len(), 63);
    let l = layout(&edges, x, 9, 10);
    assert_eq!(l.depth, MAX_DEPTH);
    assert_eq!(l.nodes.len(), 10);
    assert_eq!(l.more, 54);
    assert_eq!(layout(&edges, x, 1, 10).nodes, l.nodes, "deterministic");
}

#[test]
fn the_same_system_twice_is_refused() {
    let a = sys();
    let d = IntegrationDraft {
        from_system_id: a,
        to_system_id: a,
        direction: Direction::OneWay,
        interface: Some("x".repeat(201)),
        information_set_ids: vec![],
        frequency: Frequency::Daily,
        criticality: Criticality::Low,
        responsible_id: None,
        note: None,
    };
    let e = d.validate().unwrap_err();
    assert_eq!(e.get("to_system_id"), Some(SAME_SYSTEM));
    assert_eq!(e.get("interface"), Some(crate::validation::TOO_LONG));
}

#[test]
fn the_lists_are_capped_with_their_totals() {
    let a = sys();
    let edges: Vec<Edge> = (0..LISTED + 5).map(|_| edge(a, sys(), false)).collect();
    let i = impact(&ImpactFacts {
        down: a,
        edges,
        ..Default::default()
    });
    assert_eq!(i.affected.len(), LISTED);
    assert_eq!(i.affected_total, LISTED + 5);
    assert!(i.complete);
}
