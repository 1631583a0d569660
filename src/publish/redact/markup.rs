//! The web edition's redaction of converter markup ([`crate::markdown`]'s Typst): the data is
//! redacted, not only the print. A marked span is a `#sekretess(reason, notice)[body]` call in
//! the model; the web edition's model keeps the call (the template prints its notice) with its
//! body emptied, so the withheld text is not in the web edition's Typst source at all — not
//! for a `--templates` copy that prints the body, not for a footnote inside it. A
//! `#sekretess-link(url)[…]` loses its target the same way. A withheld person's name is
//! replaced in the text the markup prints and in its strings (alt text, a link's address).
//!
//! The markup is our converter's, so its grammar is small and known: markup mode with every
//! special character escaped (`\#`), `#name(args)[content]…;` calls, `<label>`s, and code mode
//! with strings, parentheses and content blocks. Markup that does not scan (unbalanced
//! brackets, an unclosed string) is refused, never published as it is.

use std::ops::Range;

/// A run of text a reader gets: markup-mode text (escapes `\X` included) or a string's content
/// in code (between its quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    Markup(Range<usize>),
    Str(Range<usize>),
}

/// A call `#name(args)[body]…` made in markup mode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Call {
    name: String,
    /// Inside the parentheses.
    args: Option<Range<usize>>,
    /// Inside each trailing content block's brackets.
    bodies: Vec<Range<usize>>,
}

/// The markup scanned: its text runs and its calls (inner calls before outer ones).
#[derive(Debug, Default)]
struct Scan {
    runs: Vec<Run>,
    calls: Vec<Call>,
}

/// Where the markup stopped scanning: a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unscannable(pub usize);

fn scan(text: &str) -> Result<Scan, Unscannable> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        out: Scan::default(),
    };
    p.markup(0, false)?;
    Ok(p.out)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    out: Scan,
}

impl Parser<'_> {
    /// Markup from `i` to the `]` that closes it (`nested`) or to the end. Returns the index
    /// of that `]` (or the length).
    fn markup(&mut self, mut i: usize, nested: bool) -> Result<usize, Unscannable> {
        let mut run: Option<usize> = None;
        let close = |run: &mut Option<usize>, out: &mut Scan, at: usize| {
            if let Some(start) = run.take()
                && start < at
            {
                out.runs.push(Run::Markup(start..at));
            }
        };
        loop {
            let Some(&b) = self.s.get(i) else {
                close(&mut run, &mut self.out, i);
                return if nested { Err(Unscannable(i)) } else { Ok(i) };
            };
            match b {
                b'\\' => {
                    run.get_or_insert(i);
                    let next = self.text[i + 1..].chars().next().ok_or(Unscannable(i))?;
                    i += 1 + next.len_utf8();
                }
                b'#' => {
                    close(&mut run, &mut self.out, i);
                    i = self.hash(i)?;
                }
                b'[' => {
                    close(&mut run, &mut self.out, i);
                    i = self.markup(i + 1, true)? + 1;
                }
                b']' => {
                    close(&mut run, &mut self.out, i);
                    return if nested { Ok(i) } else { Err(Unscannable(i)) };
                }
                b'<' => {
                    close(&mut run, &mut self.out, i);
                    let end = self.text[i..].find('>').ok_or(Unscannable(i))?;
                    i += end + 1;
                }
                _ => {
                    run.get_or_insert(i);
                    i += 1;
                }
            }
        }
    }

    /// A call at `#` (index `i`): its name, arguments and content blocks, and the `;` that
    /// ends it. Returns the index after it.
    fn hash(&mut self, i: usize) -> Result<usize, Unscannable> {
        let mut j = i + 1;
        while self
            .s
            .get(j)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        {
            j += 1;
        }
        if j == i + 1 {
            return Err(Unscannable(i));
        }
        let mut call = Call {
            name: self.text[i + 1..j].to_string(),
            args: None,
            bodies: Vec::new(),
        };
        if self.s.get(j) == Some(&b'(') {
            let end = self.code(j + 1)?;
            call.args = Some(j + 1..end);
            j = end + 1;
        }
        while self.s.get(j) == Some(&b'[') {
            let end = self.markup(j + 1, true)?;
            call.bodies.push(j + 1..end);
            j = end + 1;
        }
        if self.s.get(j) == Some(&b';') {
            j += 1;
        }
        self.out.calls.push(call);
        Ok(j)
    }

    /// Code from `i` to its closing `)`; returns that index.
    fn code(&mut self, mut i: usize) -> Result<usize, Unscannable> {
        loop {
            match self.s.get(i) {
                None => return Err(Unscannable(i)),
                Some(b'"') => i = self.string(i + 1)? + 1,
                Some(b'(') => i = self.code(i + 1)? + 1,
                Some(b')') => return Ok(i),
                Some(b'[') => i = self.markup(i + 1, true)? + 1,
                Some(b']') => return Err(Unscannable(i)),
                Some(_) => i += 1,
            }
        }
    }

    /// A string's content from `i` to its closing quote; returns that quote's index.
    fn string(&mut self, start: usize) -> Result<usize, Unscannable> {
        let mut i = start;
        loop {
            match self.s.get(i) {
                None => return Err(Unscannable(start)),
                Some(b'\\') => i += 2,
                Some(b'"') => {
                    self.out.runs.push(Run::Str(start..i));
                    return Ok(i);
                }
                Some(_) => i += 1,
            }
        }
    }
}

