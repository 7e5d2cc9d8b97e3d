//! When the widget's work yields to the page: a new task (`scheduler.yield()` where the browser
//! has it) or the task after the next frame. Mounting a feed's widgets in slices that truly
//! reach the event loop keeps a phone responsive (bench/many-images.mjs, issue 25).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `scheduler.yield()`: a new task that runs before other queued work of the page
    /// (a timeout would wait behind it), where the browser has it.
    #[wasm_bindgen(catch, js_namespace = scheduler, js_name = "yield")]
    fn scheduler_yield() -> Result<js_sys::Promise, JsValue>;
}

/// Resolves in a new task, once the browser has handled waiting input and rendering.
pub async fn next_task() {
    let _ = wasm_bindgen_futures::JsFuture::from(new_task()).await;
}

/// Resolves in a task after the browser's next frame, or after 100 ms in a tab that draws no
/// frames (hidden).
pub async fn after_next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    next_task().await;
}

/// A promise resolved in a new task (see `next_task`).
pub fn new_task() -> js_sys::Promise {
    scheduler_yield().unwrap_or_else(|_| {
        js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback(&resolve);
            }
        })
    })
}
