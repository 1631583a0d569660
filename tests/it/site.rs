//! `assemble site`: the public archive as a static website (issue 16). The pages are read
//! as files here; `browser` reads them in a real browser.

use std::path::{Path, PathBuf};

use crate::common::{assemble, copy_dir, repo, stderr, stdout};

/// Builds the site of `inputs` into `out` with the real binary; panics on failure.
pub fn site(cwd: &Path, inputs: &[&str], out: &Path) -> String {
    let mut args = vec!["site"];
    args.extend_from_slice(inputs);
    let out_s = out.to_string_lossy().into_owned();
    args.extend_from_slice(&["-o", &out_s]);
    let o = assemble(cwd, &args);
    assert!(o.status.success(), "site failed: {}", stderr(&o));
    stdout(&o)
}

/// A copy of the sample archive (`data/`), in `<tmp>/data`.
pub fn sample_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &dir.path().join("data"));
    dir
}

/// The hostile string planted in a meeting: markup and script that must stay text.
pub const HOSTILE: &str = "<script>document.title='pwned'</script><img src=x onerror=document.title='img'> <b>html</b> {{ 7*7 }}";

/// The sample AMN meeting with [`HOSTILE`] as the title and in a decision of § 33, in
/// `<tmp>/data/amn/`.
pub fn hostile_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let amn = dir.path().join("data/amn");
    copy_dir(&repo().join("data/amn/2020-04-21"), &amn.join("2020-04-21"));
    let text = std::fs::read_to_string(repo().join("data/amn/2020-04-21.toml")).unwrap();
    let text = text
        .replace(
            "title = \"Inriktning för feriejobb 2020\"",
            &format!("title = \"{HOSTILE}\""),
        )
        .replace(
            "inriktning för feriejobb 2020.\",",
            &format!("inriktning för feriejobb 2020. {HOSTILE}\","),
        );
    assert!(text.matches(HOSTILE).count() == 2, "the sample changed");
    std::fs::write(amn.join("2020-04-21.toml"), text).unwrap();
    dir
}

fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The site's cache as published: its header and every year's file of meetings.
pub fn cache_text(site: &Path) -> String {
    let mut text = read(&site.join(".protokoll-site.json"));
    let mut years: Vec<PathBuf> = std::fs::read_dir(site.join(".protokoll-site/moten"))
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .collect();
    years.sort();
    for y in years {
        text.push('\n');
        text.push_str(&read(&y));
    }
    text
}

