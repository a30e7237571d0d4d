//! What the service form offers and looks up: the organisation's units,
//! and suppliers, people, systems and contracts by name (each bounded, for
//! a `<select>` or a `<datalist>`); a person found by their exact name or
//! e-mail address.

use crate::db::{Queryable, Result};
use crate::{Store, name_key, params};
use insyn_domain::*;

/// The service form's choices.
#[derive(Debug, Clone, Default)]
pub struct ServiceFormChoices {
    pub suppliers: Vec<String>,
    pub people: Vec<String>,
    pub systems: Vec<String>,
    /// (contract, its name, its supplier's name)
    pub contracts: Vec<(ContractId, String, String)>,
}

impl Store {
    /// The names and contracts the service form suggests, each at most `limit`.
    pub async fn it_service_form_choices(
        &self,
        org: OrgId,
        limit: i64,
    ) -> Result<ServiceFormChoices> {
        let mut read = self.db.read();
        let mut names = async |sql: &str| {
            read.all(sql, params![org.0, limit], |r| r.text("name"))
                .await
        };
        let suppliers =
            names("SELECT name FROM suppliers WHERE org_id = $1 ORDER BY name_key, id LIMIT $2")
                .await?;
        let people = names(
            "SELECT name FROM people WHERE org_id = $1 AND active = TRUE ORDER BY name_key, id LIMIT $2",
        )
        .await?;
        let systems = names(
            "SELECT name FROM systems WHERE org_id = $1 AND archived = FALSE ORDER BY name_key, id LIMIT $2",
        )
        .await?;
        let contracts = self
            .db
            .read()
            .all(
                "SELECT c.id, c.name, s.name AS supplier_name FROM contracts c JOIN suppliers s ON s.id = c.supplier_id \
                 WHERE c.org_id = $1 ORDER BY s.name_key, c.name, c.id LIMIT $2",
                params![org.0, limit],
                |r| {
                    Ok((
                        ContractId(r.uuid("id")?),
                        r.text("name")?,
                        r.text("supplier_name")?,
                    ))
                },
            )
            .await?;
        Ok(ServiceFormChoices {
            suppliers,
            people,
            systems,
            contracts,
        })
    }

    /// The active person with exactly this name (or e-mail address), if
    /// there is one and only one.
    pub async fn person_named(&self, org: OrgId, text: &str) -> Result<Option<PersonId>> {
        let ids = self
            .db
            .read()
            .all(
                "SELECT id FROM people WHERE org_id = $1 AND active = TRUE \
                 AND (name_key = $2 OR LOWER(email) = $3) ORDER BY id LIMIT 2",
                params![org.0, name_key(text), text.trim().to_lowercase()],
                |r| r.uuid("id"),
            )
            .await?;
        Ok(match ids.as_slice() {
            [id] => Some(PersonId(*id)),
            _ => None,
        })
    }
}
