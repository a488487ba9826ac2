//! RSA signing keys, their JWK form and RS256 JWT signing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use sha2::Sha256;

#[derive(Clone)]
pub struct Key {
    /// Also the `x5t`: Azure AD's key ids are the certificate's SHA-1 thumbprint.
    pub kid: String,
    public: RsaPublicKey,
    signing: SigningKey<Sha256>,
}

impl Key {
    pub fn generate() -> Key {
        let private =
            RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("RSA key generation works");
        let public = private.to_public_key();
        // There is no certificate, so the thumbprint is taken over the SubjectPublicKeyInfo.
        let spki = public.to_public_key_der().expect("RSA keys encode");
        let kid = b64(Sha1::digest(spki.as_bytes()));
        Key {
            kid,
            public,
            signing: SigningKey::new(private),
        }
    }

    /// The JWK as Azure AD publishes it: no `alg`, `kid` == `x5t`, a per-key `issuer`. `x5c`
    /// is left out because the sandbox has no certificates.
    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": b64(self.public.n().to_bytes_be()),
            "e": b64(self.public.e().to_bytes_be()),
            "issuer": issuer,
        })
    }

    pub fn public_pem(&self) -> String {
        self.public
            .to_public_key_pem(LineEnding::LF)
            .expect("RSA keys encode")
    }

    /// The v2 header; v1 tokens also carry `x5t`.
    pub fn header(&self, with_x5t: bool) -> Value {
        let mut header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid});
        if with_x5t {
            header["x5t"] = json!(self.kid);
        }
        header
    }

    /// Whether `signature` is this key's RS256 signature over `input`.
    pub fn verifies(&self, input: &str, signature: &[u8]) -> bool {
        use rsa::signature::Verifier;
        let key = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(self.public.clone());
        rsa::pkcs1v15::Signature::try_from(signature)
            .is_ok_and(|sig| key.verify(input.as_bytes(), &sig).is_ok())
    }

    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = signing_input(header, claims);
        let signature = self.signing.sign(input.as_bytes());
        format!("{input}.{}", b64(signature.to_bytes()))
    }
}

pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(header.to_string()), b64(claims.to_string()))
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
