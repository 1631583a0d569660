//! The web edition of one protocol, up to its Typst source: load and check the meeting,
//! refuse a draft, check the marks, run the guard, redact the model, and make both records.
//! Typesetting and writing are the caller's (the `publish` command).

use std::path::Path;

use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::model::{Asset, Attachment};
use crate::meeting::raw::RawProtocol;
use crate::meeting::{self, Protocol};
use crate::render::WebNotice;

use super::marks::Edition;
use super::record::{self, Record};
use super::redact::{self, Withholding};
use super::{guard, persons};

/// Page 1's wording when the meeting file gives no `webbtext`.
pub const DEFAULT_TEXT: &str = "Detta är webbutgåvan. Uppgifter som omfattas av \
sekretess eller som är personuppgifter har tagits bort; där de stod anges skälet. Det \
justerade protokollet är den fullständiga handlingen.";

/// A meeting ready for its web edition.
pub struct Prepared {
    /// The official protocol, as validated.
    pub official: Protocol,
    /// The web edition's protocol: withheld § and bilagor replaced.
    pub web: Protocol,
    pub notice: WebNotice,
    pub withholding: Withholding,
    /// The records of both editions.
    pub official_record: Record,
    pub web_record: Record,
    pub file: SourceFile,
    pub warnings: Vec<Diagnostic>,
}

/// Loads, validates and checks the meeting at `path` for publication. Errors: any problem
/// of the meeting; a protocol not justerat; a mark without a reason; every personnummer or
/// samordningsnummer the web edition would carry ([`guard`]); an unreadable bilaga.
pub fn prepare(path: &Path) -> Result<Prepared, Vec<Diagnostic>> {
    // Read twice: validation consumes the raw file, the marks and texts are read from it.
    let raw = meeting::load(path)?.raw;
    let loaded = meeting::load(path)?;
    let file = loaded.file.clone();
    let (official, warnings) = meeting::validate(loaded)?;
    let justerad = match &official {
        Protocol::Fvg(m) => m.justerad.is_some(),
        Protocol::Namnd(m) => m.justerad.is_some(),
    };
    if !justerad {
        return Err(vec![
            Diagnostic::error("a protocol that is not justerat is never published")
                .at(&file, kind_span(&raw))
                .with_hint("set `justerad = YYYY-MM-DD` once the protocol has been justerat"),
        ]);
    }
    let mut w = Withholding::of(&raw);
    let mut problems = check_marks(&file, &w, &raw);
    w.note_spans(&guard::blank_comments(&file.text));
    for b in official.bilagor() {
        let markdown = b.path.as_ref().is_some_and(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        });
        if let Some(path) = &b.path
            && markdown
            && !w.bilagor.contains_key(&b.id)
            && let Ok(text) = std::fs::read_to_string(path)
        {
            w.note_spans(&text);
        }
        if b.path.is_some() && b.pdf.is_none() && !w.bilagor.contains_key(&b.id) {
            // A DOCX's styled spans appear as calls in its markup.
            for reason in docx_reasons(&b.body.0) {
                w.span_reasons.push(reason);
            }
        }
    }
    problems.extend(marks_outside_markdown(&file, &official));
    problems.extend(guard::check(&file, &raw, &official, &w));
    if !problems.is_empty() {
        return Err(problems);
    }
    // Withheld people: the web edition is made from the file with their names replaced.
    let people = persons::withheld(&raw);
    let (web_base, web_raw) = if people.is_empty() {
        (official.clone(), None)
    } else {
        let text = persons::rewrite(&file.text, &people);
        let web_raw = meeting::load_text(path, text.clone())?.raw;
        let (base, _) = meeting::validate(meeting::load_text(path, text)?)?;
        (base, Some(web_raw))
    };
    let web = redact::web_protocol(web_base, &w);
    let text = webbtext(&raw).unwrap_or_else(|| DEFAULT_TEXT.to_string());
    let mut reasons = w.reasons();
    for p in &people {
        if !reasons.contains(&p.reason) {
            reasons.push(p.reason.clone());
        }
    }
    let notice = WebNotice {
        text,
        reasons,
        data: None,
    };
    let err = |e: String| vec![Diagnostic::error(e)];
    let official_record = record::record(&official, &raw, &w, Edition::Official).map_err(err)?;
    let mut web_record =
        record::record(&web, web_raw.as_ref().unwrap_or(&raw), &w, Edition::Web).map_err(err)?;
    web_record.withheld = notice.reasons.clone();
    Ok(Prepared {
        official,
        web,
        notice,
        withholding: w,
        official_record,
        web_record,
        file,
        warnings,
    })
}

