//! The event loop: `saphyr-parser` events into located arena documents.
//!
//! Open collections live on an explicit stack of [`Frame`]s, so nesting depth
//! never grows the call stack.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::panic::{AssertUnwindSafe, catch_unwind};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as ParserSpan, Tag};

use super::offsets::Offsets;
use super::scalar::{self, ScalarError, TagKind};
use super::{
    Document, Entry, Node, NodeId, ParentSlot, Span, Text, Value, YamlError, YamlErrorKind,
    YamlLimits,
};

/// Mappings with more entries than this detect duplicate keys with a hash index
/// instead of a linear scan.
const LINEAR_DUPLICATE_SCAN: usize = 16;

/// The parser's message for an alias whose anchor it does not know.
const UNKNOWN_ANCHOR_MESSAGE: &str = "while parsing node, found unknown anchor";

/// The scanner's message past 255 nested flow collections.
const FLOW_LIMIT_MESSAGE: &str = "recursion limit exceeded";

/// The most flow collections the scanner can nest.
const FLOW_LIMIT: usize = 255;

const SUPPORTED_TAGS: &str = "!!str, !!int, !!float, !!bool, !!null, !!map, !!seq";

/// See [`super::load`].
pub(crate) fn load(text: &str, limits: &YamlLimits) -> Result<Vec<Document>, YamlError> {
    if text.len() > limits.max_bytes {
        let at = floor_char_boundary(text, limits.max_bytes);
        return Err(YamlError::new(
            YamlErrorKind::TooLarge,
            format!(
                "yaml text is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
            char_span(text, at),
            "the limit is reached here",
        )
        .with_help("split the file or raise the size limit"));
    }
    // Strip a leading byte order mark ourselves so that ASCII text after it keeps
    // the cheap offset conversion; positions are shifted back by its 3 bytes.
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    guarded(|| Loader::new(text, body, base, limits).run())
}

/// Run `load`, turning a panic (the loader has none by design; this guards
/// against the parser) into a syntax error.
pub(crate) fn guarded(
    load: impl FnOnce() -> Result<Vec<Document>, YamlError>,
) -> Result<Vec<Document>, YamlError> {
    catch_unwind(AssertUnwindSafe(load)).unwrap_or_else(|_| {
        Err(YamlError::new(
            YamlErrorKind::Syntax,
            "internal yaml parser error",
            Span::default(),
            "while reading this file",
        )
        .with_help("the yaml parser failed on this input; please report it to tollgate"))
    })
}

/// Loads one stream.
struct Loader<'t> {
    /// The original text, byte order mark included.
    text: &'t str,
    /// The text given to the parser.
    body: &'t str,
    offsets: Offsets<'t>,
    limits: &'t YamlLimits,
    docs: Vec<Document>,
    /// Node capacity to reserve for the next document: a guess from the text
    /// size for the first, the previous document's size after that.
    reserve: usize,
    /// Nodes of finished documents, for [`YamlLimits::max_nodes`].
    finished_nodes: usize,
    /// Aliases met in the whole stream.
    aliases: usize,
    /// Created on the first mapping large enough to need a hash index.
    hasher: Option<RandomState>,

    // The document under construction.
    in_document: bool,
    nodes: Vec<Node>,
    root: Option<NodeId>,
    root_end: usize,
    document_start: usize,
    /// Open collections, innermost last.
    frames: Vec<Frame>,
    /// Items of the open sequences, each frame's after its `base`.
    items: Vec<NodeId>,
    /// Entries of the open mappings, each frame's after its `base`.
    entries: Vec<Entry>,
    /// Anchors of this document in definition order (parser ids increase).
    anchors: Vec<Anchor>,
}

struct Anchor {
    /// The parser's anchor id.
    id: usize,
    node: NodeId,
    /// The anchored collection is still open (an alias to it would be a cycle).
    open: bool,
    /// Scalar text, so that an alias can be used as a mapping key.
    key_text: Option<Text>,
}

