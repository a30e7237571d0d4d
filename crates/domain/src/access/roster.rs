//! A system's own user list against what insyn believes, and what a person
//! who leaves or moves leaves behind.

use crate::ids::*;
use crate::model::Person;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One person holding one profile, as insyn knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holding {
    pub id: HoldingId,
    pub person_id: PersonId,
    pub profile_id: AccessProfileId,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    /// The order that granted it; none when it came from a user list.
    pub order_id: Option<AccessOrderId>,
    /// The person's user name in the system, where known.
    pub account: Option<String>,
}

impl Holding {
    pub fn is_current(&self, day: NaiveDate) -> bool {
        self.since <= day && self.until.is_none_or(|u| u >= day)
    }
}

/// One row of a system's user list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAccount {
    /// The row in the file (1 = the first data row's line number as shown).
    pub row: usize,
    pub account: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The profile's name as the list spells it, if the list has one.
    pub profile: Option<String>,
}

/// What insyn knows of one holder, for matching a list against.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownHolding<'a> {
    pub holding: &'a Holding,
    pub person: &'a Person,
    pub profile_name: &'a str,
}

/// One difference between a user list and insyn's holdings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RosterDifference {
    /// An account in the list that matches no holder insyn knows.
    Unknown { row: usize },
    /// An account in the list of a person who has left.
    Leaver { row: usize, person_id: PersonId },
    /// The list names another profile than insyn believes.
    OtherProfile {
        row: usize,
        person_id: PersonId,
        listed: String,
    },
    /// A holding insyn believes in that the list lacks.
    Missing { holding_id: HoldingId },
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Compares a user list with insyn's current holdings of the same system.
/// A row matches a holder by e-mail or by user name (case does not count).
/// The result is in the list's row order, then the missing holdings.
pub fn compare_roster(
    known: &[KnownHolding<'_>],
    listed: &[ListedAccount],
) -> Vec<RosterDifference> {
    let mut by_email: BTreeMap<String, Vec<&KnownHolding>> = BTreeMap::new();
    let mut by_account: BTreeMap<String, Vec<&KnownHolding>> = BTreeMap::new();
    for k in known {
        if let Some(e) = &k.person.email {
            by_email.entry(key(e)).or_default().push(k);
        }
        if let Some(a) = &k.holding.account {
            by_account.entry(key(a)).or_default().push(k);
        }
    }
    let mut seen: BTreeSet<HoldingId> = BTreeSet::new();
    let mut out = vec![];
    for row in listed {
        let matches = row
            .email
            .as_deref()
            .and_then(|e| by_email.get(&key(e)))
            .or_else(|| row.account.as_deref().and_then(|a| by_account.get(&key(a))));
        let Some(matches) = matches else {
            out.push(RosterDifference::Unknown { row: row.row });
            continue;
        };
        let person = matches[0].person;
        // The holding the row stands for: the one with the listed profile,
        // or any of the person's when the list names none.
        let wanted = row.profile.as_deref().map(key);
        let same = matches
            .iter()
            .find(|k| wanted.as_ref().is_none_or(|w| key(k.profile_name) == *w));
        match same {
            Some(k) => {
                seen.insert(k.holding.id);
            }
            None => {
                for k in matches {
                    seen.insert(k.holding.id);
                }
                out.push(RosterDifference::OtherProfile {
                    row: row.row,
                    person_id: person.id,
                    listed: row.profile.clone().unwrap_or_default(),
                });
            }
        }
        if !person.active {
            out.push(RosterDifference::Leaver {
                row: row.row,
                person_id: person.id,
            });
        }
    }
    for k in known {
        if !seen.contains(&k.holding.id) {
            out.push(RosterDifference::Missing {
                holding_id: k.holding.id,
            });
        }
    }
    out
}

/// Why a person's access must be looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Departure {
    /// No longer active in the organisation.
    Left,
    /// Moved to another unit: access given for the old job is removed.
    Moved,
}

