//! Swedish forms of dates and lists, derived, never typed by the secretary.

use time::{Date, Month, Weekday};

pub fn month_name(month: Month) -> &'static str {
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

pub fn weekday_name(day: Weekday) -> &'static str {
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
pub fn long_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(date.month()),
        date.year()
    )
}

/// `Torsdag den 17 september 2020`
pub fn date_with_weekday(date: Date) -> String {
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
pub fn genitive(name: &str) -> String {
    let name = name.trim();
    match name.chars().last() {
        Some('s' | 'x' | 'z' | 'S' | 'X' | 'Z') | None => name.to_string(),
        Some(_) => format!("{name}s"),
    }
}

/// The first letter in lower case: "Arbetsmarknadsnämndens" → "arbetsmarknadsnämndens".
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `a`, `a och b`, `a, b och c`
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

/// The last beslut point the protocol adds for a § justerad omedelbart when no point of the
/// file says it: "Arbetsmarknadsnämnden beslutade att justera paragrafen omedelbart." The one
/// wording of it, for the protocol and the record alike (they must state the same point).
pub fn omedelbar_point(namnd: &str) -> String {
    format!("{namnd} beslutade att justera paragrafen omedelbart.")
}

#[cfg(test)]
mod tests {
    use super::*;

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
