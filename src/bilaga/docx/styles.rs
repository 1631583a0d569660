//! Paragraph styles (`word/styles.xml`) that make a heading: Heading 1–6 / Rubrik 1–6 (by
//! name, id or outline level) and Title / Rubrik. Other styles are body text. Character styles
//! named "Sekretess …" mark text withheld from the web edition (see `docs/publishing.md`).

use std::collections::HashMap;

use super::xml::Element;

#[derive(Debug, Default)]
pub struct Styles {
    /// Heading level (1 = top) by style id.
    headings: HashMap<String, u8>,
    /// Character styles that withhold text from the web edition: the reason by style id.
    sekretess: HashMap<String, String>,
}

impl Styles {
    pub fn from_xml(root: &Element) -> Self {
        let mut headings = HashMap::new();
        let mut sekretess = HashMap::new();
        let mut based_on: Vec<(String, String)> = Vec::new();
        for s in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let name = s.child_val("w:name").unwrap_or(id);
            if s.attr("w:type") == Some("character")
                && let Some(reason) = sekretess_reason(name)
            {
                sekretess.insert(id.to_owned(), reason);
                continue;
            }
            let outline = s
                .child("w:pPr")
                .and_then(|p| p.child_val("w:outlineLvl"))
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|l| *l < 9)
                .map(|l| l + 1);
            if let Some(level) = level_of(name).or_else(|| level_of(id)).or(outline) {
                headings.insert(id.to_owned(), level);
            } else if let Some(parent) = s.child_val("w:basedOn") {
                based_on.push((id.to_owned(), parent.to_owned()));
            }
        }
        // A style based on a heading style is a heading of that level (one step is enough for
        // what word processors write; no chain is followed, so no loop is possible).
        for (id, parent) in based_on {
            if let Some(&level) = headings.get(&parent) {
                headings.insert(id, level);
            }
        }
        Self {
            headings,
            sekretess,
        }
    }

    /// The reason a run in character style `id` is withheld from the web edition, if the
    /// style is one of the "Sekretess" styles.
    pub fn sekretess(&self, id: &str) -> Option<&str> {
        self.sekretess.get(id).map(String::as_str)
    }

    /// The heading level of paragraph style `id`, with the built-in ids as a fallback when
    /// styles.xml is missing.
    pub fn heading_level(&self, id: &str) -> Option<u8> {
        self.headings.get(id).copied().or_else(|| level_of(id))
    }
}

/// A character style named "Sekretess OSL 26 kap. 1 §", "Sekretess: personuppgift" or
/// "Sekretessbelagd" withholds its text: the reason is what follows the word ("sekretess"
/// when nothing does).
fn sekretess_reason(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    let rest = ["sekretessbelagd", "sekretess"]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &name[p.len()..]))?;
    let reason = rest.trim_start_matches([' ', ':', '-', '–', ',']).trim();
    Some(if reason.is_empty() {
        "sekretess".to_owned()
    } else {
        reason.to_owned()
    })
}

/// `Heading 2`, `heading2`, `Rubrik 2` → 2; `Title`, `Rubrik` → 1.
fn level_of(name: &str) -> Option<u8> {
    let lower = name.to_lowercase().replace([' ', '_', '-'], "");
    if lower == "title" || lower == "rubrik" {
        return Some(1);
    }
    for prefix in ["heading", "rubrik"] {
        if let Some(n) = lower.strip_prefix(prefix)
            && let Ok(n) = n.parse::<u8>()
            && (1..=6).contains(&n)
        {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_and_english_heading_names() {
        assert_eq!(level_of("heading 1"), Some(1));
        assert_eq!(level_of("Rubrik 3"), Some(3));
        assert_eq!(level_of("Title"), Some(1));
        assert_eq!(level_of("Normal"), None);
        assert_eq!(level_of("Heading10"), None);
    }

    #[test]
    fn sekretess_styles_carry_their_reason() {
        assert_eq!(
            sekretess_reason("Sekretess OSL 26 kap. 1 §").as_deref(),
            Some("OSL 26 kap. 1 §")
        );
        assert_eq!(
            sekretess_reason("Sekretess: personuppgift").as_deref(),
            Some("personuppgift")
        );
        assert_eq!(
            sekretess_reason("Sekretessbelagd").as_deref(),
            Some("sekretess")
        );
        assert_eq!(sekretess_reason("Betoning"), None);
    }
}