/// Each meeting's entry in the site's cache: `[page path, entry]`, one a line.
fn cache_entries(site: &Path) -> Vec<(String, serde_json::Value)> {
    cache_text(site)
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A copy of the FVG meeting of 2020-04-16 held a year earlier, `data/fvg/2019-04-16.toml`
/// (a meeting of another year: its own year pages and part of the search index); the
/// archive's FVG folder.
fn a_2019_meeting(arkiv: &Path) -> PathBuf {
    let fvg = arkiv.join("data/fvg");
    let text = read(&fvg.join("2020-04-16.toml"))
        .replace("justerad = 2020-04-17", "justerad = 2019-04-17")
        .replace("date = 2020-04-16", "date = 2019-04-16");
    std::fs::write(fvg.join("2019-04-16.toml"), text).unwrap();
    fvg
}

#[test]
fn sample_archive_builds_index_meeting_and_person_pages() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("3 meetings, 1 coming"), "{said}");
    let index = read(&out.join("index.html"));
    assert!(index.contains("<html lang=\"sv\">"));
    assert!(
        index.contains(
            "<h2 id=\"organ-1\"><a href=\"organ/arbetsmarknadsnamnden/\">Arbetsmarknadsnämnden</a></h2>"
        ),
        "{index}"
    );
    // The start page links each organ's years; a year's page lists its protocols
    // (issue 28: a page does not grow with the archive).
    assert!(
        index.contains(
            "<li><a href=\"organ/arbetsmarknadsnamnden/2020/\">2020</a> (1 protokoll)</li>"
        ),
        "{index}"
    );
    let year = read(&out.join("organ/arbetsmarknadsnamnden/2020/index.html"));
    assert!(
        year.contains("<h1>Arbetsmarknadsnämnden 2020</h1>"),
        "{year}"
    );
    assert!(year.contains("href=\"../../../amn/2020-04-21/\""), "{year}");
    assert!(!year.contains("fvg/2020-09-17/"), "{year}");
    // The draft (not justerad) is never on the site.
    assert!(!out.join("amn/2015-paragraf-8-9").exists());

    let amn = read(&out.join("amn/2020-04-21/index.html"));
    assert!(amn.contains("<h3 id=\"p33-h\">§ 33 Inriktning för feriejobb 2020</h3>"));
    assert!(amn.contains("Diarienummer: AMN 2020-0211-1.4"));
    assert!(amn.contains("<h4>Beslutsgång</h4>"));
    assert!(amn.contains("<th scope=\"col\">Röst</th>"));
    assert!(amn.contains("<h4>Reservationer</h4>"));
    assert!(amn.contains("href=\"../../person/anna-ekblom/\""));
    // Marked spans are withheld from the site exactly as from the web edition.
    assert!(
        amn.contains("[Uppgift borttagen enligt OSL 26 kap. 1 §]"),
        "{amn}"
    );
    for (path, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Åsa Lind") && !text.contains("en enskild deltagare vid Jobbtorg"),
            "withheld text in {}",
            path.display()
        );
    }

    // A person's page lists the years; each year's page the meetings and votes.
    let person = read(&out.join("person/per-lindqvist/index.html"));
    assert!(person.contains("<h1>Per Lindqvist (M)</h1>"), "{person}");
    assert!(
        person.contains("<tr><th scope=\"row\"><a href=\"2020/\">2020</a></th><td>1</td><td>"),
        "{person}"
    );
    let year = read(&out.join("person/per-lindqvist/2020/index.html"));
    assert!(year.contains("<h1>Per Lindqvist (M) 2020</h1>"), "{year}");
    assert!(
        year.contains("§ 33</a></th><td>Inriktning för feriejobb 2020</td><td>Nej</td>"),
        "{year}"
    );
    assert!(out.join("pagefind/pagefind-ui.js").is_file());
    assert!(out.join("sok/index.html").is_file());
}

#[test]
fn site_bytes_are_deterministic_and_a_noop_rebuild_writes_nothing() {
    let arkiv = sample_archive();
    let (a, b) = (arkiv.path().join("a"), arkiv.path().join("b"));
    site(arkiv.path(), &["data"], &a);
    site(arkiv.path(), &["data"], &b);
    assert!(files(&a) == files(&b), "two builds differ");
    let again = site(arkiv.path(), &["data"], &a);
    assert!(again.contains("(0 read), 0 files written"), "{again}");
}

#[test]
fn site_rewrites_only_the_changed_meeting_and_removes_a_gone_one() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let amn_page = out.join("amn/2020-04-21/index.html");
    let fvg_page = out.join("fvg/2020-09-17/index.html");
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let (amn_before, fvg_before) = (mtime(&amn_page), mtime(&fvg_page));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let fvg = arkiv.path().join("data/fvg/2020-09-17.toml");
    let text = read(&fvg);
    std::fs::write(&fvg, text.replacen("title = \"", "title = \"Ändrad ", 1)).unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    assert_eq!(
        mtime(&amn_page),
        amn_before,
        "an unchanged meeting's page was rewritten"
    );
    assert_ne!(mtime(&fvg_page), fvg_before);
    assert!(read(&fvg_page).contains("Ändrad "));

    let organ_year = out.join("organ/fvg/2020/index.html");
    assert!(read(&organ_year).contains("fvg/2020-09-17/"));
    std::fs::remove_file(&fvg).unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(!fvg_page.exists(), "{said}");
    assert!(!read(&organ_year).contains("fvg/2020-09-17/"));
}