/// The official record of `official`, the validated meeting whose file as parsed is `raw`
/// (draft or justerat; no guard: the official record is the whole record), for a build that
/// wants the record beside every protocol. `raw` gives the text fields as written (the record
/// keeps the Markdown as written); nothing is read or validated again.
pub fn official_record(raw: &RawProtocol, official: &Protocol) -> Result<Record, Vec<Diagnostic>> {
    let w = Withholding::of(raw);
    record::record(official, raw, &w, Edition::Official).map_err(|e| vec![Diagnostic::error(e)])
}

impl Prepared {
    /// The web edition's record attached to its PDF as data (`--embed-data`): the attachment
    /// (named `name` in the PDF, e.g. `2020-04-21-webb.json`) and the asset holding its bytes.
    pub fn record_attachment(&self, name: &str) -> (Attachment, Asset) {
        let asset = Asset {
            name: "record/record.json".into(),
            bytes: self.web_record.to_json().into_bytes().into(),
        };
        let attachment = Attachment {
            name: name.to_string(),
            path: asset.virtual_path(),
            description:
                "Protokollet som data (webbutgåvan), JSON enligt protokoll-record.schema.json"
                    .into(),
        };
        (attachment, asset)
    }

    /// Whether the protokollsutdrag of § `number` carries anything the web edition removes: a
    /// withheld § or person, a marked span in the §, or a bilaga it refers to that is withheld
    /// or has marked text.
    pub fn utdrag_carries_removed(&self, number: u32) -> bool {
        let Protocol::Namnd(m) = &self.official else {
            return false;
        };
        let Some((index, p)) = m
            .paragrafer
            .iter()
            .enumerate()
            .find(|(_, p)| p.number == number)
        else {
            return false;
        };
        let marked = |text: &str| text.contains("#sekretess(");
        self.withholding.paragrafer.contains_key(&index)
            || !persons_none(&self.web_record, &self.official_record)
            || serde_json::to_string(p).is_ok_and(|t| marked(&t))
            || m.bilagor
                .iter()
                .filter(|b| p.bilagor.contains(&b.number))
                .any(|b| self.withholding.bilagor.contains_key(&b.id) || marked(&b.body.0))
    }
}

impl Prepared {
    /// The reasons material was removed for in the protokollsutdrag of § `number`: its own
    /// marks, a withheld § or person, the bilagor it carries. Same order as page 1's list.
    pub fn utdrag_reasons(&self, number: u32) -> Vec<String> {
        let Protocol::Namnd(m) = &self.official else {
            return Vec::new();
        };
        let Some((index, p)) = m
            .paragrafer
            .iter()
            .enumerate()
            .find(|(_, p)| p.number == number)
        else {
            return Vec::new();
        };
        let mut found: Vec<String> = Vec::new();
        if let Some(x) = self.withholding.paragrafer.get(&index) {
            found.push(x.reason.clone());
        }
        if let Ok(value) = serde_json::to_value(p) {
            strings_reasons(&value, &mut found);
        }
        for b in m.bilagor.iter().filter(|b| p.bilagor.contains(&b.number)) {
            match self.withholding.bilagor.get(&b.id) {
                Some(x) => found.push(x.reason.clone()),
                None => found.extend(docx_reasons(&b.body.0)),
            }
        }
        if !persons_none(&self.web_record, &self.official_record) {
            // A withheld person's reason; they may serve in any §.
            for r in &self.notice.reasons {
                if self.withholding.reasons().contains(r) {
                    continue;
                }
                found.push(r.clone());
            }
        }
        self.notice
            .reasons
            .iter()
            .filter(|r| found.contains(r))
            .cloned()
            .collect()
    }
}

/// The reasons of the `#sekretess` calls in every string of a serialized value.
fn strings_reasons(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.extend(docx_reasons(s)),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings_reasons(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| strings_reasons(v, out)),
        _ => {}
    }
}

