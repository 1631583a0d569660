//! Office Math (OMML, `m:oMath`) as readable linear text, in the spirit of Unicode's linear
//! format (UTN #28): a fraction `a/b`, scripts `r²`, `k_i`, `x^(n+1)`, an n-ary operator
//! `∑_(i=1)^12 k_i`, a radical `√x`, delimiters as written, a matrix `[a, b; c, d]`. It is
//! set as plain text through the converter (escaped like every other text, never as code);
//! the caller names each equation in a warning, since its two-dimensional layout is lost.

use super::xml::{Element, Node};

/// Deeper equations than this are flattened to their text: no stack overflow on input.
const MAX_DEPTH: usize = 64;

/// The equation `e` (`m:oMath` or `m:oMathPara`) as one line of text.
pub(super) fn linear(e: &Element) -> String {
    let mut out = String::new();
    walk(e, 0, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the argument `name` (`m:num`, `m:e`, …) of `e`, empty when it has none.
fn arg(e: &Element, name: &str, depth: usize) -> String {
    let mut out = String::new();
    if let Some(c) = e.child(name) {
        walk(c, depth + 1, &mut out);
    }
    out.trim().to_owned()
}

/// `m:chr`-like property `prop` of `e`'s property element `pr`, e.g. the n-ary operator.
fn prop<'e>(e: &'e Element, pr: &str, prop: &str) -> Option<&'e str> {
    e.child(pr)?.child(prop)?.attr("m:val")
}

/// An operand in parentheses when it holds an operator: `(n+1)`, `(i=1)`; but
/// `antal dagar` (words) and `12` as they are.
fn group(s: &str) -> String {
    if s.chars().count() > 1 && s.contains(|c: char| "+-−=<>±∓/·×*,;≤≥≠".contains(c)) {
        format!("({s})")
    } else {
        s.to_owned()
    }
}

/// `2` → `²`, when every character of `s` has a superscript (or subscript) form.
fn scripted(s: &str, sup: bool) -> Option<String> {
    s.chars()
        .map(|c| {
            let digit = c.to_digit(10);
            match (sup, c, digit) {
                (true, _, Some(1)) => Some('¹'),
                (true, _, Some(2)) => Some('²'),
                (true, _, Some(3)) => Some('³'),
                (true, _, Some(d)) => char::from_u32(0x2070 + d),
                (false, _, Some(d)) => char::from_u32(0x2080 + d),
                (true, '+', _) => Some('⁺'),
                (true, '-' | '−', _) => Some('⁻'),
                (false, '+', _) => Some('₊'),
                (false, '-' | '−', _) => Some('₋'),
                _ => None,
            }
        })
        .collect::<Option<String>>()
        .filter(|s| !s.is_empty())
}

fn script(base: &str, text: &str, sup: bool, out: &mut String) {
    out.push_str(base);
    if text.is_empty() {
        return;
    }
    match scripted(text, sup) {
        Some(s) => out.push_str(&s),
        None => {
            out.push(if sup { '^' } else { '_' });
            out.push_str(&group(text));
        }
    }
}

/// One argument of a delimiter, a matrix or an equation array (an `m:e`), as linear text.
fn argument(e: &Element, depth: usize) -> String {
    let mut s = String::new();
    walk(e, depth + 1, &mut s);
    s.trim().to_owned()
}

