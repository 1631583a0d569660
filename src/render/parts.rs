//! Which ranges of the generated source each § and bilaga became, whatever the templates call
//! things (issue 21).
//!
//! Before a meeting is rendered, every value the tool made for one of its § or bilagor — the
//! converter's markup, the Typst paths of a bilaga's pages and images — is wrapped in marks:
//! `U+FDD0 n U+FDD1` before it and `U+FDD2 n U+FDD1` after it, `n` the part's number. Marks
//! travel with the value through macros, includes and captured blocks, and through the `lit`
//! filter (which writes them outside the literal); after rendering they are taken out, and
//! where they stood is each part's range of the source. A `--templates` copy that renames a
//! call, moves a § into a macro of its own or prints its text twice keeps its places.
//!
//! The marks are Unicode noncharacters, which escaping removes from every text on its way to
//! Typst ([`crate::escape::printable`]): no input can bring one into the source. What the
//! secretary wrote as plain text (titles, names) is never marked, so a template that compares
//! it (`{% if p.typ == "oppnande" %}`) behaves as before.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ValueKind};

use crate::meeting::model::{Asset, Bilaga, FieldPlace, Place};
use crate::typeset::{Part, PartOf};

const OPEN: char = '\u{FDD0}';
const SHUT: char = '\u{FDD2}';
/// Ends a mark's number (as it ends a Markdown field's marks, [`FieldPlace`]).
const END: char = FieldPlace::END;

/// The parts of one document being rendered: what each mark's number stands for.
#[derive(Default)]
pub(super) struct Marks {
    parts: Vec<(PartOf, Option<Place>)>,
}

impl Marks {
    /// `m` (a meeting as the template gets it) with the values of each of its § and bilagor
    /// marked. `paragrafer` and `bilagor` are the model's, in the order of `m`'s lists.
    pub(super) fn meeting(
        &mut self,
        m: Value,
        paragrafer: &[(u32, Option<Place>)],
        bilagor: &[Bilaga],
    ) -> Value {
        let mut over = Vec::new();
        if let Ok(list) = m.get_attr("paragrafer")
            && let Ok(items) = list.try_iter()
        {
            let marked = items
                .zip(paragrafer)
                .map(|(p, (number, place))| self.mark(&p, PartOf::Paragraf(*number), place))
                .collect::<Vec<_>>();
            over.push(("paragrafer", Value::from(marked)));
        }
        if let Ok(list) = m.get_attr("bilagor")
            && let Ok(items) = list.try_iter()
        {
            let marked = items
                .zip(bilagor)
                .map(|(value, b)| {
                    let of = PartOf::Bilaga {
                        number: b.number,
                        id: b.id.clone(),
                        file: b.path.as_ref().and(b.place.as_ref()).map(written),
                    };
                    self.mark(&value, of, &b.place)
                })
                .collect::<Vec<_>>();
            over.push(("bilagor", Value::from(marked)));
        }
        Value::from_object(Overlay { base: m, over })
    }

    fn mark(&mut self, value: &Value, of: PartOf, place: &Option<Place>) -> Value {
        let n = self.parts.len();
        self.parts.push((of, place.clone()));
        mark(value, n)
    }

