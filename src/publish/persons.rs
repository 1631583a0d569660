//! People withheld from the web edition (e.g. skyddad identitet): `sekretess = "…"` on a
//! member or person of the attendance. The web edition's model has their name replaced by the
//! notice wherever it writes it — the attendance, votes, proposals, reservations, jäv, every
//! text converted from the meeting file ([`super::redact::web_protocol`] visits every text of
//! the model, so no list of fields can miss one). A bilaga's own file is not rewritten: mark
//! its text apart ([`unreplaced_mentions`] finds what is not).

use std::ops::Range;

use super::marks::notice;

/// A withheld person: the name as written, the reason, and the mark's place (read by
/// [`super::source::Source::of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldPerson {
    pub name: String,
    pub reason: String,
    pub span: Range<usize>,
    /// The party's letters, for an elected member ("M"): "Strand (M)" names her too.
    pub party: Option<String>,
}

/// What the web edition calls each withheld person: the notice, numbered when more than one
/// person is withheld (names must stay apart for the votes and the roster).
pub(crate) fn stand_ins(people: &[WithheldPerson]) -> Vec<String> {
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

/// Reasons that say a mark protects a person's identity (Skatteverket's terms for what
/// "skyddad identitet" covers), lower case.
const PROTECTING_REASONS: &[&str] = &[
    "skyddad identitet",
    "skyddade personuppgifter",
    "sekretessmarkering",
    "skyddad folkbokföring",
];

/// The people a text marks protected by a span of their name alone with a reason that says
/// so: `{sekretess:skyddad identitet}Åsa Lind{/sekretess}` protects Åsa Lind — the way to
/// protect someone the attendance does not list (a sökande, a relative). Such a person is
/// withheld as one of the attendance is: looked for wherever else the texts name them, in
/// every usual form. A longer span, or one with another reason, withholds what it says
/// there, not the names in it: a ledamot named inside it may lawfully be named elsewhere.
/// `span` of each is its mark's place in `text`.
pub(crate) fn protected_by_span(text: &str) -> Vec<WithheldPerson> {
    let mut out: Vec<WithheldPerson> = Vec::new();
    for s in super::marks::spans(text).0 {
        // The reason read as a reader reads it: written decomposed ("folkbo" + U+0308
        // "ring", as a Mac gives it), escaped or with another space, it says the same.
        let read = super::normalise::normalise(s.reason).text;
        let reason = read.trim();
        if !PROTECTING_REASONS.contains(&reason.to_lowercase().as_str()) {
            continue;
        }
        let inner = super::normalise::normalise(&text[s.open.end..s.close.start]).text;
        let words: Vec<&str> = inner.split_whitespace().collect();
        let is_name = (2..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || c == '-')
            });
        let name = words.join(" ");
        if is_name && !out.iter().any(|p| p.name == name) {
            out.push(WithheldPerson {
                name,
                reason: reason.to_string(),
                span: s.whole(),
                party: None,
            });
        }
    }
    out
}

/// Whether `text[at..at + len]` stands as a whole name: no letter or digit either side, and
/// no hyphen joining it to another word ("Lena Strand-Berg" is another person).
fn stands_alone(text: &str, at: usize, len: usize) -> bool {
    let mut before = text[..at].chars().rev();
    let mut after = text[at + len..].chars();
    let joined = |c: Option<char>, next: Option<char>| {
        c.is_some_and(char::is_alphanumeric)
            || (c == Some('-') && next.is_some_and(char::is_alphanumeric))
    };
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    !joined(b1, b2) && !joined(a1, a2)
}

/// Where `name` stands alone in `text` (see [`stands_alone`]), in order, not overlapping.
pub(crate) fn whole_name_at(text: &str, name: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut last = 0;
    if name.is_empty() {
        return out;
    }
    for (at, _) in text.match_indices(name) {
        if at < last || !stands_alone(text, at, name.len()) {
            continue;
        }
        out.push(at);
        last = at + name.len();
    }
    out
}

