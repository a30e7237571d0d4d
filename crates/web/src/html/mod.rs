//! The pages. Every action is a plain link or form post; a successful post
//! redirects (post/redirect/get), a failed one shows the form again with the
//! typed values, an error summary at the top and a message beside each field.

use crate::AppState;
use crate::auth::Rules;
use crate::error::{AppError, AppResult};
use crate::extract::RequestActor;
use crate::forms::{FormData, SystemFormValues, system_draft};
use crate::i18n::Lang;
pub use crate::i18n::Val;
pub use crate::link::{is_local_path, urlencode};
pub use crate::nav::Here;
use crate::query::{ListRequest, PageQuery, SystemQuery};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use insyn_domain::validation as v;
use insyn_domain::*;
use insyn_store::{AssignmentView, AuditEvent, SystemRow, UnitNode};

mod access;
mod access_reviews;
mod account;
mod admin;
mod audit;
mod benefit;
mod chrome;
mod continuity;
mod contract_edit;
mod contract_form;
mod contract_settings;
mod contracts;
mod decommission;
mod errors;
mod eservices;
mod form;
mod hr_import;
pub mod import;
mod incidents;
mod integrations;
mod it_services;
mod jobs;
mod leavers;
mod licence_list;
mod licences;
mod movers;
mod org;
mod outage_plan;
mod page;
mod people;
mod policy;
mod processing;
mod processors;
mod public;
mod regulatory;
mod reuse;
mod security;
mod supplier_form;
mod suppliers;
mod systems;
mod webhooks;

/// The redirect that sets the session cookie (for OpenID Connect sign-in).
pub(crate) use account::signed_in;
pub use errors::{error_page, html_errors, not_found};

use crate::export::download;
pub use chrome::{Chrome, group_digits};
pub use form::{FormField, SimpleForm, unit_options};
pub(crate) use page::{Cx, Posted, form_page, prev_next, render, render_status, see, submit};

