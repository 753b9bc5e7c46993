//! Whether a rule applies to a document, and if not, why
//!
//! A rule that does not apply is never a pass: the report says it was not applicable and
//! gives the reason, so an asset owner can tell "checked and fine" from "not asked".

use super::OutcomeReason;
use crate::rule::{Rule, ServiceKind};

/// What a document says about itself that decides which rules apply to it
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentContext {
    /// `submission.service`, when given and valid
    pub service: Option<ServiceKind>,
    /// `submission.phase`, when given
    pub phase: Option<String>,
}

/// Decides, before a rule runs, whether it applies to a document
///
/// # Errors
/// The reason the rule does not apply
pub fn applies(rule: &Rule, context: &DocumentContext) -> Result<(), OutcomeReason> {
    if let Some(service) = context.service
        && !rule.applies.value.contains(&service)
    {
        return Err(OutcomeReason::Service { service });
    }
    Ok(())
}
