//! Raw meeting → model. Checks everything once, at the boundary, and reports every problem
//! of the file together, each at its place in the TOML (or the bilaga's file).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::Spanned;
use toml::value::Datetime;

use super::Loaded;
use super::model::*;
use super::raw::*;
use crate::diag::{Diagnostic, Severity, SourceFile};
use crate::markdown::{self, Context};
use crate::sandbox::Sandbox;
use crate::swedish;

/// A valid meeting and the warnings found on the way; or every problem (errors and warnings).
pub fn validate(loaded: Loaded) -> Result<(Meeting, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Loaded { file, raw } = loaded;
    let folder = file.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut v = Validator { file: file.clone(), problems: Vec::new() };
    let sandbox = match Sandbox::new(folder) {
        Ok(s) => s,
        Err(e) => return Err(vec![Diagnostic::error(format!("cannot open the meeting's folder: {e}"))]),
    };
    let meeting = v.meeting(raw, &sandbox);
    if v.problems.iter().any(Diagnostic::is_error) {
        Err(v.problems)
    } else {
        Ok((meeting.expect("a meeting without errors"), v.problems))
    }
}

struct Validator {
    file: SourceFile,
    problems: Vec<Diagnostic>,
}

/// Where a piece of Markdown came from, to place its problems.
struct Origin {
    file: SourceFile,
    offset: usize,
}

