//! `[[rattelse]]` → [`Rattelse`], and the corrected versions of a justerat protocol, of
//! either kind (a nämnd's or an FVG's: the same rule, the same code).
//!
//! An authority may correct an obvious slip in a decision — skrivfel, räknefel eller liknande
//! förbiseende (förvaltningslagen (2017:900) 36 §) — but the justerat protocol stays as it
//! was: JO has criticised kommuner that replaced pages of a justerat protocol without a trace
//! (JO 581-2013, JO 2571-1999). So the meeting file keeps each § as justerat, and a rättelse
//! says where (the §), what it said (`fore`, which must occur there exactly once) and what it
//! says now (`efter`). Version N of the protocol is the meeting file with the first N
//! rättelser made in the text of their § — then checked like any meeting file — and carries
//! their notes; version 0 is the original.
//!
//! The text is corrected as TOML source (the one string that holds `fore` rewritten as a
//! basic string with `efter` in it), so a corrected version is read by the same code as
//! every meeting file and nothing of the model is edited by hand.

use std::ops::Range;

use toml::Spanned;

use super::Validator;
use crate::bilaga::pdf;
use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::Protocol;
use crate::meeting::model::Date;
use crate::meeting::model::justering::Rattelse;
use crate::meeting::raw::Kind;
use crate::meeting::raw::justering::RawRattelse;

/// Rättelser a file may hold: each is a version typeset in full.
pub(crate) const MAX_RATTELSER: usize = 20;

/// A string of a § as the file writes it: its span (quotes included), its value and the key
/// that holds it ("beslut", "forslag.text", "reservation.att").
struct Field {
    span: Range<usize>,
    value: String,
    key: String,
}

/// Where rättelse `r` applies in `text`: the one string of its § holding `fore`.
enum Place {
    Found(Field),
    /// The § is not in the file.
    NoParagraf,
    /// `fore` is in none of the §'s strings, or in more than one place.
    Missing,
    Ambiguous(usize),
}

/// Every string value of the `index`-th `[[paragraf]]` of `text`, composed, with its key
/// path.
fn fields(text: &str, index: usize) -> Option<Vec<Field>> {
    use toml::de::{DeTable, DeValue};
    fn value(v: &Spanned<DeValue<'_>>, key: &str, out: &mut Vec<Field>) {
        match v.get_ref() {
            DeValue::String(s) => out.push(Field {
                span: v.span(),
                value: s.to_string(),
                key: key.to_string(),
            }),
            DeValue::Array(items) => items.iter().for_each(|i| value(i, key, out)),
            DeValue::Table(t) => table(t, key, out),
            _ => {}
        }
    }
    fn table(t: &DeTable<'_>, prefix: &str, out: &mut Vec<Field>) {
        for (k, v) in t.iter() {
            let key = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            value(v, &key, out);
        }
    }
    let mut doc = DeTable::parse(text).ok()?;
    // Composed as the meeting is read, so `fore` (composed) is found however the § writes it.
    crate::meeting::compose::table(doc.get_mut());
    let paragrafer = doc.get_ref().get("paragraf")?;
    let DeValue::Array(items) = paragrafer.get_ref() else {
        return None;
    };
    let DeValue::Table(t) = items.get(index)?.get_ref() else {
        return None;
    };
    let mut out = Vec::new();
    table(t, "", &mut out);
    Some(out)
}

fn place(text: &str, index: usize, fore: &str) -> Place {
    let Some(fields) = fields(text, index) else {
        return Place::NoParagraf;
    };
    let count: usize = fields.iter().map(|f| f.value.matches(fore).count()).sum();
    match count {
        0 => Place::Missing,
        1 => fields
            .into_iter()
            .find(|f| f.value.contains(fore))
            .map_or(Place::Missing, Place::Found),
        n => Place::Ambiguous(n),
    }
}

/// `value` as a TOML basic string.
fn basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The meeting file's `text` with the first `upto` rättelser made, each in the text the ones
/// before it left (`first`: the number of the first §). `None` when one of them cannot be
/// made (validation has reported it).
pub(crate) fn corrected(
    text: &str,
    rattelser: &[RawRattelse],
    first: u32,
    upto: usize,
) -> Option<String> {
    let mut text = text.to_string();
    for r in rattelser.iter().take(upto) {
        let index = usize::try_from(r.paragraf.get_ref() - i64::from(first)).ok()?;
        let Place::Found(f) = place(&text, index, r.fore.get_ref()) else {
            return None;
        };
        let new = f.value.replacen(r.fore.get_ref(), r.efter.get_ref(), 1);
        text.replace_range(f.span, &basic_string(&new));
    }
    Some(text)
}

