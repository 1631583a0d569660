//! Every shape problem of a meeting file at once: each unknown key, value of the wrong type
//! and missing key, at its place, with a did-you-mean from the meeting file's JSON Schema.
//!
//! serde stops at the first problem, so three mistyped keys took three runs. When serde
//! refuses a file, the parsed table is walked against the schema the same types derive (the
//! one editors use, `assemble schema`), so what is reported is what the editor would mark.
//! serde's own error is kept whenever the walk did not find a problem at its place: nothing
//! serde sees is lost.

use std::sync::OnceLock;

use serde_json::Value;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Kind;
use crate::diag::{Diagnostic, SourceFile};

/// The schema of one kind of meeting file, derived once.
fn schema(kind: Kind) -> &'static Value {
    static FVG: OnceLock<Value> = OnceLock::new();
    static NAMND: OnceLock<Value> = OnceLock::new();
    let to_value = |s: schemars::Schema| serde_json::to_value(s).unwrap_or(Value::Null);
    match kind {
        Kind::Fvg => FVG.get_or_init(|| to_value(schemars::schema_for!(super::RawFvgMeeting))),
        Kind::Namnd => {
            NAMND.get_or_init(|| to_value(schemars::schema_for!(super::namnd::RawNamndMeeting)))
        }
    }
}

/// The shape problems of `table` as a meeting file of `kind`. `missing`: whether to report
/// missing keys (not when the text had syntax errors: a key on a line that did not parse is
/// not missing).
pub(crate) fn problems(
    file: &SourceFile,
    table: &Spanned<DeTable<'_>>,
    kind: Kind,
    missing: bool,
) -> Vec<Diagnostic> {
    let root = schema(kind);
    let mut walk = Walk {
        root,
        file,
        missing,
        out: Vec::new(),
    };
    walk.table(table.get_ref(), table.span(), root, "");
    walk.out
}

/// For a syntax error on a line whose key is no bare TOML key (`tjänsteutlåtande = …`:
/// letters outside a–z, a space): the key of the schema it was meant to be.
pub(crate) fn syntax_hint(text: &str, span: std::ops::Range<usize>, kind: Kind) -> Option<String> {
    let at = span.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let line = &text[line_start..line_end];
    let key = line
        .split('=')
        .next()?
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let key = key.rsplit('.').next()?.trim();
    if key.is_empty()
        || key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let mut known: Vec<&str> = Vec::new();
    collect_keys(schema(kind), &mut known);
    known.sort_unstable();
    known.dedup();
    let hint = did_you_mean(key, &known);
    hint.starts_with("did you mean").then_some(hint)
}

/// Every property name anywhere in `s`.
fn collect_keys<'a>(s: &'a Value, out: &mut Vec<&'a str>) {
    match s {
        Value::Object(o) => {
            if let Some(Value::Object(props)) = o.get("properties") {
                out.extend(props.keys().map(String::as_str));
            }
            for v in o.values() {
                collect_keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_keys(v, out)),
        _ => {}
    }
}

struct Walk<'a> {
    root: &'a Value,
    file: &'a SourceFile,
    missing: bool,
    out: Vec<Diagnostic>,
}

