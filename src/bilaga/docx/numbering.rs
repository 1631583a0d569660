//! List numbering (`word/numbering.xml`): abstract definitions (format and text per level,
//! start values), list instances (`w:num`, with `lvlOverride/startOverride` restarts) and the
//! running counters, so a list continued after a plain paragraph goes on where it stopped.
//! A definition that only links to a numbering style (`w:numStyleLink`) takes the levels of
//! the definition that style names (`w:styleLink`), as Word does; a level marked `w:isLgl`
//! shows every level's number in Arabic numerals ("legal" numbering: 2.1, not II.a).

use std::collections::{HashMap, HashSet};

use super::styles::Styles;
use super::xml::Element;

const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: u64,
    /// `w:pStyle`: the paragraph style this level belongs to (a style's paragraphs take
    /// this level when the style names no `w:ilvl`).
    style: Option<String>,
    /// `w:isLgl`: every level's number shown in Arabic numerals at this level.
    legal: bool,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    /// Level → start value that applies when this instance is first used.
    overrides: Vec<(usize, u64)>,
}

/// One numbered (or bulleted) paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The list instance: a new id starts a new list.
    pub(crate) num_id: String,
    pub level: usize,
    pub(crate) bullet: bool,
    /// The Typst numbering pattern, e.g. `"a)"` or `"1.1."`.
    pub pattern: String,
    /// The pattern shows the parents' numbers too.
    pub full: bool,
    pub number: u64,
    /// The label as Word shows it, e.g. `"b)"` (for numbered headings).
    pub label: String,
}

#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<u64>; LEVELS]>,
    used: HashSet<String>,
}

impl Numbering {
    pub(crate) fn from_xml(root: &Element, styles: &Styles) -> Self {
        let mut out = Self::default();
        // Definition id → the numbering style it links to (`w:numStyleLink`), and the
        // numbering style → the definition that defines it (`w:styleLink`).
        let mut links: Vec<(String, String)> = Vec::new();
        let mut defines: HashMap<String, String> = HashMap::new();
        for a in root.elements() {
            match a.name.as_str() {
                "w:abstractNum" => {
                    let Some(id) = a.attr("w:abstractNumId") else {
                        continue;
                    };
                    if let Some(style) = a.child_val("w:numStyleLink") {
                        links.push((id.to_owned(), style.to_owned()));
                    }
                    if let Some(style) = a.child_val("w:styleLink") {
                        defines.insert(style.to_owned(), id.to_owned());
                    }
                    let mut levels = vec![Level::default(); LEVELS];
                    for l in a.elements().filter(|e| e.name == "w:lvl") {
                        let Some(i) = l.attr("w:ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                            continue;
                        };
                        if i < LEVELS {
                            levels[i] = level(l);
                        }
                    }
                    out.abstracts.insert(id.to_owned(), levels);
                }
                "w:num" => {
                    let (Some(id), Some(abs)) = (a.attr("w:numId"), a.child_val("w:abstractNumId"))
                    else {
                        continue;
                    };
                    let overrides = a
                        .elements()
                        .filter(|e| e.name == "w:lvlOverride")
                        .filter_map(|o| {
                            let i = o.attr("w:ilvl")?.parse::<usize>().ok()?;
                            let start = o.child_val("w:startOverride")?.parse::<u64>().ok()?;
                            (i < LEVELS).then_some((i, start.min(1_000_000)))
                        })
                        .collect();
                    out.nums.insert(
                        id.to_owned(),
                        Num {
                            abstract_id: abs.to_owned(),
                            overrides,
                        },
                    );
                }
                _ => {}
            }
        }
        // A linked definition takes the levels of the one the style names: through the
        // style's own `numId` (ECMA-376 §17.9.21), else the definition carrying `styleLink`.
        // One step only: Word does not chain links, and a loop must not run forever.
        for (id, style) in links {
            let target = styles
                .numbering(&style)
                .and_then(|(num_id, _)| out.nums.get(&num_id))
                .map(|n| n.abstract_id.clone())
                .or_else(|| defines.get(&style).cloned())
                .filter(|t| *t != id);
            if let Some(levels) = target.and_then(|t| out.abstracts.get(&t).cloned()) {
                out.abstracts.insert(id.clone(), levels);
                // The style's list and this one count together, as one list in Word.
                if let Some(t) = defines.get(&style) {
                    for n in out.nums.values_mut().filter(|n| n.abstract_id == id) {
                        n.abstract_id = t.clone();
                    }
                }
            }
        }
        out
    }

    /// The level of list `num_id` that is tied to paragraph style `style` (`w:lvl/w:pStyle`).
    pub(crate) fn level_of_style(&self, num_id: &str, style: &str) -> Option<usize> {
        let num = self.nums.get(num_id)?;
        self.abstracts
            .get(&num.abstract_id)?
            .iter()
            .position(|l| l.style.as_deref() == Some(style))
    }

