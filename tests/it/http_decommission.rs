//! Decommissioning over HTTP, on both databases: the owner opens a case
//! through the API, closing is refused with the failing gates named in
//! words, an erasure record added through the page lets it close and marks
//! the system decommissioned; a reader reads but writes nothing; the tab,
//! the print view, and nothing of it in the public register.

use insyn_domain::{AppRole, SYSTEM_OWNER};
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, actor, assert_problem_fields, dual_test, problem};
use serde_json::json;

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

dual_test!(
    a_case_is_refused_with_its_failing_gates_and_closes_once_the_medium_is_erased,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Gamla lönesystemet").await;
        let ola = k.person("Ola Ägare", Some("ola@kommunen.se")).await?;
        let role = k.holds(SYSTEM_OWNER, &ola, On::System(s.id)).await?;
        let today = today();
        let planned = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
        let page = format!("/o/kommunen/systems/{}", s.id);

        // No case yet: the answer is null, not a 404 (the system exists).
        assert!(
            reader
                .get_json(&format!("{api}/decommissioning"))
                .await
                .is_null()
        );
        let case = json!({ "decided_by": "Kommunstyrelsen", "decided_on": today,
            "decision_reference": "HEMLIG KS 2026/12", "planned_on": planned });
        problem(
            &reader
                .post_json(&format!("{api}/decommissioning"), &case)
                .await,
            403,
        );
        let v = owner
            .post_json_expecting(&format!("{api}/decommissioning"), &case, 201)
            .await;
        assert_eq!(v["status"], "open");
        assert_eq!(v["ready"], false);
        owner
            .post_json_expecting(
                &format!("{api}/record-types"),
                &json!({ "name": "HEMLIGA löneunderlag", "disposition": "dispose",
                    "decision_reference": "Gallringsbeslut KS 2024/88" }),
                201,
            )
            .await;
        // The roles gate: the owner's role is open-ended until it is set to
        // end by the planned date (the owner still acts until then).
        let r = owner
            .post_json(&format!("{api}/decommissioning/close"), &json!({}))
            .await;
        let p = problem(&r, 422);
        assert!(p.to_string().contains("gates.roles_ended"), "{p}");
        let planned_day = chrono::NaiveDate::parse_from_str(&planned, "%Y-%m-%d")?;
        store
            .end_assignment(&actor(), k.org, role.id, planned_day)
            .await?;

        // Closing refused: the missing erasure record named, in words.
        let r = owner
            .post_json(&format!("{api}/decommissioning/close"), &json!({}))
            .await;
        let p = assert_problem_fields(
            &r,
            422,
            &[
                ("exception_reason", "error-decommission-gates-fail"),
                (
                    "gates.erasure_recorded",
                    "decommission-gate-erasure-recorded",
                ),
            ],
        );
        assert!(
            p.to_string()
                .contains("At least one medium has an erasure record"),
            "{p}"
        );
        problem(
            &reader
                .post_json(&format!("{api}/decommissioning/close"), &json!({}))
                .await,
            403,
        );
        let tab = owner.get_text(&format!("{page}/decommissioning")).await;
        assert!(
            tab.contains("Minst ett lagringsmedium har ett raderingsintyg"),
            "{tab}"
        );
        assert!(tab.contains("Ej uppfyllt"), "{tab}");

        // The erasure record through the page.
        let form = [
            ("medium_type", "HEMLIG SSD"),
            ("serial", "S-123"),
            ("method", "purge"),
            ("tool", "Blancco Drive Eraser"),
            ("operator", "Ida IT"),
            ("erased_on", today.as_str()),
            ("verified_by", "Per Kontroll"),
            ("verification_result", "passed"),
            ("certificate_reference", "BL-42"),
        ];
        let r = reader.post_form(&format!("{page}/erasures"), &form).await;
        assert_eq!(r.status.as_u16(), 403);
        owner
            .post_form(&format!("{page}/erasures"), &form)
            .await
            .expect(303);
        let v = reader.get_json(&format!("{api}/decommissioning")).await;
        assert_eq!(v["ready"], true, "{v}");

        owner
            .post_form(&format!("{page}/decommissioning/close"), &[])
            .await
            .expect(303);
        let v = reader.get_json(&format!("{api}/decommissioning")).await;
        assert_eq!(v["status"], "closed");
        let sys = reader.get_json(&api).await;
        assert_eq!(sys["lifecycle"], "decommissioned");
        let print = reader
            .get_text(&format!("{page}/decommissioning/print"))
            .await;
        assert!(print.contains("Avvecklingsrapport"), "{print}");
        assert!(print.contains("BL-42"), "{print}");
        let en = reader
            .lang("en")
            .get_text(&format!("{page}/decommissioning"))
            .await;
        assert!(en.contains("Closed"), "{en}");

        // Nothing of it reaches the public register.
        let anon = App::anonymous(&store);
        let public = anon.get("/public/kommunen").await.expect(200);
        let json = anon.get_json("/public/kommunen/register.json").await;
        let csv = anon.get("/public/kommunen/register.csv").await.expect(200);
        let searched = anon.get_text("/public/kommunen?q=HEMLIG").await;
        for body in [&public.body, &json.to_string(), &csv.body, &searched] {
            for secret in ["HEMLIG", "Blancco", "BL-42", "S-123"] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }
    }
);

