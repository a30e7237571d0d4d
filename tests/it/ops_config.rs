//! The configuration file beside options and environment variables:
//! option > environment > file > default, and unknown keys refused.

use crate::ops_process::insyn_with;
use insyn::Command;
use insyn::config_file::parse_from;
use insyn_tests::TempDirGuard;
use std::ffi::OsString;

fn args(v: &[&str]) -> Vec<OsString> {
    v.iter().map(OsString::from).collect()
}

fn serve_args(p: insyn::config_file::Parsed) -> insyn::ServeArgs {
    match p.cli.command {
        Command::Serve(a) => a,
        other => panic!("{other:?}"),
    }
}

const FILE: &str = r#"
addr = "127.0.0.1:9100"
database_url = "sqlite:///var/lib/insyn/insyn.db"
db_pool_timeout = 7
mail_interval = 5
trusted_proxy = ["127.0.0.1", "10.0.0.0/8"]
oidc_trust_email = true
log_format = "json"
metrics_token = "from-the-file"
"#;

#[test]
fn the_file_sets_what_options_do_not_and_options_win() -> anyhow::Result<()> {
    let dir = TempDirGuard::new();
    let file = dir.path().join("insyn.toml");
    std::fs::write(&file, FILE)?;
    let f = file.to_str().unwrap();

    let p = parse_from(args(&["insyn", "serve", "--config", f]), None)?;
    assert_eq!(p.cli.log_format, insyn::LogFormat::Json);
    let a = serve_args(p);
    assert_eq!(a.addr.to_string(), "127.0.0.1:9100");
    assert_eq!(
        a.db.database_url.as_deref(),
        Some("sqlite:///var/lib/insyn/insyn.db")
    );
    assert_eq!(a.db.options().acquire_timeout.as_secs(), 7);
    assert_eq!(a.mail_interval, 5);
    assert_eq!(a.trusted_proxies, ["127.0.0.1", "10.0.0.0/8"]);
    assert!(a.oidc.oidc_trust_email);
    assert_eq!(a.metrics_token.as_deref(), Some("from-the-file"));
    // Not in the file: the default.
    assert_eq!(a.shutdown_timeout, 20);

    // An option wins over the file; INSYN_CONFIG names the file too.
    let a = serve_args(parse_from(
        args(&[
            "insyn",
            "serve",
            "--addr",
            "127.0.0.1:9200",
            "--mail-interval",
            "7",
        ]),
        Some(file.clone().into()),
    )?);
    assert_eq!(a.addr.to_string(), "127.0.0.1:9200");
    assert_eq!(a.mail_interval, 7);
    assert_eq!(
        a.db.database_url.as_deref(),
        Some("sqlite:///var/lib/insyn/insyn.db")
    );

    // Other subcommands take the keys they have options for.
    let p = parse_from(args(&["insyn", "--config", f, "migrate"]), None)?;
    match p.cli.command {
        Command::Migrate(db) => {
            assert_eq!(
                db.database_url.as_deref(),
                Some("sqlite:///var/lib/insyn/insyn.db")
            )
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn an_unknown_key_or_a_bad_value_is_refused_naming_it() -> anyhow::Result<()> {
    let dir = TempDirGuard::new();
    let file = dir.path().join("insyn.toml");
    // The whole error `insyn serve` stops with when the file holds `text`.
    let refused = |text: &str| -> anyhow::Result<String> {
        std::fs::write(&file, text)?;
        let err = parse_from(
            args(&["insyn", "serve", "--config", file.to_str().unwrap()]),
            None,
        )
        .expect_err(text);
        Ok(format!("{err:#}"))
    };
    let text = refused("databse_url = \"sqlite://x.db\"\n")?;
    assert!(text.contains("unknown key \"databse_url\""), "{text}");
    assert!(text.contains("did you mean database_url?"), "{text}");
    assert!(text.contains("insyn.toml"), "{text}");
    let text = refused("mail_interval = \"often\"\n")?;
    assert!(text.contains("mail_interval = \"often\""), "{text}");
    let text = refused("mail_interval = [1, 2]\n")?;
    assert!(text.contains("takes one value"), "{text}");
    let text = refused("addr = [\n")?;
    assert!(text.contains("not valid TOML"), "{text}");
    Ok(())
}

/// The environment between options and the file, seen through `insyn config`
/// (which says where each setting comes from) in a process of its own.
#[test]
fn the_environment_wins_over_the_file_and_loses_to_options() -> anyhow::Result<()> {
    let dir = TempDirGuard::new();
    let file = dir.path().join("insyn.toml");
    std::fs::write(&file, FILE)?;
    let env = [
        ("INSYN_CONFIG", file.to_str().unwrap()),
        ("INSYN_ADDR", "127.0.0.1:9300"),
        ("INSYN_MAIL_INTERVAL", "9"),
    ];
    let r = insyn_with(&["config", "--mail-interval", "11"], &env)?;
    assert!(r.status.success(), "{}{}", r.stdout, r.stderr);
    let out = r.stdout;
    for line in [
        "addr = 127.0.0.1:9300    # environment (INSYN_ADDR)",
        "mail_interval = 11    # option",
        "database_url = sqlite:///var/lib/insyn/insyn.db    # file",
        "shutdown_timeout = 20    # default",
        "log_format = json    # file",
        "metrics_token = (set, hidden)    # file",
    ] {
        assert!(out.contains(line), "{line:?} missing in:\n{out}");
    }
    assert!(!out.contains("from-the-file"), "a secret was shown:\n{out}");
    Ok(())
}
