//! Yrkanden as structure ([[bilaga.topic]] / [[bilaga.topic.yrkande]]): the sample renders
//! every yrkande with its supporters and answer; the rules (answered once justerat,
//! supporters present, exactly one kind of content) fail at the right line; text is literal.

use std::path::Path;

use crate::common::*;

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture contains `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first line of meeting.toml that starts with `prefix`, after
/// `after` (also a line prefix).
fn line_of(dir: &Path, after: &str, prefix: &str) -> usize {
    let text = std::fs::read_to_string(dir.join("meeting.toml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(after)).unwrap();
    start
        + lines[start..]
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap()
        + 1
}

fn fails(dir: &Path) -> String {
    let out = assemble(dir, &["meeting.toml", "-o", "out.pdf"]);
    assert_eq!(out.status.code(), Some(1), "exit 1:\n{}", stderr(&out));
    assert!(!dir.join("out.pdf").exists(), "no PDF for bad input");
    stderr(&out)
}

/// The pages of bilaga `n`, joined.
fn bilaga_text(pages: &[String], n: usize) -> String {
    let header = format!("Bilaga {n} till protokoll");
    pages
        .iter()
        .filter(|p| p.contains(&header))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_sample_renders_every_yrkande_with_supporters_and_answer_in_order() {
    let toml_path = repo().join("data/fvg/2020-04-16.toml");
    let meeting: toml::Table =
        toml::from_str(&std::fs::read_to_string(&toml_path).unwrap()).expect("the sample parses");
    let bilaga = meeting["bilaga"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b.get("topic").is_some())
        .expect("the sample has a bilaga of yrkanden");
    let topics = bilaga["topic"].as_array().unwrap();
    let yrkanden: Vec<&toml::Value> = topics
        .iter()
        .flat_map(|t| t["yrkande"].as_array().unwrap())
        .collect();
    assert_eq!((topics.len(), yrkanden.len()), (2, 3));

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("y.pdf");
    let out = assemble(
        dir.path(),
        &[toml_path.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = pages(&pdf);
    let text = bilaga_text(&pages, 2);
    assert!(
        text.contains("Sida 1 (2)") && text.contains("Sida 2 (2)"),
        "{text}"
    );
    assert_eq!(text.matches("Besvaras:").count(), yrkanden.len(), "{text}");
    assert_eq!(text.matches("LR yrkar:").count(), topics.len(), "{text}");

    // Each topic, numbered, then its yrkanden: the att-sats, the supporters, the answer.
    let mut expected: Vec<String> = vec!["LRs yrkanden:".into()];
    for (i, t) in topics.iter().enumerate() {
        expected.push(format!("{}. {}", i + 1, t["title"].as_str().unwrap()));
        expected.push("LR yrkar:".into());
        for y in t["yrkande"].as_array().unwrap() {
            let words = |key: &str| {
                let all = fold(y[key].as_str().unwrap());
                all.split(' ').take(6).collect::<Vec<_>>().join(" ")
            };
            expected.push(words("text"));
            let supporters: Vec<&str> = y["supported_by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            expected.push(format!(
                "{} stödjer LRs yrkande.",
                match supporters.as_slice() {
                    [one] => one.to_string(),
                    [a, b] => format!("{a} och {b}"),
                    _ => unreachable!("the sample has one or two supporters"),
                }
            ));
            expected.push(format!("Besvaras: {}", words("answer")));
        }
    }
    assert!(expected[3].starts_with("att förvaltningen i samverkan"));
    assert!(text.contains("Lärarförbundet och SACO stödjer LRs yrkande."));
    let needles: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&text, &needles);
}

#[test]
fn the_fixture_renders_supporters_by_short_form_and_full_name() {
    let dir = fixture("yrkanden");
    let pdf = build(dir.path());
    let text = bilaga_text(&pages(&pdf), 1);
    assert_in_order(
        &text,
        &[
            "Bilaga 1: Yrkanden från facklig part",
            "LRs yrkanden:",
            "1. Kompetensförsörjning",
            "LR instämmer i förvaltningens beskrivning",
            "Två viktiga rekryteringsfaktorer",
            "LR yrkar:",
            "att förvaltningen tar fram konkreta åtgärder",
            "Lärarförbundet stödjer LRs yrkande.",
            "Besvaras: Förvaltningen har ett pågående arbete",
            "att förvaltningen särskilt bevakar",
            "Lärarförbundet och SACO stödjer LRs yrkande.",
            "Besvaras: Förvaltningens målsättning",
            "2. Chefsrekrytering",
            "LR yrkar:",
            "att de fackliga representanterna",
            "Lärarförbundet och kommunal stödjer LRs yrkande.",
            "Besvaras: Sådan översyn",
        ],
    );
}

#[test]
fn an_unanswered_yrkande_warns_in_a_draft() {
    let dir = fixture("yrkanden");
    edit(dir.path(), "justerad = 2020-04-17\n", "");
    edit(
        dir.path(),
        "answer = \"Förvaltningens målsättning är alltid att ha adekvat dimensionering av resurser.\"\n",
        "",
    );
    let line = line_of(
        dir.path(),
        "text = \"att förvaltningen tar fram",
        "[[bilaga.topic.yrkande]]",
    );
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: yrkande 2 of topic 1 (`Kompetensförsörjning`) is not answered yet"),
        "{err}"
    );
    assert!(
        err.contains(&format!("meeting.toml:{line}:")),
        "line {line}:\n{err}"
    );
    let text = bilaga_text(&pages(&dir.path().join("out.pdf")), 1);
    assert_eq!(text.matches("Besvaras:").count(), 3, "{text}");
    assert!(text.contains("Besvaras: ej besvarat ännu"), "{text}");
}

#[test]
fn an_unanswered_yrkande_fails_a_justerat_protocol() {
    let dir = fixture("yrkanden");
    edit(
        dir.path(),
        "answer = \"Förvaltningens målsättning är alltid att ha adekvat dimensionering av resurser.\"\n",
        "",
    );
    let line = line_of(
        dir.path(),
        "text = \"att förvaltningen tar fram",
        "[[bilaga.topic.yrkande]]",
    );
    let err = fails(dir.path());
    assert!(
        err.contains(
            "error: yrkande 2 of topic 1 (`Kompetensförsörjning`) is not answered, but the protocol is justerat"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!("meeting.toml:{line}:1")),
        "line {line}:\n{err}"
    );
    assert!(err.contains("hint: add answer = "), "{err}");
}

#[test]
fn an_unknown_supporter_is_an_error_at_its_line_with_the_organisations_present() {
    let dir = fixture("yrkanden");
    edit(
        dir.path(),
        "supported_by = [\"Lärarförbundet\", \"SACO\"]",
        "supported_by = [\n  \"Lärarförbundet\",\n  \"Unionen\",\n]",
    );
    let line = line_of(dir.path(), "supported_by = [", "  \"Unionen\"");
    let err = fails(dir.path());
    assert!(
        err.contains("error: `Unionen` is not an organisation present at the meeting"),
        "{err}"
    );
    assert!(
        err.contains(&format!("meeting.toml:{line}:3")),
        "line {line}:\n{err}"
    );
    assert!(
        err.contains("Lärarnas Riksförbund (LR), SACO-rådet (SACO), Lärarförbundet, Kommunal"),
        "the hint lists the organisations present:\n{err}"
    );
}

#[test]
fn a_supporter_only_listed_as_absent_is_an_error() {
    let dir = fixture("yrkanden");
    edit(
        dir.path(),
        "supported_by = [\"Lärarförbundet\"]",
        "supported_by = [\"Vision\"]",
    );
    let err = fails(dir.path());
    assert!(
        err.contains("`Vision` supports a yrkande, but everyone from it is listed as absent"),
        "{err}"
    );
}

#[test]
fn a_bilaga_with_both_file_and_yrkanden_is_an_error() {
    let dir = fixture("yrkanden");
    std::fs::write(dir.path().join("b.md"), "Text.\n").unwrap();
    edit(
        dir.path(),
        "from = \"Lärarnas Riksförbund\"\n",
        "from = \"Lärarnas Riksförbund\"\nfile = \"b.md\"\n",
    );
    let line = line_of(dir.path(), "id = \"lr-yrkanden\"", "file = ");
    let err = fails(dir.path());
    assert!(
        err.contains("error: bilaga `lr-yrkanden` has both a `file` and yrkanden (`topic`)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("meeting.toml:{line}:8")),
        "line {line}:\n{err}"
    );
}

#[test]
fn a_bilaga_with_neither_file_nor_yrkanden_is_an_error() {
    let dir = fixture("yrkanden");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("\n[[bilaga.topic]]").unwrap();
    std::fs::write(&path, &text[..cut + 1]).unwrap();
    let line = line_of(dir.path(), "[[bilaga]]", "id = ");
    let err = fails(dir.path());
    assert!(
        err.contains("error: bilaga `lr-yrkanden` has no content"),
        "{err}"
    );
    assert!(
        err.contains(&format!("meeting.toml:{line}:6")),
        "line {line}:\n{err}"
    );
    assert!(
        err.contains("[[bilaga.topic]]"),
        "the hint names both ways:\n{err}"
    );
}

#[test]
fn typst_in_a_topic_title_yrkande_or_supporter_prints_literally() {
    let dir = fixture("yrkanden");
    let evil = r##"#panic(\"boom\") $x$ <z> @w // c ] ) #import \"x.typ\": *"##;
    let printed = r##"#panic("boom") $x$ <z> @w // c ] ) #import "x.typ": *"##;
    edit(
        dir.path(),
        "title = \"Kompetensförsörjning\"",
        &format!("title = \"{evil}\""),
    );
    // In Markdown, `<z>` would be inline HTML: leave it out of the Markdown fields.
    let evil_md = r##"att #panic(\"boom\") $x$ @w // c ] ) #set text(red)"##;
    let printed_md = r##"att #panic("boom") $x$ @w // c ] ) #set text(red)"##;
    edit(
        dir.path(),
        "text = \"att förvaltningen särskilt bevakar dimensioneringen av SYV.\"",
        &format!("text = \"{evil_md}\""),
    );
    edit(
        dir.path(),
        "{ name = \"Izabella Petre\", union = \"Kommunal\" }",
        &format!("{{ name = \"Izabella Petre\", union = \"{evil}\" }}"),
    );
    edit(
        dir.path(),
        "supported_by = [\"Lärarförbundet\", \"kommunal\"]",
        &format!("supported_by = [\"{evil}\"]"),
    );
    let pdf = build(dir.path());
    // Markup quotes become Swedish smart quotes (”), which is typography, not alteration.
    let text = bilaga_text(&pages(&pdf), 1).replace(['”', '“'], "\"");
    assert!(
        text.contains(&format!("1. {printed}")),
        "topic title:\n{text}"
    );
    assert!(text.contains(printed_md), "yrkande text:\n{text}");
    assert!(
        text.contains(&format!("{printed} stödjer LRs yrkande.")),
        "supporter:\n{text}"
    );
}

/// A bilaga of yrkanden has no file: the bundle carries the other bilagor's originals only,
/// and a change in another bilaga's file still rebuilds the meeting (the incremental key
/// once lost every bilaga file of a meeting with a bilaga without `file`).
#[test]
fn a_meeting_with_yrkanden_bundles_and_rebuilds_on_its_other_bilagor() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let meeting = d.join("data/fvg/2020-04-16.toml");
    copy_dir(
        &repo().join("data/fvg/2020-04-16"),
        &d.join("data/fvg/2020-04-16"),
    );
    std::fs::copy(repo().join("data/fvg/2020-04-16.toml"), &meeting).unwrap();
    let out = assemble(d, &["bundle", "data/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zip = std::fs::File::open(d.join("out/fvg/2020-04-16.zip")).unwrap();
    let names: Vec<String> = zip::ZipArchive::new(zip)
        .unwrap()
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "manifest.json",
            "2020-04-16.pdf",
            "bilagor/bilaga-1-saco-skrivelse.md"
        ]
    );
    let verify = assemble(d, &["verify", "out/fvg/2020-04-16.zip"]);
    assert!(verify.status.success(), "{}", stderr(&verify));

    let again = assemble(d, &["bundle", "data/"]);
    assert!(
        stdout(&again).contains("0 built, 1 unchanged"),
        "{}",
        stdout(&again)
    );
    let saco = d.join("data/fvg/2020-04-16/saco-skrivelse.md");
    let text = std::fs::read_to_string(&saco).unwrap();
    std::fs::write(&saco, text.replacen("SACO", "SACO-rådet", 1)).unwrap();
    let rebuilt = assemble(d, &["bundle", "data/"]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(
        stdout(&rebuilt).contains("1 built, 0 unchanged"),
        "{}",
        stdout(&rebuilt)
    );
}
