//! A realistic demo municipality, generated deterministically: the same `n`
//! always gives the same organisation, units, people, systems and roles.

use crate::ids::*;
use crate::model::*;
use chrono::NaiveDate;

/// Everything the demo puts into an empty installation.
#[derive(Debug, Clone)]
pub struct DemoData {
    pub orgs: Vec<DemoOrg>,
    pub products: Vec<(ProductId, ProductDraft)>,
}

#[derive(Debug, Clone)]
pub struct DemoOrg {
    pub id: OrgId,
    pub draft: OrgDraft,
    pub units: Vec<(UnitId, UnitDraft)>,
    pub people: Vec<(PersonId, PersonDraft)>,
    pub systems: Vec<(SystemId, SystemDraft)>,
    /// (role code, person, system)
    pub assignments: Vec<(&'static str, PersonId, SystemId, NaiveDate)>,
}

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn uuid(&mut self) -> uuid::Uuid {
        let hi = self.next();
        let lo = self.next();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi.to_be_bytes());
        bytes[8..].copy_from_slice(&lo.to_be_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// The demo's security coordinator: her sign-in, and who the demo's own
/// records say decided and recorded them.
pub const DEMO_COORDINATOR: &str = "sakerhet@exempelstad.se";

mod data;
use data::*;

fn demo_date(rng: &mut Rng) -> NaiveDate {
    let year = 2004 + rng.below(22) as i32;
    let month = 1 + rng.below(12) as u32;
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
}

fn org_id(seed: u64) -> OrgId {
    OrgId(Rng(seed).uuid())
}

/// The demo: the municipality "Exempelstad kommun" with `n` systems, and a
/// small municipal company with its own register.
pub fn generate(n: usize) -> DemoData {
    let mut products = Vec::new();
    let mut rng = Rng(0x1d5e_ed00_0000_0001);
    let mut product_ids = Vec::new();
    for &(name, _, vendor, _, _, _, _, _, _) in NAMED {
        let id = ProductId(rng.uuid());
        product_ids.push(id);
        products.push((
            id,
            ProductDraft {
                name: name.to_owned(),
                vendor: Some(vendor.to_owned()),
                description: None,
            },
        ));
    }
    let kommun = generate_org(
        org_id(1),
        OrgDraft {
            slug: "exempelstad".into(),
            name: "Exempelstad kommun".into(),
            kind: OrgKind::Municipality,
            parent_id: None,
        },
        n,
        &product_ids,
        &mut rng,
    );
    let bolag = generate_org(
        org_id(2),
        OrgDraft {
            slug: "exempelstad-energi".into(),
            name: "Exempelstad Energi AB".into(),
            kind: OrgKind::Company,
            parent_id: Some(kommun.id),
        },
        12.min(n),
        &product_ids,
        &mut rng,
    );
    DemoData {
        orgs: vec![kommun, bolag],
        products,
    }
}

/// The national shape: the demo (Exempelstad and its company) and
/// `municipalities - 1` further municipalities of `n` systems each, slugs
/// `kommun-002`, `kommun-003`, … (deterministic, like [`generate`]).
pub fn generate_national(n: usize, municipalities: usize) -> DemoData {
    let mut data = generate(n);
    let product_ids: Vec<ProductId> = data.products.iter().map(|(id, _)| *id).collect();
    let mut rng = Rng(0x1d5e_ed00_0000_0002);
    for k in 2..=municipalities {
        let org = generate_org(
            org_id(1000 + k as u64),
            OrgDraft {
                slug: format!("kommun-{k:03}"),
                name: format!("Kommun {k:03}"),
                kind: OrgKind::Municipality,
                parent_id: None,
            },
            n,
            &product_ids,
            &mut rng,
        );
        data.orgs.push(org);
    }
    data
}

fn generate_org(
    id: OrgId,
    draft: OrgDraft,
    n: usize,
    product_ids: &[ProductId],
    rng: &mut Rng,
) -> DemoOrg {
    let company = draft.kind == OrgKind::Company;
    let mut units = Vec::new();
    let mut offices: Vec<(UnitId, usize)> = Vec::new(); // (kontor id, förvaltning index)
    let mut forvaltningar = Vec::new();
    let tree: &[(&str, &str, &[&str])] = if company {
        &[(
            "Styrelsen",
            "Verksamheten",
            &["Elnät", "Fjärrvärme", "Kundservice"],
        )]
    } else {
        TREE
    };
    for (fi, (namnd, forv, kontor)) in tree.iter().enumerate() {
        let nid = UnitId(rng.uuid());
        units.push((
            nid,
            UnitDraft {
                parent_id: None,
                name: (*namnd).to_owned(),
                level: if company { "Styrelse" } else { "Nämnd" }.to_owned(),
                manager_id: None,
            },
        ));
        let fid = UnitId(rng.uuid());
        forvaltningar.push(fid);
        units.push((
            fid,
            UnitDraft {
                parent_id: Some(nid),
                name: (*forv).to_owned(),
                level: if company { "Bolag" } else { "Förvaltning" }.to_owned(),
                manager_id: None,
            },
        ));
        for k in kontor.iter() {
            let kid = UnitId(rng.uuid());
            offices.push((kid, fi));
            units.push((
                kid,
                UnitDraft {
                    parent_id: Some(fid),
                    name: (*k).to_owned(),
                    level: if k.starts_with("IT") || k.ends_with("kontoret") {
                        "Kontor"
                    } else {
                        "Avdelning"
                    }
                    .to_owned(),
                    manager_id: None,
                },
            ));
        }
    }

    // About one person for every four systems, at least 40, spread over the offices.
    let domain = format!("{}.se", draft.slug);
    let person_count = if company { 8 } else { (n / 4).max(40) };
    let mut people = Vec::with_capacity(person_count);
    for i in 0..person_count {
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        let (unit, _) = offices[i % offices.len()];
        let title = match i % 7 {
            0 => "Förvaltningschef",
            1 => "Enhetschef",
            2 => "Systemförvaltare",
            3 => "Verksamhetsutvecklare",
            4 => "IT-tekniker",
            5 => "Handläggare",
            _ => "Avdelningschef",
        };
        let email = format!(
            "{}.{}{}@{}",
            ascii_fold(first),
            ascii_fold(last),
            i + 1,
            domain
        );
        people.push((
            PersonId(rng.uuid()),
            PersonDraft {
                name: format!("{first} {last}"),
                email: Some(email),
                title: Some(title.to_owned()),
                unit_id: Some(unit),
                active: !rng.chance(3),
            },
        ));
    }

    let mut systems = Vec::with_capacity(n);
    let mut assignments = Vec::with_capacity(n * 2);
    for i in 0..n {
        let sid = SystemId(rng.uuid());
        let mut d;
        if i < NAMED.len() && !company {
            let (name, short, vendor, purpose, capability, fi, ki, critical, users) = NAMED[i];
            d = SystemDraft::named(name);
            d.short_name = Some(short.to_owned());
            d.vendor = Some(vendor.to_owned());
            d.purpose = Some(purpose.to_owned());
            d.description = Some(format!("{name} används för: {}.", purpose.to_lowercase()));
            d.capabilities = vec![capability.to_owned()];
            d.product_id = Some(product_ids[i]);
            d.business_critical = critical;
            d.user_count = Some(users);
            let of: Vec<&(UnitId, usize)> = offices.iter().filter(|(_, f)| *f == fi).collect();
            d.responsible_unit_id = Some(of[ki.min(of.len() - 1)].0);
            d.hosting = if name == "Microsoft 365" {
                Hosting::Saas
            } else {
                Hosting::Internal
            };
        } else {
            let a = rng.pick(WORDS_A);
            let b = rng.pick(WORDS_B);
            d = SystemDraft::named(&format!("{a}{b} {}", i + 1));
            d.vendor = Some((*rng.pick(VENDORS)).to_owned());
            d.purpose = Some(format!("Stöd för {} i verksamheten", a.to_lowercase()));
            d.capabilities = vec![format!("{a}hantering")];
            d.business_critical = rng.chance(15);
            d.user_count = Some(1 + rng.below(800) as i64);
            d.responsible_unit_id = Some(offices[rng.below(offices.len())].0);
            d.hosting = *rng.pick(Hosting::ALL);
        }
        d.version = Some(format!("{}.{}", 1 + rng.below(12), rng.below(10)));
        d.lifecycle = match rng.below(20) {
            0 => Lifecycle::Planned,
            1 => Lifecycle::Procuring,
            2 | 3 => Lifecycle::PhasingOut,
            4 => Lifecycle::Decommissioned,
            _ => Lifecycle::InOperation,
        };
        // The first named system (Treserva) is the demo owner's flagship, in
        // daily use; drawn as the others, so the rest of the data is the same.
        if i == 0 && !company {
            d.lifecycle = Lifecycle::InOperation;
        }
        if d.lifecycle != Lifecycle::Planned && d.lifecycle != Lifecycle::Procuring {
            d.go_live_date = Some(demo_date(rng));
        }
        if d.lifecycle == Lifecycle::Decommissioned {
            d.end_date = d.go_live_date.map(|g| g + chrono::Days::new(365 * 5));
        }
        d.licence_model = Some((*rng.pick(LICENCE_MODELS)).to_owned());
        d.licence_count = d.user_count;
        d.escalation_route = Some("Servicedesk → systemförvaltaren → leverantörens support".into());
        d.doc_links = vec![DocLink {
            label: "Användarhandledning".into(),
            url: format!("https://intranat.{domain}/system/{}", i + 1),
        }];
        if d.business_critical {
            d.tags.push("Verksamhetskritisk".into());
        }
        if rng.chance(30) {
            d.tags.push("Personuppgifter".into());
        }
        // Another unit that also uses it.
        if rng.chance(25) {
            let other = offices[rng.below(offices.len())].0;
            if Some(other) != d.responsible_unit_id {
                d.using_unit_ids.push(other);
            }
        }

        let start = d.go_live_date.unwrap_or_else(|| demo_date(rng));
        // One in twenty systems has no owner yet: the register should show that.
        if !rng.chance(5) {
            let owner = people[rng.below(people.len())].0;
            assignments.push((SYSTEM_OWNER, owner, sid, start));
        }
        let manager = people[rng.below(people.len())].0;
        assignments.push(("system_manager", manager, sid, start));
        if rng.chance(30) {
            let admin = people[rng.below(people.len())].0;
            assignments.push(("system_administrator", admin, sid, start));
        }
        systems.push((sid, d));
    }
    DemoOrg {
        id,
        draft,
        units,
        people,
        systems,
        assignments,
    }
}

fn ascii_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'é' => 'e',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_for_a_given_n() {
        let a = generate(300);
        let b = generate(300);
        assert_eq!(a.orgs[0].systems.len(), 300);
        assert_eq!(
            a.orgs[0].systems.iter().map(|s| s.0).collect::<Vec<_>>(),
            b.orgs[0].systems.iter().map(|s| s.0).collect::<Vec<_>>()
        );
        assert_eq!(a.orgs[0].systems[0].1.name, "Treserva");
    }

    #[test]
    fn the_national_shape_adds_municipalities_deterministically() {
        let a = generate_national(20, 4);
        let b = generate_national(20, 4);
        let slugs: Vec<_> = a.orgs.iter().map(|o| o.draft.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "exempelstad",
                "exempelstad-energi",
                "kommun-002",
                "kommun-003",
                "kommun-004"
            ]
        );
        assert_eq!(a.orgs[4].systems.len(), 20);
        let ids = |d: &DemoData| -> Vec<_> {
            d.orgs
                .iter()
                .flat_map(|o| o.systems.iter().map(|s| s.0))
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        let unique: std::collections::HashSet<_> = ids(&a).into_iter().collect();
        assert_eq!(unique.len(), ids(&a).len());
        // One municipality is the demo as it was.
        assert_eq!(generate_national(20, 1).orgs.len(), 2);
    }

    #[test]
    fn every_demo_draft_is_valid_and_names_are_unique() {
        let d = generate(500);
        let mut names = std::collections::HashSet::new();
        for org in &d.orgs {
            org.draft.clone().validate().unwrap();
            for (_, s) in &org.systems {
                s.clone().validate().unwrap();
                assert!(names.insert((org.id, s.name.clone())), "{}", s.name);
            }
            for (_, p) in &org.people {
                p.clone().validate().unwrap();
            }
            for (_, u) in &org.units {
                u.clone().validate().unwrap();
            }
        }
        // Some systems lack an owner, most have one.
        let org = &d.orgs[0];
        let owned: std::collections::HashSet<_> = org
            .assignments
            .iter()
            .filter(|a| a.0 == SYSTEM_OWNER)
            .map(|a| a.2)
            .collect();
        assert!(owned.len() < org.systems.len());
        assert!(owned.len() > org.systems.len() * 8 / 10);
    }
}
