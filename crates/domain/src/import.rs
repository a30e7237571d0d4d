//! The records of a spreadsheet import: the fields a column can hold, a
//! row's normalised values and the issues found in it. Plain data and the
//! pure rules on it; reading files is `insyn-io`'s, storing records the
//! store's, so the store need not compile the spreadsheet libraries.

use crate::{DocLink, Hosting, Lifecycle, SystemDraft};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! fields {
    ($($variant:ident = $key:literal => [$($syn:literal),* $(,)?]),+ $(,)?) => {
        /// A system attribute that an imported column can hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),+ }

        impl Field {
            /// Every field, in the order of a full export.
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// A stable key (snake_case), for remembered mappings and message keys.
            pub fn key(self) -> &'static str {
                match self { $(Field::$variant => $key),+ }
            }

            pub fn parse(key: &str) -> Option<Field> {
                match key.trim() { $($key => Some(Field::$variant),)+ _ => None }
            }

            /// Column titles (Swedish and English) this field is recognised by,
            /// besides its key.
            pub fn synonyms(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$($syn),*]),+ }
            }
        }
    };
}

fields! {
    Office = "office" => ["kontor", "förvaltning", "office", "administration", "directorate"],
    Department = "department" => ["avdelning", "department", "division"],
    Unit = "unit" => ["enhet", "ansvarig enhet", "unit", "responsible unit", "sektion"],
    Name = "name" => [
        "it-systemets namn", "systemets namn", "systemnamn", "namn", "system", "it-system",
        "applikation", "applikationens namn", "applikationsnamn", "name", "system name",
        "application",
    ],
    ShortName = "short_name" => ["kortnamn", "förkortning", "akronym", "short name", "abbreviation"],
    Description = "description" => ["beskrivning", "kort beskrivning", "description"],
    Purpose = "purpose" => ["syfte", "ändamål", "purpose"],
    SystemOwner = "system_owner" => ["systemägare", "ägare", "system owner", "owner"],
    SystemManager = "system_manager" => ["systemförvaltare", "förvaltare", "system manager"],
    SystemResponsible = "system_responsible" => [
        "systemansvarig", "ansvarig", "system responsible", "responsible",
    ],
    SystemAdministrator = "system_administrator" => [
        "systemadministratör", "administratör", "lokal administratör", "system administrator",
        "administrator",
    ],
    ContactPerson = "contact_person" => [
        "kontaktperson", "systemkontaktperson", "kontakt", "contact person", "contact",
        "system contact", "system contact person",
    ],
    UserCount = "user_count" => [
        "antal användare", "användare", "user count", "users", "number of users",
    ],
    BusinessCritical = "business_critical" => [
        "verksamhetskritiskt", "verksamhetskritisk", "kritiskt", "business critical", "critical",
    ],
    GoLiveDate = "go_live_date" => [
        "driftsättningsdatum", "driftsatt", "driftsättning", "driftstart", "i drift sedan",
        "i drift från", "go-live date", "go live", "in operation since",
    ],
    EndDate = "end_date" => [
        "avvecklingsdatum", "avvecklas", "slutdatum", "end date", "decommissioning date",
    ],
    Vendor = "vendor" => ["leverantör", "vendor", "supplier"],
    Product = "product" => ["produkt", "programvara", "product", "software"],
    Version = "version" => ["version", "versionsnummer"],
    Hosting = "hosting" => [
        "driftform", "driftsform", "drift", "driftmiljö", "driftplats", "hosting",
    ],
    Lifecycle = "lifecycle" => ["status", "livscykel", "livscykelstatus", "fas", "lifecycle", "state"],
    LicenceModel = "licence_model" => [
        "licensmodell", "licensform", "licence model", "license model", "licensing",
    ],
    LicenceCount = "licence_count" => [
        "antal licenser", "licenser", "licence count", "license count", "licences", "licenses",
        "number of licences", "number of licenses",
    ],
    EscalationRoute = "escalation_route" => [
        "felanmälningsväg", "felhanteringsväg", "felhantering", "eskaleringsväg", "eskalering",
        "felanmälan", "error-handling route", "escalation route", "escalation",
    ],
    DocLink = "doc_links" => [
        "dokumentation", "dokumentation och användarhandledningar", "användarhandledning",
        "dokumentationslänk", "länk", "länkar", "manual", "documentation",
        "documentation and user guides", "user guide", "doc link", "links", "link", "url",
    ],
    Capabilities = "capabilities" => [
        "förmågor", "förmåga", "funktioner", "verksamhetsförmågor", "capabilities",
    ],
    Tags = "tags" => ["taggar", "etiketter", "nyckelord", "kategori", "tags", "keywords"],
    Notes = "notes" => [
        "anteckningar", "anteckning", "kommentar", "kommentarer", "övrigt", "anmärkning",
        "notes", "comments", "remarks",
    ],
}

