//! The system drafts an import writes.

use insyn_domain::*;

/// The draft an import gives an existing system: the file's values where it
/// has them, the system's own where it has not.
pub(super) fn merged(existing: &System, v: &insyn_domain::import::Values) -> SystemDraft {
    let mut d = SystemDraft {
        name: existing.name.clone(),
        short_name: v.short_name.clone().or(existing.short_name.clone()),
        description: v.description.clone().or(existing.description.clone()),
        purpose: v.purpose.clone().or(existing.purpose.clone()),
        responsible_unit_id: existing.responsible_unit_id,
        using_unit_ids: existing.using_unit_ids.clone(),
        vendor: v.vendor.clone().or(existing.vendor.clone()),
        product_id: existing.product_id,
        version: v.version.clone().or(existing.version.clone()),
        hosting: v.hosting.unwrap_or(existing.hosting),
        user_count: v.user_count.or(existing.user_count),
        business_critical: v.business_critical.unwrap_or(existing.business_critical),
        lifecycle: v.lifecycle.unwrap_or(existing.lifecycle),
        go_live_date: v.go_live_date.or(existing.go_live_date),
        end_date: v.end_date.or(existing.end_date),
        licence_model: v.licence_model.clone().or(existing.licence_model.clone()),
        licence_count: v.licence_count.or(existing.licence_count),
        doc_links: existing.doc_links.clone(),
        escalation_route: v
            .escalation_route
            .clone()
            .or(existing.escalation_route.clone()),
        capabilities: existing.capabilities.clone(),
        tags: existing.tags.clone(),
        notes: v.notes.clone().or(existing.notes.clone()),
    };
    if !v.doc_links.is_empty() {
        d.doc_links = v
            .doc_links
            .iter()
            .map(|u| DocLink {
                label: String::new(),
                url: u.clone(),
            })
            .collect();
    }
    if !v.capabilities.is_empty() {
        d.capabilities = v.capabilities.clone();
    }
    if !v.tags.is_empty() {
        d.tags = v.tags.clone();
    }
    d
}
