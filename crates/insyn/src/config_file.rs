//! The configuration file (TOML, `--config FILE` or `INSYN_CONFIG`) beside
//! options and environment variables: an option wins over its environment
//! variable, which wins over the file, which wins over the default.
//!
//! A key is an option's long name with `_` for `-` (`database_url`,
//! `trusted_proxy`, `mail_interval`); every option that has an `INSYN_*`
//! environment variable may be set in the file, and a key that names none is
//! refused, naming the key. The file's values become the options' defaults
//! before the command line is parsed, so clap's own precedence (option,
//! then environment, then default) gives the order above. One file serves
//! every subcommand: each takes the keys it has options for.

use crate::cli::Cli;
use anyhow::{Context, Result, bail};
use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches, parser::ValueSource};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The largest configuration file read.
pub const MAX_BYTES: u64 = 256 * 1024;

/// The command line as parsed, with what the configuration file gave.
#[derive(Debug)]
pub struct Parsed {
    pub cli: Cli,
    pub matches: ArgMatches,
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// The keys the file set.
    pub from_file: BTreeSet<String>,
}

/// The file key of an option: its long name with `_` for `-`; only options
/// with an environment variable are settings.
fn key_of(a: &Arg) -> Option<String> {
    if a.get_env().is_none() || a.get_id() == "config" {
        return None;
    }
    a.get_long().map(|l| l.replace('-', "_"))
}

/// Every key a file may hold.
pub fn known_keys() -> BTreeSet<String> {
    fn walk(c: &Command, out: &mut BTreeSet<String>) {
        out.extend(c.get_arguments().filter_map(key_of));
        for s in c.get_subcommands() {
            walk(s, out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&Cli::command(), &mut out);
    out
}

/// Which file to read: `--config FILE` (or `--config=FILE`) among the
/// arguments, else `env` (the value of INSYN_CONFIG).
fn config_path(args: &[OsString], env: Option<OsString>) -> Option<PathBuf> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let Some(s) = a.to_str() else { continue };
        if s == "--" {
            break;
        }
        if s == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(v) = s.strip_prefix("--config=") {
            return Some(PathBuf::from(v));
        }
    }
    env.filter(|e| !e.is_empty()).map(PathBuf::from)
}

