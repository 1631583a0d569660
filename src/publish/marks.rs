//! The marks that keep text out of the web edition, in any Markdown text (a field of the
//! meeting file or a Markdown bilaga): `{sekretess:SKÄL}text{/sekretess}`.
//!
//! The syntax follows `{bilaga:ID}`: braces, a keyword, a colon and a value, which Markdown
//! (pulldown-cmark) passes through as plain text, so the marks survive any Markdown around
//! them and can be found again in the text runs the converter sees. `SKÄL` is the rule that
//! keeps the text from the public ("OSL 26 kap. 1 §") or a kind ("personuppgift").
//!
//! In the official protocol the marks print nothing and the text prints unchanged; in the web
//! edition the text is replaced by [`notice`]: "[Uppgift borttagen enligt OSL 26 kap. 1 §]".

use std::ops::Range;

/// The opening mark's start; the reason follows up to `}`.
pub(crate) const OPEN: &str = "{sekretess:";
/// The closing mark.
pub(crate) const CLOSE: &str = "{/sekretess}";

/// A mark in a text: `{sekretess:REASON}` ([`Mark::Open`], the reason trimmed) or
/// `{/sekretess}` ([`Mark::Close`]). The converter's type: it is given these marks.
pub use crate::markdown::Mark;

/// These marks and their notice, as the Markdown converter is given them
/// ([`crate::markdown::Context::marks`]).
pub const SEKRETESS: crate::markdown::Marks = crate::markdown::Marks {
    find: marks,
    notice,
};

/// Every mark in `text`, in order, with its byte range. `{sekretess:}` with an empty reason
/// or a reason running over a line is not a mark (and is printed as written).
pub fn marks(text: &str) -> Vec<(Range<usize>, Mark<'_>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find('{') {
        let start = from + pos;
        let rest = &text[start..];
        if rest.starts_with(CLOSE) {
            found.push((start..start + CLOSE.len(), Mark::Close));
            from = start + CLOSE.len();
        } else if let Some(after) = rest.strip_prefix(OPEN)
            && let Some(len) = after.find('}')
            && !after[..len].contains(['{', '\n'])
            && !after[..len].trim().is_empty()
        {
            let end = start + OPEN.len() + len + 1;
            found.push((start..end, Mark::Open(after[..len].trim())));
            from = end;
        } else {
            from = start + 1;
        }
    }
    found
}

/// A marked span of a text: the opening mark, the closing mark and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span<'a> {
    pub open: Range<usize>,
    pub close: Range<usize>,
    pub reason: &'a str,
}

impl Span<'_> {
    /// From the opening mark's start to the closing mark's end.
    pub fn whole(&self) -> Range<usize> {
        self.open.start..self.close.end
    }
}

/// A mark that does not pair up: an opening without a close, a close without an opening, or
/// an opening inside an open span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpaired {
    pub range: Range<usize>,
    pub message: String,
}

/// The byte ranges of inline code in Markdown text: a run of backticks to the next run of
/// as many (CommonMark's rule; a fence pairs the same way). Marks there are text, as the
/// converter prints them.
pub(crate) fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' || (i > 0 && bytes[i - 1] == b'\\') {
            i += 1;
            continue;
        }
        let n = run_at(i);
        let mut j = i + n;
        let mut closed = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let m = run_at(j);
                if m == n {
                    closed = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                out.push(i..end);
                i = end;
            }
            None => i += n,
        }
    }
    out
}

/// The marked spans of `text` (by text only: the converter also checks that a span does not
/// cross the Markdown structure), and the marks that do not pair up. A mark inside inline
/// code is text, not a mark (`{/sekretess}` shown as code closes nothing).
pub fn spans(text: &str) -> (Vec<Span<'_>>, Vec<Unpaired>) {
    let mut spans = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<(Range<usize>, &str)> = None;
    let code = code_ranges(text);
    let in_code = |r: &Range<usize>| code.iter().any(|c| c.start <= r.start && r.end <= c.end);
    for (range, mark) in marks(text).into_iter().filter(|(r, _)| !in_code(r)) {
        match (mark, open.take()) {
            (Mark::Open(reason), None) => open = Some((range, reason)),
            (Mark::Open(_), Some(outer)) => {
                problems.push(Unpaired {
                    range,
                    message: "a `{sekretess:…}` span cannot begin inside another".into(),
                });
                open = Some(outer);
            }
            (Mark::Close, Some((o, reason))) => spans.push(Span {
                open: o,
                close: range,
                reason,
            }),
            (Mark::Close, None) => problems.push(Unpaired {
                range,
                message: "`{/sekretess}` closes no `{sekretess:…}` span".into(),
            }),
        }
    }
    if let Some((range, _)) = open {
        problems.push(Unpaired {
            range,
            message: "this `{sekretess:…}` span is never closed with `{/sekretess}`".into(),
        });
    }
    (spans, problems)
}

