//! Access management through the pages, on both databases: a profile made
//! on the system's "Behörigheter" tab, an order placed with the form, the
//! owner deciding and the förvaltare carrying it out from "Mina uppgifter",
//! the holding that follows, and a removal order that ends it; the forms'
//! errors in both languages; and who may not take which step.

use insyn_domain::AppRole;
use insyn_store::Store;
use insyn_tests::{App, On, Scenario, dual_test};

struct Setup {
    base: String,
    org: String,
    editor: App,
    owner: App,
    forvaltare: App,
    reader: App,
}

async fn setup(store: &Store) -> anyhow::Result<Setup> {
    let k = Scenario::new(store, "kommunen").await?;
    let s = k.system("Treserva").await;
    k.owner(&s, "Ola Ägare", "ola@kommunen.se").await?;
    let f = k.person("Fia Förvaltare", Some("fia@kommunen.se")).await?;
    k.holds("system_manager", &f, On::System(s.id)).await?;
    k.person("Nina Ny", Some("nina@kommunen.se")).await?;
    Ok(Setup {
        base: format!("/o/kommunen/systems/{}", s.id),
        org: "/o/kommunen".into(),
        editor: k.signed_in("redaktor@kommunen.se", AppRole::Editor).await?,
        owner: k.signed_in("ola@kommunen.se", AppRole::Reader).await?,
        forvaltare: k.signed_in("fia@kommunen.se", AppRole::Reader).await?,
        reader: k.signed_in("lasare@kommunen.se", AppRole::Reader).await?,
    })
}

impl Setup {
    /// A profile made with the form; its id, read from the tab's edit link.
    async fn profile(&self, name: &str, reason_required: bool) -> String {
        let mut form = vec![("name", name)];
        if reason_required {
            form.push(("reason_required", "on"));
        }
        let r = self
            .editor
            .post_form(&format!("{}/access/profiles", self.base), &form)
            .await
            .expect(303);
        assert!(r.location().ends_with("/access?saved=1#profiles"));
        let tab = self.editor.get(&format!("{}/access", self.base)).await;
        let prefix = format!("{}/access/profiles/", self.base);
        tab.expect(200)
            .hrefs()
            .into_iter()
            .filter_map(|h| h.strip_prefix(&prefix).map(str::to_owned))
            .rfind(|id| id != "new")
            .unwrap_or_default()
    }

    /// An order placed with the form by `by`; the order page's path.
    async fn order(&self, by: &App, kind: &str, profile: &str) -> String {
        let r = by
            .post_form(
                &format!("{}/access/order", self.base),
                &[
                    ("kind", kind),
                    ("profile_ids", profile),
                    ("person", "Nina Ny <nina@kommunen.se>"),
                    ("reason", "Ny handläggare."),
                    ("start_date", "2025-01-01"),
                    ("ticket", "ÄR-2025-17"),
                ],
            )
            .await
            .expect(303);
        let to = r.location();
        assert!(to.starts_with("/o/kommunen/access-orders/"), "{to}");
        to.trim_end_matches("?saved=1").to_owned()
    }

    /// An order form posted by `by` and refused (422): the page shown again.
    async fn refused_order(&self, by: &App, fields: &[(&str, &str)]) -> String {
        by.post_form(&format!("{}/access/order", self.base), fields)
            .await
            .expect(422)
            .body
    }

    async fn step(&self, by: &App, order: &str, step: &str, status: u16) -> String {
        by.post_form(
            order,
            &[
                ("step", step),
                ("comment", "Enligt beställning."),
                ("ticket", "HD-1"),
            ],
        )
        .await
        .expect(status)
        .text()
    }
}

