//! The requirement catalog of IEC 62443-2-4 (2023): ids, functional areas, our check class and
//! our own one-line summary of each requirement
//!
//! The data lives in `engine/core/data/iec62443-2-4.tsv`. The summaries are tollgate's wording,
//! never the standard's text. Coverage (which rules evidence which id) is computed from a pack.

use std::collections::BTreeMap;

use crate::pack::RulePack;
use crate::rule::RequirementId;

const DATA: &str = include_str!("../data/iec62443-2-4.tsv");

/// How a requirement can be checked from a delivery configuration
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CheckClass {
    /// A configuration value
    Cfg,
    /// Records in the configuration (dates, registers, approvals)
    Rec,
    /// Only documents: the rule checks a current, owned document reference exists
    Doc,
}

impl CheckClass {
    /// `CFG`, `REC` or `DOC`
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cfg => "CFG",
            Self::Rec => "REC",
            Self::Doc => "DOC",
        }
    }
}

/// One requirement of the catalog
#[derive(Clone, Debug, serde::Serialize)]
pub struct Requirement {
    /// `SP.07.04 RE(1)`
    pub id: String,
    /// `SP.07`
    pub area: String,
    /// `BR` or `RE`
    pub kind: &'static str,
    /// How tollgate can check it
    pub class: CheckClass,
    /// Our own one-line summary
    pub summary: String,
    #[serde(skip)]
    parsed: Option<RequirementId>,
}

/// The functional areas, `SP.01` to `SP.12`, with their names
#[must_use]
pub fn areas() -> Vec<(String, String)> {
    DATA.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            (fields.next() == Some("area"))
                .then(|| (fields.next(), fields.next()))
                .and_then(|(a, n)| Some((a?.to_owned(), n?.to_owned())))
        })
        .collect()
}

/// The name of a functional area (`SP.07` → `Remote access`)
#[must_use]
pub fn area_name(area: &str) -> Option<String> {
    areas().into_iter().find(|(a, _)| a == area).map(|(_, n)| n)
}

/// Every requirement id of the catalog, in the standard's order
#[must_use]
pub fn requirements() -> Vec<Requirement> {
    DATA.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            if fields.next() != Some("req") {
                return None;
            }
            let id = fields.next()?.to_owned();
            let class = match fields.next()? {
                "CFG" => CheckClass::Cfg,
                "REC" => CheckClass::Rec,
                _ => CheckClass::Doc,
            };
            let summary = fields.next().unwrap_or_default().to_owned();
            let parsed = crate::rule::parse_requirement_id(&id);
            Some(Requirement {
                area: id.get(..5).unwrap_or_default().to_owned(),
                kind: if id.contains("RE(") { "RE" } else { "BR" },
                id,
                class,
                summary,
                parsed,
            })
        })
        .collect()
}

/// A requirement and the rules that evidence it
#[derive(Clone, Debug, serde::Serialize)]
pub struct Coverage {
    /// The requirement
    #[serde(flatten)]
    pub requirement: Requirement,
    /// Ids of the rules that list it (first the rules for which it is primary)
    pub rules: Vec<String>,
}

/// Which rules evidence each requirement of the catalog
#[must_use]
pub fn coverage(pack: &RulePack) -> Vec<Coverage> {
    let mut by_id: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for loaded in pack.rules() {
        let rule = loaded.rule();
        for (i, req) in rule.requirements.iter().enumerate() {
            let entry = by_id.entry(req.value.to_string()).or_default();
            if i == 0 {
                entry.0.push(rule.id.value.clone());
            } else {
                entry.1.push(rule.id.value.clone());
            }
        }
    }
    requirements()
        .into_iter()
        .map(|requirement| {
            let key = requirement
                .parsed
                .map_or_else(|| requirement.id.clone(), |p| p.to_string());
            let rules = by_id
                .remove(&key)
                .map(|(mut primary, secondary)| {
                    primary.sort();
                    let mut secondary = secondary;
                    secondary.sort();
                    primary.extend(secondary);
                    primary
                })
                .unwrap_or_default();
            Coverage { requirement, rules }
        })
        .collect()
}
