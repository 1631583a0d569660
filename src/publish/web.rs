//! The web edition of one protocol, up to its Typst source: load and check the meeting,
//! refuse a draft, check the marks, run the guard, redact the model, and make both records.
//! Typesetting and writing are the caller's (the `publish` command).

use std::path::Path;

use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::model::{Asset, Attachment};
use crate::meeting::{self, Protocol};
use crate::render::WebNotice;

use super::gate::Gate;
use super::personnummer::Context;
use super::record::{self, Record};
use super::redact::{self, Withholding};
use super::source::Source;
use super::{guard, marks, persons};

/// Page 1's wording when the meeting file gives no `webbtext`.
pub(crate) const DEFAULT_TEXT: &str = "Detta är webbutgåvan. Uppgifter som omfattas av \
sekretess eller som är personuppgifter har tagits bort; där de stod anges skälet. Det \
justerade protokollet är den fullständiga handlingen.";

/// A meeting ready for its web edition.
pub struct Prepared {
    /// The official protocol, as validated.
    pub official: Protocol,
    /// The web edition's protocol: withheld § and bilagor replaced.
    pub web: Protocol,
    pub notice: WebNotice,
    pub(crate) withholding: Withholding,
    /// The records of both editions.
    pub(crate) official_record: Record,
    pub web_record: Record,
    pub file: SourceFile,
    pub warnings: Vec<Diagnostic>,
    /// The last gate for this meeting's public outputs: what it withholds, to be looked for
    /// in every byte written ([`Gate`]).
    pub gate: Gate,
    /// The web editions of a corrected protocol's earlier versions (issue 27), redacted as
    /// `web` is: index 0 the justerat original, N the one with rättelser 1..N made; the
    /// last version is `web` itself. Empty without rättelser.
    pub versions: Vec<WebVersion>,
}

/// The web edition of one earlier version of a corrected protocol, and its record.
pub struct WebVersion {
    pub web: Protocol,
    pub(crate) record: Record,
}

/// Loads, validates and checks the meeting at `path` for publication. Errors: any problem
/// of the meeting; a protocol not justerat, or justerat after `today` (the caller's clock: the
/// library reads none); a mark without a reason; every personnummer or samordningsnummer the
/// web edition would carry ([`guard`]); an unreadable bilaga.
pub fn prepare(path: &Path, today: time::Date) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_edition(path, Some(today), None)
}

/// Prepares the public edition of a nämnd meeting's kallelse and meeting pack (issue 26):
/// the same checks and redaction as [`prepare`], for a meeting not yet held or justerat
/// (a kallelse is public before the meeting), and besides the guard's own, the handlingar
/// the pack publishes are checked as bilagor are (a PDF handling needs `publiceras = true`
/// or `sekretess`); the gate also withholds the marked spans of Markdown handlingar.
/// `pack`: the pages of the PDF handlingar and bilagor the public pack prints are drawn
/// through these options (the run's page cache) before the redaction takes the originals
/// out; `None` (the kallelse alone, the site) draws no page (issue 28).
pub fn prepare_kallelse(
    path: &Path,
    pack: Option<&crate::bilaga::pdf::PageOptions>,
) -> Result<Prepared, Vec<Diagnostic>> {
    prepare_edition(path, None, pack)
}

