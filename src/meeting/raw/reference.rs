//! The meeting-file reference as Markdown, generated from the JSON Schema of
//! [`schema_json`](super::schema_json) — so the doc comments on the raw types are the one
//! place the keys are described: the editor's completion, `data/meeting.schema.json` and
//! `docs/meeting-file-reference.md` all read them (issue 10).
//!
//! The schema is walked as a `serde_json::Value`: each kind of meeting file (an `anyOf`
//! branch of the root) becomes a section, each TOML table in it a subsection with one row per
//! key (type, whether required or its default, the doc comment). A table type used again
//! (the organisation of either kind, a person in two lists) is described once and linked to.
//! Names of the Rust types never appear: the reference speaks TOML. The output depends only
//! on the schema, whose properties are sorted, so it is deterministic.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Map, Value};

/// The reference of every key of the meeting file, both kinds, as Markdown: a `##` heading
/// per kind (`kind = "fvg"`, `kind = "namnd"`), a `###` heading and a table (key, type,
/// required or default, meaning) per TOML table, with explicit anchors
/// (`#fvg-attendance-group`, `#namnd-paragraf-omrostning`). Ends with a newline.
pub fn reference_markdown() -> String {
    let schema: Value =
        serde_json::from_str(&super::schema_json()).expect("the schema is valid JSON");
    let mut writer = Reference {
        defs: schema["$defs"].as_object().cloned().unwrap_or_default(),
        described: BTreeMap::new(),
        out: String::new(),
    };
    for branch in schema["anyOf"].as_array().into_iter().flatten() {
        writer.kind(branch);
    }
    writer.out
}

struct Reference {
    defs: Map<String, Value>,
    /// Definition name → (anchor, TOML header) of the section that describes it.
    described: BTreeMap<String, (String, String)>,
    out: String,
}

/// What a value of a key is, for the type column.
struct Shape {
    /// "string", "date", "integer ≥ 1", "`"fvg"`", "table", "array of strings" …
    text: String,
    /// The allowed values with their doc comment, for an enumeration.
    values: Vec<(String, String)>,
    /// The definition of the table it is (or holds, for an array), if any.
    table: Option<String>,
    /// An array (of `table`, when that is set).
    array: bool,
}

