//! Who holds what: the holdings that carried-out orders begin and end, the
//! most holders a profile allows, and the removal orders a leaver or a
//! mover leaves behind.

use super::orders::{AccessOrder, new_order, place};
use super::profiles::fetch as fetch_profile;
use super::{current_on, today};
use crate::audit::{Actor, Change};
use crate::db::{DbRow, Queryable, Result, Tx, now};
use crate::{Store, StoreError, params};
use chrono::NaiveDate;
use insyn_domain::access::*;
use insyn_domain::*;
use uuid::Uuid;

const COLS: &str = "h.id, h.person_id, h.profile_id, h.since, h.until, h.order_id, h.account";

fn holding(r: &dyn DbRow) -> Result<Holding> {
    Ok(Holding {
        id: HoldingId(r.uuid("id")?),
        person_id: PersonId(r.uuid("person_id")?),
        profile_id: AccessProfileId(r.uuid("profile_id")?),
        since: r.date("since")?,
        until: r.opt_date("until")?,
        order_id: r.opt_uuid("order_id")?.map(AccessOrderId),
        account: r.opt_text("account")?,
    })
}

/// The holdings current today that match `filter` (on the holdings, `h`;
/// its parameters from `$3` on), by start and id.
pub(super) async fn current(
    q: &mut impl Queryable,
    org: OrgId,
    filter: &str,
    params: Vec<crate::db::P>,
) -> Result<Vec<Holding>> {
    current_page(q, org, filter, params, None).await
}

/// [`current`], one page of it when `page` is given.
async fn current_page(
    q: &mut impl Queryable,
    org: OrgId,
    filter: &str,
    mut params: Vec<crate::db::P>,
    page: Option<PageRequest>,
) -> Result<Vec<Holding>> {
    let mut all = params![org.0, today()];
    all.append(&mut params);
    let limit = page
        .map(|p| format!(" LIMIT {} OFFSET {}", p.limit(), p.offset()))
        .unwrap_or_default();
    q.all(
        &format!(
            "SELECT {COLS} FROM access_holdings h WHERE h.org_id = $1 AND {} AND {filter} \
             ORDER BY h.since, h.id{limit}",
            current_on("$2")
        ),
        all,
        holding,
    )
    .await
}

/// How many hold the profile today.
async fn current_holders(tx: &mut Tx, profile: AccessProfileId) -> Result<i64> {
    tx.count(
        &format!(
            "SELECT COUNT(*) AS n FROM access_holdings h WHERE h.profile_id = $1 AND {}",
            current_on("$2")
        ),
        params![profile.0, today()],
    )
    .await
}

/// Refuses a grant that would give `profile` more holders than it allows:
/// those who hold it now, the grants approved and not yet carried out
/// (other than `me`), and this one.
pub(super) async fn check_room(
    tx: &mut Tx,
    profile: &AccessProfile,
    me: Option<AccessOrderId>,
    field: &str,
) -> Result<()> {
    let Some(max) = profile.max_holders else {
        return Ok(());
    };
    // Two grants of the last place at once: the first to touch the
    // profile's row goes on, the other waits for it and then counts it.
    tx.execute(
        "UPDATE access_profiles SET max_holders = max_holders WHERE id = $1",
        params![profile.id.0],
    )
    .await?;
    let promised = tx
        .count(
            "SELECT COUNT(*) AS n FROM access_orders WHERE profile_id = $1 AND kind = $2 AND state = $3 AND id <> $4",
            params![profile.id.0, OrderKind::Grant.as_str(), OrderState::Approved.as_str(), me.map(|m| m.0).unwrap_or_default()],
        )
        .await?;
    if current_holders(tx, profile.id).await? + promised >= max {
        return Err(StoreError::Invalid(FieldErrors::single(
            field,
            MAX_HOLDERS_REACHED,
        )));
    }
    Ok(())
}

/// Whether the person holds the profile today.
pub(super) async fn holds(tx: &mut Tx, person: PersonId, profile: AccessProfileId) -> Result<bool> {
    let n = tx
        .count(
            &format!(
                "SELECT COUNT(*) AS n FROM access_holdings h WHERE h.person_id = $1 AND h.profile_id = $2 AND {}",
                current_on("$3")
            ),
            params![person.0, profile.0, today()],
        )
        .await?;
    Ok(n > 0)
}

