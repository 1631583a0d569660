//! The protokollsutdrag: the certified extract of one § of a nämnd protocol — the organ's
//! header, who served in that §, the § whole, how it was justerad and "Rätt utdraget intygar"
//! with the sekreterare's signature line, then the bilagor the § refers to.
//!
//! A § the nämnd decided to justera omedelbart can be extracted as soon as the meeting has
//! decided it; any other § only once the whole protocol is justerat (KL 5 kap. 69 §: until
//! then the decision has not been approved as recorded).

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::model::namnd::NamndMeeting;
use crate::render::{NamndView, Renderer};
use crate::typeset::Job;

/// The extract of § `number`, ident `protokollsutdrag:ORGAN:DATE:N`. Refused (an error
/// without a place) when the § does not exist or cannot be extracted yet.
pub fn make(m: &NamndMeeting, number: u32, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let statement = allowed(m, number).map_err(|refusal| {
        vec![match refusal {
            Refusal::NoSuchParagraf(there) => {
                Diagnostic::error(format!("there is no § {number} to extract"))
                    .with_hint(format!("the § are {there}"))
            }
            Refusal::NotJusterat => Diagnostic::error(format!(
                "§ {number} cannot be extracted before the protocol is justerat"
            ))
            .with_hint(
                "only a § the nämnd decided to justera omedelbart can be extracted from an \
                 unjusterat protocol; set `justerad` once it has been justerat",
            ),
        }]
    })?;
    let title = super::phrases::title(m);
    let view = NamndView {
        utdrag: Some(number),
        header: utdrag_header(&super::phrases::header(m)),
        title: format!("Protokollsutdrag § {number}, {title}"),
        draft: false,
        justering_statement: Some(statement),
        subtitle: Some(if m.fragment && m.date.is_none() {
            // A dateless fragment's title says so already.
            title
        } else {
            format!("Utdrag ur {}", lower_first(&title))
        }),
    };
    let rendered = renderer.render_namnd(m, &view, super::phrases::value(m))?;
    let ident = format!(
        "protokollsutdrag:{}:{}:{number}",
        m.organ,
        m.clock_date().iso()
    );
    // The extract carries the bilagor its § refers to (namnd.typ.j2).
    let referred: Vec<usize> = m
        .paragraf(number)
        .map(|p| p.bilagor.clone())
        .unwrap_or_default();
    let bilagor: Vec<_> = m
        .bilagor
        .iter()
        .filter(|b| referred.contains(&b.number))
        .cloned()
        .collect();
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets: m.assets(),
        ident,
        date: m.clock_date(),
        conformance: Conformance::for_bilagor(&bilagor),
    })
}

/// Why an extract cannot be made.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// No such §; the § there are, "§ 1–12".
    NoSuchParagraf(String),
    /// An ordinary § of a protocol not yet justerat.
    NotJusterat,
}

/// Whether § `number` can be extracted now, and if so the justering statement it carries.
pub fn allowed(m: &NamndMeeting, number: u32) -> Result<String, Refusal> {
    let Some(p) = m.paragraf(number) else {
        return Err(Refusal::NoSuchParagraf(paragraf_range(m)));
    };
    if p.omedelbar_justering {
        Ok("Paragrafen justerades omedelbart.".into())
    } else if let Some(date) = m.justerad {
        Ok(format!("Protokollet justerades den {}.", date.long()))
    } else {
        Err(Refusal::NotJusterat)
    }
}

/// "§ 8–9", "§ 1", or "none" for a protocol without §.
pub fn paragraf_range(m: &NamndMeeting) -> String {
    let numbers: Vec<u32> = m.paragrafer.iter().map(|p| p.number).collect();
    match (numbers.first(), numbers.last()) {
        (Some(first), Some(last)) if first == last => format!("§ {first}"),
        (Some(first), Some(last)) => format!("§ {first}–{last}"),
        _ => "none".into(),
    }
}

/// "Protokoll från …" → "protokoll från …", to follow "Utdrag ur".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// "Protokoll AMN 2020-04-21" → "Protokollsutdrag AMN 2020-04-21".
pub(crate) fn utdrag_header(header: &str) -> String {
    match header.strip_prefix("Protokoll") {
        Some(rest) => format!("Protokollsutdrag{rest}"),
        None => format!("Protokollsutdrag, {header}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Protocol;
    use std::path::Path;

    /// The test fixture's meeting (§ 31–36, § 33 justerad omedelbart), edited.
    fn fixture(edit: impl Fn(String) -> String) -> NamndMeeting {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meeting.toml");
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/namnd/meeting.toml"),
        )
        .unwrap();
        std::fs::write(&path, edit(text)).unwrap();
        match crate::meeting::validate(crate::meeting::load(&path).unwrap()) {
            Ok((Protocol::Namnd(m), _)) => m,
            _ => panic!("the fixture is a valid nämnd meeting"),
        }
    }

    fn draft(text: String) -> String {
        text.replace("justerad = 2020-04-24\n", "")
    }

    #[test]
    fn a_justerat_protocol_gives_every_paragraf() {
        let m = fixture(|t| t);
        assert_eq!(
            allowed(&m, 34).unwrap(),
            "Protokollet justerades den 24 april 2020."
        );
        assert_eq!(
            allowed(&m, 33).unwrap(),
            "Paragrafen justerades omedelbart."
        );
    }

    #[test]
    fn a_draft_gives_only_the_paragraf_justerad_omedelbart() {
        let m = fixture(draft);
        assert_eq!(
            allowed(&m, 33).unwrap(),
            "Paragrafen justerades omedelbart."
        );
        assert_eq!(allowed(&m, 34), Err(Refusal::NotJusterat));
    }

    #[test]
    fn a_missing_paragraf_names_those_there_are() {
        let m = fixture(|t| t);
        assert_eq!(
            allowed(&m, 30),
            Err(Refusal::NoSuchParagraf("§ 31–36".into()))
        );
    }

    #[test]
    fn lower_first_lowers_only_the_first_letter() {
        assert_eq!(lower_first("Protokoll från"), "protokoll från");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn the_header_names_the_extract() {
        assert_eq!(
            utdrag_header("Protokoll AMN 2020-04-21"),
            "Protokollsutdrag AMN 2020-04-21"
        );
    }
}
