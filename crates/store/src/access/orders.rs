//! Orders for access and for its removal (behörighetsbeställningar), and
//! the steps taken on them: ordered → approved / rejected → carried out /
//! failed; withdrawn. Every order and every step is in the audit trail, in
//! the transaction that makes it.

use super::holdings::{carry_out, check_room, holds};
use super::notices::notify;
use super::profiles::fetch as fetch_profile;
use crate::audit::{Actor, Change, diff};
use crate::db::{DbRow, Params, Queryable, Result, Tx, now, word};
use crate::policy::system_in_org;
use crate::{Store, StoreError, params};
use chrono::{DateTime, NaiveDate, Utc};
use insyn_domain::access::*;
use insyn_domain::validation as v;
use insyn_domain::*;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// One order: one profile for one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessOrder {
    pub id: AccessOrderId,
    pub org_id: OrgId,
    /// Shared by the orders made together (one per profile ordered).
    pub group_id: Uuid,
    pub system_id: SystemId,
    pub profile_id: AccessProfileId,
    pub person_id: PersonId,
    pub kind: OrderKind,
    pub state: OrderState,
    pub reason: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub ticket: Option<String>,
    pub ordered_by: String,
    pub ordered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A step taken on an order, and the state it led to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderStepRecord {
    pub step: OrderStep,
    pub state: OrderState,
    pub comment: Option<String>,
    pub ticket: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub taken_by: String,
    pub taken_at: DateTime<Utc>,
}

/// An order with its profile (whose parties say who takes the next step)
/// and the steps taken so far, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessOrderView {
    pub order: AccessOrder,
    pub profile: AccessProfile,
    pub steps: Vec<OrderStepRecord>,
}

/// Which orders to list; every field left out matches all.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OrderFilter {
    pub state: Option<OrderState>,
    pub system: Option<SystemId>,
    pub person: Option<PersonId>,
    /// Only the orders still waiting for a step (ordered or approved).
    pub open: bool,
}

const COLS: &str = "id, org_id, group_id, system_id, profile_id, person_id, kind, state, reason, \
                    start_date, end_date, ticket, ordered_by, ordered_at, updated_at";

