//! The public register (R-TRACE-2): which kinds of a system's fields an
//! organisation shows the public, with the defaults under the principle of
//! public access and OSL, and what a system looks like once every field it
//! keeps secret is emptied. The store applies this before any entry leaves
//! it, so secret values never reach the pages, the search or the exports.

use crate::model::System;
use std::collections::BTreeSet;

/// Declares [`PublicField`] from one table: each kind's variant, its code
/// and whether it is secret by default.
macro_rules! public_fields {
    ($($variant:ident = $code:literal, $secret:literal;)+) => {
        /// A kind of field that an organisation marks public or secret.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum PublicField { $($variant),+ }

        impl PublicField {
            /// Every kind, in the order the secrecy settings list them.
            pub const ALL: [PublicField; [$($code),+].len()] = [$(PublicField::$variant),+];

            /// The code stored and used in the API (`short_name`, `role_holders` …).
            pub const fn as_str(self) -> &'static str {
                match self { $(PublicField::$variant => $code),+ }
            }

            /// Whether the kind is secret until the organisation says otherwise.
            pub const fn secret_by_default(self) -> bool {
                match self { $(PublicField::$variant => $secret),+ }
            }
        }
    };
}

// Security details (whether a system is business critical, its version,
// hosting, escalation route, documentation links and notes, its
// classification, plan and approval) are secret by default (OSL 18:8, 18:13);
// the rest is public under the principle of public access. Each organisation
// decides.
public_fields! {
    Name = "name", false;
    ShortName = "short_name", false;
    Description = "description", false;
    Purpose = "purpose", false;
    ResponsibleUnit = "responsible_unit", false;
    UsingUnits = "using_units", false;
    Vendor = "vendor", false;
    Product = "product", false;
    Lifecycle = "lifecycle", false;
    GoLiveDate = "go_live_date", false;
    EndDate = "end_date", false;
    PersonalData = "personal_data", false;
    BusinessCritical = "business_critical", true;
    UserCount = "user_count", false;
    Licences = "licences", false;
    Capabilities = "capabilities", false;
    Tags = "tags", false;
    Version = "version", true;
    Hosting = "hosting", true;
    EscalationRoute = "escalation_route", true;
    DocLinks = "doc_links", true;
    Notes = "notes", true;
    Classification = "classification", true;
    SecurityPlan = "security_plan", true;
    Approval = "approval", true;
    RoleHolders = "role_holders", false;
}

use PublicField::*;

impl PublicField {
    /// The kinds the public register shows as columns (when public), in its
    /// order. The classification, plan and approval are never columns.
    pub const COLUMNS: [PublicField; 23] = [
        Name,
        ShortName,
        Purpose,
        Description,
        ResponsibleUnit,
        UsingUnits,
        Vendor,
        Product,
        Lifecycle,
        GoLiveDate,
        EndDate,
        PersonalData,
        BusinessCritical,
        UserCount,
        Licences,
        Capabilities,
        Tags,
        RoleHolders,
        Version,
        Hosting,
        EscalationRoute,
        DocLinks,
        Notes,
    ];

    pub fn parse(code: &str) -> Option<PublicField> {
        PublicField::ALL.into_iter().find(|f| f.as_str() == code)
    }
}

/// Every kind of field (its code) with whether it is secret by default, in
/// the order of [`PublicField::ALL`].
pub const FIELD_SECRECY_DEFAULTS: &[(&str, bool)] = &{
    let mut out = [("", false); PublicField::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        let f = PublicField::ALL[i];
        out[i] = (f.as_str(), f.secret_by_default());
        i += 1;
    }
    out
};

/// The kinds of field one organisation shows the public.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Secrecy {
    public: BTreeSet<PublicField>,
}

impl Secrecy {
    /// From an organisation's markings, (field code, secret): a kind is public
    /// only when marked so; one not marked, or unknown, is not.
    pub fn from_marks(marks: &[(String, bool)]) -> Secrecy {
        Secrecy {
            public: marks
                .iter()
                .filter(|(_, secret)| !secret)
                .filter_map(|(f, _)| PublicField::parse(f))
                .collect(),
        }
    }

