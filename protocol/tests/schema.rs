//! The JSON Schemas in `docs/schema/` are generated from these types. This test fails when
//! they are stale; `UPDATE_SCHEMAS=1 cargo test -p shoppable-protocol --features schema --test schema`
//! rewrites them.

use std::path::PathBuf;

use schemars::{Schema, schema_for};
use shoppable_protocol::*;

fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("ApiError", schema_for!(ApiError)),
        ("Configuration", schema_for!(Configuration)),
        ("Post", schema_for!(Post)),
        ("PostBatch", schema_for!(PostBatch)),
        ("PostInput", schema_for!(PostInput)),
        ("Product", schema_for!(Product)),
        ("ProductList", schema_for!(ProductList)),
        ("QuoteRequest", schema_for!(QuoteRequest)),
        ("Quote", schema_for!(Quote)),
        ("OrderRequest", schema_for!(OrderRequest)),
        ("Order", schema_for!(Order)),
        ("OrderAction", schema_for!(OrderAction)),
        ("OrderList", schema_for!(OrderList)),
        ("DisputeList", schema_for!(DisputeList)),
        ("ShipRequest", schema_for!(ShipRequest)),
        ("ReturnRequest", schema_for!(ReturnRequest)),
        ("ApproveReturn", schema_for!(ApproveReturn)),
        ("RefuseReturn", schema_for!(RefuseReturn)),
        ("MessageRequest", schema_for!(MessageRequest)),
        ("CardDetails", schema_for!(CardDetails)),
        ("CardToken", schema_for!(CardToken)),
        ("PaymentFrameMessage", schema_for!(FrameMessage)),
        ("PaymentWidgetMessage", schema_for!(WidgetMessage)),
        ("ImportReport", schema_for!(ImportReport)),
        ("ImportErrors", schema_for!(ImportErrors)),
        ("WebhookEvent", schema_for!(WebhookEvent)),
        ("EventBatch", schema_for!(EventBatch)),
        ("PostList", schema_for!(PostList)),
        ("AdminProductList", schema_for!(AdminProductList)),
        ("StockRequest", schema_for!(StockRequest)),
        ("InsightsReport", schema_for!(InsightsReport)),
    ]
}

/// Keys in sorted order, whatever serde_json features the build unified.
fn sorted(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/schema");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v != "0");
    let mut stale = Vec::new();
    for (name, schema) in schemas() {
        let path = dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&sorted(schema.to_value())).unwrap() + "\n";
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale JSON Schemas (run `UPDATE_SCHEMAS=1 cargo test -p shoppable-protocol --features schema --test schema`): {stale:#?}"
    );
}
