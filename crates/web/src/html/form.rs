//! The plain forms: a form of a few fields ([`SimpleForm`]) and the field
//! types it shows.

use super::*;

/// One field of a [`SimpleForm`].
pub struct FormField {
    pub name: &'static str,
    /// Message key of the label.
    pub label: &'static str,
    /// text, email, select or checkbox.
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    /// (value, shown text) for selects.
    pub options: Vec<(String, String)>,
}

impl FormField {
    pub fn text(name: &'static str, label: &'static str, value: String, required: bool) -> Self {
        Self {
            name,
            label,
            kind: "text",
            value,
            required,
            options: vec![],
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn select(
        name: &'static str,
        label: &'static str,
        value: String,
        options: Vec<(String, String)>,
    ) -> Self {
        Self {
            name,
            label,
            kind: "select",
            value,
            required: false,
            options,
        }
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }
}

/// A plain form of a few fields (people, units), with an error summary.
#[derive(Template)]
#[template(path = "simple_form.html")]
pub struct SimpleForm {
    pub c: Chrome,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub fields: Vec<FormField>,
    pub errors: FieldErrors,
}

impl SimpleForm {
    pub fn has_err(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }

    pub fn err(&self, field: &str) -> String {
        self.c.field_error(&self.errors, field)
    }

    pub fn label_of(&self, field: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.name == field)
            .map(|f| self.c.t(f.label))
            .unwrap_or_else(|| field.to_owned())
    }

    /// Shows the form: 200 when fresh, 422 when it comes back with errors.
    pub fn respond(self) -> Response {
        form_page(&self.errors, &self)
    }
}

/// The units of an organisation as select options, indented by depth.
pub fn unit_options(units: Vec<Unit>) -> Vec<(String, String)> {
    insyn_store::units_tree_order(units)
        .into_iter()
        .map(|(u, depth)| {
            (
                u.id.to_string(),
                format!("{}{}", "\u{a0}\u{a0}".repeat(depth), u.name),
            )
        })
        .collect()
}
