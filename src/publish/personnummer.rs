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

/// What the text around a number says about it: the meeting's date (a date-time stamp of
/// the meeting, `200421-1500`, is not a number) and the numbers the meeting file declares
/// not to be personnummer.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Context {
    /// The meeting's day: (year, month, day).
    pub meeting: Option<(u32, u32, u32)>,
    /// Numbers declared not to be personnummer (`[[inte_personnummer]]`), as their digits.
    pub(crate) not_numbers: Vec<String>,
}

/// Every personnummer and samordningsnummer in `text`, in order, as byte ranges of `text`,
/// in every way of writing it (see [`super::normalise`]) and with no context.
pub fn find(text: &str) -> Vec<Found> {
    find_in(text, &Context::default())
}

/// Every personnummer and samordningsnummer in `text`, read as a reader reads it
/// ([`super::normalise`]), as byte ranges of `text`. A number must stand apart from other
/// digits (`1198001011234` is not one). Linear in the text.
pub(crate) fn find_in(text: &str, context: &Context) -> Vec<Found> {
    let n = super::normalise::normalise(text);
    detect(&n.text, context, true)
        .into_iter()
        .map(|f| Found {
            range: n.source(&f.range),
            kind: f.kind,
        })
        .collect()
}

/// Every number in `text` with a personnummer's shape, date and check digit, whatever the
/// words around it say: for finding where a number an output holds without its words (a
/// search index) is written.
pub(crate) fn find_any(text: &str) -> Vec<Found> {
    let n = super::normalise::normalise(text);
    detect(&n.text, &Context::default(), false)
        .into_iter()
        .map(|f| Found {
            range: n.source(&f.range),
            kind: f.kind,
        })
        .collect()
}

/// The digits of every number in `text` that has a personnummer's shape, date and check
/// digit but that `context` tells apart from one (a stamp of the meeting, a payment
/// reference after "OCR", a telephone number): what a text that keeps the number but not
/// the words around it (a search index) may still hold.
pub(crate) fn excused(text: &str, context: &Context) -> Vec<String> {
    let n = super::normalise::normalise(text);
    let kept = detect(&n.text, context, true);
    detect(&n.text, context, false)
        .into_iter()
        .filter(|f| !kept.iter().any(|k| k.range == f.range))
        .map(|f| {
            n.text[f.range]
                .chars()
                .filter(char::is_ascii_digit)
                .collect()
        })
        .collect()
}

/// Separators between the digit groups of one number: a hyphen (every dash is one after
/// normalising), a plus (aged 100 or more), a space, or the full stop and slash some write
/// instead of the hyphen (`811218.9876`, `811218/9876`; a middle dot reads as a full stop).
fn is_separator(b: u8) -> bool {
    matches!(b, b'-' | b'+' | b' ' | b'.' | b'/')
}

/// Separators that may stand before a number's last four in place of the hyphen.
fn is_last_four_separator(b: u8) -> bool {
    matches!(b, b'-' | b'+' | b'.' | b'/')
}

/// The finds in normalised text (ASCII digits, `-` for every dash, one space for any);
/// `excuse`: leave out what the context tells apart from a number.
fn detect(text: &str, context: &Context, excuse: bool) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // The digit groups from here, each after one separator: at most five.
        let mut groups: Vec<(usize, usize, u8)> = Vec::new();
        let mut at = i;
        let mut sep = 0u8;
        while groups.len() < 5 {
            let run = digits_from(bytes, at);
            groups.push((at, at + run, sep));
            let next = at + run;
            match bytes.get(next) {
                Some(&b) if is_separator(b) && digits_from(bytes, next + 1) > 0 => {
                    sep = b;
                    at = next + 1;
                }
                _ => break,
            }
        }
        let hit = shape(bytes, &groups).and_then(|(digits, end, separated)| {
            check(&digits)
                .filter(|_| !(excuse && is_something_else(text, i, &digits, separated, context)))
                .map(|kind| (kind, end))
        });
        match hit {
            Some((kind, end)) => {
                found.push(Found {
                    range: i..end,
                    kind,
                });
                i = end;
            }
            None => i = groups[0].1.max(i + 1),
        }
    }
    found
}

