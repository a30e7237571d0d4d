//! Hostile spreadsheets cannot stop the server or the command line: each is
//! refused with a 4xx that names the limit, in the user's language, and the
//! server goes on serving. (The files are made in code: `insyn_io::bombs`.)

use axum::body::Body;
use axum::http::Request;
use insyn_io::bombs;
use insyn_store::Store;
use insyn_tests::{App, dual_test, insyn_bin, io_testdata, multipart_upload, url_of};

fn upload(file_name: &str, bytes: &[u8]) -> Request<Body> {
    multipart_upload("/o/kommunen/import", file_name, bytes)
}

fn asr_messy() -> Vec<u8> {
    io_testdata("asr-messy.xlsx")
}

/// (file name, bytes, what the Swedish and the English message say)
fn bombs() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str)> {
    vec![
        (
            "hörn.xlsx",
            bombs::sparse_corner_xlsx(),
            "Bladet har 1048576 rader (till cell XFD1048576); högst 100000 rader kan importeras.",
            "The sheet has 1048576 rows (to cell XFD1048576); at most 100000 rows can be imported.",
        ),
        (
            "zip-bomb.xlsx",
            bombs::deflate_bomb_xlsx(64),
            "En del av filen (xl/sharedStrings.xml) packas upp till mer än 50 MiB",
            "A part of the file (xl/sharedStrings.xml) unpacks to more than 50 MiB",
        ),
        (
            "upprepning.ods",
            bombs::ods_repeat_bomb(1_048_575),
            "Bladet har 1048576 rader (till cell XFD1048576); högst 100000 rader",
            "The sheet has 1048576 rows (to cell XFD1048576); at most 100000 rows",
        ),
    ]
}

dual_test!(
    hostile_spreadsheets_get_a_clear_422_and_the_server_goes_on,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        for (name, bytes, sv, en) in bombs() {
            assert!(
                (bytes.len() as u64) < insyn_web::html::import::UPLOAD_LIMIT_BYTES,
                "{name} is small enough to upload: {}",
                bytes.len()
            );
            let started = std::time::Instant::now();
            let r = app.request(upload(name, &bytes)).await.expect(422);
            assert!(r.text().contains(sv), "{name}: {}", r.text());
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{name} took {:?}",
                started.elapsed()
            );
            let r = app
                .lang("en")
                .request(upload(name, &bytes))
                .await
                .expect(422);
            assert!(r.text().contains(en), "{name}: {}", r.text());
        }
        // Many at once (more than the two read at a time): each refused.
        let all: Vec<_> = bombs()
            .into_iter()
            .cycle()
            .take(7)
            .map(|(name, bytes, _, _)| {
                let app = app.clone();
                tokio::spawn(async move { app.request(upload(name, &bytes)).await.status })
            })
            .collect();
        for h in all {
            assert_eq!(h.await?, 422);
        }
        // And the server still serves: a page, and a real import's dry run.
        app.get("/o/kommunen").await.expect(200);
        let dry = app
            .request(upload("asr-messy.xlsx", &asr_messy()))
            .await
            .expect(200);
        dry.assert_text_contains("Så här skulle importen bli");
    }
);

dual_test!(
    a_file_over_the_upload_limit_gets_413_naming_the_limit,
    |store: Store| async move {
        let app = App::new_with_org(&store, "kommunen").await?;
        let limit = insyn_web::html::import::UPLOAD_LIMIT_BYTES as usize;
        let big = vec![b'a'; limit + 1];
        let r = app.request(upload("stor.csv", &big)).await.expect(413);
        r.assert_text_contains("Filen är större än 2 MiB");
        let r = app
            .lang("en")
            .request(upload("big.csv", &big))
            .await
            .expect(413);
        r.assert_text_contains("The file is larger than 2 MiB");
        // The page says the limits before anyone uploads.
        let page = app.get("/o/kommunen/import").await.expect(200);
        assert!(
            page.text()
                .contains("Högst 2 MiB, 100000 rader och 200 kolumner."),
            "{}",
            page.text()
        );
        let page = app.lang("en").get("/o/kommunen/import").await.expect(200);
        assert!(
            page.text()
                .contains("At most 2 MiB, 100000 rows and 200 columns."),
            "{}",
            page.text()
        );
    }
);

#[test]
fn every_limit_has_a_message_in_both_languages_naming_what_was_found() {
    use insyn_web::i18n::Lang;
    for limit in insyn_io::Limit::ALL {
        let e = insyn_io::OverLimit::new(*limit, limit.max() + 1).at("Q7");
        let args = e.args();
        let (sv, en) = (
            Lang::Sv.t_args(limit.code(), &args),
            Lang::En.t_args(limit.code(), &args),
        );
        assert_ne!(sv, en, "{limit:?} is not translated");
        for text in [&sv, &en] {
            assert!(!text.contains(limit.code()), "{limit:?} has no message");
            let shown_max = &args[1].1;
            assert!(text.contains(shown_max.as_str()), "{limit:?}: {text}");
        }
    }
    let upload = [("max", "2 MiB".to_owned())];
    assert!(
        Lang::Sv
            .t_args("import-limit-upload", &upload)
            .contains("2 MiB")
    );
    assert!(
        Lang::En
            .t_args("import-limit-upload", &upload)
            .contains("2 MiB")
    );
}

dual_test!(
    insyn_import_refuses_a_hostile_file_with_the_message_and_exits_non_zero,
    |store: Store| async move {
        let dir = insyn_tests::TempDirGuard::new();
        let cases = [
            (
                "hörn.xlsx",
                bombs::sparse_corner_xlsx(),
                "The sheet has 1048576 rows (to cell XFD1048576); at most 100000 rows can be imported.",
            ),
            (
                "zip-bomb.xlsx",
                bombs::deflate_bomb_xlsx(64),
                "A part of the file (xl/sharedStrings.xml) unpacks to more than 50 MiB",
            ),
            (
                "upprepning.ods",
                bombs::ods_repeat_bomb(1_048_575),
                "The sheet has 1048576 rows",
            ),
            (
                "enorm.csv",
                vec![b'a'; 21 * 1024 * 1024],
                "The file is 21 MiB; files of at most 20 MiB can be imported.",
            ),
        ];
        for (name, bytes, says) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes)?;
            let out = std::process::Command::new(insyn_bin())
                .arg("import")
                .arg(&path)
                .args(["--org", "kommunen", "--database-url", &url_of(&store)])
                .output()?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
            assert!(stderr.contains(says), "{name}: {stderr}");
        }
    }
);
