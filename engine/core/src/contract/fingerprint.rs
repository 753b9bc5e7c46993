//! Stable identities of findings
//!
//! A waiver or a baseline must still match a finding after the supplier adds a comment or an
//! item above it. So a finding is identified by what it is about, never by its line: the rule,
//! the file, the document, and the *logical path* of the place, in which list items are named
//! by their `id` or `name` (`remote_access.methods[name=vendor-vpn].mfa`) instead of their
//! position. Two findings with the same identity (one rule, one place, two messages) are told
//! apart by their order.

use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::report::Finding;
use crate::yaml::{Document, NodeId, ParentSlot, Value};

/// Keys that name a list item, in order of preference
const NAMING_KEYS: [&str; 2] = ["id", "name"];

/// The path of `node` with list items named by their `id` or `name` where they have one
#[must_use]
pub(crate) fn logical_path(doc: &Document, node: NodeId) -> String {
    let mut chain: Vec<NodeId> = Vec::new();
    let mut current = node;
    for _ in 0..doc.nodes().len() {
        let Some(n) = doc.node(current) else {
            break;
        };
        let (Some(parent), Some(_)) = (n.parent, n.key) else {
            break;
        };
        chain.push(current);
        current = parent;
    }
    let mut out = String::new();
    for &step in chain.iter().rev() {
        match doc.node(step).and_then(|n| n.key) {
            Some(ParentSlot::Entry(_)) => {
                let key = doc.key_of(step).unwrap_or("");
                if !out.is_empty() {
                    out.push('.');
                }
                push_key(&mut out, key);
            }
            Some(ParentSlot::Item(index)) => match item_name(doc, step) {
                Some((key, name)) => {
                    out.push('[');
                    out.push_str(key);
                    out.push('=');
                    push_key(&mut out, name);
                    out.push(']');
                }
                None => {
                    let _ = write!(out, "[{index}]");
                }
            },
            None => {}
        }
    }
    out
}

/// `(key, value)` of the first naming key of a mapping item with a plain text value
fn item_name(doc: &Document, item: NodeId) -> Option<(&'static str, &str)> {
    NAMING_KEYS.iter().find_map(|key| {
        let value = doc.get(item, key)?;
        match &doc.node(value)?.value {
            Value::String(s) if !s.is_empty() => Some((*key, s.as_str())),
            _ => None,
        }
    })
}

/// A key or name as written, with the characters that structure a path escaped
fn push_key(out: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '.' | '[' | ']' | '=' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Gives every finding of one input its fingerprint; `findings` are in report order
pub(crate) fn assign(findings: &mut [Finding]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for finding in findings {
        let mut identity = String::new();
        for part in [
            finding.rule_id.as_str(),
            finding.location.file.as_str(),
            &finding.document.to_string(),
            finding.logical_path.as_str(),
            finding.missing.as_deref().unwrap_or(""),
        ] {
            // Lengths first, so no choice of names can make two identities collide
            let _ = write!(identity, "{}:{part};", part.len());
        }
        let ordinal = seen.entry(identity.clone()).or_insert(0);
        let _ = write!(identity, "{ordinal}");
        *ordinal += 1;
        let digest = Sha256::digest(identity.as_bytes());
        let mut hex = String::with_capacity(32);
        for byte in digest.iter().take(16) {
            let _ = write!(hex, "{byte:02x}");
        }
        finding.fingerprint = hex;
    }
}

#[cfg(test)]
mod tests {
    use super::logical_path;
    use crate::yaml::{YamlLimits, load};

    #[test]
    fn list_items_are_named_by_id_or_name() {
        let text = "remote_access:\n  methods:\n    - name: vendor-vpn\n      mfa: false\n    - mfa: true\naccounts:\n  inventory:\n    - id: a.b\n      name: ignored\n";
        let docs = load(text, &YamlLimits::default()).unwrap();
        let doc = &docs[0];
        let paths: Vec<String> = doc.node_ids().map(|n| logical_path(doc, n)).collect();
        assert!(
            paths.contains(&"remote_access.methods[name=vendor-vpn].mfa".to_owned()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"remote_access.methods[1].mfa".to_owned()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"accounts.inventory[id=a\\.b].name".to_owned()),
            "{paths:?}"
        );
    }
}