/// A TOML value as the option's text(s).
fn values(key: &str, v: &toml::Value) -> Result<Vec<String>> {
    let one = |v: &toml::Value| -> Result<String> {
        Ok(match v {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Float(f) => f.to_string(),
            _ => bail!("the key {key:?} takes a string, a number, true/false or a list of those"),
        })
    };
    match v {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

/// Reads the file into (key, values), refusing keys no option has.
pub fn read(path: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .with_context(|| format!("could not read the configuration file {shown}"))?;
    if meta.len() > MAX_BYTES {
        bail!(
            "the configuration file {shown} is {} bytes; at most {MAX_BYTES} are read",
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the configuration file {shown}"))?;
    parse_text(&text, path)
}

/// A configuration file's text as (key, values), refusing keys no option has;
/// `path` only names the file in messages.
pub fn parse_text(text: &str, path: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let shown = path.display();
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| anyhow::anyhow!("the configuration file {shown} is not valid TOML: {e}"))?;
    let known = known_keys();
    let mut out = vec![];
    for (key, value) in table {
        if !known.contains(&key) {
            let near: Vec<&String> = known
                .iter()
                .filter(|k| {
                    k.contains(key.as_str()) || key.contains(k.as_str()) || distance(k, &key) <= 2
                })
                .collect();
            let hint = if near.is_empty() {
                format!(
                    "the keys are: {}",
                    known.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            } else {
                format!(
                    "did you mean {}?",
                    near.iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            };
            bail!("the configuration file {shown}: unknown key {key:?} ({hint})");
        }
        let v = values(&key, &value).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        out.push((key, v));
    }
    Ok(out)
}

/// Edits (insert, delete, replace a character) from `a` to `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Makes `vals` the default of every option (here and in the subcommands)
/// whose key is `key`, once each value passes the option's own check (clap
/// would otherwise meet a bad default only when the option is left out).
/// With `set` false it only checks.
fn apply(mut cmd: Command, key: &str, vals: &[String], file: &Path, set: bool) -> Result<Command> {
    let args: Vec<Arg> = cmd
        .get_arguments()
        .filter(|a| key_of(a).as_deref() == Some(key))
        .cloned()
        .collect();
    for arg in args {
        let many = matches!(arg.get_action(), clap::ArgAction::Append);
        if !many && vals.len() != 1 {
            bail!(
                "the configuration file {}: {key} takes one value, not a list",
                file.display()
            );
        }
        for v in vals {
            check_value(&arg, v).map_err(|why| {
                anyhow::anyhow!(
                    "the configuration file {}: {key} = {v:?}: {why}",
                    file.display()
                )
            })?;
        }
        if !set {
            continue;
        }
        // clap keeps defaults as 'static strings; a file is read once a process.
        let leaked: Vec<&'static str> = vals
            .iter()
            .map(|v| &*Box::leak(v.clone().into_boxed_str()))
            .collect();
        cmd = cmd.mut_arg(arg.get_id().clone(), |a| a.default_values(leaked));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subs {
        let sub = cmd
            .find_subcommand(&name)
            .cloned()
            .expect("a listed subcommand");
        let sub = apply(sub, key, vals, file, set)?;
        cmd = cmd.mut_subcommand(name, |_| sub);
    }
    Ok(cmd)
}

/// Whether the option takes `value`, checked by the option's own parser.
fn check_value(arg: &Arg, value: &str) -> std::result::Result<(), String> {
    if matches!(arg.get_action(), clap::ArgAction::SetTrue) {
        return match value {
            "true" | "false" => Ok(()),
            _ => Err("true or false".into()),
        };
    }
    let long = arg.get_long().unwrap_or_default();
    let probe = Command::new("insyn")
        .no_binary_name(true)
        .arg(arg.clone().env(None::<&str>).required(false));
    probe
        .try_get_matches_from([format!("--{long}"), value.to_owned()])
        .map(|_| ())
        .map_err(|e| {
            e.kind()
                .as_str()
                .unwrap_or("not a valid value")
                .to_lowercase()
        })
}

/// Checks a configuration file's text as `insyn` would read it (TOML, known
/// keys, each value accepted by its option) and returns its settings; what
/// the fuzz target `config` runs.
pub fn check_text(text: &str) -> Result<Vec<(String, Vec<String>)>> {
    let file = Path::new("insyn.toml");
    let settings = parse_text(text, file)?;
    let mut cmd = Cli::command();
    for (key, vals) in &settings {
        cmd = apply(cmd, key, vals, file, false)?;
    }
    Ok(settings)
}

/// Parses the command line with the configuration file named in it or in
/// `env_config` (INSYN_CONFIG). A clap error (help, version, a bad option)
/// comes back as a `clap::Error` inside the `anyhow::Error`.
pub fn parse_from(args: Vec<OsString>, env_config: Option<OsString>) -> Result<Parsed> {
    let file = config_path(&args, env_config);
    let mut cmd = Cli::command();
    let mut from_file = BTreeSet::new();
    if let Some(path) = &file {
        for (key, vals) in read(path)? {
            cmd = apply(cmd, &key, &vals, path, true)?;
            from_file.insert(key);
        }
    }
    let matches = cmd.try_get_matches_from(args)?;
    let cli = Cli::from_arg_matches(&matches)?;
    Ok(Parsed {
        cli,
        matches,
        file,
        from_file,
    })
}

/// [`parse_from`] the process's arguments and INSYN_CONFIG.
pub fn parse() -> Result<Parsed> {
    parse_from(
        std::env::args_os().collect(),
        std::env::var_os("INSYN_CONFIG"),
    )
}

/// `insyn config`: each setting of `insyn serve` with its value and where it
/// comes from; secrets (options whose environment values are hidden) shown
/// as set or not only.
pub fn describe(parsed: &Parsed) -> String {
    let mut lines = vec![];
    match &parsed.file {
        Some(f) => lines.push(format!("# configuration file: {}", f.display())),
        None => lines.push("# no configuration file (--config, INSYN_CONFIG)".to_owned()),
    }
    let Some(sub) = parsed.matches.subcommand_matches("config") else {
        return lines.join("\n");
    };
    let cmd = Cli::command();
    let config_cmd = cmd
        .find_subcommand("config")
        .expect("the config subcommand exists");
    let args = cmd
        .get_arguments()
        .map(|a| (a, &parsed.matches))
        .chain(config_cmd.get_arguments().map(|a| (a, sub)));
    for (arg, m) in args {
        let Some(key) = key_of(arg) else { continue };
        let id = arg.get_id().as_str();
        let env = arg
            .get_env()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = match m.value_source(id) {
            Some(ValueSource::CommandLine) => "option".to_owned(),
            Some(ValueSource::EnvVariable) => format!("environment ({env})"),
            Some(ValueSource::DefaultValue) if parsed.from_file.contains(&key) => "file".to_owned(),
            Some(ValueSource::DefaultValue) => "default".to_owned(),
            _ => "not set".to_owned(),
        };
        let raw: Vec<String> = m
            .get_raw(id)
            .map(|vals| vals.map(|v| v.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let value = if raw.is_empty() {
            "-".to_owned()
        } else if raw.iter().all(String::is_empty) {
            "\"\"".to_owned()
        } else if arg.is_hide_env_values_set() {
            "(set, hidden)".to_owned()
        } else {
            raw.join(",")
        };
        lines.push(format!("{key} = {value}    # {source}"));
    }
    lines.join("\n")
}
