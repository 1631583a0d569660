//! The secretary's comments, carried from the previous meeting file into the next (issue 24):
//! `new` writes the next file from the previous one's data, so without this every comment the
//! secretary wrote — why a member is listed as they are, where the organisation's address
//! comes from — is lost at each meeting.
//!
//! A comment still applies when what it stands beside carried over unchanged: the comment
//! lines directly above a key (no blank line between) or a table's header, and the comment at
//! the end of a key's line, are carried to the same key of the next file when its value is
//! written the same (a table's header: always). A comment beside a value that changed (the
//! date, the times, the justerare) or beside anything that does not carry over (the § and
//! their texts, arrays of tables) is about the previous meeting and stays behind. Only whole
//! comment lines and end-of-line comments are copied, so nothing a comment holds can become
//! TOML.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Where one key of a file stands: the line of the key, and the value's text and last line
/// (`None` for a table under a header, whose "value" is the section).
struct Place {
    line: usize,
    value: Option<(String, usize)>,
}

/// `new` with the comments of `previous` that still apply put back (see the module).
/// Either file failing to parse leaves `new` as it is.
pub(crate) fn carry(previous: &str, new: &str) -> String {
    let (Ok(old_table), Ok(new_table)) = (DeTable::parse(previous), DeTable::parse(new)) else {
        return new.to_string();
    };
    let old_lines: Vec<&str> = previous.lines().collect();
    let mut old_places = HashMap::new();
    places(previous, old_table.get_ref(), "", &mut old_places);
    let mut new_places = HashMap::new();
    places(new, new_table.get_ref(), "", &mut new_places);

    let new_lines: Vec<&str> = new.lines().collect();
    let mut lines: Vec<String> = new_lines.iter().map(|l| l.to_string()).collect();
    // (line, comment lines to insert above it); and end-of-line comments by line.
    let mut above: Vec<(usize, Vec<String>)> = Vec::new();
    let mut paths: Vec<&String> = new_places.keys().collect();
    paths.sort();
    for path in paths {
        let (Some(old), Some(now)) = (old_places.get(path), new_places.get(path)) else {
            continue;
        };
        let unchanged = match (&old.value, &now.value) {
            (None, None) => true,
            (Some((a, _)), Some((b, _))) => same_text(a, b),
            _ => false,
        };
        if !unchanged {
            continue;
        }
        let leading = leading_comments(&old_lines, old.line);
        let already = leading_comments(&new_lines, now.line);
        if !leading.is_empty() && leading != already {
            above.push((now.line, leading));
        }
        if let (Some((_, old_end)), Some((_, new_end))) = (&old.value, &now.value)
            && let Some(comment) = old_lines.get(*old_end).and_then(|l| end_comment(l))
            && end_comment(&lines[*new_end]).is_none()
        {
            lines[*new_end] = format!("{}  {comment}", lines[*new_end].trim_end());
        }
    }
    above.sort_by_key(|(line, _)| std::cmp::Reverse(*line));
    above.dedup_by_key(|(line, _)| *line);
    for (line, comments) in above {
        lines.splice(line..line, comments);
    }
    let mut out = lines.join("\n");
    if new.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The place of every key of `table` (by dotted path), its sub-tables' keys included; arrays
/// of tables (`[[paragraf]]`) and what is inside arrays are left out: they do not carry over
/// as they were.
fn places(text: &str, table: &DeTable<'_>, prefix: &str, out: &mut HashMap<String, Place>) {
    for (key, value) in table {
        let path = format!("{prefix}{}", key.get_ref());
        let line = line_of(text, key.span().start);
        let header = text
            .lines()
            .nth(line)
            .is_some_and(|l| l.trim_start().starts_with('['));
        match value.get_ref() {
            DeValue::Array(_) if header => {}
            DeValue::Table(t) if header => {
                out.insert(path.clone(), Place { line, value: None });
                places(text, t, &format!("{path}."), out);
            }
            _ => {
                let span: Range<usize> = value.span();
                let written = text.get(span.clone()).unwrap_or_default().to_string();
                let end = line_of(text, span.end.saturating_sub(1).max(span.start));
                out.entry(path).or_insert(Place {
                    line,
                    value: Some((written, end)),
                });
            }
        }
    }
}

/// The 0-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The comment lines directly above line `line` (no blank line between), in order; the
/// schema directive is left to its own place (first in the file).
fn leading_comments(lines: &[&str], line: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = line;
    while at > 0 {
        let l = lines[at - 1].trim();
        if !l.starts_with('#') || l.starts_with("#:schema") {
            break;
        }
        out.push(lines[at - 1].to_string());
        at -= 1;
    }
    out.reverse();
    out
}

/// The comment at the end of a line of TOML, outside any string: `# …`.
fn end_comment(line: &str) -> Option<String> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => {
                return (i > 0 && !line[..i].trim().is_empty())
                    .then(|| line[i..].trim_end().to_string());
            }
            None => {}
        }
    }
    None
}