#[test]
fn hostile_meeting_text_is_escaped_in_the_html() {
    let arkiv = hostile_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let page = read(&out.join("amn/2020-04-21/index.html"));
    assert!(!page.contains("<script>document"), "raw script in the page");
    assert!(!page.contains("<img src=x"), "raw img in the page");
    assert!(!page.contains("<b>html"), "raw markup in the page");
    assert!(page.contains("&lt;script&gt;document.title="), "{page}");
    assert!(page.contains("{{ 7*7 }}"), "template code ran");
}

#[test]
fn site_with_a_personnummer_in_a_meeting_fails_and_changes_nothing() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let before = files(&out);
    let amn = arkiv.path().join("data/amn/2020-04-21.toml");
    let text = read(&amn).replacen(
        "godkänna förvaltningens inriktning",
        "godkänna 811218-9876 inriktning",
        1,
    );
    std::fs::write(&amn, text).unwrap();
    let o = assemble(arkiv.path(), &["site", "data", "-o", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2020-04-21.toml:"), "{}", stderr(&o));
    assert!(files(&out) == before, "the site changed");
}

#[test]
fn site_publishes_the_web_edition_pdfs_beside_the_meeting_page() {
    let arkiv = sample_archive();
    let o = assemble(arkiv.path(), &["publish", "data/amn/2020-04-21.toml"]);
    assert!(o.status.success(), "publish failed: {}", stderr(&o));
    let out = arkiv.path().join("site");
    let o = assemble(
        arkiv.path(),
        &[
            "site",
            "data",
            "--editions",
            "out/webb",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "site failed: {}", stderr(&o));
    let pdf = out.join("amn/2020-04-21/2020-04-21-webb.pdf");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        std::fs::read(arkiv.path().join("out/webb/amn/2020-04-21-webb.pdf")).unwrap()
    );
    let page = read(&out.join("amn/2020-04-21/index.html"));
    assert!(
        page.contains("<a href=\"2020-04-21-webb.pdf\">Protokollet (webbutgåva, PDF)</a>"),
        "{page}"
    );
    // Every web-edition PDF publish wrote for the meeting (extracts too) is linked.
    for e in std::fs::read_dir(arkiv.path().join("out/webb/amn")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("2020-04-21-") && name.contains("webb") && name.ends_with(".pdf") {
            assert!(out.join("amn/2020-04-21").join(&name).is_file(), "{name}");
        }
    }
    // The official edition is never on the site.
    assert!(!out.join("amn/2020-04-21/2020-04-21.pdf").exists());
}

/// The FVG pages showed § 7, 8 and 10 as bare headings and § 9 as a diarienummer: the
/// sub-items, statements and closings of an FVG § were left out of the site. Each kind of §
/// content the PDF prints is on the page.
#[test]
fn fvg_meeting_page_shows_every_item_statement_closing_and_bilaga_reference() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let page = read(&out.join("fvg/2020-09-17/index.html"));
    // Text of a § of its own.
    assert!(page.contains("Dagordningen godkändes."), "{page}");
    // Information items: each with its heading, text and statements.
    assert!(
        page.contains("<h4 id=\"p7-3-h\">Introduktion av nyanställda</h4>"),
        "{page}"
    );
    assert!(page.contains("den halvdag för nyanställda"), "{page}");
    assert!(
        page.contains(
            "<p><strong>Lärarnas Riksförbund</strong> ställde frågan om det finns information"
        ),
        "{page}"
    );
    // § 10 has items with statements only.
    assert!(page.contains("<h4 id=\"p10-1-h\">Covid-19</h4>"), "{page}");
    assert!(
        page.contains("om det märkts något på sjukstatistiken."),
        "{page}"
    );
    // § 9: each nämndärende with its own diarienummer and text.
    assert!(
        page.contains("Anmälan enligt Lex Sarah i egen regi inom Jobbtorg Stockholm</h4>\n<p class=\"dnr\">Diarienummer: AMN 2020-0702-1.3, AMN 2020-0576-1.3</p>"),
        "{page}"
    );
    // A bilaga reference: the number, and the § lists it with a link.
    assert!(page.contains("se bilaga 2."), "{page}");
    assert!(
        page.contains(
            "<p>Bilagor: <a href=\"#bilaga-2\">bilaga 2</a>, <a href=\"#bilaga-3\">bilaga 3</a></p>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<li id=\"bilaga-1\">Bilaga 1: Bemanningsplanering, arbetssätt"),
        "{page}"
    );
    // A § closing after its items.
    assert!(
        page.contains("<p>Protokollet lades sedan till handlingarna.</p>"),
        "{page}"
    );
    // An item's closing (the other FVG meeting).
    let april = read(&out.join("fvg/2020-04-16/index.html"));
    assert!(
        april.contains("Biläggs protokollet. Se bilaga 1"),
        "{april}"
    );
}

