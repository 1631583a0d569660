//! Blank strings are missing values (issue 11): `beslutsgang = ""` or `name = "  "` must not
//! pass a required field and print nothing. One walk over the file, guided by the file's
//! own JSON Schema (the same types that parse it), finds every string that is empty or only
//! whitespace: in a required field or as an entry of a list it is an error; in an optional
//! field a warning that nothing is printed for it (or an error where a check already
//! refused it). The rule holds for every field of both kinds, present and future, because
//! it reads the schema rather than a list of fields.

use std::ops::Range;
use std::sync::OnceLock;

use serde_json::Value;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::raw::Kind;

/// One blank string: where, which key, and whether the schema requires a value there.
pub(crate) struct Blank {
    span: Range<usize>,
    key: String,
    required: bool,
}

/// Every blank string of a meeting file of `kind` (`doc`: the file as parsed, with spans
/// into its text).
pub(crate) fn find(doc: &DeTable<'_>, kind: Kind) -> Vec<Blank> {
    let schema = schema(kind).as_value();
    let mut blanks = Vec::new();
    walk_table(doc, schema, schema, &mut blanks);
    blanks
}

/// The values a key named `key` allows in a meeting file of either kind, when its schema is a
/// choice of words wherever a table has it (`footer_on`: "last-page", "first-page"), for a
/// hint at a value of the wrong type; `None` for a key that is not a choice somewhere
/// (`foredragande` is a choice in `[husstil]` and a list of people in `[attendance]`).
pub(crate) fn allowed_values(key: &str) -> Option<Vec<String>> {
    let mut found = Vec::new();
    for kind in [Kind::Fvg, Kind::Namnd] {
        let root = schema(kind).as_value();
        let defs = root.get("$defs").and_then(|d| d.as_object());
        let tables = defs
            .into_iter()
            .flat_map(|d| d.values())
            .chain(std::iter::once(root));
        for table in tables {
            let Some(property) = table.get("properties").and_then(|p| p.get(key)) else {
                continue;
            };
            let resolved = resolve(root, property);
            let choices = resolved
                .get("oneOf")
                .or_else(|| resolved.get("anyOf"))
                .and_then(|c| c.as_array());
            let words = choices
                .into_iter()
                .flatten()
                .filter_map(|c| resolve(root, c).get("const").and_then(|v| v.as_str()))
                .chain(
                    resolved
                        .get("enum")
                        .and_then(|e| e.as_array())
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str()),
                );
            let before = found.len();
            for w in words {
                if !found.iter().any(|f: &String| f == w) {
                    found.push(w.to_owned());
                }
            }
            let is_choice = found.len() > before
                || resolved.get("oneOf").is_some()
                || resolved.get("enum").is_some();
            if !is_choice {
                return None;
            }
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The JSON Schema of a meeting file of `kind`, generated once per process (it is the same
/// every time, and generating it costs more than the walk).
fn schema(kind: Kind) -> &'static schemars::Schema {
    static FVG: OnceLock<schemars::Schema> = OnceLock::new();
    static NAMND: OnceLock<schemars::Schema> = OnceLock::new();
    match kind {
        Kind::Fvg => FVG.get_or_init(|| schemars::schema_for!(crate::meeting::raw::RawFvgMeeting)),
        Kind::Namnd => {
            NAMND.get_or_init(|| schemars::schema_for!(crate::meeting::raw::namnd::RawNamndMeeting))
        }
    }
}

/// Replaces the problems other checks found at a blank string (`blanks`, from [`find`])
/// with one message saying it is empty (an error unless the field is optional and nothing
/// refused it).
pub(super) fn report(file: &SourceFile, blanks: Vec<Blank>, problems: &mut Vec<Diagnostic>) {
    for b in blanks {
        let here = |d: &Diagnostic| {
            d.location
                .as_ref()
                .is_some_and(|(f, r)| f.path == file.path && r.start == b.span.start)
        };
        let refused = problems.iter().any(|d| here(d) && d.is_error());
        problems.retain(|d| !here(d));
        let diag = if b.required || refused {
            Diagnostic::error(format!("`{}` is empty: a value is required here", b.key))
                .with_hint("an empty or blank string is a missing value: write it")
        } else {
            Diagnostic::warning(format!("`{}` is empty and is not printed", b.key))
                .with_hint("write it, or leave out the key")
        };
        problems.push(diag.at(file, b.span));
    }
}

/// The schema a `$ref` points to, and for `Option<T>` (`anyOf [T, null]`) the `T`.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            match root.get("$defs").and_then(|d| d.get(name)) {
                Some(n) => node = n,
                None => return node,
            }
        } else if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
            match any
                .iter()
                .find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
            {
                Some(n) => node = n,
                None => return node,
            }
        } else {
            return node;
        }
    }
    node
}

fn walk_table(table: &DeTable, schema: &Value, root: &Value, out: &mut Vec<Blank>) {
    let schema = resolve(root, schema);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (key, value) in table {
        let key = key.get_ref().as_ref();
        let Some(sub) = schema.get("properties").and_then(|p| p.get(key)) else {
            continue; // an unknown key is reported by the parse
        };
        walk(value, key, required.contains(&key), sub, root, out);
    }
}

fn walk(
    value: &toml::Spanned<DeValue>,
    key: &str,
    required: bool,
    schema: &Value,
    root: &Value,
    out: &mut Vec<Blank>,
) {
    match value.get_ref() {
        DeValue::String(s) if s.trim().is_empty() => out.push(Blank {
            span: value.span(),
            key: key.to_string(),
            required,
        }),
        DeValue::Table(t) => walk_table(t, schema, root, out),
        DeValue::Array(items) => {
            let schema = resolve(root, schema);
            let Some(item) = schema.get("items") else {
                return;
            };
            for v in items.iter() {
                // An empty entry of a list is a missing value whatever the list.
                walk(v, key, true, item, root, out);
            }
        }
        _ => {}
    }
}