/// Two values written the same, but for spacing and for letters written decomposed (the
/// meeting is read composed, `meeting::compose`, so `new` writes them composed).
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (
        crate::meeting::compose::nfc(a),
        crate::meeting::compose::nfc(b),
    );
    a.split_whitespace().eq(b.split_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `new` writes what it carries composed (the meeting is read so): a value the previous
    /// file wrote decomposed is the same value, and keeps its comment.
    #[test]
    fn a_value_written_decomposed_before_is_unchanged_composed() {
        let previous = "# Vikarie.\nsekreterare = \"Malin Gro\u{308}nkvist\"  # tills vidare\n";
        let new = "sekreterare = \"Malin Grönkvist\"\n";
        assert_eq!(
            carry(previous, new),
            "# Vikarie.\nsekreterare = \"Malin Grönkvist\"  # tills vidare\n"
        );
    }

    #[test]
    fn comments_beside_what_carried_over_unchanged_are_kept() {
        let previous = "\
kind = \"namnd\"
# Sekreterare från 2020, tills vidare.
sekreterare = \"Malin Grönkvist\"  # vikarie för Aisha
# Ändrat till torsdag den här gången.
justerare = [\"Per Lindqvist\"]

# Adressen enligt kommunens webb.
[organisation]
name = \"Stockholms stad\"  # så står det i huvudet

[meeting]
date = 2020-04-21  # flyttat från den 14:e
";
        let new = "\
kind = \"namnd\"
sekreterare = \"Malin Grönkvist\"
justerare = [\"Anna Ekblom\"]  # change to those chosen

[organisation]
name = \"Stockholms stad\"

[meeting]
date = 2020-05-19
";
        let carried = carry(previous, new);
        assert_eq!(
            carried,
            "\
kind = \"namnd\"
# Sekreterare från 2020, tills vidare.
sekreterare = \"Malin Grönkvist\"  # vikarie för Aisha
justerare = [\"Anna Ekblom\"]  # change to those chosen

# Adressen enligt kommunens webb.
[organisation]
name = \"Stockholms stad\"  # så står det i huvudet

[meeting]
date = 2020-05-19
"
        );
        assert!(DeTable::parse(&carried).is_ok());
    }

    #[test]
    fn a_hash_inside_a_string_is_no_comment() {
        assert_eq!(end_comment("name = \"Rum #3\""), None);
        assert_eq!(
            end_comment("name = 'Rum #3'  # plan 2"),
            Some("# plan 2".into())
        );
        assert_eq!(end_comment("# only a comment"), None);
    }

    #[test]
    fn comments_inside_the_paragrafer_stay_behind() {
        let previous = "kind = \"fvg\"\n\n# Beslutet överklagat.\n[[paragraf]]\ntitle = \"A\"\n";
        let new = "kind = \"fvg\"\n\n[[paragraf]]\ntitle = \"A\"\n";
        assert_eq!(carry(previous, new), new);
    }
}
