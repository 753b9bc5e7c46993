//! `tollgate init`: a commented skeleton submission with every section of the model
//!
//! Generated from the schema, so a field added to the model appears in new skeletons without
//! anyone remembering to. Values are left empty: an empty value reads as absent, so checking a
//! fresh skeleton lists everything still to fill in instead of passing.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::{DELIVERY_SCHEMA_ID, delivery_schema, resolve};

/// The skeleton for a `service` kind (`integration` or `maintenance`) dated `date`
#[must_use]
pub fn skeleton(service: &str, date: &str) -> String {
    let mut out = format!(
        "# yaml-language-server: $schema={DELIVERY_SCHEMA_ID}\n\
         # A tollgate delivery configuration: one submission of a service provider to an asset\n\
         # owner, checked against IEC 62443-2-4 with `tollgate check FILE`. Empty values count as\n\
         # missing, so the first check lists everything still to fill in. Field reference:\n\
         # docs/model.md. Dates are written YYYY-MM-DD; lists of records start each record with `-`.\n"
    );
    let root = delivery_schema();
    let Some(properties) = root.get("properties").and_then(Json::as_object) else {
        return out;
    };
    for (key, property) in properties {
        if key == "kind" {
            continue;
        }
        out.push('\n');
        field(&mut out, key, property, 0, service, date);
    }
    out
}

fn comment(out: &mut String, indent: usize, property: &Json, resolved: &Json) {
    let description = property
        .get("description")
        .or_else(|| resolved.get("description"))
        .and_then(Json::as_str)
        .unwrap_or_default();
    for line in description.lines() {
        let _ = writeln!(out, "{}# {line}", " ".repeat(indent));
    }
}

fn field(
    out: &mut String,
    key: &str,
    property: &'static Json,
    indent: usize,
    service: &str,
    date: &str,
) {
    let resolved = resolve(property);
    comment(out, indent, property, resolved);
    let pad = " ".repeat(indent);
    match resolved.get("type").and_then(Json::as_str) {
        Some("object") => {
            let _ = writeln!(out, "{pad}{key}:");
            mapping(out, resolved, indent + 2, service, date);
        }
        Some("array") => {
            let items = resolved.get("items").map_or(resolved, resolve);
            if items.get("type").and_then(Json::as_str) == Some("object") {
                let _ = writeln!(out, "{pad}{key}:");
                let _ = writeln!(out, "{pad}  -");
                // The first key of the record follows `- `; write the record indented under it
                let mut record = String::new();
                mapping(&mut record, items, indent + 4, service, date);
                out.push_str(&record);
            } else {
                let _ = writeln!(out, "{pad}{key}: []");
            }
        }
        _ => {
            let value = match key {
                "service" if indent == 2 => service.to_owned(),
                "date" if indent == 2 => date.to_owned(),
                _ => String::new(),
            };
            if value.is_empty() {
                let _ = writeln!(out, "{pad}{key}:");
            } else {
                let _ = writeln!(out, "{pad}{key}: {value}");
            }
        }
    }
}

fn mapping(out: &mut String, schema: &'static Json, indent: usize, service: &str, date: &str) {
    if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
        for (key, property) in properties {
            field(out, key, property, indent, service, date);
        }
    }
}
