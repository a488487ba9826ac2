//! Deliberately bad ID tokens, for testing that a relying party rejects them.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;

use super::keys::{Key, b64, signing_input};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Forge {
    /// A valid token whose signature bytes are altered.
    BadSignature,
    /// `alg` `none` and an empty signature.
    AlgNone,
    /// HS256 keyed with the signing key's public PEM: the key-confusion attack.
    Hs256,
    WrongAud,
    /// `iss` names another tenant than `tid`.
    WrongIss,
    /// Signed with a fresh key that is never published.
    UnknownKid,
    WrongNonce,
    NoTid,
    /// Expired an hour ago.
    Expired,
}

impl Forge {
    /// Spoils the claims for the kinds that lie in the payload.
    pub fn spoil_claims(self, claims: &mut Value, origin: &str) {
        match self {
            Forge::WrongAud => claims["aud"] = json!(uuid::Uuid::new_v4().to_string()),
            Forge::WrongIss => {
                let other = uuid::Uuid::new_v4();
                claims["iss"] = json!(format!("{origin}/{other}/v2.0"));
            }
            Forge::WrongNonce => claims["nonce"] = json!(super::state::random_token(16)),
            Forge::NoTid => {
                if let Some(map) = claims.as_object_mut() {
                    map.remove("tid");
                }
            }
            Forge::Expired => {
                let exp = claims["iat"].as_i64().unwrap_or_default() - 3600;
                claims["exp"] = json!(exp);
                claims["iat"] = json!(exp - 3600);
                claims["nbf"] = json!(exp - 3600);
            }
            _ => {}
        }
    }

    /// Signs the (possibly spoiled) claims the way this kind asks for.
    pub fn sign(self, key: &Key, claims: &Value) -> String {
        match self {
            Forge::BadSignature => {
                let token = key.sign(&key.header(false), claims);
                let (input, signature) = token.rsplit_once('.').expect("a JWT has dots");
                // Flipping a leading character changes real signature bits, not padding bits.
                let flipped = if signature.starts_with('A') { 'B' } else { 'A' };
                format!("{input}.{flipped}{}", &signature[1..])
            }
            Forge::AlgNone => {
                let header = json!({"typ": "JWT", "alg": "none"});
                format!("{}.", signing_input(&header, claims))
            }
            Forge::Hs256 => {
                let header = json!({"typ": "JWT", "alg": "HS256", "kid": key.kid});
                let input = signing_input(&header, claims);
                let mut mac = Hmac::<Sha256>::new_from_slice(key.public_pem().as_bytes())
                    .expect("HMAC takes any key length");
                mac.update(input.as_bytes());
                format!("{input}.{}", b64(mac.finalize().into_bytes()))
            }
            Forge::UnknownKid => {
                let stranger = Key::generate();
                stranger.sign(&stranger.header(false), claims)
            }
            _ => key.sign(&key.header(false), claims),
        }
    }
}