/// A mark that cannot act: written almost as a mark (`{Sekretess:…}`, `{ sekretess:…}`,
/// `{sekretess :…}`, `{/ sekretess}`), which prints as written in both editions; or a mark
/// where the converter prints text as written (an opening mark in inline code) or nothing of
/// it at all (an HTML comment or tag, an image's alt text). Each with its place and why.
pub(crate) fn misplaced(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let exact: Vec<(Range<usize>, Mark)> = marks(text);
    let mut out = Vec::new();
    // Near misses: `{`, blanks, `/`?, blanks, "sekretess" in any case, blanks, `:` or `}`.
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('{') {
        let mut j = at + 1;
        let skip_blank = |j: &mut usize| {
            while bytes.get(*j).is_some_and(|b| *b == b' ' || *b == b'\t') {
                *j += 1;
            }
        };
        skip_blank(&mut j);
        if bytes.get(j) == Some(&b'/') {
            j += 1;
            skip_blank(&mut j);
        }
        let word = text.get(j..j + 9);
        if !word.is_some_and(|w| w.eq_ignore_ascii_case("sekretess")) {
            continue;
        }
        j += 9;
        skip_blank(&mut j);
        if !matches!(bytes.get(j), Some(b':' | b'}')) {
            continue;
        }
        if exact.iter().any(|(r, _)| r.start == at) {
            continue;
        }
        let end = text[j..].find('}').map_or(j + 1, |e| j + e + 1);
        let end = if text[j..end].contains('\n') {
            j + 1
        } else {
            end
        };
        out.push((
            at..end,
            "written almost as a sekretess mark, it is not one: it prints as written and withholds nothing",
        ));
    }
    // Marks where they cannot act.
    let code = code_ranges(text);
    let mut hidden: Vec<Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("<!--") {
        let start = from + p;
        let end = text[start..]
            .find("-->")
            .map_or(text.len(), |e| start + e + 3);
        hidden.push(start..end);
        from = end;
    }
    let mut from = 0;
    while let Some(p) = text[from..].find('<') {
        let start = from + p;
        from = start + 1;
        let next = text[start + 1..].chars().next();
        if !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/') {
            continue;
        }
        if let Some(e) = text[start..].find(['>', '\n'])
            && text[start + e..].starts_with('>')
        {
            hidden.push(start..start + e + 1);
        }
    }
    let mut alt: Vec<Range<usize>> = Vec::new();
    for (start, _) in text.match_indices("![") {
        if let Some(e) = text[start..].find([']', '\n']) {
            alt.push(start..start + e + 1);
        }
    }
    let within = |set: &[Range<usize>], r: &Range<usize>| {
        set.iter().any(|c| c.start <= r.start && r.end <= c.end)
    };
    for (r, mark) in &exact {
        if within(&code, r) {
            if matches!(mark, Mark::Open(_)) {
                out.push((
                    r.clone(),
                    "a sekretess mark in code prints as written and withholds nothing",
                ));
            }
        } else if within(&hidden, r) {
            out.push((
                r.clone(),
                "a sekretess mark in HTML or an HTML comment is not printed and withholds nothing",
            ));
        } else if within(&alt, r) {
            out.push((
                r.clone(),
                "a sekretess mark in an image's alt text withholds nothing",
            ));
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// What the web edition prints instead of withheld material: "[Uppgift borttagen enligt OSL
/// 26 kap. 1 §]" for a rule (a reason with a digit or §), "[Uppgift borttagen:
/// personuppgift]" for a kind.
pub fn notice(reason: &str) -> String {
    let reason = reason.trim();
    if reason.contains(|c: char| c.is_ascii_digit() || c == '§') {
        format!("[Uppgift borttagen enligt {reason}]")
    } else {
        format!("[Uppgift borttagen: {reason}]")
    }
}

/// Which text a marked text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edition {
    /// The official protocol: everything, marks removed.
    Official,
    /// The web edition: marked spans replaced by their [`notice`].
    Web,
}

/// `text` as the given edition has it: marks removed (official) or each marked span replaced
/// by its notice (web). In the web edition what a span drags along goes with it, as in the
/// PDF: a link whose text holds a span loses its target (`[…](mailto:…)` keeps only its text),
/// and a footnote referred to only from inside spans loses its definition. Unpaired marks are
/// left as written (validation reports them).
pub(crate) fn apply(text: &str, edition: Edition) -> String {
    let (spans, _) = spans(text);
    // Byte ranges to drop in the web edition: link targets and brackets, footnote definitions.
    let mut drop: Vec<Range<usize>> = Vec::new();
    if edition == Edition::Web && !spans.is_empty() {
        for (open, close, end) in links(text) {
            if spans
                .iter()
                .any(|s| open < s.open.start && s.close.end <= close)
            {
                drop.push(open..open + 1);
                drop.push(close..end);
            }
        }
        drop.extend(footnotes_only_in(text, &spans));
    }
    drop.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let emit = |out: &mut String, from: usize, to: usize| {
        // The text between marks, without the dropped ranges.
        let mut at = from;
        for d in drop.iter().filter(|d| d.start >= from && d.start < to) {
            if d.start > at {
                out.push_str(&text[at..d.start]);
            }
            at = at.max(d.end.min(to));
        }
        if at < to {
            out.push_str(&text[at..to]);
        }
    };
    for s in &spans {
        emit(&mut out, last, s.open.start);
        match edition {
            Edition::Official => out.push_str(&text[s.open.end..s.close.start]),
            Edition::Web => out.push_str(&notice(s.reason)),
        }
        last = s.close.end;
    }
    emit(&mut out, last, text.len());
    out
}

/// Inline links `[text](target)` (not images): the `[`, the `]` and the end of `(…)`.
fn links(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (open, _) in text.match_indices('[') {
        if open > 0 && matches!(bytes[open - 1], b'!' | b'\\') {
            continue;
        }
        let mut depth = 0usize;
        let mut close = None;
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                b'\n' if bytes.get(i + 1) == Some(&b'\n') => break,
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        if bytes.get(close + 1) != Some(&b'(') {
            continue;
        }
        let mut depth = 0usize;
        for (i, &b) in bytes.iter().enumerate().skip(close + 1) {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push((open, close, i + 1));
                        break;
                    }
                }
                b'\n' => break,
                _ => {}
            }
        }
    }
    out
}

