//! The binary itself: `--list`, argument errors and an unreachable backend (the checks against
//! a real backend run in `server/tests/protocol.rs`).

use std::process::Command;

fn tool(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_shoppable-conformance")).args(args).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn list_prints_every_check_with_its_rule() {
    let (code, out) = tool(&["--list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), shoppable_conformance::checks::all_checks().len());
    assert!(out.lines().any(|l| l.starts_with("idempotency.replay-201 ")), "{out}");
}

#[test]
fn a_webhook_listener_needs_the_secret() {
    let (code, out) = tool(&["--base-url", "http://127.0.0.1:9", "--webhook-listen", "127.0.0.1:0"]);
    assert_eq!(code, 2);
    assert!(out.contains("--webhook-secret"), "{out}");
}

#[test]
fn an_unreachable_backend_fails_every_check_that_runs() {
    // Port 9 (discard) on loopback: nothing answers.
    let (code, out) = tool(&["--base-url", "http://127.0.0.1:9", "--only", "config.", "--only", "errors.shape"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.lines().any(|l| l == "0 passed, 2 failed, 0 skipped"), "{out}");
    assert!(!out.contains("\npass "), "{out}");
}