/// Issue 28: the site's cost follows the change. After one meeting is edited, the rebuild
/// reads that meeting only and leaves another year's part of the search index as it was —
/// and gives, byte for byte, the site a fresh build of the same archive gives (the cache
/// and the stored search records included).
#[test]
fn site_rebuilt_after_an_edit_is_byte_identical_to_a_fresh_build() {
    let arkiv = sample_archive();
    // A meeting of another year: its own part of the search index.
    let fvg = a_2019_meeting(arkiv.path());
    let out = arkiv.path().join("site");
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("4 meetings, 1 coming (5 read)"), "{said}");
    let part_2019 = out.join("pagefind/delar/2019/pagefind-entry.json");
    let part_2020 = out.join("pagefind/delar/2020/pagefind-entry.json");
    assert!(part_2019.is_file() && part_2020.is_file());
    let search = read(&out.join("sok/index.html"));
    assert!(search.contains("data-delar=\"2019 2020\""), "{search}");
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before_2019 = mtime(&part_2019);
    std::thread::sleep(std::time::Duration::from_millis(20));

    let edited = fvg.join("2020-09-17.toml");
    let text = read(&edited);
    std::fs::write(&edited, text.replacen("title = \"", "title = \"Ändrad ", 1)).unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    assert_eq!(
        mtime(&part_2019),
        before_2019,
        "another year's part of the search index was rebuilt"
    );

    // The planned meeting (data/amn/2020-05-19.toml) moved: the coming list follows.
    let planned = arkiv.path().join("data/amn/2020-05-19.toml");
    let text = read(&planned);
    std::fs::write(
        &planned,
        text.replacen(
            "place = \"Stadshuset, Rosa rummet\"",
            "place = \"Medborgarhuset\"",
            1,
        ),
    )
    .unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    let index = read(&out.join("index.html"));
    assert!(
        index.contains("19 maj 2020 kl. 15:00</strong><br>Medborgarhuset"),
        "{index}"
    );

    let fresh = arkiv.path().join("fresh");
    site(arkiv.path(), &["data"], &fresh);
    let (a, b) = (files(&out), files(&fresh));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the two sites hold different files");
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{} differs between the rebuilt and the fresh site",
            p.display()
        );
    }

    // The other year's only meeting gone: its part goes with it, and again the same bytes.
    std::fs::remove_file(fvg.join("2019-04-16.toml")).unwrap();
    site(arkiv.path(), &["data"], &out);
    assert!(!out.join("pagefind/delar/2019").exists());
    let fresh = arkiv.path().join("fresh2");
    site(arkiv.path(), &["data"], &fresh);
    assert!(
        files(&out) == files(&fresh),
        "the sites differ after a removal"
    );
}

