//! User-facing text from Fluent message files: Swedish by default, English
//! on request. Every key must exist in both languages (a test checks).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// The languages the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().get(..2) {
            Some("sv") => Some(Lang::Sv),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    /// Looks up a message; a missing key shows as the key itself.
    pub fn t(self, key: &str) -> String {
        format(self, key, None)
    }

    /// The message for one field's problem; a choice outside a known list
    /// names the values that are allowed.
    pub fn field_message(self, e: &insyn_domain::FieldError) -> String {
        if e.allowed.is_empty() {
            self.t(e.code)
        } else {
            self.t_with("error-choose-one-of", "options", e.allowed.join(", "))
        }
    }

    /// Looks up a message with one argument `$n` or `$name`.
    pub fn t_with(self, key: &str, name: &str, value: impl ToString) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        format(self, key, Some(&args))
    }

    /// Looks up a message with several text arguments.
    pub fn t_args(self, key: &str, pairs: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in pairs {
            args.set((*k).to_owned(), FluentValue::from(v.clone()));
        }
        format(self, key, Some(&args))
    }

    /// Looks up a message with a numeric argument, for plural forms.
    pub fn t_count(self, key: &str, n: impl Val<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set("n", FluentValue::from(n.val()));
        format(self, key, Some(&args))
    }
}

pub const SV: &str = include_str!("../i18n/sv.ftl");
pub const EN: &str = include_str!("../i18n/en.ftl");

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static SV_B: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static EN_B: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::Sv => (&SV_B, SV),
        Lang::En => (&EN_B, EN),
    };
    cell.get_or_init(|| {
        let res = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(res, errs)| {
            tracing::error!(?errs, lang = lang.code(), "message file has errors");
            res
        });
        let id = lang.code().parse().unwrap_or_default();
        let mut b = FluentBundle::new_concurrent(vec![id]);
        b.set_use_isolating(false);
        if let Err(errs) = b.add_resource(res) {
            tracing::error!(?errs, lang = lang.code(), "duplicate messages");
        }
        b
    })
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    let b = bundle(lang);
    match b.get_message(key).and_then(|m| m.value()) {
        Some(p) => {
            let mut errs = vec![];
            b.format_pattern(p, args, &mut errs).into_owned()
        }
        None => key.to_owned(),
    }
}

/// The message ids defined in a message file's text, for the completeness test.
pub fn keys(text: &str) -> Vec<String> {
    let mut k: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t', '.', '*', '[']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    k.sort();
    k
}

/// Every message file parses without errors.
pub fn parse_errors() -> Vec<String> {
    let mut out = vec![];
    for (name, text) in [("sv", SV), ("en", EN)] {
        if let Err((_, errs)) = FluentResource::try_new(text.to_owned()) {
            out.push(format!("{name}: {errs:?}"));
        }
    }
    out
}

/// A copyable value, whether askama hands it over by value or by reference.
pub trait Val<T> {
    fn val(&self) -> T;
}

macro_rules! val {
    ($($t:ty),*) => {$(
        impl Val<$t> for $t { fn val(&self) -> $t { *self } }
        impl Val<$t> for &$t { fn val(&self) -> $t { **self } }
        impl Val<$t> for &&$t { fn val(&self) -> $t { ***self } }
    )*};
}
val!(
    insyn_domain::Lifecycle,
    insyn_domain::Hosting,
    bool,
    Option<chrono::NaiveDate>,
    Option<i64>,
    i64
);

#[cfg(test)]
mod audit_words {
    use super::*;
    use insyn_domain::AuditObject;

    /// The audit log names each kind of object in words (`object-…`), never by its key.
    #[test]
    fn every_kind_of_audited_object_has_its_words_in_both_languages() {
        for lang in [Lang::Sv, Lang::En] {
            for o in AuditObject::ALL {
                let key = format!("object-{}", o.as_str());
                assert_ne!(format(lang, &key, None), key, "{key} in {lang:?}");
            }
        }
    }
}
