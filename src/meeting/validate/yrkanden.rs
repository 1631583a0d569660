//! Yrkanden as structure: a bilaga whose content is a party's yrkanden in numbered topics
//! (Lärarnas Riksförbund's yrkanden on the budget, with the förvaltning's answers) written
//! in the meeting file instead of a `file`.
//!
//! The rules: a bilaga has exactly one kind of content; a yrkande without an answer is a
//! warning in a draft and an error once the protocol is justerat (an unanswered yrkande
//! must not reach the archive); every supporter is an organisation present at the meeting.

use std::collections::HashMap;

use toml::Spanned;

use super::Validator;
use crate::meeting::model::*;
use crate::meeting::raw::*;
use crate::swedish;

/// Short forms the protocols use for organisations, with the full name each stands for.
/// A supporter matches a union in the attendance when both name the same organisation,
/// ignoring case, in full or by a short form listed here; nothing else is guessed (a
/// misspelt name is an error, not a match).
pub(crate) const SHORT_FORMS: &[(&str, &str)] =
    &[("LR", "Lärarnas Riksförbund"), ("SACO", "SACO-rådet")];

/// The content a bilaga declares: a file, or yrkanden as structure.
pub(super) enum Source<'a> {
    File(&'a Spanned<String>),
    Yrkanden,
}

/// What the yrkanden checks need to know about the rest of the meeting.
pub(super) struct MeetingFacts {
    /// `justerad` is set: an unanswered yrkande is an error, not a warning.
    pub justerat: bool,
    /// The unions of the people present, as written, each once, in attendance order.
    pub present: Vec<String>,
    /// The unions of the people listed as absent.
    pub absent: Vec<String>,
}

impl MeetingFacts {
    pub(super) fn new(justerat: bool, groups: &[Group], absent: &[Person]) -> Self {
        let unions = |people: &mut dyn Iterator<Item = &Person>| {
            let mut out: Vec<String> = Vec::new();
            for union in people.filter_map(|p| p.union.as_deref()) {
                if !out.iter().any(|u| same_organisation(u, union)) {
                    out.push(union.trim().to_string());
                }
            }
            out
        };
        Self {
            justerat,
            present: unions(&mut groups.iter().flat_map(|g| g.people.iter())),
            absent: unions(&mut absent.iter()),
        }
    }

    fn is_present(&self, organisation: &str) -> bool {
        self.present
            .iter()
            .any(|u| same_organisation(u, organisation))
    }

    fn is_absent(&self, organisation: &str) -> bool {
        self.absent
            .iter()
            .any(|u| same_organisation(u, organisation))
    }

    /// "Kommunal, Lärarnas Riksförbund (LR), SACO": for hints.
    fn present_list(&self) -> String {
        let names: Vec<String> = self
            .present
            .iter()
            .map(|u| match short_form(u) {
                Some(short) if !short.eq_ignore_ascii_case(u) => format!("{u} ({short})"),
                _ => u.clone(),
            })
            .collect();
        if names.is_empty() {
            "none (no one present has a `union`)".to_string()
        } else {
            names.join(", ")
        }
    }
}

/// Lowercase, whitespace folded: how organisation names are compared.
fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The organisation a name stands for: its full name if it is a listed short form, folded.
fn canonical(name: &str) -> String {
    let folded = fold(name);
    SHORT_FORMS
        .iter()
        .find(|(short, _)| fold(short) == folded)
        .map_or(folded, |(_, full)| fold(full))
}