/// Every page's route with its permission, in one table; each handler is
/// named by the file it is in. (The OpenID Connect sign-in declares its
/// own, `oidc::routes`.)
pub fn routes(rules: &mut Rules) -> Router<AppState> {
    let mut r = Router::new();
    crate::routes!(r, rules, "";
        GET "/lang/{code}" => set_lang, Public;
        GET "/static/insyn.css" => stylesheet, Public;
        GET "/static/print.css" => print_stylesheet, Public;
        GET "/tillganglighet" => accessibility, Public;
        GET "/public" => public::public_orgs, Public;
        GET "/public/{org}" => public::public_register, Public;
        GET "/public/{org}/{file}" => public::public_export, Public;
        GET "/o/{org}/settings/secrecy" => public::secrecy_page, Administer;
        POST "/o/{org}/settings/secrecy" => public::save_secrecy, Administer;
        GET "/o/{org}/settings/incidents" => incidents::settings::settings_page, Administer;
        POST "/o/{org}/settings/incidents" => incidents::settings::save_settings, Administer;
        GET "/o/{org}/tasks" => policy::tasks_page, Read;
        GET "/o/{org}/compliance" => policy::compliance_page, Read;
        GET "/o/{org}/cycle" => policy::cycle_page, Read;
        GET "/o/{org}/cycle/month" => policy::cycle_month, Read;
        POST "/o/{org}/cycle/controls" => policy::record_org_control, EditRegister;
        GET "/o/{org}/policy" => policy::policy_page, Read;
        POST "/o/{org}/policy/adopt" => policy::adopt_profile, Administer;
        GET "/o/{org}/policy/edit" => policy::policy_edit, Administer;
        POST "/o/{org}/policy/edit" => policy::policy_save, Administer;
        POST "/o/{org}/policy/import" => policy::policy_import, Administer;
        GET "/o/{org}/policy/export" => policy::policy_export, Read;
        GET "/o/{org}/policy/checklist" => policy::checklist_page, Administer;
        POST "/o/{org}/policy/checklist" => policy::checklist_save, Administer;
        GET "/o/{org}/systems/{id}/compliance" => policy::system_compliance, Read;
        POST "/o/{org}/systems/{id}/documents" => policy::record_document, EditSystem;
        POST "/o/{org}/systems/{id}/controls" => policy::record_system_control, EditSystem;
        POST "/o/{org}/systems/{id}/reviews" => policy::start_review, EditSystem;
        GET "/o/{org}/systems/{id}/reviews/{review}" => policy::review_page, Read;
        POST "/o/{org}/systems/{id}/reviews/{review}" => policy::answer_review, EditSystem;
        POST "/o/{org}/systems/{id}/reviews/{review}/sign" => policy::sign_review, ActAsOwner;
        GET "/" => org::home, Authenticated;
        GET "/o/{org}" => org::org_page, Read;
        POST "/o/{org}/units" => org::create_unit, EditRegister;
        GET "/o/{org}/units/new" => org::new_unit, EditRegister;
        GET "/o/{org}/units/{id}" => org::unit_page, Read;
        POST "/o/{org}/units/{id}" => org::update_unit, EditRegister;
        GET "/o/{org}/units/{id}/edit" => org::edit_unit, EditRegister;
        GET "/o/{org}/people" => people::people_page, Read;
        POST "/o/{org}/people" => people::create_person, EditRegister;
        GET "/o/{org}/people/new" => people::new_person, EditRegister;
        GET "/o/{org}/people/hr-file" => hr_import::hr_file_page, EditRegister;
        POST "/o/{org}/people/hr-file" => hr_import::upload_hr_file, EditRegister;
        POST "/o/{org}/people/hr-file/{token}" => hr_import::confirm_hr_file, EditRegister;
        GET "/o/{org}/people/{id}" => people::person_page, Read;
        POST "/o/{org}/people/{id}" => people::update_person, EditRegister;
        GET "/o/{org}/people/{id}/edit" => people::edit_person, EditRegister;
        GET "/o/{org}/people/{id}/transfer-roles" => leavers::transfer_page, EditRegister;
        POST "/o/{org}/people/{id}/transfer-roles" => leavers::transfer_roles, EditRegister;
        GET "/o/{org}/systems" => systems::register, Read;
        POST "/o/{org}/systems" => systems::form::create_system, EditRegister;
        GET "/o/{org}/systems/new" => systems::form::new_system, EditRegister;
        GET "/o/{org}/systems/{id}" => systems::page::system_page, Read;
        POST "/o/{org}/systems/{id}" => systems::form::update_system, EditSystem;
        GET "/o/{org}/systems/{id}/edit" => systems::form::edit_system, EditSystem;
        POST "/o/{org}/systems/{id}/archive" => systems::form::archive_system, EditRegister;
        POST "/o/{org}/systems/{id}/restore" => systems::form::restore_system, EditRegister;
        POST "/o/{org}/systems/{id}/roles" => systems::page::assign_role, EditSystem;
        GET "/o/{org}/systems/{id}/user-list" => systems::user_list::user_list_page, EditSystem;
        POST "/o/{org}/systems/{id}/user-list" => systems::user_list::upload_user_list, EditSystem;
        POST "/o/{org}/systems/{id}/user-list/{token}" => systems::user_list::confirm_user_list, EditSystem;
        POST "/o/{org}/assignments/{id}/end" => systems::page::end_assignment, EditRegister;
        GET "/o/{org}/export/{file}" => systems::export_register, Read;
        POST "/o/{org}/export/{file}" => systems::start_export, Read;
        GET "/o/{org}/export-full" => systems::export_full, Administer;
        POST "/o/{org}/export-full" => systems::start_full_export, Administer;
        GET "/o/{org}/systems/{id}/security" => security::classification::security_page, Read;
        POST "/o/{org}/systems/{id}/security/sets" => security::classification::create_set, EditSystem;
        POST "/o/{org}/systems/{id}/security/sets/{set}/classify" => security::classification::classify_set, EditSystem;
        POST "/o/{org}/systems/{id}/security/decision" => security::classification::decide_critical, EditSystem;
        GET "/o/{org}/systems/{id}/plan" => security::plan::plan_page, Read;
        POST "/o/{org}/systems/{id}/plan" => security::plan::start_plan, EditSystem;
        GET "/o/{org}/systems/{id}/plan/{plan}" => security::plan::plan_version_page, Read;
        POST "/o/{org}/systems/{id}/plan/{plan}" => security::plan::save_plan, EditSystem;
        GET "/o/{org}/systems/{id}/plan/{plan}/print" => security::plan::plan_print, Read;
        POST "/o/{org}/systems/{id}/plan/{plan}/submit" => security::plan::submit_plan, EditSystem;
        POST "/o/{org}/systems/{id}/plan/{plan}/return" => security::plan::return_plan, EditSystem;
        POST "/o/{org}/systems/{id}/plan/{plan}/approve" => security::plan::approve_plan, ActAsOwner;
        GET "/o/{org}/systems/{id}/outage-plan" => outage_plan::current, Read;
        POST "/o/{org}/systems/{id}/outage-plan" => outage_plan::start, EditSystem;
        GET "/o/{org}/systems/{id}/outage-plan/{version}" => outage_plan::version, Read;
        POST "/o/{org}/systems/{id}/outage-plan/{version}" => outage_plan::save, EditSystem;
        GET "/o/{org}/systems/{id}/outage-plan/{version}/print" => outage_plan::print, Read;
        POST "/o/{org}/systems/{id}/outage-plan/{version}/submit" => outage_plan::submit_plan, EditSystem;
        POST "/o/{org}/systems/{id}/outage-plan/{version}/return" => outage_plan::return_plan, EditSystem;
        POST "/o/{org}/systems/{id}/outage-plan/{version}/approve" => outage_plan::approve_plan, ActAsOwner;
        GET "/o/{org}/systems/{id}/approval" => security::approval::approval_page, Read;
        POST "/o/{org}/systems/{id}/approval" => security::approval::create_approval, EditSystem;
        POST "/o/{org}/systems/{id}/approval/{approval}/sign-owner" => security::approval::sign_owner, ActAsOwner;
        POST "/o/{org}/systems/{id}/approval/{approval}/sign-it" => security::approval::sign_it, SignForIt;
        GET "/o/{org}/import" => import::import_page, EditRegister;
        POST "/o/{org}/import" => import::upload, EditRegister;
        POST "/o/{org}/import/{token}" => import::confirm, EditRegister;
        POST "/o/{org}/import/{token}/mapping" => import::remap, EditRegister;
        GET "/o/{org}/jobs/{job}" => jobs::job_page, Read;
        GET "/o/{org}/jobs/{job}/file" => jobs::job_file, Read;
        GET "/static/job.js" => job_script, Public;
        GET "/static/register.js" => register_script, Public;
        GET "/login" => account::login_page, Public;
        POST "/login" => account::login, Public;
        POST "/logout" => account::logout, Public;
        GET "/account" => account::account_page, Authenticated;
        POST "/account/tokens" => account::create_token, Authenticated;
        POST "/account/tokens/{id}/revoke" => account::revoke_token, Authenticated;
        POST "/account/logout-all" => account::logout_all, Authenticated;
        POST "/account/language" => account::set_language, Authenticated;
        POST "/account/mail-frequency" => account::set_mail_frequency, Authenticated;
        GET "/admin/users" => admin::users_page, Administer;
        POST "/admin/users" => admin::create_user, Administer;
        GET "/admin/users/new" => admin::new_user, Administer;
        GET "/admin/users/{id}" => admin::user_page, Administer;
        POST "/admin/users/{id}" => admin::update_user, Administer;
        GET "/admin/audit" => audit::installation_audit_page, Administer;
        GET "/o/{org}/audit" => audit::audit_page, ReadAudit;
        GET "/o/{org}/access-reviews" => access_reviews::org_reviews, Read;
        GET "/o/{org}/access-reviews/{campaign}" => access_reviews::campaign_page, Read;
        POST "/o/{org}/access-reviews/{campaign}" => access_reviews::answer_items, Read;
        GET "/o/{org}/access-reviews/{campaign}/print" => access_reviews::campaign_print, Read;
        POST "/o/{org}/access-reviews/{campaign}/sign" => access_reviews::sign_campaign, Read;
        GET "/o/{org}/systems/{id}/access-reviews" => access_reviews::system_reviews, Read;
        POST "/o/{org}/systems/{id}/access-reviews" => access_reviews::open_system_review, EditSystem;
        POST "/o/{org}/units/{id}/access-reviews" => access_reviews::open_unit_review, EditRegister;
        GET "/o/{org}/systems/{id}/access" => access::system::access_page, Read;
        POST "/o/{org}/systems/{id}/access/profiles" => access::profiles::create_profile, EditSystem;
        GET "/o/{org}/systems/{id}/access/profiles/new" => access::profiles::new_profile, EditSystem;
        GET "/o/{org}/systems/{id}/access/profiles/{profile}" => access::profiles::edit_profile, EditSystem;
        POST "/o/{org}/systems/{id}/access/profiles/{profile}" => access::profiles::update_profile, EditSystem;
        POST "/o/{org}/systems/{id}/access/profiles/{profile}/archive" => access::profiles::archive_profile, EditSystem;
        GET "/o/{org}/systems/{id}/access/order" => access::orders::order_form, Read;
        POST "/o/{org}/systems/{id}/access/order" => access::orders::place_order, Read;
        GET "/o/{org}/access-orders" => access::orders::orders_page, Read;
        GET "/o/{org}/access-orders/{order}" => access::orders::order_page, Read;
        POST "/o/{org}/access-orders/{order}" => access::orders::take_step, Read;
        GET "/o/{org}/incidents" => incidents::incidents_page, Read;
        POST "/o/{org}/incidents" => incidents::report_incident, Read;
        GET "/o/{org}/incidents/new" => incidents::new_incident, Read;
        GET "/o/{org}/incidents/compilation" => incidents::compilation::compilation_page, HandleIncidents;
        GET "/o/{org}/incidents/{incident}" => incidents::page::incident_page, Read;
        GET "/o/{org}/incidents/{incident}/edit" => incidents::edit_incident, Read;
        POST "/o/{org}/incidents/{incident}/edit" => incidents::update_incident, Read;
        POST "/o/{org}/incidents/{incident}/status" => incidents::page::change_status, Read;
        POST "/o/{org}/incidents/{incident}/assessment" => incidents::page::assess, Read;
        POST "/o/{org}/incidents/{incident}/clocks/{deadline}" => incidents::page::record_clock, Read;
        POST "/o/{org}/incidents/{incident}/notes" => incidents::page::add_note, Read;
        POST "/o/{org}/incidents/{incident}/actions" => incidents::page::add_action, Read;
        POST "/o/{org}/incidents/{incident}/actions/{action}/done" => incidents::page::finish_action, Read;
        GET "/o/{org}/systems/{id}/incidents" => incidents::system_incidents, Read;
        GET "/o/{org}/incidents/{incident}/drafts/{deadline}" => incidents::draft::draft_page, Read;
        GET "/o/{org}/systems/{id}/continuity" => continuity::continuity_page, Read;
        POST "/o/{org}/systems/{id}/continuity" => continuity::save_requirements, EditSystem;
        POST "/o/{org}/systems/{id}/backups" => continuity::add_backup, EditSystem;
        POST "/o/{org}/systems/{id}/backups/{backup}" => continuity::update_backup, EditSystem;
        POST "/o/{org}/systems/{id}/backups/{backup}/remove" => continuity::remove_backup, EditSystem;
        POST "/o/{org}/systems/{id}/restore-tests" => continuity::record_test, EditSystem;
        GET "/o/{org}/systems/{id}/restore-tests/{test}" => continuity::test::test_page, Read;
        POST "/o/{org}/systems/{id}/restore-tests/{test}" => continuity::test::save_test, EditSystem;
        POST "/o/{org}/systems/{id}/restore-tests/{test}/actions" => continuity::test::add_action, EditSystem;
        POST "/o/{org}/systems/{id}/restore-tests/{test}/actions/{action}/done" => continuity::test::finish_action, EditSystem;
        GET "/o/{org}/integrations" => integrations::org_integrations, Read;
        GET "/o/{org}/systems/{id}/integrations" => integrations::system_integrations, Read;
        POST "/o/{org}/systems/{id}/integrations" => integrations::create_integration, EditSystem;
        GET "/o/{org}/systems/{id}/integrations/{integration}" => integrations::edit_integration, EditSystem;
        POST "/o/{org}/systems/{id}/integrations/{integration}" => integrations::update_integration, EditSystem;
        POST "/o/{org}/systems/{id}/integrations/{integration}/remove" => integrations::remove_integration, EditSystem;
        GET "/o/{org}/systems/{id}/map" => integrations::map::map_page, Read;
        GET "/o/{org}/systems/{id}/impact" => integrations::impact::impact_page, Read;
        GET "/o/{org}/systems/{id}/decommissioning" => decommission::decommission_page, Read;
        GET "/o/{org}/systems/{id}/decommissioning/print" => decommission::decommission_print, Read;
        POST "/o/{org}/systems/{id}/decommissioning" => decommission::save_case, EditSystem;
        POST "/o/{org}/systems/{id}/decommissioning/close" => decommission::close_case, ActAsOwner;
        POST "/o/{org}/systems/{id}/record-types" => decommission::add_record_type, EditSystem;
        POST "/o/{org}/systems/{id}/erasures" => decommission::add_erasure, EditSystem;
        POST "/o/{org}/systems/{id}/record-types/{record_type}" => decommission::update_record_type, EditSystem;
        POST "/o/{org}/systems/{id}/record-types/{record_type}/remove" => decommission::remove_record_type, EditSystem;
        POST "/o/{org}/systems/{id}/erasures/{erasure}" => decommission::update_erasure, EditSystem;
        POST "/o/{org}/systems/{id}/erasures/{erasure}/remove" => decommission::remove_erasure, EditSystem;
        GET "/o/{org}/role-handovers/{handover}" => movers::handover_page, Read;
        POST "/o/{org}/role-handovers/{handover}" => movers::settle_handover, Read;
        GET "/o/{org}/contracts" => contracts::contracts_page, Read;
        GET "/o/{org}/contracts/{contract}" => contracts::contract_page, Read;
        GET "/o/{org}/suppliers" => suppliers::suppliers_page, Read;
        GET "/o/{org}/suppliers/{supplier}" => suppliers::supplier_page, Read;
        GET "/o/{org}/systems/{id}/benefit" => benefit::benefit_page, Read;
        POST "/o/{org}/systems/{id}/benefit-assessments" => benefit::add_assessment, EditSystem;
        POST "/o/{org}/systems/{id}/benefit-assessments/{assessment}/remove" => benefit::remove_assessment, EditSystem;
        GET "/o/{org}/reuse" => reuse::reuse_page, Read;
        GET "/o/{org}/map" => integrations::scope_map::scope_map_page, Read;
        POST "/o/{org}/systems/{id}/restore-tests/{test}/remove" => continuity::test::remove_test, EditSystem;
        GET "/o/{org}/processing-records" => processing::list_page, Read;
        POST "/o/{org}/processing-records" => processing::form::create, EditRegister;
        GET "/o/{org}/processing-records/new" => processing::form::new_page, EditRegister;
        GET "/o/{org}/processing-records/print" => processing::print_page, Read;
        GET "/o/{org}/processing-records/export.xlsx" => processing::export_xlsx, Read;
        GET "/o/{org}/processing-records/{record}" => processing::record_page, Read;
        POST "/o/{org}/processing-records/{record}" => processing::form::update, EditRegister;
        GET "/o/{org}/processing-records/{record}/edit" => processing::form::edit_page, EditRegister;
        POST "/o/{org}/processing-records/{record}/remove" => processing::form::remove, EditRegister;
        GET "/o/{org}/contracts/new" => contract_edit::new_contract, EditRegister;
        POST "/o/{org}/contracts" => contract_edit::create_contract, EditRegister;
        GET "/o/{org}/contracts/{contract}/edit" => contract_edit::edit_contract, EditRegister;
        POST "/o/{org}/contracts/{contract}" => contract_edit::update_contract, EditRegister;
        POST "/o/{org}/contracts/{contract}/delete" => contract_edit::remove_contract, EditRegister;
        GET "/o/{org}/suppliers/new" => supplier_form::new_supplier, EditRegister;
        POST "/o/{org}/suppliers" => supplier_form::create_supplier, EditRegister;
        GET "/o/{org}/suppliers/{supplier}/edit" => supplier_form::edit_supplier, EditRegister;
        POST "/o/{org}/suppliers/{supplier}" => supplier_form::update_supplier, EditRegister;
        GET "/o/{org}/settings/webhooks" => webhooks::list, Administer;
        POST "/o/{org}/settings/webhooks" => webhooks::create, Administer;
        GET "/o/{org}/settings/webhooks/{webhook}" => webhooks::one, Administer;
        POST "/o/{org}/settings/webhooks/{webhook}/delete" => webhooks::delete, Administer;
        POST "/o/{org}/settings/webhooks/{webhook}/deliveries/{delivery}/replay" => webhooks::replay, Administer;
        GET "/o/{org}/settings/contracts" => contract_settings::settings_page, Administer;
        POST "/o/{org}/settings/contracts" => contract_settings::save_settings, Administer;
        GET "/o/{org}/processors" => processors::list_page, Read;
        GET "/o/{org}/processors/new" => processors::new_form, EditRegister;
        POST "/o/{org}/processors" => processors::create, EditRegister;
        GET "/o/{org}/processors/{agreement}" => processors::agreement_page, Read;
        GET "/o/{org}/processors/{agreement}/edit" => processors::edit_form, EditRegister;
        POST "/o/{org}/processors/{agreement}" => processors::update, EditRegister;
        POST "/o/{org}/processors/{agreement}/delete" => processors::remove, EditRegister;
        GET "/o/{org}/systems/{id}/processors" => processors::system_tab, Read;
        GET "/o/{org}/settings/nis" => regulatory::nis::nis_page, Read;
        POST "/o/{org}/settings/nis" => regulatory::nis::save_nis, Administer;
        GET "/o/{org}/systems/{id}/ai" => regulatory::ai::ai_page, Read;
        POST "/o/{org}/systems/{id}/ai" => regulatory::ai::save_ai, EditSystem;
        GET "/o/{org}/licences" => licence_list::licences_page, Read;
        GET "/o/{org}/systems/{id}/licences" => licences::licences_page, Read;
        POST "/o/{org}/systems/{id}/licences" => licences::add_licence, EditSystem;
        GET "/o/{org}/systems/{id}/licences/{licence}" => licences::licence_page, EditSystem;
        POST "/o/{org}/systems/{id}/licences/{licence}" => licences::update_licence, EditSystem;
        POST "/o/{org}/systems/{id}/licences/{licence}/remove" => licences::remove_licence, EditSystem;
        GET "/o/{org}/e-services" => eservices::list_page, Read;
        POST "/o/{org}/e-services" => eservices::form::create, EditRegister;
        GET "/o/{org}/e-services/new" => eservices::form::new_page, EditRegister;
        GET "/o/{org}/e-services/{eservice}" => eservices::eservice_page, Read;
        POST "/o/{org}/e-services/{eservice}" => eservices::form::update, EditRegister;
        GET "/o/{org}/e-services/{eservice}/edit" => eservices::form::edit_page, EditRegister;
        POST "/o/{org}/e-services/{eservice}/remove" => eservices::form::remove, EditRegister;
        GET "/o/{org}/settings/e-services" => eservices::public::settings_page, Administer;
        POST "/o/{org}/settings/e-services" => eservices::public::save_settings, Administer;
        GET "/public/{org}/e-services" => eservices::public::public_page, Public;
        GET "/o/{org}/services" => it_services::list_page, Read;
        GET "/o/{org}/services/new" => it_services::new_form, EditRegister;
        POST "/o/{org}/services" => it_services::create, EditRegister;
        GET "/o/{org}/services/{service}" => it_services::service_page, Read;
        GET "/o/{org}/services/{service}/edit" => it_services::edit_form, EditRegister;
        POST "/o/{org}/services/{service}" => it_services::update, EditRegister;
        POST "/o/{org}/services/{service}/delete" => it_services::remove, EditRegister;
        POST "/o/{org}/services/{service}/follow-ups" => it_services::add_follow_up, EditRegister;
        POST "/o/{org}/services/{service}/follow-ups/{follow_up}/remove" => it_services::remove_follow_up, EditRegister;
        POST "/o/{org}/services/{service}/follow-ups/import" => it_services::import_follow_ups, EditRegister;
        GET "/o/{org}/systems/{id}/services" => it_services::system_tab, Read;
    );
    r
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    c: Chrome,
}

/// Tillgänglighetsredogörelse: the accessibility statement the law on
/// accessible digital public services requires.
async fn accessibility(cx: Cx) -> Response {
    render(&AccessibilityPage {
        c: cx.chrome(None, "a11y"),
    })
}

async fn print_stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/print.css"),
    )
}

/// A small script of the application's own (no inline script: the CSP
/// allows only files from this origin).
fn script(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

/// The progress page's live update.
async fn job_script() -> impl IntoResponse {
    script(include_str!("../../static/job.js"))
}

/// The register's search as you type.
async fn register_script() -> impl IntoResponse {
    script(include_str!("../../static/register.js"))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/insyn.css"),
    )
}

#[derive(serde::Deserialize)]
struct Next_ {
    next: Option<String>,
}

/// Sets the language cookie and goes back to where the user was.
async fn set_lang(Path(code): Path<String>, Query(q): Query<Next_>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Only local paths: never redirect elsewhere.
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