dual_test!(
    an_order_and_its_removal_go_through_the_pages,
    |store: Store| async move {
        let t = setup(&store).await?;
        let p = t.profile("Handläggare", false).await;
        let tab = t.editor.get_text(&format!("{}/access", t.base)).await;
        assert!(tab.contains("Handläggare"), "{tab}");
        assert!(tab.contains("Chef"), "the policy's orderer: {tab}");

        let order = t.order(&t.editor, "grant", &p).await;
        let page = t.editor.get_text(&order).await;
        assert!(
            page.contains("Nina Ny") && page.contains("ÄR-2025-17"),
            "{page}"
        );
        assert!(page.contains("Beställd"), "{page}");
        // The owner decides: it is in their tasks; the förvaltare's is not yet.
        let tasks = t.owner.get_text("/o/kommunen/tasks").await;
        assert!(tasks.contains("Besluta: Ny behörighet"), "{tasks}");
        let none = t.forvaltare.get_text("/o/kommunen/tasks").await;
        assert!(none.contains("Inga behörighetsbeställningar väntar på dig."));
        t.step(&t.forvaltare, &order, "approve", 403).await;
        t.step(&t.owner, &order, "approve", 303).await;
        // The förvaltare carries it out, with the date and ticket.
        let tasks = t.forvaltare.get_text("/o/kommunen/tasks").await;
        assert!(tasks.contains("Utföra: Ny behörighet"), "{tasks}");
        t.step(&t.owner, &order, "carry_out", 403).await;
        let r = t
            .forvaltare
            .post_form(
                &order,
                &[
                    ("step", "carry_out"),
                    ("done_on", "2025-01-02"),
                    ("ticket", "HD-4711"),
                ],
            )
            .await
            .expect(303);
        let page = t.editor.get_text(r.location()).await;
        assert!(
            page.contains("Utförd (2025-01-02)") && page.contains("HD-4711"),
            "{page}"
        );
        let tab = t.editor.get_text(&format!("{}/access", t.base)).await;
        assert!(tab.contains("Vem har vad (1)"), "{tab}");
        assert!(tab.contains("2025-01-02"), "{tab}");

        // A removal from the holding's link: the form comes filled in.
        let removal = format!("{}/access/order?kind=remove&person=", t.base);
        let link = t
            .editor
            .get(&format!("{}/access", t.base))
            .await
            .hrefs()
            .into_iter()
            .find(|h| h.starts_with(&removal))
            .unwrap_or_default();
        let form = t.editor.get(&link).await.expect(200).body;
        assert!(
            form.contains("value=\"Nina Ny &#60;nina@kommunen.se&#62;\"")
                || form.contains("value=\"Nina Ny &lt;nina@kommunen.se&gt;\""),
            "{form}"
        );
        assert!(form.contains(&format!("value=\"{p}\" checked")), "{form}");
        let order = t.order(&t.editor, "remove", &p).await;
        assert!(
            t.editor
                .get_text(&order)
                .await
                .contains("Borttag av behörighet")
        );
        t.step(&t.owner, &order, "approve", 303).await;
        // A holding removed today is held until the end of the day; this
        // one was removed a while ago.
        t.forvaltare
            .post_form(&order, &[("step", "carry_out"), ("done_on", "2025-02-01")])
            .await
            .expect(303);
        let tab = t.editor.get_text(&format!("{}/access", t.base)).await;
        assert!(tab.contains("Vem har vad (0)"), "{tab}");

        // The organisation's list: nothing open; both orders among all.
        let open = t.reader.get_text(&format!("{}/access-orders", t.org)).await;
        assert!(open.contains("Inga beställningar."), "{open}");
        let all = t
            .reader
            .get(&format!("{}/access-orders?orders=all", t.org))
            .await
            .expect(200)
            .body;
        assert_eq!(
            all.matches("/o/kommunen/access-orders/").count(),
            2,
            "{all}"
        );
    }
);

dual_test!(
    the_forms_say_what_is_wrong_in_both_languages,
    |store: Store| async move {
        let t = setup(&store).await?;
        let r = t
            .editor
            .post_form(
                &format!("{}/access/profiles", t.base),
                &[("name", " "), ("max_holders", "0")],
            )
            .await
            .expect(422);
        assert!(r.body.contains("id=\"name-error\""), "{}", r.body);
        assert!(r.body.contains("id=\"max_holders-error\""), "{}", r.body);
        let en = t.editor.lang("en");
        let r = en
            .post_form(&format!("{}/access/profiles", t.base), &[("name", "")])
            .await
            .expect(422);
        assert!(r.body.contains("New access profile"), "{}", r.body);

        let p = t.profile("Läsare", true).await;
        // No person, no reason where the profile requires one, an end
        // before the start.
        let grant = |person| {
            vec![
                ("kind", "grant"),
                ("profile_ids", p.as_str()),
                ("person", person),
                ("start_date", "2025-01-01"),
            ]
        };
        let r = t.refused_order(&t.editor, &grant("Ingen Alls")).await;
        assert!(r.contains("id=\"person-error\""), "{r}");
        let mut fields = grant("nina@kommunen.se");
        fields.push(("end_date", "2024-01-01"));
        let r = t.refused_order(&t.editor, &fields).await;
        assert!(r.contains("id=\"reason-error\""), "{r}");
        assert!(r.contains("id=\"end_date-error\""), "{r}");
        // A reader who is no party may not order: no profile is offered,
        // and a post is refused.
        let form = t.reader.get_text(&format!("{}/access/order", t.base)).await;
        assert!(
            form.contains("Det finns ingen behörighetsprofil på systemet som du får beställa.")
        );
        let mut fields = grant("nina@kommunen.se");
        fields.push(("reason", "x"));
        let r = t.refused_order(&t.reader, &fields).await;
        assert!(r.contains("Du får inte beställa den behörighetsprofilen."));

        // Rejecting needs a reason; the owner sees the step's form, the
        // reader does not.
        let order = t.order(&t.editor, "grant", &p).await;
        let html = |app: &App| {
            let (app, order) = (app.clone(), order.clone());
            async move { app.get(&order).await.expect(200).body }
        };
        assert!(!html(&t.reader).await.contains("name=\"step\""));
        assert!(html(&t.owner).await.contains("value=\"reject\""));
        let r = t
            .owner
            .lang("en")
            .post_form(&order, &[("step", "reject")])
            .await
            .expect(422);
        assert!(r.body.contains("id=\"comment-error\""), "{}", r.body);
        assert!(r.body.contains("Give a reason."), "{}", r.body);
        assert!(r.body.contains("New access: Läsare, Nina Ny"), "{}", r.body);
        // The editor who placed it withdraws it.
        t.step(&t.editor, &order, "withdraw", 303).await;
        let page = t.editor.get_text(&order).await;
        assert!(page.contains("Återkallad"), "{page}");

        // Archived: no longer offered in the order form.
        t.editor
            .post_empty(&format!("{}/access/profiles/{p}/archive", t.base))
            .await
            .expect(303);
        let form = t.editor.get(&format!("{}/access/order", t.base)).await.body;
        assert!(!form.contains(&p), "{form}");
        // Another system's path does not reach the profile.
        t.editor
            .get(&format!(
                "/o/kommunen/systems/{}/access/profiles/{p}",
                uuid::Uuid::nil()
            ))
            .await
            .expect(404);
    }
);
