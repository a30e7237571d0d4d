//! `$n` binds the n-th value wherever and however often it stands, in any
//! order, beside `$` inside quoted text and comments, and in lists of
//! hundreds (the graph's chunks): the SQLite binding reads their order from
//! the text instead of asking SQLite each name.

use insyn_store::Store;
use insyn_store::db::{P, Queryable};
use insyn_tests::dual_test;

dual_test!(
    placeholders_bind_by_number_in_any_order_and_repetition_beside_quoted_dollars,
    |store: Store| async move {
        let params = || vec![P::from("a"), P::from("b"), P::from("c")];
        let mut read = store.db.read();
        let got = read
            .all(
                "SELECT $3 || $1 || $2 || $3 || '$1' AS v /* $2 */ -- $1\n",
                params(),
                |r| r.text("v"),
            )
            .await?;
        assert_eq!(got, ["cabc$1"]);
        let got = read
            .all(
                "SELECT x.v AS v FROM (SELECT $2 AS v) x WHERE x.v <> '$2' AND x.v IN ($1, $3, $2)",
                params(),
                |r| r.text("v"),
            )
            .await?;
        assert_eq!(got, ["b"]);

        // A long list, as the graph's chunks have, its first value last.
        let list: Vec<String> = (2..=501).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 AS x) t WHERE $1 IN ({}) AND $501 = '501'",
            list.join(", ")
        );
        let mut values = vec![P::from("zz")];
        values.extend((2..=501).map(|n| P::from(n.to_string())));
        assert_eq!(read.count(&sql, values.clone()).await?, 0);
        values[0] = P::from("377");
        assert_eq!(read.count(&sql, values).await?, 1);
    }
);
