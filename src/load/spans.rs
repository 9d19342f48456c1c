//! Positions of values in a RON file.
//!
//! serde tells us *what* a file holds but not *where*. After ron has parsed a file successfully,
//! this scanner walks the same text once more and records the line and column of every struct
//! field and list item, so that validation problems found later can point at `file:line:col`.

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

/// The position tree of one value.
#[derive(Debug, Clone, Default)]
pub struct Spanned {
    /// Where the value starts.
    pub pos: Pos,
    /// Named fields of a struct, in order.
    pub fields: Vec<(String, Spanned)>,
    /// Items of a list, tuple or map (map values only).
    pub items: Vec<Spanned>,
}

pub use crate::error::Seg;

impl Spanned {
    /// The position of the deepest value along `path` that exists.
    pub fn find(&self, path: &[Seg]) -> Pos {
        let mut cur = self;
        for seg in path {
            let next = match seg {
                Seg::Field(name) => cur.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
                Seg::Index(i) => cur.items.get(*i),
            };
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur.pos
    }
}

const MAX_DEPTH: usize = 512;

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
    col: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open(u8),
    Close(u8),
    Colon,
    Comma,
    Ident(String),
    Scalar,
    Hash,
    Bang,
    Eof,
}

impl<'a> Scanner<'a> {
    fn bump(&mut self) -> Option<u8> {
        let c = *self.s.get(self.i)?;
        self.i += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if c & 0xC0 != 0x80 {
            self.col += 1;
        }
        Some(c)
    }

