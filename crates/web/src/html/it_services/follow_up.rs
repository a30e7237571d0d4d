//! A service's follow-ups from its page: one period entered (the form's
//! values and errors shown again when refused), one removed, or a file
//! imported (all or nothing; each problem a sentence naming its row and
//! field in the reader's language).

use super::*;
use crate::upload::page_file;
use axum::extract::Multipart;
use insyn_domain::validation as v;

/// The follow-up form's draft, or what is wrong field by field.
fn draft(f: &FormData) -> Result<FollowUpDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let period = Period::parse(f.get("period"))
        .map_err(|c| e.add("period", c))
        .ok();
    let mut number = |name: &str| match f.get(name).trim().trim_end_matches('%').trim() {
        "" => None,
        s => s
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| e.add(name, NOT_A_PERCENTAGE))
            .ok(),
    };
    let measured_availability = number("measured_availability");
    let mut counts = [None; 4];
    for (i, name) in [
        "response_met",
        "response_missed",
        "resolution_met",
        "resolution_missed",
    ]
    .into_iter()
    .enumerate()
    {
        counts[i] = match f.get(name).trim() {
            "" => None,
            s => s
                .parse::<u32>()
                .map_err(|_| e.add(name, v::NOT_A_NUMBER))
                .ok(),
        };
    }
    let comment = Some(f.get("comment").to_owned());
    let d = period.map(|p| FollowUpDraft {
        measured_availability,
        response_met: counts[0],
        response_missed: counts[1],
        resolution_met: counts[2],
        resolution_missed: counts[3],
        comment,
        ..FollowUpDraft::new(p)
    });
    match d {
        Some(d) => crate::forms::validated(e, d.validate()),
        None => Err(e),
    }
}

fn done(at: &OrgPath) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    see(format!("/o/{}/services/{id}#follow-ups", at.org.slug))
}

/// Records a period's follow-up, then shows the service.
pub(in crate::html) async fn add_follow_up(
    cx: Cx,
    at: OrgPath,
    form: FormData,
) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    let add = async |d| {
        cx.store()
            .add_it_service_follow_up(&cx.actor, at.id(), id, d)
            .await
    };
    match submit(draft(&form), add).await? {
        Posted::Done(_) => done(&at),
        Posted::Invalid(errors) => {
            let mut w = Words::new(cx.lang);
            (w.form, w.posted, w.errors) = ("f".into(), form, errors);
            service_view(&cx, &at, w).await
        }
    }
}

/// Removes a follow-up, then shows the service.
pub(in crate::html) async fn remove_follow_up(cx: Cx, at: OrgPath) -> AppResult<Response> {
    let (id, follow_up) = (at.params.id("service")?, at.params.id("follow_up")?);
    cx.store()
        .remove_it_service_follow_up(&cx.actor, at.id(), id, follow_up)
        .await?;
    done(&at)
}

/// Imports the follow-ups of an uploaded file, then shows the service; a
/// file with any problem changes nothing and the page lists every one.
pub(in crate::html) async fn import_follow_ups(
    cx: Cx,
    at: OrgPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let id: ItServiceId = at.params.id("service")?;
    cx.store().get_it_service(at.id(), id).await?;
    let lang = cx.lang;
    let refused = |lines: Vec<String>| {
        let mut w = Words::new(lang);
        w.import_issues = lines;
        w
    };
    let (name, bytes) = match page_file(lang, &mut multipart).await? {
        Ok(f) => f,
        Err((_, message)) => return service_view(&cx, &at, refused(vec![message])).await,
    };
    let rows = match crate::upload::follow_up_rows(&name, &bytes).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(errors)) => {
            let lines = errors
                .iter()
                .map(|e| {
                    lang.t_args(
                        "roster-issue",
                        &[
                            ("row", e.row.to_string()),
                            ("column", lang.t(&format!("service-column-{}", e.field))),
                            ("message", lang.t(e.code)),
                        ],
                    )
                })
                .collect();
            return service_view(&cx, &at, refused(lines)).await;
        }
        Err(e) => {
            let (_, message) = crate::upload::refusal(lang, &e);
            return service_view(&cx, &at, refused(vec![message])).await;
        }
    };
    cx.store()
        .import_it_service_follow_ups(&cx.actor, at.id(), id, rows)
        .await?;
    done(&at)
}