/// A site built by an earlier version (a cache of another format): every meeting is read
/// again, the files the old cache lists that are no longer made (its single search index's
/// fragments) are removed, and the meeting pages it also listed stay.
#[test]
fn a_site_cache_of_an_older_format_rebuilds_and_removes_what_is_no_longer_made() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let old = out.join("pagefind/fragment/sv_old.pf_fragment");
    std::fs::write(&old, "gammalt").unwrap();
    std::fs::write(
        out.join(".protokoll-site.json"),
        r#"{"meetings":{"amn/2020-04-21":["key",{}]},"files":["amn/2020-04-21/index.html","pagefind/fragment/sv_old.pf_fragment"]}"#,
    )
    .unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(4 read)"), "{said}");
    assert!(!old.exists(), "{said}");
    assert!(out.join("amn/2020-04-21/index.html").is_file(), "{said}");
}

/// The pages many meetings share are paged by year (issue 28): a person's page lists the
/// years they are recorded in, each with its own page of meetings; an organ's page lists
/// its years, each with its page of protocols. An edit touches only its own year's pages
/// (another year's are not made again), and when a year's last meeting goes, its pages go
/// with it — the rebuilt site the same, byte for byte, as a fresh build.
#[test]
fn people_and_organs_are_paged_by_year_and_an_edit_makes_only_its_year_again() {
    let arkiv = sample_archive();
    let fvg = a_2019_meeting(arkiv.path());
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);

    let person = read(&out.join("person/karina-udden/index.html"));
    let (y2020, y2019) = (
        person.find("<a href=\"2020/\">2020</a>"),
        person.find("<a href=\"2019/\">2019</a>"),
    );
    assert!(
        y2020.is_some() && y2019.is_some() && y2020 < y2019,
        "newest year first: {person}"
    );
    let p2019 = out.join("person/karina-udden/2019/index.html");
    let year = read(&p2019);
    assert!(year.contains("href=\"../../../fvg/2019-04-16/\""), "{year}");
    assert!(!year.contains("fvg/2020-"), "only 2019's meetings: {year}");
    let organ = read(&out.join("index.html"));
    let organs: Vec<String> = organ
        .split("href=\"organ/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_string))
        .collect();
    let fvg_2019 = organs
        .iter()
        .find(|o| o.ends_with("/2019/"))
        .unwrap_or_else(|| panic!("no organ year 2019 on the start page: {organ}"));
    let o2019 = out.join(format!("organ/{fvg_2019}index.html"));
    assert!(read(&o2019).contains("href=\"../../../fvg/2019-04-16/\""));

    // A meeting of 2020 edited so that the people's pages change (a person renamed): the
    // 2019 pages are not made again.
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before = (mtime(&p2019), mtime(&o2019));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let edited = fvg.join("2020-04-16.toml");
    std::fs::write(
        &edited,
        read(&edited).replace("Ulrika Klemets", "Ulrika Klemets-Ny"),
    )
    .unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    assert_eq!(
        (mtime(&p2019), mtime(&o2019)),
        before,
        "2019's pages made again"
    );
    // (She is in the other meeting of 2020 under her old name too.)
    assert!(
        out.join("person/ulrika-klemets-ny/2020/index.html")
            .is_file()
    );
    assert!(!out.join("person/ulrika-klemets-ny/2019").exists());
    let year = read(&out.join("person/ulrika-klemets/2020/index.html"));
    assert!(!year.contains("fvg/2020-04-16/"), "{year}");
    assert!(out.join("person/ulrika-klemets/2019/index.html").is_file());

    // 2019's only meeting gone: its year pages go.
    std::fs::remove_file(fvg.join("2019-04-16.toml")).unwrap();
    site(arkiv.path(), &["data"], &out);
    assert!(!out.join("person/karina-udden/2019").exists());
    assert!(!o2019.exists());
    assert!(!read(&out.join("person/karina-udden/index.html")).contains("2019"));
    let fresh = arkiv.path().join("fresh");
    site(arkiv.path(), &["data"], &fresh);
    assert!(
        files(&out) == files(&fresh),
        "the rebuilt site differs from a fresh build"
    );
}