impl Validator {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<&str>) {
        let mut d = Diagnostic::error(message).at(&self.file, span);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.problems.push(d);
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<&str>) {
        let mut d = Diagnostic::warning(message).at(&self.file, span);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.problems.push(d);
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value.span(), format!("{what} is empty"), None);
        }
        text.to_string()
    }

    fn date(&mut self, value: &Spanned<Datetime>, what: &str) -> Option<Date> {
        let dt = value.get_ref();
        let (Some(d), None, None) = (dt.date, dt.time, dt.offset) else {
            self.error(value.span(), format!("{what} must be a date without time"), Some("write it as 2020-09-17"));
            return None;
        };
        let month = time::Month::try_from(d.month).ok();
        match month.and_then(|m| time::Date::from_calendar_date(i32::from(d.year), m, d.day).ok()) {
            Some(date) => Some(Date(date)),
            None => {
                self.error(value.span(), format!("{what} is not a real date"), None);
                None
            }
        }
    }

    fn clock(&mut self, value: &Spanned<String>, what: &str) -> Option<(u8, u8)> {
        let text = value.get_ref().trim();
        let parsed = text.split_once(':').and_then(|(h, m)| {
            let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60 && text.len() == 5).then_some((h, m))
        });
        if parsed.is_none() {
            self.error(value.span(), format!("{what} `{text}` is not a time"), Some("write it as \"09:00\""));
        }
        parsed
    }

    fn meeting(&mut self, raw: RawMeeting, sandbox: &Sandbox) -> Option<Meeting> {
        let organ = self.non_empty(&raw.organ, "organ");
        let organisation = self.organisation(&raw.organisation);

        let date = self.date(&raw.meeting.date, "the meeting's date");
        let start = self.clock(&raw.meeting.start, "start");
        let end = self.clock(&raw.meeting.end, "end");
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                self.error(raw.meeting.end.span(), "the meeting ends before it starts", None);
            }
        }
        let place = self.non_empty(&raw.meeting.place, "place");
        let remote = raw.meeting.remote.as_ref().map(|r| self.non_empty(r, "remote"));
        let justerad = raw.justerad.as_ref().and_then(|j| self.date(j, "justerad"));
        if let (Some(j), Some(d), Some(span)) = (justerad, date, raw.justerad.as_ref().map(|j| j.span())) {
            if j < d {
                self.error(span, "the protocol is justerat before the meeting took place", None);
            }
        }

        let first = match &raw.first_paragraf {
            Some(n) if *n.get_ref() < 1 || *n.get_ref() > 100_000 => {
                self.error(n.span(), "first_paragraf must be a number from 1", None);
                1
            }
            Some(n) => *n.get_ref() as u32,
            None => 1,
        };
        if raw.paragraf.is_empty() {
            self.error(0..0, "the meeting has no §", Some("add the § as [[paragraf]] tables with a title"));
        }
        let last = first + raw.paragraf.len().saturating_sub(1) as u32;

        let ordforande = self.non_empty(&raw.ordforande, "ordforande");
        let sekreterare = self.non_empty(&raw.sekreterare, "sekreterare");
        let (groups, absent) = self.attendance(&raw.attendance, remote.as_deref(), &ordforande, first..=last);
        let present: HashSet<&str> = groups.iter().flat_map(|g| g.people.iter().map(|p| p.name.as_str())).collect();
        if !ordforande.is_empty() && !present.contains(ordforande.as_str()) {
            self.error(
                raw.ordforande.span(),
                format!("ordförande `{ordforande}` is not among those present"),
                Some("the name must be written exactly as in a [[attendance.group]]"),
            );
        }
        if raw.justerare.get_ref().is_empty() {
            self.error(raw.justerare.span(), "the protocol needs at least one justerare", None);
        }
        let mut justerare = Vec::new();
        for j in raw.justerare.get_ref() {
            let name = self.non_empty(j, "a justerare");
            if !name.is_empty() && !present.contains(name.as_str()) {
                self.error(
                    j.span(),
                    format!("justerare `{name}` is not among those present"),
                    Some("the name must be written exactly as in a [[attendance.group]]"),
                );
            }
            justerare.push(name);
        }

        let numbers = self.number_bilagor(&raw);
        let number_of = |id: &str| numbers.get(id).copied();
        let bilagor = self.bilagor(&raw.bilaga, &numbers, sandbox);
        let paragrafer = self.paragrafer(&raw.paragraf, first, &number_of);
        let keywords = paragrafer
            .iter()
            .flat_map(|p| p.items.iter().flat_map(|i| i.diarienummer.iter().cloned()))
            .fold(Vec::new(), |mut acc: Vec<String>, d| {
                if !acc.contains(&d) {
                    acc.push(d);
                }
                acc
            });

        let date = date?;
        let (start, end) = (start?, end?);
        let plats = match &remote {
            Some(r) => format!("{place} samt via {r}"),
            None => place,
        };
        Some(Meeting {
            kind: *raw.kind.get_ref(),
            title: format!("Protokoll från möte med {organ} den {}", date.long()),
            organ,
            organisation,
            tidpunkt: format!(
                "{}, kl. {:02}:{:02} – {:02}:{:02}",
                date.with_weekday(),
                start.0,
                start.1,
                end.0,
                end.1
            ),
            date,
            plats,
            groups,
            absent,
            ordforande,
            sekreterare,
            justerare,
            justerad,
            paragrafer,
            bilagor,
            keywords,
        })
    }

    fn organisation(&mut self, raw: &RawOrganisation) -> Organisation {
        let name = self.non_empty(&raw.name, "the organisation's name");
        let forvaltning = self.non_empty(&raw.forvaltning, "forvaltning");
        let footer_lines = [
            raw.address.clone(),
            raw.phone.as_ref().map(|p| format!("Telefon {p}")),
            raw.email.clone(),
            raw.web.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|l| !l.trim().is_empty())
        .collect();
        Organisation { name, forvaltning, footer_lines }
    }

    fn attendance(
        &mut self,
        raw: &RawAttendance,
        remote: Option<&str>,
        ordforande: &str,
        paragrafer: std::ops::RangeInclusive<u32>,
    ) -> (Vec<Group>, Vec<Person>) {
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut groups = Vec::new();
        if raw.group.is_empty() {
            self.error(0..0, "nobody is listed as present", Some("add [[attendance.group]] with its people"));
        }
        for g in &raw.group {
            let heading = self.non_empty(&g.heading, "the group's heading");
            let people = g.people.iter().map(|p| self.person(p, true, remote, ordforande, &paragrafer, &mut seen)).collect();
            groups.push(Group { heading, people });
        }
        let absent = raw.absent.iter().map(|p| self.person(p, false, remote, ordforande, &paragrafer, &mut seen)).collect();
        (groups, absent)
    }

    fn person(
        &mut self,
        raw: &Spanned<RawPerson>,
        present: bool,
        remote: Option<&str>,
        ordforande: &str,
        paragrafer: &std::ops::RangeInclusive<u32>,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Person {
        let p = raw.get_ref();
        let name = self.non_empty(&p.name, "a name");
        if let Some(first) = seen.get(&name) {
            let (line, _) = crate::diag::line_col(&self.file.text, first.start);
            self.error(
                p.name.span(),
                format!("`{name}` is listed twice in the attendance"),
                Some(&format!("first listed on line {line}")),
            );
        } else if !name.is_empty() {
            seen.insert(name.clone(), p.name.span());
        }
        let remote_medium = if p.remote && present {
            match remote {
                Some(r) => Some(r.to_string()),
                None => {
                    self.error(
                        raw.span(),
                        format!("`{name}` took part remotely, but the meeting names no remote medium"),
                        Some("set remote = \"Skype\" (or Teams …) under [meeting]"),
                    );
                    None
                }
            }
        } else {
            None
        };
        let only = p.only.as_ref().and_then(|o| self.only(o, paragrafer));
        let functions = if present && name == ordforande { vec!["ordförande".to_string()] } else { Vec::new() };
        Person {
            name,
            role: p.role.clone().filter(|r| !r.trim().is_empty()),
            huvudskyddsombud: p.huvudskyddsombud,
            union: p.union.clone().filter(|u| !u.trim().is_empty()),
            remote: remote_medium,
            only,
            functions,
        }
    }

    /// `"1-7, 9"` → `"§1-7 och §9"`, each number a § of this meeting.
    fn only(&mut self, raw: &Spanned<String>, paragrafer: &std::ops::RangeInclusive<u32>) -> Option<String> {
        let mut parts = Vec::new();
        for piece in raw.get_ref().split(',').map(str::trim) {
            let range = match piece.split_once('-') {
                Some((a, b)) => a.trim().parse::<u32>().ok().zip(b.trim().parse::<u32>().ok()),
                None => piece.parse::<u32>().ok().map(|n| (n, n)),
            };
            match range {
                Some((a, b)) if a <= b && paragrafer.contains(&a) && paragrafer.contains(&b) => {
                    parts.push(if a == b { format!("§{a}") } else { format!("§{a}-{b}") });
                }
                Some(_) => {
                    self.error(
                        raw.span(),
                        format!("`{piece}` is not a § of this meeting (§{}–§{})", paragrafer.start(), paragrafer.end()),
                        None,
                    );
                    return None;
                }
                None => {
                    self.error(
                        raw.span(),
                        format!("cannot read `{piece}` as § numbers"),
                        Some("write the § like \"1-7, 9\""),
                    );
                    return None;
                }
            }
        }
        Some(swedish::join_and(&parts))
    }

    /// Numbers the bilagor in the order the protocol first refers to them; unreferenced ones
    /// follow in the order listed.
    fn number_bilagor(&mut self, raw: &RawMeeting) -> HashMap<String, usize> {
        let mut ids: Vec<&str> = Vec::new();
        let mut seen_ids: HashMap<&str, Range<usize>> = HashMap::new();
        for b in &raw.bilaga {
            let id = b.id.get_ref().as_str();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                self.error(
                    b.id.span(),
                    format!("bilaga id `{id}` may only use a-z, 0-9 and -"),
                    Some("e.g. id = \"saco-yttrande\""),
                );
            }
            if seen_ids.contains_key(id) {
                self.error(b.id.span(), format!("two bilagor have the id `{id}`"), None);
            }
            seen_ids.insert(id, b.id.span());
            ids.push(id);
        }
        let mut order: Vec<String> = Vec::new();
        for text in rich_texts(raw) {
            for (_, id) in markdown::bilaga_references(text.get_ref()) {
                if ids.contains(&id) && !order.iter().any(|o| o == id) {
                    order.push(id.to_string());
                }
            }
        }
        for b in &raw.bilaga {
            let id = b.id.get_ref();
            if !order.contains(id) {
                self.warning(
                    b.id.span(),
                    format!("bilaga `{id}` is never referred to in the protocol"),
                    Some(&format!("write \"se {{bilaga:{id}}}\" where the protocol mentions it; it is numbered after the others")),
                );
                order.push(id.clone());
            }
        }
        order.into_iter().enumerate().map(|(i, id)| (id, i + 1)).collect()
    }

    fn bilagor(&mut self, raw: &[RawBilaga], numbers: &HashMap<String, usize>, sandbox: &Sandbox) -> Vec<Bilaga> {
        let mut out = Vec::new();
        for b in raw {
            let Some(&number) = numbers.get(b.id.get_ref()) else { continue };
            let title = self.non_empty(&b.title, "the bilaga's title");
            let rel = b.file.get_ref();
            let path = match sandbox.resolve(rel) {
                Ok(p) => p,
                Err(refused) => {
                    self.error(b.file.span(), refused.message(rel), Some(refused.hint()));
                    continue;
                }
            };
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            if extension != "md" {
                self.error(
                    b.file.span(),
                    format!("bilaga `{rel}`: only Markdown (.md) bilagor can be read so far"),
                    Some("convert the document to Markdown; DOCX and PDF bilagor are planned"),
                );
                continue;
            }
            let text = match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(t)) => t,
                Ok(Err(_)) => {
                    self.error(b.file.span(), format!("bilaga `{rel}` is not UTF-8 text"), Some("save it as UTF-8"));
                    continue;
                }
                Err(e) => {
                    let why = crate::sandbox::io_reason(&e);
                    self.error(b.file.span(), format!("cannot read bilaga `{rel}`: {why}"), None);
                    continue;
                }
            };
            let md_file = SourceFile::new(path.clone(), text);
            let origin = Origin { file: md_file.clone(), offset: 0 };
            let base_dir = path.parent().unwrap_or(sandbox.root()).to_path_buf();
            let resolve_image = |src: &str| -> Result<String, String> {
                let rel_to_root = base_dir.join(src);
                let rel = rel_to_root.strip_prefix(sandbox.root()).map_err(|_| format!("`{src}` is outside the meeting's folder"))?;
                let real = sandbox.resolve(&rel.to_string_lossy()).map_err(|r| r.message(src))?;
                sandbox.virtual_path(&real).ok_or_else(|| format!("`{src}` is outside the meeting's folder"))
            };
            let number_of = |id: &str| numbers.get(id).copied();
            let prefix = format!("b{number}");
            let ctx = Context {
                bilaga_number: &number_of,
                label_prefix: &prefix,
                heading_offset: 1,
                resolve_image: &resolve_image,
            };
            let body = self.convert(md_file.text.as_ref(), &origin, &ctx);
            let signature = b.signature.as_ref().map(|s| self.signature(s));
            out.push(Bilaga {
                id: b.id.get_ref().clone(),
                number,
                title,
                from: b.from.clone().filter(|f| !f.trim().is_empty()),
                path,
                body,
                signature,
            });
        }
        out.sort_by_key(|b| b.number);
        out
    }

    fn signature(&mut self, raw: &Spanned<RawSignature>) -> Signature {
        let s = raw.get_ref();
        let date = s.date.as_ref().and_then(|d| self.date(d, "the signature's date"));
        let place_date = match (&s.place, date) {
            (Some(p), Some(d)) => Some(format!("{p} den {}", d.long())),
            (Some(p), None) => Some(p.clone()),
            (None, Some(d)) => Some(format!("den {}", d.long())),
            (None, None) => None,
        };
        let parts: Vec<String> = [s.title.clone(), place_date].into_iter().flatten().collect();
        if parts.is_empty() && s.name.is_none() {
            self.error(raw.span(), "the signature is empty", Some("give at least a name or a title"));
        }
        let closing = if parts.is_empty() { String::new() } else { format!("{}.", parts.join(", ")) };
        Signature { name: s.name.clone(), closing }
    }

    fn paragrafer(&mut self, raw: &[RawParagraf], first: u32, number_of: &dyn Fn(&str) -> Option<usize>) -> Vec<Paragraf> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let number = first + i as u32;
            let prefix = format!("p{number}");
            let title = self.non_empty(&p.title, "the §'s title");
            let group = p.group.as_ref().map(|g| self.non_empty(g, "group"));
            let content = self.content(p.text.as_ref(), &p.said, &format!("{prefix}"), number_of);
            let mut items = Vec::new();
            for (j, item) in p.item.iter().enumerate() {
                let item_prefix = format!("{prefix}i{}", j + 1);
                let heading = self.non_empty(&item.heading, "the item's heading");
                let mut diarienummer = Vec::new();
                for d in &item.diarienummer {
                    let text = d.get_ref().trim().to_string();
                    if !is_diarienummer(&text) {
                        self.error(
                            d.span(),
                            format!("`{text}` is not a diarienummer"),
                            Some("write it like AMN 2020-0654-1.6: the organ's letters, a space, year-number-class"),
                        );
                    }
                    diarienummer.push(text);
                }
                let content = self.content(item.text.as_ref(), &item.said, &item_prefix, number_of);
                let closing = self.rich(item.closing.as_ref(), &format!("{item_prefix}c"), number_of);
                items.push(Item { heading, diarienummer, content, closing });
            }
            let closing = self.rich(p.closing.as_ref(), &format!("{prefix}c"), number_of);
            out.push(Paragraf { number, title, group, content, items, closing });
        }
        out
    }

    fn content(
        &mut self,
        text: Option<&Spanned<String>>,
        said: &[RawSaid],
        prefix: &str,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Content {
        let text = self.rich(text, prefix, number_of);
        let said = said
            .iter()
            .enumerate()
            .map(|(k, s)| Said {
                by: self.non_empty(&s.by, "`by`"),
                verb: self.non_empty(&s.verb, "`verb`"),
                text: self.rich(Some(&s.text), &format!("{prefix}s{}", k + 1), number_of),
            })
            .collect();
        Content { text, said }
    }

    /// Converts a Markdown field of the meeting file, placing its problems in the TOML.
    fn rich(&mut self, value: Option<&Spanned<String>>, prefix: &str, number_of: &dyn Fn(&str) -> Option<usize>) -> Markup {
        let Some(value) = value else { return Markup::default() };
        let origin = Origin { file: self.file.clone(), offset: string_content_start(&self.file.text, value.span()) };
        let no_images = |src: &str| -> Result<String, String> {
            Err(format!("image `{src}`: images belong in a bilaga, not in the meeting file"))
        };
        let ctx = Context { bilaga_number: number_of, label_prefix: prefix, heading_offset: 3, resolve_image: &no_images };
        self.convert(value.get_ref(), &origin, &ctx)
    }

    fn convert(&mut self, markdown: &str, origin: &Origin, ctx: &Context) -> Markup {
        let converted = markdown::to_typst(markdown, ctx);
        for p in converted.problems {
            let range = origin.offset + p.range.start..origin.offset + p.range.end;
            let mut d = match p.severity {
                Severity::Error => Diagnostic::error(p.message),
                Severity::Warning => Diagnostic::warning(p.message),
            }
            .at(&origin.file, range);
            if let Some(h) = p.hint {
                d = d.with_hint(h);
            }
            self.problems.push(d);
        }
        Markup(converted.markup.trim().to_string())
    }
}