    /// Counts the next paragraph of list `num_id` at `level`; `None` when it is not a list.
    pub fn next(&mut self, num_id: &str, level: usize) -> Option<Item> {
        let level = level.min(LEVELS - 1);
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let def = &levels[level];
        if def.fmt == "none" {
            return None;
        }
        let counters = self
            .counters
            .entry(num.abstract_id.clone())
            .or_insert([None; LEVELS]);
        if self.used.insert(num_id.to_owned()) {
            for &(i, start) in &num.overrides {
                counters[i] = Some(start.saturating_sub(1));
            }
        }
        let n = counters[level].map_or(def.start, |c| c.saturating_add(1));
        counters[level] = Some(n);
        // A new item restarts every deeper level.
        for c in counters.iter_mut().skip(level + 1) {
            *c = None;
        }
        let numbers: Vec<u64> = (0..=level)
            .map(|i| counters[i].unwrap_or(levels[i].start))
            .collect();
        let (pattern, full) = pattern(&def.text, level, levels);
        Some(Item {
            num_id: num_id.to_owned(),
            level,
            bullet: def.fmt == "bullet",
            pattern,
            full,
            number: n,
            label: label(&def.text, &numbers, levels),
        })
    }
}

fn level(l: &Element) -> Level {
    Level {
        fmt: l.child_val("w:numFmt").unwrap_or("decimal").to_owned(),
        text: l.child_val("w:lvlText").unwrap_or("").to_owned(),
        start: l
            .child_val("w:start")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(1)
            .min(1_000_000),
        style: l.child_val("w:pStyle").map(str::to_owned),
        legal: super::runs::toggle(l, "w:isLgl"),
    }
}

/// The Typst counting symbol for a Word number format.
fn symbol(fmt: &str) -> char {
    match fmt {
        "lowerLetter" => 'a',
        "upperLetter" => 'A',
        "lowerRoman" => 'i',
        "upperRoman" => 'I',
        _ => '1',
    }
}

/// Literal text of a pattern may only be punctuation: a letter would count in Typst.
fn literal(c: char) -> bool {
    !c.is_alphanumeric() && !matches!(c, '*' | '\\')
}

/// `"%1."` → `"1."`; `"%2)"` at level 1 with lowerLetter → `"a)"`; `"%1.%2."` → `("1.1.", full)`.
fn pattern(text: &str, level: usize, levels: &[Level]) -> (String, bool) {
    let mut out = String::new();
    let mut placeholders = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%'
            && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
        {
            chars.next();
            let i = (d as usize).saturating_sub(1);
            if i <= level {
                out.push(if levels[level].legal {
                    '1'
                } else {
                    symbol(&levels[i].fmt)
                });
                placeholders += 1;
            }
        } else if literal(c) {
            out.push(c);
        }
    }
    if placeholders == 0 {
        return (format!("{}.", symbol(&levels[level].fmt)), false);
    }
    (out, placeholders > 1)
}

/// The label Word shows, e.g. `"2.b)"`, for headings that carry their number as text.
fn label(text: &str, numbers: &[u64], levels: &[Level]) -> String {
    let legal = levels
        .get(numbers.len().saturating_sub(1))
        .is_some_and(|l| l.legal);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%'
            && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
        {
            chars.next();
            let i = (d as usize).saturating_sub(1);
            if let Some(&n) = numbers.get(i) {
                let fmt = if legal { "decimal" } else { &levels[i].fmt };
                out.push_str(&format_number(fmt, n));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn format_number(fmt: &str, n: u64) -> String {
    match fmt {
        "lowerLetter" | "upperLetter" => {
            let mut s = String::new();
            let mut n = n.max(1);
            while n > 0 {
                n -= 1;
                s.insert(0, (b'a' + (n % 26) as u8) as char);
                n /= 26;
            }
            if fmt == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" if (1..4000).contains(&n) => {
            let r = roman(n);
            if fmt == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Vec<Level> {
        let mk = |fmt: &str, text: &str| Level {
            fmt: fmt.into(),
            text: text.into(),
            start: 1,
            style: None,
            legal: false,
        };
        vec![
            mk("decimal", "%1."),
            mk("lowerLetter", "%2)"),
            mk("lowerRoman", "%3."),
        ]
    }

    #[test]
    fn word_level_text_becomes_typst_patterns() {
        let l = levels();
        assert_eq!(pattern("%1.", 0, &l), ("1.".into(), false));
        assert_eq!(pattern("%2)", 1, &l), ("a)".into(), false));
        assert_eq!(pattern("(%3)", 2, &l), ("(i)".into(), false));
        assert_eq!(pattern("%1.%2.", 1, &l), ("1.a.".into(), true));
        assert_eq!(pattern("Art %1", 0, &l), (" 1".into(), false));
    }

    #[test]
    fn labels_and_number_formats() {
        let l = levels();
        assert_eq!(label("%1.%2)", &[3, 2], &l), "3.b)");
        assert_eq!(format_number("lowerLetter", 27), "aa");
        assert_eq!(format_number("upperRoman", 14), "XIV");
    }

    /// `w:isLgl` at a level: every number it shows in Arabic numerals (2.1, not II.a).
    #[test]
    fn legal_numbering_shows_arabic_numerals() {
        let mut l = levels();
        l[0].fmt = "upperRoman".into();
        l[1].legal = true;
        assert_eq!(label("%1.%2", &[2, 1], &l), "2.1");
        assert_eq!(pattern("%1.%2", 1, &l), ("1.1".into(), true));
        assert_eq!(label("%1.", &[2], &l), "II.");
    }
}
