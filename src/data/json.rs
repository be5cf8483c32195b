//! JSON: an array of unit objects, or `{"units": [...]}`. Each object has
//! `id`, `name`, `kind` and one key per input; values may be JSON booleans,
//! numbers, arrays (for sets) or strings, read like CSV cells.

use super::builder::Builder;
use super::{DataError, Dataset};
use crate::ir::Policy;
use serde_json::Value as Json;
use std::borrow::Cow;

pub fn read(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Json = serde_json::from_slice(bytes).map_err(|e| {
        vec![DataError {
            row: Some(e.line()),
            ..DataError::file(file, format!("not valid JSON: {e}"))
        }]
    })?;
    let units = match &doc {
        Json::Array(a) => a,
        Json::Object(o) => match o.get("units") {
            Some(Json::Array(a)) => a,
            _ => {
                return Err(vec![DataError::file(
                    file,
                    "expected an array of units, or an object with a `units` array",
                )]);
            }
        },
        _ => return Err(vec![DataError::file(file, "expected an array of units")]),
    };
    let mut b = Builder::new(policy, file);
    let mut keys: Vec<String> = units
        .iter()
        .filter_map(Json::as_object)
        .flat_map(|o| o.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    b.columns(&keys);
    for (index, unit) in units.iter().enumerate() {
        let row = index + 1;
        let Some(object) = unit.as_object() else {
            b.error(
                Some(row),
                None,
                None,
                "expected an object for this unit".into(),
            );
            continue;
        };
        let text = |key: &str| object.get(key).map(cell_text);
        let field = |keys: &[&str]| keys.iter().find_map(|k| text(k)).unwrap_or_default();
        let [ids, names, kinds] = super::unit_names(policy);
        let id = field(&ids);
        let name = Some(field(&names))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        let kind = field(&kinds);
        b.unit(row, (&id, &name, &kind), |input| {
            policy
                .inputs
                .get(input)
                .and_then(|i| text(&i.column))
                .map(Cow::Owned)
        });
    }
    b.finish()
}

fn cell_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(cell_text).collect::<Vec<_>>().join("、"),
        Json::Object(_) => "{...}".into(),
    }
}
