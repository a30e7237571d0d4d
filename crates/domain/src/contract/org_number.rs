//! A Swedish organisation number (organisationsnummer): ten digits,
//! NNNNNN-NNNN, the last a Luhn check digit; a sole trader's personal
//! identity number has the same form. "16" before the ten digits (the
//! Tax Agency's twelve-digit form) is accepted.

pub const INVALID_ORG_NUMBER: &str = "error-org-number";

/// The number written as NNNNNN-NNNN, or `None` when it is not a valid
/// organisation number.
pub fn normalise_org_number(s: &str) -> Option<String> {
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| *c != '-' && *c != ' ')
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ten = match digits.len() {
        10 => digits.as_str(),
        12 if digits.starts_with("16") => &digits[2..],
        _ => return None,
    };
    luhn_ok(ten).then(|| format!("{}-{}", &ten[..6], &ten[6..]))
}

/// The Luhn check over all ten digits (weights 2, 1, 2, 1 … from the left).
fn luhn_ok(ten: &str) -> bool {
    let sum: u32 = ten
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    sum.is_multiple_of(10)
}
