//! The frame every page is drawn in: language, where the user is, the
//! organisation, and the words and numbers templates print.

use super::*;

/// What the layout needs on every page.
pub struct Chrome {
    pub lang: Lang,
    /// The current path and query, for the language switch to come back to.
    pub here: String,
    pub org: Option<Organisation>,
    /// Which main navigation entry is current.
    pub section: &'static str,
    /// The signed-in user's name.
    pub me: Option<String>,
    /// Whether the user administers the whole installation.
    pub admin: bool,
    /// The user's role in the current organisation.
    pub role: Option<AppRole>,
}

impl Chrome {
    pub fn new(lang: Lang, uri: &Here, org: Option<Organisation>, section: &'static str) -> Self {
        let role = match (&uri.me, &org) {
            (Some(me), Some(o)) => me.role_in(o.id),
            _ => None,
        };
        Self {
            lang,
            here: uri.path_and_query(),
            org,
            section,
            me: uri.me.as_ref().map(|p| p.user.name.clone()),
            admin: uri.me.as_ref().is_some_and(|p| p.is_installation_admin()),
            role,
        }
    }

    /// The fields an audit entry changed, by name.
    pub fn changed_fields(&self, e: &AuditEvent) -> String {
        e.changes
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    }

    /// Whether the signed-in user administers this organisation.
    pub fn administers(&self) -> bool {
        self.role.is_some_and(|r| r.allows(Permission::Administer))
    }

    /// Whether the signed-in user may change this organisation's register.
    pub fn can_edit(&self) -> bool {
        self.role
            .is_some_and(|r| r.allows(Permission::EditRegister))
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?next={}",
            self.lang.other().code(),
            urlencode(&self.here)
        )
    }

    pub fn org_slug(&self) -> &str {
        self.org.as_ref().map(|o| o.slug.as_str()).unwrap_or("")
    }

    pub fn lifecycle(&self, l: impl Val<Lifecycle>) -> String {
        self.lang.t(&format!("lifecycle-{}", l.val().as_str()))
    }

    pub fn hosting(&self, h: impl Val<Hosting>) -> String {
        self.lang.t(&format!("hosting-{}", h.val().as_str()))
    }

    pub fn yes_no(&self, b: impl Val<bool>) -> String {
        self.lang.t(if b.val() { "yes" } else { "no" })
    }

    pub fn date(&self, d: impl Val<Option<NaiveDate>>) -> String {
        d.val().map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn count(&self, n: impl Val<Option<i64>>) -> String {
        n.val().map(group_digits).unwrap_or_default()
    }

    pub fn role_name(&self, a: &AssignmentView) -> String {
        a.role_name(self.lang.code()).to_owned()
    }

    pub fn field_error(&self, errors: &FieldErrors, field: &str) -> String {
        errors
            .get_error(field)
            .map(|e| self.lang.field_message(e))
            .unwrap_or_default()
    }
}

/// 1250 → "1 250", as Swedish writes numbers (a no-break space).
pub fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
