//! Role words: where a nämnd protocol names a person in running text it says in which
//! capacity they sat — "Ordföranden Anna Berg (S)", "vice ordföranden", "ledamoten",
//! "tjänstgörande ersättaren", "ersättaren" — derived here from the attendance, § by §
//! (a tjänstgörande ersättare who does not serve in a § is an ersättare there).
//!
//! Several people are grouped by capacity in the order first named: "Ledamoten Per Ås (M)
//! och tjänstgörande ersättaren Li Berg (Fi)", "ledamöterna A (M) och B (L) samt
//! tjänstgörande ersättaren C (C)" (issue 11, the forms of Stockholms stad's protocols).

use super::roster::{Entry, Role, display, split_mfl};
use crate::swedish;

/// The role word of a person in § `n`: (singular, plural), definite form, lower case.
/// `None` for someone who was not at the meeting.
pub fn role_word(e: &Entry, n: u32) -> Option<(&'static str, &'static str)> {
    Some(match e.role {
        Role::Ordforande => ("ordföranden", "ordförandena"),
        Role::ViceOrdforande => ("vice ordföranden", "vice ordförandena"),
        Role::Ledamot => ("ledamoten", "ledamöterna"),
        Role::Tjanstgorande if e.tjanstgor_in(n) => {
            ("tjänstgörande ersättaren", "tjänstgörande ersättarna")
        }
        Role::Tjanstgorande | Role::Ersattare => ("ersättaren", "ersättarna"),
        Role::Forhinder | Role::ForhinderErsattare => return None,
    })
}

/// People as running text names them, with their role words: each `(entry, m.fl.)`.
/// Lower case; the caller capitalises at the start of a sentence.
pub fn with_roles(people: &[(&Entry, bool)], n: u32) -> String {
    // Groups by role word, in the order first named; each keeps its people's order.
    let mut groups: Vec<((&str, &str), Vec<String>)> = Vec::new();
    for (e, mfl) in people {
        let name = if *mfl {
            format!("{} m.fl.", e.name)
        } else {
            e.name.clone()
        };
        let shown = display(&name, &e.party);
        let Some(word) = role_word(e, n) else {
            groups.push((("", ""), vec![shown]));
            continue;
        };
        match groups.iter_mut().find(|(w, _)| *w == word) {
            Some((_, list)) => list.push(shown),
            None => groups.push((word, vec![shown])),
        }
    }
    let phrases: Vec<String> = groups
        .iter()
        .map(|((one, many), list)| {
            let word = if list.len() == 1 { one } else { many };
            let names = swedish::join_and(list);
            if word.is_empty() {
                names
            } else {
                format!("{word} {names}")
            }
        })
        .collect();
    if groups.iter().all(|(_, l)| l.len() == 1) {
        swedish::join_and(&phrases)
    } else {
        match phrases.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} samt {last}", init.join(", ")),
        }
    }
}

/// References as written ("Johanna Sjö m.fl.") resolved against the present: the people
/// found, with whether "m.fl." followed. Unknown names are left out (validation reports
/// them).
pub fn resolve<'r, 's>(
    roster: &'r super::roster::Roster,
    names: impl IntoIterator<Item = &'s str>,
) -> Vec<(&'r Entry, bool)> {
    names
        .into_iter()
        .filter_map(|n| {
            let (bare, mfl) = split_mfl(n);
            roster.present(bare).map(|e| (e, mfl))
        })
        .collect()
}

/// "ordföranden Anna Berg (S)" → "Ordföranden Anna Berg (S)".
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, party: &str, role: Role) -> Entry {
        Entry {
            name: name.into(),
            party: party.into(),
            role,
            only: None,
        }
    }

    #[test]
    fn role_words_group_by_capacity() {
        let a = entry("Per Ås", "M", Role::Ledamot);
        let b = entry("Li Berg", "Fi", Role::Tjanstgorande);
        assert_eq!(
            upper_first(&with_roles(&[(&a, false), (&b, false)], 1)),
            "Ledamoten Per Ås (M) och tjänstgörande ersättaren Li Berg (Fi)"
        );
        let c = entry("Eva Ek", "L", Role::Ledamot);
        assert_eq!(
            with_roles(&[(&a, true), (&c, false), (&b, false)], 1),
            "ledamöterna Per Ås m.fl. (M) och Eva Ek (L) samt tjänstgörande ersättaren Li Berg (Fi)"
        );
        let chair = entry("Anna Berg", "S", Role::Ordforande);
        assert_eq!(
            with_roles(&[(&chair, false)], 1),
            "ordföranden Anna Berg (S)"
        );
    }
}
