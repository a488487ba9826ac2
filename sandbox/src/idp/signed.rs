//! The part every service of the sandbox checks first in a bearer token: a compact JWT signed
//! with RS256 by one of the identity provider's published keys. Each service then checks its
//! claims (audience, issuer, lifetime, permissions) and words its refusals its own way.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Idp;

/// Why a token is not one of the identity provider's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsigned {
    /// It cannot be read at all (rather than read and not trusted).
    pub malformed: bool,
    /// What is wrong, in the words of a refusal ("its signature does not verify").
    pub why: &'static str,
}

fn malformed(why: &'static str) -> Unsigned {
    Unsigned {
        malformed: true,
        why,
    }
}

fn untrusted(why: &'static str) -> Unsigned {
    Unsigned {
        malformed: false,
        why,
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

impl Idp {
    /// The claims of `token`, if the identity provider signed it.
    pub fn signed_claims<C: DeserializeOwned>(&self, token: &str) -> Result<C, Unsigned> {
        let parts: Vec<&str> = token.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else {
            return Err(malformed("it is not a JWT"));
        };
        let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).ok();
        let header: Header = decode(header)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(malformed("its header cannot be read"))?;
        if header.alg != "RS256" {
            return Err(untrusted("it is not signed with RS256"));
        }
        let kid = header.kid.ok_or(untrusted("it names no signing key"))?;
        let signature = decode(signature).ok_or(malformed("its signature cannot be read"))?;
        let input = &token[..token.rfind('.').expect("three parts")];
        if !self.signed_by_published_key(&kid, input, &signature) {
            return Err(untrusted("its signature does not verify"));
        }
        decode(claims)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(malformed("its claims cannot be read"))
    }
}
