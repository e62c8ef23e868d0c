//! Errors in input files, told the way a compiler tells them: file, line, column, the line itself with
//! the offending part underlined, and what would have been valid.

use std::fmt;
use std::ops::Range;

/// An error located in an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the error concerns the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    /// What would be valid.
    pub help: Option<String>,
    source_line: Option<String>,
    underline: usize,
}

/// The 1-based line and column (in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl Diagnostic {
    /// An error at byte range `span` of `text`, the contents of `file`.
    pub fn at(
        file: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = line_col(text, span.start);
        let source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        let end = floor_char_boundary(text, span.end.min(text.len()));
        let start = floor_char_boundary(text, span.start.min(end));
        let underline = text[start..end]
            .lines()
            .next()
            .map_or(1, |l| l.chars().count().max(1));
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line,
            underline,
        }
    }

    /// An error about the whole file (it could not be read, or something is missing from it).
    pub fn whole_file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
            underline: 0,
        }
    }

    /// A TOML syntax or shape error, with the location the parser reports.
    pub fn from_toml(file: &str, text: &str, error: &toml::de::Error) -> Diagnostic {
        let message = error.message().trim().to_string();
        let (message, help) = split_expected(&message);
        let diag = match error.span() {
            Some(span) => Diagnostic::at(file, text, span, message),
            // The parser gives no place for nesting too deep (a dotted key of thousands of parts):
            // point at the deepest place in the file.
            None if message.contains("recursion") => {
                let at = deepest(text);
                Diagnostic::at(
                    file,
                    text,
                    at..at + 1,
                    format!("{message}: nested too deeply"),
                )
            }
            None => Diagnostic::whole_file(file, message),
        };
        match help {
            Some(help) => diag.with_help(help),
            None => diag,
        }
    }

    /// The text of `bytes`, the contents of `file`, or an error at the first byte that is not UTF-8.
    pub fn text_of(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
        String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            // The lossy copy is identical up to the bad byte, which becomes U+FFFD (3 bytes).
            let lossy = String::from_utf8_lossy(e.as_bytes());
            Diagnostic::at(
                file,
                &lossy,
                at..at + '\u{FFFD}'.len_utf8(),
                format!("byte 0x{byte:02X} is not UTF-8 text"),
            )
            .with_help("save the file as UTF-8")
        })
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// The byte offset where `text` first reaches its greatest nesting: open brackets and braces, plus
/// the dots of a dotted key (outside quoted strings and comments).
fn deepest(text: &str) -> usize {
    let (mut depth, mut best, mut at) = (0i64, -1i64, 0usize);
    for (start, line) in text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    }) {
        let mut dots = 0i64;
        let mut quote: Option<char> = None;
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                (None, '.') => dots += 1,
                _ => {}
            }
            if depth + dots > best {
                best = depth + dots;
                at = start + i;
            }
        }
    }
    at
}

/// serde says "unknown field `x`, expected one of `a`, `b`": keep the first half as the message and
/// the valid values as the help.
fn split_expected(message: &str) -> (String, Option<String>) {
    if let Some(i) = message.find(", expected") {
        let (head, tail) = message.split_at(i);
        let tail = tail.trim_start_matches(", ");
        return (head.to_string(), Some(tail.to_string()));
    }
    (message.to_string(), None)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if self.line == 0 {
            write!(f, "  --> {}", self.file)?;
        } else {
            write!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        }
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            write!(f, "\n{pad} |\n{number} | {src}\n{pad} | ")?;
            write!(
                f,
                "{}{}",
                " ".repeat(self.column.saturating_sub(1)),
                "^".repeat(self.underline.max(1))
            )?;
        }
        if let Some(help) = &self.help {
            // Under the gutter, as rustc does.
            let pad = " ".repeat(self.line.to_string().len().max(1));
            write!(f, "\n{pad} = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_and_renders() {
        let text = "a = 1\nbad = \"x\"\n";
        let start = text.find("\"x\"").unwrap();
        let d = Diagnostic::at("f.toml", text, start..start + 3, "wrong").with_help("use a number");
        assert_eq!((d.line, d.column), (2, 7));
        let shown = d.to_string();
        assert!(shown.contains("--> f.toml:2:7"), "{shown}");
        assert!(shown.contains("^^^"), "{shown}");
        assert!(shown.contains("help: use a number"), "{shown}");
    }

    #[test]
    fn non_utf8_and_deep_nesting_are_located() {
        let e = Diagnostic::text_of("f.toml", b"a = 1\nname = \"x\xff\"\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 10), "{e}");
        assert!(e.message.contains("0xFF is not UTF-8"), "{e}");
        let deep = format!("x = 1\n{} = 1\n", vec!["a"; 3000].join("."));
        let err = toml::from_str::<toml::Table>(&deep).unwrap_err();
        let e = Diagnostic::from_toml("f.toml", &deep, &err);
        assert!(e.line == 2 && e.column > 1, "{e}");
    }

    #[test]
    fn line_col_handles_multibyte_text() {
        let text = "развилка = 1\nx";
        assert_eq!(line_col(text, text.find('1').unwrap()), (1, 12));
        assert_eq!(line_col(text, text.len()), (2, 2));
    }
}