/// The number the first digit groups form, if they have a personnummer's shape: `YYMMDDNNNN`
/// or `YYYYMMDDNNNN` in one group; `YYMMDD-NNNN` or `YYYYMMDD-NNNN`; the date itself
/// separated `YY MM DD-NNNN`, `YYYY-MM-DD-NNNN`. The digits, the end, and whether a
/// separator stood before the last four.
fn shape(bytes: &[u8], groups: &[(usize, usize, u8)]) -> Option<(Vec<u8>, usize, bool)> {
    let len = |g: &(usize, usize, u8)| g.1 - g.0;
    let lens: Vec<usize> = groups.iter().map(len).collect();
    let take = |n: usize| -> Vec<u8> {
        groups[..n]
            .iter()
            .flat_map(|g| bytes[g.0..g.1].iter().copied())
            .collect()
    };
    let date_seps = |n: usize| groups[1..n].iter().all(|g| g.2 != b'+');
    match lens.as_slice() {
        [10 | 12, ..] => Some((take(1), groups[0].1, false)),
        [6 | 8, 4, ..] => Some((take(2), groups[1].1, true)),
        [2 | 4, 2, 2, 4, ..] if date_seps(3) => Some((take(4), groups[3].1, true)),
        _ => spaced_inside(groups, &lens).map(|n| (take(n), groups[n - 1].1, true)),
    }
}

/// A number with a space inside its date or its last four (`8112 18-9876`, `811218-98 76`,
/// `81 12 18-98 76`): the number of groups it takes. The last four must follow a hyphen,
/// plus, full stop or slash — never only a space — so telephone numbers grouped by spaces
/// (`070-123 45 67`, `08-508 25 000`) are left alone: their digits before the hyphen are
/// never a date's six or eight.
fn spaced_inside(groups: &[(usize, usize, u8)], lens: &[usize]) -> Option<usize> {
    let mut date = 0;
    for k in 1..groups.len() {
        date += lens[k - 1];
        if date > 8 || (k > 1 && groups[k - 1].2 != b' ') {
            return None;
        }
        if !(date == 6 || date == 8) || !is_last_four_separator(groups[k].2) {
            continue;
        }
        let mut tail = 0;
        for (e, len) in lens.iter().enumerate().skip(k) {
            if e > k && groups[e].2 != b' ' {
                break;
            }
            tail += len;
            if tail == 4 {
                return Some(e + 1);
            }
            if tail > 4 {
                break;
            }
        }
    }
    None
}

/// Context words before a number written without separators that say it is a telephone
/// number or a payment reference.
const OTHER_NUMBER_WORDS: &[&str] = &[
    "tel",
    "tfn",
    "telefon",
    "telefonnummer",
    "telnr",
    "mobil",
    "mobilnummer",
    "mobiltelefon",
    "mob",
    "sms",
    "fax",
    "växel",
    "ocr",
    "ocr-nummer",
    "ocr-nr",
    "ocrnummer",
    "referens",
    "referensnummer",
    "ref",
    "betalningsreferens",
    "bankgiro",
    "bankgironummer",
    "bg",
    "plusgiro",
    "pg",
    "fakturanummer",
    "faktura",
    "fakturanr",
    "kundnummer",
    "ordernummer",
    "avinummer",
];

/// Words before a number that say it is one.
const NUMBER_WORDS: &[&str] = &[
    "personnummer",
    "personnr",
    "pnr",
    "samordningsnummer",
    "samordningsnr",
    "född",
    "f",
];

/// Whether a number of the right shape is, by its context, something else: a number the
/// meeting file declares not to be one; a mobile number written without separators
/// (`0704875749`: Swedish mobile numbers begin 070) or a number after "tel", "OCR",
/// "bankgiro" … (only without separators: `811218-9876` after "OCR" is still refused); a
/// date-time stamp near the meeting's day (`200421-1500`: the last four a time of day).
fn is_something_else(
    text: &str,
    at: usize,
    digits: &[u8],
    separated: bool,
    context: &Context,
) -> bool {
    let as_str = String::from_utf8_lossy(digits);
    if context.not_numbers.iter().any(|n| {
        let short = |d: &str| {
            if d.len() == 12 {
                d[2..].to_string()
            } else {
                d.to_string()
            }
        };
        short(n) == short(&as_str)
    }) {
        return true;
    }
    let word = word_before(text, at);
    if NUMBER_WORDS.contains(&word.as_str()) {
        return false;
    }
    if !separated
        && (digits.len() == 10 && digits.starts_with(b"070")
            || OTHER_NUMBER_WORDS.contains(&word.as_str()))
    {
        return true;
    }
    is_date_time(digits, context)
}

