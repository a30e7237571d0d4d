//! Refused input: the form comes back with what was typed, an error summary
//! and a message beside each field, in the user's language; the API answers
//! with problem details naming each field. Nothing is written.

use axum::http::Method;
use insyn_store::Store;
use insyn_tests::{App, Resp, assert_problem_fields, audit_count, dual_test, problem, text_by_id};
use serde_json::json;

const BAD_FORM: &[(&str, &str)] = &[
    ("name", "   "),
    ("vendor", "Visma <Enterprise> & Co"),
    ("user_count", "många"),
    ("lifecycle", "in_operation"),
    ("hosting", "internal"),
    ("go_live_date", "2024-05-01"),
    ("end_date", "2024-01-01"),
    ("notes", "Ska bytas ut"),
];

/// What the form shows again: the typed values (escaped), and each field's
/// state for screen readers.
#[track_caller]
fn assert_form_kept_values(r: &Resp) {
    let b = &r.body;
    for v in [
        "id=\"user_count\" name=\"user_count\" type=\"text\" value=\"många\"",
        "value=\"Visma &#60;Enterprise&#62; &#38; Co\"",
        "id=\"go_live_date\" name=\"go_live_date\" type=\"date\" value=\"2024-05-01\"",
        "id=\"end_date\" name=\"end_date\" type=\"date\" value=\"2024-01-01\"",
        ">Ska bytas ut</textarea>",
    ] {
        let alt = v
            .replace("&#60;", "&lt;")
            .replace("&#62;", "&gt;")
            .replace("&#38;", "&amp;");
        assert!(b.contains(v) || b.contains(&alt), "{v} not kept in:\n{b}");
    }
    for field in ["name", "user_count", "end_date"] {
        assert!(
            b.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{field} is not tied to its message"
        );
    }
    assert!(
        !b.contains("aria-describedby=\"go_live_date-error\""),
        "a valid field is not marked"
    );
    // The summary links to each field with a problem, in the order of the errors.
    let id = b.find("id=\"error-summary\"").expect("an error summary");
    let start = b[..id].rfind('<').expect("its tag");
    let summary = &b[start..start + b[start..].find("</div>").expect("its end")];
    let links = insyn_tests::attr_values(summary, "href");
    let mut sorted = links.clone();
    sorted.sort();
    assert_eq!(sorted, ["#end_date", "#name", "#user_count"], "{summary}");
    assert!(summary.contains("role=\"alert\""));
}

/// Asserts the message beside each field: `(id of the message, its text)`.
#[track_caller]
fn assert_field_messages(body: &str, expected: &[(&str, &str)]) {
    for (id, message) in expected {
        assert_eq!(text_by_id(body, id).as_deref(), Some(*message), "{id}");
    }
}

dual_test!(
    a_refused_form_comes_back_with_the_values_and_messages_in_swedish,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let audits = audit_count(&store).await?;

        let r = app
            .post_form("/o/kommunen/systems", BAD_FORM)
            .await
            .expect(422);
        assert_eq!(r.header("content-type"), "text/html; charset=utf-8");
        assert!(r.body.contains("<html lang=\"sv\">"));
        assert_form_kept_values(&r);
        assert_field_messages(
            &r.body,
            &[
                ("name-error", "Fyll i fältet."),
                ("user_count-error", "Ange ett heltal, till exempel 1 250."),
                ("end_date-error", "Slutdatumet ligger före startdatumet."),
            ],
        );
        let text = r.text();
        assert!(text.contains("Formuläret innehåller fel"), "{text}");
        assert!(text.contains("Systemnamn: Fyll i fältet."), "{text}");
        assert!(
            text.contains("Antal användare: Ange ett heltal, till exempel 1 250."),
            "{text}"
        );
        assert!(
            text.contains("Slutdatum: Slutdatumet ligger före startdatumet."),
            "{text}"
        );

        // In English with the cookie.
        let r = app
            .lang("en")
            .post_form("/o/kommunen/systems", BAD_FORM)
            .await
            .expect(422);
        assert!(r.body.contains("<html lang=\"en\">"));
        assert_form_kept_values(&r);
        assert_field_messages(
            &r.body,
            &[
                ("name-error", "Fill in this field."),
                (
                    "user_count-error",
                    "Enter a whole number, for example 1 250.",
                ),
                ("end_date-error", "The end date is before the start date."),
            ],
        );
        let text = r.text();
        assert!(text.contains("The form has errors"), "{text}");
        assert!(text.contains("System name: Fill in this field."), "{text}");
        assert!(!text.contains("Fyll i fältet"), "no Swedish left: {text}");

        // The edit form refuses the same way and keeps the stored system as it was.
        let s = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Procapita", "user_count": 12 }),
                201,
            )
            .await;
        let id = s["id"].as_str().expect("an id");
        let audits = audits + 1;
        assert_eq!(audit_count(&store).await?, audits);
        let r = app
            .post_form(&format!("/o/kommunen/systems/{id}"), BAD_FORM)
            .await
            .expect(422);
        assert_form_kept_values(&r);
        assert!(
            r.body
                .contains(&format!("action=\"/o/kommunen/systems/{id}\"")),
            "the form posts to the same system again"
        );
        let after = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}"))
            .await;
        assert_eq!(after, s);

        // Nothing was written by any of the refused posts.
        let list = app.get_json("/api/v1/orgs/kommunen/systems").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(audit_count(&store).await?, audits);
        let h = app
            .get_json(&format!("/api/v1/orgs/kommunen/systems/{id}/history"))
            .await;
        assert_eq!(h["total"], 1);
    }
);

