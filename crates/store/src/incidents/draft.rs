//! A report draft: what one clock's report says (GDPR art. 33.3 for IMY,
//! the NIS2 early warning, notification or final report for the CSIRT, or
//! the internal report), pre-filled from the incident and the register, with
//! the recipient and channel the profile's deadline names.

use super::{AffectedSet, AffectedSystem, IncidentView};
use crate::db::Result;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use insyn_domain::incident::*;
use insyn_domain::policy::DeadlineApplies;
use insyn_domain::*;
use serde::Serialize;

/// Which report a draft is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportForm {
    /// An internal report (every incident).
    Internal,
    /// A personal-data breach notification to IMY (GDPR art. 33.3).
    Gdpr,
    /// An early warning, notification or final report to the national CSIRT
    /// (cybersäkerhetslagen, NIS2 art. 23.4).
    Nis2,
}

/// One clock's report, pre-filled: to be checked, completed and sent through
/// the channel named.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDraft {
    pub form: ReportForm,
    /// The clock the report answers, with its deadline, recipient and channel.
    pub clock: Clock,
    /// The organisation reporting.
    pub organisation: String,
    pub number: i64,
    pub title: String,
    pub description: Option<String>,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub detection: Detection,
    pub status: IncidentStatus,
    pub occurred_at: Option<DateTime<Utc>>,
    pub aware_at: DateTime<Utc>,
    pub contained_at: Option<DateTime<Utc>>,
    /// The controller (personuppgiftsansvarig).
    pub controller: Option<String>,
    pub systems: Vec<AffectedSystem>,
    pub information_sets: Vec<AffectedSet>,
    /// Categories, sensitivity, numbers and likely consequences (art. 33.3 a, c).
    pub personal_data: Option<PersonalDataImpact>,
    pub significance: Option<Significance>,
    pub cause: Option<String>,
    /// The measures taken or proposed (art. 33.3 d): the incident's actions.
    pub measures: Vec<IncidentAction>,
    pub lessons: Option<String>,
}

impl ReportDraft {
    /// The draft for the clock `deadline` of the incident as it stands.
    pub fn of(v: IncidentView, organisation: String, deadline: &str) -> Option<Self> {
        let clock = v.clocks.into_iter().find(|c| c.deadline.id == deadline)?;
        let form = match clock.deadline.applies {
            DeadlineApplies::All => ReportForm::Internal,
            DeadlineApplies::PersonalData => ReportForm::Gdpr,
            DeadlineApplies::Significant => ReportForm::Nis2,
        };
        let i = v.incident;
        Some(Self {
            form,
            clock,
            organisation,
            number: i.number,
            title: i.title,
            description: i.description,
            kind: i.kind,
            severity: i.severity,
            detection: i.detection,
            status: i.status,
            occurred_at: i.occurred_at,
            aware_at: i.aware_at,
            contained_at: i.contained_at,
            controller: i.controller,
            systems: v.systems,
            information_sets: v.information_sets,
            personal_data: i.personal_data,
            significance: i.significance,
            cause: i.cause,
            measures: v.actions,
            lessons: i.lessons,
        })
    }
}

impl Store {
    /// The report draft for one clock of an incident at `now`; `NotFound`
    /// for a deadline the incident does not run.
    pub async fn incident_report_draft(
        &self,
        org: OrgId,
        id: IncidentId,
        deadline: &str,
        now: DateTime<Utc>,
    ) -> Result<ReportDraft> {
        let v = self.incident(org, id, now).await?;
        let o = self.org_by_id(org).await?;
        ReportDraft::of(v, o.name, deadline).ok_or(StoreError::NotFound)
    }
}