impl Reference {
    /// The object definition a `$ref` names, following `anyOf [X, null]`.
    fn def_name(&self, schema: &Value) -> Option<String> {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            return Some(target.trim_start_matches("#/$defs/").to_owned());
        }
        let branches = schema.get("anyOf")?.as_array()?;
        let mut real = branches.iter().filter(|b| b["type"] != "null");
        let only = real.next()?;
        if real.next().is_some() {
            return None;
        }
        self.def_name(only)
    }

    /// The schema itself, with a `$ref` (or `anyOf [$ref, null]`) resolved.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match self.def_name(schema) {
            Some(name) => self.defs.get(&name).unwrap_or(schema),
            None => schema,
        }
    }

    fn is_table(&self, schema: &Value) -> bool {
        self.resolve(schema).get("properties").is_some()
    }

    fn shape(&self, schema: &Value) -> Shape {
        let mut shape = Shape {
            text: String::new(),
            values: Vec::new(),
            table: None,
            array: false,
        };
        if self.is_table(schema) {
            shape.text = "table".into();
            shape.table = self.def_name(schema);
            return shape;
        }
        let target = self.resolve(schema);
        if let Some(values) = target.get("oneOf").and_then(Value::as_array)
            && values.iter().all(|v| v.get("const").is_some())
        {
            shape.values = values
                .iter()
                .map(|v| {
                    let description = v["description"].as_str().unwrap_or_default();
                    (format!("`{}`", v["const"]), description.to_owned())
                })
                .collect();
            let names: Vec<&str> = shape.values.iter().map(|(v, _)| v.as_str()).collect();
            shape.text = names.join(", ");
            return shape;
        }
        let kind = match &target["type"] {
            Value::String(t) => t.as_str(),
            Value::Array(ts) => ts
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ => "",
        };
        shape.text = match kind {
            "array" => {
                let items = self.shape(&target["items"]);
                shape.array = true;
                shape.table = items.table.clone();
                shape.values = items.values;
                match items.text.as_str() {
                    "string" => "array of strings".into(),
                    "date" => "array of dates".into(),
                    "integer" => "array of integers".into(),
                    "table" => "array of tables".into(),
                    other => format!("array of: {other}"),
                }
            }
            "string" if target["format"] == "date" => "date".into(),
            "string" => match target.get("pattern").and_then(Value::as_str) {
                Some(pattern) => format!("string matching `{pattern}`"),
                None => "string".into(),
            },
            "integer" => match target.get("minimum").and_then(Value::as_i64) {
                Some(min) if min > 0 => format!("integer ≥ {min}"),
                _ => "integer".into(),
            },
            "boolean" => "boolean".into(),
            other => other.to_owned(),
        };
        shape
    }

    /// One kind of meeting file: its heading, then its tables from the top level down.
    fn kind(&mut self, branch: &Value) {
        let Some(name) = self.def_name(branch) else {
            return;
        };
        let def = self.defs[&name].clone();
        let kind = self.shape(&def["properties"]["kind"]);
        let tag = kind
            .values
            .first()
            .map(|(v, _)| v.trim_matches('`').trim_matches('"').to_owned())
            .unwrap_or_else(|| name.clone());
        let _ = writeln!(self.out, "## `kind = \"{tag}\"`\n");
        if let Some(text) = def.get("description").and_then(Value::as_str) {
            let _ = writeln!(self.out, "{}\n", paragraph(text));
        }
        self.described
            .insert(name.clone(), (tag.clone(), "Top level".to_owned()));
        self.table(&tag, &[(String::new(), "Top level".to_owned())], &def);
    }

    /// The section of one TOML table — or of several keys of one table that take the same
    /// table type (the members of a nämnd's `[attendance]`), all named in its heading — at
    /// `paths` (dotted, empty at the top level; with the TOML header), then the sections of
    /// the tables below it.
    fn table(&mut self, kind: &str, paths: &[(String, String)], def: &Value) {
        let (path, _) = &paths[0];
        let anchor = anchor_id(kind, path);
        let headers: Vec<String> = paths.iter().map(|(_, h)| header_text(h)).collect();
        let _ = writeln!(
            self.out,
            "### <a id=\"{anchor}\"></a>{}\n",
            headers.join(", ")
        );
        if !path.is_empty()
            && let Some(text) = def.get("description").and_then(Value::as_str)
        {
            let _ = writeln!(self.out, "{}\n", paragraph(text));
        }

        let properties = def["properties"].as_object().cloned().unwrap_or_default();
        let required: Vec<&str> = def["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        // Required keys first, in the order the file's type declares them; then the rest
        // alphabetically (the schema's order).
        let mut keys: Vec<&str> = required
            .iter()
            .copied()
            .filter(|k| properties.contains_key(*k))
            .collect();
        keys.extend(
            properties
                .keys()
                .map(String::as_str)
                .filter(|k| !required.contains(k)),
        );

        // The tables below this one not described yet, each with every key that takes it.
        let mut below: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for key in &keys {
            let shape = self.shape(&properties[*key]);
            let Some(table) = shape.table else { continue };
            if self.described.contains_key(&table) && !below.iter().any(|(t, _)| *t == table) {
                continue;
            }
            let child_path = if path.is_empty() {
                (*key).to_owned()
            } else {
                format!("{path}.{key}")
            };
            let child_header = if shape.array {
                format!("[[{child_path}]]")
            } else {
                format!("[{child_path}]")
            };
            match below.iter_mut().find(|(t, _)| *t == table) {
                Some((_, uses)) => uses.push((child_path, child_header)),
                None => {
                    let anchor = anchor_id(kind, &child_path);
                    self.described
                        .insert(table.clone(), (anchor, child_header.clone()));
                    below.push((table, vec![(child_path, child_header)]));
                }
            }
        }

        let _ = writeln!(self.out, "| key | type | required | meaning |");
        let _ = writeln!(self.out, "|---|---|---|---|");
        for key in &keys {
            let schema = &properties[*key];
            let shape = self.shape(schema);
            let mut type_text = shape.text.clone();
            if let Some(table) = &shape.table {
                let (anchor, first) = &self.described[table];
                type_text = match below.iter().find(|(t, _)| t == table) {
                    Some((_, uses)) => {
                        let own = uses
                            .iter()
                            .find(|(p, _)| p.rsplit('.').next() == Some(*key))
                            .map_or(first, |(_, h)| h);
                        format!("{type_text}: [`{own}`](#{anchor})")
                    }
                    None => format!("{type_text}, keys as in [`{first}`](#{anchor})"),
                };
            }
            let mut meaning = schema
                .get("description")
                .and_then(Value::as_str)
                .map(cell)
                .unwrap_or_default();
            if meaning.is_empty()
                && let Some(table) = &shape.table
            {
                meaning = cell(self.defs[table]["description"].as_str().unwrap_or_default());
            }
            if !shape.values.is_empty() && (shape.values.len() > 1 || meaning.is_empty()) {
                for (value, text) in &shape.values {
                    if !meaning.is_empty() {
                        meaning.push_str("<br>");
                    }
                    let _ = write!(meaning, "{value}: {}", cell(text));
                }
            }
            let needed = if required.contains(key) {
                "yes".to_owned()
            } else {
                match schema.get("default") {
                    Some(Value::Bool(b)) => format!("no (default `{b}`)"),
                    Some(Value::Number(n)) => format!("no (default `{n}`)"),
                    Some(Value::String(s)) => format!("no (default `{s:?}`)"),
                    _ => "no".to_owned(),
                }
            };
            let _ = writeln!(
                self.out,
                "| `{key}` | {} | {needed} | {meaning} |",
                escape_pipes(&type_text)
            );
        }
        if let Some(alternatives) = def.get("oneOf").and_then(Value::as_array) {
            let keys: Vec<String> = alternatives
                .iter()
                .filter_map(|a| a["required"].as_array())
                .flatten()
                .filter_map(Value::as_str)
                .map(|k| format!("`{k}`"))
                .collect();
            if !keys.is_empty() {
                let _ = writeln!(self.out, "\nGive exactly one of {}.", keys.join(", "));
            }
        }
        self.out.push('\n');

        for (table, uses) in below {
            let child = self.defs[&table].clone();
            self.table(kind, &uses, &child);
        }
    }
}