dual_test!(
    the_api_refuses_with_problem_details_and_writes_nothing,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let audits = audit_count(&store).await?;

        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({
                    "name": "  ",
                    "user_count": -5,
                    "go_live_date": "2024-05-01",
                    "end_date": "2024-01-01",
                }),
            )
            .await;
        let p = assert_problem_fields(
            &r,
            422,
            &[
                ("end_date", "error-end-before-start"),
                ("name", "error-required"),
                ("user_count", "error-negative"),
            ],
        );
        assert_eq!(p["title"], "The data is not valid");
        let name = p["errors"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["field"] == "name"))
            .expect("name");
        assert_eq!(name["message"], "Fill in this field.");

        // The same on update; the system stays as it was.
        let s = app
            .post_json_expecting(
                "/api/v1/orgs/kommunen/systems",
                &json!({ "name": "Procapita" }),
                201,
            )
            .await;
        let id = s["id"].as_str().expect("an id");
        let audits = audits + 1;
        let r = app
            .put_json(
                &format!("/api/v1/orgs/kommunen/systems/{id}"),
                &json!({ "name": "", "licence_count": -1, "doc_links": [{ "label": "x", "url": "\\\\server\\share" }] }),
            )
            .await;
        assert_problem_fields(
            &r,
            422,
            &[
                ("doc_links", "error-not-a-url"),
                ("licence_count", "error-negative"),
                ("name", "error-required"),
            ],
        );

        // Malformed JSON is invalid input like any other (422), with a problem
        // document whose detail says why.
        for body in ["{\"name\": ", "not json", "", "{\"name\": \"X\"} trailing"] {
            let r = app
                .send_raw(
                    Method::POST,
                    "/api/v1/orgs/kommunen/systems",
                    "application/json",
                    body.to_owned(),
                )
                .await;
            let p = problem(&r, 422);
            assert_eq!(p["title"], "The data is not valid", "{body}");
            assert!(
                p["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{body}: {p}"
            );
        }
        let r = app
            .send_raw(
                Method::PUT,
                &format!("/api/v1/orgs/kommunen/systems/{id}"),
                "application/json",
                "{\"name\": \"Kapad\",".to_owned(),
            )
            .await;
        problem(&r, 422);

        // Nothing was written.
        let list = app.get_json("/api/v1/orgs/kommunen/systems").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0], s);
        assert_eq!(audit_count(&store).await?, audits);
    }
);

dual_test!(
    the_api_names_a_field_whose_value_has_the_wrong_type,
    |store: Store| async move {
        // The same problems as the form test: a number written in words is a
        // problem with that field (422 naming it), like an empty name beside it,
        // not a malformed request.
        let app = App::new_with_org(&store, "kommunen").await?;
        let audits = audit_count(&store).await?;
        let r = app
            .post_json(
                "/api/v1/orgs/kommunen/systems",
                &json!({
                    "name": "",
                    "user_count": "många",
                    "go_live_date": "2024-05-01",
                    "end_date": "2024-01-01",
                }),
            )
            .await;
        assert_eq!(audit_count(&store).await?, audits);
        assert_problem_fields(
            &r,
            422,
            &[
                ("end_date", "error-end-before-start"),
                ("name", "error-required"),
                // JSON has types: a string where a number belongs is a wrong type.
                ("user_count", "error-wrong-type"),
            ],
        );
    }
);
