//! Access reviews (behörighetskontroller): a campaign per system (reviewed
//! by its system owner or förvaltare) or per unit (by the unit's manager).
//! Opening one freezes the holdings as they stand into its items, names
//! copied, so later changes to holdings, people or profiles leave it as it
//! was. Answering and signing are in `review_answers.rs`; who may answer
//! and sign is the caller's to check (the reviewer, or a substitute).

use super::{current_on, today};
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::{DateTime, Days, NaiveDate, Utc};
use insyn_domain::access::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The control a signed campaign records in the årshjul.
pub const ACCESS_REVIEW_CONTROL: &str = "access_review";
/// The least time a reviewer is given when no deadline is named.
const LEAST_DAYS: u64 = 30;

/// A campaign, with how far it has come.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReview {
    pub id: ReviewCampaignId,
    pub org_id: OrgId,
    pub scope: ReviewScope,
    pub system_id: Option<SystemId>,
    pub unit_id: Option<UnitId>,
    /// The system's or the unit's name.
    pub subject: String,
    pub reviewer_id: Option<PersonId>,
    pub reviewer_name: Option<String>,
    pub reviewer_email: Option<String>,
    pub opened_on: NaiveDate,
    pub deadline: NaiveDate,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub items: i64,
    /// Items answered keep or remove.
    pub resolved: i64,
}

impl AccessReview {
    /// Open past its deadline.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.signed_at.is_none() && self.deadline < today
    }
}

/// One frozen line of a campaign and its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReviewItem {
    pub id: Uuid,
    pub holding_id: HoldingId,
    pub person_id: PersonId,
    pub person_name: String,
    pub profile_id: AccessProfileId,
    pub profile_name: String,
    pub system_id: SystemId,
    pub system_name: String,
    pub since: NaiveDate,
    pub answer: Option<ReviewAnswer>,
    pub comment: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The removal order a "remove" placed.
    pub removal_order_id: Option<AccessOrderId>,
}

/// A campaign with its items, by system, profile and person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReviewView {
    pub review: AccessReview,
    pub items: Vec<AccessReviewItem>,
}

/// A campaign to open.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReviewDraft {
    pub scope: ReviewScope,
    /// The system reviewed (scope `system`).
    #[serde(default)]
    pub system_id: Option<SystemId>,
    /// The unit whose staff are reviewed (scope `unit`).
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// Left out: the system's owner (else its förvaltare), or the unit's manager.
    #[serde(default)]
    pub reviewer_id: Option<PersonId>,
    /// Left out: when the policy profile's access-review interval says the
    /// next review is due, and at least 30 days from today.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
}

/// The store checks the rest (which needs the database).
impl v::Validate for AccessReviewDraft {
    fn problems(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        match self.scope {
            ReviewScope::System if self.system_id.is_none() => e.add("system_id", v::REQUIRED),
            ReviewScope::Unit if self.unit_id.is_none() => e.add("unit_id", v::REQUIRED),
            // Opened by a move only.
            ReviewScope::Mover => e.add_choice("scope", &["system", "unit"]),
            _ => {}
        }
        e
    }
}

/// Which campaigns to list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReviewFilter {
    pub system: Option<SystemId>,
    /// Only those not yet signed.
    pub open: bool,
}

const COLS: &str = "r.id, r.org_id, r.scope, r.system_id, r.unit_id, r.reviewer_id, r.opened_on, \
    r.deadline, r.signed_by, r.signed_at, r.created_by, r.created_at, \
    CASE WHEN r.scope = 'mover' THEN COALESCE((SELECT MIN(i.person_name) FROM access_review_items i \
    WHERE i.review_id = r.id), '') || ' (' || COALESCE(u.name, '') || ')' ELSE COALESCE(s.name, u.name, '') END AS subject, pe.name AS reviewer_name, pe.email AS reviewer_email, \
    (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id) AS items, \
    (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id AND i.answer IN ('keep', 'remove')) AS resolved";
const FROM: &str = "access_reviews r LEFT JOIN systems s ON s.id = r.system_id \
    LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN people pe ON pe.id = r.reviewer_id";
const ITEM_COLS: &str = "id, holding_id, person_id, person_name, profile_id, profile_name, system_id, \
    system_name, since, answer, comment, answered_by, answered_at, removal_order_id";

