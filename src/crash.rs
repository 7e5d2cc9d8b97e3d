//! What happens when a module fails anyway: a readable message instead of a bare
//! "unreachable", and a dead instance that stays quiet while the loader starts a fresh one.
//!
//! The release build aborts on panic (smaller code), and an aborted wasm instance may hold
//! half-done state (a borrowed `RefCell`, a locked signal). So the panic hook marks the
//! instance dead before the abort, every callback the page can still fire checks
//! [`is_dead`] before touching any state, and the loader (`www/shoppable.js`) re-creates the
//! module and re-mounts the widgets from what the browser's storage keeps (bag, details,
//! pending order).

use std::cell::Cell;

use wasm_bindgen::prelude::*;

thread_local! {
    static DEAD: Cell<bool> = const { Cell::new(false) };
}

#[wasm_bindgen]
extern "C" {
    /// `Shoppable.crashed()` in `www/shoppable.js`: schedules the recovery.
    #[wasm_bindgen(catch, js_namespace = Shoppable, js_name = crashed)]
    fn report_crash() -> Result<(), JsValue>;
}

/// True once this instance has failed: callbacks return at once.
pub fn is_dead() -> bool {
    DEAD.with(Cell::get)
}

/// Marks this instance dead without reporting it (the loader already knows).
pub fn mark_dead() {
    DEAD.with(|dead| dead.set(true));
}

/// Installs the panic hook.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let first = !is_dead();
        mark_dead();
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        let message = format!(
            "Shoppable: the widget failed in {part}: {payload}{place}. It restarts; the bag and the details typed are kept.",
            part = part_of(info.location().map(|l| l.file()).unwrap_or_default()),
            payload = payload(info),
        );
        web_sys::console::error_1(&message.into());
        // Only the first failure of an instance is news; the loader recovers once per instance.
        if first {
            let _ = report_crash();
        }
    }));
}

/// The part of the widget a source file draws, for the message.
fn part_of(file: &str) -> &'static str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let folder = |name: &str| file.contains(&format!("src/{name}/")) || file.contains(&format!("src\\{name}\\"));
    match name {
        _ if file.contains("registry") || file.contains("/rustc/") => "a library it uses",
        _ if folder("card") => "a product card",
        _ if folder("checkout") => "the checkout sheet",
        "overlay.rs" | "placement.rs" | "mount.rs" | "tags.rs" => "the tags",
        "bag.rs" => "the bag",
        "api.rs" => "a request to the shop",
        _ => "the widget",
    }
}

fn payload(info: &std::panic::PanicHookInfo<'_>) -> String {
    if let Some(text) = info.payload().downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = info.payload().downcast_ref::<String>() {
        text.clone()
    } else {
        "internal error".to_owned()
    }
}

/// Called by the loader when this instance trapped without a panic: from now on it does
/// nothing, and the loader replaces it.
#[wasm_bindgen]
pub fn shutdown() {
    mark_dead();
}

/// Test-only: makes this instance fail, by a panic (`"panic"`) or a bare wasm trap
/// (anything else), as a bug would. The recovery tests call it; nothing else does.
#[wasm_bindgen(js_name = failForTests)]
pub fn fail_for_tests(kind: &str) {
    if kind == "panic" {
        panic!("failure forced by a test");
    }
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_failing_part() {
        assert_eq!(part_of("src/card/variants.rs"), "a product card");
        assert_eq!(part_of("src\\overlay.rs"), "the tags");
        assert_eq!(part_of("src/checkout/steps.rs"), "the checkout sheet");
        assert_eq!(part_of("src/i18n.rs"), "the widget");
        assert_eq!(part_of("/home/x/.cargo/registry/src/index/any_spawner-0.3.0/src/lib.rs"), "a library it uses");
    }
}
