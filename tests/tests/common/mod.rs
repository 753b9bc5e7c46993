//! Helpers shared by the integration tests

#![allow(dead_code, reason = "each test binary uses a subset")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tollgate::SourceFile;
use tollgate::report::human::{HumanOptions, render_problems};

/// The repository root
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a file of the repository, named by its path from the root
pub fn source(rel: &str) -> Arc<SourceFile> {
    let text = std::fs::read_to_string(repo_root().join(rel))
        .unwrap_or_else(|e| panic!("read {rel}: {e}"));
    Arc::new(SourceFile::new(rel, text))
}

/// Every file under `dir` (relative to the root) with the extension, sorted, as root-relative paths
pub fn files_with_extension(dir: &str, ext: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![repo_root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read dir {}: {e}", d.display()))
        {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                let rel = path
                    .strip_prefix(repo_root())
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Renders problems the way the CLI does, without colour, at a fixed width
pub fn render(problems: &[tollgate::Problem]) -> String {
    render_problems(
        problems,
        HumanOptions {
            color: false,
            width: 100,
            verdicts: false,
        },
    )
}

/// A loaded YAML node as JSON, for comparing with the YAML test suite and validating with a
/// JSON Schema validator
pub fn to_json(doc: &tollgate::yaml::Document, id: tollgate::yaml::NodeId) -> serde_json::Value {
    use serde_json::Value as Json;
    use tollgate::yaml::Value;
    let node = doc.node(id).unwrap();
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::Sequence(items) => Json::Array(items.iter().map(|&i| to_json(doc, i)).collect()),
        Value::Mapping(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(doc, e.value)))
                .collect(),
        ),
    }
}
