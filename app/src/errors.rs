//! Errors a page or server function can end in, as the user sees them.
//!
//! Policy: a server function maps every failure to one of these variants before it returns.
//! Client errors (not signed in, not allowed, not found) say what happened. Server errors say
//! only that something failed and carry no detail: the detail is logged on the server with the
//! request id, which the page shows so support can find it.

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
            AppError::Unavailable => 503,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "Sign in required",
            AppError::Forbidden => "Access denied",
            AppError::NotFound => "Page not found",
            AppError::Unavailable => "Temporarily unavailable",
            AppError::Internal | AppError::Transport(_) => "Something went wrong",
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
