//! A system's user list, as exported from the system itself or from the
//! directory: .xlsx, .ods or CSV with a header row naming at least a user
//! name or an e-mail column. Read into [`ListedAccount`]s with the problems
//! of each row; comparing them with insyn's holdings is the domain's
//! ([`insyn_domain::access::compare_roster`]).

use crate::detect_format;
use crate::read::{Cell, ReadError, read_table};
use insyn_domain::access::ListedAccount;
use insyn_domain::import::header_key;
use insyn_domain::validation::is_email;
use serde::Serialize;

/// The columns a user list may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterColumn {
    Account,
    Email,
    Name,
    Profile,
}

impl RosterColumn {
    /// Header titles as systems and directories write them (compared by
    /// [`header_key`]: case, spaces, dashes and å/ä/ö do not count).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            RosterColumn::Account => &[
                "användarnamn",
                "användare",
                "användar-id",
                "användarid",
                "konto",
                "kontonamn",
                "login",
                "inloggning",
                "username",
                "user name",
                "user id",
                "userid",
                "account",
                "samaccountname",
                "uid",
                "hsa-id",
                "hsaid",
            ],
            RosterColumn::Email => EMAIL_TITLES,
            RosterColumn::Name => NAME_TITLES,
            RosterColumn::Profile => &[
                "behörighet",
                "behörighetsprofil",
                "profil",
                "roll",
                "behörighetsgrupp",
                "grupp",
                "role",
                "profile",
                "access profile",
                "group",
            ],
        }
    }

    fn from_title(title: &str) -> Option<RosterColumn> {
        let key = header_key(title);
        if key.is_empty() {
            return None;
        }
        [
            RosterColumn::Account,
            RosterColumn::Email,
            RosterColumn::Name,
            RosterColumn::Profile,
        ]
        .into_iter()
        .find(|c| c.synonyms().iter().any(|s| header_key(s) == key))
    }
}

/// A problem with one row of a user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterIssue {
    pub row: usize,
    pub column: RosterColumn,
    /// A message key.
    pub code: &'static str,
    pub value: String,
}

/// A row that names no account and no e-mail address.
pub const ROSTER_NO_ACCOUNT: &str = "import-roster-no-account";
/// An e-mail column whose value is not an address.
pub const ROSTER_INVALID_EMAIL: &str = "import-invalid-email";

/// A user list as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserList {
    /// The header's row (1-based, as a spreadsheet shows it).
    pub header_row: usize,
    pub columns: Vec<RosterColumn>,
    #[serde(skip)]
    pub accounts: Vec<ListedAccount>,
    pub issues: Vec<RosterIssue>,
}

const HEADER_SEARCH_ROWS: usize = 30;

/// The header row: the first row of the first thirty in which `title`
/// names a column that `is_key`, and each known column's index (the first
/// of each kind). Shared with the HR file's reader.
pub(crate) fn find_columns<C: Copy + PartialEq>(
    rows: &[Vec<Cell>],
    title: impl Fn(&str) -> Option<C>,
    is_key: impl Fn(C) -> bool,
) -> Option<(usize, Vec<(usize, C)>)> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(i, row)| {
            let mut cols: Vec<(usize, C)> = vec![];
            for (j, cell) in row.iter().enumerate() {
                if let Some(c) = title(&cell.display())
                    && !cols.iter().any(|(_, k)| *k == c)
                {
                    cols.push((j, c));
                }
            }
            cols.iter().any(|(_, c)| is_key(*c)).then_some((i, cols))
        })
}

/// The trimmed, non-empty text of the row's cell in column `want`.
pub(crate) fn cell_text<C: PartialEq>(
    cols: &[(usize, C)],
    row: &[Cell],
    want: C,
) -> Option<String> {
    cell_of(cols, row, want)
        .map(|c| c.display().trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The row's cell in column `want`.
pub(crate) fn cell_of<'a, C: PartialEq>(
    cols: &[(usize, C)],
    row: &'a [Cell],
    want: C,
) -> Option<&'a Cell> {
    cols.iter()
        .find(|(_, c)| *c == want)
        .and_then(|(j, _)| row.get(*j))
}

/// E-mail columns' titles, shared with the HR file.
pub(crate) const EMAIL_TITLES: &[&str] = &[
    "e-post",
    "epost",
    "e-postadress",
    "mejl",
    "mail",
    "email",
    "e-mail",
    "userprincipalname",
    "upn",
];

/// Name columns' titles, shared with the HR file.
pub(crate) const NAME_TITLES: &[&str] = &[
    "namn",
    "fullständigt namn",
    "visningsnamn",
    "name",
    "full name",
    "displayname",
    "display name",
];

