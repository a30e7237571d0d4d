//! The demo municipality's integrations: deterministic, so every load draws
//! the same maps. One hub system with about 50 neighbours (the benchmark's
//! map), and one flow into every other system from one that sorts before it
//! (a forest: chains several levels deep, as a municipality's are).

use super::*;
use crate::ids::SystemId;

/// How many neighbours the hub gets (fewer in a small register).
pub const HUB_NEIGHBOURS: usize = 50;

/// splitmix64 over an index: a stable pseudo-random number.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The demo's flows between `systems` (the register in a stable order),
/// with `hub` at the centre of many; a flow touching a system of `sets`
/// (system, information set with personal data) carries that set.
pub fn demo_flows(
    hub: SystemId,
    systems: &[SystemId],
    sets: &[(SystemId, Uuid)],
) -> Vec<IntegrationDraft> {
    let others: Vec<SystemId> = systems.iter().copied().filter(|s| *s != hub).collect();
    let flow = |from: SystemId, to: SystemId, k: u64| {
        let set = sets
            .iter()
            .filter(|(s, _)| *s == from || *s == to)
            .map(|(_, id)| *id)
            .take(1)
            .collect();
        IntegrationDraft {
            from_system_id: from,
            to_system_id: to,
            direction: if k % 7 == 3 {
                Direction::Both
            } else {
                Direction::OneWay
            },
            interface: Some(
                ["REST", "SFTP", "SOAP", "Filöverföring", "SQL-vy"][(k % 5) as usize].to_owned(),
            ),
            information_set_ids: set,
            frequency: Frequency::ALL[(k % Frequency::ALL.len() as u64) as usize],
            criticality: Criticality::ALL[(mix(k) % Criticality::ALL.len() as u64) as usize],
            responsible_id: None,
            note: None,
        }
    };
    let mut out = vec![];
    let n = others.len().min(HUB_NEIGHBOURS);
    for (j, o) in others.iter().take(n).enumerate() {
        // A third send to the hub; the rest depend on it.
        if j % 3 == 0 {
            out.push(flow(*o, hub, j as u64));
        } else {
            out.push(flow(hub, *o, j as u64));
        }
    }
    // Beyond the hub's neighbours: each system fed by one before it.
    for i in (n + 1)..others.len() {
        let from = others[(mix(i as u64) % i as u64) as usize];
        out.push(flow(from, others[i], i as u64 + 1000));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_has_its_neighbours_and_every_flow_is_valid() {
        let systems: Vec<SystemId> = (0..200).map(|_| SystemId::new()).collect();
        let hub = systems[7];
        let flows = demo_flows(hub, &systems, &[(hub, Uuid::nil())]);
        let at_hub = flows
            .iter()
            .filter(|f| f.from_system_id == hub || f.to_system_id == hub)
            .count();
        assert_eq!(at_hub, HUB_NEIGHBOURS);
        assert!(flows.iter().all(|f| f.clone().validate().is_ok()));
        assert_eq!(flows.len(), 198);
        assert!(flows[0].information_set_ids.contains(&Uuid::nil()));
    }
}
