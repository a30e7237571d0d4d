//! Regulatory facts as pages (issue 20 item 4): the organisation's entity
//! class under cybersäkerhetslagen (`nis.rs`, read by anyone of the
//! organisation, set by administrators) and a system's AI Act tab (`ai.rs`).

pub(super) mod ai;
pub(super) mod nis;