    /// The markings of an organisation that has changed nothing.
    pub fn defaults() -> Secrecy {
        Secrecy {
            public: PublicField::ALL
                .into_iter()
                .filter(|f| !f.secret_by_default())
                .collect(),
        }
    }

    pub fn is_public(&self, f: PublicField) -> bool {
        self.public.contains(&f)
    }

    /// The register's columns this organisation shows, in order.
    pub fn columns(&self) -> impl Iterator<Item = PublicField> + '_ {
        PublicField::COLUMNS
            .into_iter()
            .filter(|f| self.is_public(*f))
    }

    /// The system with every field of a secret kind emptied. Lifecycle and
    /// hosting have no empty value: their columns are simply not shown.
    /// Personal data and role holders are not fields of [`System`]: whoever
    /// reads them asks [`Secrecy::is_public`] first.
    pub fn redact(&self, mut s: System) -> System {
        for f in PublicField::ALL.into_iter().filter(|f| !self.is_public(*f)) {
            match f {
                Name => s.name = String::new(),
                ShortName => s.short_name = None,
                Description => s.description = None,
                Purpose => s.purpose = None,
                ResponsibleUnit => s.responsible_unit_id = None,
                UsingUnits => s.using_unit_ids.clear(),
                Vendor => s.vendor = None,
                Product => s.product_id = None,
                GoLiveDate => s.go_live_date = None,
                EndDate => s.end_date = None,
                BusinessCritical => s.business_critical = false,
                UserCount => s.user_count = None,
                Licences => {
                    s.licence_model = None;
                    s.licence_count = None;
                }
                Capabilities => s.capabilities.clear(),
                Tags => s.tags.clear(),
                Version => s.version = None,
                EscalationRoute => s.escalation_route = None,
                DocLinks => s.doc_links.clear(),
                Notes => s.notes = None,
                Lifecycle | Hosting | PersonalData | RoleHolders | Classification
                | SecurityPlan | Approval => {}
            }
        }
        s
    }
}