/// `today`: the protocol's web edition, which needs the protocol justerat by then; `None`:
/// the kallelse's public edition, its pack's pages drawn as `pack` says.
fn prepare_edition(
    path: &Path,
    today: Option<time::Date>,
    pack: Option<&crate::bilaga::pdf::PageOptions>,
) -> Result<Prepared, Vec<Diagnostic>> {
    // Read once. What the file says about publication is taken from the parse before
    // validation consumes it; after validation, only the model and these facts are used.
    let loaded = meeting::load(path)?;
    let source = Source::of(&loaded.raw);
    let file = loaded.file.clone();
    // The protocol's web edition prints its bilagor; a kallelse prints none, and its pack
    // only what it carries, drawn below.
    let (mut official, mut warnings) = match today {
        Some(_) => meeting::validate(loaded)?,
        None => meeting::check(loaded)?,
    };
    let justerad = match &official {
        Protocol::Fvg(m) => m.justerad.is_some(),
        Protocol::Namnd(m) => m.justerad.is_some(),
    };
    if today.is_none() && !matches!(official, Protocol::Namnd(_)) {
        return Err(vec![
            Diagnostic::error("a kallelse is made of a nämnd meeting, and this file is not one")
                .at(&file, source.kind.clone())
                .with_hint("its kind is \"fvg\"; only a file with kind = \"namnd\" has one"),
        ]);
    }
    if let Some(today) = today {
        protocol_publishable(&file, &source, justerad, today)?;
    }
    let mut w = source.withholding.clone();
    let mut problems = check_marks(&file, &source);
    w.note_spans(&guard::blank_comments(&file.text));
    // Read once: every check below reads their lines.
    let markdown = published_markdown_bilagor(&official, &w);
    for f in &markdown {
        w.note_spans(&f.text);
    }
    for b in official.bilagor() {
        if b.path.is_some() && b.pdf.is_none() && !w.bilagor.contains_key(&b.id) {
            // A DOCX's styled spans appear as calls in its markup.
            for reason in docx_reasons(&b.body.0) {
                w.span_reasons.push(reason);
            }
        }
    }
    problems.extend(marks_outside_markdown(&file, &official));
    problems.extend(misplaced_marks(&file, &markdown));
    let context = Context {
        meeting: {
            let d = official.clock_date().0;
            Some((
                d.year().max(0) as u32,
                u32::from(u8::from(d.month())),
                u32::from(d.day()),
            ))
        },
        not_numbers: declared_not_numbers(&source),
    };
    problems.extend(check_declared(&file, &source));
    problems.extend(guard::check(&file, &source, &official, &w, &context));
    if today.is_none() {
        problems.extend(guard::handlingar(&file, &official, &w, &context));
    }
    // Withheld people: the web edition's model has their names replaced wherever it writes
    // them; a mention in another form is for the secretary to mark.
    let people = source.people.clone();
    problems.extend(person_mentions(&file, &source, &w, &people, &markdown));
    // People a span of their name alone protects ({sekretess:skyddad identitet}Åsa Lind…):
    // every other mention is for the secretary to mark (nothing replaces them).
    let protected = protected_by_spans(&file, &markdown, &people);
    problems.extend(protected_mentions(
        &file, &source, &w, &protected, &markdown,
    ));
    let everyone: Vec<persons::WithheldPerson> = people
        .iter()
        .cloned()
        .chain(protected.iter().map(|(p, _)| p.clone()))
        .collect();
    problems.extend(docx_mentions(
        &file, &source, &w, &everyone, &official, &markdown,
    ));
    if !problems.is_empty() {
        return Err(problems);
    }
    if let (Some(pages), Protocol::Namnd(m)) = (pack, &mut official) {
        // Drawn from the originals, which the web edition's model no longer has.
        let edition = crate::documents::kallelse::Edition {
            pack: true,
            public: Some(withheld_handlingar(&w)),
        };
        let printed = crate::documents::kallelse::printed(m, &edition);
        match meeting::draw_pages(m, &printed, pages) {
            Ok(drawn) => warnings.extend(drawn),
            Err(problems) => return Err([problems, warnings].concat()),
        }
    }
    let web = redact::web_protocol(official.clone(), &w, &people)
        .map_err(|e| vec![Diagnostic::error(e).at(&file, source.kind.clone())])?;
    let text = source
        .webbtext
        .clone()
        .unwrap_or_else(|| DEFAULT_TEXT.to_string());
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
    let official_record = record::official(&official).map_err(err)?;
    let mut web_record = record::web(&web, &w).map_err(err)?;
    web_record.withheld = notice.reasons.clone();
    let mut versions = Vec::new();
    for n in 0..official.corrected().len() {
        let version = redact::web_version(&official, n, &w, &people)
            .map_err(|e| vec![Diagnostic::error(e).at(&file, source.kind.clone())])?;
        let mut record = record::web(&version, &w).map_err(err)?;
        record.withheld = notice.reasons.clone();
        versions.push(WebVersion {
            web: version,
            record,
        });
    }
    let mut gate = gate_of(&file, &source, &official, &w, &markdown, context);
    for (p, marked_in) in &protected {
        let place = (marked_in.path == file.path).then(|| p.span.clone());
        gate.withhold_person(&p.name, place);
    }
    if let Protocol::Namnd(m) = &official {
        // The marked spans of the Markdown handlingar the public pack carries.
        for h in m
            .handlingar
            .iter()
            .filter(|h| !w.handlingar.contains_key(&h.id))
        {
            if let Some(text) = h
                .path
                .as_ref()
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
                .and_then(|p| std::fs::read_to_string(p).ok())
            {
                for s in marks::spans(&text).0 {
                    gate.withhold_text(&text[s.open.end..s.close.start], None);
                }
            }
        }
    }
    Ok(Prepared {
        official,
        web,
        notice,
        withholding: w,
        official_record,
        web_record,
        file,
        warnings,
        gate,
        versions,
    })
}