    /// `source` without its marks, and the parts' ranges in it (in source order): each §'s
    /// and bilaga's, and inside them each Markdown field's, placed at the field.
    pub(super) fn take(&self, source: String) -> (String, Vec<Part>) {
        if !source.contains([OPEN, SHUT, END, FieldPlace::OPEN, FieldPlace::SHUT]) {
            return (source, Vec::new());
        }
        let mut clean = String::with_capacity(source.len());
        let mut open: Vec<(usize, usize)> = Vec::new();
        let mut fields: Vec<(Field, usize)> = Vec::new();
        let mut parts = Vec::new();
        let mut rest = source.as_str();
        while let Some(at) = rest.find([OPEN, SHUT, END, FieldPlace::OPEN, FieldPlace::SHUT]) {
            clean.push_str(&rest[..at]);
            let c = rest[at..].chars().next().unwrap_or(END);
            let after = &rest[at + c.len_utf8()..];
            let len = after.find(|d: char| !is_payload(d)).unwrap_or(after.len());
            let payload = &after[..len];
            rest = after;
            if !after[len..].starts_with(END) {
                // A mark cut by a filter (`truncate`) is dropped, and places nothing.
                continue;
            }
            rest = &after[len + END.len_utf8()..];
            match c {
                OPEN | SHUT => {
                    let Ok(n) = payload.parse::<usize>() else {
                        continue;
                    };
                    if c == OPEN {
                        open.push((n, clean.len()));
                    } else if let Some(i) = open.iter().rposition(|(o, _)| *o == n) {
                        let (_, start) = open.remove(i);
                        if let Some((of, place)) = self.parts.get(n)
                            && start < clean.len()
                        {
                            let part = Part {
                                range: start..clean.len(),
                                of: of.clone(),
                                place: place.clone(),
                                lines: Vec::new(),
                            };
                            parts.push((part, false));
                        }
                    }
                }
                FieldPlace::OPEN => {
                    if let Some(field) = Field::parse(payload) {
                        fields.push((field, clean.len()));
                    }
                }
                FieldPlace::SHUT => {
                    // A field's markup, placed in the file of the part it is printed in.
                    let Some((field, start)) = fields.pop() else {
                        continue;
                    };
                    let part = open.last().and_then(|(n, _)| self.parts.get(*n));
                    if let Some((of, Some(place))) = part
                        && start < clean.len()
                    {
                        let part = Part {
                            range: start..clean.len(),
                            of: of.clone(),
                            place: Some(Place {
                                file: place.file.clone(),
                                span: field.span,
                            }),
                            lines: field.lines,
                        };
                        parts.push((part, true));
                    }
                }
                _ => {}
            }
        }
        clean.push_str(rest);
        // Outer ranges first; a field after the part's range it fills (a § value that is
        // one Markdown field has the same range twice), so the first range of a part is
        // its own and the last one holding a place is the innermost.
        parts.sort_by_key(|(p, field)| (p.range.start, std::cmp::Reverse(p.range.end), *field));
        (clean, parts.into_iter().map(|(p, _)| p).collect())
    }
}

/// What a mark carries between its kind and its end: a part's number, or a field's span and
/// lines (`start.end,m:s,…`, [`FieldPlace`]).
fn is_payload(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | ':')
}

/// A field's place as its opening mark carries it.
struct Field {
    span: std::ops::Range<usize>,
    lines: Vec<(usize, usize)>,
}

