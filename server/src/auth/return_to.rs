//! Where the browser goes after sign-in: only a path on Flowhost itself, never another site.

/// The longest page to come back to that is kept; a longer one goes to `/`. It travels in the
/// pending sign-in, which the session holds until the callback.
pub const MAX_LEN: usize = 2048;

/// `raw` if it is a local path (with its query) of at most [`MAX_LEN`] bytes, else `/`.
pub fn local_path(raw: Option<&str>) -> String {
    let Some(raw) = raw.filter(|raw| raw.len() <= MAX_LEN) else {
        return "/".into();
    };
    // `//host` and `/\host` are other sites to browsers; control characters hide tricks.
    let suspicious = !raw.starts_with('/')
        || raw.starts_with("//")
        || raw.contains('\\')
        || raw.chars().any(char::is_control);
    if suspicious {
        return "/".into();
    }
    let base = url::Url::parse("http://flowhost.invalid/").expect("a valid base");
    // Judged after normalisation too: `/..//evil.example` normalises to `//evil.example`.
    match base.join(raw) {
        Ok(url)
            if url.origin() == base.origin()
                && !url.path().starts_with("//")
                && !url.path().contains('\\')
                && !url.path().starts_with("/auth/") =>
        {
            let path = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            };
            // Normalising may escape characters, which lengthens the path.
            if path.len() <= MAX_LEN {
                path
            } else {
                "/".into()
            }
        }
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn local_paths_are_kept_with_their_query() {
        assert_eq!(local_path(Some("/accounts/3")), "/accounts/3");
        assert_eq!(
            local_path(Some("/accounts?q=a%20b&page=2")),
            "/accounts?q=a%20b&page=2"
        );
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn a_path_longer_than_2_kb_goes_home() {
        let long = |len: usize| format!("/accounts?q={}", "a".repeat(len - 12));
        assert_eq!(local_path(Some(&long(2048))), long(2048));
        assert_eq!(local_path(Some(&long(2049))), "/");
        // Within the limit as given, beyond it once escaped.
        let spaces = format!("/accounts?q={}", "a b".repeat(500));
        assert_eq!(local_path(Some(&spaces)), "/");
    }

    #[test]
    fn anything_that_could_leave_flowhost_goes_home() {
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "accounts",
            "/%0d%0aSet-Cookie:x",
            "/\r\nLocation: https://evil.example",
            "/auth/login?return_to=/",
            "/auth/logout",
            "/..//evil.example",
            "/.//evil.example",
            "/%2e%2e//evil.example",
            "/a/..//evil.example",
            "/a/../..//evil.example/x?y",
            "",
        ] {
            let kept = local_path(Some(bad));
            assert!(kept == "/" || !kept.contains('\n'), "{bad:?} gave {kept:?}");
            assert!(
                !kept.contains("evil") && !kept.starts_with("/auth/"),
                "{bad:?} gave {kept:?}"
            );
        }
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("//evil.example/x")), "/");
    }
}