/// Replaces `word` where it is not part of a longer word (see [`stands_alone`]).
pub(crate) fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in whole_name_at(text, word) {
        out.push_str(&text[last..at]);
        out.push_str(with);
        last = at + word.len();
    }
    out.push_str(&text[last..]);
    out
}

/// A mention of a withheld person that the replacement of the name as written does not
/// reach: its place in `text` and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    pub range: Range<usize>,
    pub person: usize,
}

/// Every mention of a withheld person in `text` in a usual form other than the name exactly
/// as written (which the web edition's redaction replaces): another case, other spaces or a
/// line break inside ("LENA STRAND", "Lena⏎Strand"), the genitive ("Lena Strands"), the initial with the
/// surname ("L. Strand"), the surname with the party ("Strand (M)"), the surname first
/// ("Strand, Lena"), the names run together or joined as in a web address ("LenaStrand",
/// "lena-strand", "lena_strand"), the surname after a role word ("ledamoten Strand") and the
/// initials with the party ("LS (M)"). A name joined by a hyphen to another ("Lena
/// Strand-Berg") is another person's.
/// `replaced`: whether the name exactly as written is replaced in this text (the meeting
/// file) or not (a bilaga, where every mention must be marked).
pub(crate) fn unreplaced_mentions(
    text: &str,
    people: &[WithheldPerson],
    replaced: bool,
) -> Vec<Mention> {
    let n = super::normalise::normalise(text);
    let t = &n.text;
    // Words of the normalised text: letters and digits, with hyphens inside.
    let mut words: Vec<(Range<usize>, String)> = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        let inside = c.is_alphanumeric()
            || (c == '-'
                && start.is_some()
                && t[i + 1..].chars().next().is_some_and(char::is_alphanumeric));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s..i, t[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (pi, p) in people.iter().enumerate() {
        // The name read as the text is (composed, one kind of space and dash), so that a
        // name written decomposed on either side is the same name.
        let name: Vec<String> = super::normalise::normalise(&p.name)
            .text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let Some(surname) = name.last() else { continue };
        let first_initial = name.first().and_then(|f| f.chars().next());
        let is_surname = |w: &str| {
            w == surname
                || w.strip_suffix('s') == Some(surname)
                || w.strip_suffix("s'") == Some(surname)
        };
        let mut push = |r: Range<usize>| {
            let source = n.source(&r);
            // The name exactly as the loaded meeting holds it (its letters composed, its
            // escapes decoded, whichever way the file wrote them), standing alone: the
            // replacement takes it.
            let exact = replaced
                && super::normalise::as_loaded(&text[source.clone()])
                    == super::normalise::as_loaded(&p.name)
                && stands_alone(text, source.start, source.len());
            let inside = |m: &Mention| m.range.start <= source.start && source.end <= m.range.end;
            if !exact && !out.iter().any(inside) {
                out.push(Mention {
                    range: source,
                    person: pi,
                });
            }
        };
        for i in 0..words.len() {
            // The whole name, any case and spacing, the last word maybe in the genitive.
            if i + name.len() <= words.len()
                && name.len() > 1
                && name[..name.len() - 1]
                    .iter()
                    .zip(&words[i..])
                    .all(|(a, (_, b))| a == b)
                && is_surname(&words[i + name.len() - 1].1)
            {
                push(words[i].0.start..words[i + name.len() - 1].0.end);
                continue;
            }
            // "L. Strand", "L Strand".
            if name.len() > 1
                && i + 1 < words.len()
                && words[i].1.chars().count() == 1
                && words[i].1.chars().next() == first_initial
                && is_surname(&words[i + 1].1)
                && t[words[i].0.end..words[i + 1].0.start]
                    .trim_matches([' ', '.'])
                    .is_empty()
            {
                push(words[i].0.start..words[i + 1].0.end);
                continue;
            }
            // "Strand, Lena": the surname, a comma, the other names in order — not a list
            // of the whole name ("Lena Strand, Lena Strand"), where the surname ends one
            // name and the first name begins the next.
            let given = &name[..name.len().saturating_sub(1)];
            let given_at = |at: usize| {
                at + given.len() <= words.len()
                    && given.iter().zip(&words[at..]).all(|(a, (_, b))| a == b)
            };
            if name.len() > 1
                && words[i].1 == *surname
                && i + name.len() <= words.len()
                && t[words[i].0.end..words[i + 1].0.start].trim() == ","
                && given_at(i + 1)
                && !(i >= given.len() && given_at(i - given.len()))
                && words
                    .get(i + name.len())
                    .is_none_or(|(_, w)| !is_surname(w))
            {
                push(words[i].0.start..words[i + name.len() - 1].0.end);
                continue;
            }
            // "LenaStrand", "lena-strand" (a web address's slug; `_` is read away): the
            // names run together, the last maybe in the genitive.
            if name.len() > 1 {
                let word = &words[i].1;
                let run: String = name.concat();
                let slug = name.join("-");
                if [&run, &slug]
                    .iter()
                    .any(|n| word == *n || word.strip_suffix('s') == Some(n.as_str()))
                {
                    push(words[i].0.clone());
                    continue;
                }
            }
            // "ledamoten Strand", "ersättaren Strands".
            if name.len() > 1
                && i > 0
                && is_surname(&words[i].1)
                && ROLE_WORDS.contains(&words[i - 1].1.as_str())
                && t[words[i - 1].0.end..words[i].0.start].trim().is_empty()
            {
                push(words[i - 1].0.start..words[i].0.end);
                continue;
            }
            // "LS (M)": the initials, written in capitals, with the party.
            if name.len() > 1
                && let Some(party) = &p.party
                && words[i].1.chars().count() == name.len()
                && words[i].1.chars().zip(&name).all(|(c, n)| n.starts_with(c))
                && text[n.source(&words[i].0)].chars().all(char::is_uppercase)
                && t[words[i].0.end..]
                    .trim_start()
                    .strip_prefix('(')
                    .and_then(|r| r.split_once(')'))
                    .is_some_and(|(letters, _)| letters.trim().eq_ignore_ascii_case(party))
            {
                push(words[i].0.clone());
                continue;
            }
            // "Strand (M)".
            if name.len() > 1 && is_surname(&words[i].1) {
                let after = &t[words[i].0.end..];
                let party = after
                    .trim_start()
                    .strip_prefix('(')
                    .and_then(|r| r.split_once(')'));
                if let Some((letters, _)) = party {
                    let letters = letters.trim();
                    let same = match &p.party {
                        Some(party) => letters.eq_ignore_ascii_case(party),
                        None => !letters.is_empty() && letters.len() <= 3,
                    };
                    let whole_name_before = i >= name.len() - 1
                        && name[..name.len() - 1]
                            .iter()
                            .zip(&words[i + 1 - name.len()..i])
                            .all(|(a, (_, b))| a == b);
                    if same && !whole_name_before {
                        push(words[i].0.start..words[i].0.end);
                    }
                }
            }
        }
    }
    out.sort_by_key(|m| m.range.start);
    out
}

/// Words that name a member by role before the surname alone ("ledamoten Strand").
const ROLE_WORDS: &[&str] = &[
    "ledamoten",
    "ledamot",
    "ersättaren",
    "ersättare",
    "ordföranden",
    "ordförande",
    "vice",
    "tjänstgörande",
    "ledamöterna",
    "ersättarna",
    "justeraren",
    "sekreteraren",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_of_a_name_alone_marked_skyddad_identitet_protects_the_person() {
        let t = "Sökande {sekretess:skyddad identitet}Åsa  Lind{/sekretess}, granne \
                 {sekretess:Skyddad identitet}Bo Ek, Storgatan 5{/sekretess}, \
                 {sekretess:personuppgift}Per Holm{/sekretess} och \
                 {sekretess:skyddad identitet}hennes dotter{/sekretess}.";
        let names: Vec<String> = protected_by_span(t).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["Åsa Lind"]);
    }

    /// Found by a tester: a reason written decomposed (o + U+0308) was not recognised, and
    /// every other mention of the person published.
    #[test]
    fn a_protecting_reason_is_recognised_in_any_normalisation_form() {
        for reason in [
            "skyddad folkbokfo\u{308}ring",
            "skyddad folkbokf\\u00F6ring",
            "Skyddad\u{A0}identitet",
            "skyddad folkbokföring",
        ] {
            let t = format!("Sökande {{sekretess:{reason}}}Åsa Lind{{/sekretess}}.");
            let found = protected_by_span(&t);
            assert_eq!(found.len(), 1, "{reason}");
            assert!(
                ["skyddad folkbokföring", "Skyddad identitet"].contains(&found[0].reason.as_str()),
                "{:?}",
                found[0].reason
            );
        }
    }

    #[test]
    fn names_are_replaced_as_whole_words_only() {
        let t = "Per Ek (S), Per Ekholm (M) och Per Ek.";
        assert_eq!(
            replace_word(t, "Per Ek", "X"),
            "X (S), Per Ekholm (M) och X."
        );
    }

    #[test]
    fn a_hyphenated_name_is_another_person() {
        assert_eq!(
            replace_word("Lena Strand-Berg och Lena Strand.", "Lena Strand", "X"),
            "Lena Strand-Berg och X."
        );
    }

    /// The mentions of Lena Strand (M), withheld, in `t` (the name as written is replaced).
    fn lena_strand_in(t: &str) -> Vec<&str> {
        let people = [WithheldPerson {
            name: "Lena Strand".into(),
            reason: "skyddad identitet".into(),
            span: 0..0,
            party: Some("M".into()),
        }];
        unreplaced_mentions(t, &people, true)
            .iter()
            .map(|m| &t[m.range.clone()])
            .collect()
    }

    #[test]
    fn usual_forms_of_a_withheld_name_are_found() {
        let t = "Lena Strands yrkande. Strand (M) reserverade sig. L. Strand\n(M) och Lena\nStrand; LENA STRAND, Lena Strand, Lena Strand-Berg (M), Lena\u{A0}Strand.";
        let found = lena_strand_in(t);
        assert_eq!(
            found,
            [
                "Lena Strands",
                "Strand",
                "L. Strand",
                "Lena\nStrand",
                "LENA STRAND",
                "Lena\u{A0}Strand"
            ]
        );
    }

    /// Found by review (issue 22): each of these published her name.
    #[test]
    fn the_surname_first_run_together_after_a_role_word_or_as_initials_is_found() {
        let t = "Strand, Lena yrkade. Se stockholm.se/lena-strand och LenaStrand. \
                 Ledamoten Strand reserverade sig, liksom LS (M). Lena Str\u{200B}and.";
        let found = lena_strand_in(t);
        assert_eq!(
            found,
            [
                "Strand, Lena",
                "lena-strand",
                "LenaStrand",
                "Ledamoten Strand",
                "LS",
                "Lena Str\u{200B}and"
            ]
        );
        // Not her: another Strand without a role word or her first name, other initials,
        // initials in lower case, another party.
        let other = "Per Strand, Jonas yrkade. ls (M), LB (M), LS (S), Strandvägen 3.";
        assert!(lena_strand_in(other).is_empty());
    }

    #[test]
    fn several_people_get_numbered_stand_ins() {
        let p = |n: &str| WithheldPerson {
            name: n.into(),
            reason: "skyddad identitet".into(),
            span: 0..0,
            party: None,
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
