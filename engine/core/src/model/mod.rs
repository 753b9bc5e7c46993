//! The delivery-configuration model: its JSON Schema and structural validation
//!
//! The model is written once, as Rust types in `types.rs`. From them come the JSON Schema that
//! editors use (`tollgate schema`, `docs/schema/delivery.schema.json`), the field reference
//! (`docs/model.md`), the structural check every delivery document gets before rules run, and
//! the check that a rule's paths exist in the model.

mod skeleton;
mod types;
mod validate;

pub use skeleton::skeleton;

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value as Json};

pub(crate) use validate::{ModelIssueKind, closest as closest_key, validate};

/// `$id` of the delivery schema
pub const DELIVERY_SCHEMA_ID: &str = "https://tollgate.dev/schema/delivery.schema.json";

static DELIVERY_SCHEMA: LazyLock<Json> = LazyLock::new(generate);

fn generate() -> Json {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<types::Delivery>();
    let mut json = schema.to_value();
    drop_null_alternatives(&mut json);
    if let Some(object) = json.as_object_mut() {
        let mut ordered = Map::new();
        ordered.insert(
            "$schema".into(),
            object.remove("$schema").unwrap_or(Json::Null),
        );
        ordered.insert("$id".into(), Json::String(DELIVERY_SCHEMA_ID.into()));
        ordered.insert(
            "title".into(),
            Json::String("tollgate delivery configuration".into()),
        );
        for (key, value) in std::mem::take(object) {
            if key != "title" {
                ordered.insert(key, value);
            }
        }
        *object = ordered;
    }
    json
}

/// Every field is optional and a key written without a value reads as absent, so the `null`
/// alternative schemars adds for `Option` says nothing to editors: `["string", "null"]` becomes
/// `"string"` and `anyOf: [{$ref}, {type: null}]` becomes the `$ref`
fn drop_null_alternatives(json: &mut Json) {
    match json {
        Json::Object(map) => {
            if let Some(Json::Array(types)) = map.get("type") {
                let rest: Vec<Json> = types
                    .iter()
                    .filter(|t| t.as_str() != Some("null"))
                    .cloned()
                    .collect();
                if let [single] = rest.as_slice() {
                    map.insert("type".into(), single.clone());
                }
            }
            if let Some(Json::Array(options)) = map.get("anyOf") {
                let rest: Vec<Json> = options
                    .iter()
                    .filter(|o| o.get("type").and_then(Json::as_str) != Some("null"))
                    .cloned()
                    .collect();
                if let [Json::Object(single)] = rest.as_slice() {
                    map.remove("anyOf");
                    for (k, v) in single {
                        map.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            map.values_mut().for_each(drop_null_alternatives);
        }
        Json::Array(items) => items.iter_mut().for_each(drop_null_alternatives),
        _ => {}
    }
}

/// The JSON Schema (2020-12) of a `delivery` document
#[must_use]
pub fn delivery_schema() -> &'static Json {
    &DELIVERY_SCHEMA
}

/// The schema as pretty-printed JSON with a final newline, as committed under `docs/schema/`
#[must_use]
pub fn delivery_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(delivery_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema node of a definition or property, following `$ref`
pub(crate) fn resolve(schema: &'static Json) -> &'static Json {
    let mut current = schema;
    for _ in 0..8 {
        let Some(name) = current
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            return current;
        };
        match delivery_schema().get("$defs").and_then(|d| d.get(name)) {
            Some(next) => current = next,
            None => return current,
        }
    }
    current
}

/// A list's item schema, or the schema itself: paths step through lists as `for` does
pub(crate) fn step_into_items(schema: &'static Json) -> &'static Json {
    let schema = resolve(schema);
    if schema.get("type").and_then(Json::as_str) == Some("array")
        && let Some(items) = schema.get("items")
    {
        return resolve(items);
    }
    schema
}

/// Follows `segments` (keys) from `start` through the model. On an unknown key, returns its
/// position and the keys allowed there.
pub(crate) fn check_path<'s>(
    start: &'static Json,
    segments: impl IntoIterator<Item = &'s str>,
) -> Result<&'static Json, (usize, Vec<String>)> {
    let mut current = resolve(start);
    for (i, key) in segments.into_iter().enumerate() {
        current = step_into_items(current);
        let properties = current.get("properties").and_then(Json::as_object);
        if let Some(next) = properties.and_then(|p| p.get(key)) {
            current = resolve(next);
        } else {
            {
                let known = properties
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                return Err((i, known));
            }
        }
    }
    Ok(current)
}

/// The root schema
pub(crate) fn root() -> &'static Json {
    delivery_schema()
}

#[cfg(test)]
mod tests;

/// A structural check of the model, reported like a rule so every output treats it alike
#[derive(Clone, Copy, Debug)]
pub(crate) struct ModelCheck {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) severity: crate::rule::Severity,
}

/// A value has the type the delivery model gives its field
pub(crate) const TYPE_CHECK: ModelCheck = ModelCheck {
    id: "TG0001",
    name: "model-type-mismatch",
    title: "Every value has the type the delivery model gives its field.",
    severity: crate::rule::Severity::Medium,
};

/// Every key is one the delivery model knows
pub(crate) const KEY_CHECK: ModelCheck = ModelCheck {
    id: "TG0002",
    name: "model-unknown-key",
    title: "Every key is one the delivery model knows; an unknown key is ignored by every rule.",
    severity: crate::rule::Severity::Info,
};

/// Both checks, in report order
pub(crate) const MODEL_CHECKS: [ModelCheck; 2] = [TYPE_CHECK, KEY_CHECK];