/// Whether two names stand for the same organisation (in full or by a listed short form).
pub(crate) fn same_organisation(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

/// The listed short form of an organisation's full name: "Lärarnas Riksförbund" → "LR".
pub(crate) fn short_form(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    SHORT_FORMS
        .iter()
        .find(|(_, full)| fold(full) == folded)
        .map(|(short, _)| *short)
}

impl Validator {
    /// Which content a bilaga declares; `None` (after an error) if it gives both or neither.
    pub(super) fn bilaga_source<'a>(&mut self, b: &'a RawBilaga) -> Option<Source<'a>> {
        let id = b.id.get_ref();
        match (&b.file, b.topic.first()) {
            (Some(file), None) => Some(Source::File(file)),
            (None, Some(_)) => Some(Source::Yrkanden),
            (Some(file), Some(_)) => {
                self.error(
                    file.span(),
                    format!("bilaga `{id}` has both a `file` and yrkanden (`topic`)"),
                    Some(
                        "give its content either as a file or as [[bilaga.topic]] tables, not both",
                    ),
                );
                None
            }
            (None, None) => {
                self.error(
                    b.id.span(),
                    format!("bilaga `{id}` has no content"),
                    Some("give file = \"…\" or its yrkanden as [[bilaga.topic]] tables"),
                );
                None
            }
        }
    }

    /// A bilaga of yrkanden in topics, checked against the meeting.
    pub(super) fn yrkanden_bilaga(
        &mut self,
        b: &RawBilaga,
        number: usize,
        title: String,
        numbers: &HashMap<String, usize>,
        facts: &MeetingFacts,
    ) -> Bilaga {
        let from = b.from.as_deref().map(str::trim).filter(|f| !f.is_empty());
        if from.is_none() {
            self.error(
                b.id.span(),
                format!("bilaga `{}` has yrkanden but no `from`", b.id.get_ref()),
                Some("set from = \"Lärarnas Riksförbund\": the party that yrkar"),
            );
        }
        let party = match (&b.from_short, from) {
            (Some(short), _) => self.non_empty(short, "from_short"),
            (None, Some(f)) => short_form(f).unwrap_or(f).to_string(),
            (None, None) => String::new(),
        };
        let parties: Vec<&str> = [Some(party.as_str()), from].into_iter().flatten().collect();
        let number_of = |id: &str| numbers.get(id).copied();
        let topics = b
            .topic
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let prefix = format!("b{number}t{}", i + 1);
                self.topic(t, i + 1, &prefix, &parties, facts, &number_of)
            })
            .collect();
        Bilaga {
            id: b.id.get_ref().clone(),
            number,
            title,
            from: from.map(str::to_string),
            path: None,
            body: Markup::default(),
            yrkanden: Some(Yrkanden {
                party_genitive: swedish::genitive(&party),
                party,
                topics,
            }),
            signature: b.signature.as_ref().map(|s| self.signature(s)),
            assets: Vec::new(),
            pdf: None,
            place: self.place(b.id.span()),
        }
    }

    fn topic(
        &mut self,
        raw: &Spanned<RawTopic>,
        number: usize,
        prefix: &str,
        parties: &[&str],
        facts: &MeetingFacts,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Topic {
        let t = raw.get_ref();
        let title = self.non_empty(&t.title, "the topic's title");
        if t.yrkande.is_empty() {
            self.error(
                t.title.span(),
                format!("topic {number} (`{title}`) has no yrkande"),
                Some("add [[bilaga.topic.yrkande]] with text = \"att …\""),
            );
        }
        // The topic's heading is level 2 in the bilaga: its Markdown headings go below it.
        let reasoning = self.rich_below(t.reasoning.as_ref(), &format!("{prefix}r"), number_of, 2);
        let yrkanden = t
            .yrkande
            .iter()
            .enumerate()
            .map(|(j, y)| {
                let place = format!("yrkande {} of topic {number} (`{title}`)", j + 1);
                let prefix = format!("{prefix}y{}", j + 1);
                self.yrkande(y, &place, &prefix, parties, facts, number_of)
            })
            .collect();
        Topic {
            number,
            title,
            reasoning,
            yrkanden,
        }
    }

    fn yrkande(
        &mut self,
        raw: &Spanned<RawYrkande>,
        place: &str,
        prefix: &str,
        parties: &[&str],
        facts: &MeetingFacts,
        number_of: &dyn Fn(&str) -> Option<usize>,
    ) -> Yrkande {
        let y = raw.get_ref();
        if y.text.get_ref().trim().is_empty() {
            self.error(y.text.span(), format!("the text of {place} is empty"), None);
        }
        let text = self.rich_below(Some(&y.text), prefix, number_of, 2);
        let mut supported_by: Vec<String> = Vec::new();
        for s in &y.supported_by {
            if let Some(name) = self.supporter(s, &supported_by, parties, facts) {
                supported_by.push(name);
            }
        }
        let answered = y.answer.as_ref().filter(|a| !a.get_ref().trim().is_empty());
        if answered.is_none() {
            let span = y.answer.as_ref().map_or(raw.span(), Spanned::span);
            if facts.justerat {
                self.error(
                    span,
                    format!("{place} is not answered, but the protocol is justerat"),
                    Some("add answer = \"…\" (printed after \"Besvaras:\"), or remove `justerad` while the protocol is a draft"),
                );
            } else {
                self.warning(
                    span,
                    format!("{place} is not answered yet"),
                    Some("add answer = \"…\" (printed after \"Besvaras:\") before the protocol is justerat"),
                );
            }
        }
        let answer =
            answered.map(|a| self.rich_below(Some(a), &format!("{prefix}a"), number_of, 2));
        Yrkande {
            text,
            supported_by,
            answer,
        }
    }

    /// One supporter: an organisation present, not the party itself, not listed twice.
    fn supporter(
        &mut self,
        raw: &Spanned<String>,
        earlier: &[String],
        parties: &[&str],
        facts: &MeetingFacts,
    ) -> Option<String> {
        let name = self.non_empty(raw, "a supporter");
        if name.is_empty() {
            return None;
        }
        let span = raw.span();
        if parties.iter().any(|p| same_organisation(p, &name)) {
            self.error(
                span,
                format!("`{name}` is the party that yrkar; it cannot support its own yrkande"),
                Some("list only the other organisations that support it"),
            );
            return None;
        }
        if earlier.iter().any(|e| same_organisation(e, &name)) {
            self.error(span, format!("`{name}` supports this yrkande twice"), None);
            return None;
        }
        if !facts.is_present(&name) {
            let message = if facts.is_absent(&name) {
                format!("`{name}` supports a yrkande, but everyone from it is listed as absent")
            } else {
                format!("`{name}` is not an organisation present at the meeting")
            };
            let shorts: Vec<String> = SHORT_FORMS
                .iter()
                .map(|(s, f)| format!("{s} = {f}"))
                .collect();
            let hint = format!(
                "organisations present (the `union` of someone in [[attendance.group]]): {}; short forms: {}",
                facts.present_list(),
                shorts.join(", ")
            );
            self.error(span, message, Some(&hint));
            return None;
        }
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, SourceFile};

    #[test]
    fn organisations_match_ignoring_case_and_by_listed_short_forms_only() {
        assert!(same_organisation("LR", "Lärarnas Riksförbund"));
        assert!(same_organisation("lr", "LÄRARNAS  riksförbund"));
        assert!(same_organisation("SACO", "SACO-rådet"));
        assert!(same_organisation("saco-rådet", "SACO"));
        assert!(same_organisation("Kommunal", "kommunal"));
        assert!(!same_organisation("Lärarförbundet", "Lärarnas Riksförbund"));
        assert!(!same_organisation("LF", "Lärarförbundet"));
        assert!(!same_organisation("Vision", "Visio"));
        assert_eq!(short_form("Lärarnas riksförbund"), Some("LR"));
        assert_eq!(short_form("Vision"), None);
    }

    const HEADER: &str = r#"
[[bilaga]]
id = "lr"
title = "Yrkanden"
from = "Lärarnas Riksförbund"
"#;

    fn person(name: &str, union: &str) -> Person {
        Person {
            name: name.into(),
            role: None,
            huvudskyddsombud: false,
            union: Some(union.into()),
            remote: None,
            only: None,
            functions: Vec::new(),
        }
    }

    fn facts(justerat: bool) -> MeetingFacts {
        let groups = [Group {
            heading: "För arbetstagarna".into(),
            people: vec![
                person("A", "Lärarnas Riksförbund"),
                person("B", "SACO"),
                person("C", "Kommunal"),
                person("D", "Kommunal"),
            ],
        }];
        MeetingFacts::new(justerat, &groups, &[person("E", "Vision")])
    }

    /// Validates the one bilaga of `HEADER` + `body`; returns it and every problem as
    /// (line, "severity: message").
    fn check(body: &str, justerat: bool) -> (Option<Bilaga>, Vec<(usize, String)>) {
        check_in(HEADER, body, justerat)
    }

    fn check_in(
        header: &str,
        body: &str,
        justerat: bool,
    ) -> (Option<Bilaga>, Vec<(usize, String)>) {
        #[derive(serde::Deserialize)]
        struct File {
            bilaga: Vec<RawBilaga>,
        }
        let text = format!("{header}{body}");
        let raw: File = toml::from_str(&text).unwrap();
        let mut v = Validator {
            file: SourceFile::new("m.toml", text.clone()),
            problems: Vec::new(),
            pdf_work: crate::bilaga::pdf::Work::Convert,
            pdf_pages: Default::default(),
            table_cells: 0,
            budget: crate::bilaga::limits::Budget::default(),
            version: 0,
        };
        let b = &raw.bilaga[0];
        let bilaga = match v.bilaga_source(b) {
            Some(Source::Yrkanden) => {
                Some(v.yrkanden_bilaga(b, 2, "Yrkanden".into(), &HashMap::new(), &facts(justerat)))
            }
            _ => None,
        };
        let problems = v
            .problems
            .iter()
            .map(|d: &Diagnostic| {
                let (_, line, _) = d.position().unwrap();
                let kind = if d.is_error() { "error" } else { "warning" };
                (line, format!("{kind}: {}", d.message))
            })
            .collect();
        (bilaga, problems)
    }

    const ONE: &str = r#"
[[bilaga.topic]]
title = "Kompetensförsörjning"
reasoning = "Två viktiga rekryteringsfaktorer."

[[bilaga.topic.yrkande]]
text = "att förvaltningen *snarast* tar fram åtgärder"
supported_by = ["Kommunal", "saco-rådet"]
answer = "Förvaltningen har ett pågående arbete."
"#;

    #[test]
    fn a_complete_yrkande_is_clean_and_names_the_party_by_its_short_form() {
        let (bilaga, problems) = check(ONE, true);
        assert_eq!(problems, []);
        let y = bilaga.unwrap().yrkanden.unwrap();
        assert_eq!((y.party.as_str(), y.party_genitive.as_str()), ("LR", "LRs"));
        let topic = &y.topics[0];
        assert_eq!(
            (topic.number, topic.title.as_str()),
            (1, "Kompetensförsörjning")
        );
        let yrkande = &topic.yrkanden[0];
        assert!(
            yrkande.text.0.contains("#emph[snarast]"),
            "{:?}",
            yrkande.text
        );
        assert_eq!(yrkande.supported_by, ["Kommunal", "saco-rådet"]);
        assert!(yrkande.answer.is_some());
    }

    #[test]
    fn from_short_overrides_the_derived_party_name() {
        let (bilaga, _) = check(&format!("from_short = \"Riksförbundet\"\n{ONE}"), true);
        let y = bilaga.unwrap().yrkanden.unwrap();
        assert_eq!(y.party_genitive, "Riksförbundets");
    }

    #[test]
    fn an_unanswered_yrkande_warns_in_a_draft_and_fails_a_justerat_protocol() {
        let body = ONE.replace("answer = \"Förvaltningen har ett pågående arbete.\"\n", "");
        let line = 11; // the [[bilaga.topic.yrkande]] header
        let (bilaga, problems) = check(&body, false);
        assert_eq!(
            problems,
            [(
                line,
                "warning: yrkande 1 of topic 1 (`Kompetensförsörjning`) is not answered yet".into()
            )]
        );
        assert!(
            bilaga.unwrap().yrkanden.unwrap().topics[0].yrkanden[0]
                .answer
                .is_none()
        );
        let (_, problems) = check(&body, true);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, line);
        assert!(problems[0].1.starts_with("error: "), "{problems:?}");
        // An empty answer is no answer, reported at the answer itself.
        let blank = ONE.replace("\"Förvaltningen har ett pågående arbete.\"", "\" \"");
        let (_, problems) = check(&blank, true);
        assert_eq!(problems[0].0, 14);
        assert!(problems[0].1.contains("not answered"), "{problems:?}");
    }

    #[test]
    fn a_supporter_must_be_an_organisation_present() {
        let body = ONE.replace(
            "[\"Kommunal\", \"saco-rådet\"]",
            "[\"Kommunal\",\n  \"Unionen\",\n  \"Vision\",\n  \"kommunal\",\n  \"LR\"]",
        );
        let (_, problems) = check(&body, true);
        let messages: Vec<(usize, &str)> = problems.iter().map(|(l, m)| (*l, m.as_str())).collect();
        assert_eq!(
            messages,
            [
                (
                    14,
                    "error: `Unionen` is not an organisation present at the meeting"
                ),
                (
                    15,
                    "error: `Vision` supports a yrkande, but everyone from it is listed as absent"
                ),
                (16, "error: `kommunal` supports this yrkande twice"),
                (
                    17,
                    "error: `LR` is the party that yrkar; it cannot support its own yrkande"
                ),
            ]
        );
    }

    #[test]
    fn the_hint_lists_the_organisations_present_once_each() {
        let f = facts(false);
        assert_eq!(
            f.present_list(),
            "Lärarnas Riksförbund (LR), SACO, Kommunal"
        );
    }

    #[test]
    fn a_bilaga_needs_exactly_one_kind_of_content_and_yrkanden_a_party() {
        let (bilaga, problems) = check(&format!("file = \"x.md\"\n{ONE}"), false);
        assert!(bilaga.is_none());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 6);
        assert!(
            problems[0].1.contains("both a `file` and yrkanden"),
            "{problems:?}"
        );

        let (bilaga, problems) = check("", false);
        assert!(bilaga.is_none());
        assert_eq!(problems[0], (3, "error: bilaga `lr` has no content".into()));

        let header = HEADER.replace("from = \"Lärarnas Riksförbund\"\n", "");
        let (_, problems) = check_in(&header, ONE, false);
        assert_eq!(
            problems,
            [(3, "error: bilaga `lr` has yrkanden but no `from`".into())]
        );
    }

    #[test]
    fn a_topic_without_yrkanden_is_an_error_at_its_title() {
        let (_, problems) = check("[[bilaga.topic]]\ntitle = \"Chefsrekrytering\"\n", false);
        assert_eq!(
            problems,
            [(
                7,
                "error: topic 1 (`Chefsrekrytering`) has no yrkande".into()
            )]
        );
    }
}
