//! The mail an order's step sends (`insyn_domain::access::notice`): queued
//! in the step's transaction for each person the next party stands for, in
//! their language. The role holders of the system, the manager (chef) of
//! the person's unit, or the user who placed the order; nobody to tell (an
//! automatic decision, a role nobody holds, no e-mail address) sends no
//! mail and the step goes on.

use super::orders::AccessOrder;
use super::today;
use crate::db::{DbRow, Queryable, Result, Tx};
use crate::outbox::{OutboxMail, enqueue};
use crate::params;
use insyn_domain::access::*;

/// Each recipient's address and language (a person without a user account
/// gets Swedish).
async fn recipients(
    tx: &mut Tx,
    order: &AccessOrder,
    to: NoticeTo<'_>,
) -> Result<Vec<(String, Language)>> {
    let row = |r: &dyn DbRow| {
        let lang = r.opt_text("language")?;
        Ok((
            r.text("email")?,
            lang.as_deref()
                .and_then(Language::parse)
                .unwrap_or_default(),
        ))
    };
    let mut out = match to {
        NoticeTo::Party(Party::Automatic) => vec![],
        NoticeTo::Party(Party::Role(code)) => {
            tx.all(
                "SELECT pe.email AS email, u.language AS language FROM role_assignments ra \
                 JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id \
                 LEFT JOIN users u ON u.email = LOWER(pe.email) \
                 WHERE ra.org_id = $1 AND ra.system_id = $2 AND rt.code = $3 AND pe.active = TRUE \
                 AND pe.email IS NOT NULL AND ra.start_date <= $4 AND (ra.end_date IS NULL OR ra.end_date >= $4)",
                params![order.org_id.0, order.system_id.0, code.as_str(), today()],
                row,
            )
            .await?
        }
        NoticeTo::Party(Party::Manager) => {
            tx.all(
                "SELECT m.email AS email, u.language AS language FROM people p \
                 JOIN units un ON un.id = p.unit_id \
                 JOIN people m ON m.id = un.manager_id \
                 LEFT JOIN users u ON u.email = LOWER(m.email) \
                 WHERE p.org_id = $1 AND p.id = $2 AND m.active = TRUE AND m.email IS NOT NULL",
                params![order.org_id.0, order.person_id.0],
                row,
            )
            .await?
        }
        NoticeTo::Orderer => {
            // The actor's name: the user's e-mail address, followed by the
            // token's name when the order was placed with an API token.
            let by = order.ordered_by.split(" (").next().unwrap_or_default();
            tx.all(
                "SELECT email, language FROM users WHERE email = $1 AND active = TRUE",
                params![by.to_lowercase()],
                row,
            )
            .await?
        }
    };
    for r in &mut out {
        r.0 = r.0.trim().to_lowercase();
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// Queues the notice of `order`'s present state (with the step's comment)
/// on the step's transaction.
pub(super) async fn notify(
    tx: &mut Tx,
    order: &AccessOrder,
    profile: &AccessProfile,
    comment: Option<&str>,
) -> Result<()> {
    let parties = profile.parties();
    let Some(to) = notice_to(order.state, &parties) else {
        return Ok(());
    };
    let people = recipients(tx, order, to).await?;
    if people.is_empty() {
        return Ok(());
    }
    let (org_name, org_slug) = tx
        .one(
            "SELECT name, slug FROM organisations WHERE id = $1",
            params![order.org_id.0],
            |r| Ok((r.text("name")?, r.text("slug")?)),
        )
        .await?;
    let system = tx
        .one(
            "SELECT name FROM systems WHERE id = $1",
            params![order.system_id.0],
            |r| r.text("name"),
        )
        .await?;
    let person = tx
        .one(
            "SELECT name FROM people WHERE id = $1",
            params![order.person_id.0],
            |r| r.text("name"),
        )
        .await?;
    let notice = Notice {
        state: order.state,
        kind: order.kind,
        org_name: &org_name,
        org_slug: &org_slug,
        system: &system,
        profile: &profile.name,
        person: &person,
        comment,
    };
    for (email, lang) in people {
        let (subject, body) = notice_text(lang, &notice);
        let mail = OutboxMail {
            org_id: Some(order.org_id),
            dedupe_key: format!("access:{}:{}:{email}", order.id.0, order.state.as_str()),
            recipient: email,
            subject,
            body,
        };
        enqueue(tx, &mail).await?;
    }
    Ok(())
}
