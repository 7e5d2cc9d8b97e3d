//! Links that come from a backend or a page are only followed when they are http(s).

/// True when `url` is an absolute `http:` or `https:` URL, or a path relative to the page
/// (`/shop/lamp`, `lamp.html`). `javascript:`, `data:` and every other scheme are refused,
/// whatever their case or the white space and control characters around them.
pub fn is_safe_link(url: &str) -> bool {
    // Browsers drop ASCII tab and newlines anywhere in a URL and trim control characters and
    // spaces at its ends, so "java\tscript:" is a javascript: URL: compare on that form.
    // They also read `\` as `/` in http(s) URLs, so `/\evil.example` is `//evil.example`.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let backslash_first = url.trim_start_matches(|c: char| c <= ' ').starts_with('\\');
    if cleaned.is_empty() || cleaned.starts_with("//") || backslash_first {
        // Protocol-relative URLs (`//host`, `/\host`, `\\host`) lead to another site: refused,
        // and so is any path written with a backslash first.
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

/// True when `url` is a complete `http://` or `https://` address with a host, and no white
/// space, control character or markup (`<`, `>`, `"`, `` ` ``, which a real address has
/// percent-encoded): what a link pasted into another site or an e-mail needs (a relative path
/// would change meaning).
pub fn is_web_address(url: &str) -> bool {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !url.contains(|c: char| c <= ' ' || c.is_control() || matches!(c, '\\' | '<' | '>' | '"' | '`'))
        && is_safe_link(url)
}

#[cfg(test)]
mod tests {
    use super::{is_safe_link, is_web_address};

    #[test]
    fn follows_http_links_and_relative_paths() {
        for url in ["https://shop.example/lamp", "HTTP://shop.example", "/p/lamp", "lamp.html", "p?id=1"] {
            assert!(is_safe_link(url), "{url}");
        }
    }

    #[test]
    fn refuses_script_and_other_schemes() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            "",
            "  ",
            "//evil.example",
            "https:evil",
            "mailto:a@b.c",
        ] {
            assert!(!is_safe_link(url), "{url:?}");
        }
    }

    #[test]
    fn refuses_backslash_and_double_slash_tricks_that_leave_the_site() {
        for url in [
            "/\\evil.example/phish",
            "\\/evil.example",
            "\\\\evil.example",
            "\\evil.example",
            "/\t/evil.example",
            " //evil.example",
            "/\n\\evil.example",
        ] {
            assert!(!is_safe_link(url), "{url:?}");
        }
        // Still fine: a backslash later in a path, and absolute URLs written out.
        for url in ["/p/a\\b", "https:\\\\shop.example/lamp"] {
            assert!(is_safe_link(url), "{url:?}");
        }
    }

    #[test]
    fn web_addresses_are_complete_http_urls() {
        for url in ["https://shop.example/lamp?c=1", "HTTP://shop.example", " https://a.b "] {
            assert!(is_web_address(url), "{url:?}");
        }
        for url in [
            "/p/lamp",
            "lamp.html",
            "https://",
            "https:///path",
            "http://exa mple.com",
            "https://a.b/\tx",
            "javascript:alert(1)",
            "ftp://a.b",
            "https:\\\\a.b",
            "//a.b",
            "https://a.b/x\r\nBcc: c@d.e",
            "https://a.b/<script>alert(1)</script>",
            "https://a.b/\"onmouseover=\"x",
            "https://a.b/`x`",
            "https://a.b/\u{85}x",
        ] {
            assert!(!is_web_address(url), "{url:?}");
        }
    }
}