/// Every Markdown field of the meeting in document order (for numbering bilagor).
fn rich_texts(raw: &RawMeeting) -> Vec<&Spanned<String>> {
    let mut out = Vec::new();
    for p in &raw.paragraf {
        out.extend(p.text.as_ref());
        out.extend(p.said.iter().map(|s| &s.text));
        for i in &p.item {
            out.extend(i.text.as_ref());
            out.extend(i.said.iter().map(|s| &s.text));
            out.extend(i.closing.as_ref());
        }
        out.extend(p.closing.as_ref());
    }
    out
}

/// `AMN 2020-0654-1.6`: capitals, a space, year-number-class with dotted subclasses.
pub fn is_diarienummer(text: &str) -> bool {
    let Some((organ, rest)) = text.split_once(' ') else { return false };
    let organ_ok = !organ.is_empty() && organ.chars().all(|c| c.is_uppercase());
    let mut parts = rest.splitn(3, '-');
    let (Some(year), Some(number), Some(class)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    organ_ok && year.len() == 4 && digits(year) && digits(number) && class.split('.').all(digits)
}

/// Byte offset of the first character of a TOML string's content, given the literal's span.
fn string_content_start(toml: &str, span: Range<usize>) -> usize {
    let literal = toml.get(span.clone()).unwrap_or("");
    if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
        let after = span.start + 3;
        let rest = &toml[after.min(toml.len())..];
        if rest.starts_with("\r\n") {
            after + 2
        } else if rest.starts_with('\n') {
            after + 1
        } else {
            after
        }
    } else {
        span.start + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diarienummer_format() {
        assert!(is_diarienummer("AMN 2020-0654-1.6"));
        assert!(is_diarienummer("AMN 2019-0395-1.2.1"));
        assert!(!is_diarienummer("AMN 2020-0654"));
        assert!(!is_diarienummer("amn 2020-0654-1.6"));
        assert!(!is_diarienummer("AMN 20-0654-1.6"));
        assert!(!is_diarienummer("AMN 2020-0654-1..6"));
    }

    #[test]
    fn content_start_skips_quotes_and_first_newline() {
        let toml = "a = \"\"\"\nhej\"\"\"\nb = \"x\"";
        let span = 4..toml.find("\nb").unwrap();
        assert_eq!(&toml[string_content_start(toml, span)..][..3], "hej");
        let span_b = toml.rfind('"').unwrap() - 2..toml.len();
        assert_eq!(&toml[string_content_start(toml, span_b)..][..1], "x");
    }
}
