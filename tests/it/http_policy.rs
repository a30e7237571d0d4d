//! The policy pages through HTTP, on both databases: an administrator picks
//! and edits a profile and the compliance view follows; a system owner who
//! signs in lands on their tasks; an annual review is answered and signed.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, Scenario, actor, dual_test, html_text};

async fn owner_setup(store: &Store) -> anyhow::Result<(insyn_domain::OrgId, insyn_domain::System)> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.system("Vårdplanering").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    k.user("ola@kommunen.se", "Ola Ägare", AppRole::Reader)
        .await?;
    Ok((k.org, s))
}

dual_test!(
    an_administrator_picks_and_edits_a_profile_and_compliance_follows,
    |store: Store| async move {
        let (org, _) = owner_setup(&store).await?;
        let admin = App::new(&store).await;
        let page = admin.get_text("/o/kommunen/policy").await;
        assert!(page.contains("Grundnivå 2026"), "the default applies");
        assert!(page.contains("förval, ingen profil vald"));

        admin
            .post_form("/o/kommunen/policy/adopt", &[("profile", "soderkoping")])
            .await
            .expect(303);
        let page = admin.get_text("/o/kommunen/policy").await;
        assert!(page.contains("Söderköping"), "{page}");
        assert!(
            page.contains("Systemansvarig"),
            "Söderköping requires a systemansvarig"
        );

        // Söderköping requires a systemansvarig: Treserva lacks one.
        let dash = admin.get("/o/kommunen/compliance").await.expect(200).body;
        assert!(dash.contains("<svg"), "a chart is drawn");
        assert!(
            dash.contains("<table class=\"chart-data\">"),
            "with its data beside it"
        );
        let text = html_text(&dash);
        assert!(text.contains("Treserva"), "{text}");
        assert!(text.contains("Saknas"));

        // Export, then a broken edit: the line is named and nothing is saved.
        let exported = admin.get("/o/kommunen/policy/export").await.expect(200);
        assert!(exported.header("content-disposition").contains(".toml"));
        let body = exported.body.clone();
        assert!(body.contains("code = \"soderkoping\""));
        let broken = body.replacen("name_en = ", "name_en = [", 1);
        let r = admin
            .post_form(
                "/o/kommunen/policy/edit",
                &[("profile", &broken), ("note", "")],
            )
            .await
            .expect(422);
        let text = r.text();
        assert!(text.contains("Rad "), "{text}");
        assert!(text.contains("Ingenting har sparats"));
        let versions = store.profile_versions(org).await?;
        assert_eq!(versions.len(), 1);

        // A real edit: drop the systemansvarig rule; the gap goes away.
        let edited = body.replace(
            "any_of = [\"system_responsible\"]",
            "any_of = [\"system_owner\"]",
        );
        assert_ne!(edited, body, "the profile names the role");
        admin
            .post_form(
                "/o/kommunen/policy/edit",
                &[("profile", &edited), ("note", "utan systemansvarig")],
            )
            .await
            .expect(303);
        let versions = store.profile_versions(org).await?;
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].version, 2);
        let c = store
            .compliance(org, None, chrono::Utc::now().date_naive())
            .await?;
        let treserva = c.systems.iter().find(|s| s.name == "Treserva").unwrap();
        assert!(
            treserva
                .findings
                .iter()
                .all(|f| f.subject() != "system_responsible")
        );

        // The checklist is edited on its own page and becomes a new version.
        admin
            .post_form(
                "/o/kommunen/policy/checklist",
                &[(
                    "items",
                    "Är rollerna bemannade? | Are the roles filled?\nÄr loggarna granskade?",
                )],
            )
            .await
            .expect(303);
        let p = store.active_profile(org).await?;
        assert_eq!(p.version, 3);
        assert_eq!(p.profile.checklist.len(), 2);
        assert_eq!(p.profile.checklist[0].text_en, "Are the roles filled?");
        admin.get("/o/kommunen/cycle").await.expect(200);
        admin.get("/o/kommunen/cycle?year=2027").await.expect(200);
    }
);

