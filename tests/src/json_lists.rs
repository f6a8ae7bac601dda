//! Reading lists out of JSON answers.

use serde_json::Value;

/// The string `field` of each object in the JSON array `list`; the test fails when `list` is
/// not an array or an item has no such string.
#[track_caller]
pub fn texts(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| {
            item[field].as_str().unwrap_or_else(|| panic!("no {field} in {item}")).to_owned()
        })
        .collect()
}