impl Field {
    /// The role code (as in `insyn_domain::DEFAULT_ROLE_TYPES`) of a person column.
    pub fn role_code(self) -> Option<&'static str> {
        Some(match self {
            Field::SystemOwner => crate::SYSTEM_OWNER,
            Field::SystemManager => "system_manager",
            Field::SystemResponsible => "system_responsible",
            Field::SystemAdministrator => "system_administrator",
            Field::ContactPerson => "system_contact",
            _ => return None,
        })
    }

    /// The field a column title names, if any.
    pub fn from_title(title: &str) -> Option<Field> {
        let key = header_key(title);
        if key.is_empty() {
            return None;
        }
        let found = Field::ALL.iter().copied().find(|f| {
            header_key(f.key()) == key || f.synonyms().iter().any(|s| header_key(s) == key)
        });
        found.or_else(|| {
            // "Systemägare (namn)", "Antal användare (ca)": try without a trailing note.
            let t = title.trim_end();
            let open = t.strip_suffix(')')?.rfind('(')?;
            Field::from_title(&t[..open]).filter(|_| open > 0)
        })
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Field::parse(&key).ok_or_else(|| serde::de::Error::custom(format!("unknown field {key:?}")))
    }
}

/// A column title reduced for comparison: lower case, Swedish letters folded
/// (å, ä → a; ö → o; é → e), hyphenation at line breaks joined, a trailing
/// "(Ja/Nej)" dropped, and everything but letters and digits removed.
/// "Verksam-\nhetskri-\ntiskt\n(Ja/Nej)" and "Verksamhetskritiskt" give the same key.
pub fn header_key(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut t = lower.trim();
    for suffix in ["(ja/nej)", "(j/n)", "(yes/no)", "(y/n)", "ja/nej", "(x)"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end();
            break;
        }
    }
    t.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c => c,
        })
        .collect()
}

/// How bad an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The value could not be used; the row should not be imported as it is.
    Error,
    /// The value was used, but was guessed at or changed.
    Warning,
}

/// A problem with one cell (or with the row, in the name column).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// 1-based, as the spreadsheet shows it.
    pub row: usize,
    /// The column's title as in the file ("" if the file has no such column).
    pub column: String,
    pub field: Option<Field>,
    pub severity: Severity,
    /// A message key starting with "import-" (see `insyn_io::ISSUE_CODES`).
    pub code: &'static str,
    /// The cell's value as in the file.
    pub value: String,
}

/// One person named in a person column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonCell {
    pub name: String,
    pub title: Option<String>,
    /// Lower case.
    pub email: Option<String>,
}

/// A row's values, normalised. Texts are trimmed; single-line fields have
/// their line breaks folded into spaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Values {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub purpose: Option<String>,
    pub office: Option<String>,
    pub department: Option<String>,
    pub unit: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub licence_model: Option<String>,
    pub escalation_route: Option<String>,
    pub notes: Option<String>,
    pub user_count: Option<i64>,
    pub licence_count: Option<i64>,
    pub business_critical: Option<bool>,
    pub go_live_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub hosting: Option<Hosting>,
    pub lifecycle: Option<Lifecycle>,
    /// http(s) addresses only.
    pub doc_links: Vec<String>,
    /// A set: trimmed, without duplicates (ignoring case), sorted.
    pub capabilities: Vec<String>,
    /// A set, like `capabilities`.
    pub tags: Vec<String>,
    /// (role code as in `insyn_domain::DEFAULT_ROLE_TYPES`, person), in column order.
    pub people: Vec<(&'static str, PersonCell)>,
}

impl Values {
    /// The system draft these values describe, with the draft's defaults for
    /// what the row leaves out. Units, the product and people need the
    /// database and are left to the caller.
    pub fn to_draft(&self) -> SystemDraft {
        let mut d = SystemDraft::named(self.name.as_deref().unwrap_or(""));
        d.short_name = self.short_name.clone();
        d.description = self.description.clone();
        d.purpose = self.purpose.clone();
        d.vendor = self.vendor.clone();
        d.version = self.version.clone();
        d.licence_model = self.licence_model.clone();
        d.escalation_route = self.escalation_route.clone();
        d.notes = self.notes.clone();
        d.user_count = self.user_count;
        d.licence_count = self.licence_count;
        d.business_critical = self.business_critical.unwrap_or(false);
        d.go_live_date = self.go_live_date;
        d.end_date = self.end_date;
        if let Some(h) = self.hosting {
            d.hosting = h;
        }
        if let Some(l) = self.lifecycle {
            d.lifecycle = l;
        }
        d.doc_links = self
            .doc_links
            .iter()
            .map(|url| DocLink {
                label: String::new(),
                url: url.clone(),
            })
            .collect();
        d.capabilities = self.capabilities.clone();
        d.tags = self.tags.clone();
        d
    }
}

/// One data row below the header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// 1-based, as the spreadsheet shows it.
    pub row: usize,
    pub values: Values,
    pub issues: Vec<Issue>,
    /// The row (1-based) this row's name already appeared in, if any.
    pub duplicate_of: Option<usize>,
}

impl Record {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}