dual_test!(
    a_system_owner_lands_on_their_tasks_and_signs_the_annual_review,
    |store: Store| async move {
        let (org, s) = owner_setup(&store).await?;
        let owner = App::as_user(&store, "ola@kommunen.se");
        let home = owner.get("/").await.expect(303);
        assert_eq!(home.location(), "/o/kommunen/tasks");
        let tasks = owner.get_text("/o/kommunen/tasks").await;
        assert!(tasks.contains("Mina uppgifter"));
        assert!(tasks.contains("Treserva"), "{tasks}");
        assert!(
            !tasks.contains("Vårdplanering"),
            "not the owner's system: {tasks}"
        );

        // A reader who holds no role starts in the register.
        let admin = App::new(&store).await;
        let base = format!("/o/kommunen/systems/{}", s.id);
        let r = owner
            .post_form(&format!("{base}/reviews"), &[("period", "2026")])
            .await
            .expect(303);
        let review = r.location().to_owned();
        assert!(review.starts_with(&format!("{base}/reviews/")));
        let page = owner.get(&review).await.expect(200).body;
        assert!(page.contains("type=\"radio\""), "{page}");
        // Signing with unanswered items is refused, naming them.
        let refused = owner
            .post_form(&format!("{review}/sign"), &[])
            .await
            .expect(422);
        assert!(refused.text().contains("Besvara punkten"));
        let rid = review.rsplit('/').next().unwrap().parse()?;
        let items = store.review(org, rid).await?.items;
        let mut form: Vec<(String, String)> = vec![];
        for i in &items {
            form.push((format!("answer-{}", i.id), "yes".into()));
        }
        let form_ref: Vec<(&str, &str)> =
            form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        owner.post_form(&review, &form_ref).await.expect(303);
        owner
            .post_form(&format!("{review}/sign"), &[])
            .await
            .expect(303);
        assert!(store.review(org, rid).await?.is_signed());
        let page = admin.get_text(&format!("{base}/compliance")).await;
        assert!(page.contains("Signerad"), "{page}");
        assert!(
            page.contains("Utan anmärkning"),
            "the control record of the review: {page}"
        );
    }
);

dual_test!(
    documents_and_controls_are_recorded_from_the_system_page,
    |store: Store| async move {
        let (org, s) = owner_setup(&store).await?;
        store.adopt_profile(&actor(), org, "soderkoping").await?;
        let admin = App::new(&store).await;
        let base = format!("/o/kommunen/systems/{}", s.id);
        let page = admin
            .get(&format!("{base}/compliance"))
            .await
            .expect(200)
            .body;
        assert!(page.contains("name=\"kind\""));
        // A date in the wrong form is named; nothing is written.
        let r = admin
            .post_form(
                &format!("{base}/documents"),
                &[
                    ("kind", "management_plan"),
                    ("title", "Förvaltningsplan"),
                    ("dated", "igår"),
                ],
            )
            .await
            .expect(422);
        assert!(r.text().contains("Daterad"));
        assert!(store.documents(org, s.id).await?.is_empty());
        admin
            .post_form(
                &format!("{base}/documents"),
                &[
                    ("kind", "management_plan"),
                    ("title", "Förvaltningsplan Treserva"),
                    ("dated", "2026-02-01"),
                ],
            )
            .await
            .expect(303);
        assert_eq!(store.documents(org, s.id).await?.len(), 1);
        admin
            .post_form(
                &format!("{base}/controls"),
                &[
                    ("control", "access_review"),
                    ("performed_on", "2026-03-01"),
                    ("result", "ok"),
                    ("note", ""),
                ],
            )
            .await
            .expect(303);
        let r = admin
            .post_form(
                &format!("{base}/controls"),
                &[
                    ("control", "access_review"),
                    ("performed_on", "2999-01-01"),
                    ("result", "ok"),
                ],
            )
            .await
            .expect(422);
        assert!(r.text().contains("framtiden"));
        assert_eq!(store.control_records(org, Some(s.id)).await?.len(), 1);
        let c = store
            .compliance(org, Some(s.id), chrono::Utc::now().date_naive())
            .await?;
        let access = c.systems[0]
            .findings
            .iter()
            .find(|f| f.subject() == "access_review");
        assert!(access.is_some_and(|f| !f.is_gap()), "{access:?}");
    }
);

