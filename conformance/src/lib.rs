//! Conformance checks of the Shoppable protocol v1 (`docs/PROTOCOL.md`), run over HTTP
//! against any backend. Each check is named after the rule of the document it verifies
//! (`idempotency.replay-201`); it passes, fails, or is skipped with the reason.
//!
//! The binary (`cargo run -p shoppable-conformance -- --base-url URL`) and the reference
//! server's own tests (`server/tests/protocol.rs`) both run these checks through [`cli::run`].

pub mod checks;
pub mod cli;
pub mod http;
pub mod webhooks;

use std::future::Future;
use std::pin::Pin;

pub use http::{Http, Response};

/// Why a check did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The backend breaks the rule: what was seen.
    Fail(String),
    /// The check could not run against this backend: why (never counted as a pass).
    Skip(String),
}

pub type CheckResult = Result<(), Problem>;

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = CheckResult> + Send + 'a>>;

/// One rule of PROTOCOL.md and the code that checks it.
pub struct Check {
    /// The rule's id, as written in PROTOCOL.md (`idempotency.replay-201`).
    pub id: &'static str,
    /// The rule in a few words.
    pub rule: &'static str,
    pub run: for<'a> fn(&'a checks::Ctx) -> CheckFuture<'a>,
}

/// Fails the check with a formatted message.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => { return Err($crate::Problem::Fail(format!($($arg)*))) };
}

/// Fails the check unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => { if !$cond { $crate::fail!($($arg)*); } };
}

/// Fails the check unless both sides are equal, showing both.
#[macro_export]
macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($arg:tt)*) => {
        match (&$left, &$right) {
            (left, right) => {
                if left != right {
                    $crate::fail!("{}: got {:?}, expected {:?}", format!($($arg)*), left, right);
                }
            }
        }
    };
}