fn review(r: &dyn DbRow) -> Result<AccessReview> {
    let scope = r.text("scope")?;
    Ok(AccessReview {
        id: ReviewCampaignId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        scope: ReviewScope::parse(&scope).ok_or(StoreError::Column("scope".into(), scope))?,
        system_id: r.opt_uuid("system_id")?.map(SystemId),
        unit_id: r.opt_uuid("unit_id")?.map(UnitId),
        subject: r.text("subject")?,
        reviewer_id: r.opt_uuid("reviewer_id")?.map(PersonId),
        reviewer_name: r.opt_text("reviewer_name")?,
        reviewer_email: r.opt_text("reviewer_email")?,
        opened_on: r.date("opened_on")?,
        deadline: r.date("deadline")?,
        signed_by: r.opt_text("signed_by")?,
        signed_at: r.opt_ts("signed_at")?,
        created_by: r.text("created_by")?,
        created_at: r.ts("created_at")?,
        items: r.i64("items")?,
        resolved: r.i64("resolved")?,
    })
}

fn item(r: &dyn DbRow) -> Result<AccessReviewItem> {
    Ok(AccessReviewItem {
        id: r.uuid("id")?,
        holding_id: HoldingId(r.uuid("holding_id")?),
        person_id: PersonId(r.uuid("person_id")?),
        person_name: r.text("person_name")?,
        profile_id: AccessProfileId(r.uuid("profile_id")?),
        profile_name: r.text("profile_name")?,
        system_id: SystemId(r.uuid("system_id")?),
        system_name: r.text("system_name")?,
        since: r.date("since")?,
        answer: r.opt_text("answer")?.and_then(|a| ReviewAnswer::parse(&a)),
        comment: r.opt_text("comment")?,
        answered_by: r.opt_text("answered_by")?,
        answered_at: r.opt_ts("answered_at")?,
        removal_order_id: r.opt_uuid("removal_order_id")?.map(AccessOrderId),
    })
}

pub(super) async fn fetch(
    q: &mut impl Queryable,
    org: OrgId,
    id: ReviewCampaignId,
) -> Result<AccessReview> {
    q.one(
        &format!("SELECT {COLS} FROM {FROM} WHERE r.org_id = $1 AND r.id = $2"),
        params![org.0, id.0],
        review,
    )
    .await
}

/// One item of a campaign.
pub(super) async fn one_item(
    tx: &mut Tx,
    id: ReviewCampaignId,
    item_id: Uuid,
) -> Result<AccessReviewItem> {
    tx.one(
        &format!("SELECT {ITEM_COLS} FROM access_review_items WHERE review_id = $1 AND id = $2"),
        params![id.0, item_id],
        item,
    )
    .await
}

pub(super) async fn items(
    q: &mut impl Queryable,
    id: ReviewCampaignId,
) -> Result<Vec<AccessReviewItem>> {
    q.all(
        &format!(
            "SELECT {ITEM_COLS} FROM access_review_items WHERE review_id = $1 \
             ORDER BY system_name, profile_name, person_name, id"
        ),
        params![id.0],
        item,
    )
    .await
}

/// The person who reviews when none is named: a system's owner, else its
/// förvaltare (the first by start); a unit's manager.
async fn default_reviewer(tx: &mut Tx, org: OrgId, d: &AccessReviewDraft) -> Result<Option<Uuid>> {
    match (d.scope, d.system_id, d.unit_id) {
        (ReviewScope::System, Some(s), _) => {
            for code in ["system_owner", "system_manager"] {
                let who = tx
                    .opt(
                        "SELECT ra.person_id FROM role_assignments ra \
                         JOIN role_types rt ON rt.id = ra.role_type_id JOIN people pe ON pe.id = ra.person_id \
                         WHERE ra.org_id = $1 AND ra.system_id = $2 AND rt.code = $3 AND pe.active \
                         AND ra.start_date <= $4 AND (ra.end_date IS NULL OR ra.end_date >= $4) \
                         ORDER BY ra.start_date, ra.id",
                        params![org.0, s.0, code, today()],
                        |r| r.uuid("person_id"),
                    )
                    .await?;
                if who.is_some() {
                    return Ok(who);
                }
            }
            Ok(None)
        }
        (ReviewScope::Unit, _, Some(u)) => Ok(tx
            .opt(
                "SELECT manager_id FROM units WHERE org_id = $1 AND id = $2",
                params![org.0, u.0],
                |r| r.opt_uuid("manager_id"),
            )
            .await?
            .flatten()),
        _ => Ok(None),
    }
}

