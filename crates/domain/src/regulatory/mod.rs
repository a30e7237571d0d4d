//! Regulatory facts as data (issue 20 item 4): the organisation's entity
//! class under cybersäkerhetslagen (2025:1506), which implements NIS2
//! (`nis.rs`), and per system what the EU AI Act (2024/1689) asks a deployer
//! to know: whether it contains an AI system, its risk class, the
//! organisation's role and, for high-risk use, the fundamental-rights impact
//! assessment (`ai.rs`). Both are read by the policy rules (`nis_essential`,
//! `nis_important`, `ai_high_risk` conditions; the `fria` artefact).

mod ai;
mod nis;

pub use ai::*;
pub use nis::*;

/// The error codes of this module, for the message files' test.
pub const ERROR_CODES: &[&str] = &[NOT_AI, FRIA_NOT_HIGH_RISK];

#[cfg(test)]
mod tests;
