//! Native conditions: the common shape of a condition evaluated on the located tree, no Rhai
//!
//! Most conditions are comparisons of fields with literals or parameters joined by `&&`, `||`
//! and `!`. Those are compiled here as well as by Rhai, and evaluated directly on the YAML
//! tree: no conversion of the document into script values, no script call. Whenever a value
//! is not one this evaluator is sure about (mixed types, a list, a missing value in an
//! ordering comparison), evaluation returns `None` and the caller runs the Rhai expression, so
//! results and error messages are Rhai's by construction. A differential test checks the two
//! agree.

use crate::pack::ResolvedPath;

/// A comparison operator
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A literal
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// `()`
    Unit,
}

/// A helper function the native evaluator implements exactly as the script helper does
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    /// `age_days(date)`
    AgeDays,
    /// `days_between(a, b)`
    DaysBetween,
    /// `exists(list, key, value)`
    Exists,
    /// `has(map, key)`
    Has,
    /// `is_one_of(value, list)`
    IsOneOf,
    /// `is_date(text)`
    IsDate,
    /// `date_before(a, b)`
    DateBefore,
    /// `is_empty(x)`
    IsEmpty,
    /// `count(x)`
    Count,
    /// `lower(text)`: only as the text argument of `is_one_of` or `matches_any`
    Lower,
    /// `matches_any(text, prefixes)`
    MatchesAny,
    /// `all_in(list, allowed)`
    AllIn,
    /// `as_of()`
    AsOf,
}

impl Function {
    fn named(name: &str) -> Option<(Self, usize)> {
        match name {
            "age_days" => Some((Self::AgeDays, 1)),
            "days_between" => Some((Self::DaysBetween, 2)),
            "exists" => Some((Self::Exists, 3)),
            "has" => Some((Self::Has, 2)),
            "is_one_of" => Some((Self::IsOneOf, 2)),
            "is_date" => Some((Self::IsDate, 1)),
            "date_before" => Some((Self::DateBefore, 2)),
            "is_empty" => Some((Self::IsEmpty, 1)),
            "count" => Some((Self::Count, 1)),
            "lower" => Some((Self::Lower, 1)),
            "matches_any" => Some((Self::MatchesAny, 2)),
            "all_in" => Some((Self::AllIn, 2)),
            "as_of" => Some((Self::AsOf, 0)),
            _ => None,
        }
    }
}

/// Something a comparison reads
#[derive(Clone, Debug)]
pub(crate) enum Operand {
    /// A field of the document, or a parameter
    Path(ResolvedPath),
    Literal(Literal),
    /// A helper call with its arguments
    Call(Function, Vec<Operand>),
    /// `[literal, ...]`
    List(Vec<Literal>),
    /// `(if COND { A } else { B })`, with `else if` chains nested in the else branch
    If(Box<NativeExpr>, Box<Operand>, Box<Operand>),
}

/// A condition in the native subset
#[derive(Clone, Debug)]
pub(crate) enum NativeExpr {
    Or(Box<NativeExpr>, Box<NativeExpr>),
    And(Box<NativeExpr>, Box<NativeExpr>),
    Not(Box<NativeExpr>),
    Compare(CmpOp, Operand, Operand),
    /// A bare operand that must be a boolean
    Truthy(Operand),
}

/// A value as the native evaluator sees it
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum NativeValue<'a> {
    Unit,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// A list or a mapping: always handed to Rhai
    Collection,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Dot,
    Literal(Literal),
    Op(CmpOp),
    And,
    Or,
    Not,
    Open,
    Close,
    Comma,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
}

/// Punctuation that is a token on its own
fn single_char_token(b: u8) -> Option<Token> {
    Some(match b {
        b'(' => Token::Open,
        b')' => Token::Close,
        b'[' => Token::OpenBracket,
        b']' => Token::CloseBracket,
        b'{' => Token::OpenBrace,
        b'}' => Token::CloseBrace,
        b'.' => Token::Dot,
        b',' => Token::Comma,
        _ => return None,
    })
}

