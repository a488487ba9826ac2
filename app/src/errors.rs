//! Errors a page or server function can end in, as the user sees them.
//!
//! Policy: a server function maps every failure to one of these variants before it returns.
//! Client errors (not signed in, not allowed, not found) say what happened. Server errors say
//! only that something failed and carry no detail: the detail is logged on the server with the
//! request id, which the page shows so support can find it. The `Display` text is English,
//! for logs; pages show [`AppError::title`], [`AppError::message`] and [`AppError::advice`] in
//! the reader's language.

use i18n::{Lang, t};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("You need to sign in to see this page.")]
    Unauthorized,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("We could not find that page.")]
    NotFound,
    #[error("Flowhost cannot reach its database right now.")]
    Unavailable,
    #[error("Something went wrong on our side.")]
    Internal,
    /// The user made more requests of this kind than Flowhost takes in a minute.
    #[error("Too many requests. Please wait a minute and try again.")]
    TooManyRequests,
    /// The record holds as many of what was added as it may.
    #[error("This record cannot take more of these.")]
    RecordFull,
    /// The Flow service could not be asked to confirm what a widget reported.
    #[error("Power Automate cannot be reached right now.")]
    FlowUnavailable,
    /// The browser could not reach the server or understand its answer.
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::TooManyRequests => 429,
            AppError::RecordFull => 409,
            AppError::Unavailable | AppError::FlowUnavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The error page's title, in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthorized => t!(lang, "error-unauthorized-title"),
            AppError::Forbidden => t!(lang, "error-forbidden-title"),
            AppError::NotFound => t!(lang, "error-not-found-title"),
            AppError::TooManyRequests => t!(lang, "error-too-many-requests-title"),
            AppError::RecordFull => t!(lang, "error-record-full-title"),
            AppError::Unavailable | AppError::FlowUnavailable => {
                t!(lang, "error-unavailable-title")
            }
            AppError::Internal | AppError::Transport(_) => t!(lang, "error-internal-title"),
        }
    }

    /// What happened, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthorized => t!(lang, "error-unauthorized"),
            AppError::Forbidden => t!(lang, "error-forbidden"),
            AppError::NotFound => t!(lang, "error-not-found"),
            AppError::Unavailable => t!(lang, "error-unavailable"),
            AppError::Internal => t!(lang, "error-internal"),
            AppError::TooManyRequests => t!(lang, "error-too-many-requests"),
            AppError::RecordFull => t!(lang, "error-record-full"),
            AppError::FlowUnavailable => t!(lang, "error-flow-unavailable"),
            AppError::Transport(reason) => t!(lang, "error-transport", reason = reason.as_str()),
        }
    }

    /// What to do about it, in `lang`.
    pub fn advice(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthorized => t!(lang, "error-unauthorized-advice"),
            AppError::Forbidden => t!(lang, "error-forbidden-advice"),
            AppError::NotFound => t!(lang, "error-not-found-advice"),
            AppError::Unavailable | AppError::FlowUnavailable => {
                t!(lang, "error-unavailable-advice")
            }
            AppError::TooManyRequests => t!(lang, "error-too-many-requests-advice"),
            AppError::RecordFull => t!(lang, "error-record-full-advice"),
            AppError::Internal | AppError::Transport(_) => t!(lang, "error-internal-advice"),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad arguments come from a hand-made or stale request, not from the pages.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::NotFound,
            ServerFnErrorErr::Request(e) | ServerFnErrorErr::Deserialization(e) => {
                AppError::Transport(e)
            }
            _ => AppError::Internal,
        }
    }
}