/// A campaign to open, checked.
struct Opening {
    scope: ReviewScope,
    system: Option<SystemId>,
    unit: Option<UnitId>,
    reviewer: Uuid,
    deadline: NaiveDate,
}

/// Opens the campaign on `tx` and freezes into it the holdings current
/// today that match `filter` (on the holdings `h` and their people `pe`,
/// its one parameter `$3` = `who`), with its audit record.
async fn open_in(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    o: &Opening,
    filter: &str,
    who: Uuid,
) -> Result<AccessReviewView> {
    let today = today();
    let id = ReviewCampaignId::new();
    let at = now();
    tx.execute(
        "INSERT INTO access_reviews (id, org_id, scope, system_id, unit_id, reviewer_id, opened_on, deadline, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![id.0, org.0, o.scope.as_str(), o.system.map(|s| s.0), o.unit.map(|u| u.0), o.reviewer, today, o.deadline, actor.name.as_str(), at],
    )
    .await?;
    let frozen = tx
        .all(
            &format!(
                "SELECT h.id, h.person_id, pe.name AS person_name, h.profile_id, ap.name AS profile_name, \
                 h.system_id, s.name AS system_name, h.since \
                 FROM access_holdings h JOIN people pe ON pe.id = h.person_id \
                 JOIN access_profiles ap ON ap.id = h.profile_id JOIN systems s ON s.id = h.system_id \
                 WHERE h.org_id = $1 AND {} AND {filter}",
                current_on("$2")
            ),
            params![org.0, today, who],
            |r| {
                Ok(params![
                    Uuid::now_v7(), id.0, r.uuid("id")?, r.uuid("person_id")?, r.text("person_name")?,
                    r.uuid("profile_id")?, r.text("profile_name")?, r.uuid("system_id")?,
                    r.text("system_name")?, r.date("since")?
                ])
            },
        )
        .await?;
    for row in frozen {
        tx.execute(
            "INSERT INTO access_review_items (id, review_id, holding_id, person_id, person_name, profile_id, \
             profile_name, system_id, system_name, since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            row,
        )
        .await?;
    }
    let created = fetch(tx, org, id).await?;
    Change::created(Some(org), AuditObject::AccessReview, id.0, &created)
        .record(tx, actor)
        .await?;
    Ok(AccessReviewView {
        review: created,
        items: items(tx, id).await?,
    })
}

/// On the transaction that moved `person` to another unit: when they hold
/// anything and their new unit has a manager (someone else), a campaign of
/// what they hold for that manager to review (keep or remove), due in 30
/// days. Whether one was opened, or there was nothing to review; `false`
/// when nobody can review it (the caller then orders the removals).
pub(crate) async fn open_mover_review(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    person: PersonId,
) -> Result<bool> {
    let manager = tx
        .opt(
            "SELECT u.id, u.manager_id FROM people pe JOIN units u ON u.id = pe.unit_id \
             JOIN people m ON m.id = u.manager_id \
             WHERE pe.org_id = $1 AND pe.id = $2 AND m.active AND m.id <> pe.id",
            params![org.0, person.0],
            |r| Ok((r.uuid("id")?, r.uuid("manager_id")?)),
        )
        .await?;
    let Some((unit, reviewer)) = manager else {
        return Ok(false);
    };
    if super::holdings::current(tx, org, "h.person_id = $3", params![person.0])
        .await?
        .is_empty()
    {
        return Ok(true);
    }
    let opened = Opening {
        scope: ReviewScope::Mover,
        system: None,
        unit: Some(UnitId(unit)),
        reviewer,
        deadline: today() + Days::new(LEAST_DAYS),
    };
    open_in(tx, actor, org, &opened, "h.person_id = $3", person.0).await?;
    Ok(true)
}

