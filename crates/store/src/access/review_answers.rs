//! Answering an access review's items and signing it: "remove" places a
//! removal order through the order path and links it; signing needs every
//! item kept or removed (`may_sign`) and records the `access_review` control
//! on each system covered, in the same transaction.

use super::holdings::holds;
use super::orders::{new_order, place};
use super::profiles::fetch as fetch_profile;
use super::reviews::{
    ACCESS_REVIEW_CONTROL, AccessReview, AccessReviewItem, fetch, items, one_item,
};
use super::today;
use crate::audit::{Actor, Change, diff};
use crate::db::{Queryable, Result, Tx, now};
use crate::policy::{ControlDraft, insert_control};
use crate::{Store, StoreError, params};
use insyn_domain::access::*;
use insyn_domain::*;
use uuid::Uuid;

impl Store {
    /// Answers one item. "Remove" places a removal order for the holding
    /// (when the person still holds the profile and no removal is open)
    /// and links it; an item whose removal was ordered stays "remove".
    pub async fn answer_review_item(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ReviewCampaignId,
        item_id: Uuid,
        draft: ReviewAnswerDraft,
    ) -> Result<AccessReviewItem> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let campaign = fetch(&mut tx, org, id).await?;
        if campaign.signed_at.is_some() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "answer",
                REVIEW_SIGNED,
            )));
        }
        let before = one_item(&mut tx, id, item_id).await?;
        if before.removal_order_id.is_some() && d.answer != ReviewAnswer::Remove {
            return Err(StoreError::Invalid(FieldErrors::single(
                "answer",
                REVIEW_REMOVAL_ORDERED,
            )));
        }
        let mut removal = before.removal_order_id;
        if d.answer == ReviewAnswer::Remove && removal.is_none() {
            removal = order_removal(&mut tx, actor, org, &before, d.comment.as_deref()).await?;
        }
        tx.execute(
            "UPDATE access_review_items SET answer = $3, comment = $4, answered_by = $5, answered_at = $6, \
             removal_order_id = $7 WHERE review_id = $1 AND id = $2",
            params![id.0, item_id, d.answer.as_str(), d.comment.clone(), actor.name.as_str(), now(), removal.map(|o| o.0)],
        )
        .await?;
        let after = one_item(&mut tx, id, item_id).await?;
        Change::new(
            Some(org),
            AuditAction::Answer,
            AuditObject::AccessReview,
            id.0,
            diff(Some(&before), Some(&after)),
        )
        .record(&mut tx, actor)
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Signs a campaign whose every item is kept or removed, and records
    /// the access-review control as performed today on each system it
    /// covered ("remarks" where something was removed).
    pub async fn sign_access_review(
        &self,
        actor: &Actor,
        org: OrgId,
        id: ReviewCampaignId,
    ) -> Result<AccessReview> {
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        if before.signed_at.is_some() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "answer",
                REVIEW_SIGNED,
            )));
        }
        let all = items(&mut tx, id).await?;
        let domain: Vec<ReviewItem> = all
            .iter()
            .map(|i| ReviewItem {
                holding_id: i.holding_id,
                person_id: i.person_id,
                person_name: i.person_name.clone(),
                profile_id: i.profile_id,
                profile_name: i.profile_name.clone(),
                system_id: i.system_id,
                since: i.since,
                answer: i.answer,
                comment: i.comment.clone(),
            })
            .collect();
        may_sign(&domain)
            .map_err(|code| StoreError::Invalid(FieldErrors::single("answer", code)))?;
        tx.execute(
            "UPDATE access_reviews SET signed_by = $3, signed_at = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, actor.name.as_str(), now()],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        Change::changed(
            Some(org),
            AuditAction::Sign,
            AuditObject::AccessReview,
            id.0,
            &before,
            &after,
        )
        .record(&mut tx, actor)
        .await?;
        let mut systems: Vec<(SystemId, String)> = all
            .iter()
            .map(|i| (i.system_id, i.system_name.clone()))
            .collect();
        systems.sort();
        systems.dedup();
        // A mover's review looks at one person: not the systems' access review.
        if after.scope == ReviewScope::Mover {
            systems.clear();
        }
        for (system, _) in systems {
            let removed = all
                .iter()
                .filter(|i| i.system_id == system && i.answer == Some(ReviewAnswer::Remove))
                .count();
            let kept = all.iter().filter(|i| i.system_id == system).count() - removed;
            insert_control(
                &mut tx,
                actor,
                org,
                Some(system),
                ControlDraft {
                    control: ACCESS_REVIEW_CONTROL.into(),
                    performed_on: today(),
                    result: if removed > 0 { "remarks" } else { "ok" }.into(),
                    note: Some(format!(
                        "Behörighetskontroll {}: {kept} behålls, {removed} tas bort",
                        id.0
                    )),
                },
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }
}

/// Places the removal order for a frozen item when the person still holds
/// the profile; an open removal of it already is linked instead.
async fn order_removal(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    i: &AccessReviewItem,
    comment: Option<&str>,
) -> Result<Option<AccessOrderId>> {
    let open = tx
        .opt(
            "SELECT id FROM access_orders WHERE person_id = $1 AND profile_id = $2 AND kind = $3 AND state IN ($4, $5)",
            params![i.person_id.0, i.profile_id.0, OrderKind::Remove.as_str(), OrderState::Ordered.as_str(), OrderState::Approved.as_str()],
            |r| r.uuid("id"),
        )
        .await?;
    if let Some(o) = open {
        return Ok(Some(AccessOrderId(o)));
    }
    if !holds(tx, i.person_id, i.profile_id).await? {
        return Ok(None);
    }
    let profile = fetch_profile(tx, org, i.profile_id).await?;
    let draft = AccessOrderDraft {
        kind: OrderKind::Remove,
        person_id: Some(i.person_id),
        new_person: None,
        profile_ids: vec![i.profile_id],
        reason: Some(comment.map_or_else(|| "access_review".to_owned(), str::to_owned)),
        start_date: today(),
        end_date: None,
        ticket: None,
    };
    let o = new_order(&profile, i.person_id, Uuid::now_v7(), &draft, actor);
    place(tx, actor, &o, &profile).await?;
    Ok(Some(o.id))
}