/// What carrying out `order` on `day` does to the holdings: a grant begins
/// one (until the order's end date), a removal ends the person's current
/// holdings of the profile that day. Each change is audited on `tx`.
pub(super) async fn carry_out(
    tx: &mut Tx,
    actor: &Actor,
    order: &AccessOrder,
    day: NaiveDate,
) -> Result<()> {
    let org = order.org_id;
    match order.kind {
        OrderKind::Grant => {
            let id = HoldingId::new();
            let at = now();
            tx.execute(
                "INSERT INTO access_holdings (id, org_id, system_id, profile_id, person_id, since, until, order_id, account, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)",
                params![id.0, org.0, order.system_id.0, order.profile_id.0, order.person_id.0, day, order.end_date, order.id.0, at],
            )
            .await?;
            let created = fetch(tx, org, id).await?;
            Change::created(Some(org), AuditObject::Holding, id.0, &created)
                .record(tx, actor)
                .await
        }
        OrderKind::Remove => {
            let held = current(
                tx,
                org,
                "h.person_id = $3 AND h.profile_id = $4",
                params![order.person_id.0, order.profile_id.0],
            )
            .await?;
            for before in held {
                tx.execute(
                    "UPDATE access_holdings SET until = $2, updated_at = $3 WHERE id = $1",
                    params![before.id.0, day, now()],
                )
                .await?;
                let after = fetch(tx, org, before.id).await?;
                Change::changed(
                    Some(org),
                    AuditAction::Revoke,
                    AuditObject::Holding,
                    before.id.0,
                    &before,
                    &after,
                )
                .record(tx, actor)
                .await?;
            }
            Ok(())
        }
    }
}

async fn fetch(q: &mut impl Queryable, org: OrgId, id: HoldingId) -> Result<Holding> {
    q.org_row(COLS, "access_holdings h", org, id.0, holding)
        .await
}

/// The stable code a leaver's removal order gives as its reason.
fn reason(why: Departure) -> &'static str {
    match why {
        Departure::Left => "left",
        Departure::Moved => "moved",
    }
}

/// A removal order, ordered by `actor` on the transaction that made the
/// person a leaver, for each profile they hold today (unless one is
/// already open for it); for a mover, a review of what they hold by their
/// new unit's manager instead (removal orders when the unit has none).
pub(crate) async fn order_removals(
    tx: &mut Tx,
    actor: &Actor,
    org: OrgId,
    person: PersonId,
    why: Departure,
) -> Result<()> {
    // A mover's new manager looks at what they hold (keep or remove);
    // removal orders only when their new unit has no manager to ask.
    if why == Departure::Moved && super::reviews::open_mover_review(tx, actor, org, person).await? {
        return Ok(());
    }
    let held = current(tx, org, "h.person_id = $3", params![person.0]).await?;
    let group = Uuid::now_v7();
    let mut profiles: Vec<AccessProfileId> = held.iter().map(|h| h.profile_id).collect();
    profiles.sort();
    profiles.dedup();
    for id in profiles {
        let open = tx
            .count(
                "SELECT COUNT(*) AS n FROM access_orders WHERE person_id = $1 AND profile_id = $2 AND kind = $3 AND state IN ($4, $5)",
                params![person.0, id.0, OrderKind::Remove.as_str(), OrderState::Ordered.as_str(), OrderState::Approved.as_str()],
            )
            .await?;
        if open > 0 {
            continue;
        }
        let profile = fetch_profile(tx, org, id).await?;
        let draft = AccessOrderDraft {
            kind: OrderKind::Remove,
            person_id: Some(person),
            new_person: None,
            profile_ids: vec![id],
            reason: Some(reason(why).to_owned()),
            start_date: today(),
            end_date: None,
            ticket: None,
        };
        let order = new_order(&profile, person, group, &draft, actor);
        place(tx, actor, &order, &profile).await?;
    }
    Ok(())
}

impl Store {
    /// One page of who holds which of the system's profiles today (a large
    /// system has thousands of users: never all at once).
    pub async fn holdings(
        &self,
        org: OrgId,
        system: SystemId,
        page: PageRequest,
    ) -> Result<Page<Holding>> {
        let mut read = self.db.read();
        let total = read
            .count(
                &format!(
                    "SELECT COUNT(*) AS n FROM access_holdings h \
                     WHERE h.org_id = $1 AND {} AND h.system_id = $3",
                    current_on("$2")
                ),
                params![org.0, today(), system.0],
            )
            .await?;
        let items = current_page(
            &mut read,
            org,
            "h.system_id = $3",
            params![system.0],
            Some(page),
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

    /// What the person holds today, on every system.
    pub async fn holdings_of_person(&self, org: OrgId, person: PersonId) -> Result<Vec<Holding>> {
        current(
            &mut self.db.read(),
            org,
            "h.person_id = $3",
            params![person.0],
        )
        .await
    }
}
