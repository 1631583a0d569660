//! The meeting file: reading it ([`load`]) and checking it into the model ([`validate`]).

pub(crate) mod chars;
pub(crate) mod compose;
pub mod model;
pub mod raw;
mod validate;

use std::path::Path;

use crate::diag::{Diagnostic, SourceFile};

pub(crate) use validate::MAX_RATTELSER;
pub use validate::{check, check_with, draw_pages, validate, validate_with};

/// What remains before the protocol of a draft can be justerat (`assemble check --ready`),
/// as warnings at their places; nothing for a justerat one (its validation reports them as
/// errors).
pub(crate) fn remaining(loaded: &Loaded) -> Vec<Diagnostic> {
    if validate::ready::is_justerad(&loaded.raw) {
        return Vec::new();
    }
    validate::ready::remaining(&loaded.file, &loaded.raw)
}

/// Whether the file says the protocol is justerat (read, not validated): how a folder's
/// drafts are told apart before anything is validated (`publish`, `site`).
pub fn is_justerad(loaded: &Loaded) -> bool {
    validate::ready::is_justerad(&loaded.raw)
}

/// The file beside a nämnd's meeting files that sets the house style of all of them.
pub(crate) const HOUSE_STYLE_FILE: &str = "husstil.toml";

/// A validated protocol of either kind: what the pipeline carries after validation.
// One value per meeting, moved once: boxing a variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Protocol {
    Fvg(model::FvgMeeting),
    Namnd(model::namnd::NamndMeeting),
}

impl Protocol {
    pub fn kind(&self) -> raw::Kind {
        match self {
            Protocol::Fvg(_) => raw::Kind::Fvg,
            Protocol::Namnd(_) => raw::Kind::Namnd,
        }
    }

    /// Short name of the organ: "FVG", "AMN".
    pub fn organ(&self) -> &str {
        match self {
            Protocol::Fvg(m) => &m.organ,
            Protocol::Namnd(m) => &m.organ,
        }
    }

    /// The date that stands for the document's time (PDF timestamp, Typst's today).
    pub fn clock_date(&self) -> model::Date {
        match self {
            Protocol::Fvg(m) => m.date,
            Protocol::Namnd(m) => m.clock_date(),
        }
    }

    /// The § numbers, in the order of the file's `[[paragraf]]` tables.
    pub(crate) fn paragraf_numbers(&self) -> Vec<u32> {
        match self {
            Protocol::Fvg(m) => m.paragrafer.iter().map(|p| p.number).collect(),
            Protocol::Namnd(m) => m.paragrafer.iter().map(|p| p.number).collect(),
        }
    }

    /// The corrected versions 1, 2, … of a justerat protocol with rättelser, in order
    /// (none otherwise).
    pub(crate) fn corrected(&self) -> Vec<Protocol> {
        match self {
            Protocol::Fvg(m) => m.rattade.iter().cloned().map(Protocol::Fvg).collect(),
            Protocol::Namnd(m) => m.rattade.iter().cloned().map(Protocol::Namnd).collect(),
        }
    }

    /// The nämnd meeting, if it is one.
    pub(crate) fn into_namnd(self) -> Option<model::namnd::NamndMeeting> {
        match self {
            Protocol::Namnd(m) => Some(m),
            Protocol::Fvg(_) => None,
        }
    }

    /// The FVG meeting, if it is one.
    pub(crate) fn into_fvg(self) -> Option<model::FvgMeeting> {
        match self {
            Protocol::Fvg(m) => Some(m),
            Protocol::Namnd(_) => None,
        }
    }

    /// Every rättelse of the file, in order (the original's list: all of them).
    pub(crate) fn rattelser(&self) -> &[model::justering::Rattelse] {
        match self {
            Protocol::Fvg(m) => &m.rattelser,
            Protocol::Namnd(m) => &m.rattelser,
        }
    }

