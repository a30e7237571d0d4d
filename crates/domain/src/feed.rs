//! The change feed (issue 21): which entries of an organisation's audit
//! trail a reader of its register may follow, and which of their fields.
//! The store reads the trail in `seq` order and applies these rules; the
//! words (`create`, `archive`, `remove` …) are the trail's own
//! ([`crate::AuditAction`], [`crate::AuditObject`]).

/// How many events a page of the feed has unless the caller asks for another number.
pub const FEED_DEFAULT_LIMIT: u32 = 100;
/// The most events a page of the feed has.
pub const FEED_MAX_LIMIT: u32 = 1000;

/// Objects whose changes never enter the feed: accounts, tokens and the
/// webhook subscriptions (their addresses and secrets are the
/// administrators' own), whoever reads.
const NEVER: [&str; 3] = ["user", "api_token", "webhook_subscription"];

/// Objects seen only by a caller who sees all of the organisation's
/// incidents (`incident::may_see` decides for the others, one incident at
/// a time, which a feed cannot).
const INCIDENTS: [&str; 1] = ["incident"];

/// What the caller may see beyond the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedScope {
    /// Every incident of the organisation (administrators and the
    /// security coordinator, or everyone when the organisation lets readers see them).
    pub incidents: bool,
}

/// The object types of the trail a caller with `scope` never sees, for the
/// store's query.
pub fn hidden_object_types(scope: FeedScope) -> Vec<&'static str> {
    let mut hidden: Vec<&'static str> = NEVER.to_vec();
    if !scope.incidents {
        hidden.extend(INCIDENTS);
    }
    hidden
}

/// Whether a caller with `scope` may follow changes to `object_type`.
pub fn visible(object_type: &str, scope: FeedScope) -> bool {
    !hidden_object_types(scope).contains(&object_type)
}

/// Whether a field of a change is left out wherever it appears: secrets,
/// passwords, token and key material, hashes.
pub fn key_hidden(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "secret", "token", "hash", "sha256", "key_id"]
        .iter()
        .any(|w| k.contains(w))
}

/// Whether the action removed the object: the event is a tombstone, the
/// object is gone from the register (an archived object stays, with
/// `archived: true`).
pub fn is_tombstone(action: &str) -> bool {
    action == crate::AuditAction::Remove.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_tokens_and_subscriptions_are_never_in_the_feed() {
        let all = FeedScope { incidents: true };
        for t in ["user", "api_token", "webhook_subscription"] {
            assert!(!visible(t, all), "{t}");
        }
        assert!(visible("system", FeedScope::default()));
        assert!(visible("role_assignment", FeedScope::default()));
    }

    #[test]
    fn incidents_only_for_who_sees_them_all() {
        assert!(!visible("incident", FeedScope::default()));
        assert!(visible("incident", FeedScope { incidents: true }));
    }

    #[test]
    fn secret_keys_are_hidden_and_ordinary_ones_not() {
        for k in [
            "password_hash",
            "secret",
            "client_secret",
            "token_hash",
            "audit_imported_sha256",
            "Password",
        ] {
            assert!(key_hidden(k), "{k}");
        }
        for k in ["name", "archived", "email", "end_date", "unit_id"] {
            assert!(!key_hidden(k), "{k}");
        }
    }

    #[test]
    fn only_a_removal_is_a_tombstone() {
        assert!(is_tombstone("remove"));
        assert!(!is_tombstone("archive"));
        assert!(!is_tombstone("update"));
    }
}
