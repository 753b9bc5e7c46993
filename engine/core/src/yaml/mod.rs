//! Located YAML loading.
//!
//! [`load`] parses UTF-8 YAML text with `saphyr-parser` into an arena tree
//! ([`Document`]) where every node carries the byte [`Span`] of its text in the
//! original input, so that rules can point a human at the exact place in the
//! file. Plain scalars are resolved with the YAML 1.2 core schema (`yes`, `no`,
//! `on`, `off` stay strings). Aliases share the anchored node instead of copying
//! it, so alias bombs stay small. The loader never recurses, so arbitrarily deep
//! input cannot overflow the stack; [`YamlLimits`] bounds everything else.

mod load;
mod offsets;
mod scalar;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

use std::fmt;
use std::fmt::Write as _;

pub use crate::source::Span;

/// Text of a scalar or key. Stored inline up to 24 bytes, so most keys and values of a
/// configuration need no allocation of their own; reads as a `&str`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(compact_str::CompactString);

impl Text {
    /// The text
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Self(compact_str::CompactString::from(text))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// Identifier of a node: an index into [`Document::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The index of the node in [`Document::nodes`].
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// The value of a node.
///
/// Plain (unquoted, untagged) scalars are resolved with the YAML 1.2 core
/// schema. Integers that do not fit in `i64` stay [`Value::String`] so no
/// precision is lost silently. Quoted and block scalars are always strings.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~`, or nothing at all.
    Null,
    /// `true` or `false` (YAML 1.2 spellings only).
    Bool(bool),
    /// An integer that fits in `i64` (decimal, `0o` octal or `0x` hex).
    Int(i64),
    /// A floating-point number, including `.inf` and `.nan`.
    Float(f64),
    /// Any other scalar.
    String(Text),
    /// Sequence items, in order. Aliased items share the anchored node.
    Sequence(Vec<NodeId>),
    /// Mapping entries, in source order; keys are unique.
    Mapping(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key's scalar text (a key written `1` or `true` is `"1"` or `"true"`).
    pub key: Text,
    /// Where the key is written (its scalar text, including quotes).
    pub key_span: Span,
    /// The value node.
    pub value: NodeId,
}

/// One step of a path from a parent to a child node, with the key text.
///
/// [`Document::segment`] gives a node's segment; nodes themselves store the
/// cheaper [`ParentSlot`].
#[derive(Clone, Debug, PartialEq)]
pub enum PathSegment {
    /// The child is the value of this key in a mapping.
    Key(String),
    /// The child is the item at this index in a sequence.
    Index(usize),
}

/// Where a node sits in its first parent, by position so that keys are not
/// stored twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParentSlot {
    /// The node is the value of the parent mapping's entry at this position
    /// (see [`Document::entry_of`] for its key).
    Entry(usize),
    /// The node is the item at this index of the parent sequence.
    Item(usize),
}

/// One node of a [`Document`].
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The node's value.
    pub value: Value,
    /// Scalars: the scalar text including quotes, without anchor or tag (block
    /// scalars: their content lines, without the `|`/`>` header). Collections: from the start to the end of the collection; for a
    /// block collection, from the first character of the first entry to the end
    /// of the last value. An absent value (`key:`) has an empty span at the place
    /// where it is missing.
    pub span: Span,
    /// Whether the scalar was written plain (no quotes, no block style), which is
    /// what YAML 1.1 would have read as `yes`/`no` booleans and the like.
    pub plain: bool,
    /// The first parent of the node (an aliased node may have more parents; only
    /// the first is recorded). `None` for the root.
    pub parent: Option<NodeId>,
    /// How [`Node::parent`] reaches this node. `None` for the root (and for a
    /// node anchored on a mapping key until an alias uses it as a value).
    pub key: Option<ParentSlot>,
}

/// One YAML document of a stream, as an arena of located nodes.
#[derive(Clone, Debug)]
pub struct Document {
    nodes: Vec<Node>,
    root: NodeId,
    span: Span,
}