/// Whether a change to a person makes them a leaver or a mover.
pub fn departure(before: &Person, after: &Person) -> Option<Departure> {
    if before.active && !after.active {
        Some(Departure::Left)
    } else if after.active && before.unit_id.is_some() && before.unit_id != after.unit_id {
        Some(Departure::Moved)
    } else {
        None
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A person for the tests of this folder.
    pub(in crate::access) fn person(name: &str, email: &str, active: bool) -> Person {
        Person {
            id: PersonId::new(),
            org_id: OrgId::new(),
            name: name.into(),
            email: Some(email.into()),
            title: None,
            unit_id: Some(UnitId::new()),
            active,
            updated_at: chrono::Utc::now(),
            employee_number: None,
        }
    }

    fn holding(p: &Person, account: Option<&str>) -> Holding {
        Holding {
            id: HoldingId::new(),
            person_id: p.id,
            profile_id: AccessProfileId::new(),
            since: "2025-01-01".parse().unwrap(),
            until: None,
            order_id: None,
            account: account.map(str::to_owned),
        }
    }

    /// A row of a user list; an empty text is a blank cell.
    pub(in crate::access) fn row(
        n: usize,
        account: &str,
        email: &str,
        profile: &str,
    ) -> ListedAccount {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        ListedAccount {
            row: n,
            account: opt(account),
            email: opt(email),
            name: None,
            profile: opt(profile),
        }
    }

    #[test]
    fn the_list_and_the_register_differ_exactly_where_they_do() {
        let kim = person("Kim", "kim@exempelstad.se", true);
        let lo = person("Lo", "lo@exempelstad.se", false);
        let ann = person("Ann", "ann@exempelstad.se", true);
        let bo = person("Bo", "bo@exempelstad.se", true);
        let (hk, hl, ha, hb) = (
            holding(&kim, None),
            holding(&lo, Some("lo01")),
            holding(&ann, None),
            holding(&bo, None),
        );
        let known = [
            KnownHolding {
                holding: &hk,
                person: &kim,
                profile_name: "Handläggare",
            },
            KnownHolding {
                holding: &hl,
                person: &lo,
                profile_name: "Läsare",
            },
            KnownHolding {
                holding: &ha,
                person: &ann,
                profile_name: "Handläggare",
            },
            KnownHolding {
                holding: &hb,
                person: &bo,
                profile_name: "Läsare",
            },
        ];
        let listed = [
            row(2, "", "KIM@exempelstad.se", "handläggare"),
            row(3, "LO01", "", ""),
            row(4, "okand", "okand@leverantor.se", ""),
            row(5, "", "ann@exempelstad.se", "Administratör"),
        ];
        assert_eq!(
            compare_roster(&known, &listed),
            vec![
                RosterDifference::Leaver {
                    row: 3,
                    person_id: lo.id
                },
                RosterDifference::Unknown { row: 4 },
                RosterDifference::OtherProfile {
                    row: 5,
                    person_id: ann.id,
                    listed: "Administratör".into()
                },
                RosterDifference::Missing { holding_id: hb.id },
            ]
        );
        // The same list as insyn believes: no differences.
        let same = [
            row(2, "", "kim@exempelstad.se", "Handläggare"),
            row(3, "lo01", "", "Läsare"),
            row(4, "", "ann@exempelstad.se", ""),
            row(5, "", "bo@exempelstad.se", "läsare"),
        ];
        let d = compare_roster(&known, &same);
        assert_eq!(
            d,
            vec![RosterDifference::Leaver {
                row: 3,
                person_id: lo.id
            }]
        );
    }

    #[test]
    fn leavers_and_movers() {
        let before = person("Kim", "kim@exempelstad.se", true);
        let mut left = before.clone();
        left.active = false;
        assert_eq!(departure(&before, &left), Some(Departure::Left));
        let mut moved = before.clone();
        moved.unit_id = Some(UnitId::new());
        assert_eq!(departure(&before, &moved), Some(Departure::Moved));
        let mut retitled = before.clone();
        retitled.title = Some("Chef".into());
        assert_eq!(departure(&before, &retitled), None);
        // Given a unit for the first time is not a move.
        let mut none = before.clone();
        none.unit_id = None;
        assert_eq!(departure(&none, &before), None);
        // Coming back is not leaving.
        assert_eq!(departure(&left, &before), None);
    }
}