/// The definitions (`[^label]: …` and its indented continuation) of the footnotes referred
/// to only from inside marked spans: the PDF leaves them out with the span.
fn footnotes_only_in(text: &str, spans: &[Span]) -> Vec<Range<usize>> {
    let inside = |at: usize| spans.iter().any(|s| s.open.end <= at && at < s.close.start);
    let mut out = Vec::new();
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let start = offset;
        offset += line.len();
        i += 1;
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("[^") else {
            continue;
        };
        let Some((label, after)) = rest.split_once(']') else {
            continue;
        };
        if !after.starts_with(':') {
            continue;
        }
        let reference = format!("[^{label}]");
        let refs: Vec<usize> = text
            .match_indices(&reference)
            .map(|(at, _)| at)
            .filter(|&at| !text[at + reference.len()..].starts_with(':'))
            .collect();
        if refs.is_empty() || !refs.iter().all(|&at| inside(at)) {
            continue;
        }
        // The definition runs on over indented lines (and blank lines between them).
        let mut end = offset;
        while i < lines.len() {
            let next = lines[i];
            let indented = next.starts_with("    ") || next.starts_with('\t');
            let blank_then_indented = next.trim().is_empty()
                && lines
                    .get(i + 1)
                    .is_some_and(|n| n.starts_with("    ") || n.starts_with('\t'));
            if indented || blank_then_indented {
                end += next.len();
                offset += next.len();
                i += 1;
            } else {
                break;
            }
        }
        out.push(start..end);
    }
    out
}

