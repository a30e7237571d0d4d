//! The system form's supplier: chosen by typing a supplier's name (or its
//! organisation number) with bounded suggestions, never free text; a name
//! that names no supplier is refused on the field. The link is written with
//! `Store::set_system_supplier` (its own audit record) after the system's
//! data is saved, and only when the choice changed.

use super::super::*;

/// The form field.
pub const FIELD: &str = "supplier";

/// What the form's supplier field names: `Ok(None)` when the field is left
/// out of the post (nothing to change) … `Ok(Some(None))` when emptied.
pub(in crate::html) async fn chosen(
    cx: &Cx,
    org: OrgId,
    form: &FormData,
) -> AppResult<Result<Option<Option<SupplierId>>, FieldErrors>> {
    if !form.0.iter().any(|(k, _)| k == FIELD) {
        return Ok(Ok(None));
    }
    let typed = form.get(FIELD);
    if typed.is_empty() {
        return Ok(Ok(Some(None)));
    }
    Ok(match cx.store().supplier_named(org, typed).await? {
        Some(id) => Ok(Some(Some(id))),
        None => Err(FieldErrors::single(
            FIELD,
            crate::html::contract_form::NO_SUPPLIER_NAMED,
        )),
    })
}

/// Links the system to the chosen supplier when the choice changed.
pub(in crate::html) async fn link(
    cx: &Cx,
    org: OrgId,
    system: SystemId,
    choice: Option<Option<SupplierId>>,
) -> AppResult<()> {
    let Some(wanted) = choice else {
        return Ok(());
    };
    let now = cx.store().system_supplier(org, system).await?.map(|s| s.id);
    if now != wanted {
        cx.store()
            .set_system_supplier(&cx.actor, org, system, wanted)
            .await?;
    }
    Ok(())
}

/// The supplier's name for the form, when the system has one.
pub(in crate::html) async fn current(cx: &Cx, org: OrgId, system: SystemId) -> AppResult<String> {
    Ok(cx
        .store()
        .system_supplier(org, system)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}
