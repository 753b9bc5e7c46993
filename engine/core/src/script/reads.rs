//! Read-path extraction: which fields of the bound data an expression reads.
//!
//! A small hand-written scanner (independent of Rhai's internals) finds, in
//! source order, property chains `root.a.b` where `root` is one of the given
//! names. It is used to point a failing condition at the YAML field it reads.
//!
//! Rules:
//! * `root` must be a whole identifier not preceded by `.` / `?.` (so `x.root`
//!   is not a root), outside string literals (`"..."`, `'...'`, `` `...` ``;
//!   code inside `` `${...}` `` interpolations *is* scanned) and comments;
//! * `root(` (a function call) and `root:` (a map-literal key) are not reads;
//! * a chain follows `.` and `?.` (whitespace allowed around them) and stops
//!   *before* a segment followed by `(` (a method call) and *after* a segment
//!   followed by `[` (indexing);
//! * a bare `root` (no property) is reported with the single segment `root`.
//!
//! Limitation: a closure parameter that shadows a root name (`|item| item.x`) is
//! reported like the root.

/// One property chain read by an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPath {
    /// `["root", "a", "b"]` for `root.a.b`.
    pub segments: Vec<String>,
    /// Byte range `(start, end)` of the chain within the source (end exclusive).
    pub span: (usize, usize),
}

/// Find the property chains rooted at one of `roots` that `source` reads, in
/// source order. Never panics, whatever `source` is.
#[must_use]
pub fn read_paths(source: &str, roots: &[&str]) -> Vec<ReadPath> {
    Scanner {
        src: source,
        bytes: source.as_bytes(),
        pos: 0,
    }
    .run(roots)
}

struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Scanner<'a> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn text(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    /// End of the identifier starting at `i`.
    fn ident_end(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_ident_char) {
            i += 1;
        }
        i
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    }

    /// Skip a `"..."` or `'...'` literal whose opening quote is at `self.pos`.
    fn skip_quoted(&mut self, quote: u8) {
        self.pos += 1;
        while let Some(b) = self.at(self.pos) {
            self.pos += if b == b'\\' { 2 } else { 1 };
            if b == quote {
                return;
            }
        }
        self.pos = self.bytes.len();
    }

    /// Skip a block comment (nestable, as in Rhai) starting at `self.pos`.
    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while self.pos < self.bytes.len() {
            match (self.at(self.pos), self.at(self.pos + 1)) {
                (Some(b'/'), Some(b'*')) => {
                    depth += 1;
                    self.pos += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth = depth.saturating_sub(1);
                    self.pos += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Scan backtick-string text from `self.pos` up to its end (returns
    /// `false`) or up to the start of an interpolation `${` (returns `true`,
    /// positioned after `${`).
    fn scan_backtick_text(&mut self) -> bool {
        while let Some(b) = self.at(self.pos) {
            match b {
                b'`' => {
                    self.pos += 1;
                    return false;
                }
                b'$' if self.at(self.pos + 1) == Some(b'{') => {
                    self.pos += 2;
                    return true;
                }
                _ => self.pos += 1,
            }
        }
        false
    }

    fn run(mut self, roots: &[&str]) -> Vec<ReadPath> {
        let mut out = Vec::new();
        // Brace depth of code, and the depths at which open `${` interpolations close.
        let mut braces = 0usize;
        let mut interpolations: Vec<usize> = Vec::new();
        // Last significant byte of code (not whitespace, not a comment).
        let mut prev: Option<u8> = None;

        while let Some(b) = self.at(self.pos) {
            match b {
                _ if b.is_ascii_whitespace() => self.pos += 1,
                b'/' if self.at(self.pos + 1) == Some(b'/') => {
                    while self.at(self.pos).is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b'/' if self.at(self.pos + 1) == Some(b'*') => self.skip_block_comment(),
                b'"' | b'\'' => {
                    self.skip_quoted(b);
                    prev = Some(b);
                }
                b'`' => {
                    self.pos += 1;
                    if self.scan_backtick_text() {
                        interpolations.push(braces);
                        prev = Some(b'{');
                    } else {
                        prev = Some(b'`');
                    }
                }
                b'{' => {
                    braces += 1;
                    self.pos += 1;
                    prev = Some(b);
                }
                b'}' => {
                    self.pos += 1;
                    if interpolations.last() == Some(&braces) {
                        interpolations.pop();
                        if self.scan_backtick_text() {
                            interpolations.push(braces);
                            prev = Some(b'{');
                        } else {
                            prev = Some(b'`');
                        }
                    } else {
                        braces = braces.saturating_sub(1);
                        prev = Some(b);
                    }
                }
                _ if b.is_ascii_digit() => {
                    // Numbers, including `1.5`, `1_000`, `0x1F`, `1e9`.
                    while let Some(c) = self.at(self.pos) {
                        let fraction_dot =
                            c == b'.' && self.at(self.pos + 1).is_some_and(|d| d.is_ascii_digit());
                        if is_ident_char(c) || fraction_dot {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                    prev = Some(b'0');
                }
                _ if is_ident_start(b) => {
                    let start = self.pos;
                    let end = self.ident_end(start);
                    let name = self.text(start, end);
                    self.pos = end;
                    if prev != Some(b'.')
                        && roots.contains(&name)
                        && let Some(path) = self.chain(start, end)
                    {
                        self.pos = path.span.1;
                        out.push(path);
                    }
                    prev = Some(b'a');
                }
                _ => {
                    self.pos += 1;
                    prev = Some(b);
                }
            }
        }
        out
    }

    /// The chain starting with the root identifier at `start..end`, or `None`
    /// when the root is a function call or a map-literal key.
    fn chain(&self, start: usize, end: usize) -> Option<ReadPath> {
        let after = self.skip_ws(end);
        match (self.at(after), self.at(after + 1)) {
            (Some(b'('), _) => return None,
            (Some(b':'), next) if next != Some(b':') => return None,
            _ => {}
        }
        let mut segments = vec![self.text(start, end).to_owned()];
        let mut span_end = end;
        let mut i = end;
        loop {
            let k = self.skip_ws(i);
            let k = match (self.at(k), self.at(k + 1)) {
                (Some(b'.'), _) => k + 1,
                (Some(b'?'), Some(b'.')) => k + 2,
                _ => break,
            };
            let seg_start = self.skip_ws(k);
            if !self.at(seg_start).is_some_and(is_ident_start) {
                break;
            }
            let seg_end = self.ident_end(seg_start);
            let next = self.skip_ws(seg_end);
            if self.at(next) == Some(b'(') {
                break;
            }
            segments.push(self.text(seg_start, seg_end).to_owned());
            span_end = seg_end;
            i = seg_end;
            if self.at(next) == Some(b'[') {
                break;
            }
        }
        Some(ReadPath {
            segments,
            span: (start, span_end),
        })
    }
}