impl<'a> Walk<'a> {
    /// `s` with its `$ref`s followed.
    fn resolve(&self, mut s: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(r) = s.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(name) = r.strip_prefix("#/$defs/") else {
                break;
            };
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(next) => s = next,
                None => break,
            }
        }
        s
    }

    fn error(&mut self, span: std::ops::Range<usize>, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(message).at(self.file, span);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.out.push(d);
    }

    fn table(
        &mut self,
        table: &DeTable<'_>,
        span: std::ops::Range<usize>,
        s: &'a Value,
        path: &str,
    ) {
        let s = self.resolve(s);
        let Some(props) = s.get("properties").and_then(Value::as_object) else {
            return;
        };
        let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
        // A key an unknown key was meant to be is not reported missing as well.
        let mut meant: Vec<&str> = Vec::new();
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            match props.get(name) {
                Some(ps) => self.value(value, ps, &join(path, name)),
                None if closed => {
                    let known: Vec<&str> = props.keys().map(String::as_str).collect();
                    if let Some(k) = closest(name, &known) {
                        meant.push(k);
                    }
                    let where_ = if path.is_empty() {
                        "a meeting file".to_string()
                    } else {
                        format!("`{path}`")
                    };
                    self.error(
                        key.span(),
                        format!("unknown key `{name}` in {where_}"),
                        Some(did_you_mean(name, &known)),
                    );
                }
                None => {}
            }
        }
        if !self.missing {
            return;
        }
        let required = s.get("required").and_then(Value::as_array);
        for r in required.into_iter().flatten().filter_map(Value::as_str) {
            if !table.keys().any(|k| k.get_ref().as_ref() == r) && !meant.contains(&r) {
                // At the table's first line (its header), not over the whole table.
                let text = self.file.text.as_ref();
                let start = span.start.min(text.len());
                let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                let where_ = if path.is_empty() {
                    "the meeting file".to_string()
                } else {
                    format!("`{path}`")
                };
                self.error(
                    start..end.max(start),
                    format!("missing key `{r}` in {where_}"),
                    Some(format!(
                        "add `{r} = …`{}; see docs/meeting-file-reference.md",
                        if path.is_empty() {
                            String::new()
                        } else {
                            format!(" under [{path}]")
                        }
                    )),
                );
            }
        }
    }

    fn value(&mut self, v: &Spanned<DeValue<'_>>, s: &'a Value, path: &str) {
        let s = self.resolve(s);
        let key = path.rsplit('.').next().unwrap_or(path);
        if let Some(alts) = s
            .get("anyOf")
            .or_else(|| s.get("oneOf"))
            .and_then(Value::as_array)
            && s.get("properties").is_none()
        {
            let alts: Vec<&Value> = alts
                .iter()
                .map(|a| self.resolve(a))
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            let words: Vec<&str> = alts
                .iter()
                .filter_map(|a| a.get("const").and_then(Value::as_str))
                .collect();
            if !words.is_empty() && words.len() == alts.len() {
                return self.word(v, key, &words);
            }
            if let [one] = alts.as_slice() {
                return self.value(v, one, path);
            }
            // Several shapes: the one that fits best (fewest problems) speaks.
            let mut best: Option<Vec<Diagnostic>> = None;
            for alt in alts {
                let mut sub = Walk {
                    root: self.root,
                    file: self.file,
                    missing: self.missing,
                    out: Vec::new(),
                };
                sub.value(v, alt, path);
                if best.as_ref().is_none_or(|b| sub.out.len() < b.len()) {
                    best = Some(sub.out);
                }
            }
            self.out.extend(best.unwrap_or_default());
            return;
        }
        if let Some(words) = s.get("enum").and_then(Value::as_array) {
            let words: Vec<&str> = words.iter().filter_map(Value::as_str).collect();
            return self.word(v, key, &words);
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let date = matches!(
            s.get("format").and_then(Value::as_str),
            Some("date" | "date-time")
        );
        let fits = match v.get_ref() {
            DeValue::Table(_) => types.contains(&"object"),
            DeValue::Array(_) => types.contains(&"array"),
            DeValue::String(_) => types.contains(&"string") && !date,
            DeValue::Integer(_) => types.contains(&"integer") || types.contains(&"number"),
            DeValue::Float(_) => types.contains(&"number"),
            DeValue::Boolean(_) => types.contains(&"boolean"),
            // A TOML date or time: where the schema asks for a date, or a time written as a
            // string ("09:00") would also be read from a TOML time.
            DeValue::Datetime(_) => types.contains(&"string"),
        };
        if !fits {
            let wanted = wanted(&types, date);
            let found = found(v.get_ref());
            let hint = if date {
                Some(format!(
                    "write the date without quotes, as a TOML date: {key} = 2020-09-17"
                ))
            } else if types.contains(&"array") {
                Some(format!("write a list in brackets: {key} = [\"…\"]"))
            } else if types.contains(&"boolean") {
                Some(format!("write true or false, without quotes: {key} = true"))
            } else if types.contains(&"string") {
                Some(format!("write the text in quotes: {key} = \"…\""))
            } else {
                None
            };
            self.error(
                v.span(),
                format!("`{key}` takes {wanted}, not {found}"),
                hint,
            );
            return;
        }
        match v.get_ref() {
            DeValue::Table(t) => self.table(t, v.span(), s, path),
            DeValue::Array(items) => {
                if let Some(item) = s.get("items") {
                    for i in items.iter() {
                        self.value(i, item, path);
                    }
                }
            }
            _ => {}
        }
    }

    /// A value that must be one of some words.
    fn word(&mut self, v: &Spanned<DeValue<'_>>, key: &str, words: &[&str]) {
        let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        match v.get_ref() {
            DeValue::String(s) if words.contains(&s.as_ref()) => {}
            DeValue::String(s) => {
                let mut hint = did_you_mean(s, words);
                if hint.starts_with("known keys") {
                    hint = format!("`{key}` takes one of {}", quoted.join(", "));
                }
                self.error(
                    v.span(),
                    format!(
                        "`{key}` is \"{s}\", which is not one of {}",
                        quoted.join(", ")
                    ),
                    Some(hint),
                );
            }
            other => self.error(
                v.span(),
                format!(
                    "`{key}` takes one of {}, not {}",
                    quoted.join(", "),
                    found(other)
                ),
                Some(format!(
                    "in quotes: {key} = {}",
                    quoted.first().map_or("\"…\"", String::as_str)
                )),
            ),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn wanted(types: &[&str], date: bool) -> String {
    if date {
        return "a date".into();
    }
    let words: Vec<&str> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| match *t {
            "object" => "a table",
            "array" => "a list",
            "string" => "text",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            other => other,
        })
        .collect();
    words.join(" or ")
}

fn found(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::Table(_) => "a table",
        DeValue::Array(_) => "a list",
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
    }
}

/// A key as the schema spells it: lower case, å ä → a, ö → o, é → e, spaces and hyphens as
/// underscores ("Tjänsteutlåtande" → "tjansteutlatande").
pub(crate) fn fold(key: &str) -> String {
    key.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            ' ' | '-' => '_',
            c => c,
        })
        .collect()
}