/// Whether no person is withheld (the two records name the same people).
fn persons_none(web: &Record, official: &Record) -> bool {
    web.persons
        .iter()
        .map(|p| &p.name)
        .eq(official.persons.iter().map(|p| &p.name))
}

/// A mark needs a reason; a neutral title needs a mark.
fn check_marks(
    file: &SourceFile,
    w: &Withholding,
    raw: &meeting::raw::RawProtocol,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let people = persons::withheld(raw);
    let spans = w
        .paragrafer
        .values()
        .chain(w.bilagor.values())
        .map(|x| (x.reason.as_str(), x.span.clone()))
        .chain(people.iter().map(|p| (p.reason.as_str(), p.span.clone())));
    for (reason, span) in spans {
        if reason.is_empty() {
            out.push(
                Diagnostic::error("`sekretess` needs the reason: the rule or the kind of data")
                    .at(file, span)
                    .with_hint(
                        "e.g. sekretess = \"OSL 26 kap. 1 §\" or sekretess = \"personuppgift\"",
                    ),
            );
        }
    }
    let titles: Vec<(Option<&toml::Spanned<String>>, bool)> = match raw {
        meeting::raw::RawProtocol::Fvg(m) => m
            .paragraf
            .iter()
            .map(|p| (p.webbtitel.as_ref(), p.sekretess.is_some()))
            .collect(),
        meeting::raw::RawProtocol::Namnd(m) => m
            .paragraf
            .iter()
            .map(|p| (p.webbtitel.as_ref(), p.sekretess.is_some()))
            .collect(),
    };
    for (t, marked) in titles {
        if let Some(t) = t
            && !marked
        {
            out.push(
                Diagnostic::error("`webbtitel` is only for a § withheld with `sekretess`")
                    .at(file, t.span())
                    .with_hint("add sekretess = \"…\" to the §, or remove webbtitel"),
            );
        }
    }
    out
}

/// A mark written in a field that is not Markdown (a title, a name) is not a mark: it would
/// print as written in both editions, its text published. Each such mark is an error at its
/// place in the meeting file.
fn marks_outside_markdown(file: &SourceFile, official: &Protocol) -> Vec<Diagnostic> {
    // Markdown fields carry their marks as `#sekretess(` calls; plain text keeps them as written.
    let plain = match official {
        Protocol::Fvg(m) => serde_json::to_string(m),
        Protocol::Namnd(m) => serde_json::to_string(m),
    }
    .unwrap_or_default();
    let text = guard::blank_comments(&file.text);
    super::marks::marks(&text)
        .into_iter()
        .filter(|(range, _)| plain.contains(&text[range.clone()]))
        .map(|(range, _)| {
            Diagnostic::error("a sekretess mark in a field that is not Markdown prints as written")
                .at(file, range)
                .with_hint(
                    "marks work in Markdown texts (text, beslut, arendet …); for a § title use \
                     `webbtitel` with `sekretess` on the §, for a person `sekretess` on the person",
                )
        })
        .collect()
}

/// The place of `kind = …`: where a whole-file problem points.
fn kind_span(raw: &meeting::raw::RawProtocol) -> std::ops::Range<usize> {
    match raw {
        meeting::raw::RawProtocol::Fvg(m) => m.kind.span(),
        meeting::raw::RawProtocol::Namnd(m) => m.kind.span(),
    }
}

/// The meeting file's own page-1 wording, if it gives one.
fn webbtext(raw: &meeting::raw::RawProtocol) -> Option<String> {
    match raw {
        meeting::raw::RawProtocol::Fvg(m) => m.webbtext.as_ref(),
        meeting::raw::RawProtocol::Namnd(m) => m.webbtext.as_ref(),
    }
    .map(|t| t.get_ref().trim().to_string())
    .filter(|t| !t.is_empty())
}

/// The reasons of the `#sekretess("…", …)` calls in converted markup.
fn docx_reasons(markup: &str) -> Vec<String> {
    const CALL: &str = "#sekretess(\"";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = markup[from..].find(CALL) {
        let start = from + pos + CALL.len();
        let mut reason = String::new();
        let mut chars = markup[start..].chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => reason.extend(chars.next()),
                '"' => break,
                c => reason.push(c),
            }
        }
        out.push(reason);
        from = start;
    }
    out
}
