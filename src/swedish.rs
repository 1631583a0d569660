//! Swedish forms of dates, lists and people with their role words, derived, never typed
//! by the secretary.

use time::{Date, Month, Weekday};

use crate::meeting::model::namnd::{Capacity, Named};

pub(crate) fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "januari",
        Month::February => "februari",
        Month::March => "mars",
        Month::April => "april",
        Month::May => "maj",
        Month::June => "juni",
        Month::July => "juli",
        Month::August => "augusti",
        Month::September => "september",
        Month::October => "oktober",
        Month::November => "november",
        Month::December => "december",
    }
}

pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "måndag",
        Weekday::Tuesday => "tisdag",
        Weekday::Wednesday => "onsdag",
        Weekday::Thursday => "torsdag",
        Weekday::Friday => "fredag",
        Weekday::Saturday => "lördag",
        Weekday::Sunday => "söndag",
    }
}

/// `17 september 2020`
pub(crate) fn long_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(date.month()),
        date.year()
    )
}

/// `Torsdag den 17 september 2020`
pub(crate) fn date_with_weekday(date: Date) -> String {
    let weekday = weekday_name(date.weekday());
    let mut chars = weekday.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{capitalised} den {}", long_date(date))
}

/// The genitive of a name: "Arbetsmarknadsnämnden" → "Arbetsmarknadsnämndens"; a name
/// ending in s, x or z takes no extra s ("Stockholms" stays as it is).
pub(crate) fn genitive(name: &str) -> String {
    let name = name.trim();
    match name.chars().last() {
        Some('s' | 'x' | 'z' | 'S' | 'X' | 'Z') | None => name.to_string(),
        Some(_) => format!("{name}s"),
    }
}

/// The first letter in lower case: "Arbetsmarknadsnämndens" → "arbetsmarknadsnämndens".
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `a`, `a och b`, `a, b och c`
pub(crate) fn join_and(items: &[String]) -> String {
    join_last(items, &|init, last| format!("{init} och {last}"))
}

/// The items joined with ", ", the last one by `last(all before it, the last)`: a nämnd's
/// house style words that join its own way (`lista` in `documents::phrases`).
pub(crate) fn join_last(items: &[String], last: &dyn Fn(&str, &str) -> String) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., l] => last(&init.join(", "), l),
    }
}

/// "ordföranden Anna Berg (S)" → "Ordföranden Anna Berg (S)": a sentence's first letter.
pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The role word of a capacity: (singular, plural), definite form, lower case.
pub(crate) fn role_words(capacity: Capacity) -> (&'static str, &'static str) {
    match capacity {
        Capacity::Ordforande => ("ordföranden", "ordförandena"),
        Capacity::ViceOrdforande => ("vice ordföranden", "vice ordförandena"),
        Capacity::Ledamot => ("ledamoten", "ledamöterna"),
        Capacity::TjanstgorandeErsattare => {
            ("tjänstgörande ersättaren", "tjänstgörande ersättarna")
        }
        Capacity::Ersattare => ("ersättaren", "ersättarna"),
    }
}

/// "Johanna Sjö m.fl. (M)"
pub fn named(person: &Named) -> String {
    let name = if person.mfl {
        format!("{} m.fl.", person.name)
    } else {
        person.name.clone()
    };
    if person.party.trim().is_empty() {
        name
    } else {
        format!("{name} ({})", person.party)
    }
}

/// People as running text names them, with their role words, lower case (a sentence's
/// start is capitalised by its caller). Several are grouped by capacity in the order first
/// named: "ledamoten Per Ås (M) och tjänstgörande ersättaren Li Berg (Fi)", "ledamöterna
/// A (M) och B (L) samt tjänstgörande ersättaren C (C)" (issue 11, the forms of Stockholms
/// stad's protocols). The protocol's own joins them as its house style says
/// (`documents::phrases`).
#[cfg(test)]
pub(crate) fn with_roles(people: &[Named]) -> String {
    with_roles_joined(people, &|init, last| format!("{init} och {last}"))
}

