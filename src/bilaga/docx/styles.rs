//! Styles (`word/styles.xml`), resolved through their `basedOn` chain as Word does: which
//! make a heading (Heading 1–6 / Rubrik 1–6 by name, id or outline level; Title / Rubrik),
//! which number their paragraphs (List Number, List Bullet, custom list styles: issue 12
//! kind 1) and which hide their text (`w:vanish`: kind 2). Character styles named
//! "Sekretess …" mark text withheld from the web edition (see `docs/publishing.md`).

use std::collections::HashMap;

use super::runs::toggle;
use super::xml::Element;

/// How many `basedOn` steps are followed: Word's own templates use three or four; a loop
/// or a hostile chain stops here.
const MAX_CHAIN: usize = 32;

/// What one style says itself, before its `basedOn` chain is followed.
#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    /// From its name, id or outline level.
    heading: Option<u8>,
    /// `w:pPr/w:numPr`: the list instance (`"0"` switches numbering off) and level.
    num_id: Option<String>,
    ilvl: Option<usize>,
    /// `w:rPr/w:vanish` or `w:specVanish`: text in this style is not printed.
    hidden: Option<bool>,
}

#[derive(Debug, Default)]
pub(crate) struct Styles {
    styles: HashMap<String, Style>,
    /// Character styles that withhold text from the web edition: the reason by style id.
    sekretess: HashMap<String, String>,
    /// Paragraph styles named "Sekretess …" (Word makes one, linked to a character style,
    /// with its quick "Create a Style"): every run of such a paragraph is withheld.
    sekretess_paragraph: HashMap<String, String>,
}

impl Styles {
    pub(crate) fn from_xml(root: &Element) -> Self {
        let mut styles = HashMap::new();
        let mut sekretess = HashMap::new();
        let mut sekretess_paragraph = HashMap::new();
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
            if s.attr("w:type").is_none_or(|t| t == "paragraph")
                && let Some(reason) = sekretess_reason(name)
            {
                sekretess_paragraph.insert(id.to_owned(), reason);
            }
            let ppr = s.child("w:pPr");
            let outline = ppr
                .and_then(|p| p.child_val("w:outlineLvl"))
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|l| *l < 9)
                .map(|l| l + 1);
            let num = ppr.and_then(|p| p.child("w:numPr"));
            let rpr = s.child("w:rPr");
            let style = Style {
                based_on: s.child_val("w:basedOn").map(str::to_owned),
                heading: level_of(name).or_else(|| level_of(id)).or(outline),
                num_id: num.and_then(|n| n.child_val("w:numId")).map(str::to_owned),
                ilvl: num
                    .and_then(|n| n.child_val("w:ilvl"))
                    .and_then(|v| v.parse().ok()),
                hidden: rpr
                    .filter(|r| r.child("w:vanish").is_some() || r.child("w:specVanish").is_some())
                    .map(|r| toggle(r, "w:vanish") || toggle(r, "w:specVanish")),
            };
            styles.insert(id.to_owned(), style);
        }
        Self {
            styles,
            sekretess,
            sekretess_paragraph,
        }
    }

    /// The reason every run of a paragraph in paragraph style `id` is withheld, if the
    /// style is a "Sekretess" style.
    pub(crate) fn sekretess_paragraph(&self, id: &str) -> Option<&str> {
        self.sekretess_paragraph.get(id).map(String::as_str)
    }

    /// The reason a run in character style `id` is withheld from the web edition, if the
    /// style is one of the "Sekretess" styles.
    pub fn sekretess(&self, id: &str) -> Option<&str> {
        self.sekretess.get(id).map(String::as_str)
    }

    /// The first value `get` finds along the `basedOn` chain of style `id` (the style
    /// itself first), as Word resolves a style's properties.
    fn inherited<T>(&self, id: &str, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut id = id;
        for _ in 0..MAX_CHAIN {
            let style = self.styles.get(id)?;
            if let Some(v) = get(style) {
                return Some(v);
            }
            id = style.based_on.as_deref()?;
        }
        None
    }

    /// The heading level of paragraph style `id` (its own or inherited through
    /// `basedOn`), with the built-in ids as a fallback when styles.xml is missing.
    pub(crate) fn heading_level(&self, id: &str) -> Option<u8> {
        self.inherited(id, |s| s.heading).or_else(|| level_of(id))
    }

    /// The list numbering paragraph style `id` gives its paragraphs (`w:numPr` in the style
    /// or a style it is based on, ECMA-376 §17.3.1.19): the list instance and, when the
    /// style says, the level. `None` when the style numbers nothing (or `numId` 0 ends it).
    pub fn numbering(&self, id: &str) -> Option<(String, Option<usize>)> {
        let num_id = self.inherited(id, |s| s.num_id.clone())?;
        if num_id == "0" {
            return None;
        }
        Some((num_id, self.inherited(id, |s| s.ilvl)))
    }

    /// Whether text in (paragraph or character) style `id` is hidden (`w:vanish`).
    pub fn hidden(&self, id: &str) -> bool {
        self.inherited(id, |s| s.hidden).unwrap_or(false)
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
    // Word names the character half of a linked style "<name> Char" ("Tecken" in Swedish):
    // not part of the reason.
    let lower = reason.to_lowercase();
    let reason = ["char", "tecken"]
        .iter()
        .find_map(|s| {
            lower
                .strip_suffix(s)
                .filter(|r| r.is_empty() || r.ends_with(' '))
                .map(|r| reason.get(..r.len()).unwrap_or(reason).trim())
        })
        .unwrap_or(reason);
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
            sekretess_reason("Sekretess Char").as_deref(),
            Some("sekretess")
        );
        assert_eq!(
            sekretess_reason("Sekretess OSL 26 kap. 1 § Char").as_deref(),
            Some("OSL 26 kap. 1 §")
        );
        assert_eq!(
            sekretess_reason("Sekretessbelagd").as_deref(),
            Some("sekretess")
        );
        assert_eq!(sekretess_reason("Betoning"), None);
    }
}
