//! The IT service follow-up file's target (crates/io/src/it_service.rs).

use super::{Outcome, bucket, kind};

/// `read_follow_ups` on a CSV file: every row it returns is below the
/// header, in order, with a period and an availability that is a number;
/// every problem names a row below the header.
pub(super) fn service_follow_ups(bytes: &[u8]) -> Outcome {
    let file =
        insyn_io::read_follow_ups("uppfoljning.csv", bytes).map_err(|e| kind(e.code(), ""))?;
    let mut last = file.header_row;
    for (row, d) in &file.rows {
        assert!(*row > last, "rows out of order: {row} after {last}");
        last = *row;
        assert!(
            d.measured_availability.is_none_or(f64::is_finite),
            "row {row}: {d:?}"
        );
        assert_eq!(
            insyn_domain::it_service::Period::parse(&d.period.to_string()),
            Ok(d.period)
        );
    }
    for i in &file.issues {
        assert!(i.row > file.header_row, "an issue above the header: {i:?}");
    }
    let valid = insyn_domain::it_service::check_rows(file.rows.clone()).is_ok();
    Ok(format!(
        "rows {} issues {} valid {valid}",
        bucket(file.rows.len()),
        bucket(file.issues.len())
    ))
}

pub(super) fn service_follow_up_seeds() -> Vec<Vec<u8>> {
    vec![
        "Uppf\u{f6}ljning;;;\r\nPeriod;Tillg\u{e4}nglighet (%);Svarstid uppfylld;Svarstid ej uppfylld;L\u{f6}sningstid ej uppfylld;Kommentar\r\n2026-01;99,8;40;0;1;\r\n2026-Q2;98,5 %;38;2;0;Avbrott\r\n"
            .as_bytes()
            .to_vec(),
        b"period,availability,response missed,resolution met\n2026-03,99.95,1,4\nQ1 2026,abc,-1,\n2026-13,,,\n".to_vec(),
    ]
}

pub(super) const SERVICE_FOLLOW_UP_DICT: &[&str] = &[
    "Period",
    "Tillg\u{e4}nglighet",
    "Svarstid uppfylld",
    "L\u{f6}sningstid ej uppfylld",
    "Kommentar",
    "2026-03",
    "2026-Q1",
    "99,5",
    "%",
    ";",
    ",",
    "\"",
    "\r\n",
];