impl Field {
    fn parse(payload: &str) -> Option<Self> {
        let mut items = payload.split(',');
        let (start, end) = items.next()?.split_once('.')?;
        let lines = items
            .map(|l| {
                let (m, s) = l.split_once(':')?;
                Some((m.parse().ok()?, s.parse().ok()?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            span: start.parse().ok()?..end.parse().ok()?,
            lines,
        })
    }
}

/// `value` with every value the tool made in it marked as part `n`: non-empty markup (an
/// empty one stays false in an `{% if %}`) and assets' Typst paths.
fn mark(value: &Value, n: usize) -> Value {
    match value.kind() {
        ValueKind::String => match value.as_str() {
            Some(s) if !s.is_empty() && (value.is_safe() || s.starts_with(Asset::ROOT)) => {
                let text = format!("{OPEN}{n}{END}{s}{SHUT}{n}{END}");
                if value.is_safe() {
                    Value::from_safe_string(text)
                } else {
                    Value::from(text)
                }
            }
            _ => value.clone(),
        },
        ValueKind::Seq => match value.try_iter() {
            Ok(items) => Value::from(items.map(|v| mark(&v, n)).collect::<Vec<_>>()),
            Err(_) => value.clone(),
        },
        ValueKind::Map => match value.try_iter() {
            Ok(keys) => Value::from_object(Fields(
                keys.map(|key| {
                    let v = value.get_item(&key).unwrap_or_default();
                    let marked = mark(&v, n);
                    (key, marked)
                })
                .collect(),
            )),
            Err(_) => value.clone(),
        },
        _ => value.clone(),
    }
}

/// `text` split as `lit` writes it: the marks it opens with, the text, the marks it closes
/// with (the marks stand outside the literal, so that escaping keeps them).
pub(super) fn split_marks(text: &str) -> (&str, &str, &str) {
    let lead = leading(text);
    let rest = &text[lead..];
    let mut inner = rest.len();
    // Closing marks from the end: each `SHUT digits END` or a field's `SHUT END`.
    while let Some(before) = rest[..inner].strip_suffix(END) {
        let digits = before.len()
            - before
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
        match before[..digits].strip_suffix(SHUT) {
            Some(kept) if digits < before.len() => inner = kept.len(),
            _ => match before.strip_suffix(FieldPlace::SHUT) {
                Some(kept) => inner = kept.len(),
                None => break,
            },
        }
    }
    (&text[..lead], &rest[..inner], &rest[inner..])
}

/// The length of the opening marks (a part's or a field's) that `text` starts with.
fn leading(text: &str) -> usize {
    let mut at = 0;
    while let Some(c) = text[at..]
        .chars()
        .next()
        .filter(|c| [OPEN, FieldPlace::OPEN].contains(c))
    {
        let after = &text[at + c.len_utf8()..];
        let len = after.find(|d: char| !is_payload(d)).unwrap_or(after.len());
        if len == 0 || !after[len..].starts_with(END) {
            break;
        }
        at += c.len_utf8() + len + END.len_utf8();
    }
    at
}

/// The file of a bilaga as its `file =` writes it, without the quotes.
fn written(place: &Place) -> String {
    let text = place.file.text.get(place.span.clone()).unwrap_or_default();
    text.trim_matches(|c| c == '"' || c == '\'').to_string()
}

/// A map rebuilt with marked values, its keys in their order.
#[derive(Debug)]
struct Fields(Vec<(Value, Value)>);

impl Object for Fields {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.iter().map(|(k, _)| k.clone()).collect())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The meeting with its § and bilagor marked; everything else as it was.
#[derive(Debug)]
struct Overlay {
    base: Value,
    over: Vec<(&'static str, Value)>,
}

impl Object for Overlay {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        if let Some(name) = key.as_str()
            && let Some((_, v)) = self.over.iter().find(|(n, _)| *n == name)
        {
            return Some(v.clone());
        }
        self.base.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.base.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        self.base.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_taken_out_and_give_the_ranges() {
        let mut marks = Marks::default();
        let a = marks.mark(
            &Value::from_safe_string("*a*".into()),
            PartOf::Paragraf(3),
            &None,
        );
        let plain = marks.mark(&Value::from("Titel"), PartOf::Paragraf(4), &None);
        assert_eq!(plain.as_str(), Some("Titel"), "plain text is never marked");
        let source = format!(
            "#p[{}] #q({})",
            a.as_str().unwrap(),
            plain.as_str().unwrap()
        );
        let (clean, parts) = marks.take(source);
        assert_eq!(clean, "#p[*a*] #q(Titel)");
        assert_eq!(parts.len(), 1);
        assert_eq!(&clean[parts[0].range.clone()], "*a*");
        assert_eq!(parts[0].of, PartOf::Paragraf(3));
    }

    #[test]
    fn a_field_in_a_part_is_a_range_placed_at_the_field() {
        let file = crate::diag::SourceFile::new("meeting.toml", "title = \"T\"\ntext = \"*a*\"\n");
        let place = |span| {
            Some(Place {
                file: file.clone(),
                span,
            })
        };
        let mut marks = Marks::default();
        let field = FieldPlace {
            place: place(19..24).unwrap(),
            lines: vec![(0, 20)],
        };
        let markup = crate::meeting::model::Markup("*a*".into(), "*a*".into(), Some(field));
        let value = Value::from(minijinja::value::Serde(&markup));
        let p = marks.mark(&value, PartOf::Paragraf(3), &place(8..11));
        let source = format!(
            "#p[{}] #q[{}]",
            p.as_str().unwrap(),
            value.as_str().unwrap()
        );
        let (clean, parts) = marks.take(source);
        assert_eq!(clean, "#p[*a*] #q[*a*]");
        // The § and its field; the field printed outside any part places nothing.
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].place.as_ref().unwrap().span, 8..11);
        assert_eq!(&clean[parts[1].range.clone()], "*a*");
        assert_eq!(parts[1].of, PartOf::Paragraf(3));
        assert_eq!(parts[1].place.as_ref().unwrap().span, 19..24);
        assert_eq!(parts[1].lines, vec![(0, 20)]);
        // Through `lit`, both kinds of marks stand outside the literal.
        let (lead, inner, trail) = split_marks(p.as_str().unwrap());
        assert_eq!(inner, "*a*");
        assert_eq!(format!("{lead}{inner}{trail}"), p.as_str().unwrap());
    }

    #[test]
    fn lit_writes_the_marks_outside_the_literal() {
        let marked = mark(&Value::from("/.protokoll/assets/b2/page-1.svg"), 7);
        let (lead, inner, trail) = split_marks(marked.as_str().unwrap());
        assert_eq!(inner, "/.protokoll/assets/b2/page-1.svg");
        assert_eq!(format!("{lead}{inner}{trail}"), marked.as_str().unwrap());
        assert_eq!(split_marks("x"), ("", "x", ""));
    }
}
