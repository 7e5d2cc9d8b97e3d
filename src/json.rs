//! JSON read and written by the browser's own `JSON`, with serde's derives (through
//! serde-wasm-bindgen) mapping it to the protocol's types: a parser and a printer the page
//! already has, instead of serde_json's in every download.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// Parses `text` as a `T`; the error says what was wrong, for a console message.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|error| describe(&error))?;
    from_js(value)
}

/// Reads a `T` from a JavaScript value (an object the page passed, a parsed answer).
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|error| error.to_string())
}

/// `value` as a plain JavaScript value: objects, arrays, strings and numbers, as JSON has them.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// `value` as JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let text = js_sys::JSON::stringify(&to_js(value)).map_err(|error| describe(&error))?;
    Ok(String::from(text))
}

/// A JavaScript object with these fields, for event details and small messages.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &(*name).into(), value);
    }
    object.into()
}

fn describe(error: &JsValue) -> String {
    error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "not JSON".to_owned())
}