/// An open collection.
struct Frame {
    id: NodeId,
    kind: Collection,
    /// Where this collection's items or entries start in the shared stack.
    base: usize,
    /// Mapping whose last entry has its key but not yet its value.
    awaiting_value: bool,
    /// Flow collections end at their closing bracket, block ones at their last value.
    flow: bool,
    start: usize,
    last_end: usize,
    /// Index into [`Loader::anchors`] of the anchor on this collection.
    anchor: Option<usize>,
    /// Key hash to entry number, built once the mapping is large.
    index: Option<HashMap<u64, usize>>,
}

/// A collection start, as reported by the parser.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Collection {
    Sequence,
    Mapping,
}

impl Collection {
    const fn noun(self) -> &'static str {
        match self {
            Self::Sequence => "sequence",
            Self::Mapping => "mapping",
        }
    }
}

/// Placeholder value of an entry whose value is not parsed yet.
const NO_VALUE: NodeId = NodeId(u32::MAX);

/// Where a node's tag and content are.
struct Located {
    /// The node's content (scalar text or collection).
    span: Span,
    /// The tag, if any.
    tag: Option<Span>,
}

impl<'t> Loader<'t> {
    fn new(text: &'t str, body: &'t str, base: usize, limits: &'t YamlLimits) -> Self {
        Self {
            text,
            body,
            offsets: Offsets::new(body, base),
            limits,
            docs: Vec::new(),
            // About one node per 24 bytes of typical configuration text.
            reserve: (body.len() / 24).clamp(8, 4096),
            finished_nodes: 0,
            aliases: 0,
            hasher: None,
            in_document: false,
            nodes: Vec::new(),
            root: None,
            root_end: 0,
            document_start: 0,
            // Enough for typical configuration files without regrowing.
            frames: Vec::with_capacity(16),
            items: Vec::with_capacity(64),
            entries: Vec::with_capacity(64),
            anchors: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Vec<Document>, YamlError> {
        let mut parser = Parser::new_from_str(self.body);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_error(&e))?;
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => self.document_start(span)?,
                Event::DocumentEnd => self.document_end(span)?,
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(&value, style, anchor, tag.as_deref(), span)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.collection_start(Collection::Sequence, anchor, tag.as_deref(), span)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.collection_start(Collection::Mapping, anchor, tag.as_deref(), span)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.collection_end(span)?,
                Event::Alias(id) => self.alias(id, span)?,
            }
        }
        Ok(self.docs)
    }

    #[inline]
    fn byte(&self, index: usize) -> usize {
        self.offsets.byte(index)
    }

    #[inline]
    fn bytes(&self, span: ParserSpan) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }

    // ----- documents -----

    fn document_start(&mut self, span: ParserSpan) -> Result<(), YamlError> {
        let start = self.byte(span.start.index());
        if self.docs.len() >= self.limits.max_documents {
            return Err(YamlError::new(
                YamlErrorKind::TooManyDocuments,
                format!(
                    "yaml stream has more than {} documents",
                    self.limits.max_documents
                ),
                char_span(self.text, start),
                "this document is over the limit",
            )
            .with_help("split the stream into several files or raise the document limit"));
        }
        self.in_document = true;
        self.nodes = Vec::with_capacity(self.reserve);
        self.root = None;
        self.root_end = start;
        self.document_start = start;
        self.frames.clear();
        self.items.clear();
        self.entries.clear();
        self.anchors.clear();
        Ok(())
    }

    fn document_end(&mut self, span: ParserSpan) -> Result<(), YamlError> {
        let end_marker = self.bytes(span);
        let root = match self.root {
            Some(root) if self.in_document && self.frames.is_empty() => root,
            _ => return Err(internal(end_marker, "document end without a complete root")),
        };
        self.in_document = false;
        let explicit_end = self.text.get(end_marker.range()) == Some("...");
        let end = if explicit_end {
            end_marker.end
        } else {
            self.root_end
        };
        let mut nodes = std::mem::take(&mut self.nodes);
        if nodes.capacity() > 2 * nodes.len() + 64 {
            // The first guess was for a single document filling the stream.
            nodes.shrink_to_fit();
        }
        self.reserve = nodes.len().max(8);
        self.finished_nodes += nodes.len();
        self.docs.push(Document {
            nodes,
            root,
            span: Span::new(self.document_start.min(end), end),
        });
        Ok(())
    }

    // ----- nodes -----

    /// Whether the next node is a mapping key.
    #[inline]
    fn at_key(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame {
                kind: Collection::Mapping,
                awaiting_value: false,
                ..
            })
        )
    }

    /// Add a node (ending at byte `end`) to the innermost open collection, or
    /// make it the root.
    #[inline]
    fn add_node(
        &mut self,
        value: Value,
        span: Span,
        plain: bool,
        end: usize,
    ) -> Result<NodeId, YamlError> {
        let id = self.next_id(span)?;
        let (parent, key) = self.link(id, end)?;
        self.nodes.push(Node {
            value,
            span,
            plain,
            parent,
            key,
        });
        Ok(id)
    }

    /// The id of the next node, within [`YamlLimits::max_nodes`].
    #[inline]
    fn next_id(&self, span: Span) -> Result<NodeId, YamlError> {
        if !self.in_document {
            return Err(internal(span, "node outside of a document"));
        }
        if self.finished_nodes + self.nodes.len() >= self.limits.max_nodes {
            return Err(YamlError::new(
                YamlErrorKind::TooManyNodes,
                format!("yaml stream has more than {} nodes", self.limits.max_nodes),
                char_span(self.text, span.start),
                "this node is over the limit",
            )
            .with_help("split the file or raise the node limit"));
        }
        u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i < NO_VALUE.0)
            .map(NodeId)
            .ok_or_else(|| internal(span, "too many nodes for a node id"))
    }

    /// Record node `id` as the next child of the innermost open collection (or
    /// as the root) and return its parent and path segment.
    #[inline]
    fn link(
        &mut self,
        id: NodeId,
        end: usize,
    ) -> Result<(Option<NodeId>, Option<ParentSlot>), YamlError> {
        let Some(frame) = self.frames.last_mut() else {
            if self.root.is_some() {
                return Err(internal(Span::new(end, end), "second root node"));
            }
            self.root = Some(id);
            self.root_end = end;
            return Ok((None, None));
        };
        frame.last_end = frame.last_end.max(end);
        let segment = match frame.kind {
            Collection::Sequence => {
                let index = self.items.len().saturating_sub(frame.base);
                self.items.push(id);
                ParentSlot::Item(index)
            }
            Collection::Mapping => {
                let count = self.entries.len();
                let entry = match self.entries.last_mut() {
                    Some(entry) if frame.awaiting_value => entry,
                    _ => return Err(internal(Span::new(end, end), "mapping value without a key")),
                };
                entry.value = id;
                frame.awaiting_value = false;
                ParentSlot::Entry(count.saturating_sub(1 + frame.base))
            }
        };
        Ok((Some(frame.id), Some(segment)))
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: ParserSpan,
    ) -> Result<(), YamlError> {
        let event = self.bytes(span);
        let has_properties = anchor > 0 || tag.is_some();
        let located = if has_properties {
            self.locate_properties(event)
        } else {
            Located {
                span: event,
                tag: None,
            }
        };
        let span = self.scalar_span(value, style, located.span, has_properties);
        if value.len() > self.limits.max_scalar_bytes {
            return Err(YamlError::new(
                YamlErrorKind::ScalarTooLarge,
                format!(
                    "scalar is {} bytes, more than the limit of {} bytes",
                    value.len(),
                    self.limits.max_scalar_bytes
                ),
                span,
                "this scalar is too large",
            )
            .with_help("move large content out of the yaml file or raise the scalar limit"));
        }
        let tag_kind = TagKind::of(tag);
        let plain = style == ScalarStyle::Plain;
        if self.at_key() {
            if tag.is_some() {
                scalar::check_key(value, style, tag_kind)
                    .map_err(|e| self.tag_error(e, located.tag.unwrap_or(span), value))?;
            } else if plain && value == "<<" {
                return Err(merge_key_error(span));
            }
            let key = Text::from(value);
            if anchor > 0 {
                // Keep an anchored key as a node too, so aliases can use it as a value.
                let node_value = scalar::resolve(&key, style, tag_kind)
                    .map_err(|e| self.tag_error(e, located.tag.unwrap_or(span), &key))?;
                let id = self.next_id(span)?;
                self.nodes.push(Node {
                    value: node_value,
                    span,
                    plain,
                    parent: None,
                    key: None,
                });
                self.register_anchor(anchor, id, false, Some(key.clone()));
            }
            return self.key(key, span);
        }
        let key_text = (anchor > 0).then(|| Text::from(&*value));
        let resolved = scalar::resolve(value, style, tag_kind).map_err(|e| {
            let text = key_text.as_deref().unwrap_or_else(|| self.source(span));
            self.tag_error(e, located.tag.unwrap_or(span), text)
        })?;
        let id = self.add_node(resolved, span, plain, span.end)?;
        if anchor > 0 {
            self.register_anchor(anchor, id, false, key_text);
        }
        Ok(())
    }

    /// The span of a scalar's text within `content` (properties already skipped).
    #[inline]
    fn scalar_span(
        &self,
        value: &str,
        style: ScalarStyle,
        content: Span,
        has_properties: bool,
    ) -> Span {
        match style {
            // An absent scalar: the parser reports a neighbouring token (`:`, `-`,
            // `?`) or the properties; point at where the value is missing.
            ScalarStyle::Plain if value.is_empty() => {
                let at = if has_properties {
                    content.end
                } else {
                    content.start
                };
                Span::new(at, at)
            }
            // Block scalars extend over their trailing line breaks; stop at the text.
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let bytes = self.text.as_bytes();
                let mut end = content.end;
                while end > content.start.saturating_add(1)
                    && matches!(
                        bytes.get(end.wrapping_sub(1)),
                        Some(b' ' | b'\t' | b'\r' | b'\n')
                    )
                {
                    end -= 1;
                }
                Span::new(content.start, end)
            }
            _ => content,
        }
    }

    /// A scalar in key position starts a new entry of the open mapping.
    fn key(&mut self, key: Text, span: Span) -> Result<(), YamlError> {
        let Some(frame) = self.frames.last_mut() else {
            return Err(internal(span, "key outside of a mapping"));
        };
        frame.last_end = frame.last_end.max(span.end);
        let entries = self.entries.get(frame.base..).unwrap_or_default();
        let duplicate = if entries.len() < LINEAR_DUPLICATE_SCAN {
            entries.iter().find(|e| e.key == key).map(|e| e.key_span)
        } else {
            let hasher = self.hasher.get_or_insert_with(RandomState::new);
            find_duplicate(entries, &mut frame.index, hasher, &key)
        };
        if let Some(first) = duplicate {
            let message = format!("duplicate key {} in this mapping", quote(&key));
            return Err(YamlError::new(
                YamlErrorKind::DuplicateKey,
                message,
                span,
                "duplicate key",
            )
            .with_secondary(first, "first defined here")
            .with_help("remove one of the two entries; YAML keeps only one value per key"));
        }
        frame.awaiting_value = true;
        self.entries.push(Entry {
            key,
            key_span: span,
            value: NO_VALUE,
        });
        Ok(())
    }

    fn collection_start(
        &mut self,
        kind: Collection,
        anchor: usize,
        tag: Option<&Tag>,
        span: ParserSpan,
    ) -> Result<(), YamlError> {
        let event = self.bytes(span);
        let located = if anchor > 0 || tag.is_some() {
            self.locate_properties(event)
        } else {
            Located {
                span: event,
                tag: None,
            }
        };
        let start = self.collection_start_byte(kind, located.span);
        let here = || char_span(self.text, start);
        if self.frames.len() >= self.limits.max_depth {
            return Err(too_deep(here(), self.limits.max_depth));
        }
        match (TagKind::of(tag), kind) {
            (TagKind::None | TagKind::NonSpecific, _)
            | (TagKind::Map, Collection::Mapping)
            | (TagKind::Seq, Collection::Sequence) => {}
            (tag_kind, _) => {
                let tag_span = located.tag.unwrap_or_else(here);
                let tag_text = self.source(tag_span);
                return Err(if tag_kind == TagKind::Unsupported {
                    unsupported_tag(tag_span, tag_text)
                } else {
                    YamlError::new(
                        YamlErrorKind::TagMismatch,
                        format!(
                            "tag {} cannot be applied to a {}",
                            quote(tag_text),
                            kind.noun()
                        ),
                        tag_span,
                        "this tag",
                    )
                    .with_help(format!("remove the tag; the {} needs none", kind.noun()))
                });
            }
        }
        if self.at_key() {
            return Err(complex_key(here(), kind.noun()));
        }
        let value = match kind {
            Collection::Sequence => Value::Sequence(Vec::new()),
            Collection::Mapping => Value::Mapping(Vec::new()),
        };
        let id = self.add_node(value, Span::new(start, start), false, start)?;
        // After `add_node`, which may have pushed this node as an item of its parent.
        let base = match kind {
            Collection::Sequence => self.items.len(),
            Collection::Mapping => self.entries.len(),
        };
        let anchor = (anchor > 0).then(|| self.register_anchor(anchor, id, true, None));
        let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
        self.frames.push(Frame {
            id,
            kind,
            base,
            awaiting_value: false,
            flow,
            start,
            last_end: start,
            anchor,
            index: None,
        });
        Ok(())
    }

    /// First byte of a collection whose content the parser reports at `content`.
    fn collection_start_byte(&self, kind: Collection, content: Span) -> usize {
        let bytes = self.text.as_bytes();
        let start = content.start;
        // A sequence that is not indented under its key (`key:\n- a`) is reported
        // at its first item; start at the item's `-`.
        if kind == Collection::Sequence && !matches!(bytes.get(start), Some(b'-' | b'[')) {
            let mut at = start;
            while at > 0 && matches!(bytes.get(at - 1), Some(b' ' | b'\t')) {
                at -= 1;
            }
            if at > 0 && bytes.get(at - 1) == Some(&b'-') {
                return at - 1;
            }
        }
        start
    }

    fn collection_end(&mut self, span: ParserSpan) -> Result<(), YamlError> {
        let Some(frame) = self.frames.pop() else {
            return Err(internal(self.bytes(span), "collection end without a start"));
        };
        // The parser's span of a closing bracket runs on over trailing blanks
        // and comments; keep the bracket only.
        let end = if frame.flow {
            let at = self.byte(span.start.index());
            match self.text.as_bytes().get(at) {
                Some(b']' | b'}') => at + 1,
                _ => char_span(self.text, at).end,
            }
        } else {
            frame.last_end
        }
        .max(frame.start);
        let value = match frame.kind {
            Collection::Sequence => Value::Sequence(drain_from(&mut self.items, frame.base)),
            Collection::Mapping => {
                if frame.awaiting_value {
                    return Err(internal(Span::new(end, end), "mapping key without a value"));
                }
                Value::Mapping(drain_from(&mut self.entries, frame.base))
            }
        };
        let Some(node) = self.nodes.get_mut(frame.id.index()) else {
            return Err(internal(Span::new(end, end), "unknown collection node"));
        };
        node.span = Span::new(frame.start, end);
        node.value = value;
        if let Some(anchor) = frame.anchor.and_then(|i| self.anchors.get_mut(i)) {
            anchor.open = false;
        }
        match self.frames.last_mut() {
            Some(parent) => parent.last_end = parent.last_end.max(end),
            None => self.root_end = end,
        }
        Ok(())
    }

    fn alias(&mut self, anchor_id: usize, span: ParserSpan) -> Result<(), YamlError> {
        let span = self.bytes(span);
        self.aliases += 1;
        if self.aliases > self.limits.max_aliases {
            return Err(YamlError::new(
                YamlErrorKind::TooManyAliases,
                format!(
                    "yaml stream uses more than {} aliases",
                    self.limits.max_aliases
                ),
                span,
                "this alias is over the limit",
            )
            .with_help("write the values out or raise the alias limit"));
        }
        let name = self.source(span);
        let found = self
            .anchors
            .binary_search_by_key(&anchor_id, |a| a.id)
            .ok()
            .and_then(|i| self.anchors.get(i));
        let Some(anchor) = found else {
            // The parser keeps anchors across documents; YAML does not.
            return Err(unknown_anchor(span, name));
        };
        if anchor.open {
            return Err(YamlError::new(
                YamlErrorKind::RecursiveAlias,
                format!("alias {} refers to a node that contains it", quote(name)),
                span,
                "this alias is inside its own anchor",
            )
            .with_help(
                "yaml data for tollgate must be a tree; move the alias out of the anchored node",
            ));
        }
        let node = anchor.node;
        if self.at_key() {
            return if let Some(key) = anchor.key_text.clone() {
                self.key(key, span)
            } else {
                let noun = match self.nodes.get(node.index()).map(|n| &n.value) {
                    Some(Value::Sequence(_)) => "sequence",
                    _ => "mapping",
                };
                Err(complex_key(span, noun))
            };
        }
        let is_root = self.root == Some(node);
        let (parent, key) = self.link(node, span.end)?;
        // An aliased node keeps its first parent; a node anchored on a mapping
        // key has none until its first use.
        if let Some(target) = self.nodes.get_mut(node.index())
            && target.parent.is_none()
            && !is_root
        {
            target.parent = parent;
            target.key = key;
        }
        Ok(())
    }

    /// Record anchor `id` on `node`; `open` while the anchored collection is
    /// open. Returns its index in [`Loader::anchors`].
    fn register_anchor(
        &mut self,
        id: usize,
        node: NodeId,
        open: bool,
        key_text: Option<Text>,
    ) -> usize {
        self.anchors.push(Anchor {
            id,
            node,
            open,
            key_text,
        });
        self.anchors.len() - 1
    }

    // ----- source text helpers -----

    /// The source text of `span` (empty if out of bounds).
    fn source(&self, span: Span) -> &'t str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Split the parser's node span, which starts with the anchor and/or tag,
    /// into the tag and the content.
    fn locate_properties(&self, event: Span) -> Located {
        let bytes = self.text.as_bytes();
        let limit = event.end.min(bytes.len());
        let mut at = event.start;
        let mut tag = None;
        for _ in 0..2 {
            match bytes.get(at) {
                Some(b'&') => {
                    at = skip_until(bytes, at + 1, limit, is_property_end);
                }
                Some(b'!') => {
                    let tag_start = at;
                    at = if bytes.get(at + 1) == Some(&b'<') {
                        (skip_until(bytes, at + 2, limit, |b| b == b'>') + 1).min(limit)
                    } else {
                        skip_until(bytes, at + 1, limit, is_property_end)
                    };
                    tag = Some(Span::new(tag_start, at));
                }
                _ => break,
            }
            at = skip_separation(bytes, at, limit);
        }
        // Separation is skipped only up to the end of the parser's span, so an
        // empty scalar's content starts where its properties end.
        Located {
            span: Span::new(at, event.end.max(at)),
            tag,
        }
    }

    // ----- errors -----

    fn scan_error(&self, error: &ScanError) -> YamlError {
        let at = self.byte(error.marker().index());
        if error.info() == UNKNOWN_ANCHOR_MESSAGE {
            let len = self.text.len();
            let end = if at < len {
                skip_until(self.text.as_bytes(), at + 1, len, is_property_end)
            } else {
                len
            };
            let span = Span::new(at.min(len), end.clamp(at.min(len), len));
            return unknown_anchor(span, self.source(span));
        }
        if error.info() == FLOW_LIMIT_MESSAGE {
            // The scanner looks ahead, so it can fail before the loader sees the
            // collection that passes `max_depth`.
            return too_deep(
                char_span(self.text, at),
                self.limits.max_depth.min(FLOW_LIMIT),
            );
        }
        YamlError::new(
            YamlErrorKind::Syntax,
            lowercase_first(error.info()),
            char_span(self.text, at),
            "here",
        )
    }

    fn tag_error(&self, error: ScalarError, tag_span: Span, value: &str) -> YamlError {
        let tag_text = self.source(tag_span);
        match error {
            ScalarError::Unsupported => unsupported_tag(tag_span, tag_text),
            ScalarError::Mismatch => YamlError::new(
                YamlErrorKind::TagMismatch,
                format!("{} is not a valid {} value", quote(value), quote(tag_text)),
                tag_span,
                "this tag",
            )
            .with_help("fix the value or remove the tag"),
        }
    }
}

