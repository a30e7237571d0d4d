//! Benefit assessments per system (Stockholm 2.6): written whole through
//! `system_child`; a new assessment records the `benefit_review` control
//! in the årshjul in the same transaction. Nothing here is public.

use crate::audit::Actor;
use crate::db::{DbRow, P, Result};
use crate::decommission::{opt_word, word};
use crate::policy::ControlDraft;
use crate::system_child::SystemChild;
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::benefit::*;
use insyn_domain::validation::FieldErrors;
use insyn_domain::*;
use uuid::Uuid;

fn assessment(r: &dyn DbRow) -> Result<BenefitAssessment> {
    Ok(BenefitAssessment {
        id: r.uuid("id")?,
        system_id: SystemId(r.uuid("system_id")?),
        draft: BenefitAssessmentDraft {
            assessed_on: r.date("assessed_on")?,
            assessed_by: r.text("assessed_by")?,
            business_value: word(r, "business_value", BusinessValue::parse)?,
            user_satisfaction: opt_word(r, "user_satisfaction", Satisfaction::parse)?,
            users_asked: r.opt_text("users_asked")?,
            respondents: r.opt_i64("respondents")?,
            strengths: r.opt_text("strengths")?,
            problems: r.opt_text("problems")?,
            recommendation: word(r, "recommendation", Recommendation::parse)?,
            note: r.opt_text("note")?,
        },
        updated_by: r.text("updated_by")?,
        updated_at: r.ts("updated_at")?,
    })
}

impl SystemChild for BenefitAssessment {
    type Draft = BenefitAssessmentDraft;
    const TABLE: &'static str = "benefit_assessments";
    const DRAFT_COLS: &'static [&'static str] = &[
        "assessed_on",
        "assessed_by",
        "business_value",
        "user_satisfaction",
        "users_asked",
        "respondents",
        "strengths",
        "problems",
        "recommendation",
        "note",
    ];
    const ORDER: &'static str = "assessed_on DESC, id DESC";
    const OBJECT: AuditObject = AuditObject::BenefitAssessment;

    /// Validated by the `Store` methods, which know today's date.
    fn validated(
        d: BenefitAssessmentDraft,
    ) -> std::result::Result<BenefitAssessmentDraft, FieldErrors> {
        Ok(d)
    }

    fn read(r: &dyn DbRow) -> Result<Self> {
        assessment(r)
    }

    fn draft(&self) -> &BenefitAssessmentDraft {
        &self.draft
    }

    fn values(d: &BenefitAssessmentDraft) -> Vec<P> {
        params![
            d.assessed_on,
            d.assessed_by.as_str(),
            d.business_value.as_str(),
            d.user_satisfaction.map(|s| s.as_str()),
            d.users_asked.clone(),
            d.respondents,
            d.strengths.clone(),
            d.problems.clone(),
            d.recommendation.as_str(),
            d.note.clone()
        ]
    }

    fn control(&self) -> Option<ControlDraft> {
        Some(ControlDraft {
            control: BENEFIT_CONTROL.into(),
            performed_on: self.draft.assessed_on,
            result: self.draft.control_result().into(),
            note: Some(self.draft.control_note()),
        })
    }
}

impl Store {
    /// A system's benefit assessments, newest first (not found for a system
    /// not of the organisation).
    pub async fn benefit_assessments(
        &self,
        org: OrgId,
        system: SystemId,
    ) -> Result<Vec<BenefitAssessment>> {
        self.children(org, system).await
    }

    pub async fn benefit_assessment(
        &self,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<BenefitAssessment> {
        self.child(org, system, id).await
    }

    /// Records an assessment and, with it, the `benefit_review` control.
    pub async fn add_benefit_assessment(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: BenefitAssessmentDraft,
        today: NaiveDate,
    ) -> Result<BenefitAssessment> {
        self.add_child(actor, org, system, draft.validate(today)?)
            .await
    }

    /// Corrects an assessment (the control it recorded stays as performed).
    pub async fn update_benefit_assessment(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
        draft: BenefitAssessmentDraft,
        today: NaiveDate,
    ) -> Result<BenefitAssessment> {
        self.update_child(actor, org, system, id, draft.validate(today)?)
            .await
    }

    pub async fn remove_benefit_assessment(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        id: Uuid,
    ) -> Result<()> {
        self.remove_child::<BenefitAssessment>(actor, org, system, id)
            .await
    }
}
