//! Everything the identity provider remembers between requests, and what `/_sandbox/reset`
//! puts back.

use std::collections::{HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::forge::Forge;
use super::graph::GraphState;
use super::graph::fixture::Fixture;
use super::keys::Key;
use crate::directory::Directory;

pub struct Mutable {
    /// Every key published since start; the last one signs.
    pub keys: Vec<Key>,
    /// Tenant ids with tenant-wide admin consent, which grants the app its application
    /// permissions too.
    pub consented: HashSet<String>,
    /// Tenant ids whose administrators withdrew the app's application permissions.
    pub app_permissions_withdrawn: HashSet<String>,
    pub codes: HashMap<String, Code>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub clock_offset: i64,
    pub lifetimes: Lifetimes,
    pub token_mode: TokenMode,
    pub forge: Option<Forge>,
    pub stats: Stats,
    pub graph: GraphState,
}

impl Mutable {
    pub fn new(directory: &Directory, licences: &Fixture) -> Mutable {
        Mutable {
            keys: vec![Key::generate()],
            consented: directory
                .tenants
                .iter()
                .filter(|t| t.admin_consented)
                .map(|t| t.id.clone())
                .collect(),
            app_permissions_withdrawn: HashSet::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            clock_offset: 0,
            lifetimes: Lifetimes::default(),
            token_mode: TokenMode::Ok,
            forge: None,
            stats: Stats::default(),
            graph: GraphState::new(licences),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.clock_offset)
    }

    pub fn signing_key(&self) -> &Key {
        self.keys.last().expect("there is always a key")
    }
}

/// An issued authorization code (there is one client) and what it was issued for. Redeemed
/// codes are kept so a second redemption can be told from an unknown code.
pub struct Code {
    pub redirect_uri: String,
    pub upn: String,
    pub scope: String,
    /// Only a request for an ID token has one.
    pub nonce: Option<String>,
    pub challenge: Option<Challenge>,
    pub sid: String,
    pub expires_at: OffsetDateTime,
    pub redeemed: bool,
}

pub struct Challenge {
    pub value: String,
    /// `S256` or `plain`.
    pub method: String,
}

pub struct RefreshToken {
    pub upn: String,
    /// The scope consented at sign-in; later refreshes may ask for any resource in it.
    pub scope: String,
    pub sid: String,
    pub issued_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Lifetimes {
    pub code_seconds: i64,
    pub id_token_seconds: i64,
    pub access_token_seconds: i64,
    pub refresh_token_seconds: i64,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            code_seconds: 600,
            id_token_seconds: 3600,
            access_token_seconds: 3600,
            refresh_token_seconds: 90 * 24 * 3600,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenMode {
    Ok,
    /// Answer 503 `temporarily_unavailable`.
    Error,
    /// Never answer.
    Hang,
    /// Answer once the mode is changed, as the new mode says.
    Hold,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub discovery_requests: u64,
    pub jwks_requests: u64,
    pub authorize_requests: u64,
    pub token_requests: u64,
}

/// An opaque random value of `bytes` bytes, base64url.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}