impl Document {
    /// The root node.
    #[must_use]
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The node with this id, if it belongs to this document.
    #[must_use]
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// All nodes, indexed by [`NodeId::index`].
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The ids of all nodes, in arena order (parents before their children).
    #[must_use]
    pub fn node_ids(&self) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        // Node counts never exceed `u32::MAX`: the loader refuses to create more.
        (0..self.nodes.len()).map(|i| NodeId(u32::try_from(i).unwrap_or(u32::MAX)))
    }

    /// Where the document is written: from `---` (or its first node) to its
    /// last node (or `...`).
    #[must_use]
    pub fn span(&self) -> Span {
        self.span
    }

    /// The value of `key` in the mapping `id`; `None` if `id` is not a mapping
    /// or has no such key. Linear in the number of entries.
    #[must_use]
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match &self.node(id)?.value {
            Value::Mapping(entries) => entries.iter().find(|e| e.key == key).map(|e| e.value),
            _ => None,
        }
    }

    /// The mapping entry whose value is `id`, if its first parent is a mapping.
    #[must_use]
    pub fn entry_of(&self, id: NodeId) -> Option<&Entry> {
        let node = self.node(id)?;
        let (Some(parent), Some(ParentSlot::Entry(index))) = (node.parent, node.key) else {
            return None;
        };
        match &self.node(parent)?.value {
            Value::Mapping(entries) => entries.get(index),
            _ => None,
        }
    }

    /// The key under which `id` sits in its first parent mapping.
    #[must_use]
    pub fn key_of(&self, id: NodeId) -> Option<&str> {
        self.entry_of(id).map(|e| e.key.as_str())
    }

    /// How the first parent of `id` reaches it, with the key text; `None` for
    /// the root.
    #[must_use]
    pub fn segment(&self, id: NodeId) -> Option<PathSegment> {
        match self.node(id)?.key? {
            ParentSlot::Entry(_) => self.key_of(id).map(|k| PathSegment::Key(k.to_owned())),
            ParentSlot::Item(index) => Some(PathSegment::Index(index)),
        }
    }

    /// A readable path from the root to `id`, such as
    /// `remote_access.methods[0].approval`; the root is `""`. Keys that are not
    /// made of `[A-Za-z0-9_-]` only are quoted, as in `["a key"]`. An aliased
    /// node is reported at its first parent.
    #[must_use]
    pub fn path_of(&self, id: NodeId) -> String {
        let mut chain: Vec<NodeId> = Vec::new();
        let mut current = id;
        // Parents form a chain towards the root; the bound guards against any
        // malformed arena.
        for _ in 0..self.nodes.len() {
            let Some(node) = self.node(current) else {
                break;
            };
            let (Some(parent), Some(_)) = (node.parent, node.key) else {
                break;
            };
            chain.push(current);
            current = parent;
        }
        let mut out = String::new();
        for &step in chain.iter().rev() {
            match self.node(step).and_then(|n| n.key) {
                Some(ParentSlot::Entry(_)) => {
                    let key = self.key_of(step).unwrap_or("");
                    if is_identifier(key) {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(key);
                    } else {
                        out.push_str("[\"");
                        push_escaped(&mut out, key);
                        out.push_str("\"]");
                    }
                }
                Some(ParentSlot::Item(index)) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
                None => {}
            }
        }
        out
    }

    /// Where to point a human at a node: for a collection that is a mapping
    /// value, the key it is written under; for a mapping that is a sequence item,
    /// the key of its first entry; otherwise [`Node::span`].
    #[must_use]
    pub fn label_span(&self, id: NodeId) -> Span {
        let Some(node) = self.node(id) else {
            return Span::default();
        };
        let parent = node.parent.and_then(|p| self.node(p));
        match (&node.value, parent.map(|p| &p.value)) {
            (Value::Sequence(_) | Value::Mapping(_), Some(Value::Mapping(_))) => {
                self.entry_of(id).map_or(node.span, |e| e.key_span)
            }
            (Value::Mapping(entries), Some(Value::Sequence(_))) => {
                entries.first().map_or(node.span, |e| e.key_span)
            }
            _ => node.span,
        }
    }
}

fn is_identifier(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn push_escaped(out: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Resource limits for [`load`]. Exceeding one is an error, never a truncation.
#[derive(Clone, Debug)]
pub struct YamlLimits {
    /// Largest accepted text, in bytes (default 16 MiB). Checked first.
    pub max_bytes: usize,
    /// Deepest accepted nesting of collections (default 128); the root
    /// collection is depth 1.
    pub max_depth: usize,
    /// Most nodes in the whole stream (default 1,000,000). Aliases add none.
    pub max_nodes: usize,
    /// Most alias uses (`*name`) in the whole stream (default 10,000).
    pub max_aliases: usize,
    /// Largest scalar (key or value), in bytes after unescaping (default 1 MiB).
    pub max_scalar_bytes: usize,
    /// Most documents in one stream (default 1,000).
    pub max_documents: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_aliases: 10_000,
            max_scalar_bytes: 1024 * 1024,
            max_documents: 1_000,
        }
    }
}

/// Parse every document of a YAML stream into located trees.
///
/// An empty stream, or one with only comments, gives no document. A leading
/// byte order mark is accepted; spans always refer to `text` as given.
///
/// # Errors
///
/// A [`YamlError`] for invalid YAML, for YAML that tollgate refuses (duplicate
/// keys, merge keys, non-scalar keys, tags outside the core schema, recursive
/// aliases) and for any exceeded [`YamlLimits`].
pub fn load(text: &str, limits: &YamlLimits) -> Result<Vec<Document>, YamlError> {
    load::load(text, limits)
}

