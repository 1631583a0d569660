//! The site before and after the meeting: a planned meeting listed as coming with its public
//! kallelse (issue 26), and a corrected protocol with the web edition of each version
//! (issue 27). The real binary (`kallelse --public`, `publish`, `site`) on fixture archives;
//! the HTML and the files read back.

use std::path::{Path, PathBuf};

use crate::common::{assemble, fixture, pages, stderr, stdout};

/// Runs `assemble args` in `dir`; panics with its stderr on failure; its stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = assemble(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Builds the site of `data/` with the editions in `out/webb` into `site` (relative to dir).
fn site(dir: &Path, site: &str) -> String {
    ok(dir, &["site", "data", "--editions", "out/webb", "-o", site])
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file below `root`, by path relative to it, with its bytes, sorted.
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

/// The site rebuilt in `dir/site` is, byte for byte, what a fresh build gives (`fresh`).
fn assert_same_as_fresh(dir: &Path, fresh: &str) {
    site(dir, fresh);
    let (a, b) = (files(&dir.join("site")), files(&dir.join(fresh)));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&a),
        names(&b),
        "the rebuilt and the fresh site hold different files"
    );
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs from a fresh build", p.display());
    }
}

/// Nothing withheld anywhere in the site: the sekretess handling, the marked span.
fn assert_nothing_withheld(root: &Path, withheld: &[&str]) {
    for (path, bytes) in files(root) {
        let text = if path.extension().is_some_and(|e| e == "pdf") {
            pages(&root.join(&path)).join(" ")
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for w in withheld {
            assert!(!text.contains(w), "`{w}` in {}", path.display());
        }
    }
}

const PLANNED: &str = "data/amn/2020-04-21.toml";
const KALLELSE: &str = "amn/2020-04-21/2020-04-21-kallelse-webb.pdf";
const PACK: &str = "amn/2020-04-21/2020-04-21-handlingar-webb.pdf";

/// The public kallelse and pack of the planned meeting, as the secretary makes them.
fn publish_kallelse(dir: &Path) {
    ok(dir, &["kallelse", PLANNED, "--public"]);
    ok(dir, &["kallelse", PLANNED, "--public", "--pack"]);
}

/// A planned meeting is on the start page and its organ's page under the coming meetings:
/// day, time, place and its public kallelse and pack, copied as written — the pack without
/// the handling marked sekretess and saying so. Its date is long past: the status decides,
/// not a clock. It has no page, and the people it calls get no person page (they have not
/// attended anything).
#[test]
fn a_planned_meeting_is_listed_as_coming_with_its_public_kallelse() {
    let dir = fixture("site-coming");
    let d = dir.path();
    publish_kallelse(d);
    let said = site(d, "site");
    assert!(said.contains("0 meetings, 1 coming (1 read)"), "{said}");
    let out = d.join("site");

    let index = read(&out.join("index.html"));
    assert!(
        index.contains("<h2 id=\"kommande\">Kommande sammanträden</h2>"),
        "{index}"
    );
    assert!(
        index.contains(
            "<strong>Arbetsmarknadsnämnden, 21 april 2020 kl. 15:00</strong><br>Stadshuset, Rosa rummet"
        ),
        "{index}"
    );
    assert!(
        index.contains(&format!(
            "<a href=\"{KALLELSE}\">Kallelse med föredragningslista (offentlig utgåva, PDF)</a>"
        )),
        "{index}"
    );
    assert!(
        index.contains(&format!(
            "<a href=\"{PACK}\">Sammanträdeshandlingar (offentlig utgåva, PDF)</a>"
        )),
        "{index}"
    );
    let organ = read(&out.join("organ/arbetsmarknadsnamnden/index.html"));
    assert!(
        organ.contains(&format!("<a href=\"../../{KALLELSE}\">Kallelse med")),
        "{organ}"
    );
    assert!(
        organ.contains("<strong>21 april 2020 kl. 15:00</strong><br>Stadshuset, Rosa rummet"),
        "{organ}"
    );
    assert!(organ.contains("Inga protokoll är publicerade."), "{organ}");
    assert!(
        index.contains("<a href=\"organ/arbetsmarknadsnamnden/\">Arbetsmarknadsnämnden</a>"),
        "{index}"
    );

    // The PDFs are the ones `kallelse --public` wrote, byte for byte.
    for (name, site_path) in [
        ("2020-04-21-kallelse-webb.pdf", KALLELSE),
        ("2020-04-21-handlingar-webb.pdf", PACK),
    ] {
        assert_eq!(
            std::fs::read(out.join(site_path)).unwrap(),
            std::fs::read(d.join("out/webb/amn").join(name)).unwrap(),
            "{name}"
        );
    }
    let pack = pages(&out.join(PACK)).join(" ");
    assert!(
        pack.contains("Handlingen har utelämnats i den offentliga utgåvan (OSL 26 kap. 1 §)"),
        "{pack}"
    );
    assert_nothing_withheld(&out, &["HEMLIGMARKÖR", "Bo Berglöf", "Åsa Lind"]);

    // Not a protocol: no page, no person pages, no search record.
    assert!(!out.join("amn/2020-04-21/index.html").exists());
    assert!(!out.join("person/anna-ekblom").exists());
    assert!(!out.join("pagefind/delar/2020").exists());
}

/// A kallelse made before the meeting file changed is refused as a protocol's stale web
/// edition is, and the site is left as it was; made again, the site takes it, and the
/// rebuild is byte-identical to a fresh build.
#[test]
fn a_kallelse_made_from_an_earlier_state_of_the_file_is_refused() {
    let dir = fixture("site-coming");
    let d = dir.path();
    publish_kallelse(d);
    site(d, "site");
    let before = files(&d.join("site"));
    let path = d.join(PLANNED);
    let text = read(&path);
    std::fs::write(
        &path,
        text.replace(
            "place = \"Stadshuset, Rosa rummet\"",
            "place = \"Stadshuset, Södra sessionssalen\"",
        ),
    )
    .unwrap();
    let o = assemble(d, &["site", "data", "--editions", "out/webb", "-o", "site"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("-webb.pdf` was not made from the meeting file as it is now"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("assemble kallelse"), "{}", stderr(&o));
    assert!(files(&d.join("site")) == before, "the site changed");

    publish_kallelse(d);
    let said = site(d, "site");
    assert!(said.contains("(1 read)"), "{said}");
    let index = read(&d.join("site/index.html"));
    assert!(index.contains("Stadshuset, Södra sessionssalen"), "{index}");
    assert_same_as_fresh(d, "fresh");
}

/// A personnummer in a planned meeting stops the site as one in a protocol does: located,
/// nothing written.
#[test]
fn a_planned_meeting_with_a_personnummer_stops_the_site_and_writes_nothing() {
    let dir = fixture("site-coming");
    let d = dir.path();
    let path = d.join(PLANNED);
    let text = read(&path);
    std::fs::write(
        &path,
        text.replace(
            "driver studiecirklar för unga",
            "driver (19121212-1212) studiecirklar för unga",
        ),
    )
    .unwrap();
    let o = assemble(d, &["site", "data", "-o", "site"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("2020-04-21.toml:"), "{}", stderr(&o));
    assert!(!d.join("site").exists(), "the site was written");
}

/// Once the meeting is held it leaves the coming list: held and not yet justerat it is a
/// draft (on no page, its kallelse gone from the site); justerat and published it is a
/// protocol with its page. After each step the incremental site is byte-identical to a
/// fresh build.
#[test]
fn a_held_meeting_leaves_the_coming_list_and_the_rebuild_equals_a_fresh_build() {
    let dir = fixture("site-coming");
    let d = dir.path();
    publish_kallelse(d);
    site(d, "site");
    assert!(d.join("site").join(KALLELSE).is_file());

    // Held: the status line gone, not justerat yet.
    let held = read(&d.join("held.toml"));
    std::fs::write(d.join(PLANNED), held.replace("justerad = 2020-04-28\n", "")).unwrap();
    let o = assemble(d, &["site", "data", "--editions", "out/webb", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 meetings (0 read)"), "{}", stdout(&o));
    assert!(stderr(&o).contains("is not justerad"), "{}", stderr(&o));
    let index = read(&d.join("site/index.html"));
    assert!(!index.contains("Kommande sammanträden"), "{index}");
    assert!(!d.join("site").join(KALLELSE).exists());
    assert!(!d.join("site/organ/arbetsmarknadsnamnden").exists());
    assert_same_as_fresh(d, "fresh-held");

    // Justerat and published: a protocol; its kallelse, left in out/webb, is not linked.
    std::fs::write(d.join(PLANNED), &held).unwrap();
    ok(d, &["publish", PLANNED]);
    let said = site(d, "site");
    assert!(said.contains("1 meeting (1 read)"), "{said}");
    let page = read(&d.join("site/amn/2020-04-21/index.html"));
    assert!(page.contains("2020-04-21-webb.pdf"), "{page}");
    assert!(!page.contains("kallelse"), "{page}");
    assert!(!d.join("site").join(KALLELSE).exists());
    let organ = read(&d.join("site/organ/arbetsmarknadsnamnden/index.html"));
    assert!(
        organ.contains("Inga kommande sammanträden är publicerade."),
        "{organ}"
    );
    assert!(
        organ.contains("href=\"../../organ/arbetsmarknadsnamnden/2020/\""),
        "{organ}"
    );
    let year = read(&d.join("site/organ/arbetsmarknadsnamnden/2020/index.html"));
    assert!(year.contains("href=\"../../../amn/2020-04-21/\""), "{year}");
    assert_same_as_fresh(d, "fresh-justerat");
}

const ORIGINAL: &str = "2020-04-21-webb.pdf";
const FIRST: &str = "2020-04-21-rattelse-1-webb.pdf";
const CURRENT: &str = "2020-04-21-rattelse-2-webb.pdf";

/// `publish` of a corrected protocol writes the web edition of each version beside the
/// others: the justerat original without notes and with its slips, each later one with its
/// rättelser made and noted; all redacted alike; the record lists each with the SHA-256 of
/// its bytes.
#[test]
fn publish_writes_the_web_edition_of_every_version_and_the_record_lists_their_checksums() {
    let dir = fixture("site-rattelse");
    let d = dir.path();
    let said = ok(d, &["publish", "data/amn/2020-04-21.toml"]);
    let webb = d.join("out/webb/amn");
    for name in [ORIGINAL, FIRST, CURRENT] {
        assert!(
            said.contains(&format!("wrote out/webb/amn/{name}")),
            "{said}"
        );
    }
    let text = |name: &str| pages(&webb.join(name)).join(" ");
    let (original, first, current) = (text(ORIGINAL), text(FIRST), text(CURRENT));
    let note1 = "Rättelse den 4 maj 2020: § 34 ändrades från";
    let note2 = "Rättelse den 11 maj 2020: § 36 ändrades från";
    assert!(
        original.contains("vägledningstjäsnter.") && original.contains("sommarjbb 2020"),
        "{original}"
    );
    assert!(!original.contains("Rättelse den"), "{original}");
    assert!(first.contains(note1) && !first.contains(note2), "{first}");
    assert!(first.contains("sommarjbb 2020"), "{first}");
    assert!(
        current.contains(note1) && current.contains(note2),
        "{current}"
    );
    assert!(current.contains("sommarjobb 2020"), "{current}");
    for t in [&original, &first, &current] {
        assert!(!t.contains("Vällingby"), "{t}");
        assert!(
            t.contains("[Uppgift borttagen enligt OSL 26 kap. 1 §]"),
            "{t}"
        );
    }

    let record: serde_json::Value =
        serde_json::from_str(&read(&webb.join("2020-04-21-webb.json"))).unwrap();
    let versions = record["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 3, "{record}");
    for (n, (v, name)) in versions.iter().zip([ORIGINAL, FIRST, CURRENT]).enumerate() {
        assert_eq!(v["version"], n, "{v}");
        assert_eq!(v["file"], name, "{v}");
        assert_eq!(
            v["sha256"],
            sha256(&std::fs::read(webb.join(name)).unwrap())
        );
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The site shows the protocol as it stands with its rättelser, links the version in force
/// first and keeps the justerat original beside it, labelled as such; the table of versions
/// is the record's, checksums included, and each file is the one `publish` wrote. A version
/// that is not the one the record lists (a byte changed) is refused.
#[test]
fn the_site_shows_the_corrected_protocol_and_keeps_the_original_beside_it() {
    let dir = fixture("site-rattelse");
    let d = dir.path();
    ok(d, &["publish", "data/amn/2020-04-21.toml"]);
    site(d, "site");
    let folder = d.join("site/amn/2020-04-21");
    let page = read(&folder.join("index.html"));
    assert!(
        page.contains("Rättelse den 11 maj 2020: <a href=\"#p36\">§ 36</a> ändrades från ”sommarjbb” till ”sommarjobb” (skrivfel). Rättelsen beslutades av ordföranden Anna Berg."),
        "{page}"
    );
    assert!(page.contains("om arbetet med sommarjobb 2020"), "{page}");
    crate::common::assert_in_order(
        &page,
        &[
            &format!(
                "<a href=\"{CURRENT}\">Protokollet, rättat den 11 maj 2020 (webbutgåva, PDF)</a>"
            ),
            &format!("<a href=\"{FIRST}\">Version 1, rättad den 4 maj 2020 (webbutgåva, PDF)</a>"),
            &format!(
                "<a href=\"{ORIGINAL}\">Ursprunglig version, justerad den 24 april 2020 (webbutgåva, PDF)</a>"
            ),
        ],
    );
    let webb = d.join("out/webb/amn");
    let record: serde_json::Value =
        serde_json::from_str(&read(&webb.join("2020-04-21-webb.json"))).unwrap();
    for v in record["versions"].as_array().unwrap() {
        let name = v["file"].as_str().unwrap();
        let sum = v["sha256"].as_str().unwrap();
        assert!(
            page.contains(&format!(
                "<td><a href=\"{name}\">{name}</a></td><td class=\"sha256\">{sum}</td>"
            )),
            "{name} {sum}: {page}"
        );
        assert_eq!(
            std::fs::read(folder.join(name)).unwrap(),
            std::fs::read(webb.join(name)).unwrap()
        );
    }
    assert!(
        page.contains("<th scope=\"row\">Ursprunglig version, justerad den 24 april 2020</th>"),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"row\">Rättelse 2, den 11 maj 2020 (gällande)</th>"),
        "{page}"
    );
    assert_nothing_withheld(&d.join("site"), &["Vällingby"]);

    // The original's web edition changed after it was published: not the record's.
    let before = files(&d.join("site"));
    let original = webb.join(ORIGINAL);
    let mut bytes = std::fs::read(&original).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&original, bytes).unwrap();
    let o = assemble(d, &["site", "data", "--editions", "out/webb", "-o", "site"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "the web edition `out/webb/amn/2020-04-21-webb.pdf` is not the one its record lists"
        ),
        "{}",
        stderr(&o)
    );
    assert!(files(&d.join("site")) == before, "the site changed");
}
