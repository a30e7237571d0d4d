//! The HR file's target (crates/io/src/hr.rs).

use super::{Outcome, bucket, kind};

/// `read_hr_file` on a CSV file: every row it returns is below the header,
/// in order, and names a valid e-mail address (lower-cased) or a name.
pub(super) fn hr_file(bytes: &[u8]) -> Outcome {
    let file = insyn_io::read_hr_file("personal.csv", bytes).map_err(|e| kind(e.code(), ""))?;
    let mut last = file.header_row;
    for r in &file.rows {
        assert!(r.row > last, "rows out of order: {} after {last}", r.row);
        last = r.row;
        assert!(
            r.email.is_some() || r.name.is_some(),
            "row {} names nobody",
            r.row
        );
        if let Some(e) = &r.email {
            assert!(
                insyn_domain::validation::is_email(e) && *e == e.to_lowercase(),
                "row {}: {e:?}",
                r.row
            );
        }
    }
    Ok(format!(
        "cols {} rows {} issues {}",
        file.columns.len(),
        bucket(file.rows.len()),
        bucket(file.issues.len())
    ))
}

pub(super) fn hr_file_seeds() -> Vec<Vec<u8>> {
    vec![
        "Personalfil;;\r\nAnst.nr;F\u{f6}rnamn;Efternamn;E-post;Enhet;Slutdatum;Status\r\n1001;Kim;Karlsson;KIM@kommunen.se;IT;;Aktiv\r\n1002;Lo;Lind;lo@kommunen.se;HR;2026-11-30;Inaktiv\r\n"
            .as_bytes()
            .to_vec(),
        b"Employee ID,Name,Email,Department,End date,Active\n7,Bo,bo@x.se,IT,1 maj 2004,yes\n8,,not-an-address,,31/12,maybe\n".to_vec(),
    ]
}

pub(super) const HR_FILE_DICT: &[&str] = &[
    "Anst.nr",
    "E-post",
    "F\u{f6}rnamn",
    "Enhet",
    "Slutdatum",
    "Status",
    "Aktiv",
    "Inaktiv",
    ";",
    ",",
    "\"",
    "\r\n",
    "@kommunen.se",
    "2026-12-01",
];
