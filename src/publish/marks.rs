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
pub const OPEN: &str = "{sekretess:";
/// The closing mark.
pub const CLOSE: &str = "{/sekretess}";

/// A mark in a text: where it is and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark<'a> {
    /// `{sekretess:REASON}`, with the reason trimmed.
    Open(&'a str),
    /// `{/sekretess}`
    Close,
}

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

/// The marked spans of `text` (by text only: the converter also checks that a span does not
/// cross the Markdown structure), and the marks that do not pair up.
pub fn spans(text: &str) -> (Vec<Span<'_>>, Vec<Unpaired>) {
    let mut spans = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<(Range<usize>, &str)> = None;
    for (range, mark) in marks(text) {
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
pub enum Edition {
    /// The official protocol: everything, marks removed.
    Official,
    /// The web edition: marked spans replaced by their [`notice`].
    Web,
}

/// `text` as the given edition has it: marks removed (official) or each marked span replaced
/// by its notice (web). Unpaired marks are left as written (validation reports them).
pub fn apply(text: &str, edition: Edition) -> String {
    let (spans, _) = spans(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in &spans {
        out.push_str(&text[last..s.open.start]);
        match edition {
            Edition::Official => out.push_str(&text[s.open.end..s.close.start]),
            Edition::Web => out.push_str(&notice(s.reason)),
        }
        last = s.close.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Whether byte `range` of `text` lies inside a marked span (and so is not published).
pub fn is_withheld(spans: &[Span], range: &Range<usize>) -> bool {
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
    fn braces_that_are_not_marks_are_text() {
        assert!(marks("{sekretess:} {bilaga:x} {sekretess:a\nb}").is_empty());
    }
}
