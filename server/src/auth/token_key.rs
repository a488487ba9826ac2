//! Refresh tokens are kept in the session store encrypted (AES-256-GCM), bound to their user,
//! so a copy of the database alone gives no one a way into Azure AD.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore as _;
use std::sync::Arc;

const NONCE_LEN: usize = 12;

/// Shared: the cipher holds its expanded key schedule.
#[derive(Clone)]
pub struct TokenKey(Arc<Aes256Gcm>);

#[derive(Debug, PartialEq, Eq)]
pub struct BadKey;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the sealed token cannot be opened with this key for this user")]
pub struct Unsealable;

impl TokenKey {
    /// 32 bytes in standard or URL-safe base64.
    pub fn from_base64(text: &str) -> Result<TokenKey, BadKey> {
        let text = text.trim();
        let bytes = STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
            .map_err(|_| BadKey)?;
        Aes256Gcm::new_from_slice(&bytes)
            .map(|cipher| TokenKey(Arc::new(cipher)))
            .map_err(|_| BadKey)
    }

    /// A new random key in base64, for demo mode.
    pub fn generate_base64() -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        STANDARD.encode(bytes)
    }

    /// Encrypts `secret` for `owner` (the user it belongs to).
    pub fn seal(&self, secret: &str, owner: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: owner.as_bytes(),
        };
        let sealed = self
            .0
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encrypts any message shorter than 64 GiB");
        URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
    }

    pub fn open(&self, sealed: &str, owner: &str) -> Result<String, Unsealable> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| Unsealable)?;
        if bytes.len() < NONCE_LEN {
            return Err(Unsealable);
        }
        let (nonce, message) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: message,
            aad: owner.as_bytes(),
        };
        let plain = self
            .0
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| Unsealable)?;
        String::from_utf8(plain).map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::from_base64(&TokenKey::generate_base64()).unwrap()
    }

    #[test]
    fn a_sealed_token_opens_only_for_its_owner_and_key() {
        let key = key();
        let sealed = key.seal("refresh-token-value", "tid:oid");
        assert!(!sealed.contains("refresh-token-value"));
        assert_eq!(key.open(&sealed, "tid:oid").unwrap(), "refresh-token-value");
        assert_eq!(key.open(&sealed, "tid:other"), Err(Unsealable));
        assert_eq!(self::key().open(&sealed, "tid:oid"), Err(Unsealable));
        assert_ne!(
            key.seal("same", "o"),
            key.seal("same", "o"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(TokenKey::from_base64("c2hvcnQ=").is_err());
        assert!(TokenKey::from_base64("not base64!").is_err());
        assert!(TokenKey::from_base64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").is_ok());
    }
}
