//! The configuration file's target (crates/insyn/src/config_file.rs).

use super::{Outcome, bucket};

/// `check_text` on a file's bytes: a file is either refused with a message
/// that names the file, or gives settings whose keys are all known.
pub(super) fn config(bytes: &[u8]) -> Outcome {
    let text = std::str::from_utf8(bytes).map_err(|_| "not-utf8".to_owned())?;
    match insyn::config_file::check_text(text) {
        Ok(settings) => {
            let known = insyn::config_file::known_keys();
            for (key, _) in &settings {
                assert!(known.contains(key), "unknown key {key:?} accepted");
            }
            Ok(format!("settings {}", bucket(settings.len())))
        }
        Err(e) => {
            let message = format!("{e:#}");
            assert!(
                message.contains("insyn.toml"),
                "a refusal that names no file: {message}"
            );
            // What kind of refusal, without the text that varies.
            let kind = [
                "not valid TOML",
                "unknown key",
                "takes one value",
                "takes a string",
            ]
            .into_iter()
            .find(|k| message.contains(k))
            .unwrap_or("value");
            Err(kind.to_owned())
        }
    }
}

pub(super) fn config_seeds() -> Vec<Vec<u8>> {
    let example = super::repo("deploy/insyn.toml.example");
    vec![
        std::fs::read(&example).unwrap_or_else(|e| panic!("{}: {e}", example.display())),
        b"addr = \"0.0.0.0:8080\"\ndatabase_url = \"sqlite://insyn.db\"\ndb_pool_timeout = 3\n".to_vec(),
        b"trusted_proxy = [\"10.0.0.0/8\", \"127.0.0.1\"]\nmail_interval = 0\nlog_format = \"yaml\"\n"
            .to_vec(),
    ]
}

pub(super) const CONFIG_DICT: &[&str] = &[
    "addr = ",
    "database_url = ",
    "db_pool_timeout = ",
    "shutdown_timeout = ",
    "trusted_proxy = [",
    "mail_interval = ",
    "log_format = ",
    "oidc_trust_email = ",
    "\"127.0.0.1:8080\"",
    "\"sqlite:///var/lib/insyn/insyn.db\"",
    "true",
    "false",
    "[server]\n",
    "= 1e9",
    "= -1",
    "= 18446744073709551616",
    "\"\"\"",
    "'''",
    "\n",
    "#",
];
