//! Where the browser goes after sign-in: only a path on Flowhost itself, never another site.

/// `raw` if it is a local path (with its query), else `/`.
pub fn local_path(raw: Option<&str>) -> String {
    let Some(raw) = raw else {
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
            match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
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
