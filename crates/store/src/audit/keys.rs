//! The secrets that seal the trail: one active key, older ones kept to
//! verify what they sealed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The shortest secret accepted as an audit key (in characters).
pub const MIN_KEY_LEN: usize = 32;

/// One secret that seals audit entries and checkpoints. Its id, derived from
/// the secret, is stored with each entry; the secret never is.
#[derive(Clone)]
pub struct AuditKey {
    id: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id)
    }
}

impl AuditKey {
    /// A key from its secret (at least [`MIN_KEY_LEN`] characters, no spaces).
    pub fn new(secret: &str) -> std::result::Result<AuditKey, String> {
        let secret = secret.trim();
        if secret.chars().count() < MIN_KEY_LEN || secret.chars().any(char::is_whitespace) {
            return Err(format!(
                "an audit key must be at least {MIN_KEY_LEN} characters without spaces \
                 (make one with `insyn audit rotate-key`)"
            ));
        }
        let mut h = Sha256::new();
        h.update(b"insyn-audit-key-id\n");
        h.update(secret.as_bytes());
        Ok(AuditKey {
            id: format!("k{}", &hex::encode(h.finalize())[..12]),
            secret: secret.as_bytes().to_vec(),
        })
    }

    /// The key's id as entries and checkpoints name it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// HMAC-SHA256 of `message`, in hex.
    pub fn mac(&self, message: &[u8]) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .expect("HMAC takes a key of any length");
        m.update(message);
        hex::encode(m.finalize().into_bytes())
    }
}

/// The installation's audit keys: the active one seals new entries, the
/// ones before it (after a rotation) verify older entries.
#[derive(Clone, Debug)]
pub struct AuditKeys {
    /// Oldest first; the last is active. Never empty.
    keys: Vec<AuditKey>,
}

impl AuditKeys {
    /// Keys from the text of a key file or `INSYN_AUDIT_KEY`: secrets
    /// separated by line breaks or spaces, lines starting with `#` ignored;
    /// the last one is the active key.
    pub fn parse(text: &str) -> std::result::Result<AuditKeys, String> {
        let mut keys: Vec<AuditKey> = vec![];
        for secret in text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
        {
            let k = AuditKey::new(secret)?;
            keys.retain(|o| o.id != k.id);
            keys.push(k);
        }
        if keys.is_empty() {
            return Err("no audit key in it".into());
        }
        Ok(AuditKeys { keys })
    }

    /// The key that seals new entries.
    pub fn active(&self) -> &AuditKey {
        self.keys.last().expect("never empty")
    }

    pub fn get(&self, id: &str) -> Option<&AuditKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The ids, oldest first.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }
}

/// A new random secret for an audit key (256 bits, hex).
pub fn new_key_secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    hex::encode(b)
}
