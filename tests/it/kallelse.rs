//! Before the meeting (issue 26): a planned meeting's kallelse and meeting pack, the same file
//! held as the protocol, the public pack, and the dates of the kallelse and kungörelse. The
//! fixture `kallelse-cycle` is the sample nämnd meeting (data/amn/2020-04-21) planned
//! (`planned.toml`) and held (`held.toml`: the plan with what the meeting added).

use std::path::{Path, PathBuf};

use crate::common::*;

/// Runs `assemble kallelse` with `args` in `dir` to `dir/<name>`; panics with the messages.
fn kallelse(dir: &Path, args: &[&str], name: &str) -> PathBuf {
    let mut all = vec!["kallelse"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", name]);
    let out = assemble(dir, &all);
    assert!(out.status.success(), "{all:?} failed:\n{}", stderr(&out));
    dir.join(name)
}

/// The föredragningslista as printed: each "N. Title" with its Dnr and Föredragande lines.
fn agenda(pdf: &Path) -> Vec<(String, Option<String>, Option<String>)> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = text
        .split("Föredragningslista")
        .nth(1)
        .and_then(|t| t.split("Handlingar\n").next())
        .expect("a föredragningslista");
    let mut items: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for line in list.lines().map(str::trim) {
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if let Some((_, title)) = numbered {
            items.push((title.to_string(), None, None));
        } else if let (Some(rest), Some(last)) = (line.strip_prefix("Dnr"), items.last_mut()) {
            last.1 = Some(fold(rest));
        } else if let (Some(rest), Some(last)) =
            (line.strip_prefix("Föredragande"), items.last_mut())
        {
            last.2 = Some(fold(rest));
        }
    }
    items
}

/// Every line of `planned` but its status is a line of `held`, in the same order: the held
/// meeting was made by adding to the plan, nothing typed again.
fn added_to(planned: &str, held: &str) -> bool {
    let mut held_lines = held.lines();
    planned
        .lines()
        .filter(|l| !l.starts_with("status = "))
        .all(|l| held_lines.any(|h| h == l))
}

