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

/// Typed reads of a parsed JSON object, for what the tags need (posts, the page's
/// configuration, static tags): serde's deserializers and their error messages would be tens
/// of kilobytes of the download every reader pays. They follow the protocol's types in
/// `protocol/` field by field; a field that is missing or of another type reads as `None`.
#[derive(Debug, Clone)]
pub struct Fields(JsValue);

impl Fields {
    /// `value` if it is an object (not an array, not `null`).
    pub fn of(value: JsValue) -> Option<Fields> {
        (value.is_object() && !js_sys::Array::is_array(&value)).then_some(Fields(value))
    }

    /// The object `text` holds, if it is JSON and an object.
    pub fn parse(text: &str) -> Option<Fields> {
        Fields::of(js_sys::JSON::parse(text).ok()?)
    }

    fn get(&self, key: &str) -> JsValue {
        js_sys::Reflect::get(&self.0, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        self.get(key).as_f64()
    }

    /// A whole number that fits an `i64` exactly (amounts in minor units).
    pub fn integer(&self, key: &str) -> Option<i64> {
        self.number(key).filter(|n| n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0).map(|n| n as i64)
    }

    pub fn boolean(&self, key: &str) -> Option<bool> {
        self.get(key).as_bool()
    }

    pub fn object(&self, key: &str) -> Option<Fields> {
        Fields::of(self.get(key))
    }

    /// The items of an array field; none when it is missing or not an array.
    pub fn list(&self, key: &str) -> Vec<JsValue> {
        let value = self.get(key);
        if js_sys::Array::is_array(&value) { js_sys::Array::from(&value).to_vec() } else { Vec::new() }
    }
}

/// A list of strings as a JavaScript array.
pub fn strings(items: &[String]) -> JsValue {
    items.iter().map(|item| JsValue::from_str(item)).collect::<js_sys::Array>().into()
}
