//! What importing a system's user list changes: the differences themselves
//! are [`compare_roster`]'s; here is what insyn records from them. A row
//! that matches a holding by e-mail gives the holding the list's user name;
//! a row of an active person in the register who holds nothing on the
//! system, naming one of its profiles (or the system has only one), becomes
//! a holding that came from the list. Everything else (leavers, holdings the
//! list lacks, another profile than insyn believes) is only reported: those
//! are decisions for people, taken through orders.

use super::{AccessProfile, KnownHolding, ListedAccount};
use crate::ids::*;
use crate::model::Person;
use serde::Serialize;
use std::collections::BTreeSet;

/// A row whose profile the system does not have.
pub const ROSTER_UNKNOWN_PROFILE: &str = "import-roster-unknown-profile";
/// A row of a person in the register that names no profile, on a system
/// with more than one.
pub const ROSTER_WHICH_PROFILE: &str = "import-roster-which-profile";
/// A user name longer than [`MAX_ACCOUNT_CHARS`].
pub const ROSTER_ACCOUNT_TOO_LONG: &str = "import-roster-account-too-long";

/// The longest user name recorded.
pub const MAX_ACCOUNT_CHARS: usize = 200;

/// One change an import makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RosterChange {
    /// The holding gets the user name the list gives it.
    Account {
        row: usize,
        holding_id: HoldingId,
        person_id: PersonId,
        account: String,
    },
    /// A person in the register holds the profile, as the list says.
    Holding {
        row: usize,
        person_id: PersonId,
        profile_id: AccessProfileId,
        account: Option<String>,
    },
}

