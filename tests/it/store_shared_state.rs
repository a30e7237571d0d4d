//! The state every instance on one database shares (issue 21): OpenID
//! Connect sign-ins in progress, uploads waiting for their confirmation and
//! failed sign-ins. Each test writes through one store and reads through a
//! second, separate one on the same database, as a second instance would.

use insyn_domain::back_off;
use insyn_domain::import::Field;
use insyn_domain::{OrgId, SystemId, UserId};
use insyn_store::db::Queryable as _;
use insyn_store::import::pending::{MAX_WAITING, PendingUpload, UploadFor};
use insyn_store::users::OidcFlow;
use insyn_store::{Store, StoreError};
use insyn_tests::{actor, dual_test, url_of};
use std::net::IpAddr;
use uuid::Uuid;

fn flow(n: usize) -> OidcFlow {
    OidcFlow {
        state: format!("state-{n}"),
        nonce: format!("nonce-{n}"),
        verifier: format!("verifier-{n}"),
        next: "/o/kommunen/systems".into(),
    }
}

async fn rows(store: &Store, table: &str) -> anyhow::Result<i64> {
    Ok(store
        .db
        .read()
        .count(&format!("SELECT COUNT(*) AS n FROM {table}"), vec![])
        .await?)
}

/// Makes every row of `table` expire (or its failures be an hour old).
async fn age(store: &Store, table: &str, column: &str) -> anyhow::Result<()> {
    let mut tx = store.db.begin().await?;
    tx.execute(
        &format!("UPDATE {table} SET {column} = $1"),
        vec![(chrono::Utc::now() - chrono::Duration::hours(2)).into()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

dual_test!(
    a_sign_in_flow_is_finished_once_on_any_instance_and_never_outlives_its_time,
    |store: Store| async move {
        let other = Store::open(Some(&url_of(&store))).await?;
        let ttl = chrono::Duration::minutes(10);
        store.put_oidc_flow("browser-1", &flow(1), ttl, 100).await?;
        // Only the secret's hash is kept.
        let kept = store
            .db
            .read()
            .count(
                "SELECT COUNT(*) AS n FROM oidc_flows WHERE id_hash = 'browser-1'",
                vec![],
            )
            .await?;
        assert_eq!(kept, 0);
        assert_eq!(other.take_oidc_flow("browser-2").await?, None);
        assert_eq!(other.take_oidc_flow("browser-1").await?, Some(flow(1)));
        assert_eq!(store.take_oidc_flow("browser-1").await?, None, "used once");
        assert_eq!(rows(&store, "oidc_flows").await?, 0, "its secrets are gone");

        // An expired flow is refused, and removed when the next one starts.
        store.put_oidc_flow("late", &flow(2), ttl, 100).await?;
        age(&store, "oidc_flows", "expires_at").await?;
        store.put_oidc_flow("later", &flow(3), ttl, 100).await?;
        assert_eq!(rows(&store, "oidc_flows").await?, 1);
        assert_eq!(other.take_oidc_flow("late").await?, None);

        // At most `max` wait; the oldest goes first.
        for i in 0..4 {
            other
                .put_oidc_flow(&format!("many-{i}"), &flow(i), ttl, 3)
                .await?;
        }
        assert_eq!(rows(&store, "oidc_flows").await?, 3);
        assert_eq!(store.take_oidc_flow("later").await?, None);
        assert_eq!(store.take_oidc_flow("many-0").await?, None);
        assert_eq!(store.take_oidc_flow("many-3").await?, Some(flow(3)));
        other.db.close().await;
    }
);

dual_test!(
    an_upload_waits_for_its_owner_on_any_instance_and_is_taken_once,
    |store: Store| async move {
        let other = Store::open(Some(&url_of(&store))).await?;
        let (org, user) = (OrgId(Uuid::now_v7()), UserId(Uuid::now_v7()));
        let bytes = vec![0u8, 1, 2, 255, 0];
        let p = PendingUpload::new(
            org,
            user,
            UploadFor::Register,
            "a.xlsx".into(),
            bytes.clone(),
        );
        let token = store.put_upload(&p, 1024).await?;
        assert_eq!(
            other.peek_upload(&token, org, user).await?,
            Some(("a.xlsx".to_owned(), bytes.clone())),
            "the bytes come back as they went in"
        );
        // Not another user's, nor another organisation's, nor another kind's.
        let stranger = UserId(Uuid::now_v7());
        assert_eq!(other.peek_upload(&token, org, stranger).await?, None);
        assert_eq!(
            other
                .take_upload(&token, OrgId(Uuid::now_v7()), user, UploadFor::Register)
                .await?,
            None
        );
        assert_eq!(
            other
                .take_upload(&token, org, user, UploadFor::HrFile)
                .await?,
            None
        );
        let columns = vec![Some(Field::Name), None];
        other
            .set_upload_columns(&token, org, user, &columns)
            .await?;
        let taken = store
            .take_upload(&token, org, user, UploadFor::Register)
            .await?
            .expect("the owner's upload");
        assert_eq!(taken.columns, columns);
        assert_eq!(taken.bytes, bytes);
        assert_eq!(
            other
                .take_upload(&token, org, user, UploadFor::Register)
                .await?,
            None,
            "taken once"
        );

        // A user list is confirmed on its system only; an HR file keeps its word.
        let system = SystemId(Uuid::now_v7());
        let list = PendingUpload::new(
            org,
            user,
            UploadFor::UserList(system),
            "l.csv".into(),
            vec![1],
        );
        let t = store.put_upload(&list, 1024).await?;
        assert_eq!(
            store.peek_upload(&t, org, user).await?,
            None,
            "not a register file"
        );
        let elsewhere = UploadFor::UserList(SystemId(Uuid::now_v7()));
        assert_eq!(other.take_upload(&t, org, user, elsewhere).await?, None);
        assert!(
            other
                .take_upload(&t, org, user, UploadFor::UserList(system))
                .await?
                .is_some()
        );
        let hr = PendingUpload {
            hr_complete: true,
            ..PendingUpload::new(org, user, UploadFor::HrFile, "p.csv".into(), vec![2])
        };
        let t = store.put_upload(&hr, 1024).await?;
        let back = other.take_upload(&t, org, user, UploadFor::HrFile).await?;
        assert!(back.is_some_and(|p| p.hr_complete));

        // Too large is refused and nothing waits.
        let big = PendingUpload::new(
            org,
            user,
            UploadFor::Register,
            "b.xlsx".into(),
            vec![0; 1025],
        );
        assert!(matches!(
            store.put_upload(&big, 1024).await,
            Err(StoreError::Refused(_))
        ));
        assert_eq!(rows(&store, "pending_uploads").await?, 0);

        // Expired uploads are refused and removed when the next one comes.
        let t = store.put_upload(&p, 1024).await?;
        age(&store, "pending_uploads", "expires_at").await?;
        assert_eq!(other.peek_upload(&t, org, user).await?, None);
        let first = other.put_upload(&p, 1024).await?;
        assert_eq!(rows(&store, "pending_uploads").await?, 1);

        // At most MAX_WAITING in the whole installation; the oldest goes.
        for _ in 0..MAX_WAITING {
            store.put_upload(&p, 1024).await?;
        }
        assert_eq!(rows(&store, "pending_uploads").await?, MAX_WAITING);
        assert_eq!(other.peek_upload(&first, org, user).await?, None);
        other.db.close().await;
    }
);

dual_test!(
    failed_sign_ins_count_on_every_instance_and_are_forgotten,
    |store: Store| async move {
        let other = Store::open(Some(&url_of(&store))).await?;
        let ip: Option<IpAddr> = Some("192.0.2.7".parse()?);
        let email = "Bo@Kommunen.se";
        for i in 1..back_off::FREE_PER_ACCOUNT {
            let s = if i % 2 == 0 { &store } else { &other };
            assert!(
                !s.sign_in_failed(&actor(), email, ip).await?,
                "failure {i} is free"
            );
            assert!(store.sign_in_wait(email, ip).await?.is_zero());
        }
        assert!(
            store.sign_in_failed(&actor(), "bo@kommunen.se", ip).await?,
            "the fifth, on either instance, begins the wait"
        );
        let wait = other
            .sign_in_wait("BO@kommunen.se", Some("192.0.2.8".parse()?))
            .await?;
        assert!(
            wait > chrono::Duration::zero() && wait <= chrono::Duration::seconds(1),
            "{wait}"
        );
        let audited = |action: &'static str| {
            let store = store.clone();
            async move {
                store
                    .db
                    .read()
                    .count(
                        "SELECT COUNT(*) AS n FROM audit_events WHERE action = $1",
                        vec![action.into()],
                    )
                    .await
            }
        };
        assert_eq!(audited("sign_in_failed").await?, 5);
        assert_eq!(audited("sign_in_throttled").await?, 1);
        // The right password clears the account's failures.
        other.sign_in_succeeded(&actor(), email, ip).await?;
        assert_eq!(audited("sign_in").await?, 1);
        assert!(store.sign_in_wait(email, ip).await?.is_zero());
        assert_eq!(
            rows(&store, "sign_in_failures").await?,
            1,
            "the address's stays"
        );

        // Failures an hour old are forgotten (and removed) at the next one.
        for _ in 0..back_off::FREE_PER_ACCOUNT {
            store.sign_in_failed(&actor(), email, ip).await?;
        }
        age(&store, "sign_in_failures", "last_at").await?;
        assert!(store.sign_in_wait(email, ip).await?.is_zero());
        assert!(
            !other.sign_in_failed(&actor(), email, ip).await?,
            "counting starts again"
        );
        let counts = store
            .db
            .read()
            .all(
                "SELECT failures FROM sign_in_failures ORDER BY key",
                vec![],
                |r| r.i64("failures"),
            )
            .await?;
        assert_eq!(counts, vec![1, 1]);
        other.db.close().await;
    }
);