/// [`with_roles`] with a list's last name joined by `last` (see [`join_last`]).
pub(crate) fn with_roles_joined(people: &[Named], last: &dyn Fn(&str, &str) -> String) -> String {
    // Groups by role word, in the order first named; each keeps its people's order.
    let mut groups: Vec<((&str, &str), Vec<String>)> = Vec::new();
    for p in people {
        let shown = named(p);
        let Some(word) = p.capacity.map(role_words) else {
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
            let names = join_last(list, last);
            if word.is_empty() {
                names
            } else {
                format!("{word} {names}")
            }
        })
        .collect();
    if groups.iter().all(|(_, l)| l.len() == 1) {
        join_last(&phrases, last)
    } else {
        match phrases.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} samt {last}", init.join(", ")),
        }
    }
}

/// The last beslut point the protocol adds for a § justerad omedelbart when no point of the
/// file says it: "Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart." The one
/// wording of it, for the protocol and the record alike (they must state the same point).
pub(crate) fn omedelbar_point(namnd: &str) -> String {
    format!("{namnd} beslutade att justera paragrafen omedelbart.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, party: &str, capacity: Capacity, mfl: bool) -> Named {
        Named {
            name: name.into(),
            party: party.into(),
            mfl,
            capacity: Some(capacity),
        }
    }

    #[test]
    fn role_words_group_by_capacity() {
        let a = person("Per Ås", "M", Capacity::Ledamot, false);
        let b = person("Li Berg", "Fi", Capacity::TjanstgorandeErsattare, false);
        assert_eq!(
            upper_first(&with_roles(&[a.clone(), b.clone()])),
            "Ledamoten Per Ås (M) och tjänstgörande ersättaren Li Berg (Fi)"
        );
        let a_mfl = person("Per Ås", "M", Capacity::Ledamot, true);
        let c = person("Eva Ek", "L", Capacity::Ledamot, false);
        assert_eq!(
            with_roles(&[a_mfl, c, b]),
            "ledamöterna Per Ås m.fl. (M) och Eva Ek (L) samt tjänstgörande ersättaren Li Berg (Fi)"
        );
        let chair = person("Anna Berg", "S", Capacity::Ordforande, false);
        assert_eq!(with_roles(&[chair]), "ordföranden Anna Berg (S)");
    }

    #[test]
    fn genitive_adds_s_unless_the_name_ends_in_a_sibilant() {
        assert_eq!(genitive("LR"), "LRs");
        assert_eq!(genitive("Vision"), "Visions");
        assert_eq!(genitive("Lärarnas Riksförbund"), "Lärarnas Riksförbunds");
        assert_eq!(genitive("Lars"), "Lars");
        assert_eq!(genitive("Max"), "Max");
        assert_eq!(genitive("SSR"), "SSRs");
        assert_eq!(genitive(""), "");
    }
    use time::macros::date;

    #[test]
    fn genitive_of_a_namnd() {
        assert_eq!(genitive("Arbetsmarknadsnämnden"), "Arbetsmarknadsnämndens");
        assert_eq!(genitive("Stockholms"), "Stockholms");
        assert_eq!(
            lower_first("Arbetsmarknadsnämndens"),
            "arbetsmarknadsnämndens"
        );
    }

    #[test]
    fn weekday_and_date_of_the_seed_meetings() {
        assert_eq!(
            date_with_weekday(date!(2020 - 09 - 17)),
            "Torsdag den 17 september 2020"
        );
        assert_eq!(
            date_with_weekday(date!(2020 - 04 - 16)),
            "Torsdag den 16 april 2020"
        );
        assert_eq!(
            date_with_weekday(date!(2015 - 03 - 01)),
            "Söndag den 1 mars 2015"
        );
    }

    #[test]
    fn lists_join_with_och() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["§1-7"])), "§1-7");
        assert_eq!(join_and(&v(&["§1-7", "§9"])), "§1-7 och §9");
        assert_eq!(join_and(&v(&["§1", "§3", "§9"])), "§1, §3 och §9");
    }
}
