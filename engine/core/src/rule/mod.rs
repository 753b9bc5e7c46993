//! The rule language: syntax tree, parser and doc-comment sections
//!
//! [`parse_rule_file`] is the only entry point; the nom parser stays private so that it can be
//! replaced without touching callers. The grammar is documented in `docs/dsl.md`.

mod ast;
mod docs;
mod format;
mod parser;

pub use format::format_rule_file;

use std::sync::Arc;

pub use ast::{
    Expr, Param, ParamType, ParamValue, Path, Related, Require, RequirementId, Rule, RuleDocs,
    RuleFile, RuleStatus, ServiceKind, Severity, Spanned, Step, Topic,
};
pub(crate) use parser::{DOCUMENT_KINDS, RHAI_RESERVED};

use crate::diagnostic::Problem;
use crate::source::SourceFile;

/// Parses a rule file
///
/// # Errors
/// Every syntax error in the file, each located, when there is at least one
pub fn parse_rule_file(file: &Arc<SourceFile>) -> Result<RuleFile, Vec<Problem>> {
    let (parsed, errors) = parser::parse_rule_file_text(file.text());
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(parser::problems(file, errors))
    }
}

/// Parses a requirement id such as `SP.07.04 RE(1)`
#[must_use]
pub fn parse_requirement_id(text: &str) -> Option<RequirementId> {
    parser::parse_requirement_id(text)
}