/// Whether a rättelse from `fore` to `efter` in a string held by `key` may change what was
/// decided: the text of a beslut point or an att-sats changed beyond a slip of a character
/// or two, or any number in it. FL 36 § allows only obvious slips to be corrected. An FVG
/// protocol decides nothing by vote: what its parties put on the record — a party's
/// statement (`said`), an att-sats — is what both sides justerade, so that is its substance.
fn changes_substance(kind: Kind, key: &str, value: &str, fore: &str, efter: &str) -> bool {
    let att_sats = value.trim_start().starts_with("att ");
    let decided = match kind {
        Kind::Namnd => {
            key == "beslut" || key.ends_with(".att") || (key == "forslag.text" && att_sats)
        }
        Kind::Fvg => key.ends_with("said.text") || att_sats,
    };
    if !decided {
        return false;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    digits(fore) != digits(efter) || edits(fore, efter) > 2
}

/// The Levenshtein distance of `a` and `b` in characters (a rättelse's texts are short).
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The corrected versions 1, 2, … of the meeting in `file` (checked, version 0),
/// each its text with the first N rättelser made, read and checked like any meeting file.
/// A version that does not check is an error at its rättelse's `efter`, with the problem.
pub(super) fn versions(
    file: &SourceFile,
    raw: &[RawRattelse],
    first: i64,
    work: pdf::Work,
    pages: &pdf::PageOptions,
    reads: Option<&crate::sandbox::Recorder>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Protocol> {
    let first = u32::try_from(first).unwrap_or(1);
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate().take(MAX_RATTELSER) {
        let Some(text) = corrected(&file.text, raw, first, i + 1) else {
            return out;
        };
        let at = |message: String| {
            Diagnostic::error(format!("with rättelse {} made, {message}", i + 1))
                .at(file, r.efter.span())
                .with_hint("`efter` is put in place of `fore` in the §, and the § is read again")
        };
        let validated = crate::meeting::load_text(&file.path, text).and_then(|mut loaded| {
            loaded.version = i + 1;
            super::validate_doing(loaded, work, pages.clone(), reads)
        });
        match validated {
            Ok((p, _)) => out.push(p),
            Err(e) => {
                problems.extend(
                    e.into_iter()
                        .filter(Diagnostic::is_error)
                        .map(|d| at(d.message)),
                );
                return out;
            }
        }
    }
    out
}

impl Validator {
    /// The rättelser of a meeting file of `kind`, checked: a justerat protocol, a date not before the
    /// justering, a § of the meeting whose text holds `fore` exactly once (in the text the
    /// rättelser before it left), and a warning where it changes what was decided. In a
    /// corrected version being read (not version 0) they are taken as they are.
    pub(super) fn rattelser(
        &mut self,
        kind: Kind,
        raw: &[RawRattelse],
        first: u32,
        count: usize,
        justerad: Option<Date>,
    ) -> Vec<Rattelse> {
        let checked = self.version == 0;
        if checked && let Some(r) = raw.get(MAX_RATTELSER) {
            self.error(
                r.date.span(),
                format!("more than {MAX_RATTELSER} rättelser"),
                Some("each rättelse is a new version of the whole protocol; correct several slips of one day in one rättelse each § at most"),
            );
        }
        let mut corrected = self.file.text.to_string();
        let mut out = Vec::new();
        for (i, r) in raw.iter().enumerate().take(MAX_RATTELSER) {
            let date = self.date(&r.date, "the rättelse's date");
            let beslutad_av = self.non_empty(&r.beslutad_av, "beslutad_av");
            let skal = self.non_empty(&r.skal, "the rättelse's skäl");
            let fore = r.fore.get_ref().clone();
            let efter = r.efter.get_ref().clone();
            let number = *r.paragraf.get_ref();
            if checked {
                let facts = (date, justerad, first, count);
                self.check_rattelse(kind, r, facts, &mut corrected);
            }
            let Some(date) = date else { continue };
            out.push(Rattelse {
                nummer: i + 1,
                date,
                beslutad_av,
                paragraf: u32::try_from(number).unwrap_or(0),
                fore,
                efter,
                skal,
            });
        }
        out
    }

    /// `facts`: the rättelse's date, the justering's, the first § and how many there are.
    fn check_rattelse(
        &mut self,
        kind: Kind,
        r: &RawRattelse,
        facts: (Option<Date>, Option<Date>, u32, usize),
        text: &mut String,
    ) {
        let (date, justerad, first, count) = facts;
        match (justerad, date) {
            (None, _) => self.error(
                r.date.span(),
                "a rättelse corrects a justerat protocol, and this one is not justerat",
                Some("a draft is corrected by editing it; set `justerad` once the protocol has been justerat"),
            ),
            (Some(j), Some(d)) if d < j => self.error(
                r.date.span(),
                format!("the rättelse is dated before the justering ({})", j.iso()),
                Some("a rättelse corrects the protocol as justerat: it is decided after the justering"),
            ),
            _ => {}
        }
        let fore = r.fore.get_ref();
        let efter = r.efter.get_ref();
        if fore.trim().is_empty() {
            return; // the blank-string rule reports it
        }
        if fore == efter {
            self.error(
                r.efter.span(),
                "the rättelse changes nothing: `efter` is `fore`",
                None,
            );
            return;
        }
        let number = *r.paragraf.get_ref();
        let last = i64::from(first) + count as i64 - 1;
        if number < i64::from(first) || number > last {
            self.error(
                r.paragraf.span(),
                format!("the meeting has no § {number}"),
                Some(&format!("its § are {first}–{last}")),
            );
            return;
        }
        let index = (number - i64::from(first)) as usize;
        match place(text, index, fore) {
            Place::Found(f) => {
                if changes_substance(kind, &f.key, &f.value, fore, efter) {
                    let (what, hint) = match kind {
                        Kind::Namnd => (
                            format!("what § {number} decided"),
                            "förvaltningslagen (2017:900) 36 § allows a rättelse of an obvious skrivfel, räknefel eller liknande förbiseende — the decision as made, written down wrongly; a different decision is a new decision of the nämnd, not a rättelse",
                        ),
                        Kind::Fvg => (
                            format!("what § {number} records the parties saying"),
                            "a rättelse corrects an obvious skrivfel, räknefel eller liknande förbiseende (the rule of förvaltningslagen (2017:900) 36 §, followed for FVG protocols too) — what was said, written down wrongly; what a party said differently is not a rättelse of what both sides justerade",
                        ),
                    };
                    self.warning(
                        r.efter.span(),
                        format!(
                            "the rättelse changes the wording of {what} (its `{}`): only an obvious slip may be corrected",
                            f.key
                        ),
                        Some(hint),
                    );
                }
                let new = f.value.replacen(fore.as_str(), efter, 1);
                text.replace_range(f.span, &basic_string(&new));
            }
            Place::NoParagraf => {}
            Place::Missing => self.error(
                r.fore.span(),
                format!("§ {number} does not say `{fore}`"),
                Some("`fore` is what the § said as justerat, copied exactly from the meeting file (after any rättelse before this one)"),
            ),
            Place::Ambiguous(n) => self.error(
                r.fore.span(),
                format!("§ {number} says `{fore}` {n} times: the rättelse must name one place"),
                Some("quote enough of the text around the slip that it occurs once in the §"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slip_of_a_character_is_no_change_of_substance_but_a_number_is() {
        let att = "att godkänna förfrågningsunderlaget";
        let n = Kind::Namnd;
        assert!(!changes_substance(
            n,
            "beslut",
            att,
            "förfrågningsunderlagt",
            "förfrågningsunderlaget"
        ));
        assert!(changes_substance(
            n,
            "beslut",
            att,
            "12 000 kronor",
            "21 000 kronor"
        ));
        assert!(changes_substance(n, "beslut", att, "godkänna", "avslå"));
        // Outside what was decided, any text may be corrected without a warning.
        assert!(!changes_substance(n, "arendet", att, "godkänna", "avslå"));
        assert!(changes_substance(
            n,
            "forslag.text",
            att,
            "godkänna",
            "avslå"
        ));
        assert!(changes_substance(
            n,
            "reservation.att",
            "x",
            "godkänna",
            "avslå"
        ));
    }

    #[test]
    fn in_an_fvg_protocol_what_a_party_said_is_its_substance_and_the_rest_is_not() {
        let f = Kind::Fvg;
        let said = "undrade hur många som anställts";
        assert!(changes_substance(f, "said.text", said, "många", "få"));
        assert!(changes_substance(f, "item.said.text", said, "12", "21"));
        assert!(!changes_substance(f, "said.text", said, "mågna", "många"));
        assert!(!changes_substance(
            f,
            "text",
            "Förvaltningen informerade.",
            "informerade",
            "berättade"
        ));
        assert!(changes_substance(
            f,
            "text",
            "att förvaltningen utreder",
            "utreder",
            "avvecklar"
        ));
    }

    /// The meeting is read composed, `fore` with it: found in a § that writes the same
    /// letters decomposed.
    #[test]
    fn fore_is_found_however_the_paragraf_codes_its_letters() {
        let text = "[[paragraf]]\ntitle = \"Beslut\"\nbeslut = [\"att anställa Bjo\u{308}rn\"]\n";
        let Place::Found(f) = place(text, 0, "Björn") else {
            panic!("`Björn` is in the §")
        };
        assert_eq!(f.key, "beslut");
        assert_eq!(&text[f.span], "\"att anställa Bjo\u{308}rn\"");
        assert_eq!(f.value, "att anställa Björn");
    }

    #[test]
    fn a_corrected_string_is_written_back_as_a_basic_string() {
        assert_eq!(basic_string("a \"b\"\\\nc"), "\"a \\\"b\\\"\\\\\\nc\"");
        assert_eq!(edits("kitten", "sitting"), 3);
        assert_eq!(edits("", "ab"), 2);
    }
}