fn order(r: &dyn DbRow) -> Result<AccessOrder> {
    Ok(AccessOrder {
        id: AccessOrderId(r.uuid("id")?),
        org_id: OrgId(r.uuid("org_id")?),
        group_id: r.uuid("group_id")?,
        system_id: SystemId(r.uuid("system_id")?),
        profile_id: AccessProfileId(r.uuid("profile_id")?),
        person_id: PersonId(r.uuid("person_id")?),
        kind: word(r, "kind", OrderKind::parse)?,
        state: word(r, "state", OrderState::parse)?,
        reason: r.opt_text("reason")?,
        start_date: r.date("start_date")?,
        end_date: r.opt_date("end_date")?,
        ticket: r.opt_text("ticket")?,
        ordered_by: r.text("ordered_by")?,
        ordered_at: r.ts("ordered_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

fn step(r: &dyn DbRow) -> Result<OrderStepRecord> {
    Ok(OrderStepRecord {
        step: word(r, "step", OrderStep::parse)?,
        state: word(r, "state", OrderState::parse)?,
        comment: r.opt_text("comment")?,
        ticket: r.opt_text("ticket")?,
        done_on: r.opt_date("done_on")?,
        taken_by: r.text("taken_by")?,
        taken_at: r.ts("taken_at")?,
    })
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: AccessOrderId) -> Result<AccessOrder> {
    q.org_row(COLS, "access_orders", org, id.0, order).await
}

/// What the trail calls a step.
fn action(step: OrderStep) -> AuditAction {
    match step {
        OrderStep::Approve => AuditAction::Approve,
        OrderStep::Reject => AuditAction::Reject,
        OrderStep::CarryOut => AuditAction::CarryOut,
        OrderStep::Fail => AuditAction::Fail,
        OrderStep::Withdraw => AuditAction::Withdraw,
    }
}

/// A new order for `profile`, in the state its parties start it in.
pub(super) fn new_order(
    profile: &AccessProfile,
    person: PersonId,
    group_id: Uuid,
    d: &AccessOrderDraft,
    actor: &Actor,
) -> AccessOrder {
    let at = now();
    AccessOrder {
        id: AccessOrderId::new(),
        org_id: profile.org_id,
        group_id,
        system_id: profile.system_id,
        profile_id: profile.id,
        person_id: person,
        kind: d.kind,
        state: OrderState::initial(&profile.parties()),
        reason: d.reason.clone(),
        start_date: d.start_date,
        end_date: d.end_date,
        ticket: d.ticket.clone(),
        ordered_by: actor.name.clone(),
        ordered_at: at,
        updated_at: at,
    }
}

/// Writes a new order for `profile` with its audit record and the notice to
/// the party who acts next (on the transaction, which goes on).
pub(super) async fn place(
    tx: &mut Tx,
    actor: &Actor,
    o: &AccessOrder,
    profile: &AccessProfile,
) -> Result<()> {
    tx.execute(
        &format!("INSERT INTO access_orders ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"),
        params![o.id.0, o.org_id.0, o.group_id, o.system_id.0, o.profile_id.0, o.person_id.0, o.kind.as_str(), o.state.as_str(),
            o.reason.clone(), o.start_date, o.end_date, o.ticket.clone(), o.ordered_by.as_str(), o.ordered_at, o.updated_at],
    )
    .await?;
    Change::new(
        Some(o.org_id),
        AuditAction::Order,
        AuditObject::AccessOrder,
        o.id.0,
        diff(None, Some(o)),
    )
    .record(tx, actor)
    .await?;
    notify(tx, o, profile, None).await
}

/// The draft checked, with the profiles it orders: each of the system,
/// not archived, and (for a removal) held by the person now; the person
/// one of the organisation's, and (for a grant) not one who has left nor
/// one who holds the profile already.
async fn checked(
    tx: &mut Tx,
    org: OrgId,
    system: SystemId,
    draft: AccessOrderDraft,
) -> Result<(AccessOrderDraft, Vec<AccessProfile>)> {
    let mut e = FieldErrors::new();
    let mut ids = draft.profile_ids.clone();
    ids.sort();
    ids.dedup();
    let mut profiles = vec![];
    if ids.len() <= MAX_PROFILES_PER_ORDER {
        for id in ids {
            match fetch_profile(tx, org, id).await {
                Ok(p) if p.system_id == system && !p.archived => profiles.push(p),
                Ok(_) | Err(StoreError::NotFound) => {
                    e.add("profile_ids", v::UNKNOWN_REFERENCE);
                    break;
                }
                Err(other) => return Err(other),
            }
        }
    }
    match draft.person_id {
        Some(person) => check_person(tx, org, person, &draft, &profiles, &mut e).await?,
        // Someone new holds nothing: there is nothing to remove.
        None if draft.kind == OrderKind::Remove && !profiles.is_empty() => {
            e.add("profile_ids", NOT_HELD)
        }
        None => {}
    }
    let reason_required = profiles.iter().any(|p| p.reason_required);
    match draft.validate(reason_required) {
        Ok(d) if e.is_empty() => Ok((d, profiles)),
        Ok(_) => Err(StoreError::Invalid(e)),
        Err(more) => {
            e.0.extend(more.0);
            Err(StoreError::Invalid(e))
        }
    }
}

/// The person of the organisation, and (for a grant) not one who has left
/// nor one who holds a profile already; a removal needs the holding.
async fn check_person(
    tx: &mut Tx,
    org: OrgId,
    person: PersonId,
    draft: &AccessOrderDraft,
    profiles: &[AccessProfile],
    e: &mut FieldErrors,
) -> Result<()> {
    let active = tx
        .opt(
            "SELECT active FROM people WHERE org_id = $1 AND id = $2",
            params![org.0, person.0],
            |r| r.bool("active"),
        )
        .await?;
    if active.is_none() {
        e.add("person_id", v::UNKNOWN_REFERENCE);
    } else if draft.kind == OrderKind::Grant && active == Some(false) {
        e.add("person_id", PERSON_INACTIVE);
    } else {
        // A removal needs the holding; a grant of what is held would hold it twice.
        let removal = draft.kind == OrderKind::Remove;
        for p in profiles {
            if holds(tx, person, p.id).await? != removal {
                e.add("profile_ids", if removal { NOT_HELD } else { ALREADY_HELD });
                break;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Orders one or more profiles of `system` for a person (or their
    /// removal): one order per profile, made together under one group id,
    /// each in the state its profile's parties start it in.
    pub async fn order_access(
        &self,
        actor: &Actor,
        org: OrgId,
        system: SystemId,
        draft: AccessOrderDraft,
    ) -> Result<Vec<AccessOrder>> {
        let mut tx = self.db.begin().await?;
        system_in_org(&mut tx, org, system).await?;
        let (d, profiles) = checked(&mut tx, org, system, draft).await?;
        let person = match (d.person_id, &d.new_person) {
            (Some(p), _) => p,
            (None, Some(new)) => {
                let draft = new.person_draft()?;
                crate::people::insert_person(&mut tx, actor, org, PersonId::new(), &draft)
                    .await
                    .map_err(as_new_person)?
                    .id
            }
            (None, None) => unreachable!("a checked draft names a person"),
        };
        let group = Uuid::now_v7();
        let mut out = Vec::with_capacity(profiles.len());
        for p in &profiles {
            let o = new_order(p, person, group, &d, actor);
            if o.kind == OrderKind::Grant && o.state == OrderState::Approved {
                check_room(&mut tx, p, None, "profile_ids").await?;
            }
            place(&mut tx, actor, &o, p).await?;
            out.push(o);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Takes a step on an order: the state moves on as the domain allows, the
    /// step is recorded, and carrying out a grant begins a holding (since
    /// the day it was done, until the order's end date) while carrying out a
    /// removal ends the person's holding of the profile that day. Whether
    /// the actor is the party who may take the step is the caller's to check.
    pub async fn order_step(
        &self,
        actor: &Actor,
        org: OrgId,
        id: AccessOrderId,
        draft: OrderStepDraft,
    ) -> Result<AccessOrder> {
        let d = draft.validate()?;
        let mut tx = self.db.begin().await?;
        let before = fetch(&mut tx, org, id).await?;
        let state = before
            .state
            .after(d.step)
            .map_err(|code| StoreError::Invalid(FieldErrors::single("step", code)))?;
        if before.kind == OrderKind::Grant
            && matches!(d.step, OrderStep::Approve | OrderStep::CarryOut)
        {
            let profile = fetch_profile(&mut tx, org, before.profile_id).await?;
            check_room(&mut tx, &profile, Some(id), "step").await?;
        }
        let at = now();
        tx.execute(
            "UPDATE access_orders SET state = $3, updated_at = $4 WHERE org_id = $1 AND id = $2",
            params![org.0, id.0, state.as_str(), at],
        )
        .await?;
        tx.execute(
            "INSERT INTO access_order_steps (id, order_id, step, state, comment, ticket, done_on, taken_by, taken_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![Uuid::now_v7(), id.0, d.step.as_str(), state.as_str(), d.comment.clone(), d.ticket.clone(), d.done_on, actor.name.as_str(), at],
        )
        .await?;
        let after = fetch(&mut tx, org, id).await?;
        let mut changes = diff(Some(&before), Some(&after));
        if let Value::Object(m) = &mut changes {
            for (k, v) in [
                ("step_comment", d.comment.clone().map(Value::from)),
                ("step_ticket", d.ticket.clone().map(Value::from)),
                ("done_on", d.done_on.map(|x| Value::from(x.to_string()))),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), json!({ "old": null, "new": v }));
                }
            }
        }
        Change::new(
            Some(org),
            action(d.step),
            AuditObject::AccessOrder,
            id.0,
            changes,
        )
        .record(&mut tx, actor)
        .await?;
        let profile = fetch_profile(&mut tx, org, after.profile_id).await?;
        notify(&mut tx, &after, &profile, d.comment.as_deref()).await?;
        if state == OrderState::CarriedOut {
            carry_out(
                &mut tx,
                actor,
                &after,
                d.done_on.unwrap_or_else(super::today),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// An order with its profile and its steps.
    pub async fn access_order(&self, org: OrgId, id: AccessOrderId) -> Result<AccessOrderView> {
        let mut read = self.db.read();
        let order = fetch(&mut read, org, id).await?;
        let profile = fetch_profile(&mut read, org, order.profile_id).await?;
        let steps = read
            .all(
                "SELECT step, state, comment, ticket, done_on, taken_by, taken_at FROM access_order_steps \
                 WHERE order_id = $1 ORDER BY taken_at, id",
                params![id.0],
                step,
            )
            .await?;
        Ok(AccessOrderView {
            order,
            profile,
            steps,
        })
    }

    /// One page of the organisation's orders that match `filter`, the newest
    /// first (orders only grow: never the whole list at once).
    pub async fn access_orders(
        &self,
        org: OrgId,
        filter: OrderFilter,
        page: PageRequest,
    ) -> Result<Page<AccessOrder>> {
        let mut p = Params::default();
        let mut wh = format!("org_id = {}", p.push(org.0));
        if let Some(s) = filter.state {
            wh.push_str(&format!(" AND state = {}", p.push(s.as_str())));
        }
        if filter.open {
            let (a, b) = (
                p.push(OrderState::Ordered.as_str()),
                p.push(OrderState::Approved.as_str()),
            );
            wh.push_str(&format!(" AND state IN ({a}, {b})"));
        }
        if let Some(s) = filter.system {
            wh.push_str(&format!(" AND system_id = {}", p.push(s.0)));
        }
        if let Some(s) = filter.person {
            wh.push_str(&format!(" AND person_id = {}", p.push(s.0)));
        }
        let total = self
            .db
            .read()
            .count(
                &format!("SELECT COUNT(*) AS n FROM access_orders WHERE {wh}"),
                p.0.clone(),
            )
            .await?;
        let (lim, off) = (p.push(page.limit()), p.push(page.offset()));
        let items = self
            .db
            .read()
            .all(
                &format!(
                    "SELECT {COLS} FROM access_orders WHERE {wh} \
                     ORDER BY ordered_at DESC, id DESC LIMIT {lim} OFFSET {off}"
                ),
                p.0,
                order,
            )
            .await?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            total_capped: false,
        })
    }
}

/// The register's errors about a new person, named as the order's fields.
fn as_new_person(e: StoreError) -> StoreError {
    match e {
        StoreError::Invalid(f) => StoreError::Invalid(FieldErrors(
            f.0.into_iter()
                .map(|mut x| {
                    x.field = format!("new_person.{}", x.field);
                    x
                })
                .collect(),
        )),
        other => other,
    }
}
