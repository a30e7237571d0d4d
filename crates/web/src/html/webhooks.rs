//! Webhook subscriptions as pages (`/o/{org}/settings/webhooks`,
//! administrators): the list with a form to subscribe (the secret shown
//! once, on the page that answers the form), and a subscription's page
//! with its delivery log (newest attempts: status, response code, time),
//! a replay button for a parked delivery and a way to end it. The same
//! store methods as the API's `webhooks` area.

use super::*;
use crate::context::OrgPath;
use insyn_domain::webhook::WebhookDraft;
use insyn_store::webhooks::{WebhookLog, WebhookSubscription};

#[derive(Template)]
#[template(path = "webhooks.html")]
struct ListPage {
    c: Chrome,
    subscriptions: Vec<WebhookSubscription>,
    /// The secret of the subscription just made: shown this once.
    secret: Option<String>,
    url: String,
    description: String,
    object_types: String,
    include_events: bool,
    types: Vec<&'static str>,
    errors: FieldErrors,
}

impl ListPage {
    fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    /// A field's label (`webhooks-url`, `webhooks-description`, `webhooks-object_types`).
    fn label(&self, field: &str) -> String {
        self.c.t(&format!("webhooks-{field}"))
    }
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct OnePage {
    c: Chrome,
    log: WebhookLog,
}

impl OnePage {
    /// A time as the page shows it.
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }

    /// A delivery's state in words.
    fn state(&self, state: &str) -> String {
        self.c.t(&format!("webhook-state-{state}"))
    }
}

async fn list_page(cx: &Cx, org: &Organisation, secret: Option<String>) -> AppResult<ListPage> {
    Ok(ListPage {
        c: cx.chrome(Some(org.clone()), "org"),
        subscriptions: cx.store().webhooks(org.id).await?,
        secret,
        url: String::new(),
        description: String::new(),
        object_types: String::new(),
        include_events: false,
        types: insyn_domain::webhook::filterable_types(),
        errors: FieldErrors::new(),
    })
}

pub(super) async fn list(cx: Cx, at: OrgPath) -> AppResult<Response> {
    Ok(render(&list_page(&cx, &at.org, None).await?))
}

fn draft(form: &FormData) -> WebhookDraft {
    WebhookDraft {
        url: form.get("url").to_owned(),
        description: Some(form.get("description").to_owned()),
        object_types: form
            .get("object_types")
            .split([',', ' '])
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        include_events: form.get("include_events") == "on",
        active: true,
    }
}

pub(super) async fn create(cx: Cx, at: OrgPath, form: FormData) -> AppResult<Response> {
    let d = draft(&form);
    let policy = cx.state.webhooks;
    let act = async |d: WebhookDraft| {
        cx.store()
            .create_webhook(&cx.actor, at.org.id, &d, policy)
            .await
    };
    match submit(Ok(d.clone()), act).await? {
        // Not a redirect: the secret is shown on this answer only.
        Posted::Done(made) => Ok(render(&list_page(&cx, &at.org, Some(made.secret)).await?)),
        Posted::Invalid(errors) => {
            let mut page = list_page(&cx, &at.org, None).await?;
            page.url = d.url;
            page.description = d.description.unwrap_or_default();
            page.object_types = d.object_types.join(", ");
            page.include_events = d.include_events;
            page.errors = errors;
            Ok(form_page(&page.errors, &page))
        }
    }
}

pub(super) async fn one(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("webhook")?;
    let log = cx.store().webhook_log(at.id(), id).await?;
    Ok(render(&OnePage {
        c: cx.chrome(Some(at.org), "org"),
        log,
    }))
}

pub(super) async fn replay(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id: uuid::Uuid = at.params.id("webhook")?;
    let delivery = at.params.id("delivery")?;
    cx.store()
        .replay_webhook_delivery(&cx.actor, at.id(), id, delivery)
        .await
        .map_err(|e| match e {
            insyn_store::StoreError::Invalid(f) => AppError::Conflict(f),
            other => other.into(),
        })?;
    see(format!("/o/{}/settings/webhooks/{id}", at.org.slug))
}

pub(super) async fn delete(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let id = at.params.id("webhook")?;
    cx.store().delete_webhook(&cx.actor, at.id(), id).await?;
    see(format!("/o/{}/settings/webhooks", at.org.slug))
}
