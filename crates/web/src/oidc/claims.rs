//! What the provider says about the person: the roles claim mapped to
//! application roles ([`RoleMap`]), and the grants it gives.

use super::Oidc;
use insyn_domain::{AppRole, Grant};
use insyn_store::{Store, StoreError};

/// One rule of the role mapping: a value of the roles claim gives an
/// application role, in one organisation (by slug) or in all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRule {
    pub value: String,
    pub role: AppRole,
    pub org: Option<String>,
}

/// `value=role[@org-slug],…`, e.g.
/// `insyn-admins=administrator,insyn-socialtjanst=editor@socialtjanst`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap(pub Vec<RoleRule>);

impl RoleMap {
    /// Parses the mapping. The role is what follows the last `=`, so a
    /// value may itself contain `=`; entries are separated by commas.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut rules = vec![];
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (value, target) = entry.rsplit_once('=').ok_or_else(|| {
                format!("role mapping entry {entry:?} is not of the form value=role[@org-slug]")
            })?;
            let (role, org) = match target.split_once('@') {
                Some((r, o)) => (r, Some(o.trim().to_owned()).filter(|o| !o.is_empty())),
                None => (target, None),
            };
            let role = AppRole::parse(role).ok_or_else(|| {
                format!(
                    "unknown role {:?} in role mapping entry {entry:?}: use administrator, security_coordinator, editor or reader",
                    role.trim()
                )
            })?;
            let value = value.trim();
            if value.is_empty() {
                return Err(format!("role mapping entry {entry:?} has no claim value"));
            }
            rules.push(RoleRule {
                value: value.to_owned(),
                role,
                org,
            });
        }
        Ok(Self(rules))
    }

    /// The rules that the claim values match.
    pub fn matching<'a>(&'a self, values: &'a [String]) -> impl Iterator<Item = &'a RoleRule> {
        self.0.iter().filter(|r| values.contains(&r.value))
    }
}

/// Who the provider says signed in.
#[derive(Debug)]
pub(super) struct Person {
    pub(super) subject: String,
    /// Whether the e-mail address may be believed: verified by the provider
    /// (or the provider is trusted for its addresses).
    pub(super) email_trusted: bool,
    pub(super) email: String,
    pub(super) name: String,
    pub(super) roles: Vec<String>,
}

impl Oidc {
    /// The grants the role mapping gives for these claim values. An
    /// organisation that does not exist (any more) is left out, with a warning.
    pub(super) async fn grants(
        &self,
        store: &Store,
        roles: &[String],
    ) -> Result<Vec<Grant>, StoreError> {
        let mut grants: Vec<Grant> = vec![];
        for rule in self.settings.role_map.matching(roles) {
            let org_id = match &rule.org {
                None => None,
                Some(slug) => match store.org_by_slug(slug).await {
                    Ok(o) => Some(o.id),
                    Err(StoreError::NotFound) => {
                        tracing::warn!(org = %slug, value = %rule.value, "the OpenID Connect role mapping names an organisation that does not exist: ignored");
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            let g = Grant {
                org_id,
                role: rule.role,
            };
            if !grants.contains(&g) {
                grants.push(g);
            }
        }
        Ok(grants)
    }
}