/// A person's year page names them as that year's meetings do: a respelling in a meeting of
/// 2020 that keeps the slug ("Klemets" to "Klémets") leaves the 2019 page as a fresh build
/// makes it — the incremental build, which does not make 2019's pages again, gives the same
/// bytes as a fresh one.
#[test]
fn a_respelled_name_leaves_other_years_pages_as_a_fresh_build_makes_them() {
    let arkiv = sample_archive();
    let fvg = a_2019_meeting(arkiv.path());
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);

    let edited = fvg.join("2020-09-17.toml");
    let text = read(&edited);
    assert!(text.contains("\"Ulrika Klemets\""), "the sample changed");
    std::fs::write(
        &edited,
        text.replace("\"Ulrika Klemets\"", "\"Ulrika Klémets\""),
    )
    .unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    let person = read(&out.join("person/ulrika-klemets/index.html"));
    assert!(person.contains("<h1>Ulrika Klémets"), "{person}");
    let y2019 = read(&out.join("person/ulrika-klemets/2019/index.html"));
    assert!(y2019.contains("<h1>Ulrika Klemets"), "{y2019}");

    let fresh = arkiv.path().join("fresh");
    site(arkiv.path(), &["data"], &fresh);
    let (a, b) = (files(&out), files(&fresh));
    for ((p, x), (q, y)) in a.iter().zip(&b) {
        assert_eq!(p, q, "the two sites hold different files");
        assert!(x == y, "{} differs from a fresh build", p.display());
    }
    assert_eq!(a.len(), b.len(), "the two sites hold different files");
}

/// The site's cache is published with the site: it names the files each meeting was made
/// from as the meeting file does, below the folder the build was given, never by the build
/// machine's absolute paths; and a checkout moved elsewhere rebuilds nothing.
#[test]
fn the_site_cache_names_bilaga_files_below_the_archive_not_the_machine_s_folders() {
    let arkiv = sample_archive();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let cache = cache_text(&out);
    let entries = cache_entries(&out);
    let paths: Vec<&str> = entries
        .iter()
        .flat_map(|(_, m)| m["inputs"].as_array().unwrap())
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"amn/2020-04-21/trappsteget.md"),
        "{paths:?}"
    );
    assert!(paths.contains(&"amn/2020-04-21.toml"), "{paths:?}");
    assert!(paths.iter().all(|p| !p.starts_with("data/")), "{paths:?}");
    let tmp = arkiv.path().to_string_lossy().into_owned();
    assert!(!cache.contains(&tmp), "the cache names {tmp}");
    // The same archive and site, moved: nothing is read again.
    let moved = tempfile::tempdir().unwrap();
    let to = moved.path().join("arkiv");
    std::fs::rename(arkiv.path(), &to)
        .or_else(|_| {
            copy_dir(arkiv.path(), &to);
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
    let again = site(&to, &["data"], &to.join("site"));
    assert!(again.contains("(0 read), 0 files written"), "{again}");
}

/// A withheld bilaga's file is not named in the site's cache (published with the site): a
/// file's name can say what the bilaga withholds ("lakarintyg-karl-svensson.md").
#[test]
fn the_site_cache_does_not_name_a_withheld_bilaga_s_file() {
    let arkiv = sample_archive();
    let fvg = arkiv.path().join("data/fvg/2020-09-17.toml");
    let mut text = std::fs::read_to_string(&fvg).unwrap();
    text.push_str(
        "\n[[bilaga]]\nid = \"intyg-karl\"\ntitle = \"Intyg\"\nfrom = \"Karl Svensson\"\n\
         file = \"2020-09-17/lakarintyg-karl-svensson.md\"\nsekretess = \"OSL 25 kap. 1 §\"\n",
    );
    std::fs::write(&fvg, text).unwrap();
    std::fs::write(
        arkiv
            .path()
            .join("data/fvg/2020-09-17/lakarintyg-karl-svensson.md"),
        "# Intyg\n\nText.\n",
    )
    .unwrap();
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let cache = cache_text(&out);
    assert!(cache.contains("\"fvg/2020-09-17/bemanning.md\""), "{cache}");
    assert!(
        !cache.contains("lakarintyg"),
        "the withheld bilaga is named"
    );
}

/// The site's cache records a meeting's files below the archive's folder and the editions
/// folder, not as the build was given them: the archive named `data`, by its absolute path,
/// or from another working folder gives the same site, byte for byte, its cache included —
/// and no path of the machine is in any file of it.
#[test]
fn the_same_archive_named_otherwise_gives_the_same_site_and_cache() {
    let arkiv = sample_archive();
    let root = arkiv.path();
    let publish = assemble(root, &["publish", "data/amn/2020-04-21.toml"]);
    assert!(publish.status.success(), "{}", stderr(&publish));
    let abs = |p: &str| root.join(p).to_string_lossy().into_owned();
    let relative = assemble(
        root,
        &["site", "data", "--editions", "out/webb", "-o", "site-a"],
    );
    assert!(relative.status.success(), "{}", stderr(&relative));
    let absolute = assemble(
        root,
        &[
            "site",
            &abs("data"),
            "--editions",
            &abs("out/webb"),
            "-o",
            "site-b",
        ],
    );
    assert!(absolute.status.success(), "{}", stderr(&absolute));
    std::fs::create_dir(root.join("annan")).unwrap();
    let elsewhere = assemble(
        &root.join("annan"),
        &[
            "site",
            "../data",
            "--editions",
            "../out/webb",
            "-o",
            "../site-c",
        ],
    );
    assert!(elsewhere.status.success(), "{}", stderr(&elsewhere));
    let a = files(&root.join("site-a"));
    assert!(
        a.iter().any(|(p, _)| p.ends_with("2020-04-21-webb.pdf")),
        "the editions are on the site"
    );
    let tmp = root.to_string_lossy().into_owned();
    for other in ["site-b", "site-c"] {
        let b = files(&root.join(other));
        let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "{other} holds other files");
        for ((p, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                x == y,
                "{} differs in {other}:\n{}\n{}",
                p.display(),
                String::from_utf8_lossy(x)
                    .chars()
                    .take(600)
                    .collect::<String>(),
                String::from_utf8_lossy(y)
                    .chars()
                    .take(600)
                    .collect::<String>()
            );
            assert!(
                !String::from_utf8_lossy(y).contains(&tmp),
                "{} in {other} names {tmp}",
                p.display()
            );
        }
    }
    // Built by its absolute name, then by its relative one: nothing is read again.
    let again = assemble(
        root,
        &["site", "data", "--editions", "out/webb", "-o", "site-b"],
    );
    assert!(
        stdout(&again).contains("(0 read), 0 files written"),
        "{}",
        stdout(&again)
    );
}

