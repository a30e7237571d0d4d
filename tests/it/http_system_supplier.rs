//! The system form chooses the system's supplier from the supplier
//! register by name or organisation number (with suggestions), never as
//! free text: an unknown name is refused on the field and nothing is
//! saved; an emptied field clears the link; a post without the field
//! leaves it as it was.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};
use serde_json::json;

/// The system's required fields, and the supplier field when given.
fn fields(supplier: Option<&str>) -> Vec<(&str, &str)> {
    let mut f = vec![
        ("name", "Ekonomisystemet"),
        ("hosting", "saas"),
        ("lifecycle", "in_operation"),
    ];
    if let Some(s) = supplier {
        f.push(("supplier", s));
    }
    f
}

dual_test!(
    the_system_form_chooses_a_supplier_from_the_register_by_name,
    |store: Store| async move {
        let k = Scenario::new(&store, "kommunen").await?;
        let sys = k.system("Ekonomisystemet").await;
        let editor = k.signed_in("eva@kommunen.se", AppRole::Editor).await?;
        editor
            .post_json_expecting(
                "/api/v1/orgs/kommunen/suppliers",
                &json!({ "name": "Visma Enterprise", "org_number": "2120000142" }),
                201,
            )
            .await;
        let edit = format!("/o/kommunen/systems/{}/edit", sys.id);
        let form = editor.get(&edit).await.expect(200).body;
        assert!(
            form.contains("<option value=\"Visma Enterprise\">"),
            "{form}"
        );

        let post = format!("/o/kommunen/systems/{}", sys.id);
        let link = format!("/api/v1/orgs/kommunen/systems/{}/supplier", sys.id);
        let refused = editor
            .post_form(&post, &fields(Some("Okänd AB")))
            .await
            .expect(422)
            .body;
        assert!(refused.contains("id=\"supplier-error\""), "{refused}");
        assert!(refused.contains("value=\"Okänd AB\""), "{refused}");
        assert!(editor.get_json(&link).await["supplier"].is_null());

        // By the organisation number; the form shows the name after.
        editor
            .post_form(&post, &fields(Some("212000-0142")))
            .await
            .expect(303);
        assert_eq!(
            editor.get_json(&link).await["supplier"]["name"],
            "Visma Enterprise"
        );
        let form = editor.get(&edit).await.expect(200).body;
        assert!(
            form.contains("name=\"supplier\" value=\"Visma Enterprise\""),
            "{form}"
        );
        // A post without the field leaves the link; an empty one clears it.
        editor.post_form(&post, &fields(None)).await.expect(303);
        assert_eq!(
            editor.get_json(&link).await["supplier"]["name"],
            "Visma Enterprise"
        );
        editor.post_form(&post, &fields(Some(""))).await.expect(303);
        assert!(editor.get_json(&link).await["supplier"].is_null());
    }
);