    /// The protocol as it stands: its last corrected version, or itself.
    pub(crate) fn current(&self) -> std::borrow::Cow<'_, Protocol> {
        use std::borrow::Cow;
        match self {
            Protocol::Fvg(m) if !m.rattade.is_empty() => {
                Cow::Owned(Protocol::Fvg(m.current().clone()))
            }
            Protocol::Namnd(m) if !m.rattade.is_empty() => {
                Cow::Owned(Protocol::Namnd(m.current().clone()))
            }
            p => Cow::Borrowed(p),
        }
    }

    pub fn bilagor(&self) -> &[model::Bilaga] {
        match self {
            Protocol::Fvg(m) => &m.bilagor,
            Protocol::Namnd(m) => &m.bilagor,
        }
    }

    /// Every in-memory file the bilagor brought, for the Typst world.
    pub fn assets(&self) -> Vec<model::Asset> {
        self.bilagor()
            .iter()
            .flat_map(|b| b.assets.iter().cloned())
            .collect()
    }
}

/// A meeting file as read: its text (for diagnostics), its raw, unvalidated content, and
/// what was found in its strings while the file was parsed (it is parsed once).
pub struct Loaded {
    pub file: SourceFile,
    pub raw: raw::RawProtocol,
    /// What cannot print in the file's strings: warnings (an error ends the load).
    pub(crate) char_warnings: Vec<Diagnostic>,
    /// The empty or blank strings, which validation reports as missing values.
    pub(crate) blanks: Vec<validate::blank::Blank>,
    /// 0: the file as written; N: the text of its version N, with the first N rättelser
    /// made (`validate/namnd/rattelse.rs`).
    pub(crate) version: usize,
}

/// Reads and parses a meeting file, once, in the shape its `kind` names. A TOML or shape
/// error is reported at its line.
pub fn load(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = crate::sandbox::read_file(path).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot read meeting file `{}`: {}",
            path.display(),
            crate::sandbox::io_reason(&e)
        ))]
    })?;
    load_text(path, utf8(path, bytes)?)
}

/// Parses `text` as the meeting file at `path` (its folder is where its bilagor are): for a
/// text derived from the file, such as the web edition's with withheld names replaced.
pub(crate) fn load_text(path: &Path, text: String) -> Result<Loaded, Vec<Diagnostic>> {
    let file = SourceFile::new(path, text);
    let (raw, chars, blanks) = parse(&file)?;
    // A one-line field with a line break is refused before anything reads the file: `new`
    // would otherwise copy it (issue 13). Its warnings come with `validate`.
    if chars.iter().any(Diagnostic::is_error) {
        return Err(chars);
    }
    Ok(Loaded {
        file,
        raw,
        char_warnings: chars,
        blanks,
        version: 0,
    })
}

/// The text of a meeting file, or an error at the first byte that is not UTF-8 (its line
/// and column: the text before it is shown as read).
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bad = e.as_bytes()[at];
        let shown = SourceFile::new(path, String::from_utf8_lossy(e.as_bytes()).into_owned());
        vec![
            Diagnostic::error(format!(
                "the meeting file is not UTF-8 text: byte 0x{bad:02X} (at byte {at}) is no UTF-8"
            ))
            .at(&shown, at..at + char::REPLACEMENT_CHARACTER.len_utf8())
            .with_hint(
                "save the file as UTF-8 (most editors: \"Save with encoding\"); Windows-1252 or Latin-1 text shows this for å, ä, ö",
            ),
        ]
    })
}

/// The text parsed into a spanned TOML table once; its `kind` chooses the shape the same
/// table is then read into. A file whose `kind` cannot be read is read as FVG: that shape
/// reports the problem. Its strings are composed to NFC ([`compose`]), then checked
/// (characters, blank values) with their spans before the table is read into that shape:
/// the raw, its character problems and its blank strings. Errors: every syntax error of the text and every shape problem (unknown
/// key, wrong type, missing key: [`raw::shape`]) at once.
fn parse(
    file: &SourceFile,
) -> Result<
    (
        raw::RawProtocol,
        Vec<Diagnostic>,
        Vec<validate::blank::Blank>,
    ),
    Vec<Diagnostic>,
