//! `assemble sign PDF`: a PAdES signature with a PKCS#12 e-seal, or the two steps for a
//! signing service (`--prepare`, `--embed`). Where the output goes (docs/signatures.md):
//! `NAME-signerad.pdf` beside the input; an input already named `…-signerad.pdf` is signed
//! in place, since a signature only appends (its earlier bytes, and signatures, stay). An
//! existing file that is not the input is never replaced without --force: a justerat
//! original stays as it was (the rättelse rule).

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::diag::Diagnostic;
use protokoll::output::write_atomic;
use protokoll::signature;

use super::Failure;

/// The command line's `sign` arguments.
pub(crate) use crate::cli::Sign as Request;

const SIGNED: &str = "-signerad";
const PREPARED: &str = "-forberedd";

pub fn run(request: &Request) -> Result<(), Failure> {
    let input = read(&request.pdf)?;
    let fail = |message: String| {
        Failure::input(vec![Diagnostic::error(format!(
            "{}: {message}",
            display_path(&request.pdf)
        ))])
    };
    let now = signing_time();
    if request.prepare {
        let out = target(request, PREPARED)?;
        let prepared =
            signature::prepare(&input, now, usize::from(request.signers)).map_err(fail)?;
        let bytes = out.with_extension("bytes");
        write(&out, &prepared.pdf)?;
        write(&bytes, &prepared.signed_bytes)?;
        let hex: String = prepared.digest.iter().map(|b| format!("{b:02x}")).collect();
        say!(
            "prepared {} (bytes to sign: {})",
            display_path(&out),
            display_path(&bytes)
        );
        say!("sha256 {hex}");
        return Ok(());
    }
    if let Some(cms) = &request.embed {
        let contents = read(cms)?;
        let out = target(request, SIGNED)?;
        let signed = signature::embed(&input, &contents).map_err(fail)?;
        write(&out, &signed)?;
        say!("signed {}", display_path(&out));
        return Ok(());
    }
    let Some(p12) = &request.p12 else {
        return Err(Failure::usage(
            "nothing to sign with",
            Some("give --p12 KEY.p12".into()),
        ));
    };
    let password = match &request.password_file {
        Some(file) => {
            let text = String::from_utf8(read(file)?).map_err(|_| {
                Failure::input(vec![Diagnostic::error(format!(
                    "{}: the password file is not UTF-8",
                    display_path(file)
                ))])
            })?;
            text.lines().next().unwrap_or_default().to_owned()
        }
        None => String::new(),
    };
    let seal = signature::p12::read(&read(p12)?, &password).map_err(|e| {
        Failure::input(vec![Diagnostic::error(format!(
            "{}: {e}",
            display_path(p12)
        ))])
    })?;
    let out = target(request, SIGNED)?;
    let signed = signature::sign(
        &input,
        &seal,
        now,
        usize::from(request.signers),
        request.tsa.as_deref(),
    )
    .map_err(fail)?;
    write(&out, &signed)?;
    say!("signed {}", display_path(&out));
    Ok(())
}

/// The claimed signing time: now, or `SOURCE_DATE_EPOCH` for a reproducible run.
fn signing_time() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

/// The output: -o, or the input's name with `suffix` (or the input itself when its name
/// already ends so). An existing other file is kept unless --force.
fn target(request: &Request, suffix: &str) -> Result<PathBuf, Failure> {
    let input = &request.pdf;
    let out = match &request.output {
        Some(o) => o.clone(),
        None => {
            let stem = input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let base = stem
                .strip_suffix(SIGNED)
                .or_else(|| stem.strip_suffix(PREPARED))
                .unwrap_or(&stem);
            if suffix == SIGNED && stem.ends_with(SIGNED) {
                input.clone()
            } else {
                input.with_file_name(format!("{base}{suffix}.pdf"))
            }
        }
    };
    super::expect_extension(&out, "pdf", "a PDF")?;
    if out.exists() && !request.force && !same_file(&out, input) {
        return Err(Failure::usage(
            format!(
                "`{}` exists already and is not the input",
                display_path(&out)
            ),
            Some(
                "a signed protocol is not replaced: name another file with -o, sign that \
                 file itself, or give --force"
                    .into(),
            ),
        ));
    }
    Ok(out)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::input(vec![Diagnostic::error(format!(
            "cannot read `{}`: {e}",
            display_path(path)
        ))])
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_atomic(path, bytes).map_err(|e| {
        Failure::input(vec![Diagnostic::error(format!(
            "cannot write `{}`: {e} (nothing written)",
            display_path(path)
        ))])
    })
}