/// The cache is read a year at a time from its years' files: one of them damaged, missing,
/// or cut short means one build that reads every meeting again — and the site it gives is a
/// fresh build's, byte for byte.
#[test]
fn a_damaged_or_missing_year_of_the_cache_means_one_full_build_never_a_wrong_page() {
    let arkiv = sample_archive();
    let fvg = a_2019_meeting(arkiv.path());
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    let fresh = arkiv.path().join("fresh");
    let year_2020 = out.join(".protokoll-site/moten/2020.jsonl");
    let year_2019 = out.join(".protokoll-site/moten/2019.jsonl");
    assert!(year_2020.is_file() && year_2019.is_file());
    let damages: [(&str, &dyn Fn()); 4] = [
        ("missing", &|| std::fs::remove_file(&year_2019).unwrap()),
        ("cut short", &|| {
            let text = read(&year_2020);
            let first = text.lines().next().unwrap();
            std::fs::write(&year_2020, format!("{first}\n")).unwrap();
        }),
        ("garbled, its size kept", &|| {
            let text = read(&year_2020);
            std::fs::write(&year_2020, "x".repeat(text.len())).unwrap();
        }),
        ("a line cut, its size kept", &|| {
            let text = read(&year_2020);
            let cut = text.replacen("\"brief\"", "\"brief\" ", 1);
            let cut = &cut[..text.len() - 2];
            std::fs::write(&year_2020, format!("{cut}\n")).unwrap();
        }),
    ];
    for (damage, make) in damages {
        make();
        // A meeting edited meanwhile: the full build must not keep its old page.
        let edited = fvg.join("2020-09-17.toml");
        std::fs::write(
            &edited,
            read(&edited).replacen("title = \"", &format!("title = \"{damage} "), 1),
        )
        .unwrap();
        let said = site(arkiv.path(), &["data"], &out);
        assert!(said.contains("5 read"), "{damage}: {said}");
        let _ = std::fs::remove_dir_all(&fresh);
        site(arkiv.path(), &["data"], &fresh);
        let (a, b) = (files(&out), files(&fresh));
        let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "{damage}: other files");
        for ((p, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                x == y,
                "{damage}: {} differs from a fresh build",
                p.display()
            );
        }
        let again = site(arkiv.path(), &["data"], &out);
        assert!(
            again.contains("(0 read), 0 files written"),
            "{damage}: {again}"
        );
    }
}

