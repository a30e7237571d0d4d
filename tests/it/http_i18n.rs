//! The message files: the same keys in Swedish and English, no errors, and
//! a message for every key the code and the templates use.

use insyn_domain::validation::ALL_CODES;
use insyn_domain::{Hosting, Lifecycle, OrgKind};
use insyn_web::i18n::{EN, Lang, SV, keys, parse_errors};
use std::collections::BTreeSet;

const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/web/templates");

fn set(text: &str) -> BTreeSet<String> {
    keys(text).into_iter().collect()
}

#[test]
fn swedish_and_english_have_the_same_keys_and_parse() {
    assert_eq!(parse_errors(), Vec::<String>::new());
    let (sv, en) = (set(SV), set(EN));
    assert!(sv.len() > 100, "the key scan finds the keys ({})", sv.len());
    let only_sv: Vec<_> = sv.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&sv).collect();
    assert!(only_sv.is_empty(), "only in sv.ftl: {only_sv:?}");
    assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    // No key twice in one file.
    for (name, text) in [("sv", SV), ("en", EN)] {
        let all = keys(text);
        let mut seen = BTreeSet::new();
        let twice: Vec<_> = all.iter().filter(|k| !seen.insert(*k)).collect();
        assert!(twice.is_empty(), "{name}: defined twice: {twice:?}");
    }
    // Every key has a text in both languages.
    for k in &sv {
        for lang in Lang::ALL {
            assert!(!lang.t(k).trim().is_empty(), "{k} is empty in {lang:?}");
        }
    }
}

#[test]
fn every_validation_code_has_a_message_in_both_languages() {
    let (sv, en) = (set(SV), set(EN));
    for code in ALL_CODES
        .iter()
        .chain(insyn_domain::access::ERROR_CODES)
        .chain(insyn_domain::incident::ERROR_CODES)
        .chain(&[insyn_io::HR_NO_EMAIL, insyn_io::HR_UNKNOWN_STATUS])
        .chain(insyn_domain::continuity::ERROR_CODES)
        .chain(insyn_domain::integration::ERROR_CODES)
        .chain(insyn_domain::decommission::ERROR_CODES)
        .chain(insyn_domain::contract::ERROR_CODES)
        .chain(insyn_domain::processing::ERROR_CODES)
        .chain(&[insyn_store::contracts::LEAD_DAYS_OUT_OF_RANGE])
        .chain(insyn_domain::processor::ERROR_CODES)
        .chain(&["error-no-supplier-named"])
        .chain(insyn_domain::regulatory::ERROR_CODES)
        .chain(insyn_domain::eservice::ERROR_CODES)
        .chain(insyn_domain::it_service::ERROR_CODES)
    {
        assert!(sv.contains(*code), "{code} missing in sv.ftl");
        assert!(en.contains(*code), "{code} missing in en.ftl");
        assert_ne!(
            Lang::Sv.t(code),
            Lang::En.t(code),
            "{code} is not translated"
        );
    }
}

/// The audit log names every action of the trail in words (its page reads
/// `action-<action>`; 13 of them showed their key instead).
#[test]
fn every_audit_action_has_a_message_in_both_languages() {
    let (sv, en) = (set(SV), set(EN));
    for a in insyn_domain::AuditAction::ALL {
        let key = format!("action-{}", a.as_str());
        assert!(sv.contains(&key), "{key} missing in sv.ftl");
        assert!(en.contains(&key), "{key} missing in en.ftl");
    }
}

