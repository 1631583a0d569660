//! A phrase a nämnd words its own way in its house style (`[fraser]`): text with
//! `{placeholder}`s, `{{` and `}}` for a brace. Parsed and checked where it is written;
//! filled by the document that prints it. What fills a placeholder is plain text, like the
//! phrase itself: the template escapes both, so neither becomes Typst code.

use serde::Serialize;

/// A checked phrase: its text and its placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phrase(pub Vec<PhrasePart>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PhrasePart {
    Text(String),
    Slot(String),
}

/// Why a phrase cannot be read: the byte range in its text, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseError {
    pub at: std::ops::Range<usize>,
    pub message: String,
}

impl Phrase {
    /// Reads `text`, accepting only the placeholders in `known`.
    pub fn parse(text: &str, known: &[&str]) -> Result<Phrase, PhraseError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            match c {
                '{' if rest.peek().map(|&(_, n)| n) == Some('{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().map(|&(_, n)| n) == Some('}') => {
                    rest.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(len) = text[i + 1..].find('}') else {
                        return Err(PhraseError {
                            at: i..text.len(),
                            message: "a `{` opens a placeholder that is never closed".into(),
                        });
                    };
                    let name = &text[i + 1..i + 1 + len];
                    if !known.contains(&name) {
                        return Err(PhraseError {
                            at: i..i + len + 2,
                            message: format!("`{{{name}}}` is not a placeholder of this phrase"),
                        });
                    }
                    if !literal.is_empty() {
                        parts.push(PhrasePart::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(PhrasePart::Slot(name.to_string()));
                    while rest.peek().is_some_and(|&(j, _)| j <= i + len + 1) {
                        rest.next();
                    }
                }
                '}' => {
                    return Err(PhraseError {
                        at: i..i + 1,
                        message: "a `}` closes no placeholder".into(),
                    });
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(PhrasePart::Text(literal));
        }
        Ok(Phrase(parts))
    }

    /// The phrase with each placeholder replaced by its value in `values` (a placeholder
    /// without one is left empty).
    pub fn fill(&self, values: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                PhrasePart::Text(t) => out.push_str(t),
                PhrasePart::Slot(name) => {
                    if let Some((_, v)) = values.iter().find(|(k, _)| k == name) {
                        out.push_str(v);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_braces_doubled_are_braces() {
        let p = Phrase::parse("Var {roll} {namn} {{x}}.", &["namn", "roll"]).unwrap();
        assert_eq!(
            p.fill(&[("namn", "Karina Uddén"), ("roll", "förvaltningschef")]),
            "Var förvaltningschef Karina Uddén {x}."
        );
    }

    #[test]
    fn an_unknown_placeholder_is_refused_where_it_stands() {
        let e = Phrase::parse("Var {titel} {namn}.", &["namn", "roll"]).unwrap_err();
        assert_eq!(e.at, 4..11);
        assert!(e.message.contains("`{titel}`"), "{}", e.message);
        assert_eq!(Phrase::parse("a {namn", &["namn"]).unwrap_err().at, 2..7);
        assert_eq!(Phrase::parse("a } b", &["namn"]).unwrap_err().at, 2..3);
    }
}