/// Two meeting files whose pages would be the same (the page's path is the file's, in lower
/// case) stop the build, both named, and nothing of the site is written: neither would
/// otherwise be published over the other unseen.
#[test]
fn two_meeting_files_with_the_same_page_stop_the_build() {
    let arkiv = sample_archive();
    let data = arkiv.path().join("data");
    copy_dir(&data.join("amn/2020-04-21"), &data.join("AMN/2020-04-21"));
    std::fs::copy(
        data.join("amn/2020-04-21.toml"),
        data.join("AMN/2020-04-21.toml"),
    )
    .unwrap();
    let o = assemble(arkiv.path(), &["site", "data", "-o", "site"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: `data/AMN/2020-04-21.toml` and `data/amn/2020-04-21.toml` would both be \
             published at `amn/2020-04-21/`: neither is"
        ) || err.contains(
            "error: `data/amn/2020-04-21.toml` and `data/AMN/2020-04-21.toml` would both be \
             published at `amn/2020-04-21/`: neither is"
        ),
        "{err}"
    );
    assert!(err.contains("hint: rename one of the two files"), "{err}");
    assert!(!arkiv.path().join("site/index.html").exists(), "{err}");
}

/// A meeting moved to another year (its date edited) leaves one year's pages, part of the
/// search index and file of the cache for another's: the rebuilt site is a fresh build's,
/// byte for byte; and with the year's last meeting gone, its file of the cache goes too.
#[test]
fn a_meeting_moved_to_another_year_gives_a_fresh_build_s_site() {
    let arkiv = sample_archive();
    let fvg = arkiv.path().join("data/fvg");
    let out = arkiv.path().join("site");
    site(arkiv.path(), &["data"], &out);
    assert!(!out.join(".protokoll-site/moten/2018.jsonl").exists());
    let moved = fvg.join("2020-04-16.toml");
    std::fs::write(
        &moved,
        read(&moved)
            .replace("justerad = 2020-04-17", "justerad = 2018-04-17")
            .replace("date = 2020-04-16", "date = 2018-04-16"),
    )
    .unwrap();
    let said = site(arkiv.path(), &["data"], &out);
    assert!(said.contains("(1 read)"), "{said}");
    assert!(out.join(".protokoll-site/moten/2018.jsonl").is_file());
    assert!(
        out.join("pagefind/delar/2018/pagefind-entry.json")
            .is_file()
    );
    let fresh = arkiv.path().join("fresh");
    site(arkiv.path(), &["data"], &fresh);
    let (a, b) = (files(&out), files(&fresh));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the two sites hold different files");
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs from a fresh build", p.display());
    }
    std::fs::remove_file(&moved).unwrap();
    site(arkiv.path(), &["data"], &out);
    assert!(!out.join(".protokoll-site/moten/2018.jsonl").exists());
    assert!(!out.join("pagefind/delar/2018").exists());
    assert!(!out.join(".protokoll-site/sok/2018.json").exists());
}
