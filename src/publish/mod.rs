//! Publishing (issue 15): the web edition — the justerat protocol with what falls under
//! sekretess (OSL) and personal data removed — and the record as data (a JSON sidecar).
//!
//! - [`marks`]: `{sekretess:SKÄL}…{/sekretess}` spans in Markdown text, and the notice that
//!   replaces them;
//! - [`redact`]: withheld § and bilagor (`sekretess = "…"` in the meeting file), the web
//!   edition's model;
//! - [`personnummer`] and [`guard`]: no personnummer or samordningsnummer reaches the web
//!   edition unwithheld;
//! - [`normalise`] and [`gate`]: every public byte read back as a reader gets it, and
//!   scanned for personnummer and withheld strings before anything is written;
//! - [`persons`]: people withheld from the web edition (skyddad identitet);
//! - [`source`]: what the meeting file says about its publication, read once before
//!   validation;
//! - [`record`]: the protocol as data, after Popolo and OParl, with its JSON Schema.

pub mod gate;
pub mod guard;
pub(crate) mod image_meta;
pub mod marks;
pub(crate) mod normalise;
pub mod personnummer;
pub mod persons;
pub mod record;
pub(crate) mod redact;
pub mod source;
pub mod web;

/// The text of each `#sekretess(…)[…]` body in converter markup (a DOCX bilaga's styled
/// runs), as a reader would have seen it: what the gate looks for in the public outputs.
pub(crate) fn sekretess_bodies(markup: &str) -> Vec<String> {
    const CALL: &str = "#sekretess(";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = markup[from..].find(CALL) {
        let mut at = from + pos + CALL.len();
        from = at;
        let bytes = markup.as_bytes();
        // Past the arguments (strings may hold parentheses).
        let mut depth = 1;
        let mut in_string = false;
        while at < bytes.len() && depth > 0 {
            match (in_string, bytes[at]) {
                (true, b'\\') => at += 1,
                (_, b'"') => in_string = !in_string,
                (false, b'(') => depth += 1,
                (false, b')') => depth -= 1,
                _ => {}
            }
            at += 1;
        }
        if bytes.get(at) != Some(&b'[') {
            continue;
        }
        let start = at + 1;
        let mut depth = 1;
        at = start;
        while at < bytes.len() {
            match bytes[at] {
                b'\\' => at += 1,
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            at += 1;
        }
        if let Some(body) = markup.get(start..at.min(markup.len())) {
            out.push(markup_text(body, true));
        }
    }
    out
}

/// The text a reader sees in converter markup ([`crate::markdown`]): escapes undone, calls'
/// code (`#emph`, `#link("…")`, `#footnote`) dropped, their content kept. The bodies of
/// `#sekretess(…)[…]` are kept when `hidden` is true (official), else left out (web). For the
/// guard's scan of converted bilagor; not for printing.
pub(crate) fn markup_text(markup: &str, hidden: bool) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Markup { hidden: bool },
        Code,
    }
    let mut out = String::with_capacity(markup.len());
    let mut stack = vec![Mode::Markup { hidden: false }];
    // Set between `#sekretess(` and its `[`: the content block that follows is withheld.
    let mut next_block_hidden = false;
    let mut chars = markup.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mode = *stack.last().unwrap_or(&Mode::Markup { hidden: false });
        match mode {
            Mode::Markup { hidden: h } => match c {
                '\\' => {
                    if let Some((_, n)) = chars.next()
                        && !h
                    {
                        out.push(n);
                    }
                }
                '#' => {
                    // A call: `#name(` code follows, or `#name[` content.
                    let rest = &markup[i + 1..];
                    let name_len = rest
                        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
                        .unwrap_or(rest.len());
                    if &rest[..name_len] == "sekretess" && !hidden {
                        next_block_hidden = true;
                    }
                    for _ in 0..rest[..name_len].chars().count() {
                        chars.next();
                    }
                    match chars.peek() {
                        Some((_, '(')) => {
                            chars.next();
                            stack.push(Mode::Code);
                        }
                        Some((_, '[')) => {
                            chars.next();
                            let hide = h || std::mem::take(&mut next_block_hidden);
                            stack.push(Mode::Markup { hidden: hide });
                        }
                        _ => {}
                    }
                }
                '[' => stack.push(Mode::Markup { hidden: h }),
                ']' => {
                    if stack.len() > 1 {
                        stack.pop();
                    }
                    // A call's trailing content block: `#f(…)[…]`.
                    if let Some((_, '[')) = chars.peek() {
                        chars.next();
                        let outer = matches!(stack.last(), Some(Mode::Markup { hidden: true }));
                        stack.push(Mode::Markup { hidden: outer });
                    }
                }
                '~' if !h => out.push(' '),
                // What ends a call (text's own `;` is escaped): not text, and a number split
                // by it (`#emph[811218];\-9876`) must still read as one.
                ';' => {}
                '<' => {
                    // A label `<b2-fn-1>` (text `<` is escaped).
                    for (_, n) in chars.by_ref() {
                        if n == '>' {
                            break;
                        }
                    }
                }
                c if !h => out.push(c),
                _ => {}
            },
            Mode::Code => match c {
                '"' => {
                    while let Some((_, n)) = chars.next() {
                        match n {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                '(' => stack.push(Mode::Code),
                ')' => {
                    stack.pop();
                    if let Some((_, '[')) = chars.peek() {
                        chars.next();
                        let outer = matches!(stack.last(), Some(Mode::Markup { hidden: true }));
                        let hide = outer || std::mem::take(&mut next_block_hidden);
                        stack.push(Mode::Markup { hidden: hide });
                    } else {
                        next_block_hidden = false;
                    }
                }
                '[' => {
                    let outer = stack
                        .iter()
                        .rev()
                        .find_map(|m| match m {
                            Mode::Markup { hidden } => Some(*hidden),
                            Mode::Code => None,
                        })
                        .unwrap_or(false);
                    stack.push(Mode::Markup { hidden: outer });
                }
                _ => {}
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_text_undoes_escapes_and_drops_code() {
        let m = "Pnr 811218\\-9876 #emph[fet] #link(\"https://x.se/811218-9876\")[länk] \
                 #footnote[~Not 2020\\-04\\-21]<b2-fn-1> #list([a \"b\"], [c], )";
        let t = markup_text(m, true);
        assert_eq!(t, "Pnr 811218-9876 fet länk  Not 2020-04-21 a \"b\"c");
    }

    #[test]
    fn markup_text_leaves_out_withheld_bodies_in_the_web_edition() {
        let m =
            "A #sekretess(\"OSL 26 kap. 1 §\", \"[Uppgift]\")[hemligt #emph[x\\]] #footnote[~n]] B";
        assert_eq!(markup_text(m, false), "A  B");
        assert!(markup_text(m, true).contains("hemligt x] "));
    }
}
