//! docs/PROTOCOL.md and the JSON Schemas of docs/schema/ say the same things: the same error
//! codes with the same HTTP statuses, the same names of statuses and problems, and the
//! document names every schema.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

fn document() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md")).unwrap()
}

/// Every schema file, by name (`ApiError.json`).
fn schemas() -> BTreeMap<String, Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/schema");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap())
        })
        .collect()
}

/// The text of the code spans (between backticks) of `text`, white space collapsed: a span
/// may be wrapped over two lines.
fn code_spans(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(|span| span.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// The lines of the Markdown table whose header line starts with `header`, header and rule
/// excepted.
fn table_rows<'a>(doc: &'a str, header: &str) -> Vec<&'a str> {
    let mut lines = doc.lines().skip_while(|line| !line.starts_with(header));
    assert!(lines.next().is_some(), "PROTOCOL.md has a table `{header}`");
    lines.skip(1).take_while(|line| line.starts_with('|')).collect()
}

/// The code spans of the first column of a table row.
fn first_column(row: &str) -> Vec<String> {
    code_spans(row.split('|').nth(1).unwrap_or(""))
}

/// The text from `heading` (a whole line) to the next heading.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("PROTOCOL.md has `{heading}`")) + heading.len() + 2;
    let end = doc[start..].find("\n#").map_or(doc.len(), |i| start + i);
    &doc[start..end]
}

/// The values of a string enum of a schema, written either as `enum` or as `oneOf` consts.
fn enum_values(schema: &Value) -> BTreeSet<String> {
    if let Some(values) = schema["enum"].as_array() {
        return values.iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    }
    schema["oneOf"].as_array().expect("an enum").iter().map(|v| v["const"].as_str().unwrap().to_owned()).collect()
}

/// Error code -> HTTP statuses, from the table of the document's "Errors".
fn error_table(doc: &str) -> BTreeMap<String, BTreeSet<u16>> {
    table_rows(doc, "| `code` | Status | When |")
        .iter()
        .map(|row| {
            let cells: Vec<&str> = row.split('|').collect();
            let code = first_column(row).remove(0);
            let statuses = cells[2].split(',').map(|s| s.trim().parse().unwrap_or_else(|_| panic!("a status: {row}"))).collect();
            (code, statuses)
        })
        .collect()
}

/// Error code -> HTTP statuses, from the descriptions of a schema's `ErrorCode` ("409: ...",
/// "500 or 503: ...").
fn schema_error_codes(error_code: &Value) -> BTreeMap<String, BTreeSet<u16>> {
    error_code["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| {
            let code = variant["const"].as_str().unwrap().to_owned();
            let description = variant["description"].as_str().unwrap_or_else(|| panic!("{code} has a description"));
            let (statuses, _) = description.split_once(':').unwrap_or_else(|| panic!("{code}: `NNN: ...`"));
            let statuses = statuses.split(" or ").map(|s| s.trim().parse().unwrap_or_else(|_| panic!("{code}: {description}"))).collect();
            (code, statuses)
        })
        .collect()
}

#[test]
fn the_error_codes_and_their_statuses_are_the_same_in_the_text_and_every_schema() {
    let table = error_table(&document());
    let mut schemas_with_codes = 0;
    for (name, schema) in schemas() {
        if let Some(error_code) = schema["$defs"].get("ErrorCode") {
            assert_eq!(schema_error_codes(error_code), table, "the error codes of {name} and of PROTOCOL.md's table");
            schemas_with_codes += 1;
        }
    }
    assert!(schemas_with_codes > 0, "ApiError.json has the error codes");
}

#[test]
fn every_status_and_code_written_together_in_the_text_is_in_the_error_table() {
    let doc = document();
    let table = error_table(&doc);
    let mut checked = 0;
    for span in code_spans(&doc) {
        let Some((status, code)) = span.split_once(' ') else { continue };
        let (Ok(status), true) = (status.parse::<u16>(), code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')) else { continue };
        let statuses = table.get(code).unwrap_or_else(|| panic!("`{span}`: {code} is not in the error table"));
        assert!(statuses.contains(&status), "`{span}`: the error table gives {code} the status {statuses:?}");
        checked += 1;
    }
    assert!(checked > 50, "the text names its errors as `status code`: {checked}");
}

#[test]
fn order_and_return_statuses_are_the_same_in_the_text_and_the_schema() {
    let doc = document();
    let order = &schemas()["Order.json"];
    let from_table = |heading: &str| -> BTreeSet<String> {
        let text = section(&doc, heading);
        table_rows(text, "| Status | Meaning |").iter().flat_map(|row| first_column(row)).collect()
    };
    assert_eq!(from_table("### Statuses"), enum_values(&order["$defs"]["OrderStatus"]), "order statuses");
    assert_eq!(from_table("### Returns"), enum_values(&order["$defs"]["ReturnStatus"]), "return statuses");
}

#[test]
fn webhook_types_are_the_same_in_the_text_and_the_schema() {
    let doc = document();
    let in_text: BTreeSet<String> = table_rows(&doc, "| `type` | When |").iter().flat_map(|row| first_column(row)).collect();
    let description = schemas()["WebhookEvent.json"]["properties"]["type"]["description"].as_str().unwrap().to_owned();
    let in_schema: BTreeSet<String> = code_spans(&description).into_iter().collect();
    assert_eq!(in_text, in_schema);
}

#[test]
fn import_problem_kinds_are_the_same_in_the_text_and_the_schema() {
    let doc = document();
    let start = doc.find("one of `not_csv`").expect("the text lists the problem kinds");
    let list = &doc[start..start + doc[start..].find(". ").unwrap()];
    let in_text: BTreeSet<String> = code_spans(list).into_iter().collect();
    let in_schema = enum_values(&schemas()["ImportErrors.json"]["$defs"]["RowProblem"]);
    assert_eq!(in_text, in_schema);
}

#[test]
fn the_document_names_every_schema_and_only_schemas_that_exist() {
    let doc = document();
    let named: BTreeSet<String> =
        doc.split("](schema/").skip(1).filter_map(|rest| rest.split_once(')').map(|(name, _)| name.to_owned())).collect();
    let existing: BTreeSet<String> = schemas().into_keys().collect();
    let named: BTreeSet<String> = named.into_iter().filter(|name| !name.is_empty()).collect();
    assert_eq!(named, existing, "schemas linked from PROTOCOL.md, and the files of docs/schema/");
}
