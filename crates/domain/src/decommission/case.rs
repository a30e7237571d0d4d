//! The decommissioning case (avveckling) of a system: the decision, the
//! planned date, where the information goes, and its closing: only when
//! every gate passes, or with an exception the system owner signs with a
//! reason.

use super::{CASE_CLOSED, GATES_FAIL, Gate, GateOutcome, MAX_SHORT, MAX_TEXT, failing};
use crate::ids::SystemId;
use crate::model::text_enum;
use crate::validation::{self as v, FieldErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// Where a decommissioning case stands.
    CaseStatus {
        Open = "open",
        /// Closed with every gate passed.
        Closed = "closed",
        /// Closed with failing gates, under an exception the owner signed.
        ClosedWithException = "closed_with_exception",
    }
);

/// A decommissioning case as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDraft {
    /// Who decided the decommissioning (a person or a body, e.g. a nämnd).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub decided_by: Option<String>,
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// The decision's reference (diarienummer).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub decision_reference: Option<String>,
    /// When the system is to be out of use.
    #[serde(default)]
    pub planned_on: Option<NaiveDate>,
    /// The system that receives the migrated information (of the organisation).
    #[serde(default)]
    pub target_system_id: Option<SystemId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl CaseDraft {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        self.decided_by =
            v::optional_text(&mut e, "decided_by", self.decided_by.as_deref(), MAX_SHORT);
        self.decision_reference = v::optional_text(
            &mut e,
            "decision_reference",
            self.decision_reference.as_deref(),
            MAX_SHORT,
        );
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_TEXT);
        e.into_result(self)
    }
}

/// The closing of a case: an exception's reason when gates fail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseRequest {
    /// Why the case may close although gates fail (the owner signs it).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub exception_reason: Option<String>,
}

/// A decommissioning case as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: CaseDraft,
    pub status: CaseStatus,
    pub closed_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The exception's reason, when closed with one.
    pub exception_reason: Option<String>,
    /// The gates that failed when the exception was signed.
    pub exception_gates: Vec<Gate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How a case closes: `Closed` when every gate passes; with failing gates,
/// `ClosedWithException` when a reason is given, else refused with one
/// error per failing gate (field `gates.<gate>`, the gate's words as code).
/// A case already closed cannot close again.
pub fn decide_close(
    status: CaseStatus,
    outcomes: &[GateOutcome],
    request: &CloseRequest,
) -> Result<(CaseStatus, Option<String>, Vec<Gate>), FieldErrors> {
    let mut e = FieldErrors::new();
    if status != CaseStatus::Open {
        e.add("status", CASE_CLOSED);
        return Err(e);
    }
    let reason = v::optional_text(
        &mut e,
        "exception_reason",
        request.exception_reason.as_deref(),
        MAX_TEXT,
    );
    if !e.is_empty() {
        return Err(e);
    }
    let fails = failing(outcomes);
    if fails.is_empty() {
        return Ok((CaseStatus::Closed, None, vec![]));
    }
    match reason {
        Some(r) => Ok((CaseStatus::ClosedWithException, Some(r), fails)),
        None => {
            e.add("exception_reason", GATES_FAIL);
            for g in fails {
                e.add(&format!("gates.{}", g.as_str()), g.key());
            }
            Err(e)
        }
    }
}

impl v::Validate for CaseDraft {
    fn problems(&self) -> FieldErrors {
        self.clone().validate().err().unwrap_or_default()
    }
}

impl v::Validate for CloseRequest {
    fn problems(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        v::optional_text(
            &mut e,
            "exception_reason",
            self.exception_reason.as_deref(),
            MAX_TEXT,
        );
        e
    }
}