/// The text a public search looks in: the searchable fields of a system
/// (redacted first, so that only public values are found), lower case.
pub fn search_text(s: &System) -> String {
    let optional = [&s.short_name, &s.description, &s.purpose, &s.vendor];
    std::iter::once(&s.name)
        .chain(optional.into_iter().flatten())
        .chain(&s.capabilities)
        .chain(&s.tags)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" \n ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OrgId, ProductId, SystemId, UnitId};
    use crate::model::{self, DocLink};
    use uuid::Uuid;

    /// A system with a value in every field that can hold one.
    fn full() -> System {
        let at = chrono::DateTime::UNIX_EPOCH;
        System {
            id: SystemId(Uuid::nil()),
            org_id: OrgId(Uuid::nil()),
            name: "Procapita".into(),
            short_name: Some("PC".into()),
            description: Some("Verksamhetssystem".into()),
            purpose: Some("Socialtjänst".into()),
            responsible_unit_id: Some(UnitId(Uuid::nil())),
            using_unit_ids: vec![UnitId(Uuid::nil())],
            vendor: Some("CGI".into()),
            product_id: Some(ProductId(Uuid::nil())),
            version: Some("9.1".into()),
            hosting: model::Hosting::Saas,
            user_count: Some(120),
            business_critical: true,
            lifecycle: model::Lifecycle::InOperation,
            go_live_date: Some("2015-03-01".parse().unwrap()),
            end_date: Some("2030-12-31".parse().unwrap()),
            licence_model: Some("per user".into()),
            licence_count: Some(150),
            doc_links: vec![DocLink {
                label: "Manual".into(),
                url: "https://example.org".into(),
            }],
            escalation_route: Some("Ring jouren".into()),
            capabilities: vec!["Journal".into()],
            tags: vec!["Vård".into()],
            notes: Some("Hemlig anteckning".into()),
            archived: false,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn codes_and_defaults_are_one_list() {
        for f in PublicField::ALL {
            assert_eq!(PublicField::parse(f.as_str()), Some(f));
        }
        assert_eq!(PublicField::parse("nonsense"), None);
        assert_eq!(FIELD_SECRECY_DEFAULTS.len(), 26);
        assert_eq!(FIELD_SECRECY_DEFAULTS[0], ("name", false));
        assert_eq!(FIELD_SECRECY_DEFAULTS[18], ("hosting", true));
        assert_eq!(FIELD_SECRECY_DEFAULTS[25], ("role_holders", false));
        let secret: Vec<&str> = FIELD_SECRECY_DEFAULTS
            .iter()
            .filter(|(_, s)| *s)
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            secret,
            [
                "business_critical",
                "version",
                "hosting",
                "escalation_route",
                "doc_links",
                "notes",
                "classification",
                "security_plan",
                "approval"
            ]
        );
        // Every column is a kind of field, and no column twice.
        let cols: BTreeSet<PublicField> = PublicField::COLUMNS.into_iter().collect();
        assert_eq!(cols.len(), PublicField::COLUMNS.len());
    }

    #[test]
    fn by_default_security_details_are_emptied_and_the_rest_kept() {
        let d = Secrecy::defaults();
        let s = d.redact(full());
        assert_eq!(s.name, "Procapita");
        assert_eq!(s.purpose.as_deref(), Some("Socialtjänst"));
        assert_eq!(s.vendor.as_deref(), Some("CGI"));
        assert_eq!(s.user_count, Some(120));
        assert_eq!(s.tags, ["Vård"]);
        assert_eq!(s.version, None);
        assert_eq!(s.escalation_route, None);
        assert!(s.doc_links.is_empty());
        assert_eq!(s.notes, None);
        assert!(!s.business_critical);
        assert!(!d.is_public(PublicField::Hosting));
        assert!(d.is_public(PublicField::PersonalData));
        let cols: Vec<&str> = d.columns().map(PublicField::as_str).collect();
        assert_eq!(cols.len(), 17);
        assert!(!cols.contains(&"hosting") && !cols.contains(&"notes"));
        assert_eq!(cols[..4], ["name", "short_name", "purpose", "description"]);
    }

    #[test]
    fn marked_secret_is_emptied_unmarked_or_unknown_is_not_public() {
        let marks = vec![
            ("purpose".to_owned(), true),
            ("notes".to_owned(), false),
            ("licences".to_owned(), true),
            ("no_such_field".to_owned(), false),
        ];
        let m = Secrecy::from_marks(&marks);
        assert!(m.is_public(PublicField::Notes));
        assert!(!m.is_public(PublicField::Purpose));
        // Not marked at all: not public.
        assert!(!m.is_public(PublicField::Name));
        let s = m.redact(full());
        assert_eq!(s.notes.as_deref(), Some("Hemlig anteckning"));
        assert_eq!(s.purpose, None);
        assert_eq!((s.licence_model, s.licence_count), (None, None));
        assert_eq!(s.name, "");
        assert_eq!(m.columns().collect::<Vec<_>>(), [PublicField::Notes]);
    }

    #[test]
    fn a_search_sees_only_what_is_left_after_redaction() {
        assert_eq!(
            search_text(&full()),
            "procapita \n pc \n verksamhetssystem \n socialtjänst \n cgi \n journal \n vård"
        );
        let mut marks: Vec<(String, bool)> = FIELD_SECRECY_DEFAULTS
            .iter()
            .map(|(f, s)| ((*f).to_owned(), *s))
            .collect();
        marks
            .iter_mut()
            .for_each(|m| m.1 |= m.0 == "purpose" || m.0 == "tags");
        let text = search_text(&Secrecy::from_marks(&marks).redact(full()));
        assert!(!text.contains("socialtjänst") && !text.contains("vård"));
        assert!(text.contains("procapita"));
        // Secret by default and not searchable: notes, version.
        assert!(!search_text(&Secrecy::defaults().redact(full())).contains("hemlig"));
    }
}
