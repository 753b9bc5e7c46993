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

/// The built-in rule files, each with its `.tests.yaml` when there is one
#[must_use]
pub fn builtin_rule_tests() -> Vec<(Arc<SourceFile>, Option<Arc<SourceFile>>)> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| {
            let tests_name = format!("{}.tests.yaml", name.strip_suffix(".rule").unwrap_or(name));
            let tests = BUILTIN_TESTS
                .iter()
                .find(|(n, _)| *n == tests_name)
                .map(|(n, t)| Arc::new(SourceFile::new(*n, *t)));
            (Arc::new(SourceFile::new(*name, *text)), tests)
        })
        .collect()
}
