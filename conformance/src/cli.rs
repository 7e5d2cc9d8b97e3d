//! The command line: `shoppable-conformance --base-url URL [--admin-token T]
//! [--webhook-listen ADDR --webhook-secret S] [--origin ORIGIN] [--only PREFIX]...`.

use std::io::Write;
use std::panic::AssertUnwindSafe;

use clap::Parser;
use futures_util::FutureExt;

use crate::checks::{Ctx, all_checks};
use crate::webhooks::Receiver;
use crate::{Check, Http, Outcome, Problem};

/// Checks a Shoppable backend against docs/PROTOCOL.md, one rule at a time.
#[derive(Parser, Debug)]
#[command(name = "shoppable-conformance", version)]
pub struct Args {
    /// The backend's base URL; the protocol lives under its `/v1/` (e.g. https://shop.example/api).
    #[arg(long, value_name = "URL", required_unless_present = "list")]
    pub base_url: Option<String>,
    /// The admin token of the (optional) admin API, used to create products and posts with known
    /// stock. Without it the checks that need them are skipped.
    #[arg(long, value_name = "TOKEN")]
    pub admin_token: Option<String>,
    /// Receive the backend's webhooks on this address (e.g. 127.0.0.1:9900) and check them; the
    /// backend must be configured to send them to http://ADDR/ with --webhook-secret's secret.
    #[arg(long, value_name = "ADDR", requires = "webhook_secret")]
    pub webhook_listen: Option<String>,
    /// The secret the backend signs its webhooks with.
    #[arg(long, value_name = "SECRET", requires = "webhook_listen")]
    pub webhook_secret: Option<String>,
    /// An origin the backend allows by CORS (e.g. https://blog.example); without it the CORS
    /// checks are skipped.
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Option<String>,
    /// Run only the checks whose id starts with this (repeatable), e.g. `--only idempotency.`.
    #[arg(long, value_name = "PREFIX")]
    pub only: Vec<String>,
    /// List the checks and their rules, and exit.
    #[arg(long)]
    pub list: bool,
}

/// Runs the tool: prints one line per check and the summary line
/// `N passed, M failed, K skipped`; returns the exit code (0 only when nothing failed, 2 for
/// bad arguments).
pub async fn run<I, T>(args: I, out: &mut (dyn Write + Send)) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(error) => {
            let _ = write!(out, "{error}");
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    let checks: Vec<_> =
        all_checks().into_iter().filter(|c| args.only.is_empty() || args.only.iter().any(|p| c.id.starts_with(p.as_str()))).collect();
    if args.list {
        for check in &checks {
            let _ = writeln!(out, "{:<44} {}", check.id, check.rule);
        }
        return 0;
    }
    if checks.is_empty() {
        let _ = writeln!(out, "no check matches --only {:?}", args.only);
        return 2;
    }
    let webhooks = match (&args.webhook_listen, &args.webhook_secret) {
        (Some(listen), Some(secret)) => match Receiver::start(listen, secret).await {
            Ok(receiver) => {
                let _ = writeln!(out, "receiving webhooks on http://{}/", receiver.address);
                Some(receiver)
            }
            Err(error) => {
                let _ = writeln!(out, "cannot listen on {listen}: {error}");
                return 2;
            }
        },
        _ => None,
    };
    let ctx = Ctx::new(Http::new(args.base_url.as_deref().unwrap_or_default()), args.admin_token.clone(), args.origin.clone(), webhooks);
    let _ = writeln!(out, "checking {} against docs/PROTOCOL.md (protocol v1)", ctx.http.base);
    report(&checks, &ctx, out).await
}

/// Runs the checks one after the other, printing each outcome and the summary line; the exit
/// code.
pub async fn report(checks: &[Check], ctx: &Ctx, out: &mut (dyn Write + Send)) -> i32 {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for check in checks {
        // A check that panics on an answer it did not foresee fails alone; the run goes on.
        let outcome = match AssertUnwindSafe((check.run)(ctx)).catch_unwind().await {
            Ok(Ok(())) => Outcome::Pass,
            Ok(Err(Problem::Fail(why))) => Outcome::Fail(why),
            Ok(Err(Problem::Skip(why))) => Outcome::Skip(why),
            Err(panic) => {
                let why = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                Outcome::Fail(format!("the check stopped on an unexpected answer: {}", why.unwrap_or_default()))
            }
        };
        let _ = match &outcome {
            Outcome::Pass => {
                passed += 1;
                writeln!(out, "pass     {}", check.id)
            }
            Outcome::Fail(why) => {
                failed += 1;
                writeln!(out, "FAIL     {}  ({})\n         {why}", check.id, check.rule)
            }
            Outcome::Skip(why) => {
                skipped += 1;
                writeln!(out, "skipped  {}: {why}", check.id)
            }
        };
        let _ = out.flush();
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed, {skipped} skipped");
    i32::from(failed > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn passes(_: &Ctx) -> crate::CheckResult {
        Ok(())
    }

    async fn panics(_: &Ctx) -> crate::CheckResult {
        let answers: Vec<u8> = Vec::new();
        assert!(answers.get(3).is_some(), "no fourth answer");
        Ok(())
    }

    async fn skips(_: &Ctx) -> crate::CheckResult {
        Err(Problem::Skip("needs something".into()))
    }

    #[tokio::test]
    async fn a_panicking_check_fails_alone_and_skips_are_not_passes() {
        let checks = [
            crate::checks::check!("a.panics", "panics", panics),
            crate::checks::check!("b.skips", "skips", skips),
            crate::checks::check!("c.passes", "passes", passes),
        ];
        let ctx = Ctx::new(Http::new("http://127.0.0.1:9"), None, None, None);
        let mut out = Vec::new();
        let code = report(&checks, &ctx, &mut out).await;
        let out = String::from_utf8(out).unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("FAIL     a.panics") && out.contains("no fourth answer"), "{out}");
        assert!(out.contains("skipped  b.skips: needs something"), "{out}");
        assert!(out.lines().any(|l| l == "1 passed, 1 failed, 1 skipped"), "{out}");
    }
}