> {
    use serde::Deserialize;
    let text: &str = &file.text;
    let (mut table, syntax) = toml::de::DeTable::parse_recoverable(text);
    // Composed once, here, before anything reads a string: every check and every output
    // sees one spelling of a letter (see `compose`); the spans stay the file's.
    compose::table(table.get_mut());
    let kind = kind_of(&table);
    if !syntax.is_empty() {
        let mut out: Vec<Diagnostic> = syntax
            .iter()
            .map(|e| {
                let d = toml_error(file, e);
                match e
                    .span()
                    .and_then(|s| raw::shape::syntax_hint(text, s, kind))
                {
                    Some(h) => d.with_hint(h),
                    None => d,
                }
            })
            .collect();
        // One syntax error a line (`tjänsteutlåtande` is refused at each å, ä, ö), then the
        // rest of the file as far as it parsed: a key on a line that did not parse is not
        // missing, nor reported again.
        let line = |d: &Diagnostic| d.position().map(|(_, l, _)| l);
        let mut lines = Vec::new();
        out.retain(|d| {
            let l = line(d);
            let first = !lines.contains(&l);
            lines.push(l);
            first || l.is_none()
        });
        out.extend(
            raw::shape::problems(file, &table, kind, false)
                .into_iter()
                .filter(|d| !lines.contains(&line(d))),
        );
        return Err(in_order(out));
    }
    let chars = chars::check(file, table.get_ref());
    let blanks = validate::blank::find(table.get_ref(), kind);
    let deserializer = toml::de::Deserializer::from(table);
    let shaped = if kind == raw::Kind::Namnd {
        raw::namnd::RawNamndMeeting::deserialize(deserializer).map(raw::RawProtocol::Namnd)
    } else {
        raw::RawFvgMeeting::deserialize(deserializer).map(raw::RawProtocol::Fvg)
    };
    match shaped {
        Ok(raw) => Ok((raw, chars, blanks)),
        Err(mut e) => {
            // Errors from a table carry no text; give it back so they print as from the file.
            e.set_input(Some(text));
            // serde stops at the first problem: the walk finds them all. Parsed again only
            // on this path, so a good file costs one parse.
            let mut out = match toml::de::DeTable::parse(text) {
                Ok(mut table) => {
                    compose::table(table.get_mut());
                    raw::shape::problems(file, &table, kind, true)
                }
                Err(_) => Vec::new(),
            };
            let serde_at = e.span();
            let covered = serde_at.as_ref().is_some_and(|s| {
                out.iter().any(|d| {
                    d.location.as_ref().is_some_and(|(_, r)| {
                        r.start < s.end.max(s.start + 1) && s.start < r.end.max(r.start + 1)
                    })
                })
            });
            if out.is_empty() || !covered {
                out.push(toml_error(file, &e));
            }
            Err(in_order(out))
        }
    }
}

/// The kind a parsed file names (`kind = "namnd"`), else FVG.
fn kind_of(table: &toml::Spanned<toml::de::DeTable<'_>>) -> raw::Kind {
    let namnd = table
        .get_ref()
        .get("kind")
        .and_then(|k| k.get_ref().as_str())
        == Some("namnd");
    if namnd {
        raw::Kind::Namnd
    } else {
        raw::Kind::Fvg
    }
}

/// Problems by their place in the file (those without one last), each once.
fn in_order(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by_key(|d| {
        d.location
            .as_ref()
            .map_or((usize::MAX, usize::MAX), |(_, r)| (r.start, r.end))
    });
    problems.dedup_by(|a, b| a.message == b.message && a.position() == b.position());
    problems
}