fn tokenize(source: &str) -> Option<Vec<Token>> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let two = source.get(i..i + 2).unwrap_or("");
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            // `()` is the unit value, unless it ends a call such as `as_of()`
            b'(' if source.get(i + 1..i + 2) == Some(")")
                && !matches!(tokens.last(), Some(Token::Ident(_))) =>
            {
                tokens.push(Token::Literal(Literal::Unit));
                i += 2;
            }
            _ if single_char_token(b).is_some() => {
                tokens.extend(single_char_token(b));
                i += 1;
            }
            _ if two == "&&" => {
                tokens.push(Token::And);
                i += 2;
            }
            _ if two == "||" => {
                tokens.push(Token::Or);
                i += 2;
            }
            _ if two == "==" => {
                tokens.push(Token::Op(CmpOp::Eq));
                i += 2;
            }
            _ if two == "!=" => {
                tokens.push(Token::Op(CmpOp::Ne));
                i += 2;
            }
            _ if two == "<=" => {
                tokens.push(Token::Op(CmpOp::Le));
                i += 2;
            }
            _ if two == ">=" => {
                tokens.push(Token::Op(CmpOp::Ge));
                i += 2;
            }
            b'<' => {
                tokens.push(Token::Op(CmpOp::Lt));
                i += 1;
            }
            b'>' => {
                tokens.push(Token::Op(CmpOp::Gt));
                i += 1;
            }
            b'!' => {
                tokens.push(Token::Not);
                i += 1;
            }
            b'"' => {
                let rest = source.get(i + 1..)?;
                let end = rest.find('"')?;
                let text = rest.get(..end)?;
                if text.contains('\\') || text.contains('\n') || text.contains("${") {
                    return None;
                }
                tokens.push(Token::Literal(Literal::Str(text.to_owned())));
                i += end + 2;
            }
            b'0'..=b'9' | b'-' => {
                let rest = source.get(i..)?;
                let len = rest
                    .char_indices()
                    .find(|&(j, c)| {
                        !(c.is_ascii_digit() || c == '.' || c == '_' || (j == 0 && c == '-'))
                    })
                    .map_or(rest.len(), |(j, _)| j);
                let text = rest.get(..len)?.replace('_', "");
                // A `.` that is not followed by a digit is property access, not a number
                if text == "-" || text.ends_with('.') {
                    return None;
                }
                let literal = if text.contains('.') {
                    Literal::Float(text.parse().ok()?)
                } else {
                    Literal::Int(text.parse().ok()?)
                };
                tokens.push(Token::Literal(literal));
                i += len;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let rest = source.get(i..)?;
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let word = rest.get(..len)?;
                match word {
                    "true" => tokens.push(Token::Literal(Literal::Bool(true))),
                    "false" => tokens.push(Token::Literal(Literal::Bool(false))),
                    _ => tokens.push(Token::Ident(word.to_owned())),
                }
                i += len;
            }
            _ => return None,
        }
    }
    Some(tokens)
}

/// Nesting deeper than this is left to Rhai (and its own depth limit)
const MAX_DEPTH: usize = 32;

struct Parser<'t, F> {
    tokens: &'t [Token],
    pos: usize,
    resolve: F,
}

impl<F: FnMut(&[String]) -> Option<ResolvedPath>> Parser<'_, F> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self, depth: usize) -> Option<NativeExpr> {
        let mut left = self.and(depth)?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            let right = self.and(depth)?;
            left = NativeExpr::Or(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn and(&mut self, depth: usize) -> Option<NativeExpr> {
        let mut left = self.unary(depth)?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            let right = self.unary(depth)?;
            left = NativeExpr::And(Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary(&mut self, depth: usize) -> Option<NativeExpr> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            Token::Not => {
                self.pos += 1;
                // `!` binds tighter than comparisons: `!a == b` is `(!a) == b`, not supported
                let inner = self.primary_condition(depth + 1)?;
                if matches!(self.peek(), Some(Token::Op(_))) {
                    return None;
                }
                Some(NativeExpr::Not(Box::new(inner)))
            }
            _ => self.comparison(depth),
        }
    }

    fn primary_condition(&mut self, depth: usize) -> Option<NativeExpr> {
        match self.peek()? {
            Token::Open => {
                self.pos += 1;
                let inner = self.or(depth + 1)?;
                (self.next()? == Token::Close).then_some(inner)
            }
            Token::Not => self.unary(depth + 1),
            _ => Some(NativeExpr::Truthy(self.operand()?)),
        }
    }

    fn comparison(&mut self, depth: usize) -> Option<NativeExpr> {
        if self.peek() == Some(&Token::Open) {
            let inner = self.primary_condition(depth + 1)?;
            // `(a) == b` compares a parenthesised value: left to Rhai
            return (!matches!(self.peek(), Some(Token::Op(_)))).then_some(inner);
        }
        let left = self.operand()?;
        match self.peek() {
            Some(Token::Op(op)) => {
                let op = *op;
                self.pos += 1;
                let right = self.operand()?;
                // Chained comparisons are left to Rhai
                if matches!(self.peek(), Some(Token::Op(_))) {
                    return None;
                }
                Some(NativeExpr::Compare(op, left, right))
            }
            _ => Some(NativeExpr::Truthy(left)),
        }
    }

    /// `if COND { A } else [if ...] { B }`, after the `if`
    fn if_chain(&mut self, depth: usize) -> Option<Operand> {
        if depth > MAX_DEPTH {
            return None;
        }
        let condition = self.or(depth + 1)?;
        if self.next()? != Token::OpenBrace {
            return None;
        }
        let then = self.operand_at(depth + 1)?;
        if self.next()? != Token::CloseBrace || self.next()? != Token::Ident("else".into()) {
            return None;
        }
        let otherwise = match self.next()? {
            Token::Ident(word) if word == "if" => self.if_chain(depth + 1)?,
            Token::OpenBrace => {
                let value = self.operand_at(depth + 1)?;
                (self.next()? == Token::CloseBrace).then_some(value)?
            }
            _ => return None,
        };
        Some(Operand::If(
            Box::new(condition),
            Box::new(then),
            Box::new(otherwise),
        ))
    }

    fn operand(&mut self) -> Option<Operand> {
        self.operand_at(0)
    }

    fn operand_at(&mut self, depth: usize) -> Option<Operand> {
        match self.next()? {
            Token::Literal(l) => Some(Operand::Literal(l)),
            Token::Open if self.peek() == Some(&Token::Ident("if".into())) => {
                self.pos += 1;
                let value = self.if_chain(depth)?;
                (self.next()? == Token::Close).then_some(value)
            }
            Token::OpenBracket => {
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        Token::CloseBracket if items.is_empty() => break,
                        Token::Literal(l) if !matches!(l, Literal::Unit) => items.push(l),
                        _ => return None,
                    }
                    match self.next()? {
                        Token::Comma => {}
                        Token::CloseBracket => break,
                        _ => return None,
                    }
                }
                Some(Operand::List(items))
            }
            Token::Ident(first) if self.peek() == Some(&Token::Open) => {
                let (function, arity) = Function::named(&first)?;
                self.pos += 1;
                if arity == 0 {
                    return (self.next()? == Token::Close)
                        .then_some(Operand::Call(function, Vec::new()));
                }
                let mut args = Vec::with_capacity(arity);
                for i in 0..arity {
                    if i > 0 && self.next()? != Token::Comma {
                        return None;
                    }
                    args.push(self.operand()?);
                }
                (self.next()? == Token::Close).then_some(Operand::Call(function, args))
            }
            Token::Ident(first) => {
                let mut segments = vec![first];
                while self.peek() == Some(&Token::Dot) {
                    self.pos += 1;
                    match self.next()? {
                        Token::Ident(s) => segments.push(s),
                        _ => return None,
                    }
                }
                // A method or function call is not in the subset
                if self.peek() == Some(&Token::Open) {
                    return None;
                }
                Some(Operand::Path((self.resolve)(&segments)?))
            }
            _ => None,
        }
    }
}

