//! The document's data: closed sets the code keeps as constants, and an
//! example of each request body.

use serde_json::{Value, json};

/// Closed sets that the code keeps as constants rather than as Rust enums:
/// (schema, property, its schema).
pub(super) fn enumerations() -> Vec<(&'static str, &'static str, Value)> {
    use insyn_domain::security::{FIELD_SECRECY_DEFAULTS, PLAN_SECTIONS};
    let secrecy_kinds: Vec<&str> = FIELD_SECRECY_DEFAULTS.iter().map(|(k, _)| *k).collect();
    let shipped: Vec<&str> = insyn_domain::policy::SHIPPED
        .iter()
        .map(|(c, _)| *c)
        .collect();
    let sections = json!({
        "type": "object",
        "description": "Section key → text; the keys are the plan's sections.",
        "propertyNames": { "enum": PLAN_SECTIONS },
        "additionalProperties": { "type": "string" }
    });
    vec![
        (
            "PersonDraft",
            "email",
            json!({
                "description": "Empty (or only spaces) for none.",
                "anyOf": [
                    { "type": "null" },
                    { "type": "string", "format": "email", "maxLength": 254 },
                    { "type": "string", "pattern": "^\\s*$", "maxLength": 254 }
                ]
            }),
        ),
        ("PlanIn", "sections", sections.clone()),
        ("SecurityPlan", "sections", sections),
        (
            "Secrecy",
            "fields",
            json!({
                "type": "object",
                "description": "Kind of field → secret (true) or public (false).",
                "propertyNames": { "enum": secrecy_kinds },
                "additionalProperties": { "type": "boolean" }
            }),
        ),
        (
            "ControlIn",
            "result",
            json!({ "type": "string", "enum": insyn_store::policy::CONTROL_RESULTS }),
        ),
        (
            "PolicyIn",
            "shipped",
            json!({
                "description": "Or the code of a shipped profile to adopt instead.",
                "anyOf": [{ "type": "null" }, { "type": "string", "enum": shipped }]
            }),
        ),
    ]
}

/// An example of each request body that names no other record (clients
/// copy them; API tests start from them).
pub(super) fn examples() -> Vec<(&'static str, Value)> {
    vec![
        (
            "OrgIn",
            json!({ "slug": "exempelbolaget", "name": "Exempelbolaget AB", "kind": "company", "parent": "exempelstad" }),
        ),
        (
            "UnitDraft",
            json!({ "name": "Kulturförvaltningen", "level": "Förvaltning", "parent_id": null }),
        ),
        (
            "PersonDraft",
            json!({ "name": "Anna Andersson", "email": "anna.andersson@exempelstad.se", "title": "Systemförvaltare", "unit_id": null, "active": true }),
        ),
        (
            "ProductDraft",
            json!({ "name": "Treserva", "vendor": "CGI", "description": "Verksamhetssystem för socialtjänsten" }),
        ),
        (
            "SystemDraft",
            json!({
                "name": "Ekonomisystemet", "short_name": "Eko", "lifecycle": "in_operation",
                "hosting": "saas", "business_critical": true, "user_count": 250,
                "go_live_date": "2019-03-01",
                "doc_links": [{ "label": "Användarhandbok", "url": "https://intranat.exempelstad.se/eko" }],
                "tags": ["ekonomi"]
            }),
        ),
        (
            "RoleTypeDraft",
            json!({ "code": "information_owner", "name_sv": "Informationsägare", "name_en": "Information owner", "scope": "system", "description": null }),
        ),
        ("EndAssignment", json!({ "end_date": "2026-12-31" })),
        (
            "InformationSetDraft",
            json!({ "name": "Vårddokumentation", "description": "Journalanteckningar", "personal_data": true, "sensitive_personal_data": true }),
        ),
        (
            "ClassificationDraft",
            json!({ "confidentiality": 3, "integrity": 3, "availability": 2, "traceability": 2, "justification": "Känsliga personuppgifter (OSL 26 kap.)", "valid_until": null }),
        ),
        (
            "DecisionIn",
            json!({ "critical": true, "owner_name": "Jonas Olsson", "it_name": "Eva Ek", "note": null }),
        ),
        (
            "PlanIn",
            json!({ "sections": { "business": "Stöd för handläggning inom socialtjänsten." } }),
        ),
        (
            "ApprovalDraft",
            json!({ "baseline": "Grundnivå enligt MSB:s metodstöd", "measures": [{ "description": "Inför tvåfaktorsinloggning", "owner": "Systemförvaltaren", "deadline": "2027-06-30", "done": false }] }),
        ),
        (
            "Scale",
            json!({ "levels": [{ "level": 0, "name_sv": "Ingen eller försumbar", "name_en": "None or negligible" }], "traceability_required": false }),
        ),
        (
            "Secrecy",
            json!({ "fields": { "version": true, "hosting": true } }),
        ),
        (
            "PolicyIn",
            json!({ "toml": null, "shipped": "baseline-2026", "note": "Grundprofilen" }),
        ),
        (
            "DocumentIn",
            json!({ "kind": "continuity_plan", "title": "Kontinuitetsplan", "reference": "2026/123", "dated": "2026-01-15" }),
        ),
        (
            "ControlIn",
            json!({ "control": "access_review", "performed_on": "2026-01-15", "result": "ok", "note": null }),
        ),
        (
            "OutagePlanIn",
            json!({ "sections": { "fallback_routine": "Beslut fattas på papper enligt blankett i pärmen; registreras i efterhand." } }),
        ),
    ]
}