/// The known name `unknown` was meant to be, if one is close: the same once written
/// without å, ä, ö, or the closest by Jaro-Winkler (at least 0.7).
fn closest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    let folded = fold(unknown);
    if let Some(k) = known.iter().find(|k| **k == folded) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&folded, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.7)
        .map(|(_, k)| k)
}

/// "did you mean `x`?" for the known name closest to `unknown`, else the known names.
pub(crate) fn did_you_mean(unknown: &str, known: &[&str]) -> String {
    match closest(unknown, known) {
        Some(k) if fold(unknown) == k && unknown != k => {
            format!("did you mean `{k}`? keys are written without å, ä and ö")
        }
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys here: {}", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<String> {
        let file = SourceFile::new("m.toml", text.to_string());
        let table = DeTable::parse(text).unwrap();
        problems(&file, &table, Kind::Fvg, true)
            .iter()
            .map(|d| format!("{} | {}", d.message, d.hint.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn every_sample_fits_its_schema() {
        for (name, kind) in [
            ("fvg/2020-09-17.toml", Kind::Fvg),
            ("fvg/2020-04-16.toml", Kind::Fvg),
            ("amn/2020-04-21.toml", Kind::Namnd),
            ("amn/2015-paragraf-8-9.toml", Kind::Namnd),
        ] {
            let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let file = SourceFile::new(&path, text.clone());
            let table = DeTable::parse(&text).unwrap();
            let found = problems(&file, &table, kind, true);
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }

    #[test]
    fn unknown_keys_wrong_types_and_missing_keys_all_at_once() {
        let found = shape(
            "kind = \"fvg\"\norgan = \"FVG\"\nordforand = \"A\"\nsekreterare = 3\njusterare = \"B\"\n\
             [meeting]\ndate = \"2020-09-17\"\nstart = \"09:00\"\nend = \"10:00\"\nplace = \"X\"\n",
        );
        let text = found.join("\n");
        assert!(
            text.contains("unknown key `ordforand` in a meeting file | did you mean `ordforande`?"),
            "{text}"
        );
        assert!(
            text.contains("`sekreterare` takes text, not a number"),
            "{text}"
        );
        assert!(
            text.contains("`justerare` takes a list, not text"),
            "{text}"
        );
        assert!(text.contains("`date` takes a date, not text"), "{text}");
        // `ordforand` was meant to be it: not reported missing as well.
        assert!(!text.contains("missing key `ordforande`"), "{text}");
        assert!(text.contains("missing key `organisation`"), "{text}");
    }

    #[test]
    fn a_key_with_swedish_letters_is_matched_to_its_spelling() {
        let text = "[[paragraf]]\ntjänsteutlåtande = 2020-04-07\n";
        let at = text.find('ä').unwrap();
        assert_eq!(
            syntax_hint(text, at..at + 1, Kind::Namnd).as_deref(),
            Some("did you mean `tjansteutlatande`? keys are written without å, ä and ö")
        );
        assert_eq!(
            did_you_mean("tjänsteutlåtande", &["tjansteutlatande", "text"]),
            "did you mean `tjansteutlatande`? keys are written without å, ä and ö"
        );
    }
}
