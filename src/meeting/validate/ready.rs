//! Ready to justera: what a protocol must have before it is justerat, and what `assemble
//! new` leaves for the secretary to replace. Once the file says `justerad`, each is an
//! error; before that, `assemble check --ready` lists what remains.
//!
//! Only what is certain is asked for, so that no lawful protocol is refused: a nämnd ärende
//! without beslut (a § that decided nothing says so with `typ = "information"` or
//! `arende = false`), and values `new` wrote to be replaced — the previous meeting's end time
//! (its comment still beside it) and the skeleton's placeholder names. A § with a heading and
//! nothing under it is lawful (real FVG protocols have them: nothing to report), so it is
//! not asked. The officials (justerare, sekreterare) are the legal check's. A transcribed
//! fragment is not asked.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::raw::RawProtocol;
use crate::meeting::raw::namnd::{RawNamndMeeting, Typ};

/// The comment `new` writes beside the end time it copies (src/scaffold*): while it is
/// there, the time is the previous meeting's.
pub(crate) const END_COMMENT: &str = "# the previous meeting's end: correct it after the meeting";

/// Values the skeletons of `new` write to be replaced (src/scaffold*). A name beginning
/// "Förnamn " is a placeholder too.
const PLACEHOLDERS: &[&str] = &[
    "…",
    "Kommunens namn",
    "Förvaltningens namn",
    "Vad ärendet gäller.",
];

/// What remains before the protocol of `raw` (the file `file`) can be justerat, as warnings
/// at their places.
pub(crate) fn remaining(file: &SourceFile, raw: &RawProtocol) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut add = |span: Range<usize>, message: String, hint: &str| {
        out.push(
            Diagnostic::warning(message)
                .at(file, span)
                .with_hint(hint.to_string()),
        );
    };
    match raw {
        RawProtocol::Fvg(_) => {}
        RawProtocol::Namnd(m) if m.fragment => return Vec::new(),
        RawProtocol::Namnd(m) => namnd(m, &mut add),
    }
    end_time(file, &mut add);
    placeholders(file, &mut add);
    out
}

/// Whether the file says the protocol is justerat.
pub(crate) fn is_justerad(raw: &RawProtocol) -> bool {
    match raw {
        RawProtocol::Fvg(m) => m.justerad.is_some(),
        RawProtocol::Namnd(m) => m.justerad.is_some(),
    }
}

type Add<'a> = dyn FnMut(Range<usize>, String, &str) + 'a;

fn namnd(m: &RawNamndMeeting, add: &mut Add<'_>) {
    if let Some(s) = &m.status {
        add(
            s.span(),
            "the meeting is still planned (status = \"planerat\")".to_string(),
            "once the meeting has been held, delete this line and write who attended, the beslut and the end time",
        );
    }
    let first = m.first_paragraf.as_ref().map_or(1, |n| *n.get_ref());
    for (i, p) in m.paragraf.iter().enumerate() {
        let n = p.number.as_ref().map_or(first + i as i64, |n| *n.get_ref());
        let typ = p.typ.as_ref().map_or(Typ::Arende, |t| *t.get_ref());
        let arende = p.arende.as_ref().is_none_or(|a| *a.get_ref());
        if typ == Typ::Arende && arende && p.beslut.is_empty() {
            add(
                super::namnd::paragraf_span(p),
                format!("§ {n} records no beslut"),
                "write the nämnd's beslut (a bordläggning or återremiss is one too); a § that decided nothing is `typ = \"information\"` or `arende = false`",
            );
        }
    }
}

/// `end = "…"  # the previous meeting's end: …` as `new` wrote it.
fn end_time(file: &SourceFile, add: &mut Add<'_>) {
    let text: &str = &file.text;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("end") && line.contains(END_COMMENT) {
            let value = line.find('=').map_or(0, |e| e + 1);
            let end = line.find(END_COMMENT).unwrap_or(line.len()).max(value);
            // The value alone, without the spaces around it.
            let written = &line[value..end];
            let start = value + (written.len() - written.trim_start().len());
            let end = value + written.trim_end().len();
            add(
                at + start..at + end.max(start),
                "the end time is still the previous meeting's (as `assemble new` wrote it)"
                    .to_string(),
                "write this meeting's end time and delete the comment after it",
            );
        }
        at += line.len();
    }
}

/// Every string value of the file that is a placeholder of the skeleton.
fn placeholders(file: &SourceFile, add: &mut Add<'_>) {
    let Ok(mut table) = DeTable::parse(&file.text) else {
        return;
    };
    // Read composed, as the meeting is (`meeting::compose`).
    crate::meeting::compose::table(table.get_mut());
    let mut found = Vec::new();
    strings(&table, &mut found);
    for (span, s) in found {
        let s = s.trim();
        if PLACEHOLDERS.contains(&s) || s.starts_with("Förnamn ") {
            add(
                span,
                format!("\"{s}\" is a placeholder of `assemble new`"),
                "replace it with what this meeting's protocol says",
            );
        }
    }
}

fn strings<'a>(v: &'a Spanned<DeTable<'_>>, out: &mut Vec<(Range<usize>, &'a str)>) {
    for value in v.get_ref().values() {
        value_strings(value, out);
    }
}

fn value_strings<'a>(v: &'a Spanned<DeValue<'_>>, out: &mut Vec<(Range<usize>, &'a str)>) {
    match v.get_ref() {
        DeValue::String(s) => out.push((v.span(), s.as_ref())),
        DeValue::Array(a) => a.iter().for_each(|x| value_strings(x, out)),
        DeValue::Table(t) => t.values().for_each(|x| value_strings(x, out)),
        _ => {}
    }
}
