//! Finding personnummer and samordningsnummer in text: the guard's detector.
//!
//! A personnummer (folkbokföringslagen 18 §; Skatteverket SKV 704) is the birth date
//! `YYMMDD` (or `YYYYMMDD` with the century), a separator — `-`, or `+` from the year the
//! person turns 100 — and four digits, the last a Luhn check digit over the ten digits
//! `YYMMDDNNN`. A samordningsnummer (folkbokföringslagen 18 a §) is built the same way with
//! 60 added to the day (61–91). Written without a separator the number is ten or twelve
//! digits in a row.
//!
//! A match needs a real calendar date and a valid check digit, so dates (`2020-04-21`),
//! diarienummer (`AMN 2020-0211-1.4`), amounts (`450 000`) and organisationsnummer (month
//! 20 or more, e.g. `212000-0142`) do not trip it. A number masked in the usual way
//! (`800101-XXXX`) is not a match.

use std::ops::Range;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Personnummer,
    Samordningsnummer,
}

impl Kind {
    /// The Swedish name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Personnummer => "personnummer",
            Kind::Samordningsnummer => "samordningsnummer",
        }
    }
}

/// A number found in a text: its byte range and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub kind: Kind,
}

/// Every personnummer and samordningsnummer in `text`, in order, as byte ranges. A number
/// must stand apart from other digits (`1198001011234` is not one). Linear in the text.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run = digits_from(bytes, i);
        let after = i + run;
        let hit = match run {
            6 | 8
                if matches!(bytes.get(after), Some(b'-' | b'+'))
                    && digits_from(bytes, after + 1) == 4 =>
            {
                let mut ten = Vec::with_capacity(10);
                ten.extend_from_slice(&bytes[i..after]);
                ten.extend_from_slice(&bytes[after + 1..after + 5]);
                check(&ten).map(|kind| (kind, after + 5))
            }
            10 | 12 => check(&bytes[i..after]).map(|kind| (kind, after)),
            _ => None,
        };
        match hit {
            Some((kind, end)) => {
                found.push(Found {
                    range: i..end,
                    kind,
                });
                i = end;
            }
            None => i = after.max(i + 1),
        }
    }
    found
}

/// The number of ASCII digits from `at`.
fn digits_from(bytes: &[u8], at: usize) -> usize {
    bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

/// `digits` is `YYMMDDNNNN` or `YYYYMMDDNNNN` (ASCII digits): its kind if the date is real
/// and the check digit right.
fn check(digits: &[u8]) -> Option<Kind> {
    let d: Vec<u32> = digits.iter().map(|b| u32::from(b - b'0')).collect();
    let (year, rest) = match d.len() {
        10 => (None, &d[..]),
        12 => (Some(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]), &d[2..]),
        _ => return None,
    };
    let month = rest[2] * 10 + rest[3];
    let day = rest[4] * 10 + rest[5];
    let (kind, day) = if day > 60 {
        (Kind::Samordningsnummer, day - 60)
    } else {
        (Kind::Personnummer, day)
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if let Some(y) = year
        && !(1800..=2100).contains(&y)
    {
        return None;
    }
    luhn_valid(rest).then_some(kind)
}

/// Days in `month`; February has 29 when the year is unknown (no century) or a leap year.
fn days_in_month(year: Option<u32>, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

/// The Luhn (mod 10) check over ten digits, weights 2,1,2,1,… from the left: the sum of the
/// digit sums is a multiple of 10 (Skatteverket SKV 704, "Kontrollsiffran").
fn luhn_valid(ten: &[u32]) -> bool {
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let p = if i % 2 == 0 { d * 2 } else { d };
            p / 10 + p % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        find(s).into_iter().map(|f| &s[f.range]).collect()
    }

    #[test]
    fn finds_every_written_form() {
        // 811218-9876 is Skatteverket's own example of a valid number.
        assert_eq!(texts("pnr 811218-9876."), ["811218-9876"]);
        assert_eq!(texts("(811218+9876)"), ["811218+9876"]);
        assert_eq!(texts("19811218-9876"), ["19811218-9876"]);
        assert_eq!(texts("nr 198112189876,"), ["198112189876"]);
        assert_eq!(texts("8112189876"), ["8112189876"]);
    }

    #[test]
    fn samordningsnummer_has_day_plus_sixty() {
        // 701063-2391: born 1970-10-03, day 03 + 60.
        let f = find("701063-2391");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Kind::Samordningsnummer);
    }

    #[test]
    fn wrong_check_digit_is_not_a_number() {
        assert!(find("811218-9875").is_empty());
        assert!(find("198112189877").is_empty());
    }

    /// `prefix` (date, separator, three digits) with its right check digit appended.
    fn with_check(prefix: &str) -> String {
        let digits: Vec<u32> = prefix
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| u32::from(b - b'0'))
            .collect();
        let ten = &digits[digits.len() - 9..];
        let c = (0..10)
            .find(|c| luhn_valid(&[ten, &[*c]].concat()))
            .unwrap();
        format!("{prefix}{c}")
    }

    #[test]
    fn impossible_dates_are_not_numbers() {
        // Right check digits, impossible dates: month 13, day 32, day 0, 29 February 2019.
        for p in ["811318-987", "811232-987", "800100-123", "20190229-123"] {
            let s = with_check(p);
            assert!(find(&s).is_empty(), "{s}");
        }
        assert_eq!(find(&with_check("811231-987")).len(), 1);
    }

    #[test]
    fn leap_day_with_century_is_checked_against_the_year() {
        let leap = with_check("20000229-123");
        assert_eq!(texts(&leap), [leap.as_str()]);
        let not_leap = with_check("19000229-123");
        assert!(find(&not_leap).is_empty(), "1900 was not a leap year");
    }

    #[test]
    fn dates_diarienummer_amounts_and_organisationsnummer_do_not_trip_it() {
        let sample = "Mötet 2020-04-21 kl. 15:00. AMN 2020-0211-1.4, AMN 2019-0395-1.2.1. \
                      Bidrag om 450 000 kronor (450000 kr), 4 000 platser, tel. 08-508 25 000, \
                      organisationsnummer 212000-0142, SFS 2009:400, 2020-04-07.";
        assert!(find(sample).is_empty(), "{:?}", texts(sample));
    }

    #[test]
    fn masked_numbers_and_numbers_inside_longer_digit_runs_are_not_matched() {
        assert!(find("811218-XXXX").is_empty());
        assert!(find("1811218-9876").is_empty());
        assert!(find("811218-98761").is_empty());
        assert!(find("08112189876").is_empty());
    }

    /// Every text file of the samples and fixtures (meeting files, Markdown bilagor, the
    /// transcribed seeds when present) holds dates, diarienummer, amounts and telephone
    /// numbers, and not one personnummer: nothing may be found.
    #[test]
    fn the_samples_do_not_trip_the_detector() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        let mut stack = vec![root.join("data"), root.join("tests/fixtures")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "toml" || e == "md" || e == "txt")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let found: Vec<&str> =
                        find(&text).into_iter().map(|f| &text[f.range]).collect();
                    assert!(found.is_empty(), "{}: {found:?}", path.display());
                    files += 1;
                }
            }
        }
        assert!(files >= 10, "the samples were read ({files} files)");
    }

    #[test]
    fn ranges_are_byte_ranges_in_text_with_non_ascii() {
        let s = "Åsa Öberg, 811218-9876";
        let f = find(s);
        assert_eq!(&s[f[0].range.clone()], "811218-9876");
    }
}
