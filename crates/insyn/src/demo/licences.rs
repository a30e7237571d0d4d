//! Licences in the demo (issue 19 item 3): Treserva's named-user licence
//! counted from its access holdings with two seats fewer than its holders
//! (overused), a concurrent-user licence with its peak entered, an e-mail
//! licence with many seats unused (idle) and a site licence with its cost
//! per user.

use chrono::{Datelike, NaiveDate, Utc};
use insyn_domain::licence::*;
use insyn_domain::*;
use insyn_store::db::Result;
use insyn_store::{Actor, Store};

fn licence(name: &str, metric: Metric, quantity: Option<i64>, cost: i64) -> LicenceDraft {
    let year = Utc::now().year();
    LicenceDraft {
        name: name.into(),
        metric,
        quantity,
        yearly_cost: Some(cost),
        contract_id: None,
        valid_from: NaiveDate::from_ymd_opt(year - 1, 1, 1),
        valid_until: NaiveDate::from_ymd_opt(year + 2, 12, 31),
        in_use_source: InUseSource::Holdings,
        in_use_entered: None,
        notes: None,
    }
}

/// `systems`: Treserva first, then two more systems of the register.
pub async fn demo_licences(
    store: &Store,
    org: OrgId,
    systems: &[SystemId],
    actor: &Actor,
) -> Result<()> {
    let Some((&treserva, others)) = systems.split_first() else {
        return Ok(());
    };
    let held = store
        .holdings(org, treserva, PageRequest::new(Some(1), Some(1)))
        .await?
        .total;
    let mut named = licence(
        "Treserva namngivna användare",
        Metric::NamedUser,
        Some((held - 2).max(0)),
        48_000,
    );
    named.notes =
        Some("Fler behörigheter än köpta licenser: köp till eller ta bort behörigheter.".into());
    store.add_licence(actor, org, treserva, named).await?;
    let mobile = LicenceDraft {
        in_use_source: InUseSource::Entered,
        in_use_entered: Some(18),
        ..licence(
            "Treserva mobil (samtidiga)",
            Metric::ConcurrentUser,
            Some(20),
            36_000,
        )
    };
    store.add_licence(actor, org, treserva, mobile).await?;
    if let Some(&mail) = others.first() {
        let idle = LicenceDraft {
            in_use_source: InUseSource::Entered,
            in_use_entered: Some(212),
            notes: Some("Användarna finns inte i insyn; antalet från leverantörens portal.".into()),
            ..licence("E-postlicenser", Metric::NamedUser, Some(300), 180_000)
        };
        store.add_licence(actor, org, mail, idle).await?;
    }
    if let Some(&site) = others.get(1) {
        let whole = LicenceDraft {
            in_use_source: InUseSource::Entered,
            in_use_entered: Some(2_400),
            ..licence("Kommunlicens", Metric::Site, None, 240_000)
        };
        store.add_licence(actor, org, site, whole).await?;
    }
    Ok(())
}
