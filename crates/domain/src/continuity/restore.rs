//! Restore tests (återläsningstest): planned, then performed with the
//! measured time to restore and data-loss window, judged against the
//! system's RTO and RPO as they were when the test was recorded.

use super::*;
use chrono::NaiveDate;

/// A restore test as entered: planned (a date) or performed (a date, who,
/// what, from which point in time, and what was measured).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestoreTestDraft {
    /// When the test is planned.
    #[serde(default)]
    pub planned_on: Option<NaiveDate>,
    /// When it was performed (not in the future); none while only planned.
    #[serde(default)]
    pub performed_on: Option<NaiveDate>,
    /// Who performed it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub performed_by: Option<String>,
    /// What was restored.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub restored: Option<String>,
    /// The point in time restored from (the backup of …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub restore_point: Option<String>,
    /// The measured time to restore, in minutes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 525600))]
    pub restore_minutes: Option<i64>,
    /// The measured data-loss window, in minutes (0: nothing lost).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 525600))]
    pub data_loss_minutes: Option<i64>,
    /// A link to the evidence (a document), https only.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub evidence_url: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: Option<String>,
}

impl RestoreTestDraft {
    /// Checks the draft on `today`: a planned or performed date, the
    /// performed date not in the future, measurements only on a performed
    /// test, the figures within bounds, the evidence an https link.
    pub fn validate(mut self, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.planned_on.is_none() && self.performed_on.is_none() {
            e.add("performed_on", NO_DATE);
        }
        if self.performed_on.is_some_and(|d| d > today) {
            e.add("performed_on", v::IN_FUTURE);
        }
        check_minutes(&mut e, "restore_minutes", self.restore_minutes);
        match self.data_loss_minutes {
            Some(m) if m < 0 => e.add("data_loss_minutes", v::NEGATIVE),
            Some(m) if m > MAX_MINUTES => e.add("data_loss_minutes", TOO_LARGE),
            _ => {}
        }
        if self.performed_on.is_none() {
            for (f, set) in [
                ("restore_minutes", self.restore_minutes.is_some()),
                ("data_loss_minutes", self.data_loss_minutes.is_some()),
            ] {
                if set {
                    e.add(f, NOT_PERFORMED);
                }
            }
        }
        let short = |e: &mut FieldErrors, f: &str, s: &Option<String>| {
            v::optional_text(e, f, s.as_deref(), MAX_SHORT)
        };
        self.performed_by = short(&mut e, "performed_by", &self.performed_by);
        self.restored = short(&mut e, "restored", &self.restored);
        self.restore_point = short(&mut e, "restore_point", &self.restore_point);
        self.evidence_url =
            v::optional_text(&mut e, "evidence_url", self.evidence_url.as_deref(), 1000);
        if let Some(u) = &self.evidence_url
            && !(u.starts_with("https://") && v::is_url(u))
        {
            e.add("evidence_url", NOT_HTTPS);
        }
        self.note = v::optional_text(&mut e, "note", self.note.as_deref(), MAX_TEXT);
        e.into_result(self)
    }
}

/// How a performed restore test stands against the requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every measured figure within its requirement.
    Met,
    /// A measured figure beyond its requirement.
    NotMet,
    /// No requirement, or nothing measured, to judge against.
    CannotJudge,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::CannotJudge => "cannot_judge",
        }
    }
}

/// One measured figure against its requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub measured: i64,
    pub required: i64,
    /// The measurement is at most the requirement (equal is met).
    pub met: bool,
}

/// A performed test's judgement: each figure that can be judged, and the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestoreJudgement {
    pub verdict: Verdict,
    /// The time to restore against the RTO.
    pub rto: Option<Check>,
    /// The data-loss window against the RPO.
    pub rpo: Option<Check>,
}

fn check(measured: Option<i64>, required: Option<i64>) -> Option<Check> {
    let (measured, required) = (measured?, required?);
    Some(Check {
        measured,
        required,
        met: measured <= required,
    })
}

/// Judges measured figures against the requirements: not met when either
/// figure is beyond its requirement; met when at least one can be judged and
/// every judged one is within; otherwise it cannot be judged.
pub fn judge(
    rto: Option<i64>,
    rpo: Option<i64>,
    restore_minutes: Option<i64>,
    data_loss_minutes: Option<i64>,
) -> RestoreJudgement {
    let rto = check(restore_minutes, rto);
    let rpo = check(data_loss_minutes, rpo);
    let checks: Vec<Check> = [rto, rpo].into_iter().flatten().collect();
    let verdict = if checks.is_empty() {
        Verdict::CannotJudge
    } else if checks.iter().all(|c| c.met) {
        Verdict::Met
    } else {
        Verdict::NotMet
    };
    RestoreJudgement { verdict, rto, rpo }
}

/// A restore test as stored, with the requirements it was judged against.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestoreTest {
    pub id: uuid::Uuid,
    pub system_id: SystemId,
    #[serde(flatten)]
    pub draft: RestoreTestDraft,
    /// The RTO in force when the test was recorded as performed.
    pub required_rto_minutes: Option<i64>,
    /// The RPO in force when the test was recorded as performed.
    pub required_rpo_minutes: Option<i64>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

impl RestoreTest {
    pub fn performed(&self) -> bool {
        self.draft.performed_on.is_some()
    }

    /// The judgement of a performed test (none while only planned).
    pub fn judgement(&self) -> Option<RestoreJudgement> {
        self.performed().then(|| {
            judge(
                self.required_rto_minutes,
                self.required_rpo_minutes,
                self.draft.restore_minutes,
                self.draft.data_loss_minutes,
            )
        })
    }

    pub fn verdict(&self) -> Option<Verdict> {
        self.judgement().map(|j| j.verdict)
    }
}

/// Whether a restore test is an open gap: performed, not met, and its
/// deviations not all dealt with (no action yet, or one not done).
pub fn open_gap(verdict: Option<Verdict>, actions: usize, actions_done: usize) -> bool {
    verdict == Some(Verdict::NotMet) && (actions == 0 || actions_done < actions)
}