fn walk(e: &Element, depth: usize, out: &mut String) {
    if depth > MAX_DEPTH {
        out.push_str(&e.text());
        return;
    }
    let a = |name: &str| arg(e, name, depth);
    match e.name.as_str() {
        "m:t" | "w:t" => out.push_str(&e.text()),
        "m:f" => {
            out.push_str(&group(&a("m:num")));
            out.push('/');
            out.push_str(&group(&a("m:den")));
        }
        "m:sSup" => script(&a("m:e"), &a("m:sup"), true, out),
        "m:sSub" => script(&a("m:e"), &a("m:sub"), false, out),
        "m:sSubSup" => {
            let mut base = String::new();
            script(&a("m:e"), &a("m:sub"), false, &mut base);
            script(&base, &a("m:sup"), true, out);
        }
        "m:sPre" => {
            let mut pre = String::new();
            script("", &a("m:sub"), false, &mut pre);
            script(&pre, &a("m:sup"), true, out);
            out.push_str(&a("m:e"));
        }
        "m:nary" => {
            let op = prop(e, "m:naryPr", "m:chr").unwrap_or("∫");
            let mut full = String::new();
            // Limits of an operator read better as `_(i=1)^12` than as small digits.
            let (sub, sup) = (a("m:sub"), a("m:sup"));
            full.push_str(op);
            if !sub.is_empty() {
                full.push('_');
                full.push_str(&group(&sub));
            }
            if !sup.is_empty() {
                full.push('^');
                full.push_str(&group(&sup));
            }
            out.push_str(&full);
            out.push(' ');
            out.push_str(&a("m:e"));
        }
        "m:rad" => {
            let deg = a("m:deg");
            let hidden = prop(e, "m:radPr", "m:degHide").is_some_and(|v| v != "0" && v != "off");
            match deg.as_str() {
                _ if hidden || deg.is_empty() => out.push('√'),
                "3" => out.push('∛'),
                "4" => out.push('∜'),
                d => {
                    out.push_str(&group(d));
                    out.push('√');
                }
            }
            out.push_str(&group(&a("m:e")));
        }
        "m:d" => {
            let beg = prop(e, "m:dPr", "m:begChr").unwrap_or("(");
            let end = prop(e, "m:dPr", "m:endChr").unwrap_or(")");
            let sep = prop(e, "m:dPr", "m:sepChr").unwrap_or("|");
            let parts: Vec<String> = e
                .elements()
                .filter(|c| c.name == "m:e")
                .map(|c| argument(c, depth))
                .collect();
            out.push_str(beg);
            out.push_str(&parts.join(sep));
            out.push_str(end);
        }
        "m:m" => {
            let rows: Vec<String> = e
                .elements()
                .filter(|c| c.name == "m:mr")
                .map(|r| {
                    r.elements()
                        .filter(|c| c.name == "m:e")
                        .map(|c| argument(c, depth))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            out.push('[');
            out.push_str(&rows.join("; "));
            out.push(']');
        }
        "m:eqArr" => {
            let rows: Vec<String> = e
                .elements()
                .filter(|c| c.name == "m:e")
                .map(|c| argument(c, depth))
                .collect();
            out.push_str(&rows.join("; "));
        }
        "m:func" => {
            out.push_str(&a("m:fName"));
            out.push(' ');
            out.push_str(&a("m:e"));
        }
        "m:limLow" => script(&a("m:e"), &a("m:lim"), false, out),
        "m:limUpp" => script(&a("m:e"), &a("m:lim"), true, out),
        "m:acc" => {
            out.push_str(&a("m:e"));
            out.push_str(prop(e, "m:accPr", "m:chr").unwrap_or("\u{0302}"));
        }
        "m:oMath" if depth > 0 => {
            out.push(' ');
            children(e, depth, out);
            out.push(' ');
        }
        // Properties say how, not what: their values are read where they matter.
        n if n.ends_with("Pr") => {}
        _ => children(e, depth, out),
    }
}

fn children(e: &Element, depth: usize, out: &mut String) {
    for n in &e.children {
        if let Node::Element(c) = n {
            walk(c, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bilaga::docx::xml::parse;

    fn lin(xml: &str) -> String {
        let xml = format!(r#"<m:oMath xmlns:m="m">{xml}</m:oMath>"#);
        linear(&parse(xml.as_bytes(), "p").unwrap())
    }

    fn r(t: &str) -> String {
        format!("<m:r><m:t>{t}</m:t></m:r>")
    }

    #[test]
    fn fractions_scripts_sums_radicals_and_matrices_read_linearly() {
        let f = format!(
            "<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>",
            r("antal sjukdagar"),
            r("antal arbetsdagar")
        );
        assert_eq!(lin(&f), "antal sjukdagar/antal arbetsdagar");
        let f = format!(
            "<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>",
            r("a+b"),
            r("2")
        );
        assert_eq!(lin(&f), "(a+b)/2");
        let sup = format!(
            "{}<m:sSup><m:e>{}</m:e><m:sup>{}</m:sup></m:sSup>{}",
            r("A="),
            r("r"),
            r("2"),
            r("·π")
        );
        assert_eq!(lin(&sup), "A=r²·π");
        let nary = format!(
            r#"<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub>{}</m:sub><m:sup>{}</m:sup><m:e>{}<m:sSub><m:e>{}</m:e><m:sub>{}</m:sub></m:sSub></m:e></m:nary>"#,
            r("i=1"),
            r("12"),
            r("k"),
            r(""),
            r("i")
        );
        assert_eq!(lin(&nary), "∑_(i=1)^12 k_i");
        let rad = format!("<m:rad><m:deg/><m:e>{}</m:e></m:rad>", r("x+1"));
        assert_eq!(lin(&rad), "√(x+1)");
        let m = format!(
            "<m:d><m:e><m:m><m:mr><m:e>{}</m:e><m:e>{}</m:e></m:mr><m:mr><m:e>{}</m:e><m:e>{}</m:e></m:mr></m:m></m:e></m:d>",
            r("a"),
            r("b"),
            r("c"),
            r("d")
        );
        assert_eq!(lin(&m), "([a, b; c, d])");
    }
}
