//! The `insyn` command line: a consistent clap definition, and help that
//! says what each subcommand does.

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use insyn::{Cli, Command};

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// The help text of `insyn <args…>` (clap reports it as an "error").
fn help(args: &[&str]) -> String {
    match Cli::try_parse_from(args) {
        Err(e) if e.kind() == ErrorKind::DisplayHelp => e.render().to_string(),
        Err(e) => panic!("{args:?}: {e}"),
        Ok(cli) => panic!("{args:?} parsed as {cli:?} instead of showing help"),
    }
}

#[test]
fn each_subcommand_explains_itself() {
    let top = help(&["insyn", "--help"]);
    for part in [
        "municipality's IT systems",
        "serve",
        "demo",
        "migrate",
        "openapi",
    ] {
        assert!(top.contains(part), "{part:?} missing in:\n{top}");
    }
    for (sub, says) in [
        (
            "serve",
            &[
                "Start the web server",
                "--addr",
                "--database-url",
                "INSYN_DATABASE_URL",
                "127.0.0.1:8080",
                "Loopback",
            ][..],
        ),
        (
            "demo",
            &[
                "demo municipality",
                "--systems",
                "--no-serve",
                "--addr",
                "--database-url",
            ][..],
        ),
        (
            "migrate",
            &["Apply pending database migrations", "--database-url"][..],
        ),
        ("openapi", &["OpenAPI document"][..]),
    ] {
        let text = help(&["insyn", sub, "--help"]);
        for part in says {
            assert!(
                text.contains(part),
                "insyn {sub} --help lacks {part:?}:\n{text}"
            );
        }
        // `insyn help <sub>` says the same.
        assert_eq!(help(&["insyn", "help", sub]), text, "insyn help {sub}");
    }
}

#[test]
fn arguments_parse_into_the_commands() {
    let cli = Cli::try_parse_from([
        "insyn",
        "serve",
        "--addr",
        "0.0.0.0:9000",
        "--database-url",
        "sqlite://x.db",
    ])
    .expect("parses");
    match cli.command {
        Command::Serve(a) => {
            assert_eq!(a.addr.to_string(), "0.0.0.0:9000");
            assert_eq!(a.db.database_url.as_deref(), Some("sqlite://x.db"));
        }
        other => panic!("{other:?}"),
    }
    let cli =
        Cli::try_parse_from(["insyn", "demo", "--systems", "25", "--no-serve"]).expect("parses");
    assert!(matches!(
        cli.command,
        Command::Demo {
            systems: 25,
            no_serve: true,
            ..
        }
    ));
    assert!(matches!(
        Cli::try_parse_from(["insyn", "openapi"])
            .expect("parses")
            .command,
        Command::Openapi
    ));
    // Mistakes are refused, not guessed.
    for bad in [
        &["insyn"][..],
        &["insyn", "serv"][..],
        &["insyn", "serve", "--addr", "localhost"][..],
        &["insyn", "demo", "--systems", "many"][..],
    ] {
        assert!(Cli::try_parse_from(bad).is_err(), "{bad:?} was accepted");
    }
    // The version is the crate's.
    let v = match Cli::try_parse_from(["insyn", "--version"]) {
        Err(e) if e.kind() == ErrorKind::DisplayVersion => e.render().to_string(),
        other => panic!("{other:?}"),
    };
    assert!(v.contains(env!("CARGO_PKG_VERSION")), "{v}");
}

#[test]
fn mail_settings_parse() {
    let cli = Cli::try_parse_from([
        "insyn",
        "serve",
        "--smtp-url",
        "smtps://insyn:hemligt@smtp.kommun.se",
        "--mail-from",
        "insyn <insyn@kommun.se>",
        "--mail-interval",
        "30",
    ])
    .expect("parses");
    let Command::Serve(a) = cli.command else {
        panic!("{:?}", cli.command)
    };
    assert_eq!(a.mail_interval, 30);
    let mailer = a.mail.mailer().expect("valid").expect("configured");
    assert_eq!(mailer.server(), "smtps://insyn:***@smtp.kommun.se");
    // The default interval is a minute; no SMTP URL means no mailer.
    let Command::Serve(a) = Cli::try_parse_from(["insyn", "serve"])
        .expect("parses")
        .command
    else {
        unreachable!()
    };
    assert_eq!(a.mail_interval, 60);
    assert!(a.mail.mailer().expect("valid").is_none());
    assert!(Cli::try_parse_from(["insyn", "serve", "--mail-interval", "0"]).is_err());
    assert!(
        Cli::try_parse_from([
            "insyn",
            "mail",
            "send-once",
            "--database-url",
            "sqlite://x.db"
        ])
        .is_ok()
    );
    let help = help(&["insyn", "mail", "--help"]);
    for part in ["send-once", "status"] {
        assert!(help.contains(part), "{part:?} missing in:\n{help}");
    }
}