/// Move `stack[base..]` into a new vector of exactly that length.
fn drain_from<T>(stack: &mut Vec<T>, base: usize) -> Vec<T> {
    stack.drain(base.min(stack.len())..).collect()
}

/// Find an earlier entry with `key` in a large mapping through a hash index of
/// its keys, built on first use.
fn find_duplicate(
    entries: &[Entry],
    index: &mut Option<HashMap<u64, usize>>,
    hasher: &RandomState,
    key: &str,
) -> Option<Span> {
    let map = index.get_or_insert_with(|| {
        let mut map = HashMap::with_capacity(entries.len() * 2);
        for (i, entry) in entries.iter().enumerate() {
            map.entry(hasher.hash_one(entry.key.as_str())).or_insert(i);
        }
        map
    });
    let hash = hasher.hash_one(key);
    match map.get(&hash).and_then(|&i| entries.get(i)) {
        Some(entry) if entry.key == key => Some(entry.key_span),
        // A hash collision with a different key: fall back to a full scan.
        Some(_) => entries.iter().find(|e| e.key == key).map(|e| e.key_span),
        None => {
            map.insert(hash, entries.len());
            None
        }
    }
}

fn is_property_end(byte: u8) -> bool {
    matches!(
        byte,
        b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
    )
}

/// First position in `from..limit` whose byte satisfies `stop`, else `limit`.
fn skip_until(bytes: &[u8], from: usize, limit: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut at = from;
    while at < limit {
        match bytes.get(at) {
            Some(&b) if !stop(b) => at += 1,
            _ => break,
        }
    }
    at.min(limit.max(from))
}

