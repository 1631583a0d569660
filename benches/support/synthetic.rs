//! A realistic synthetic archive for benchmarks and tests: N meetings derived from the FVG
//! samples in `data/`, with varied dates, names, § counts and bilagor. Each meeting gets its
//! own folder, so its bilagor can differ from the others'.

use std::path::{Path, PathBuf};

const SAMPLES: &[(&str, &str, &str)] = &[
    // (meeting file, its bilaga folder, the justerare to rename)
    ("2020-09-17.toml", "2020-09-17", "Anna Gräslund"),
    ("2020-04-16.toml", "2020-04-16", "Izabella Petre"),
];

const FIRST: &[&str] = &[
    "Maria", "Erik", "Lena", "Johan", "Sara", "Anders", "Eva", "Karl", "Ingrid", "Nils",
];
const LAST: &[&str] = &[
    "Lindqvist",
    "Holm",
    "Berg",
    "Ek",
    "Nyström",
    "Sandberg",
    "Åkesson",
    "Öberg",
];

/// Writes `n` meetings below `root` and returns their meeting files, in order.
pub fn generate(data: &Path, root: &Path, n: usize) -> Vec<PathBuf> {
    (0..n).map(|i| meeting(data, root, i)).collect()
}

fn name(i: usize, salt: usize) -> String {
    format!(
        "{} {}",
        FIRST[(i + salt) % FIRST.len()],
        LAST[(i / FIRST.len() + salt) % LAST.len()]
    )
}

fn meeting(data: &Path, root: &Path, i: usize) -> PathBuf {
    let (file, bilagor, justerare) = SAMPLES[i % SAMPLES.len()];
    let folder = root.join(format!("fvg-{i:04}"));
    copy_dir(&data.join("fvg").join(bilagor), &folder.join(bilagor));
    let day = time::Date::from_calendar_date(2011, time::Month::January, 3).unwrap()
        + time::Duration::days(7 * i as i64);
    let next = day + time::Duration::days(1);
    let mut text = std::fs::read_to_string(data.join("fvg").join(file)).unwrap();
    // A new date, a new chair and justerare: the same names are used throughout the file.
    text = text
        .lines()
        .map(|l| {
            if l.starts_with("date = ") {
                format!("date = {day}")
            } else if l.starts_with("justerad = ") {
                format!("justerad = {next}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    text = text
        .replace("Karina Uddén", &name(i, 0))
        .replace(justerare, &name(i, 3));
    // A varying number of extra §, before the closing one; every third meeting has an extra
    // bilaga, referred to from the last of them.
    let extra = i % 5;
    let closing_at = text.rfind("\n[[paragraf]]").unwrap();
    let mut inserted = String::new();
    for j in 1..=extra {
        let reference = if j == extra && i.is_multiple_of(3) {
            " Se {bilaga:extra}."
        } else {
            ""
        };
        inserted.push_str(&format!(
            "\n[[paragraf]]\ntitle = \"Övrig fråga {j}\"\ntext = \"\"\"\nFråga {j} vid möte {i} diskuterades.{reference}\n\"\"\"\n"
        ));
    }
    text.insert_str(closing_at, &inserted);
    if extra > 0 && i.is_multiple_of(3) {
        std::fs::write(
            folder.join(bilagor).join("extra.md"),
            format!("# Underlag\n\nUnderlag till möte {i}.[^1]\n\n- punkt ett\n- punkt två\n\n[^1]: Källa {i}.\n"),
        )
        .unwrap();
        text.push_str(&format!(
            "\n[[bilaga]]\nid = \"extra\"\ntitle = \"Underlag\"\nfrom = \"Förvaltningen\"\nfile = \"{bilagor}/extra.md\"\n"
        ));
    }
    // Each meeting's first bilaga differs a little from the others'.
    let first_bilaga = std::fs::read_dir(folder.join(bilagor))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .min()
        .unwrap();
    let mut content = std::fs::read_to_string(&first_bilaga).unwrap();
    content.push_str(&format!("\nTillägg för möte {i}.\n"));
    std::fs::write(&first_bilaga, content).unwrap();

    let path = folder.join(format!("{day}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Writes `n` small meetings below `root` — the minimal test meeting (three §, two Markdown
/// bilagor) with a date of its own, one folder each — and returns their meeting files. Cheap
/// to render (a 10,000-meeting archive in minutes), for measuring what grows with the
/// archive rather than with a meeting.
#[allow(dead_code)] // not every user of this module builds cheap archives
pub fn generate_cheap(fixture: &Path, root: &Path, n: usize) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(fixture.join("meeting.toml")).unwrap();
    (0..n)
        .map(|i| {
            let folder = root
                .join(format!("m{:02}", i / 100))
                .join(format!("m{i:05}"));
            copy_dir(&fixture.join("bilagor"), &folder.join("bilagor"));
            // From 1990: 10,000 days stay in the past (the site refuses a protocol justerat
            // after today).
            let day = time::Date::from_calendar_date(1990, time::Month::January, 3).unwrap()
                + time::Duration::days(i as i64);
            let text = text
                .replace("date = 2020-09-17", &format!("date = {day}"))
                .replace("justerad = 2020-09-18", &format!("justerad = {day}"));
            let path = folder.join("meeting.toml");
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}
