//! Links that come from a backend or a page are only followed when they are http(s).

/// True when `url` is an absolute `http:` or `https:` URL, or a path relative to the page
/// (`/shop/lamp`, `lamp.html`). `javascript:`, `data:` and every other scheme are refused,
/// whatever their case or the white space and control characters around them.
pub fn is_safe_link(url: &str) -> bool {
    // Browsers drop ASCII tab and newlines anywhere in a URL and trim control characters and
    // spaces at its ends, so "java\tscript:" is a javascript: URL: compare on that form.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() || cleaned.starts_with("//") || cleaned.starts_with("\\") {
        // Protocol-relative URLs inherit the page's scheme: allowed only when written out.
        return false;
    }
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            (scheme == "http" || scheme == "https") && cleaned[i..].starts_with("://")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe_link;

    #[test]
    fn follows_http_links_and_relative_paths() {
        for url in ["https://shop.example/lamp", "HTTP://shop.example", "/p/lamp", "lamp.html", "p?id=1"] {
            assert!(is_safe_link(url), "{url}");
        }
    }

    #[test]
    fn refuses_script_and_other_schemes() {
        for url in [
            "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\u{1}javascript:x",
            "data:text/html,<script>", "vbscript:x", "file:///etc/passwd", "", "  ", "//evil.example",
            "https:evil", "mailto:a@b.c",
        ] {
            assert!(!is_safe_link(url), "{url:?}");
        }
    }
}
