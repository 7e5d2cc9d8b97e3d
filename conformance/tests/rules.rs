//! Every rule id written in docs/PROTOCOL.md is a check of the tool, and every check is a
//! rule written there.

use std::collections::BTreeSet;

#[test]
fn the_document_and_the_checks_name_the_same_rules() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md")).unwrap();
    let in_doc: BTreeSet<String> =
        doc.split("**[").skip(1).filter_map(|rest| rest.split_once("]**").map(|(id, _)| id.to_owned())).collect();
    let checks: BTreeSet<String> = shoppable_conformance::checks::all_checks().iter().map(|c| c.id.to_owned()).collect();
    let unchecked: Vec<_> = in_doc.difference(&checks).collect();
    let unwritten: Vec<_> = checks.difference(&in_doc).collect();
    assert!(unchecked.is_empty(), "rules of PROTOCOL.md without a check: {unchecked:?}");
    assert!(unwritten.is_empty(), "checks whose rule PROTOCOL.md does not name: {unwritten:?}");
}

#[test]
fn check_ids_are_unique() {
    let checks = shoppable_conformance::checks::all_checks();
    let ids: BTreeSet<&str> = checks.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), checks.len());
}