/// Whether byte `range` of `text` lies inside a marked span (and so is not published).
pub(crate) fn is_withheld(spans: &[Span], range: &Range<usize>) -> bool {
    spans
        .iter()
        .any(|s| s.open.start <= range.start && range.end <= s.close.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_pair_marks_and_keep_the_reason() {
        let t = "Sökande {sekretess:OSL 26 kap. 1 §}Åsa Berg{/sekretess} fick bidrag.";
        let (spans, problems) = spans(t);
        assert!(problems.is_empty());
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].reason, "OSL 26 kap. 1 §");
        assert_eq!(&t[spans[0].open.end..spans[0].close.start], "Åsa Berg");
    }

    #[test]
    fn editions_keep_or_replace_the_marked_text() {
        let t = "A {sekretess:OSL 26 kap. 1 §}hemligt{/sekretess} B {sekretess:personuppgift}x{/sekretess}";
        assert_eq!(apply(t, Edition::Official), "A hemligt B x");
        assert_eq!(
            apply(t, Edition::Web),
            "A [Uppgift borttagen enligt OSL 26 kap. 1 §] B [Uppgift borttagen: personuppgift]"
        );
    }

    #[test]
    fn unpaired_and_nested_marks_are_reported_at_their_place() {
        let t = "{/sekretess} a {sekretess:X}b {sekretess:Y}c{/sekretess} {sekretess:Z}";
        let (spans, problems) = spans(t);
        assert_eq!(spans.len(), 1);
        let places: Vec<&str> = problems.iter().map(|p| &t[p.range.clone()]).collect();
        assert_eq!(
            places,
            ["{/sekretess}", "{sekretess:Y}", "{sekretess:Z}"],
            "{problems:?}"
        );
    }

    #[test]
    fn near_misses_and_marks_that_cannot_act_are_found() {
        let t = "{Sekretess:a}x{/Sekretess} { sekretess:b}y{ /sekretess} {sekretess :c}";
        let found: Vec<&str> = misplaced(t).iter().map(|(r, _)| &t[r.clone()]).collect();
        assert_eq!(
            found,
            [
                "{Sekretess:a}",
                "{/Sekretess}",
                "{ sekretess:b}",
                "{ /sekretess}",
                "{sekretess :c}"
            ]
        );
        let t = "`{sekretess:x}` <!-- {sekretess:y} --> ![{sekretess:z}a{/sekretess}](b.png) `{/sekretess}`";
        let found: Vec<&str> = misplaced(t).iter().map(|(r, _)| &t[r.clone()]).collect();
        assert_eq!(
            found,
            [
                "{sekretess:x}",
                "{sekretess:y}",
                "{sekretess:z}",
                "{/sekretess}"
            ]
        );
        assert!(misplaced("{sekretess:a}x{/sekretess} {bilaga:b}").is_empty());
    }

    #[test]
    fn a_marked_link_loses_its_target_and_a_marked_footnote_its_definition() {
        let t = "Kontakt [{sekretess:personuppgift}Åsa Lind{/sekretess}](mailto:asa@x.se) och \
                 {sekretess:personuppgift}Åsa[^1]{/sekretess} [x](https://a.se).\n\n[^1]: Hemliga gatan 3.\n";
        let web = apply(t, Edition::Web);
        assert_eq!(
            web,
            "Kontakt [Uppgift borttagen: personuppgift] och [Uppgift borttagen: personuppgift] \
             [x](https://a.se).\n\n"
        );
        assert!(apply(t, Edition::Official).contains("[Åsa Lind](mailto:asa@x.se)"));
        assert!(apply(t, Edition::Official).contains("Hemliga gatan"));
    }

    #[test]
    fn a_closing_mark_in_code_is_text() {
        let t = "Se `{/sekretess}` och {sekretess:x}hemligt{/sekretess}.";
        let (spans, problems) = spans(t);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(&t[spans[0].open.end..spans[0].close.start], "hemligt");
    }

    #[test]
    fn braces_that_are_not_marks_are_text() {
        assert!(marks("{sekretess:} {bilaga:x} {sekretess:a\nb}").is_empty());
    }
}
