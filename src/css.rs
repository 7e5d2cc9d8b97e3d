//! CSS lengths written and read through the browser's `Number`: Rust's float formatting and
//! parsing would add kilobytes to the download that shows the tags.

/// `12.54` as `"12.5px"`, to a tenth of a pixel.
pub fn px(value: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let mut text = js_sys::Number::from(value).to_fixed(1).map(String::from).unwrap_or_else(|_| "0".to_owned());
    #[cfg(not(target_arch = "wasm32"))]
    let mut text = format!("{value:.1}");
    text.push_str("px");
    text
}

/// The number a CSS value starts with (`"12"`, `"-3.5"`, `"12px"`: 12), or `None` when it
/// does not start with one. Values read here are computed styles, which the browser writes.
pub fn number(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    let value = js_sys::Number::parse_float(text);
    #[cfg(not(target_arch = "wasm32"))]
    let value = {
        let end = text.trim_start().find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c))).unwrap_or(text.trim_start().len());
        text.trim_start()[..end].parse::<f64>().unwrap_or(f64::NAN)
    };
    value.is_finite().then_some(value)
}

/// A computed length such as `"12px"` in pixels; 0 when it is not one.
pub fn px_value(text: &str) -> f64 {
    number(text).unwrap_or(0.0)
}
