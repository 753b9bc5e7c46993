//! Source files and byte spans shared by every phase
//!
//! Every file tollgate reads (rule files and YAML inputs) is held once as a [`SourceFile`];
//! everything that points into a file does so with a byte [`Span`], which is miette's unit.
//! Lines and columns are computed from a lazily built line index only when a human or a
//! report needs them.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// Byte range `start..end` in a source text
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// First byte
    pub start: usize,
    /// One past the last byte
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Length in bytes
    #[must_use]
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The span as a `Range`, ready to slice the source text with `str::get`
    #[must_use]
    pub const fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The smallest span covering both
    #[must_use]
    pub fn cover(self, other: Self) -> Self {
        Self::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A 1-based line and column; the column counts Unicode characters
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct LineCol {
    /// Line, starting at 1
    pub line: usize,
    /// Column in characters, starting at 1
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A named text held once and shared by every diagnostic that points into it
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// A source with a display name (a relative path, `<stdin>` or `builtin:...`)
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// Display name
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Shared handle to the text
    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text a span covers, or `""` if it is out of bounds
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Line and column of a byte offset (clamped to the text)
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line_index = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count());
        LineCol {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// A miette source for rendering, sharing the text
    #[must_use]
    pub fn named_source(&self) -> miette::NamedSource<Arc<str>> {
        miette::NamedSource::new(&self.name, Arc::clone(&self.text))
    }
}
