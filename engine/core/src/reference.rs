//! Rule and model reference text, generated from the rules and the model themselves
//!
//! One function writes a rule's documentation; `tollgate explain`, the pages under
//! `docs/rules/` and (later) SARIF help all use it, so they cannot disagree.

use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::catalog::{self, CheckClass};
use crate::pack::{LoadedRule, RulePack};
use crate::rule::{ParamValue, RuleStatus};

fn maturity_name(level: u8) -> &'static str {
    match level {
        1 => "Initial",
        2 => "Managed",
        3 => "Defined/Practiced",
        _ => "Improving",
    }
}

fn literal(value: &ParamValue) -> String {
    match value {
        ParamValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Escapes a table cell
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The documentation of one rule, as Markdown. `heading` is the level of its title (`##`).
#[must_use]
pub fn rule_markdown(loaded: &LoadedRule, heading: &str) -> String {
    let rule = loaded.rule();
    let docs = &rule.docs;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{heading} {} {}\n\n{}\n",
        rule.id.value, rule.name.value, docs.title.value
    );
    let requirements: Vec<String> = rule
        .requirements
        .iter()
        .map(|r| r.value.to_string())
        .collect();
    let area = rule
        .requirements
        .first()
        .map(|r| r.value.area_code())
        .unwrap_or_default();
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Requirement | {} |", requirements.join(", "));
    let _ = writeln!(
        out,
        "| Functional area | {area} {} |",
        catalog::area_name(&area).unwrap_or_default()
    );
    if let Some(topic) = &rule.topic {
        let subtopic = topic
            .value
            .subtopic
            .as_deref()
            .map(|s| format!(" / {s}"))
            .unwrap_or_default();
        let _ = writeln!(out, "| Topic | {}{subtopic} |", cell(&topic.value.topic));
    }
    let _ = writeln!(
        out,
        "| Documentation | {} |",
        if rule.documentation.value {
            "yes"
        } else {
            "no"
        }
    );
    let _ = writeln!(
        out,
        "| Maturity | {} ({}) |",
        rule.maturity.value,
        maturity_name(rule.maturity.value)
    );
    let _ = writeln!(out, "| Severity | {} |", rule.severity.value);
    let applies: Vec<&str> = rule.applies.value.iter().map(|s| s.as_str()).collect();
    let _ = writeln!(out, "| Applies to | {} |", applies.join(", "));
    if rule.status.value != RuleStatus::Stable {
        let _ = writeln!(out, "| Status | {} |", rule.status.value.as_str());
    }
    let _ = writeln!(out, "| Source | `{}` |\n", loaded.file().name());
    if !docs.summary.trim().is_empty() {
        let _ = writeln!(out, "{}\n", docs.summary.trim());
    }
    let sub = format!("{heading}#");
    if let Some(text) = &docs.rationale {
        let _ = writeln!(out, "{sub} Why it matters\n\n{}\n", text.trim());
    }
    if let Some(text) = &docs.remediation {
        let _ = writeln!(out, "{sub} How to fix\n\n{}\n", text.trim());
    }
    if !rule.params.is_empty() {
        let _ = writeln!(
            out,
            "{sub} Parameters\n\n| Name | Type | Default | Meaning |\n|---|---|---|---|"
        );
        for p in &rule.params {
            let _ = writeln!(
                out,
                "| `{}` | {} | `{}` | {} |",
                p.name.value,
                p.ty.value.as_str(),
                cell(&literal(&p.default.value)),
                cell(p.doc.as_ref().map_or("", |d| d.value.as_str()))
            );
        }
        out.push('\n');
    }
    for (title, example) in [
        ("Non-compliant example", &docs.noncompliant_example),
        ("Compliant example", &docs.compliant_example),
    ] {
        if let Some(example) = example {
            let _ = writeln!(
                out,
                "{sub} {title}\n\n```yaml\n{}\n```\n",
                example.value.trim_end()
            );
        }
    }
    for (title, body) in &docs.other_sections {
        let _ = writeln!(out, "{sub} {title}\n\n{}\n", body.trim());
    }
    out
}

/// File name of an area's page: the rule folder name (`sp07-remote-access.md`)
fn area_page(area: &str, pack: &RulePack) -> String {
    pack.rules()
        .iter()
        .find(|r| {
            r.rule()
                .requirements
                .first()
                .is_some_and(|q| q.value.area_code() == area)
        })
        .and_then(|r| {
            let name = r.file().name();
            let mut parts = name.rsplit('/');
            parts.next();
            parts.next().map(|dir| format!("{dir}.md"))
        })
        .unwrap_or_else(|| format!("{}.md", area.to_lowercase().replace('.', "")))
}

/// The generated pages under `docs/rules/`: (file name, text), index first
#[must_use]
pub fn rule_pages(pack: &RulePack) -> Vec<(String, String)> {
    let coverage = catalog::coverage(pack);
    let mut pages = Vec::new();
    let mut index = String::from(
        "<!-- Generated by `tollgate docs`; do not edit. -->\n# Built-in rules\n\n\
         One page per functional area of IEC 62443-2-4. Every requirement id has at least one \
         rule; `tollgate list --coverage` prints the same table.\n\n\
         | Area | Name | Rules | Requirement ids | covered (CFG / REC / DOC) |\n|---|---|---|---|---|\n",
    );
    let mut area_sections = String::new();
    let (mut total_rules, mut total_ids, mut total_covered) = (0, 0, 0);
    for (area, name) in catalog::areas() {
        let rules: Vec<&LoadedRule> = pack
            .rules()
            .iter()
            .filter(|r| {
                r.rule()
                    .requirements
                    .first()
                    .is_some_and(|q| q.value.area_code() == area)
            })
            .collect();
        let ids: Vec<&catalog::Coverage> = coverage
            .iter()
            .filter(|c| c.requirement.area == area)
            .collect();
        let covered = |class: CheckClass| {
            let of_class = ids.iter().filter(|c| c.requirement.class == class);
            let all = of_class.clone().count();
            let done = of_class.filter(|c| !c.rules.is_empty()).count();
            if all == 0 {
                "–".to_owned()
            } else {
                format!("{done}/{all}")
            }
        };
        let covered_count = ids.iter().filter(|c| !c.rules.is_empty()).count();
        total_rules += rules.len();
        total_ids += ids.len();
        total_covered += covered_count;
        let page = area_page(&area, pack);
        let _ = writeln!(
            index,
            "| [{area}]({page}) | {name} | {} | {covered_count}/{} | {} / {} / {} |",
            rules.len(),
            ids.len(),
            covered(CheckClass::Cfg),
            covered(CheckClass::Rec),
            covered(CheckClass::Doc)
        );
        let _ = writeln!(
            area_sections,
            "\n## [{area} {name}]({page})\n\n| Rule | Name | Requirement | Severity | Expects |\n|---|---|---|---|---|"
        );
        let mut text = format!(
            "<!-- Generated by `tollgate docs`; do not edit. -->\n# {area} {name}\n\n\
             ## Requirements\n\n| Requirement | Class | Summary (our words) | Rules |\n|---|---|---|---|\n"
        );
        for c in &ids {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} |",
                c.requirement.id,
                c.requirement.class.as_str(),
                cell(&c.requirement.summary),
                if c.rules.is_empty() {
                    "**none**".to_owned()
                } else {
                    c.rules.join(", ")
                }
            );
        }
        text.push_str("\n## Rules\n\n");
        for rule in &rules {
            let r = rule.rule();
            let _ = writeln!(
                area_sections,
                "| [{}]({page}#{}) | `{}` | {} | {} | {} |",
                r.id.value,
                format!("{}-{}", r.id.value, r.name.value).to_lowercase(),
                r.name.value,
                r.requirements
                    .iter()
                    .map(|q| q.value.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                r.severity.value,
                cell(&r.docs.title.value)
            );
            text.push_str(&rule_markdown(rule, "###"));
        }
        pages.push((page, text));
    }
    let _ = writeln!(
        index,
        "| | **total** | **{total_rules}** | **{total_covered}/{total_ids}** | |"
    );
    index.push_str(&area_sections);
    pages.insert(0, ("README.md".to_owned(), index));
    pages
}

