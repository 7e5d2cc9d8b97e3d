//! Two jobs for the widget's build:
//! - keeps the relocations in the linked wasm: `wasm-split-cli` needs them to cut the module
//!   into the tags and the lazy chunks (see `src/chunks.rs` and scripts/build-widget.sh);
//! - writes each language's words (src/i18n/words.in) as a file the widget fetches,
//!   `$OUT_DIR/words/words.<lang>.<hash>.json`, and `$OUT_DIR/word_files.rs`, their names and
//!   Subresource Integrity for the widget (src/i18n.rs). It fails on a missing translation.

use std::fmt::Write as _;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The rows of src/i18n/words.in as `(key, [fr, en, de, es, it])`: a row without five words
/// does not compile.
macro_rules! texts {
    ($($key:ident => [$fr:expr, $en:expr, $de:expr, $es:expr, $it:expr $(,)?]),* $(,)?) => {
        const WORDS: &[(&str, [&str; 5])] = &[$((stringify!($key), [$fr, $en, $de, $es, $it])),*];
    };
}
include!("src/i18n/words.in");

/// In the order of `Lang` (src/i18n.rs).
const LANGS: [&str; 5] = ["fr", "en", "de", "es", "it"];

fn main() {
    println!("cargo:rerun-if-changed=src/i18n/words.in");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(fetched_words)");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") && std::env::var("CARGO_FEATURE_SPLIT").is_ok() {
        // The release build: the words are fetched, not compiled in (src/i18n.rs).
        println!("cargo:rustc-cfg=fetched_words");
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
        // Not `--no-merge-data-segments` (leptos-rs/cargo-leptos#679): measured, it made the
        // tags 4.5 KB and the purchase 11 KB larger (gzip), see docs/BENCHMARKS.md.
    }
    if let Err(missing) = check(WORDS) {
        panic!("src/i18n/words.in: {missing}");
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dir = out.join("words");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("OUT_DIR/words");
    let mut files = String::from("/// Each language's words file and its integrity, in the order of `Lang` (build.rs).\n");
    files.push_str("const WORD_FILES: [(&str, &str); 5] = [\n");
    for (index, lang) in LANGS.iter().enumerate() {
        let json = words_json(WORDS.iter().map(|(_, words)| words[index]));
        let hash: String = Sha256::digest(json.as_bytes()).iter().take(5).map(|b| format!("{b:02x}")).collect();
        let name = format!("words.{lang}.{hash}.json");
        // sha256, not sha384: base64 does not compress, and every integrity is in the download.
        let integrity = format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(json.as_bytes())));
        std::fs::write(dir.join(&name), &json).expect("a words file");
        let _ = writeln!(files, "    ({name:?}, {integrity:?}),");
    }
    files.push_str("];\n");
    std::fs::write(out.join("word_files.rs"), files).expect("word_files.rs");
}

/// What makes a row incomplete: an empty text, German, Spanish and Italian all left as in
/// English, or a language with other `{}` than French (a value would go missing).
fn check(rows: &[(&str, [&str; 5])]) -> Result<(), String> {
    for (key, words) in rows {
        if let Some(index) = words.iter().position(|word| word.trim().is_empty()) {
            return Err(format!("{key} is empty in {}", LANGS[index]));
        }
        let [_, en, de, es, it] = words;
        if de == en && es == en && it == en {
            return Err(format!("{key} is left in English in de, es and it"));
        }
        let values = |word: &str| word.matches("{}").count();
        if let Some(index) = words.iter().position(|word| values(word) != values(words[0])) {
            return Err(format!("{key} has another number of {{}} in {} than in fr", LANGS[index]));
        }
    }
    Ok(())
}

/// `["Fermer","Close",...]`: a JSON array of strings.
fn words_json<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut json = String::from("[");
    for (index, word) in words.enumerate() {
        if index > 0 {
            json.push(',');
        }
        json.push('"');
        for c in word.chars() {
            match c {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(json, "\\u{:04x}", u32::from(c));
                }
                c => json.push(c),
            }
        }
        json.push('"');
    }
    json.push(']');
    json
}
