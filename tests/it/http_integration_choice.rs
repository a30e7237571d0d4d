//! Choosing the other end of an integration by name, on both databases, in
//! a register bigger than any list the form could carry: a system beyond the
//! first 500 by name is found by its name (in any case), an unknown name is
//! refused by the field with systems like it suggested, and the edit form
//! shows the other end by name; the responsible person is typed by e-mail
//! or name the same way (an unknown one refused by the field).

use insyn_domain::demo::generate;
use insyn_domain::*;
use insyn_store::Store;
use insyn_tests::{Scenario, dual_test};

dual_test!(
    an_integration_reaches_a_system_beyond_the_first_500_by_typing_its_name,
    |store: Store| async move {
        store.load_demo(generate(620)).await?;
        let org = store.org_by_slug("exempelstad").await?.id;
        let by_name = store
            .list_systems(
                org,
                &SystemFilter::default(),
                SystemSort::Name,
                false,
                PageRequest::new(Some(1), Some(PageRequest::MAX_SIZE)),
            )
            .await?;
        assert!(by_name.total > 600, "{}", by_name.total);
        let first = by_name.items[0].clone();
        let late = store
            .list_systems(
                org,
                &SystemFilter::default(),
                SystemSort::Name,
                true,
                PageRequest::new(Some(1), Some(1)),
            )
            .await?
            .items[0]
            .clone();
        assert!(
            !by_name.items.iter().any(|s| s.id == late.id),
            "the last by name is beyond the first page"
        );
        let k = Scenario::at(&store, org);
        let editor = k.signed_in("eva@exempelstad.se", AppRole::Editor).await?;
        let tab = format!("/o/exempelstad/systems/{}/integrations", first.id);
        let form = |other: &str| {
            vec![
                ("side", "from".to_owned()),
                ("other_system_id", other.to_owned()),
                ("direction", "one_way".to_owned()),
                ("frequency", "daily".to_owned()),
                ("criticality", "high".to_owned()),
            ]
        };
        let post = async |other: &str| {
            let f = form(other);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            editor.post_form(&tab, &f).await
        };

        // The form carries a bounded list of suggestions, not the register.
        let page = editor.get(&tab).await.expect(200).body;
        let list = page
            .split_once("<datalist id=\"i-other-systems\">")
            .and_then(|(_, l)| l.split_once("</datalist>"))
            .expect("the suggestions")
            .0;
        assert_eq!(
            list.matches("<option").count(),
            99,
            "the first 100 but this one"
        );

        // An unknown name is refused by the field, with systems like it.
        let word: String = late.name.chars().take(5).collect();
        let refused = post(&format!("{word} finns inte")).await.expect(422);
        assert!(refused.body.contains("href=\"#i-other_system_id\""));
        assert!(
            refused
                .body
                .contains("Inget system i registret har det namnet"),
            "{}",
            refused.body
        );

        // The name, in another case, finds the system beyond the first 500.
        post(&late.name.to_uppercase()).await.expect(303);
        let flows = store.system_integrations(org, first.id).await?;
        assert_eq!(flows.len(), 1);
        assert_eq!(flows[0].to_system_id, late.id);

        // Its edit form shows the other end by name.
        let edit = editor
            .get(&format!("{tab}/{}", flows[0].id))
            .await
            .expect(200)
            .body;
        assert!(edit.contains(&format!("value=\"{}\"", late.name)), "{edit}");

        // The responsible person, typed by e-mail like a role holder.
        let people = store
            .list_people(org, None, PageRequest::new(Some(1), Some(1)))
            .await?;
        let person = people.items[0].clone();
        let email = person.email.clone().expect("the demo's people have e-mail");
        let edit_uri = format!("{tab}/{}", flows[0].id);
        let with_responsible = |who: &str| {
            let mut f = form(&late.name);
            f.push(("responsible_id", who.to_owned()));
            f
        };
        let f = with_responsible("Ingen Alls");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = editor.post_form(&edit_uri, &f).await.expect(422);
        assert!(refused.body.contains("href=\"#i-responsible_id\""));
        assert!(
            refused
                .body
                .contains("Ingen person i organisationen har det namnet")
        );
        let f = with_responsible(&email.to_uppercase());
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        editor.post_form(&edit_uri, &f).await.expect(303);
        let flows = store.system_integrations(org, first.id).await?;
        assert_eq!(flows[0].responsible_id, Some(person.id));
        assert_eq!(flows[0].to_system_id, late.id, "still the same other end");
    }
);