impl Prepared {
    /// The handlingar withheld from the public meeting pack, by id, with the reason as the
    /// file gives it.
    pub fn withheld_handlingar(&self) -> crate::meeting::model::namnd::Withheld {
        withheld_handlingar(&self.withholding)
    }
}

/// The handlingar `w` withholds, by id, with the reason as the file gives it.
fn withheld_handlingar(w: &Withholding) -> crate::meeting::model::namnd::Withheld {
    w.handlingar
        .iter()
        .map(|(id, w)| (id.clone(), w.reason.clone()))
        .collect()
}

/// A protocol's web edition needs it justerat, and not after `today`.
fn protocol_publishable(
    file: &SourceFile,
    source: &Source,
    justerad: bool,
    today: time::Date,
) -> Result<(), Vec<Diagnostic>> {
    if !justerad {
        return Err(vec![
            Diagnostic::error("a protocol that is not justerat is never published")
                .at(file, source.kind.clone())
                .with_hint("set `justerad = YYYY-MM-DD` once the protocol has been justerat"),
        ]);
    }
    if let Some((day, span)) = source.justerad.clone()
        && day > today
    {
        return Err(vec![
            Diagnostic::error(format!(
                "`justerad` is {day}, after today ({today}): a protocol is published once it has \
                 been justerat, not before"
            ))
            .at(file, span)
            .with_hint("write the day the justering took place, once it has; the planned day goes in [justering] date"),
        ]);
    }
    Ok(())
}

/// Every mention of a withheld person that the web edition would not replace (see
/// [`persons::unreplaced_mentions`]), outside marked spans and withheld §: in the meeting
/// file, and in Markdown bilagor (where even the name as written is not replaced).
fn person_mentions(
    file: &SourceFile,
    source: &Source,
    w: &Withholding,
    people: &[persons::WithheldPerson],
    markdown: &[SourceFile],
) -> Vec<Diagnostic> {
    if people.is_empty() {
        return Vec::new();
    }
    let error = |file: &SourceFile, m: &persons::Mention| {
        Diagnostic::error(format!(
            "a withheld person ({}) is named here in a form the web edition does not replace",
            people[m.person].reason
        ))
        .at(file, m.range.clone())
        .with_hint(format!(
            "mark it: {{sekretess:{}}}…{{/sekretess}} (only the name exactly as in the attendance is replaced in the meeting file)",
            people[m.person].reason
        ))
    };
    let text = guard::blank_comments(&file.text);
    let mut skip: Vec<std::ops::Range<usize>> =
        marks::spans(&text).0.iter().map(|s| s.whole()).collect();
    skip.extend(guard::withheld_regions(&file.text, source, w));
    let outside = |skip: &[std::ops::Range<usize>], r: &std::ops::Range<usize>| {
        !skip.iter().any(|s| s.start <= r.start && r.end <= s.end)
    };
    let mut out: Vec<Diagnostic> = persons::unreplaced_mentions(&text, people, true)
        .iter()
        .filter(|m| outside(&skip, &m.range))
        .map(|m| error(file, m))
        .collect();
    for bilaga in markdown {
        let spans: Vec<_> = marks::spans(&bilaga.text)
            .0
            .iter()
            .map(|s| s.whole())
            .collect();
        out.extend(
            persons::unreplaced_mentions(&bilaga.text, people, false)
                .iter()
                .filter(|m| outside(&spans, &m.range))
                .map(|m| error(bilaga, m)),
        );
    }
    out
}