    fn peek(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(c), _) if c.is_ascii_whitespace() => {
                    self.bump();
                }
                (Some(b'/'), Some(b'/')) => {
                    while let Some(c) = self.peek(0) {
                        if c == b'\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1usize;
                    while depth > 0 {
                        match (self.peek(0), self.peek(1)) {
                            (None, _) => return,
                            (Some(b'*'), Some(b'/')) => {
                                self.bump();
                                self.bump();
                                depth -= 1;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                self.bump();
                                self.bump();
                                depth += 1;
                            }
                            _ => {
                                self.bump();
                            }
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    /// The next token and where it starts.
    fn next(&mut self) -> (Pos, Tok) {
        self.skip_ws();
        let pos = self.pos();
        let Some(c) = self.peek(0) else {
            return (pos, Tok::Eof);
        };
        let tok = match c {
            b'(' | b'[' | b'{' => {
                self.bump();
                Tok::Open(c)
            }
            b')' | b']' | b'}' => {
                self.bump();
                Tok::Close(c)
            }
            b':' => {
                self.bump();
                Tok::Colon
            }
            b',' => {
                self.bump();
                Tok::Comma
            }
            b'#' => {
                self.bump();
                Tok::Hash
            }
            b'!' => {
                self.bump();
                Tok::Bang
            }
            b'"' => {
                self.bump();
                while let Some(c) = self.bump() {
                    match c {
                        b'\\' => {
                            self.bump();
                        }
                        b'"' => break,
                        _ => {}
                    }
                }
                Tok::Scalar
            }
            b'\'' => {
                self.bump();
                while let Some(c) = self.bump() {
                    match c {
                        b'\\' => {
                            self.bump();
                        }
                        b'\'' => break,
                        _ => {}
                    }
                }
                Tok::Scalar
            }
            b'r' if matches!(self.peek(1), Some(b'"') | Some(b'#')) => {
                self.bump();
                let mut hashes = 0;
                while self.peek(0) == Some(b'#') {
                    self.bump();
                    hashes += 1;
                }
                self.bump(); // opening quote
                'outer: while let Some(c) = self.bump() {
                    if c == b'"' {
                        for k in 0..hashes {
                            if self.peek(k) != Some(b'#') {
                                continue 'outer;
                            }
                        }
                        for _ in 0..hashes {
                            self.bump();
                        }
                        break;
                    }
                }
                Tok::Scalar
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.i;
                while let Some(c) = self.peek(0) {
                    if c.is_ascii_alphanumeric() || c == b'_' {
                        self.bump();
                    } else {
                        break;
                    }
                }
                Tok::Ident(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
            }
            _ => {
                // numbers and anything else: consume up to a delimiter
                self.bump();
                while let Some(c) = self.peek(0) {
                    if c.is_ascii_whitespace() || b"()[]{}:,".contains(&c) {
                        break;
                    }
                    self.bump();
                }
                Tok::Scalar
            }
        };
        (pos, tok)
    }

    fn save(&self) -> (usize, usize, usize) {
        (self.i, self.line, self.col)
    }

    fn restore(&mut self, s: (usize, usize, usize)) {
        (self.i, self.line, self.col) = s;
    }

    /// Parses one value whose first token has been read.
    fn value(&mut self, pos: Pos, tok: Tok, depth: usize) -> Spanned {
        let mut out = Spanned {
            pos,
            ..Default::default()
        };
        if depth > MAX_DEPTH {
            return out;
        }
        match tok {
            Tok::Open(open) => self.body(&mut out, open, depth),
            Tok::Ident(name) => {
                let saved = self.save();
                let (_, t) = self.next();
                if t == Tok::Open(b'(') {
                    self.body(&mut out, b'(', depth);
                    if name == "Some" && out.fields.is_empty() && out.items.len() == 1 {
                        let mut inner = out.items.pop().unwrap_or_default();
                        inner.pos = pos;
                        return inner;
                    }
                } else {
                    self.restore(saved);
                }
            }
            _ => {}
        }
        out
    }

    /// Parses the inside of a bracketed group, up to and including its closing bracket.
    fn body(&mut self, out: &mut Spanned, open: u8, depth: usize) {
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        loop {
            let (pos, tok) = self.next();
            match tok {
                Tok::Eof => return,
                Tok::Close(c) if c == close => return,
                Tok::Close(_) => return,
                Tok::Comma => continue,
                Tok::Ident(name) if open != b'[' => {
                    let saved = self.save();
                    let (_, t) = self.next();
                    if t == Tok::Colon {
                        let (vp, vt) = self.next();
                        let v = self.value(vp, vt, depth + 1);
                        if open == b'{' {
                            out.items.push(v);
                        } else {
                            out.fields.push((name, v));
                        }
                    } else {
                        self.restore(saved);
                        let v = self.value(pos, Tok::Ident(name), depth + 1);
                        out.items.push(v);
                    }
                }
                t => {
                    let v = self.value(pos, t, depth + 1);
                    if open == b'{' {
                        // a map key: skip the colon and keep the value
                        let (_, c) = self.next();
                        if c == Tok::Colon {
                            let (vp, vt) = self.next();
                            out.items.push(self.value(vp, vt, depth + 1));
                            continue;
                        }
                    }
                    out.items.push(v);
                }
            }
        }
    }
}

/// Scans a RON document and returns the position tree of its top-level value.
pub fn scan(text: &str) -> Spanned {
    let mut sc = Scanner {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        col: 1,
    };
    loop {
        let (pos, tok) = sc.next();
        match tok {
            // skip `#![enable(...)]` attributes
            Tok::Hash => {
                let mut depth = 0i32;
                loop {
                    let (_, t) = sc.next();
                    match t {
                        Tok::Open(_) => depth += 1,
                        Tok::Close(_) => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Tok::Eof => return Spanned::default(),
                        _ => {}
                    }
                }
            }
            Tok::Eof => {
                return Spanned {
                    pos,
                    ..Default::default()
                };
            }
            t => return sc.value(pos, t, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_and_items() {
        let text = "#![enable(implicit_some)]\n(\n  nodes: [\n    (id: \"a\", name: \"x)\" /* ) */),\n    // c\n    (id: r#\"b\"#, founded: [(date: \"1998\")]),\n  ],\n)";
        let t = scan(text);
        assert_eq!(
            t.find(&[Seg::Field("nodes"), Seg::Index(0)]),
            Pos { line: 4, col: 5 }
        );
        assert_eq!(
            t.find(&[Seg::Field("nodes"), Seg::Index(0), Seg::Field("name")]),
            Pos { line: 4, col: 21 }
        );
        assert_eq!(
            t.find(&[
                Seg::Field("nodes"),
                Seg::Index(1),
                Seg::Field("founded"),
                Seg::Index(0),
                Seg::Field("date")
            ]),
            Pos { line: 6, col: 35 }
        );
        // a missing step stops at the deepest value that exists
        assert_eq!(
            t.find(&[Seg::Field("nodes"), Seg::Index(1), Seg::Field("nope")]),
            Pos { line: 6, col: 5 }
        );
    }
}