/// The word before byte `at`, lower case, past spaces and `:`, `.`, `#`, `(`.
fn word_before(text: &str, at: usize) -> String {
    let before = text[..at].trim_end_matches([' ', ':', '.', '#', '(', ',']);
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    before[start..].to_lowercase()
}

/// `YYMMDDHHMM` (or with the century) whose last four are a time of day and whose date is
/// within a year of the meeting's: a stamp of the meeting, not a person's number.
fn is_date_time(digits: &[u8], context: &Context) -> bool {
    let Some((my, mm, md)) = context.meeting else {
        return false;
    };
    let d: Vec<u32> = digits.iter().map(|b| u32::from(b - b'0')).collect();
    let (year, rest) = match d.len() {
        12 => (d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], &d[4..]),
        10 => {
            let yy = d[0] * 10 + d[1];
            // The century that puts the date nearest the meeting.
            let base = my - my % 100;
            let candidates = [base - 100 + yy, base + yy, base + 100 + yy];
            let y = candidates
                .into_iter()
                .min_by_key(|y| y.abs_diff(my))
                .unwrap_or(base + yy);
            (y, &d[2..])
        }
        _ => return false,
    };
    let (month, day, hour, minute) = (
        rest[0] * 10 + rest[1],
        rest[2] * 10 + rest[3],
        rest[4] * 10 + rest[5],
        rest[6] * 10 + rest[7],
    );
    if hour > 23 || minute > 59 {
        return false;
    }
    let days = |y: u32, m: u32, d: u32| i64::from(y) * 372 + i64::from(m) * 31 + i64::from(d);
    (days(year, month, day) - days(my, mm, md)).abs() <= 372
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
    fn a_space_inside_a_group_or_a_stop_or_slash_for_the_hyphen_is_still_the_number() {
        // Found by review (issue 22): each published a number the guard passed.
        for written in [
            "811218-98 76",
            "8112 18-9876",
            "81 12 18-98 76",
            "1981 1218-9876",
            "811218/9876",
            "811218.9876",
            "811218\u{B7}9876",
            "81.12.18-9876",
            "811218+98 76",
        ] {
            let text = format!("Sökande {written} beviljas.");
            assert_eq!(texts(&text), [written], "{written:?}");
        }
    }

    #[test]
    fn telephone_numbers_grouped_by_spaces_are_not_numbers() {
        // 0701234567 is a real date (2007-01-23) and would pass the check digit one time in
        // ten: grouped like a telephone number it is never read as one.
        for written in [
            "070-123 45 67",
            "0701-23 45 67",
            "08-508 25 000",
            "070 123 45 67",
            "3.14 och 1/2",
            "version 2.0.1",
        ] {
            assert!(
                find(written).is_empty(),
                "{written:?}: {:?}",
                texts(written)
            );
        }
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
                // The publication cases plant numbers on purpose (issue 22).
                if path.ends_with("tests/fixtures/publication") {
                    continue;
                }
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

    /// A small deterministic generator (an LCG), so the corpus is the same every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % below
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| char::from(b'0' + self.next(10) as u8))
                .collect()
        }
    }

    /// The rates in docs/publishing.md ("False positives, measured"): a generated corpus of
    /// what is not a personnummer (mobile numbers without separators, date-times of the
    /// meeting's year, payment references, landline numbers) and of real personnummer in
    /// every written form. `cargo test --lib false_positive_rates -- --nocapture` prints them.
    #[test]
    fn false_positive_rates_on_a_generated_corpus() {
        let ctx = Context {
            meeting: Some((2020, 4, 21)),
            not_numbers: Vec::new(),
        };
        let mut r = Lcg(22);
        let rate = |hits: usize, of: usize| 100.0 * hits as f64 / of as f64;
        let count = |texts: &[String]| {
            texts
                .iter()
                .filter(|t| !find_in(t, &ctx).is_empty())
                .count()
        };
        // Mobile numbers, 070 + seven digits, as secretaries write them.
        let mobiles: Vec<String> = (0..10_000)
            .map(|i| {
                let n = format!("070{}", r.digits(7));
                match i % 3 {
                    0 => format!("Kontakt {n}."),
                    1 => n,
                    _ => format!("tel. {n}"),
                }
            })
            .collect();
        // Every quarter hour of 2020 as YYMMDD-HHMM, YYYYMMDD-HHMM and YYMMDDHHMM.
        let mut stamps = Vec::new();
        for month in 1..=12u32 {
            for day in 1..=days_in_month(Some(2020), month) {
                for q in 0..96 {
                    let (h, m) = (q / 4, (q % 4) * 15);
                    stamps.push(format!("Möte 20{month:02}{day:02}-{h:02}{m:02}"));
                    stamps.push(format!("2020{month:02}{day:02}-{h:02}{m:02}"));
                    stamps.push(format!("id 20{month:02}{day:02}{h:02}{m:02}"));
                }
            }
        }
        // Payment references with a Luhn check digit, after "OCR" / "bankgiro" / "referens".
        let words = ["OCR", "OCR-nummer", "bankgiro", "referens", "fakturanummer"];
        let ocr: Vec<String> = (0..10_000)
            .map(|i| {
                let nine = r.digits(9);
                let d: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
                let c = (0..10)
                    .find(|c| luhn_valid(&[&d[..], &[*c]].concat()))
                    .unwrap();
                format!("{} {nine}{c}", words[i % words.len()])
            })
            .collect();
        // Landline numbers (Göteborg 031, Västerås 021, Malmö 040) written plainly after "tel".
        let landlines: Vec<String> = (0..10_000)
            .map(|i| format!("tel {}{}", ["031", "021", "040", "011"][i % 4], r.digits(7)))
            .collect();
        // Telephone numbers grouped by spaces after the area code's hyphen, as written.
        let grouped: Vec<String> = (0..10_000)
            .map(|i| {
                let d = r.digits(7);
                match i % 5 {
                    0 => format!("Ring 070-{} {} {}", &d[..3], &d[3..5], &d[5..]),
                    1 => format!("Ring 0701-{} {} {}", &d[..2], &d[2..4], &d[4..6]),
                    2 => format!("Ring 070 {} {} {}", &d[..3], &d[3..5], &d[5..]),
                    3 => format!("Ring 08-{} {} {}", &d[..3], &d[3..6], r.digits(2)),
                    _ => format!("Ring 031-{} {} {}", &d[..2], &d[2..4], &d[4..6]),
                }
            })
            .collect();
        let fp = [
            (
                "telephone numbers grouped by spaces",
                count(&grouped),
                grouped.len(),
            ),
            (
                "mobile numbers without separators",
                count(&mobiles),
                mobiles.len(),
            ),
            (
                "date-times of the meeting's year",
                count(&stamps),
                stamps.len(),
            ),
            (
                "payment references after their word",
                count(&ocr),
                ocr.len(),
            ),
            (
                "landline numbers after \"tel\"",
                count(&landlines),
                landlines.len(),
            ),
        ];
        for (what, hits, of) in fp {
            assert_eq!(
                hits,
                0,
                "false positives, {what}: {hits} of {of} ({:.2} %)",
                rate(hits, of)
            );
        }
        // Without a word before them, such numbers cannot be told from a personnummer written
        // without its hyphen: measured, for the docs (the way out is [[inte_personnummer]]).
        let bare_land: Vec<String> = (0..10_000)
            .map(|i| {
                format!(
                    "Ring {}{}",
                    ["031", "021", "040", "011"][i % 4],
                    r.digits(7)
                )
            })
            .collect();
        let bare_ocr: Vec<String> = (0..10_000)
            .map(|_| {
                let nine = r.digits(9);
                let d: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
                let c = (0..10)
                    .find(|c| luhn_valid(&[&d[..], &[*c]].concat()))
                    .unwrap();
                format!("Betala till {nine}{c}")
            })
            .collect();
        // Six digits, a full stop or slash, four digits: a decimal number or a reference
        // written so cannot be told from a personnummer written with a stop for its hyphen.
        let decimals: Vec<String> = (0..10_000)
            .map(|i| {
                let sep = if i % 2 == 0 { '.' } else { '/' };
                format!("Värde {}{sep}{}", r.digits(6), r.digits(4))
            })
            .collect();
        for (what, texts) in [
            ("six digits, stop or slash, four digits", &decimals),
            ("landline numbers, no word before", &bare_land),
            ("Luhn-valid references, no word before", &bare_ocr),
        ] {
            // docs/publishing.md gives the measured rates (2.56 % and 7.14 %); a change that
            // makes them much worse must be seen.
            let hits = count(texts);
            assert!(
                rate(hits, texts.len()) < 10.0,
                "taken for a number, {what}: {hits} of {} ({:.2} %)",
                texts.len(),
                rate(hits, texts.len())
            );
        }
        // Real numbers: birth dates 1930-2010, every written form.
        let mut found = 0;
        let mut total = 0;
        for _ in 0..2_000 {
            let year = 1930 + r.next(81) as u32;
            let month = 1 + r.next(12) as u32;
            let day = 1 + r.next(u64::from(days_in_month(Some(year), month))) as u32;
            let samordning = r.next(10) == 0;
            let dd = if samordning { day + 60 } else { day };
            let nine = format!("{:02}{month:02}{dd:02}{}", year % 100, r.digits(3));
            let d: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
            let c = (0..10)
                .find(|c| luhn_valid(&[&d[..], &[*c]].concat()))
                .unwrap();
            let (date, serial) = (&nine[..6], format!("{}{c}", &nine[6..]));
            let century = year / 100;
            for form in [
                format!("{date}-{serial}"),
                format!("{date} {serial}"),
                format!("{date}\u{2013}{serial}"),
                format!("{date}\u{2011}{serial}"),
                format!("{date}\u{A0}{serial}"),
                format!("{date}-\n{serial}"),
                format!("{date}-{}\u{AD}{}", &serial[..2], &serial[2..]),
                format!("{century}{date}-{serial}"),
                format!("{century}{date}{serial}"),
                format!("{date}{serial}"),
                format!("{}-{}-{}-{serial}", &date[..2], &date[2..4], &date[4..]),
                format!("pnr {date}{serial}"),
                format!("{date}-{} {}", &serial[..2], &serial[2..]),
                format!("{} {}-{serial}", &date[..4], &date[4..]),
                format!("{date}.{serial}"),
                format!("{date}/{serial}"),
                format!("{date}\u{B7}{serial}"),
            ] {
                total += 1;
                if !find_in(&format!("Sökanden {form}."), &ctx).is_empty() {
                    found += 1;
                }
            }
        }
        assert!(
            rate(found, total) > 99.5,
            "personnummer found: {found} of {total} ({:.2} %)",
            rate(found, total)
        );
    }

    #[test]
    fn date_times_phone_numbers_and_references_are_not_numbers() {
        let ctx = Context {
            meeting: Some((2020, 4, 21)),
            not_numbers: Vec::new(),
        };
        let t = "Kontakt 0704875749 eller 0707215901. Mötesid 200421-1500 (20200421-1500). Betala med OCR 2904205263.";
        assert!(find_in(t, &ctx).is_empty(), "{:?}", find_in(t, &ctx));
        // The same digits with a hyphen are written as a personnummer is: found.
        assert_eq!(find_in("OCR 290420-5263", &ctx).len(), 1);
        assert_eq!(find_in("pnr 0707215901", &ctx).len(), 1);
        let declared = Context {
            not_numbers: vec!["8112189876".into()],
            ..ctx
        };
        assert!(find_in("811218-9876", &declared).is_empty());
    }

    #[test]
    fn ranges_are_byte_ranges_in_text_with_non_ascii() {
        let s = "Åsa Öberg, 811218-9876";
        let f = find(s);
        assert_eq!(&s[f[0].range.clone()], "811218-9876");
    }
}