dual_test!(
    the_owner_signs_an_exception_with_a_reason,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Skolplattformen").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let page = format!("/o/kommunen/systems/{}", s.id);
        owner
            .post_form(
                &format!("{page}/decommissioning"),
                &[("decided_by", "Nämnden")],
            )
            .await
            .expect(303);
        let r = owner
            .post_form(&format!("{page}/decommissioning/close"), &[])
            .await
            .expect(422);
        r.assert_text_contains("Systemets rolltilldelningar är avslutade");
        owner
            .post_form(
                &format!("{page}/decommissioning/close"),
                &[("exception_reason", "Servern stulen, polisanmäld")],
            )
            .await
            .expect(303);
        let tab = owner.get_text(&format!("{page}/decommissioning")).await;
        assert!(tab.contains("Avslutat med undantag"), "{tab}");
        assert!(tab.contains("Servern stulen, polisanmäld"), "{tab}");
    }
);

dual_test!(
    the_erasure_form_fills_in_a_listed_medium_instead_of_listing_it_twice,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Skolplattformen").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let page = format!("/o/kommunen/systems/{}", s.id);
        let api = format!("/api/v1/orgs/kommunen/systems/{}/erasures", s.id);
        for serial in ["LTO-1", "LTO-2"] {
            // Listed without an erasure yet.
            owner
                .post_form(
                    &format!("{page}/erasures"),
                    &[("medium_type", "Backupband"), ("serial", serial)],
                )
                .await
                .expect(303);
        }
        let today = today();
        let erased = [
            ("medium_type", "backupband"),
            ("serial", "LTO-1"),
            ("method", "destroy"),
            ("erased_on", today.as_str()),
            ("verification_result", "passed"),
        ];
        owner
            .post_form(&format!("{page}/erasures"), &erased)
            .await
            .expect(303);
        let v = owner.get_json(&api).await;
        let items = v["items"].as_array().expect("items");
        assert_eq!(items.len(), 2, "{v}");
        // The named medium got its erasure; the other still waits.
        assert_eq!(items[0]["method"], "destroy", "{v}");
        assert!(items[1]["method"].is_null(), "{v}");
    }
);

dual_test!(
    record_types_and_erasure_records_are_changed_and_removed_on_the_tab,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Gamla ärendesystemet").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let page = format!("/o/kommunen/systems/{}", s.id);
        let api = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
        let tab = format!("{page}/decommissioning");

        editor
            .post_form(
                &format!("{page}/record-types"),
                &[("name", "Delgivningskvitton"), ("disposition", "keep")],
            )
            .await
            .expect(303);
        editor
            .post_form(
                &format!("{page}/erasures"),
                &[("medium_type", "Server-SSD")],
            )
            .await
            .expect(303);
        let t = editor.get_json(&format!("{api}/record-types")).await["items"][0].clone();
        let e = editor.get_json(&format!("{api}/erasures")).await["items"][0].clone();
        let (tid, eid) = (t["id"].as_str().unwrap(), e["id"].as_str().unwrap());

        // "Ändra" fills the form with the row and posts to it.
        let form = editor
            .get(&format!("{tab}?edit={tid}"))
            .await
            .expect(200)
            .body;
        assert!(form.contains("Ändra handlingstypen"), "{form}");
        assert!(
            form.contains(&format!("{page}/record-types/{tid}\"")),
            "{form}"
        );
        assert!(form.contains("value=\"Delgivningskvitton\""), "{form}");
        assert!(
            !reader.get_text(&tab).await.contains("/remove"),
            "readers get no buttons"
        );

        let change = [
            ("name", "Delgivningskvitton"),
            ("disposition", "dispose"),
            ("disposal_period", "2 år"),
            ("decision_reference", "KS 2020/4"),
        ];
        let posted = format!("{page}/record-types/{tid}");
        reader.post_form(&posted, &change).await.expect(403);
        editor.post_form(&posted, &change).await.expect(303);
        let t = editor.get_json(&format!("{api}/record-types")).await;
        assert_eq!(t["items"][0]["disposition"], "dispose", "{t}");
        assert_eq!(t["total"], 1);

        // A refused change comes back as the same row's form, field named.
        let bad = editor
            .post_form(&posted, &[("name", ""), ("disposition", "keep")])
            .await
            .expect(422);
        assert!(
            bad.body.contains(&format!("{page}/record-types/{tid}\"")),
            "{}",
            bad.body
        );
        assert!(
            bad.body.contains("href=\"#record-type-name\""),
            "{}",
            bad.body
        );

        let day = today();
        let erased = [
            ("medium_type", "Server-SSD"),
            ("method", "destroy"),
            ("erased_on", day.as_str()),
        ];
        editor
            .post_form(&format!("{page}/erasures/{eid}"), &erased)
            .await
            .expect(303);
        let e = editor.get_json(&format!("{api}/erasures")).await;
        assert_eq!(e["items"][0]["method"], "destroy", "{e}");

        reader
            .post_form(&format!("{page}/record-types/{tid}/remove"), &[])
            .await
            .expect(403);
        editor
            .post_form(&format!("{page}/record-types/{tid}/remove"), &[])
            .await
            .expect(303);
        editor
            .post_form(&format!("{page}/erasures/{eid}/remove"), &[])
            .await
            .expect(303);
        assert_eq!(
            editor.get_json(&format!("{api}/record-types")).await["total"],
            0
        );
        assert_eq!(
            editor.get_json(&format!("{api}/erasures")).await["total"],
            0
        );
    }
);