fn toml_error(file: &SourceFile, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().trim_end_matches('.').to_string();
    let mut diag = Diagnostic::error(message.clone());
    if let Some(span) = e.span() {
        diag = diag.at(file, span);
    } else if message.contains("recursion limit") {
        // The TOML reader names no place for this (issue 29: a key of 10,000 dotted parts):
        // the line that nests deepest is where it is.
        let (span, depth) = deepest_line(&file.text);
        return Diagnostic::error(format!(
            "this line nests {depth} levels deep: more than the TOML reader allows (recursion limit)"
        ))
        .at(file, span)
        .with_hint("a meeting file's keys have a few parts at most (`paragraf.item.said`); see docs/meeting-file-reference.md");
    }
    if let Some(hint) = unknown_field_hint(&message) {
        diag = diag.with_hint(hint);
    } else if let Some(hint) = e.span().and_then(|span| choice_hint(&file.text, span)) {
        diag = diag.with_hint(hint);
    } else if message.starts_with("missing field") {
        diag = diag.with_hint("see docs/meeting-file-reference.md for the required keys");
    }
    diag
}

/// The line of `text` whose key has the most dotted parts, or whose value the most open
/// brackets, and that count: where a "recursion limit" is met.
fn deepest_line(text: &str) -> (std::ops::Range<usize>, usize) {
    let mut best = (0..0, 0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let (mut depth, mut open, mut in_string, mut in_key) = (0usize, 0usize, None, true);
        let mut key_dots = 0usize;
        for c in line.chars() {
            match (in_string, c) {
                (Some(q), c) if c == q => in_string = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => in_string = Some(c),
                (None, '#') => break,
                (None, '=') => in_key = false,
                (None, '.') if in_key => key_dots += 1,
                (None, '[' | '{') => {
                    open += 1;
                    depth = depth.max(open);
                }
                (None, ']' | '}') => open = open.saturating_sub(1),
                _ => {}
            }
        }
        let here = depth.max(key_dots + 1);
        if here > best.1 {
            best = (start..start + line.trim_end().len(), here);
        }
        start += line.len();
    }
    best
}

/// For a value of the wrong type where the key takes one of some words (serde says only
/// "wanted string or table"): the words, with the key as written on that line.
fn choice_hint(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |n| n + 1);
    let before = text.get(line_start..span.start)?;
    // The key just before the value: after the line's start, a `{` or a `,` (inline table).
    let key = &before[..before.rfind('=')?];
    let key = key.rsplit(['{', ',']).next()?;
    let key = key.trim().rsplit('.').next()?.trim().trim_matches('"');
    let words = validate::blank::allowed_values(key)?;
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!(
        "`{key}` takes one of {}, in quotes: {key} = {}",
        quoted.join(", "),
        quoted[0]
    ))
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the closest known name.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if best.0 >= 0.7 {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("known keys here: {}", known.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_of_words_is_named_at_a_value_of_the_wrong_type() {
        let text = "[organisation]\nfooter_on = 1\n";
        let at = text.find('1').unwrap();
        let hint = choice_hint(text, at..at + 1).unwrap();
        assert_eq!(
            hint,
            "`footer_on` takes one of \"last-page\", \"first-page\", in quotes: footer_on = \"last-page\""
        );
        let text = "numbering = 2\n";
        let at = text.find('2').unwrap();
        assert!(choice_hint(text, at..at + 1).unwrap().contains("\"year\""));
        let text = "title = 3\n";
        assert_eq!(choice_hint(text, 8..9), None);
        // A choice in [husstil], a list of people in [attendance]: no word list.
        let text = "foredragande = 1\n";
        assert_eq!(choice_hint(text, 15..16), None);
        // In an inline table, the key before the value.
        let text = "husstil = { new_page = 3 }\n";
        let at = text.find('3').unwrap();
        assert!(
            choice_hint(text, at..at + 1)
                .unwrap()
                .starts_with("`new_page` takes one of")
        );
    }

    #[test]
    fn unknown_field_names_the_closest_known() {
        let hint =
            unknown_field_hint("unknown field `titel`, expected one of `title`, `group`, `text`");
        assert_eq!(hint.as_deref(), Some("did you mean `title`?"));
    }
}