#[test]
fn a_planned_meeting_is_held_with_the_same_arenden_dnr_and_foredragande_nothing_typed_twice() {
    let dir = fixture("kallelse-cycle");
    let planned = std::fs::read_to_string(dir.path().join("planned.toml")).unwrap();
    let held = std::fs::read_to_string(dir.path().join("held.toml")).unwrap();
    assert!(
        added_to(&planned, &held),
        "held.toml is not the plan with additions"
    );

    let before = agenda(&kallelse(dir.path(), &["planned.toml"], "planned.pdf"));
    let after = agenda(&kallelse(dir.path(), &["held.toml"], "held.pdf"));
    assert_eq!(
        before, after,
        "the held meeting's kallelse differs from the plan's"
    );
    let titles: Vec<&str> = before.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Sammanträdets öppnande och godkännande av föredragningslistan",
            "Val av justerare",
            "Inriktning för feriejobb 2020",
            "Bidrag till föreningen Trappsteget 2020",
            "Yttrande över motion om språkstöd på arbetsplatsen",
            "Anmälningsärenden",
            "Nämndens frågor",
            "Förvaltningsinformation",
        ]
    );
    assert_eq!(before[3].1.as_deref(), Some("AMN 2020-0187-1.2.1"));
    assert_eq!(
        before[3].2.as_deref(),
        Some("Karin Lövgren, förvaltningschef")
    );

    // The protocol of the held meeting: its § in the same order with the same diarienummer,
    // and the föredragande the kallelse named among its Föredragande.
    let out = assemble(dir.path(), &["held.toml", "-o", "protokoll.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let protocol = pages(&dir.path().join("protokoll.pdf")).join(" ");
    let mut needles: Vec<String> = Vec::new();
    for (i, (title, dnr, _)) in before.iter().enumerate() {
        needles.push(format!("§ {} {title}", 31 + i));
        if let Some(d) = dnr {
            needles.push(d.clone());
        }
    }
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_in_order(&protocol, &needles);
    assert!(protocol.contains("Föredragande Karin Lövgren, förvaltningschef"));
    // The förvaltning's förslag is kept as förslag in the protocol.
    assert!(
        protocol.contains("att bevilja föreningen Trappsteget ett bidrag om 450 000 kronor"),
        "{protocol}"
    );
}

#[test]
fn check_ready_lists_the_arenden_of_a_planned_meeting_without_beslut_at_their_lines() {
    let dir = fixture("kallelse-cycle");
    let out = assemble(dir.path(), &["check", "planned.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = assemble(dir.path(), &["check", "--ready", "planned.toml"]);
    let said = stderr(&out);
    assert!(said.contains("the meeting is still planned"), "{said}");
    for (n, line) in [(33, 77), (34, 92), (35, 110)] {
        assert!(said.contains(&format!("§ {n} records no beslut")), "{said}");
        assert!(said.contains(&format!("planned.toml:{line}:")), "{said}");
    }
    // Held and justerat, nothing remains.
    let out = assemble(dir.path(), &["check", "--ready", "held.toml"]);
    assert!(
        !stderr(&out).contains("records no beslut"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_planned_meeting_cannot_be_justerat() {
    let dir = fixture("kallelse-cycle");
    let path = dir.path().join("planned.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("seats = 13", "seats = 13\njusterad = 2020-04-28"),
    )
    .unwrap();
    let out = assemble(dir.path(), &["check", "planned.toml"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("a planned meeting (status = \"planerat\") cannot be justerat"));
}

#[test]
fn the_pack_outline_is_the_arenden_and_each_handling_starts_on_the_page_the_list_gives() {
    let dir = fixture("kallelse-cycle");
    let pdf = kallelse(dir.path(), &["planned.toml", "--pack"], "pack.pdf");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let toc = doc.get_toc().unwrap().toc;
    let level = |l: usize| -> Vec<String> {
        toc.iter()
            .filter(|t| t.level == l)
            .map(|t| t.title.clone())
            .collect()
    };
    let items: Vec<String> = agenda(&pdf)
        .into_iter()
        .enumerate()
        .map(|(i, (t, _, _))| format!("{}. {t}", i + 1))
        .collect();
    let firsts = level(1);
    assert_eq!(
        firsts,
        [
            "Kallelse till arbetsmarknadsnämndens sammanträde",
            "Föredragningslista",
            "Handlingar"
        ]
    );
    // The entries under the föredragningslista are the ärenden, and those under Handlingar
    // the handlingar, each with the page it starts on.
    let mut arenden = Vec::new();
    let mut handlingar = Vec::new();
    let mut under = "";
    for t in &toc {
        match t.level {
            1 => under = if t.title == "Handlingar" { "h" } else { "a" },
            2 if under == "a" => arenden.push(t.title.clone()),
            2 => handlingar.push((t.title.clone(), t.page)),
            _ => {}
        }
    }
    assert_eq!(arenden, items);
    let texts = pages(&pdf);
    let total = texts.len();
    // One numbering across the pack: "Sida X (Y)" on every page.
    let expected: Vec<Option<(usize, usize)>> = (1..=total).map(|x| Some((x, total))).collect();
    assert_eq!(sida(&texts), expected);
    let list = texts[..2].join(" ");
    let named = [
        ("3", "Tjänsteutlåtande: Inriktning för feriejobb 2020"),
        ("4", "Tjänsteutlåtande: Bidrag till föreningen Trappsteget"),
        ("4", "Föreningen Trappstegets ansökan om bidrag 2020"),
        ("4", "Underlag om enskild deltagare"),
        ("5", "Motion om språkstöd på arbetsplatsen"),
    ];
    assert_eq!(handlingar.len(), named.len(), "{handlingar:?}");
    for ((arende, title), (entry, page)) in named.iter().zip(&handlingar) {
        assert_eq!(entry, &format!("Handling till ärende {arende}: {title}"));
        // The list gives the page the outline points to, and the page shows the handling.
        assert!(
            list.contains(&format!("{title}, sidan {page}")),
            "{title} is not listed at page {page}: {list}"
        );
        assert!(
            texts[page - 1].contains(&format!("Handling till ärende {arende}:")),
            "page {page}: {}",
            texts[page - 1]
        );
    }
    // The kallelse alone has no handlingar, only their titles.
    let alone = kallelse(dir.path(), &["planned.toml"], "kallelse.pdf");
    assert!(!pages(&alone).join(" ").contains("HEMLIGMARKÖR"));
    assert!(page_count(&alone) < total);
}

/// Every text a reader can get from `pdf`: the text layer, every string and (decompressed)
/// stream of every object — outline, metadata, attachments included.
fn all_text(pdf: &Path) -> String {
    let mut out = pages(pdf).join(" ");
    let doc = lopdf::Document::load(pdf).unwrap();
    for (_, object) in doc.objects.iter() {
        match object {
            lopdf::Object::String(bytes, _) => {
                out.push_str(&String::from_utf8_lossy(bytes));
                out.push(' ');
            }
            lopdf::Object::Stream(s) => {
                let content = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                out.push_str(&String::from_utf8_lossy(&content));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_public_pack_leaves_out_a_withheld_handling_everywhere_and_says_why() {
    let dir = fixture("kallelse-cycle");
    let members = kallelse(dir.path(), &["planned.toml", "--pack"], "members.pdf");
    let public = kallelse(
        dir.path(),
        &["planned.toml", "--pack", "--public"],
        "public.pdf",
    );
    assert!(pages(&members).join(" ").contains("HEMLIGMARKÖR"));
    let text = all_text(&public);
    for secret in [
        "HEMLIGMARKÖR",
        "Berglöf",
        "yttrande-sekretess",
        "Ove Ek",
        "Åsa Lind",
    ] {
        assert!(!text.contains(secret), "the public pack carries {secret}");
    }
    let shown = pages(&public).join(" ");
    assert!(
        shown.contains(
            "Underlag om enskild deltagare: Handlingen har utelämnats i den offentliga utgåvan (OSL 26 kap. 1 §)."
        ),
        "{shown}"
    );
    // The rest is there, with its marked span as a notice.
    assert!(shown.contains("TRAPPSTEGSMARKÖR"));
    assert!(shown.contains("[Uppgift borttagen: personuppgift]"));
    // No original is attached to the public pack.
    let doc = lopdf::Document::load(&public).unwrap();
    let names = doc
        .catalog()
        .and_then(|c| c.get(b"Names"))
        .ok()
        .and_then(|n| doc.dereference(n).ok())
        .and_then(|(_, n)| n.as_dict().ok().cloned());
    assert!(
        names.is_none_or(|n| !n.has(b"EmbeddedFiles")),
        "the public pack has attachments"
    );
    // The members' pack attaches the PDF handling's original.
    let members_doc = lopdf::Document::load(&members).unwrap();
    assert!(
        format!("{:?}", members_doc.catalog().unwrap()).contains("Names"),
        "the members' pack attaches the motion"
    );
}

#[test]
fn a_public_pack_with_a_personnummer_in_a_handling_is_refused_and_nothing_written() {
    let dir = fixture("kallelse-cycle");
    std::fs::write(
        dir.path().join("2020-04-21/tu-feriejobb.md"),
        "Tjänsteutlåtande. Sökande 811218-9876 har ansökt.\n",
    )
    .unwrap();
    let out = assemble(
        dir.path(),
        &[
            "kallelse",
            "planned.toml",
            "--pack",
            "--public",
            "-o",
            "public.pdf",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("811218-XXXX"), "{}", stderr(&out));
    assert!(!dir.path().join("public.pdf").exists());
    // The members' pack carries it: it is theirs.
    kallelse(dir.path(), &["planned.toml", "--pack"], "members.pdf");
}

#[test]
fn a_kallelse_sent_after_the_reglementes_last_day_across_a_month_end_is_a_located_warning() {
    let dir = fixture("kallelse-dates");
    let work = dir.path().join("namnd");
    let out = assemble(&work, &["kallelse", "2020-05-04.toml", "-o", "k.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    // Monday 4 May, five days before: Wednesday 29 April.
    assert!(
        said.contains("the meeting is called too late: the kallelse is sent on 2020-04-30, the last day was 2020-04-29"),
        "{said}"
    );
    assert!(said.contains("2020-05-04.toml:40:9"), "{said}");
    assert!(
        said.contains("note: the kallelse must be sent by 2020-04-29"),
        "{said}"
    );
    // Sent on the last day: in time.
    let path = work.join("2020-05-04.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("datum = 2020-04-30", "datum = 2020-04-29"),
    )
    .unwrap();
    let out = assemble(&work, &["check", "2020-05-04.toml"]);
    assert!(!stderr(&out).contains("too late"), "{}", stderr(&out));
    let shown = pages(&work.join("k.pdf")).join(" ");
    assert!(shown.contains("Förhinder Förhinder anmäls till nämndsekreteraren."));
    assert!(
        shown.contains("Förslag till beslut att anta förvaltningens förslag till budget 2021.")
    );
}

#[test]
fn a_kungorelse_a_week_before_across_a_leap_day_and_one_put_up_too_late() {
    let dir = fixture("kallelse-dates");
    let work = dir.path().join("kf");
    let out = assemble(&work, &["kallelse", "2020-03-03.toml", "-o", "k.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    // Tuesday 3 March 2020, a week before: Tuesday 25 February (29 February between).
    assert!(
        said.contains("the tillkännagivande went up on 2020-02-26, after the last day 2020-02-25"),
        "{said}"
    );
    assert!(said.contains("2020-03-03.toml:35:18"), "{said}");
    assert!(
        said.contains("must go up on the anslagstavla by 2020-02-25"),
        "{said}"
    );
    let shown = pages(&work.join("k.pdf")).join(" ");
    assert!(shown.contains("Kungörelse KF 2020-03-03"), "{shown}");
    // Not yet put up: the kungörelse states the last day it may go up.
    let path = work.join("2020-03-03.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("tillkannagivet = 2020-02-26\n", "")).unwrap();
    let out = assemble(&work, &["kallelse", "2020-03-03.toml", "-o", "k2.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = pages(&work.join("k2.pdf")).join(" ");
    assert!(shown.contains("Anslås senast 25 februari 2020"), "{shown}");
}

#[test]
fn the_sample_planned_meeting_builds_its_kallelse_and_pack() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    let pack = kallelse(dir.path(), &["2020-05-19.toml", "--pack"], "pack.pdf");
    let texts = pages(&pack);
    assert!(texts[0].contains("Kallelse AMN 2020-05-19"), "{}", texts[0]);
    kallelse(
        dir.path(),
        &["2020-05-19.toml", "--pack", "--public"],
        "public.pdf",
    );
}

#[test]
fn new_planerat_starts_a_planned_meeting_from_the_previous_one_whose_kallelse_builds() {
    let dir = fixture("kallelse-cycle");
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--from",
            "held.toml",
            "--date",
            "2020-05-19",
            "--planerat",
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let next = std::fs::read_to_string(dir.path().join("next.toml")).unwrap();
    assert!(next.contains("\nstatus = \"planerat\""), "{next}");
    // No end time is carried: the planned meeting has none yet.
    assert!(!next.lines().any(|l| l.starts_with("end = ")), "{next}");
    assert!(next.contains("first_paragraf = 39"), "{next}");
    let out = assemble(dir.path(), &["check", "--ready", "next.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("the meeting is still planned"));
    let pdf = kallelse(dir.path(), &["next.toml"], "next.pdf");
    assert!(pages(&pdf)[0].contains("Kallelse AMN 2020-05-19"));
    // An FVG meeting is never planned.
    let out = assemble(
        dir.path(),
        &[
            "new",
            "--date",
            "2020-05-19",
            "--planerat",
            "-o",
            "fvg.toml",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("only a nämnd meeting can be planned"));
}

#[test]
fn the_record_of_a_planned_meeting_has_its_agenda_items_with_forslag_and_no_decisions() {
    let dir = fixture("kallelse-cycle");
    let out = assemble(dir.path(), &["planned.toml", "-o", "planned.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("planned.json")).unwrap())
            .unwrap();
    assert_eq!(record["meeting"]["planned"], true);
    assert_eq!(record["meeting"]["kallelse"], "2020-04-14");
    assert_eq!(record["meeting"]["end"], serde_json::Value::Null);
    let items = record["agenda_items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    let trappsteget = &items[3];
    assert_eq!(trappsteget["number"], 34);
    assert_eq!(
        trappsteget["name"],
        "Bidrag till föreningen Trappsteget 2020"
    );
    assert_eq!(trappsteget["public"], true);
    assert_eq!(
        trappsteget["foredragande"],
        "Karin Lövgren, förvaltningschef"
    );
    assert_eq!(trappsteget["decisions"], serde_json::json!([]));
    assert_eq!(
        trappsteget["handlingar"],
        serde_json::json!([
            "Tjänsteutlåtande: Bidrag till föreningen Trappsteget",
            "Föreningen Trappstegets ansökan om bidrag 2020",
            "Underlag om enskild deltagare"
        ])
    );
    assert!(
        trappsteget["motions"]
            .to_string()
            .contains("450 000 kronor"),
        "{}",
        trappsteget["motions"]
    );
    // The shipped schema holds it.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/protokoll-record.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&record)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// The kallelse's page header and title are phrases of the house style (issue 21), as the
/// protocol's are: an organ words them its own way in `[fraser]`.
#[test]
fn the_kallelse_header_and_title_are_worded_as_the_house_style_says() {
    let dir = fixture("kallelse-cycle");
    let style = dir.path().join("husstil.toml");
    let mut text = std::fs::read_to_string(&style).unwrap();
    text.push_str(
        "\n[fraser]\nkallelse_sidhuvud = \"{organ} kallar {datum}\"\n\
         kallelse_titel = \"{rubrik} ({datum})\"\n",
    );
    std::fs::write(&style, text).unwrap();
    let pdf = kallelse(dir.path(), &["planned.toml"], "k.pdf");
    let shown = pages(&pdf).join(" ");
    assert!(shown.contains("AMN kallar 2020-04-21"), "{shown}");
    assert!(!shown.contains("Kallelse AMN 2020-04-21"), "{shown}");
    let title = pdf_title(&lopdf::Document::load(&pdf).unwrap());
    assert_eq!(
        title,
        "Kallelse till arbetsmarknadsnämndens sammanträde (21 april 2020)"
    );
}

/// The kallelse-cycle fixture with a PDF handling (`skrivelse`, one scanned page) that only
/// a drawing of its page can find fault with: its image is declared JPEG (it cannot be
/// decoded), a warning named by its page when — and only when — the page is drawn.
fn with_a_pdf_handling() -> tempfile::TempDir {
    let dir = fixture("kallelse-cycle");
    let scan =
        std::fs::read(repo().join("tests/fixtures/pdf-bilaga/bilagor/skrivelse.pdf")).unwrap();
    let from = b"/Filter /FlateDecode /Length";
    let at = scan.windows(from.len()).position(|w| w == from).unwrap();
    let mut broken = scan.clone();
    broken[at..at + from.len()].copy_from_slice(b"/Filter /DCTDecode   /Length");
    std::fs::write(dir.path().join("2020-04-21/skrivelse.pdf"), broken).unwrap();
    for name in ["planned.toml", "held.toml"] {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("handlingar = [\"tu-feriejobb\"]"));
        let text = text.replace(
            "handlingar = [\"tu-feriejobb\"]",
            "handlingar = [\"tu-feriejobb\", \"skrivelse\"]",
        ) + "\n[[handling]]\nid = \"skrivelse\"\ntitle = \"Skrivelse\"\nfile = \"2020-04-21/skrivelse.pdf\"\npubliceras = true\n";
        std::fs::write(&path, text).unwrap();
    }
    dir
}

/// The warning only a drawing of the handling's page gives.
const DRAWN: &str = "warning: bilaga `skrivelse` (`2020-04-21/skrivelse.pdf`): page 1: an image could not be decoded";

/// The entries of the page cache below `out`, by name.
fn cache_entries(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join(".protokoll-cache/pdf"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".pages"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The pages `assemble` says it wrote: "wrote … (N pages)".
fn pages_written(out: &std::process::Output) -> usize {
    let said = stdout(out);
    let line = said
        .lines()
        .find(|l| l.starts_with("wrote") && l.ends_with("pages)"))
        .unwrap_or_else(|| panic!("no pages said: {said}"));
    let n = line.rsplit('(').next().unwrap().trim_end_matches(" pages)");
    n.parse().unwrap()
}

/// Issue 28: validation drew every page of every PDF handling for any document — the
/// protocol, which never prints a handling, and the kallelse alone (10 s for a pack of 200
/// pages). Now only the pack draws a handling's pages, through the output folder's page
/// cache: the protocol's build keeps its PDF bilaga's pages there and nothing of the
/// handling, the kallelse alone draws nothing, the pack draws the handling.
#[test]
fn only_the_pack_draws_the_pages_of_a_pdf_handling() {
    let dir = with_a_pdf_handling();
    let out = dir.path().join("out");
    let build = assemble(dir.path(), &["held.toml"]);
    let err = stderr(&build);
    assert!(build.status.success(), "{err}");
    assert!(!err.contains("could not be decoded"), "{err}");
    // The protocol's PDF bilaga (motion-sprakstod), which it prints: one entry.
    let bilaga = cache_entries(&out);
    assert_eq!(bilaga.len(), 1, "{bilaga:?}");

    let alone = assemble(dir.path(), &["kallelse", "planned.toml"]);
    let err = stderr(&alone);
    assert!(alone.status.success(), "{err}");
    assert!(!err.contains("could not be decoded"), "{err}");
    assert_eq!(cache_entries(&out), bilaga);

    let pack = assemble(dir.path(), &["kallelse", "planned.toml", "--pack"]);
    let err = stderr(&pack);
    assert!(pack.status.success(), "{err}");
    assert!(err.contains(DRAWN), "{err}");
    // The handling's pages are kept; the bilaga's came from the cache.
    let both = cache_entries(&out);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.contains(&bilaga[0]));

    // The public edition likewise: the kallelse draws nothing, the pack its handling's page,
    // from the same cache.
    let public = assemble(dir.path(), &["kallelse", "planned.toml", "--public"]);
    assert!(public.status.success(), "{}", stderr(&public));
    assert!(!stderr(&public).contains("could not be decoded"));
    let public = assemble(
        dir.path(),
        &["kallelse", "planned.toml", "--public", "--pack"],
    );
    assert!(public.status.success(), "{}", stderr(&public));
    assert!(stderr(&public).contains(DRAWN), "{}", stderr(&public));
    assert_eq!(cache_entries(&out), both);

    // `check` never draws a page either.
    let check = assemble(dir.path(), &["check", "planned.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(!stderr(&check).contains("could not be decoded"));
}

/// A second pack takes the handlingar's pages from the page cache (issue 28: `kallelse` kept
/// none, so every pack drew every page again). Shown by what it prints: the same bytes as the
/// first, still saying what the first drawing found; and once the handling's entry is
/// replaced by another sound entry (the bilaga's pages), the pack shows that entry's page in
/// the handling's place — another PDF, with as many pages.
#[test]
fn a_second_pack_takes_the_pages_from_the_cache() {
    let dir = with_a_pdf_handling();
    let out = dir.path().join("out");
    let first = assemble(dir.path(), &["kallelse", "planned.toml", "--pack"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let entries = cache_entries(&out);
    assert_eq!(entries.len(), 2, "{entries:?}");
    let folder = out.join(".protokoll-cache/pdf");
    // Each entry: its magic line, SHA-256, then the page count (u32, little-endian).
    let count = |name: &String| {
        let bytes = std::fs::read(folder.join(name)).unwrap();
        let at = b"protokoll pdf pages 2\n".len() + 32;
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    };
    let handling = entries
        .iter()
        .find(|e| count(e) == 1)
        .expect("the handling's");
    let bilaga = entries
        .iter()
        .find(|e| count(e) == 2)
        .expect("the bilaga's");
    let pack = dir.path().join("out/planned-handlingar.pdf");
    let drawn = std::fs::read(&pack).unwrap();
    let again = assemble(dir.path(), &["kallelse", "planned.toml", "--pack"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains(DRAWN), "{}", stderr(&again));
    assert!(std::fs::read(&pack).unwrap() == drawn);

    std::fs::copy(folder.join(bilaga), folder.join(handling)).unwrap();
    let swapped = assemble(dir.path(), &["kallelse", "planned.toml", "--pack"]);
    assert!(swapped.status.success(), "{}", stderr(&swapped));
    assert!(!stderr(&swapped).contains(DRAWN), "{}", stderr(&swapped));
    assert_eq!(pages_written(&swapped), pages_written(&first));
    assert!(std::fs::read(&pack).unwrap() != drawn);
}