/// Reads a user list. Rows with neither a user name nor an e-mail address
/// are reported and left out; blank rows are skipped.
pub fn read_user_list(file_name: &str, bytes: &[u8]) -> Result<UserList, ReadError> {
    let format = detect_format(file_name, bytes).ok_or(ReadError::Unrecognised)?;
    let rows = read_table(format, bytes)?;
    let (header, cols) = find_columns(&rows, RosterColumn::from_title, |c| {
        matches!(c, RosterColumn::Account | RosterColumn::Email)
    })
    .ok_or(ReadError::NoHeader)?;
    let mut out = UserList {
        header_row: header + 1,
        columns: cols.iter().map(|(_, c)| *c).collect(),
        accounts: vec![],
        issues: vec![],
    };
    for (i, row) in rows.iter().enumerate().skip(header + 1) {
        let line = i + 1;
        let get = |want: RosterColumn| cell_text(&cols, row, want);
        if row.iter().all(|c| c.display().trim().is_empty()) {
            continue;
        }
        let mut email = get(RosterColumn::Email);
        if let Some(e) = &email
            && !is_email(e)
        {
            out.issues.push(RosterIssue {
                row: line,
                column: RosterColumn::Email,
                code: ROSTER_INVALID_EMAIL,
                value: e.clone(),
            });
            email = None;
        }
        let account = get(RosterColumn::Account);
        if account.is_none() && email.is_none() {
            out.issues.push(RosterIssue {
                row: line,
                column: if cols.iter().any(|(_, c)| *c == RosterColumn::Account) {
                    RosterColumn::Account
                } else {
                    RosterColumn::Email
                },
                code: ROSTER_NO_ACCOUNT,
                value: String::new(),
            });
            continue;
        }
        out.accounts.push(ListedAccount {
            row: line,
            account,
            email,
            name: get(RosterColumn::Name),
            profile: get(RosterColumn::Profile),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_export_with_a_title_row() {
        let csv = "Användare i Procapita 2026-12-01;;;\r\n\
                   ;;;\r\n\
                   Användarnamn;Namn;E-post;Behörighet\r\n\
                   kim01;Kim Karlsson;kim@exempelstad.se;Handläggare\r\n\
                   ;;;\r\n\
                   lo02;Lo Lind;inte en adress;Läsare\r\n\
                   ;Utan Konto;;Läsare\r\n\
                   ;Bo Berg;BO@exempelstad.se;\r\n";
        let list = read_user_list("users.csv", csv.as_bytes()).unwrap();
        assert_eq!(list.header_row, 3);
        assert_eq!(
            list.columns,
            vec![
                RosterColumn::Account,
                RosterColumn::Name,
                RosterColumn::Email,
                RosterColumn::Profile
            ]
        );
        let rows: Vec<(usize, Option<&str>, Option<&str>)> = list
            .accounts
            .iter()
            .map(|a| (a.row, a.account.as_deref(), a.email.as_deref()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (4, Some("kim01"), Some("kim@exempelstad.se")),
                (6, Some("lo02"), None),
                (8, None, Some("BO@exempelstad.se")),
            ]
        );
        assert_eq!(list.accounts[0].profile.as_deref(), Some("Handläggare"));
        assert_eq!(list.accounts[2].profile, None);
        assert_eq!(
            list.issues,
            vec![
                RosterIssue {
                    row: 6,
                    column: RosterColumn::Email,
                    code: ROSTER_INVALID_EMAIL,
                    value: "inte en adress".into()
                },
                RosterIssue {
                    row: 7,
                    column: RosterColumn::Account,
                    code: ROSTER_NO_ACCOUNT,
                    value: String::new()
                },
            ]
        );
    }

    #[test]
    fn a_list_needs_a_user_name_or_an_email_column() {
        let csv = "Namn;Behörighet\r\nKim;Läsare\r\n";
        assert!(matches!(
            read_user_list("users.csv", csv.as_bytes()),
            Err(ReadError::NoHeader)
        ));
        let upn = "displayName,userPrincipalName\nKim,kim@exempelstad.se\n";
        let list = read_user_list("ad.csv", upn.as_bytes()).unwrap();
        assert_eq!(list.accounts.len(), 1);
        assert_eq!(list.accounts[0].name.as_deref(), Some("Kim"));
    }

    #[test]
    fn an_xlsx_list_reads_like_a_csv() {
        let bytes = crate::write_xlsx(
            &["E-post".into(), "Roll".into()],
            &[vec!["kim@exempelstad.se".into(), "Handläggare".into()]],
        )
        .unwrap();
        let list = read_user_list("users.xlsx", &bytes).unwrap();
        assert_eq!(
            list.accounts[0].email.as_deref(),
            Some("kim@exempelstad.se")
        );
        assert_eq!(list.accounts[0].row, 2);
    }
}
