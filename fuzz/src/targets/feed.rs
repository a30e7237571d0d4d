//! Issue 21's outside input: a webhook subscription as an administrator
//! sends it (`insyn_domain::webhook::WebhookDraft`, its address and
//! filter) and a person as the HR system sends them
//! (`insyn_domain::access::HrPersonDraft`), each JSON through the rules
//! that check it.

use super::Outcome;
use insyn_domain::access::HrPersonDraft;
use insyn_domain::webhook::{URL_MAX, WebhookDraft, filterable_types, url_problem};

/// A subscription's JSON: a draft that passes has a bounded address with
/// an allowed scheme, and a filter of known types, sorted, each once.
pub(super) fn webhook_draft(bytes: &[u8]) -> Outcome {
    let d: WebhookDraft = serde_json::from_slice(bytes).map_err(|_| "json".to_owned())?;
    let mut out = vec![];
    for allow_http in [false, true] {
        match d.validate(allow_http) {
            Ok(v) => {
                assert!(v.url.chars().count() <= URL_MAX);
                assert!(
                    v.url.starts_with("https://") || (allow_http && v.url.starts_with("http://"))
                );
                assert_eq!(url_problem(&v.url, allow_http), None);
                let known = filterable_types();
                assert!(v.object_types.iter().all(|t| known.contains(&t.as_str())));
                assert!(v.object_types.windows(2).all(|w| w[0] < w[1]));
                out.push("ok".to_owned());
            }
            Err(e) => out.push(e.0.iter().map(|f| f.code).collect::<Vec<_>>().join(",")),
        }
    }
    Ok(out.join("|"))
}

/// A person's JSON, with the first 60 bytes' text as the path's id: a row
/// made has the id as its employee number and a non-blank name.
pub(super) fn hr_person(bytes: &[u8]) -> Outcome {
    let d: HrPersonDraft = serde_json::from_slice(bytes).map_err(|_| "json".to_owned())?;
    let id: String = String::from_utf8_lossy(bytes).chars().take(60).collect();
    match d.row(&id) {
        Ok(r) => {
            assert_eq!(r.employee_number.as_deref(), Some(id.trim()));
            assert!(r.name.as_deref().is_some_and(|n| !n.trim().is_empty()));
            Ok("ok".into())
        }
        Err(e) => Ok(e.0.iter().map(|f| f.code).collect::<Vec<_>>().join(",")),
    }
}

pub(super) fn webhook_seeds() -> Vec<Vec<u8>> {
    vec![
        br#"{"url":"https://helpdesk.kommunen.se/hooks/insyn","object_types":["system","person"],"include_events":true}"#.to_vec(),
        br#"{"url":"http://10.0.0.1:8080/x?y=1#z","description":"HR","object_types":["user"],"active":false}"#.to_vec(),
        br#"{"url":"https://u:p@[::1]:443/","object_types":[]}"#.to_vec(),
    ]
}

pub(super) fn hr_person_seeds() -> Vec<Vec<u8>> {
    vec![
        "{\"name\":\"Kim Karlsson\",\"email\":\"kim@kommunen.se\",\"unit\":\"IT-enheten\",\"end_date\":\"2026-12-31\"}"
            .as_bytes()
            .to_vec(),
        br#"{"name":" ","email":"inte en adress","unit":null}"#.to_vec(),
    ]
}

pub(super) const FEED_DICT: &[&str] = &[
    "\"url\"",
    "\"object_types\"",
    "\"include_events\"",
    "https://",
    "http://",
    "@",
    "[::1]",
    "\"system\"",
    "\"person\"",
    "\"name\"",
    "\"email\"",
    "\"unit\"",
    "\"end_date\"",
    "2026-02-29",
    "true",
    "null",
];