/// What went wrong in a [`YamlError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YamlErrorKind {
    /// The text is not valid YAML (or the parser failed internally).
    Syntax,
    /// A key appears twice in one mapping.
    DuplicateKey,
    /// Collections are nested deeper than [`YamlLimits::max_depth`].
    TooDeep,
    /// More nodes than [`YamlLimits::max_nodes`].
    TooManyNodes,
    /// More aliases than [`YamlLimits::max_aliases`].
    TooManyAliases,
    /// A scalar larger than [`YamlLimits::max_scalar_bytes`].
    ScalarTooLarge,
    /// The text is larger than [`YamlLimits::max_bytes`].
    TooLarge,
    /// More documents than [`YamlLimits::max_documents`].
    TooManyDocuments,
    /// A YAML 1.1 merge key `<<`.
    MergeKey,
    /// A tag outside the YAML 1.2 core schema (`!!set`, `!!omap`, `!local`, ...).
    UnsupportedTag,
    /// A core-schema tag that does not fit its node (`!!int abc`, `!!str` on a
    /// mapping).
    TagMismatch,
    /// A mapping key that is a sequence or a mapping.
    ComplexKey,
    /// An alias to an anchor that is not defined earlier in the same document.
    UnknownAnchor,
    /// An alias inside the node its anchor is on, which would make a cycle.
    RecursiveAlias,
}

impl YamlErrorKind {
    /// The diagnostic code, such as `tollgate::yaml::duplicate_key`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Syntax => "tollgate::yaml::syntax",
            Self::DuplicateKey => "tollgate::yaml::duplicate_key",
            Self::TooDeep => "tollgate::yaml::too_deep",
            Self::TooManyNodes => "tollgate::yaml::too_many_nodes",
            Self::TooManyAliases => "tollgate::yaml::too_many_aliases",
            Self::ScalarTooLarge => "tollgate::yaml::scalar_too_large",
            Self::TooLarge => "tollgate::yaml::too_large",
            Self::TooManyDocuments => "tollgate::yaml::too_many_documents",
            Self::MergeKey => "tollgate::yaml::merge_key",
            Self::UnsupportedTag => "tollgate::yaml::unsupported_tag",
            Self::TagMismatch => "tollgate::yaml::tag_mismatch",
            Self::ComplexKey => "tollgate::yaml::complex_key",
            Self::UnknownAnchor => "tollgate::yaml::unknown_anchor",
            Self::RecursiveAlias => "tollgate::yaml::recursive_alias",
        }
    }
}

impl fmt::Display for YamlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A located YAML error, renderable by miette once the caller attaches the
/// source: `miette::Report::new(err).with_source_code(text)`.
///
/// Boxed inside, so that `Result<_, YamlError>` stays one pointer wide.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", inner.message)]
pub struct YamlError {
    inner: Box<ErrorInner>,
}

#[derive(Clone, Debug, PartialEq)]
struct ErrorInner {
    kind: YamlErrorKind,
    message: String,
    span: Span,
    label: String,
    secondary: Option<(Span, String)>,
    help: Option<String>,
}

impl YamlError {
    pub(crate) fn new(
        kind: YamlErrorKind,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            inner: Box::new(ErrorInner {
                kind,
                message: message.into(),
                span,
                label: label.into(),
                secondary: None,
                help: None,
            }),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.inner.help = Some(help.into());
        self
    }

    pub(crate) fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.inner.secondary = Some((span, label.into()));
        self
    }

    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> YamlErrorKind {
        self.inner.kind
    }

    /// The one-line message (lowercase, no trailing period).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The byte span the error is about (the primary label).
    #[must_use]
    pub fn span(&self) -> Span {
        self.inner.span
    }

    /// The text of the primary label.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// A second location with its label, such as the first definition of a
    /// duplicate key.
    #[must_use]
    pub fn secondary(&self) -> Option<(Span, &str)> {
        self.inner.secondary.as_ref().map(|(s, l)| (*s, l.as_str()))
    }

    /// Advice on how to fix the input, if any.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        self.inner.help.as_deref()
    }

    /// The diagnostic code, such as `tollgate::yaml::duplicate_key`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.inner.kind.code()
    }
}

impl miette::Diagnostic for YamlError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.inner.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner
            .help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = miette::LabeledSpan::new_primary_with_span(
            Some(self.inner.label.clone()),
            self.inner.span,
        );
        let secondary =
            self.inner.secondary.as_ref().map(|(span, label)| {
                miette::LabeledSpan::new_with_span(Some(label.clone()), *span)
            });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}
