//! Uploaded files waiting for their confirmation: the dry run shows what a
//! file would do, and the file waits here (30 minutes, for the user who
//! uploaded it, in the organisation it was uploaded to) until it is
//! confirmed. In the database rather than one server's memory, so that the
//! confirmation may reach another instance than the upload did. Stored by
//! the hash of a random token; at most [`MAX_WAITING`] files wait at once
//! (the oldest goes first) and expired ones are removed whenever a file is
//! put.
//!
//! Like sessions, these rows are not register data: the audit trail records
//! the import a confirmation makes.

use crate::db::{Queryable, Result, now};
use crate::users::{new_secret, secret_hash};
use crate::{Store, StoreError, params};
use insyn_domain::import::Field;
use insyn_domain::{OrgId, SystemId, UserId};

/// How long an upload waits for its confirmation.
pub const KEEP_MINUTES: i64 = 30;
/// At most this many uploads wait at once, in the whole installation.
pub const MAX_WAITING: i64 = 50;

/// What an upload is for, and where alone it may be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadFor {
    /// The organisation's register (the import page).
    Register,
    /// A system's user list (that system's page).
    UserList(SystemId),
    /// An HR file (the HR import page).
    HrFile,
}

impl UploadFor {
    fn kind(self) -> &'static str {
        match self {
            UploadFor::Register => "register",
            UploadFor::UserList(_) => "user_list",
            UploadFor::HrFile => "hr_file",
        }
    }

    fn system(self) -> Option<SystemId> {
        match self {
            UploadFor::UserList(s) => Some(s),
            _ => None,
        }
    }

    fn of(kind: &str, system: Option<SystemId>) -> Option<Self> {
        match (kind, system) {
            ("register", None) => Some(UploadFor::Register),
            ("user_list", Some(s)) => Some(UploadFor::UserList(s)),
            ("hr_file", None) => Some(UploadFor::HrFile),
            _ => None,
        }
    }
}

/// A file waiting for its confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingUpload {
    pub org: OrgId,
    pub user: UserId,
    pub to: UploadFor,
    /// An HR file said to be complete (false for every other file).
    pub hr_complete: bool,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The mapping of every column the dry run used (a register file's).
    pub columns: Vec<Option<Field>>,
}

impl PendingUpload {
    /// A file for `to`, uploaded by `user` in `org`, with no column mapping.
    pub fn new(org: OrgId, user: UserId, to: UploadFor, file_name: String, bytes: Vec<u8>) -> Self {
        Self {
            org,
            user,
            to,
            hr_complete: false,
            file_name,
            bytes,
            columns: vec![],
        }
    }
}

const COLS: &str = "org_id, user_id, system_id, kind, hr_complete, file_name, bytes, columns";

/// The live upload under `token` of `user` in `org`, wherever it is for.
async fn upload(
    q: &mut impl Queryable,
    token: &str,
    org: OrgId,
    user: UserId,
) -> Result<Option<PendingUpload>> {
    let found = q
        .opt(
            &format!(
                "SELECT {COLS} FROM pending_uploads \
                 WHERE token_hash = $1 AND org_id = $2 AND user_id = $3 AND expires_at > $4"
            ),
            params![secret_hash(token), org.0, user.0, now()],
            |r| {
                let system = r.opt_uuid("system_id")?.map(SystemId);
                let Some(to) = UploadFor::of(&r.text("kind")?, system) else {
                    return Ok(None);
                };
                Ok(Some(PendingUpload {
                    org: OrgId(r.uuid("org_id")?),
                    user: UserId(r.uuid("user_id")?),
                    to,
                    hr_complete: r.bool("hr_complete")?,
                    file_name: r.text("file_name")?,
                    bytes: r.bytes("bytes")?,
                    columns: serde_json::from_value(r.json("columns")?)
                        .map_err(|e| StoreError::Column("columns".into(), e.to_string()))?,
                }))
            },
        )
        .await?;
    Ok(found.flatten())
}

fn columns_json(columns: &[Option<Field>]) -> serde_json::Value {
    serde_json::to_value(columns).unwrap_or_default()
}

impl Store {
    /// Keeps an uploaded file (at most `max_bytes`) until it is confirmed;
    /// returns the token that names it.
    pub async fn put_upload(&self, p: &PendingUpload, max_bytes: u64) -> Result<String> {
        if u64::try_from(p.bytes.len()).unwrap_or(u64::MAX) > max_bytes {
            return Err(StoreError::Refused(format!(
                "the file is larger than {max_bytes} bytes"
            )));
        }
        let token = new_secret();
        let at = now();
        let mut tx = self.db.begin().await?;
        crate::expiring::make_room(&mut tx, "pending_uploads", "token_hash", MAX_WAITING, at)
            .await?;
        tx.execute(
            &format!("INSERT INTO pending_uploads (token_hash, {COLS}, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            params![
                secret_hash(&token),
                p.org.0,
                p.user.0,
                p.to.system().map(|s| s.0),
                p.to.kind(),
                p.hr_complete,
                p.file_name.as_str(),
                p.bytes.clone(),
                columns_json(&p.columns),
                at + chrono::Duration::minutes(KEEP_MINUTES)
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The file name and bytes of a waiting register upload, which stays waiting.
    pub async fn peek_upload(
        &self,
        token: &str,
        org: OrgId,
        user: UserId,
    ) -> Result<Option<(String, Vec<u8>)>> {
        Ok(upload(&mut self.db.read(), token, org, user)
            .await?
            .filter(|p| p.to == UploadFor::Register)
            .map(|p| (p.file_name, p.bytes)))
    }

    /// Changes the mapping a waiting upload will be imported with.
    pub async fn set_upload_columns(
        &self,
        token: &str,
        org: OrgId,
        user: UserId,
        columns: &[Option<Field>],
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "UPDATE pending_uploads SET columns = $4 \
             WHERE token_hash = $1 AND org_id = $2 AND user_id = $3",
            params![secret_hash(token), org.0, user.0, columns_json(columns)],
        )
        .await?;
        tx.commit().await
    }

    /// The waiting upload of `user` in `org` for `to`, which waits no more
    /// (taken once, by one instance).
    pub async fn take_upload(
        &self,
        token: &str,
        org: OrgId,
        user: UserId,
        to: UploadFor,
    ) -> Result<Option<PendingUpload>> {
        let mut tx = self.db.begin().await?;
        let Some(p) = upload(&mut tx, token, org, user)
            .await?
            .filter(|p| p.to == to)
        else {
            return Ok(None);
        };
        let taken = tx
            .execute(
                "DELETE FROM pending_uploads WHERE token_hash = $1",
                params![secret_hash(token)],
            )
            .await?;
        tx.commit().await?;
        Ok((taken == 1).then_some(p))
    }
}
