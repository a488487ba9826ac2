//! Encoding text for the places pages put it: a URL component, HTML text or an attribute.
//! One implementation of each, for the server and the browser alike.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;

/// What JavaScript's `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `text` encoded exactly as JavaScript's `encodeURIComponent` encodes it: every UTF-8 byte
/// outside the unreserved set above as `%XX`, in upper case. Fit for a query value, a path
/// segment or a fragment.
pub fn uri_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// `text` escaped for HTML: `& < > " '` become character references, so it is safe both as
/// element text and inside a quoted attribute value.
pub fn html(text: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_components_are_encoded_as_encode_uri_component_does() {
        for (text, encoded) in [
            ("", ""),
            ("Coho & co/100%", "Coho%20%26%20co%2F100%25"),
            ("A-Z a-z 0-9", "A-Z%20a-z%200-9"),
            ("-_.!~*'()", "-_.!~*'()"),
            ("#$&+,/:;=?@[]", "%23%24%26%2B%2C%2F%3A%3B%3D%3F%40%5B%5D"),
            ("\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D"),
            ("/accounts?q=a b", "%2Faccounts%3Fq%3Da%20b"),
            ("é", "%C3%A9"),
            ("€", "%E2%82%AC"),
            ("😀", "%F0%9F%98%80"),
            ("\n\t\u{7f}", "%0A%09%7F"),
        ] {
            assert_eq!(uri_component(text), encoded, "{text:?}");
        }
    }

    #[test]
    fn every_ascii_byte_is_encoded_unless_unreserved() {
        for b in 0u8..128 {
            let c = char::from(b);
            let kept = c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c);
            let expected = if kept {
                c.to_string()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(uri_component(&c.to_string()), expected, "{b:#x}");
        }
    }

    #[test]
    fn html_escapes_markup_and_both_quotes() {
        assert_eq!(
            html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/a&gt;"
        );
        assert!(matches!(html("plain text"), Cow::Borrowed(_)));
    }
}
