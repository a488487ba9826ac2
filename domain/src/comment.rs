//! Comments on tickets: written by a person on the ticket page, or by a flow through the REST
//! API on behalf of the person whose connection it runs on.

use crate::ticket::TicketId;
use crate::validation::{self, FieldErrors};
use i18n::Msg;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommentId(pub i64);

impl From<i64> for CommentId {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

word_enum!(CommentVia, "field-comment-via", {
    Person => "person", "comment-via-person",
    Flow => "flow", "comment-via-flow",
});

pub const COMMENT_MAX: usize = 4_000;

/// The comment form as submitted on a ticket's page: raw text, to be shown again if refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInput {
    #[serde(default)]
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "db", derive(sqlx::FromRow))]
pub struct Comment {
    #[cfg_attr(feature = "db", sqlx(try_from = "i64"))]
    pub id: CommentId,
    #[cfg_attr(feature = "db", sqlx(try_from = "i64"))]
    pub ticket_id: TicketId,
    pub body: String,
    /// The display name of the person who wrote it, or on whose behalf a flow wrote it.
    pub author_name: String,
    /// That person's Azure AD object id (unique within the tenant).
    pub author_object_id: String,
    #[cfg_attr(feature = "db", sqlx(try_from = "String"))]
    pub via: CommentVia,
    pub created_at: OffsetDateTime,
}

/// Who a new comment is written by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub object_id: String,
    pub via: CommentVia,
}

/// A comment that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComment {
    pub body: String,
    pub author: Author,
}

impl NewComment {
    /// `raw` as submitted in the field `text`: 1 to [`COMMENT_MAX`] characters once trimmed.
    pub fn parse(raw: &str, author: Author) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let body = validation::text(
            &mut errors,
            "text",
            Msg::new("field-comment"),
            raw,
            1,
            COMMENT_MAX,
        );
        errors.into_result(|| NewComment { body, author })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Lang;

    fn alex() -> Author {
        Author {
            name: "Alex Wilber".into(),
            object_id: "a1".into(),
            via: CommentVia::Flow,
        }
    }

    #[test]
    fn a_comment_is_trimmed_and_bounded() {
        let comment = NewComment::parse("  Approved by Adele \n", alex()).unwrap();
        assert_eq!(comment.body, "Approved by Adele");
        assert!(NewComment::parse(&"x".repeat(COMMENT_MAX), alex()).is_ok());
        let errors = NewComment::parse(&"x".repeat(COMMENT_MAX + 1), alex()).unwrap_err();
        assert_eq!(
            errors.get("text").map(|m| m.show(Lang::En)).as_deref(),
            Some("Comment must be at most 4000 characters (it has 4001).")
        );
        let errors = NewComment::parse("   ", alex()).unwrap_err();
        assert_eq!(
            errors.get("text").map(|m| m.show(Lang::Nl)).as_deref(),
            Some("Opmerking is verplicht.")
        );
    }
}