/// `markup` with every marked span's body emptied (`#sekretess(…)[]`) and every
/// `#sekretess-link`'s target blanked (`#sekretess-link("")[…]`): what the web edition's
/// model holds.
pub(crate) fn withhold_spans(markup: &str) -> Result<String, Unscannable> {
    if !markup.contains("#sekretess") {
        return Ok(markup.to_string());
    }
    let scan = scan(markup)?;
    // Byte ranges to replace, and by what.
    let mut cuts: Vec<(Range<usize>, &str)> = Vec::new();
    for call in &scan.calls {
        match call.name.as_str() {
            "sekretess" => {
                if call.args.is_none() || call.bodies.len() != 1 {
                    return Err(Unscannable(call.args.as_ref().map_or(0, |a| a.start)));
                }
                cuts.push((call.bodies[0].clone(), ""));
            }
            "sekretess-link" => {
                let args = call.args.clone().ok_or(Unscannable(0))?;
                cuts.push((args, "\"\""));
            }
            _ => {}
        }
    }
    Ok(apply(markup, cuts))
}

/// `text` with the outermost of `cuts` applied (a cut inside another goes with it).
fn apply(text: &str, mut cuts: Vec<(Range<usize>, &str)>) -> String {
    cuts.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (r, with) in cuts {
        if r.start < last {
            continue;
        }
        out.push_str(&text[last..r.start]);
        out.push_str(with);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// `markup` with each of `names` replaced by its stand-in wherever the markup prints it as a
/// whole name (see [`super::super::persons`]): in text and in strings, each escaped as its
/// place needs.
pub(crate) fn replace_names(
    markup: &str,
    names: &[(String, String)],
) -> Result<String, Unscannable> {
    if names.is_empty() {
        return Ok(markup.to_string());
    }
    let scan = scan(markup)?;
    let mut cuts: Vec<(Range<usize>, String)> = Vec::new();
    for run in &scan.runs {
        let (range, in_string) = match run {
            Run::Markup(r) => (r.clone(), false),
            Run::Str(r) => (r.clone(), true),
        };
        let (plain, places) = unescape(&markup[range.clone()], in_string);
        let mut done = plain.clone();
        for (name, stand_in) in names {
            for at in super::super::persons::whole_name_at(&done, name) {
                let from = places[at];
                let to = places[at + name.len()];
                if cuts
                    .iter()
                    .any(|(c, _)| c.start < range.start + to && range.start + from < c.end)
                {
                    continue;
                }
                let escaped = if in_string {
                    let lit = crate::escape::string_literal(stand_in);
                    lit[1..lit.len() - 1].to_string()
                } else {
                    crate::escape::markup(stand_in)
                };
                cuts.push((range.start + from..range.start + to, escaped));
            }
            // The same name is not found twice (a stand-in never holds a name).
            done = blank(&done, name);
        }
    }
    cuts.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(markup.len());
    let mut last = 0;
    for (r, with) in cuts {
        out.push_str(&markup[last..r.start]);
        out.push_str(&with);
        last = r.end;
    }
    out.push_str(&markup[last..]);
    Ok(out)
}

/// `text` with each whole occurrence of `name` turned into as many `\0` bytes (offsets kept).
fn blank(text: &str, name: &str) -> String {
    let mut out = text.to_string();
    for at in super::super::persons::whole_name_at(text, name) {
        out.replace_range(at..at + name.len(), &"\0".repeat(name.len()));
    }
    out
}

/// The text a run prints (escapes undone), and for each of its byte offsets (and its end) the
/// offset in the run as written.
fn unescape(run: &str, in_string: bool) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(run.len());
    let mut places = Vec::with_capacity(run.len() + 1);
    let mut chars = run.char_indices().peekable();
    let push = |out: &mut String, places: &mut Vec<usize>, c: char, at: usize| {
        out.push(c);
        places.extend(std::iter::repeat_n(at, c.len_utf8()));
    };
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            push(&mut out, &mut places, c, at);
            continue;
        }
        let Some((_, n)) = chars.next() else {
            push(&mut out, &mut places, c, at);
            continue;
        };
        let read = match n {
            'u' if chars.peek().is_some_and(|(_, c)| *c == '{') => {
                let mut hex = String::new();
                chars.next();
                for (_, h) in chars.by_ref() {
                    if h == '}' {
                        break;
                    }
                    hex.push(h);
                }
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}')
            }
            'n' if in_string => '\n',
            't' if in_string => '\t',
            'r' if in_string => '\r',
            n => n,
        };
        push(&mut out, &mut places, read, at);
    }
    places.push(run.len());
    (out, places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_spans_body_is_emptied_and_its_link_target_blanked() {
        let m = "Sökande #sekretess(\"OSL 26 kap. 1 §\", \"[Uppgift borttagen enligt OSL 26 kap. 1 §]\")[Åsa #emph[Lind];#footnote[Hemliga gatan 3\\.]<b1-fn-1>]; fick #sekretess-link(\"mailto:asa@x.se\")[#sekretess(\"p\", \"[n]\")[Åsa Lind]]; bidrag\\.";
        let out = withhold_spans(m).unwrap();
        assert_eq!(
            out,
            "Sökande #sekretess(\"OSL 26 kap. 1 §\", \"[Uppgift borttagen enligt OSL 26 kap. 1 §]\")[]; fick #sekretess-link(\"\")[#sekretess(\"p\", \"[n]\")[]]; bidrag\\."
        );
        assert!(!out.contains("Lind") && !out.contains("Hemliga") && !out.contains("asa@"));
    }

    #[test]
    fn brackets_in_strings_and_escapes_do_not_end_a_body() {
        let m = "#list([a #sekretess(\"x]\", \"[n]\")[b \\] #link(\"https://x.se/a]b\")[c] d];], [e], )";
        let out = withhold_spans(m).unwrap();
        assert_eq!(out, "#list([a #sekretess(\"x]\", \"[n]\")[];], [e], )");
    }

    #[test]
    fn markup_that_does_not_scan_is_refused() {
        assert!(withhold_spans("#sekretess(\"a\", \"b\")[text").is_err());
        assert!(withhold_spans("#sekretess(\"a, \"b\")[t]").is_err());
        assert!(withhold_spans("a ] #sekretess(\"a\", \"b\")[t]").is_err());
    }

    #[test]
    fn a_name_is_replaced_in_text_and_strings_not_in_longer_names() {
        let names = [(
            "Lena Strand".to_string(),
            "[Uppgift borttagen: skyddad identitet]".to_string(),
        )];
        let m =
            "Lena Strand \\(M\\) och Lena Strand\\-Berg; #image(\"a.png\", alt: \"Lena Strand\")";
        assert_eq!(
            replace_names(m, &names).unwrap(),
            "\\[Uppgift borttagen\\: skyddad identitet\\] \\(M\\) och Lena Strand\\-Berg; #image(\"a.png\", alt: \"[Uppgift borttagen: skyddad identitet]\")"
        );
        let names = [("Anna-Lena Ek".to_string(), "X".to_string())];
        assert_eq!(replace_names("Anna\\-Lena Ek\\.", &names).unwrap(), "X\\.");
    }
}
