//! The organisation's contract setting (administrators): how many days
//! before a contract's last day to give notice its reminders begin (the
//! same setting as the API's `PUT /orgs/{org}/contract-settings`).

use super::*;
use crate::context::OrgPath;
use insyn_domain::contract::MAX_LEAD_DAYS;

#[derive(Template)]
#[template(path = "contract_settings.html")]
struct SettingsPage {
    c: Chrome,
    lead_days: String,
    max: u32,
    saved: bool,
    errors: FieldErrors,
}

impl SettingsPage {
    fn err(&self) -> String {
        self.c.field_error(&self.errors, "lead_days")
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct Saved {
    saved: Option<String>,
}

pub(super) async fn settings_page(
    cx: Cx,
    at: OrgPath,
    Query(q): Query<Saved>,
) -> AppResult<Response> {
    let days = cx.store().contract_lead_days(at.id()).await?;
    Ok(render(&SettingsPage {
        c: cx.chrome(Some(at.org), "contracts"),
        lead_days: days.to_string(),
        max: MAX_LEAD_DAYS,
        saved: q.saved.is_some(),
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn save_settings(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let org = at.org;
    let typed = form.get("lead_days").to_owned();
    let days = match validation::parse_count(&typed) {
        Ok(n) => u32::try_from(n).map_err(|_| {
            FieldErrors::single("lead_days", insyn_store::contracts::LEAD_DAYS_OUT_OF_RANGE)
        }),
        Err(code) => Err(FieldErrors::single("lead_days", code)),
    };
    let set = async |d| {
        cx.store()
            .set_contract_lead_days(&cx.actor, org.id, d)
            .await
    };
    match submit(days, set).await? {
        Posted::Done(_) => see(format!("/o/{}/settings/contracts?saved=1", org.slug)),
        Posted::Invalid(errors) => {
            let page = SettingsPage {
                c: cx.chrome(Some(org), "contracts"),
                lead_days: typed,
                max: MAX_LEAD_DAYS,
                saved: false,
                errors,
            };
            Ok(form_page(&page.errors, &page))
        }
    }
}