/// The people protected by a span of their name alone ([`persons::protected_by_span`]) in
/// the meeting file (comments are not read) and the Markdown bilagor published, each once,
/// with the file its mark is in; a person the attendance withholds already is not repeated.
fn protected_by_spans(
    file: &SourceFile,
    markdown: &[SourceFile],
    people: &[persons::WithheldPerson],
) -> Vec<(persons::WithheldPerson, SourceFile)> {
    let blank = SourceFile::new(file.path.clone(), guard::blank_comments(&file.text));
    let mut out: Vec<(persons::WithheldPerson, SourceFile)> = Vec::new();
    for f in std::iter::once(&blank).chain(markdown) {
        for p in persons::protected_by_span(&f.text) {
            let known = |name: &str| name.split_whitespace().eq(p.name.split_whitespace());
            if !people.iter().any(|q| known(&q.name)) && !out.iter().any(|(q, _)| known(&q.name)) {
                out.push((p, f.clone()));
            }
        }
    }
    out
}

/// Every mention of a person a span protects, outside marked spans and withheld §, in any
/// usual form, the name as written too: in the meeting file and the Markdown bilagor
/// published. The attendance naming such a person is one too (withhold them there).
fn protected_mentions(
    file: &SourceFile,
    source: &Source,
    w: &Withholding,
    protected: &[(persons::WithheldPerson, SourceFile)],
    markdown: &[SourceFile],
) -> Vec<Diagnostic> {
    if protected.is_empty() {
        return Vec::new();
    }
    let people: Vec<persons::WithheldPerson> = protected.iter().map(|(p, _)| p.clone()).collect();
    let error = |at: &SourceFile, m: &persons::Mention| {
        let (p, marked_in) = &protected[m.person];
        let (line, _) = crate::diag::line_col(&marked_in.text, p.span.start);
        Diagnostic::error(format!(
            "a person marked {} at `{}:{line}` is named here unmarked",
            p.reason,
            marked_in.path.display()
        ))
        .at(at, m.range.clone())
        .with_hint(format!(
            "mark this mention too: {{sekretess:{}}}…{{/sekretess}}; a person of the attendance is withheld there, with `sekretess = \"{}\"`",
            p.reason, p.reason
        ))
    };
    let mentions = |f: &SourceFile, skip: &[std::ops::Range<usize>]| -> Vec<Diagnostic> {
        persons::unreplaced_mentions(&f.text, &people, false)
            .iter()
            .filter(|m| {
                !skip
                    .iter()
                    .any(|s| s.start <= m.range.start && m.range.end <= s.end)
            })
            .map(|m| error(f, m))
            .collect()
    };
    let text = guard::blank_comments(&file.text);
    let mut skip: Vec<std::ops::Range<usize>> =
        marks::spans(&text).0.iter().map(|s| s.whole()).collect();
    skip.extend(guard::withheld_regions(&file.text, source, w));
    let blank = SourceFile::new(file.path.clone(), text.clone());
    let mut out: Vec<Diagnostic> = mentions(&blank, &skip)
        .into_iter()
        .map(|mut d| {
            // Shown with the file as written (comments too).
            if let Some((_, r)) = d.location.take() {
                d = d.at(file, r);
            }
            d
        })
        .collect();
    for bilaga in markdown {
        let spans: Vec<_> = marks::spans(&bilaga.text)
            .0
            .iter()
            .map(|s| s.whole())
            .collect();
        out.extend(mentions(bilaga, &spans));
    }
    out
}