dual_test!(
    the_api_reads_and_replaces_the_profile_and_reports_compliance_and_tasks,
    |store: Store| async move {
        let (_, s) = owner_setup(&store).await?;
        let admin = App::new(&store).await;
        let p = admin.get_json("/api/v1/orgs/kommunen/policy").await;
        assert_eq!(p["code"], "baseline-2026");
        assert_eq!(p["chosen"], false);
        let adopted = admin
            .put_json_expecting(
                "/api/v1/orgs/kommunen/policy",
                &serde_json::json!({ "shipped": "mjolby-2005" }),
                200,
            )
            .await;
        assert_eq!(
            (adopted["code"].as_str(), adopted["version"].as_i64()),
            (Some("mjolby-2005"), Some(1))
        );
        let broken = adopted["toml"]
            .as_str()
            .unwrap()
            .replace("[[role]]", "[[role]");
        let r = admin
            .put_json(
                "/api/v1/orgs/kommunen/policy",
                &serde_json::json!({ "toml": broken }),
            )
            .await
            .expect(422);
        let fields = insyn_tests::problem_fields(&insyn_tests::problem(&r, 422));
        assert!(
            fields.iter().any(|(f, _)| f.starts_with("line ")),
            "{fields:?}"
        );

        let c = admin.get_json("/api/v1/orgs/kommunen/compliance").await;
        assert_eq!(c["profile"], "mjolby-2005");
        let systems = c["systems"].as_array().unwrap();
        assert_eq!(systems.len(), 2);
        let one = admin
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems/{}/compliance",
                s.id
            ))
            .await;
        assert_eq!(one["name"], "Treserva");
        assert!(
            one["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["state"] == "met"),
            "{one}"
        );

        let owner = App::as_user(&store, "ola@kommunen.se");
        let tasks = owner.get_json("/api/v1/orgs/kommunen/tasks").await;
        assert!(
            tasks["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["system_name"] == "Treserva"),
            "{tasks}"
        );
        admin
            .post_json(
                &format!("/api/v1/orgs/kommunen/systems/{}/controls", s.id),
                &serde_json::json!({ "control": "restore_test", "performed_on": "2026-01-15", "result": "ok" }),
            )
            .await
            .expect(201);
        let r = admin
            .post_json(
                &format!("/api/v1/orgs/kommunen/systems/{}/controls", s.id),
                &serde_json::json!({ "control": "restore_test", "performed_on": "2026-01-15", "result": "bra" }),
            )
            .await
            .expect(422);
        insyn_tests::assert_problem_fields(&r, 422, &[("result", "error-unknown-choice")]);
        // Mjölby asks for no document of its own: its outage plan is the
        // security plan's section (3.2.2), so a document is refused, saying why.
        let r = admin
            .post_json_expecting(&format!("/api/v1/orgs/kommunen/systems/{}/documents", s.id),
                &serde_json::json!({ "kind": "continuity_plan", "title": "Avbrottsplan", "dated": "2026-01-15" }), 422).await;
        assert_eq!(r["errors"][0]["code"], "error-no-choices", "{r}");
        // Under the baseline a continuity plan is a document of its own.
        admin
            .put_json(
                "/api/v1/orgs/kommunen/policy",
                &serde_json::json!({ "shipped": "baseline-2026" }),
            )
            .await
            .expect(200);
        admin
            .post_json(
                &format!("/api/v1/orgs/kommunen/systems/{}/documents", s.id),
                &serde_json::json!({ "kind": "continuity_plan", "title": "Avbrottsplan", "dated": "2026-01-15" }),
            )
            .await
            .expect(201);
    }
);

