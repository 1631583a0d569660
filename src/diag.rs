//! One diagnostic type for every stage (TOML, Markdown, templates, Typst) and one printer.
//!
//! A diagnostic names a file and a byte range in that file's text; the printer turns that
//! into `file:line:col`, shows the line with a caret and adds a `hint:`. Paths are shown as
//! the caller gave them: the library never reads the working directory; the command line
//! hands it the paths it was given relative to its own (`commands/cwd.rs`), so messages name
//! them as the user would. Writing them to a terminal is the command line's job.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::Error as FilesError;
use codespan_reporting::term::{self, termcolor};

/// How bad a problem is: errors stop the output, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// The text a diagnostic points into, shared between all diagnostics of one file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// A problem found in the input (or, rarely, in a template), located where possible.
/// Serialisable, to come back from a batch's worker process.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file and the byte range the problem is in; `None` for problems with no place.
    pub location: Option<(SourceFile, Range<usize>)>,
    pub hint: Option<String>,
    /// Further context, e.g. which meeting file generated the Typst source.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn at(mut self, file: &SourceFile, range: Range<usize>) -> Self {
        let len = file.text.len();
        let range = range.start.min(len)..range.end.min(len).max(range.start.min(len));
        self.location = Some((file.clone(), range));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` of the start of the problem, 1-based, if it has a place.
    pub fn position(&self) -> Option<(String, usize, usize)> {
        let (file, range) = self.location.as_ref()?;
        let (line, col) = line_col(&file.text, range.start);
        Some((file.path.display().to_string(), line, col))
    }
}

impl Diagnostic {
    /// One JSON object for machines: file, line, column (1-based; absent without a place),
    /// end_line, end_column, severity, message, hint.
    pub fn to_json(&self) -> String {
        let (file, start, end) = match &self.location {
            Some((f, range)) => (
                Some(f.path.display().to_string()),
                Some(line_col(&f.text, range.start)),
                Some(line_col(&f.text, range.end)),
            ),
            None => (None, None, None),
        };
        serde_json::json!({
            "file": file,
            "line": start.map(|p| p.0),
            "column": start.map(|p| p.1),
            "end_line": end.map(|p| p.0),
            "end_column": end.map(|p| p.1),
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.position() {
            Some((path, line, col)) => write!(f, "{path}:{line}:{col}: {kind}: {}", self.message),
            None => write!(f, "{kind}: {}", self.message),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Writes diagnostics in the rustc/typst style (`file:line:col`, the line with a caret,
/// notes and `hint:`) to `out`, coloured as `out` allows.
pub fn write(
    out: &mut dyn termcolor::WriteColor,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    emit(out, diagnostics)
}

/// Renders diagnostics as plain text (no colour), e.g. for tests and logs.
pub fn render_plain(diagnostics: &[Diagnostic]) -> String {
    let mut buffer = termcolor::Buffer::no_color();
    let _ = emit(&mut buffer, diagnostics);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// How many characters of a line a diagnostic quotes at most: a window around the place,
/// not the whole line (issue 29: a 1.2 MB line was echoed whole).
const QUOTED: usize = 160;

/// What a diagnostic quotes of its file: the window of the line its place is on, standing
/// for the whole file towards codespan, which still reports the real line and column.
struct Excerpt {
    name: String,
    /// The window, with `…` where the line was cut.
    text: String,
    /// 0-based line of the window in the real file.
    line: usize,
    /// Characters of the real line before the window, less the `…` standing for them.
    shift: usize,
}

impl Excerpt {
    /// The excerpt of `file` around `range`, and `range` in the excerpt's bytes (cut to the
    /// window's line).
    fn of(file: &SourceFile, range: &Range<usize>) -> (Self, Range<usize>) {
        let text = &*file.text;
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[line_start..line_end];
        let at = start - line_start;
        let end = floor_char_boundary(text, range.end.clamp(start, line_end)) - line_start;
        let (shown, cut_before, offset) = cut(line, at, QUOTED);
        let new_start = at - offset + usize::from(cut_before > 0) * '…'.len_utf8();
        let new_end = (end - offset + usize::from(cut_before > 0) * '…'.len_utf8())
            .clamp(new_start, shown.len());
        let excerpt = Self {
            name: file.path.display().to_string(),
            text: shown,
            line: text[..line_start].matches('\n').count(),
            shift: cut_before.saturating_sub(1),
        };
        (excerpt, new_start..new_end)
    }
}

/// `line` cut to about `width` characters around byte `at`: the text shown (with `…` for
/// what was cut), the characters cut before, and the byte where the kept part begins.
fn cut(line: &str, at: usize, width: usize) -> (String, usize, usize) {
    if line.chars().count() <= width {
        return (line.to_string(), 0, 0);
    }
    let before = line[..at].chars().count();
    let keep_before = before.min(width / 3);
    let first = before - keep_before;
    let begin = line
        .char_indices()
        .nth(first)
        .map_or(line.len(), |(i, _)| i);
    let end = line[begin..]
        .char_indices()
        .nth(width)
        .map_or(line.len(), |(i, _)| begin + i);
    let mut shown = String::new();
    if first > 0 {
        shown.push('…');
    }
    shown.push_str(&line[begin..end]);
    if end < line.len() {
        shown.push('…');
    }
    (shown, first, begin)
}

/// At most `width` characters of `line` around the byte range `range`, with `…` where it
/// was cut: for quoting text of unknown length in a message.
pub(crate) fn window(line: &str, range: Range<usize>, width: usize) -> String {
    let at = floor_char_boundary(line, range.start.min(line.len()));
    cut(line, at, width).0
}

struct Excerpts(Vec<Excerpt>);

impl<'a> codespan_reporting::files::Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> std::result::Result<&'a str, FilesError> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: usize) -> std::result::Result<&'a str, FilesError> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(&'a self, _: usize, _: usize) -> std::result::Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, id: usize, _: usize) -> std::result::Result<usize, FilesError> {
        Ok(self.get(id)?.line + 1)
    }

    fn column_number(
        &'a self,
        id: usize,
        _: usize,
        byte_index: usize,
    ) -> std::result::Result<usize, FilesError> {
        let excerpt = self.get(id)?;
        let column = codespan_reporting::files::column_index(
            &excerpt.text,
            0..excerpt.text.len(),
            byte_index,
        );
        Ok(column + 1 + excerpt.shift)
    }

    fn line_range(&'a self, id: usize, _: usize) -> std::result::Result<Range<usize>, FilesError> {
        Ok(0..self.get(id)?.text.len())
    }
}

impl Excerpts {
    fn get(&self, id: usize) -> std::result::Result<&Excerpt, FilesError> {
        self.0.get(id).ok_or(FilesError::FileMissing)
    }
}

fn emit(out: &mut dyn termcolor::WriteColor, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut files = Excerpts(Vec::new());
    for diag in diagnostics {
        let severity = match diag.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(severity).with_message(&diag.message);
        if let Some((file, range)) = &diag.location {
            let (excerpt, range) = Excerpt::of(file, range);
            files.0.push(excerpt);
            cs = cs.with_labels(vec![Label::primary(files.0.len() - 1, range)]);
        }
        let mut notes = diag.notes.clone();
        if let Some(hint) = &diag.hint {
            notes.push(format!("hint: {hint}"));
        }
        cs = cs.with_notes(notes);
        if term::emit_to_write_style(out, &config, &files, &cs).is_err() {
            writeln!(out, "{diag}")?;
        }
    }
    Ok(())
}

/// The outcome of a stage that can report several problems: the value, or all errors
/// (and any warnings found on the way).
pub type Result<T> = std::result::Result<T, Vec<Diagnostic>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nåäö = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let offset = text.find('=').unwrap();
        assert_eq!(line_col(text, offset), (1, 3));
        let second = text.rfind('=').unwrap();
        assert_eq!(line_col(text, second), (2, 5));
    }

    #[test]
    fn plain_rendering_shows_file_line_and_hint() {
        let file = SourceFile::new("m.toml", "title = 1\nbad = 2\n");
        let d = Diagnostic::error("unknown field `bad`")
            .at(&file, 10..13)
            .with_hint("did you mean `bar`?");
        let out = render_plain(&[d]);
        assert!(out.contains("m.toml:2:1"), "{out}");
        assert!(out.contains("bad = 2"), "{out}");
        assert!(out.contains("hint: did you mean `bar`?"), "{out}");
    }

    /// Issue 29: a diagnostic on a line of a megabyte quoted it whole.
    #[test]
    fn a_long_line_is_quoted_as_a_window_at_the_right_column() {
        let line = format!("x = \"{}BAD{}\"", "a".repeat(100_000), "b".repeat(100_000));
        let text = format!("first = 1\n{line}\nlast = 2\n");
        let file = SourceFile::new("m.toml", text.as_str());
        let at = text.find("BAD").unwrap();
        let out = render_plain(&[Diagnostic::error("bad").at(&file, at..at + 3)]);
        assert!(out.len() < 1_000, "{} bytes: {out}", out.len());
        assert!(out.contains("m.toml:2:100006"), "{out}");
        assert!(
            out.contains("2 │ …aaa") && out.contains("aaaBADbbb") && out.contains("bbb…"),
            "{out}"
        );
        assert!(out.contains("^^^"), "{out}");
    }
}
