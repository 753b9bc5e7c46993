//! Why a rule ended without a finding of its own: not applicable, or not checkable

use serde::Serialize;

use crate::rule::ServiceKind;

/// Why a rule did not apply to a document, or could not check it
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum OutcomeReason {
    /// Not applicable: the document declares a service the rule is not about
    Service {
        /// The service the document declares
        service: ServiceKind,
    },
    /// Not applicable: the document declares a lifecycle phase the rule is not about
    Phase {
        /// The phase the document declares
        phase: String,
    },
    /// Not applicable: a guard excluded everything, or a list the rule checks is empty
    NothingToCheck,
    /// Not checkable: a fact the rule needs is missing, and another rule reports it
    MissingFact {
        /// The rule that reports the missing fact
        reported_by: String,
        /// Where the fact is missing, e.g. `patch_management.patches[0].description`
        path: String,
    },
    /// Not checkable: a value the rule reads failed the model check
    InvalidValue {
        /// The model check that reports it (`TG0001`)
        reported_by: String,
        /// The value's path
        path: String,
    },
}

impl OutcomeReason {
    /// A short phrase for human output
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Service { service } => format!("not for {} services", service.as_str()),
            Self::Phase { phase } => format!("not in the {phase} phase"),
            Self::NothingToCheck => "nothing to check".to_owned(),
            Self::MissingFact { reported_by, path } => {
                format!("`{path}` is missing (reported by {reported_by})")
            }
            Self::InvalidValue { reported_by, path } => {
                format!("`{path}` has an invalid value (reported by {reported_by})")
            }
        }
    }

    /// Whether the reason makes the rule not applicable (as opposed to not checkable)
    #[must_use]
    pub const fn is_not_applicable(&self) -> bool {
        matches!(
            self,
            Self::Service { .. } | Self::Phase { .. } | Self::NothingToCheck
        )
    }
}
