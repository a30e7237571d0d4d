//! Benefit assessments over HTTP, on both databases: the owner records one
//! through the tab's form (the årshjul's benefit review follows), a form
//! with errors comes back naming the fields in Swedish and English, the API
//! lists, corrects and removes; a reader reads but writes nothing; nothing
//! of it reaches the public register.

use axum::http::Method;
use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, dual_test, problem};
use serde_json::json;

dual_test!(
    the_owner_assesses_the_benefit_through_the_tab_and_the_api,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let s = k.system("Ärendesystemet").await;
        k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
        let owner = k.signed_in("ola@kommunen.se", AppRole::Reader).await?;
        let reader = k.signed_in("kim@kommunen.se", AppRole::Reader).await?;
        let api = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
        let page = format!("/o/kommunen/systems/{}", s.id);
        let today = chrono::Utc::now().date_naive().to_string();

        let tab = reader.get_text(&format!("{page}/benefit")).await;
        assert!(tab.contains("Ingen nyttobedömning är gjord"), "{tab}");
        assert!(!tab.contains("Ny nyttobedömning"), "a reader gets no form");

        let form = [
            ("assessed_on", today.as_str()),
            ("assessed_by", "Ola Ägare"),
            ("business_value", "high"),
            ("user_satisfaction", "dissatisfied"),
            ("users_asked", "HEMLIG enkät"),
            ("respondents", "41"),
            ("problems", "Dubbelregistrering"),
            ("recommendation", "phase_out"),
        ];
        let r = reader
            .post_form(&format!("{page}/benefit-assessments"), &form)
            .await;
        assert_eq!(r.status.as_u16(), 403);
        owner
            .post_form(&format!("{page}/benefit-assessments"), &form)
            .await
            .expect(303);
        let tab = reader.get_text(&format!("{page}/benefit")).await;
        assert!(tab.contains("Missnöjda"), "{tab}");
        assert!(tab.contains("Avveckla"), "{tab}");
        assert!(tab.contains("Till avvecklingen"), "{tab}");
        let en = reader.lang("en").get_text(&format!("{page}/benefit")).await;
        assert!(
            en.contains("Phase out") && en.contains("Dissatisfied"),
            "{en}"
        );
        let controls = store.control_records(k.org, Some(s.id)).await?;
        assert_eq!(controls.len(), 1);
        assert_eq!(controls[0].control, "benefit_review");

        // Refused: named per field, in the reader's language.
        let bad = [
            ("assessed_on", "2026-13-01"),
            ("assessed_by", ""),
            ("business_value", "enorm"),
            ("respondents", "-3"),
        ];
        let r = owner
            .post_form(&format!("{page}/benefit-assessments"), &bad)
            .await
            .expect(422);
        let body = r.text();
        for field in [
            "Datum",
            "Bedömd av",
            "Nytta för verksamheten",
            "Antal svarande",
        ] {
            assert!(body.contains(field), "{field}: {body}");
        }
        let r = owner
            .lang("en")
            .post_form(&format!("{page}/benefit-assessments"), &bad)
            .await
            .expect(422);
        assert!(r.text().contains("Assessed by"), "{}", r.text());
        assert_eq!(store.benefit_assessments(k.org, s.id).await?.len(), 1);

        // The API: list, correct, remove; a reader cannot write.
        let list = reader.get_json(&format!("{api}/benefit-assessments")).await;
        assert_eq!(list["total"], 1, "{list}");
        let item = list["items"][0].clone();
        assert_eq!(item["recommendation"], "phase_out");
        let mut changed = item.clone();
        changed["recommendation"] = json!("develop");
        for k in ["id", "system_id", "updated_by", "updated_at"] {
            changed.as_object_mut().unwrap().remove(k);
        }
        let one = format!("{api}/benefit-assessments/{}", item["id"].as_str().unwrap());
        problem(&reader.put_json(&one, &changed).await, 403);
        let v = owner.put_json_expecting(&one, &changed, 200).await;
        assert_eq!(v["recommendation"], "develop", "{v}");
        let future = json!({ "assessed_on": "2999-01-01", "assessed_by": "Ola",
            "business_value": "low", "recommendation": "keep" });
        let r = owner
            .post_json(&format!("{api}/benefit-assessments"), &future)
            .await;
        let p = problem(&r, 422);
        assert!(p.to_string().contains("assessed_on"), "{p}");

        // Nothing of it reaches the public register.
        let anon = App::anonymous(&store);
        let public = anon.get("/public/kommunen").await.expect(200);
        let json = anon.get_json("/public/kommunen/register.json").await;
        let searched = anon.get_text("/public/kommunen?q=HEMLIG").await;
        for body in [&public.body, &json.to_string(), &searched] {
            for secret in ["HEMLIG", "Dubbelregistrering"] {
                assert!(!body.contains(secret), "{secret} leaked: {body}");
            }
        }

        owner
            .send_raw(Method::DELETE, &one, "application/json", String::new())
            .await
            .expect(204);
        assert!(store.benefit_assessments(k.org, s.id).await?.is_empty());
    }
);