/// The string literal that starts right after `open` each time it occurs.
fn literals_after<'a>(text: &'a str, open: &str) -> Vec<&'a str> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        rest = &rest[i + open.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Every key the templates and the web code use: literal `.t("…")`,
/// `.t_with("…"`, `.t_count("…"`, the field labels (`label_of`, the form
/// macros), the hints of text areas, and the keys built from values.
fn used_keys() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut sources = vec![];
    for entry in std::fs::read_dir(TEMPLATES).expect("the templates") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "html") {
            sources.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).expect("readable"),
            ));
        }
    }
    assert!(
        sources.len() >= 9,
        "the templates are found: {}",
        sources.len()
    );
    let src = format!("{}/../crates/web/src", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = ["error.rs", "forms.rs", "extract.rs"]
        .iter()
        .map(|n| n.to_string())
        .collect();
    // The html and api modules and their sub-modules (`html/policy/…`), at any depth.
    let mut dirs = vec!["html".to_owned(), "api".to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(format!("{src}/{dir}")).expect("the html module") {
            let entry = entry.expect("a directory entry");
            let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().expect("a file type").is_dir() {
                dirs.push(name);
            } else {
                names.push(name);
            }
        }
    }
    for name in names {
        let path = format!("{src}/{name}");
        sources.push((
            path.clone(),
            std::fs::read_to_string(&path).expect("readable"),
        ));
    }
    let field_label = |f: &str| format!("field-{}", f.replace('_', "-"));
    for (_, text) in &sources {
        for open in [".t(\"", ".t_with(\"", ".t_count(\""] {
            used.extend(literals_after(text, open).into_iter().map(str::to_owned));
        }
        for open in ["label_of(\"", "input(\"", "area(\"", "has_err(\""] {
            used.extend(literals_after(text, open).into_iter().map(field_label));
        }
        // area("field", "hint-key")
        let mut rest = text.as_str();
        while let Some(i) = rest.find("area(\"") {
            rest = &rest[i + 6..];
            if let Some(hint) = rest
                .split_once(", \"")
                .map(|(_, h)| h)
                .and_then(|h| h.split_once('"'))
                .map(|(h, _)| h)
                .filter(|h| !h.is_empty() && !h.contains(' '))
            {
                used.insert(hint.to_owned());
            }
        }
        // Error titles and details (`title_key`, `html_errors`).
        used.extend(
            literals_after(text, "=> \"error-")
                .into_iter()
                .map(|k| format!("error-{k}")),
        );
    }
    // Keys built from values.
    used.extend(
        Lifecycle::ALL
            .iter()
            .map(|l| format!("lifecycle-{}", l.as_str())),
    );
    used.extend(
        Hosting::ALL
            .iter()
            .map(|h| format!("hosting-{}", h.as_str())),
    );
    used.extend(
        OrgKind::ALL
            .iter()
            .map(|k| format!("org-kind-{}", k.as_str())),
    );
    used.extend(
        ["create", "update", "archive", "restore", "demo"]
            .iter()
            .map(|a| format!("action-{a}")),
    );
    // Every field a system form can report an error for has a label (the summary uses it).
    used.extend(
        [
            "name",
            "short_name",
            "description",
            "purpose",
            "responsible_unit_id",
            "using_unit_ids",
            "vendor",
            "product_id",
            "version",
            "hosting",
            "user_count",
            "business_critical",
            "lifecycle",
            "go_live_date",
            "end_date",
            "licence_model",
            "licence_count",
            "escalation_route",
            "notes",
            "doc_links",
            "capabilities",
            "tags",
        ]
        .iter()
        .map(|f| field_label(f)),
    );
    used.extend(["yes", "no"].map(str::to_owned));
    // The import's column choices (`field_label` in html/import.rs).
    used.extend(
        insyn_io::Field::ALL
            .iter()
            .map(|f| format!("import-field-{}", f.key().replace('_', "-"))),
    );
    used.insert("import-mapping-column-name".to_owned());
    // Not keys: the scan also meets `t("` in ordinary words or dynamic arguments.
    used.retain(|k| !k.is_empty() && !k.contains(['{', ' ', '(', '.']));
    used
}

#[test]
fn every_key_the_pages_use_exists_in_both_languages() {
    let used = used_keys();
    assert!(
        used.len() > 80,
        "the scan finds the keys in use ({})",
        used.len()
    );
    for k in [
        "register-showing",
        "register-of-total",
        "pager-page",
        "hint-doc-links",
        "field-user-count",
        "error-not-found-detail",
    ] {
        assert!(used.contains(k), "the scan misses {k}");
    }
    let (sv, en) = (set(SV), set(EN));
    let missing_sv: Vec<_> = used.iter().filter(|k| !sv.contains(*k)).collect();
    let missing_en: Vec<_> = used.iter().filter(|k| !en.contains(*k)).collect();
    assert!(
        missing_sv.is_empty(),
        "used but missing in sv.ftl: {missing_sv:?}"
    );
    assert!(
        missing_en.is_empty(),
        "used but missing in en.ftl: {missing_en:?}"
    );
}

#[test]
fn plural_and_argument_messages_fill_in_their_values() {
    assert_eq!(Lang::Sv.t_count("register-of-total", 1_i64), "av 1 system");
    assert_eq!(Lang::En.t_count("register-of-total", 1_i64), "of 1 system");
    assert_eq!(Lang::En.t_count("register-of-total", 3_i64), "of 3 systems");
    assert_eq!(Lang::Sv.t_with("pager-page", "page", "2 / 5"), "Sida 2 / 5");
    assert_eq!(
        Lang::En.t_with("register-showing", "range", "1–50"),
        "Showing 1–50"
    );
    assert_eq!(Lang::Sv.t_count("people-count", 1_i64), "1 person");
    assert_eq!(Lang::Sv.t_count("people-count", 2_i64), "2 personer");
}