/// Every mention of a withheld or protected person in the text of a converted (DOCX) bilaga
/// published, in any usual form, the name as written too (nothing rewrites a bilaga's own
/// file): an error at the bilaga's `file =` line. A Markdown bilaga's converted text too,
/// when its own lines (`markdown_files`) name no one: what only the converter joins is found
/// so. The text is read as a reader reads it, across runs — a name whose letters change
/// format inside it ("Bj" + bold "örn Viklund") is printed whole — with the runs styled
/// "Sekretess" left out. The message shows the words around the mention, never the name (a
/// CI log is public too).
fn docx_mentions(
    file: &SourceFile,
    source: &Source,
    w: &Withholding,
    people: &[persons::WithheldPerson],
    official: &Protocol,
    markdown_files: &[SourceFile],
) -> Vec<Diagnostic> {
    if people.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for b in official.bilagor() {
        let Some(path) = b.path.as_ref().filter(|_| b.pdf.is_none()) else {
            continue;
        };
        if w.bilagor.contains_key(&b.id) {
            continue;
        }
        let markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        if markdown {
            // A Markdown bilaga's mentions are errors at their own lines ([`person_mentions`],
            // [`protected_mentions`]); its text as converted is read too, for what only the
            // converter joins (`Bj<em>örn</em> Viklund`: the tag is dropped), when those
            // found none.
            let Some(raw) = markdown_files.iter().find(|f| &f.path == path) else {
                continue;
            };
            let raw = &raw.text;
            let spans: Vec<_> = marks::spans(raw).0.iter().map(|s| s.whole()).collect();
            let at_lines = persons::unreplaced_mentions(raw, people, false)
                .into_iter()
                .any(|m| {
                    !spans
                        .iter()
                        .any(|s| s.start <= m.range.start && m.range.end <= s.end)
                });
            if at_lines {
                continue;
            }
        }
        let text = super::markup_text(&b.body.0, false);
        let place = source
            .bilaga(&b.id)
            .and_then(|s| s.file_span.clone().or_else(|| Some(s.id_span.clone())))
            .unwrap_or(0..0);
        for m in persons::unreplaced_mentions(&text, people, false) {
            let p = &people[m.person];
            out.push(
                Diagnostic::error(format!(
                    "bilaga {} ({}, `{}`) names a withheld person ({}) in its text: no web edition is written",
                    b.number,
                    b.title,
                    b.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                    p.reason
                ))
                .at(file, place.clone())
                .with_hint(if markdown {
                    format!(
                        "mark the whole name: {{sekretess:{}}}…{{/sekretess}} (the converter joins what a tag or a link splits, and prints the name whole); the text around it: “{}”",
                        p.reason,
                        name_hidden_around(&text, &m.range)
                    )
                } else {
                    format!(
                        "in Word, give the whole name the character style \"Sekretess: {}\" (a name whose letters change format inside it is printed whole); the text around it: “{}”",
                        p.reason,
                        name_hidden_around(&text, &m.range)
                    )
                }),
            );
        }
    }
    out
}

/// The words around `range` in `text`, the range itself shown as "[…]".
fn name_hidden_around(text: &str, range: &std::ops::Range<usize>) -> String {
    let before: String = {
        let b: Vec<char> = text[..range.start].chars().collect();
        b[b.len().saturating_sub(30)..].iter().collect()
    };
    let after: String = text[range.end..].chars().take(30).collect();
    format!("{}[…]{}", before.trim_start(), after.trim_end()).replace('\n', " ")
}

