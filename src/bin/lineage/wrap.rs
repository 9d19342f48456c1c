//! Text answers wrapped to the terminal's width: a long line continues on the next, indented
//! under its tree branch or column, instead of running off the screen. Only text for people is
//! wrapped, and only when a width is known: `COLUMNS` when set, else the terminal's width when
//! stdout is one. Piped output keeps one record a line, for `grep` and `cut`.

use std::io::IsTerminal;

/// The width to wrap to, if any.
pub fn width() -> Option<usize> {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return (w >= 20).then_some(w);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).max(20))
}

/// The indentation of a continuation line: the line's tree drawing with its branch turned into
/// a plain trunk, and three more spaces.
fn continuation(line: &str) -> String {
    let lead: String = line
        .chars()
        .take_while(|c| matches!(c, ' ' | '│' | '├' | '└' | '─' | '→' | '←' | '*'))
        .collect();
    let mut s: String = lead
        .chars()
        .map(|c| match c {
            '├' => '│',
            '└' | '─' | '→' | '←' | '*' => ' ',
            c => c,
        })
        .collect();
    s.push_str("   ");
    s
}

/// `text` with every line longer than `width` columns wrapped at spaces.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = continuation(body);
        let opts = textwrap::Options::new(width)
            .subsequent_indent(&indent)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace);
        let pieces = textwrap::wrap(body, opts);
        out.push_str(&pieces.join("\n"));
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tree_lines_continue_under_their_branch() {
        let line = "│  ├─ merged in 1999-03-01: Democratic Party of Kazakhstan (party, 1995–1999) [babak, web-elbasy]\n";
        let w = wrap(line, 40);
        let lines: Vec<&str> = w.lines().collect();
        assert!(lines.len() > 1, "{w}");
        for l in &lines {
            assert!(textwrap::core::display_width(l) <= 40, "{l:?}");
        }
        assert!(lines[1].starts_with("│  │     "), "{:?}", lines[1]);
        // nothing lost: the words are the same
        let words = |s: &str| {
            s.split_whitespace()
                .filter(|w| !w.contains('│'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(words(line), words(&w));
    }

    #[test]
    fn short_lines_are_untouched() {
        assert_eq!(wrap("a b\nc\n", 20), "a b\nc\n");
        assert_eq!(wrap("no newline", 20), "no newline");
    }
}