/// Skip white space, line breaks and comments.
fn skip_separation(bytes: &[u8], from: usize, limit: usize) -> usize {
    let mut at = from;
    while at < limit {
        match bytes.get(at) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
            Some(b'#') => at = skip_until(bytes, at, limit, |b| b == b'\n'),
            _ => break,
        }
    }
    at
}

/// The character starting at byte `at` (empty at the end of the text).
fn char_span(text: &str, at: usize) -> Span {
    let at = floor_char_boundary(text, at);
    let width = text
        .get(at..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + width)
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// User text in backticks, shortened and with control characters escaped.
fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut out = String::from("`");
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

fn internal(span: Span, what: &str) -> YamlError {
    YamlError::new(
        YamlErrorKind::Syntax,
        format!("internal yaml loader error: {what}"),
        span,
        "while reading this",
    )
}

fn too_deep(span: Span, limit: usize) -> YamlError {
    YamlError::new(
        YamlErrorKind::TooDeep,
        format!("yaml nesting is deeper than the limit of {limit} levels"),
        span,
        "this collection is too deep",
    )
    .with_help("flatten the document or raise the depth limit")
}

fn unsupported_tag(span: Span, tag: &str) -> YamlError {
    YamlError::new(
        YamlErrorKind::UnsupportedTag,
        format!("unsupported tag {}", quote(tag)),
        span,
        "tollgate does not apply this tag",
    )
    .with_help(format!(
        "remove the tag; tollgate reads plain YAML 1.2 data and supports only {SUPPORTED_TAGS}"
    ))
}

fn merge_key_error(span: Span) -> YamlError {
    YamlError::new(
        YamlErrorKind::MergeKey,
        "merge keys (`<<`) are not supported",
        span,
        "merge key",
    )
    .with_help("write the fields out; merge keys are a YAML 1.1 feature tollgate does not apply")
}

fn complex_key(span: Span, noun: &str) -> YamlError {
    YamlError::new(
        YamlErrorKind::ComplexKey,
        format!("a {noun} cannot be a mapping key"),
        span,
        "this key is not a scalar",
    )
    .with_help("use a plain or quoted string as the key")
}

fn unknown_anchor(span: Span, alias: &str) -> YamlError {
    let name = alias.strip_prefix('*').unwrap_or(alias);
    YamlError::new(
        YamlErrorKind::UnknownAnchor,
        format!("alias {} refers to an unknown anchor", quote(alias)),
        span,
        "unknown anchor",
    )
    .with_help(format!(
        "define the anchor with {} on a node earlier in the same document",
        quote(&format!("&{name}"))
    ))
}
