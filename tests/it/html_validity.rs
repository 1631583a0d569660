//! The site's HTML checked by a validator nobody here wrote (issue 25): the W3C Nu HTML
//! checker (`vnu.jar`, npm package `vnu-jar`, on a Java runtime) finds no error on any page
//! of the sample site, web editions linked. Beside the axe audit of `browser`: axe reads
//! what a browser made of the page, the Nu checker the markup as written.
//!
//! The jar is found at `VNU_JAR`, else in npm's global folder. Without it or Java a test
//! skips with a printed reason — except in CI (`CI` set, and not `false`/`0`), where it
//! fails: `.ci/run` installs both.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{assemble, stderr};
use crate::site::{sample_archive, site};

/// The path of vnu.jar when it and Java are there; `None` means skip (the reason printed).
/// Panics in CI.
fn checker() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR").map(PathBuf::from).or_else(|| {
        let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
        let root = String::from_utf8(out.stdout).ok()?;
        Some(PathBuf::from(root.trim()).join("vnu-jar/build/dist/vnu.jar"))
    });
    let java = Command::new("java").arg("-version").output();
    let why = match (&jar, java) {
        (Some(jar), Ok(o)) if jar.is_file() && o.status.success() => return jar.clone().into(),
        (_, Err(e)) => format!("java: {e}"),
        (jar, _) => format!("no vnu.jar at {jar:?}"),
    };
    let why = format!(
        "HTML test needs the Nu checker (npm install -g --ignore-scripts vnu-jar) and a Java \
         runtime (apt-get install -y default-jre-headless): {why}"
    );
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    if ci {
        panic!("{why} — in CI the HTML checker must run (.ci/run installs it)");
    }
    eprintln!("SKIPPED: {why}");
    None
}

#[test]
fn nu_checker_finds_no_error_on_any_page_of_the_sample_site() {
    let Some(jar) = checker() else {
        return;
    };
    let arkiv = sample_archive();
    let d = arkiv.path();
    for meeting in [
        "data/amn/2020-04-21.toml",
        "data/fvg/2020-04-16.toml",
        "data/fvg/2020-09-17.toml",
    ] {
        let o = assemble(d, &["publish", meeting]);
        assert!(o.status.success(), "publish {meeting}: {}", stderr(&o));
    }
    let out = d.join("site");
    site(d, &["data", "--editions", "out"], &out);
    let pages = std::fs::read_dir(&out).unwrap().count();
    assert!(pages > 3, "the site was written");

    let said = nu_errors(&jar, &out);
    assert!(said.is_empty(), "the Nu checker found errors:\n{said}");
}

/// The pages of issues 26 and 27: the coming meetings with their public kallelse (start page,
/// organ page) and a corrected protocol's page with its versions.
#[test]
fn nu_checker_finds_no_error_on_coming_meetings_and_a_corrected_protocol() {
    let Some(jar) = checker() else {
        return;
    };
    let runs: [(&str, &[&str]); 2] = [
        (
            "site-coming",
            &["kallelse", "data/amn/2020-04-21.toml", "--public"],
        ),
        ("site-rattelse", &["publish", "data/amn/2020-04-21.toml"]),
    ];
    for (fixture, first) in runs {
        let dir = crate::common::fixture(fixture);
        let o = assemble(dir.path(), first);
        assert!(o.status.success(), "{fixture}: {}", stderr(&o));
        let out = dir.path().join("site");
        site(dir.path(), &["data", "--editions", "out/webb"], &out);
        let said = nu_errors(&jar, &out);
        assert!(
            said.is_empty(),
            "{fixture}: the Nu checker found errors:\n{said}"
        );
    }
}

/// The Nu checker's errors on every .html file below `site` (folders are walked) and the
/// stylesheet, with the site's folder left out of the file names; empty when there are none.
fn nu_errors(jar: &std::path::Path, out: &std::path::Path) -> String {
    let o = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--also-check-css", "--skip-non-html"])
        .args(["--format", "gnu"])
        .arg(out)
        .output()
        .expect("java runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let site_dir = format!("file:{}/", out.display());
    if o.status.success() && said.trim().is_empty() {
        return String::new();
    }
    format!("{}\n{}", o.status, said.replace(&site_dir, ""))
}