/// Every mark that cannot act ([`marks::misplaced`]) in the meeting file (comments are not
/// read) and in the Markdown bilagor published: a located error, never a silent no-op.
fn misplaced_marks(file: &SourceFile, markdown: &[SourceFile]) -> Vec<Diagnostic> {
    let error = |f: &SourceFile, (range, why): (std::ops::Range<usize>, &str)| {
        Diagnostic::error(why.to_string()).at(f, range).with_hint(
            "write `{sekretess:SKÄL}` and `{/sekretess}` exactly (lower case, no spaces) around \
             text that is printed; to withhold an image, withhold its § or bilaga",
        )
    };
    let text = guard::blank_comments(&file.text);
    let mut out: Vec<Diagnostic> = marks::misplaced(&text)
        .into_iter()
        .map(|m| error(file, m))
        .collect();
    for f in markdown {
        out.extend(marks::misplaced(&f.text).into_iter().map(|m| error(f, m)));
    }
    out
}

/// The Markdown bilagor the web edition publishes (not withheld whole), with their text: the
/// ones whose marks and mentions are checked at their own lines.
fn published_markdown_bilagor(official: &Protocol, w: &Withholding) -> Vec<SourceFile> {
    official
        .bilagor()
        .iter()
        .filter(|b| !w.bilagor.contains_key(&b.id))
        .filter_map(|b| b.path.as_ref())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        })
        .filter_map(|p| Some(SourceFile::new(p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect()
}

/// The digits of each number `[[inte_personnummer]]` declares not to be one.
fn declared_not_numbers(source: &Source) -> Vec<String> {
    source
        .declared
        .iter()
        .map(|n| {
            super::normalise::normalise(&n.nummer)
                .text
                .chars()
                .filter(char::is_ascii_digit)
                .collect()
        })
        .collect()
}

/// A declared exception needs its reason, and must be a number.
fn check_declared(file: &SourceFile, source: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for n in &source.declared {
        let digits = super::normalise::normalise(&n.nummer)
            .text
            .chars()
            .filter(char::is_ascii_digit)
            .count();
        if !(10..=12).contains(&digits) {
            out.push(
                Diagnostic::error("`nummer` is not written like a personnummer (10 or 12 digits)")
                    .at(file, n.nummer_span.clone())
                    .with_hint("give the number exactly as the protocol writes it"),
            );
        }
        if n.skal.trim().is_empty() {
            out.push(
                Diagnostic::error("`skal` must say why the number is not a personnummer")
                    .at(file, n.skal_span.clone())
                    .with_hint("e.g. skal = \"växelns telefonnummer\""),
            );
        }
    }
    out
}

/// The gate of one meeting's public outputs: the text of every marked span (meeting file,
/// Markdown and DOCX bilagor published), the names of withheld people, the real title of a §
/// published under its `webbtitel`.
fn gate_of(
    file: &SourceFile,
    source: &Source,
    official: &Protocol,
    w: &Withholding,
    markdown_files: &[SourceFile],
    context: Context,
) -> Gate {
    let mut gate = Gate::new(context, Some(file.clone()));
    let text = guard::blank_comments(&file.text);
    for s in marks::spans(&text).0 {
        gate.withhold_text(&text[s.open.end..s.close.start], Some(s.whole()));
    }
    for p in &source.people {
        gate.withhold_person(&p.name, Some(p.span.clone()));
    }
    for (i, p) in source.paragrafer.iter().enumerate() {
        let Some((title, span)) = &p.title else {
            continue;
        };
        if let Some(x) = w.paragrafer.get(&i)
            && x.title.is_some()
        {
            gate.withhold_text(title, Some(span.clone()));
        }
    }
    for b in official.bilagor() {
        if w.bilagor.contains_key(&b.id) {
            continue;
        }
        let markdown = b.path.as_ref().is_some_and(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        });
        if markdown {
            if let Some(f) = markdown_files
                .iter()
                .find(|f| Some(&f.path) == b.path.as_ref())
            {
                for s in marks::spans(&f.text).0 {
                    gate.withhold_text(&f.text[s.open.end..s.close.start], None);
                }
            }
        } else if b.pdf.is_none() {
            for body in super::sekretess_bodies(&b.body.0) {
                gate.withhold_text(&body, None);
            }
        }
    }
    gate
}

/// A record attached to a web edition as data, named `name` in the PDF.
pub(crate) fn record_attachment(record: &Record, name: &str) -> (Attachment, Asset) {
    let asset = Asset {
        name: "record/record.json".into(),
        bytes: record.to_json().into_bytes().into(),
    };
    let attachment = Attachment {
        name: name.to_string(),
        path: asset.virtual_path(),
        description: "Protokollet som data (webbutgåvan), JSON enligt protokoll-record.schema.json"
            .into(),
    };
    (attachment, asset)
}

impl Prepared {
    /// The web edition's record attached to its PDF as data (`--embed-data`): the attachment
    /// (named `name` in the PDF, e.g. `2020-04-21-webb.json`) and the asset holding its bytes.
    pub(crate) fn record_attachment(&self, name: &str) -> (Attachment, Asset) {
        record_attachment(&self.web_record, name)
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
    pub(crate) fn utdrag_reasons(&self, number: u32) -> Vec<String> {
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
fn check_marks(file: &SourceFile, source: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let w = &source.withholding;
    let spans = w
        .paragrafer
        .values()
        .chain(w.bilagor.values())
        .map(|x| (x.reason.as_str(), x.span.clone()))
        .chain(
            source
                .people
                .iter()
                .map(|p| (p.reason.as_str(), p.span.clone())),
        );
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
    for p in &source.paragrafer {
        if let Some(t) = &p.webbtitel
            && !p.withheld
        {
            out.push(
                Diagnostic::error("`webbtitel` is only for a § withheld with `sekretess`")
                    .at(file, t.clone())
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
    // A mark shown in code is text (and an opening one there is reported apart); a closing
    // mark alone withholds nothing and shows nothing: the opening marks are the ones to check.
    let code = marks::code_ranges(&text);
    super::marks::marks(&text)
        .into_iter()
        .filter(|(range, mark)| {
            matches!(mark, marks::Mark::Open(_))
                && !code
                    .iter()
                    .any(|c| c.start <= range.start && range.end <= c.end)
        })
        .filter(|(range, _)| plain.contains(&text[range.clone()]))
        .map(|(range, _)| {
            if in_indented_line(&text, range.start) {
                // The converter took the line as code, where a mark is text: the likely case
                // for a mark in a Markdown field that still prints as written.
                return Diagnostic::error(
                    "a sekretess mark in an indented line prints as written: in Markdown, a line \
                     indented four spaces after a blank line is code",
                )
                .at(file, range)
                .with_hint(
                    "remove the indentation (or the blank line before it), so that the line is \
                     text and the mark withholds it",
                );
            }
            Diagnostic::error("a sekretess mark in a field that is not Markdown prints as written")
                .at(file, range)
                .with_hint(
                    "marks work in Markdown texts (text, beslut, arendet …); for a § title use \
                     `webbtitel` with `sekretess` on the §, for a person `sekretess` on the person",
                )
        })
        .collect()
}

/// Whether the line `at` stands in begins with four spaces or a tab.
fn in_indented_line(text: &str, at: usize) -> bool {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    line.starts_with("    ") || line.starts_with('\t')
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

/// Whether the meeting file at `path` says its protocol is justerat (read, not validated):
/// how a folder's drafts are told apart to be skipped.
pub fn is_justerad(path: &Path) -> Result<bool, Vec<Diagnostic>> {
    Ok(meeting::is_justerad(&meeting::load(path)?))
}
