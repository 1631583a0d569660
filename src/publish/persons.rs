//! People withheld from the web edition (e.g. skyddad identitet): `sekretess = "…"` on a
//! member or person of the attendance. Their name is replaced by the notice wherever the
//! meeting file writes it — the attendance, votes, proposals, reservations, jäv, every
//! Markdown text — before the web edition's model is made, so no list of fields can miss
//! one. Bilagor are not rewritten: mark their text apart.

use std::ops::Range;

use crate::meeting::raw::RawProtocol;

use super::marks::notice;

/// A withheld person: the name as written, the reason, and the mark's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldPerson {
    pub name: String,
    pub reason: String,
    pub span: Range<usize>,
}

/// The people the meeting file withholds, in the order of the file.
pub fn withheld(raw: &RawProtocol) -> Vec<WithheldPerson> {
    let mut out = Vec::new();
    let mut add = |name: &str, mark: &Option<toml::Spanned<String>>| {
        if let Some(m) = mark {
            out.push(WithheldPerson {
                name: name.trim().to_string(),
                reason: m.get_ref().trim().to_string(),
                span: m.span(),
            });
        }
    };
    match raw {
        RawProtocol::Fvg(m) => {
            for p in m
                .attendance
                .absent
                .iter()
                .chain(m.attendance.group.iter().flat_map(|g| g.people.iter()))
            {
                add(p.get_ref().name.get_ref(), &p.get_ref().sekretess);
            }
        }
        RawProtocol::Namnd(m) => {
            let a = &m.attendance;
            for p in a
                .ordforande
                .iter()
                .chain(a.vice_ordforande.iter())
                .chain(a.ledamoter.iter())
                .chain(a.tjanstgorande.iter())
                .chain(a.ersattare.iter())
                .chain(a.forhinder.iter())
            {
                add(p.get_ref().name.get_ref(), &p.get_ref().sekretess);
            }
        }
    }
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// What the web edition calls each withheld person: the notice, numbered when more than one
/// person is withheld (names must stay apart for the votes and the roster).
pub fn stand_ins(people: &[WithheldPerson]) -> Vec<String> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = notice(&p.reason);
            if people.len() > 1 {
                format!(
                    "{} {}",
                    n.trim_end_matches(']'),
                    format_args!("({})]", i + 1)
                )
            } else {
                n
            }
        })
        .collect()
}

/// `text` (the meeting file) with every whole-word occurrence of each withheld name replaced
/// by its stand-in. Linear in the text for each person.
pub fn rewrite(text: &str, people: &[WithheldPerson]) -> String {
    let mut out = text.to_string();
    for (p, stand_in) in people.iter().zip(stand_ins(people)) {
        if p.name.is_empty() {
            continue;
        }
        out = replace_word(&out, &p.name, &stand_in);
    }
    out
}

/// Replaces `word` where it is not part of a longer word (the characters either side are not
/// letters or digits).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(word) {
        if at < last {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(with);
        last = at + word.len();
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_replaced_as_whole_words_only() {
        let t = "Per Ek (S), Per Ekholm (M) och Per Ek.";
        assert_eq!(
            replace_word(t, "Per Ek", "X"),
            "X (S), Per Ekholm (M) och X."
        );
    }

    #[test]
    fn several_people_get_numbered_stand_ins() {
        let p = |n: &str| WithheldPerson {
            name: n.into(),
            reason: "skyddad identitet".into(),
            span: 0..0,
        };
        assert_eq!(
            stand_ins(&[p("A"), p("B")]),
            [
                "[Uppgift borttagen: skyddad identitet (1)]",
                "[Uppgift borttagen: skyddad identitet (2)]"
            ]
        );
        assert_eq!(
            stand_ins(&[p("A")]),
            ["[Uppgift borttagen: skyddad identitet]"]
        );
    }
}