/// The id of a table's section: the kind, then the dotted path with dashes.
fn anchor_id(kind: &str, path: &str) -> String {
    if path.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}-{}", path.replace('.', "-"))
    }
}

/// A table's heading: the TOML header in code, or a plain title.
fn header_text(header: &str) -> String {
    if header.starts_with('[') {
        format!("`{header}`")
    } else {
        header.to_owned()
    }
}

/// A doc comment as one line of a Markdown table cell: wrapped lines joined, `|` escaped,
/// `<` outside code spans escaped (so "<Nämnd>s beslut" is not read as HTML).
fn cell(text: &str) -> String {
    escape_pipes(&escape_angles(
        &text.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

/// A doc comment as a Markdown paragraph: wrapped lines joined, `<` escaped.
fn paragraph(text: &str) -> String {
    escape_angles(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn escape_pipes(text: &str) -> String {
    text.replace('|', "\\|")
}

fn escape_angles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_both_kinds_is_in_the_reference() {
        let text = reference_markdown();
        for needle in [
            "## `kind = \"fvg\"`",
            "## `kind = \"namnd\"`",
            "`[[paragraf.said]]`",
            "`[[attendance.ledamoter]]`",
            "`[[bilaga.topic.yrkande]]`",
            "| `supported_by` |",
            "| `omedelbar_justering` |",
            "`\"anmalningsarenden\"`",
            "Give exactly one of `file`, `topic`.",
        ] {
            assert!(text.contains(needle), "no {needle} in:\n{text}");
        }
    }

    #[test]
    fn doc_comment_text_is_escaped_for_a_table_cell() {
        assert_eq!(
            cell("\"<Nämnd>s beslut\": a | b\n  c"),
            "\"&lt;Nämnd&gt;s beslut\": a \\| b c"
        );
        assert_eq!(cell("`<end>` <end>"), "`<end>` &lt;end&gt;");
    }
}