dual_test!(
    no_document_or_control_stands_in_for_a_workflow_and_unknown_codes_list_the_allowed,
    |store: Store| async move {
        // Issue 14, no shortcuts: under Södertälje a business-critical system
        // needs a security plan, a classification, an approval and a decision,
        // each met only through its own workflow.
        let (org, s) = owner_setup(&store).await?;
        let admin = App::new(&store).await;
        admin
            .put_json(
                "/api/v1/orgs/kommunen/policy",
                &serde_json::json!({ "shipped": "sodertalje-2004" }),
            )
            .await
            .expect(200);
        let docs = format!("/api/v1/orgs/kommunen/systems/{}/documents", s.id);
        for kind in [
            "security_plan",
            "operational_approval",
            "classification",
            "business_critical_decision",
            "kontinuitetsplan",
        ] {
            let r = admin
                .post_json_expecting(
                    &docs,
                    &serde_json::json!({ "kind": kind, "title": "Genväg", "dated": "2026-01-15" }),
                    422,
                )
                .await;
            let e = &r["errors"][0];
            assert_eq!(e["field"], "kind", "{r}");
            assert_eq!(e["code"], "error-unknown-choice");
            assert_eq!(
                e["allowed"],
                serde_json::json!(["security_instructions"]),
                "{r}"
            );
            assert_eq!(e["message"], "Choose one of: security_instructions.");
        }
        let controls = format!("/api/v1/orgs/kommunen/systems/{}/controls", s.id);
        for code in [
            "annual_review",
            "classification_review",
            "restore_tset",
            "policy_revision",
        ] {
            let r = admin
                .post_json_expecting(&controls,
                    &serde_json::json!({ "control": code, "performed_on": "2026-01-15", "result": "ok" }), 422).await;
            assert_eq!(
                r["errors"][0]["allowed"],
                serde_json::json!(["security_review"]),
                "{code}: {r}"
            );
        }
        // The pages refuse the same, and list the options.
        let page = admin
            .post_form(
                &format!("/o/kommunen/systems/{}/documents", s.id),
                &[
                    ("kind", "security_plan"),
                    ("title", "Genväg"),
                    ("dated", "2026-01-15"),
                ],
            )
            .await
            .expect(422)
            .text();
        assert!(
            page.contains("Välj ett av alternativen: security_instructions."),
            "the page lists the options"
        );
        let page = admin
            .post_form(
                &format!("/o/kommunen/systems/{}/controls", s.id),
                &[
                    ("control", "annual_review"),
                    ("performed_on", "2026-01-15"),
                    ("result", "ok"),
                ],
            )
            .await
            .expect(422)
            .text();
        assert!(page.contains("Välj ett av alternativen: security_review."));
        // Nothing was recorded, and the gaps stay open.
        let c = admin
            .get_json(&format!(
                "/api/v1/orgs/kommunen/systems/{}/compliance",
                s.id
            ))
            .await;
        let state = |rule: &str| {
            c["findings"]
                .as_array()
                .and_then(|f| f.iter().find(|f| f["rule_id"] == rule))
                .map(|f| f["state"].as_str().unwrap_or_default().to_owned())
        };
        assert_eq!(
            state("business-critical-decision").as_deref(),
            Some("missing"),
            "{c}"
        );
        // Findings carry the rule's words, its source and who must act.
        let f = c["findings"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|f| f["rule_id"] == "business-critical-decision")
            })
            .cloned()
            .unwrap_or_default();
        assert_eq!(f["cite"], "Södertälje IT-säkerhetspolicy 4.2.1", "{f}");
        assert!(
            f["text_sv"]
                .as_str()
                .is_some_and(|t| t.contains("verksamhetskritiskt")),
            "{f}"
        );
        assert!(
            f["text_en"]
                .as_str()
                .is_some_and(|t| t.contains("business-critical")),
            "{f}"
        );
        assert!(
            f["source"]
                .as_str()
                .is_some_and(|t| t.starts_with("Södertälje kommun")),
            "{f}"
        );
        assert_eq!(f["responsible"], "system_owner");
        assert!(store.documents(org, s.id).await?.is_empty());

        // Business-criticality changes only through a decision.
        let sys = format!("/api/v1/orgs/kommunen/systems/{}", s.id);
        let mut body = admin.get_json(&sys).await;
        body["business_critical"] = serde_json::json!(true);
        let r = admin.put_json_expecting(&sys, &body, 422).await;
        assert_eq!(
            r["errors"][0]["code"], "error-critical-needs-decision",
            "{r}"
        );
        admin
            .post_json(
                &format!("{sys}/business-critical"),
                &serde_json::json!({ "critical": true, "owner_name": "Ola Ägare", "it_name": "Ida IT" }),
            )
            .await
            .expect(201);
        let c = admin.get_json(&format!("{sys}/compliance")).await;
        let decided = c["findings"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|f| f["rule_id"] == "business-critical-decision")
            })
            .map(|f| f["state"].clone());
        assert_eq!(decided, Some(serde_json::json!("met")), "{c}");
        assert_eq!(admin.get_json(&sys).await["business_critical"], true);
    }
);

dual_test!(
    the_edit_form_keeps_business_criticality_for_the_decision,
    |store: Store| async move {
        // Issue 14 (1): the system's form shows business-criticality and
        // where it is decided; a changed value posted anyway is refused.
        let (_, s) = owner_setup(&store).await?;
        let admin = App::new(&store).await;
        let form = admin
            .get(&format!("/o/kommunen/systems/{}/edit", s.id))
            .await
            .expect(200);
        assert!(
            form.body
                .contains("type=\"hidden\" name=\"business_critical\" value=\"\"")
        );
        assert!(
            form.hrefs()
                .contains(&format!("/o/kommunen/systems/{}/security", s.id))
        );
        let page = admin
            .post_form(
                &format!("/o/kommunen/systems/{}", s.id),
                &[
                    ("name", "Treserva"),
                    ("hosting", "internal"),
                    ("lifecycle", "in_operation"),
                    ("business_critical", "on"),
                ],
            )
            .await
            .expect(422)
            .text();
        assert!(page.contains("Verksamhetskritiskt ändras bara genom ett dokumenterat beslut"));
        admin
            .post_form(
                &format!("/o/kommunen/systems/{}", s.id),
                &[
                    ("name", "Treserva"),
                    ("hosting", "internal"),
                    ("lifecycle", "in_operation"),
                    ("business_critical", ""),
                ],
            )
            .await
            .expect(303);
    }
);
