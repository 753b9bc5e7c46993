//! The contract between evaluation and reporting
//!
//! Evaluation ([`crate::eval`]) says what each rule found on a document. This layer decides
//! what that means for the asset owner: whether a rule applies to the document at all
//! ([`applicability`]), which rule reports a fact that several rules need ([`facts`]), and
//! one verdict per requirement id built from the outcomes of the rules that evidence it
//! ([`verdict`]). Every output shows these decisions; none makes its own.

pub mod applicability;
pub(crate) mod facts;
pub(crate) mod fingerprint;
mod reason;
pub mod verdict;

pub use applicability::{DocumentContext, applies};
pub use reason::OutcomeReason;
pub use verdict::{RequirementVerdict, Verdict, VerdictCounts};