/// A row insyn cannot use as it is: the row, the column and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRowIssue {
    pub row: usize,
    /// `account`, `email`, `name` or `profile`.
    pub column: String,
    /// A message key.
    pub code: String,
    pub value: String,
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The changes importing `listed` makes, given the system's current
/// holdings (`known`), its profiles and the organisation's people, and the
/// problems of the rows it cannot use. Applying the changes and planning
/// again gives no changes: a re-import is a no-op.
pub fn plan_roster(
    known: &[KnownHolding<'_>],
    listed: &[ListedAccount],
    profiles: &[AccessProfile],
    people: &[Person],
) -> (Vec<RosterChange>, Vec<RosterRowIssue>) {
    let profiles: Vec<&AccessProfile> = profiles.iter().filter(|p| !p.archived).collect();
    let mut changes = vec![];
    let mut issues = vec![];
    let mut granted: BTreeSet<(PersonId, AccessProfileId)> = BTreeSet::new();
    let mut named: BTreeSet<HoldingId> = BTreeSet::new();
    for row in listed {
        let issue = |column: &str, code: &str, value: &str| RosterRowIssue {
            row: row.row,
            column: column.into(),
            code: code.into(),
            value: value.into(),
        };
        let account = row.account.as_deref();
        if let Some(a) = account
            && a.chars().count() > MAX_ACCOUNT_CHARS
        {
            issues.push(issue("account", ROSTER_ACCOUNT_TOO_LONG, a));
            continue;
        }
        let email = row.email.as_deref().map(key);
        let by_email: Vec<&KnownHolding> = known
            .iter()
            .filter(|k| email.is_some() && k.person.email.as_deref().map(key) == email)
            .collect();
        let by_account = account.is_some_and(|a| {
            known
                .iter()
                .any(|k| k.holding.account.as_deref().map(key) == Some(key(a)))
        });
        if !by_email.is_empty() {
            let wanted = row.profile.as_deref().map(key);
            let held = by_email
                .iter()
                .find(|k| wanted.as_ref().is_none_or(|w| key(k.profile_name) == *w));
            if let (Some(k), Some(a)) = (held, account)
                && k.holding.account.as_deref() != Some(a)
                && named.insert(k.holding.id)
            {
                changes.push(RosterChange::Account {
                    row: row.row,
                    holding_id: k.holding.id,
                    person_id: k.person.id,
                    account: a.to_owned(),
                });
            }
            continue;
        }
        if by_account {
            continue;
        }
        // Unknown to the holdings: a person of the register's, by e-mail?
        let Some(person) = email.as_ref().and_then(|e| {
            people
                .iter()
                .find(|p| p.active && p.email.as_deref().map(key).as_ref() == Some(e))
        }) else {
            continue;
        };
        let profile = match row.profile.as_deref() {
            Some(name) => match profiles.iter().find(|p| key(&p.name) == key(name)) {
                Some(p) => p,
                None => {
                    issues.push(issue("profile", ROSTER_UNKNOWN_PROFILE, name));
                    continue;
                }
            },
            None if profiles.len() == 1 => profiles[0],
            None => {
                issues.push(issue("profile", ROSTER_WHICH_PROFILE, ""));
                continue;
            }
        };
        if granted.insert((person.id, profile.id)) {
            changes.push(RosterChange::Holding {
                row: row.row,
                person_id: person.id,
                profile_id: profile.id,
                account: row.account.clone(),
            });
        }
    }
    (changes, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::roster::tests::{person, row};
    use crate::access::{AccessProfileDraft, Holding, Parties};

    fn profile(name: &str) -> AccessProfile {
        let d = AccessProfileDraft::named(name);
        let parties = Parties::default();
        AccessProfile {
            id: AccessProfileId::new(),
            org_id: OrgId::new(),
            system_id: SystemId::new(),
            name: d.name,
            grants: None,
            personal_data: false,
            secret_info: false,
            max_holders: None,
            reason_required: false,
            orderer: parties.orderer,
            decider: parties.decider,
            executor: parties.executor,
            archived: false,
        }
    }

    #[test]
    fn names_holdings_and_records_the_register_s_people_once() {
        let kim = person("Kim", "kim@exempelstad.se", true);
        let ann = person("Ann", "ann@exempelstad.se", true);
        let lo = person("Lo", "lo@exempelstad.se", false);
        let (reader, clerk) = (profile("Läsare"), profile("Handläggare"));
        let mut hk = Holding {
            id: HoldingId::new(),
            person_id: kim.id,
            profile_id: clerk.id,
            since: "2026-01-01".parse().unwrap(),
            until: None,
            order_id: None,
            account: None,
        };
        let people = [kim.clone(), ann.clone(), lo.clone()];
        let profiles = [reader.clone(), clerk.clone()];
        let listed = [
            row(2, "kim01", "KIM@exempelstad.se", "handläggare"),
            row(3, "ann01", "ann@exempelstad.se", "Läsare"),
            row(4, "ann01", "ann@exempelstad.se", "Läsare"),
            row(5, "lo01", "lo@exempelstad.se", "Läsare"),
            row(6, "x", "okand@leverantor.se", "Läsare"),
            row(7, "", "ann@exempelstad.se", "Admin"),
            row(8, "", "ann@exempelstad.se", ""),
        ];
        let known = [KnownHolding {
            holding: &hk,
            person: &kim,
            profile_name: "Handläggare",
        }];
        let (changes, issues) = plan_roster(&known, &listed, &profiles, &people);
        assert_eq!(
            changes,
            vec![
                RosterChange::Account {
                    row: 2,
                    holding_id: hk.id,
                    person_id: kim.id,
                    account: "kim01".into()
                },
                RosterChange::Holding {
                    row: 3,
                    person_id: ann.id,
                    profile_id: reader.id,
                    account: Some("ann01".into())
                },
            ]
        );
        assert_eq!(
            issues
                .iter()
                .map(|i| (i.row, i.code.as_str()))
                .collect::<Vec<_>>(),
            vec![(7, ROSTER_UNKNOWN_PROFILE), (8, ROSTER_WHICH_PROFILE)]
        );
        // Applied, the same list changes nothing.
        hk.account = Some("kim01".into());
        let ha = Holding {
            id: HoldingId::new(),
            person_id: ann.id,
            profile_id: reader.id,
            account: Some("ann01".into()),
            ..hk.clone()
        };
        let known = [
            KnownHolding {
                holding: &hk,
                person: &kim,
                profile_name: "Handläggare",
            },
            KnownHolding {
                holding: &ha,
                person: &ann,
                profile_name: "Läsare",
            },
        ];
        let (again, _) = plan_roster(&known, &listed, &profiles, &people);
        assert_eq!(again, vec![]);
    }
}