impl Store {
    /// The deadline a system's campaign gets when none is named: when its
    /// next access review is due under the policy profile (the interval by
    /// the system's confidentiality level), at least 30 days from `today`.
    async fn review_deadline(
        &self,
        org: OrgId,
        system: Option<SystemId>,
        today: NaiveDate,
    ) -> Result<NaiveDate> {
        let least = today + Days::new(LEAST_DAYS);
        let Some(system) = system else {
            return Ok(least);
        };
        let c = self.compliance(org, Some(system), today).await?;
        let due = c
            .systems
            .iter()
            .flat_map(|s| &s.findings)
            .filter(|f| f.subject() == ACCESS_REVIEW_CONTROL)
            .filter_map(|f| f.outcome.date())
            .min();
        Ok(due.map_or(least, |d| d.max(least)))
    }

    /// Opens a campaign and freezes into it the holdings current today: a
    /// system's holders, or every holding of a unit's staff.
    pub async fn open_access_review(
        &self,
        actor: &Actor,
        org: OrgId,
        d: AccessReviewDraft,
    ) -> Result<AccessReviewView> {
        let today = today();
        let mut e = v::Validate::problems(&d);
        if d.deadline.is_some_and(|x| x <= today) {
            e.add("deadline", v::NOT_IN_FUTURE);
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let (system, unit) = match d.scope {
            ReviewScope::System => (d.system_id, None),
            ReviewScope::Unit | ReviewScope::Mover => (None, d.unit_id),
        };
        let deadline = match d.deadline {
            Some(x) => x,
            None => self.review_deadline(org, system, today).await?,
        };
        let mut tx = self.db.begin().await?;
        // A system or unit named in the draft that the organisation lacks
        // is the draft's error (the system's own route has checked it).
        if let Some(s) = system
            && !tx.exists_in_org("systems", org.0, s.0).await?
        {
            return Err(StoreError::Invalid(FieldErrors::single(
                "system_id",
                v::UNKNOWN_REFERENCE,
            )));
        }
        if let Some(u) = unit
            && !tx.exists_in_org("units", org.0, u.0).await?
        {
            return Err(StoreError::Invalid(FieldErrors::single(
                "unit_id",
                v::UNKNOWN_REFERENCE,
            )));
        }
        let reviewer = match d.reviewer_id {
            Some(p) if tx.exists_in_org("people", org.0, p.0).await? => Some(p.0),
            Some(_) => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "reviewer_id",
                    v::UNKNOWN_REFERENCE,
                )));
            }
            None => default_reviewer(&mut tx, org, &d).await?,
        };
        let Some(reviewer) = reviewer else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "reviewer_id",
                REVIEW_NO_REVIEWER,
            )));
        };
        let (filter, who) = match (system, unit) {
            (Some(s), _) => ("h.system_id = $3", s.0),
            (_, Some(u)) => ("pe.unit_id = $3", u.0),
            _ => unreachable!("the scope names a system or a unit"),
        };
        let opened = Opening {
            scope: d.scope,
            system,
            unit,
            reviewer,
            deadline,
        };
        let view = open_in(&mut tx, actor, org, &opened, filter, who).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// A campaign with its items.
    pub async fn access_review(
        &self,
        org: OrgId,
        id: ReviewCampaignId,
    ) -> Result<AccessReviewView> {
        let mut read = self.db.read();
        let review = fetch(&mut read, org, id).await?;
        let items = items(&mut read, id).await?;
        Ok(AccessReviewView { review, items })
    }

    /// The organisation's campaigns (or one system's), open ones first, then
    /// by deadline, the latest first.
    pub async fn access_reviews(&self, org: OrgId, f: ReviewFilter) -> Result<Vec<AccessReview>> {
        let mut p = params![org.0];
        let mut wh = String::from("r.org_id = $1");
        if let Some(s) = f.system {
            p.push(s.0.into());
            wh.push_str(" AND (r.system_id = $2 OR r.id IN (SELECT review_id FROM access_review_items WHERE system_id = $2))");
        }
        if f.open {
            wh.push_str(" AND r.signed_at IS NULL");
        }
        self.db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM {FROM} WHERE {wh} \
                     ORDER BY CASE WHEN r.signed_at IS NULL THEN 0 ELSE 1 END, r.deadline DESC, r.id"
                ),
                p,
                review,
            )
            .await
    }

    /// Every open campaign in every organisation (for reminders and tasks).
    pub async fn open_access_reviews(&self, org: OrgId) -> Result<Vec<AccessReview>> {
        self.access_reviews(
            org,
            ReviewFilter {
                system: None,
                open: true,
            },
        )
        .await
    }
}
