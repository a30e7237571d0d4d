//! Signing as the Standard Webhooks specification says: the secret is
//! `whsec_` and the base64 of its key bytes; a delivery carries
//! `webhook-id` (the same on every retry), `webhook-timestamp` (Unix
//! seconds, of this attempt) and `webhook-signature`: `v1,` and the base64
//! of HMAC-SHA256 over `id.timestamp.body` with the key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The prefix of a secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(b))
}

/// The `webhook-id` of a delivery: the same on every attempt, so a
/// receiver can tell a retry from a new message.
pub fn webhook_id(delivery: Uuid) -> String {
    format!("msg_{}", delivery.simple())
}

/// The key bytes of a secret (`whsec_` and base64; a secret without the
/// prefix is taken as base64 too).
fn key(secret: &str) -> Vec<u8> {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD
        .decode(b64)
        .unwrap_or_else(|_| secret.as_bytes().to_vec())
}

/// The `webhook-signature` header of a message: `v1,<base64>`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key(secret)).expect("HMAC takes any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether one of the space-separated signatures of a header is the
/// message's (what a receiver checks; the tests' receiver uses it).
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let expected = sign(secret, id, timestamp, body);
    header.split(' ').any(|s| {
        s.len() == expected.len()
            && s.bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries.
    #[test]
    fn the_specifications_example_signs_the_same() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_signature_verifies_and_a_changed_body_does_not() {
        let s = new_secret();
        assert!(s.starts_with(SECRET_PREFIX));
        let h = sign(&s, "msg_1", 5, b"{}");
        assert!(verify(&s, "msg_1", 5, b"{}", &format!("v1,bogus {h}")));
        assert!(!verify(&s, "msg_1", 5, b"{ }", &h));
        assert!(!verify(&s, "msg_1", 6, b"{}", &h));
    }
}