/// `docs/model.md`: every field of the delivery model, from the schema's descriptions
#[must_use]
pub fn model_markdown() -> String {
    let schema = crate::model::delivery_schema();
    let mut out = String::from(
        "<!-- Generated by `tollgate docs`; do not edit. -->\n# The delivery-configuration model\n\n\
         One YAML document describes one submission of a service provider to an asset owner. \
         Every field is optional for the loader: a rule that needs a missing field reports it. \
         Values of the wrong type and unknown keys are findings of the model checks TG0001 and \
         TG0002. Dates are written `YYYY-MM-DD`.\n\n\
         Editors validate and complete a submission with the JSON Schema, \
         `docs/schema/delivery.schema.json` (also printed by `tollgate schema`). With the YAML \
         language server, start the file with:\n\n\
         ```yaml\n# yaml-language-server: $schema=https://tollgate.dev/schema/delivery.schema.json\n```\n\n\
         or point at a local copy (`$schema=./delivery.schema.json`). `tollgate init` writes a \
         commented skeleton with every section.\n",
    );
    // Breadth-first over object types, starting at the root, so sections come in model order
    let mut queue: Vec<(String, &Json)> = vec![("(document)".to_owned(), schema)];
    let mut seen: Vec<String> = Vec::new();
    while !queue.is_empty() {
        let (path, node) = queue.remove(0);
        let node = crate::model::resolve(node);
        let Some(properties) = node.get("properties").and_then(Json::as_object) else {
            continue;
        };
        let description = node
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let _ = writeln!(out, "\n## `{path}`\n");
        if !description.is_empty() {
            let _ = writeln!(out, "{description}\n");
        }
        let _ = writeln!(out, "| Field | Type | Meaning |\n|---|---|---|");
        for (key, property) in properties {
            let resolved = crate::model::resolve(property);
            let child_path = if path == "(document)" {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let (ty, object) = type_name(property);
            let meaning = property
                .get("description")
                .or_else(|| resolved.get("description"))
                .and_then(Json::as_str)
                .unwrap_or_default();
            let _ = writeln!(out, "| `{key}` | {ty} | {} |", cell(meaning));
            if let Some(object) = object {
                let list = resolved.get("type").and_then(Json::as_str) == Some("array");
                let child = if list {
                    format!("{child_path}[]")
                } else {
                    child_path
                };
                let key = child.clone();
                if !seen.contains(&key) {
                    seen.push(key);
                    queue.push((child, object));
                }
            }
        }
    }
    out
}

/// A readable type, and the object schema to document below when there is one
fn type_name(property: &'static Json) -> (String, Option<&'static Json>) {
    let resolved = crate::model::resolve(property);
    if let Some(values) = enum_names(resolved) {
        return (format!("one of {values}"), None);
    }
    match resolved.get("type").and_then(Json::as_str) {
        Some("array") => {
            let items = resolved.get("items").map(crate::model::resolve);
            match items {
                Some(items) if items.get("properties").is_some() => {
                    ("list of mappings".to_owned(), Some(items))
                }
                Some(items) => (format!("list of {}", type_name(items).0), None),
                None => ("list".to_owned(), None),
            }
        }
        Some("object") => ("mapping".to_owned(), Some(resolved)),
        Some("string") if resolved.get("format").and_then(Json::as_str) == Some("date") => {
            ("date".to_owned(), None)
        }
        Some("string") => ("text".to_owned(), None),
        Some("integer") => ("whole number".to_owned(), None),
        Some("boolean") => ("`true`/`false`".to_owned(), None),
        Some(other) => (other.to_owned(), None),
        None => ("any".to_owned(), None),
    }
}

fn enum_names(schema: &Json) -> Option<String> {
    let variants = schema.get("oneOf").or_else(|| schema.get("enum"))?;
    let names: Vec<String> = variants
        .as_array()?
        .iter()
        .filter_map(|v| {
            v.as_str()
                .or_else(|| v.get("const").and_then(Json::as_str))
                .map(|s| format!("`{s}`"))
        })
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}