/// Compiles a condition if it is in the native subset. `resolve` maps a dotted name to a
/// bound value, a parameter or a document path, or refuses it.
pub(crate) fn compile(
    source: &str,
    resolve: impl FnMut(&[String]) -> Option<ResolvedPath>,
) -> Option<NativeExpr> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        resolve,
    };
    let expr = parser.or(0)?;
    (parser.pos == tokens.len()).then_some(expr)
}

/// Evaluates a native condition; `None` means "ask Rhai"
pub(crate) fn eval<'a>(
    expr: &'a NativeExpr,
    value: &mut impl FnMut(&'a Operand) -> Option<NativeValue<'a>>,
) -> Option<bool> {
    match expr {
        NativeExpr::Or(a, b) => {
            if eval(a, value)? {
                Some(true)
            } else {
                eval(b, value)
            }
        }
        NativeExpr::And(a, b) => {
            if eval(a, value)? {
                eval(b, value)
            } else {
                Some(false)
            }
        }
        NativeExpr::Not(inner) => eval(inner, value).map(|b| !b),
        NativeExpr::Truthy(operand) => match value(operand)? {
            NativeValue::Bool(b) => Some(b),
            _ => None,
        },
        NativeExpr::Compare(op, a, b) => compare(*op, value(a)?, value(b)?),
    }
}

fn compare(op: CmpOp, a: NativeValue<'_>, b: NativeValue<'_>) -> Option<bool> {
    use NativeValue::{Bool, Collection, Float, Int, Str, Unit};
    let ordering = match (a, b) {
        (Collection, _) | (_, Collection) => return None,
        (Int(x), Int(y)) => x.cmp(&y),
        (Str(x), Str(y)) => x.cmp(y),
        (Float(x), Float(y)) => x.partial_cmp(&y)?,
        (Bool(x), Bool(y)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => x.cmp(&y),
        (Unit, Unit) if matches!(op, CmpOp::Eq | CmpOp::Ne) => std::cmp::Ordering::Equal,
        // `()` equals nothing else; any other mix is Rhai's call
        (Unit, _) | (_, Unit) => {
            return match op {
                CmpOp::Eq => Some(false),
                CmpOp::Ne => Some(true),
                _ => None,
            };
        }
        _ => return None,
    };
    Some(match op {
        CmpOp::Eq => ordering.is_eq(),
        CmpOp::Ne => ordering.is_ne(),
        CmpOp::Lt => ordering.is_lt(),
        CmpOp::Le => ordering.is_le(),
        CmpOp::Gt => ordering.is_gt(),
        CmpOp::Ge => ordering.is_ge(),
    })
}
