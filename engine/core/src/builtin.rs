//! The built-in rule pack, embedded at build time from the repository's `rules/` directory

use std::sync::Arc;

use crate::source::SourceFile;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The built-in rule files, named by their path in the repository (`rules/...`)
#[must_use]
pub fn builtin_rule_files() -> Vec<Arc<SourceFile>> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| Arc::new(SourceFile::new(*name, *text)))
        .collect()
}
