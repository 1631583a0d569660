//! `assemble verify BUNDLE…`: every bundle against its manifest, every archive package
//! folder against its METS, every signature of a signed PDF (docs/signatures.md).

use std::path::{Path, PathBuf};

use protokoll::bundle;
use protokoll::diag::{Diagnostic, display_path};
use protokoll::signature;

use super::{Failure, print_diagnostics};

pub fn run(bundles: &[PathBuf], roots: Option<&Path>, json: bool) -> Result<(), Failure> {
    let is_pdf = |p: &PathBuf| {
        p.extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("pdf"))
    };
    if bundles.iter().any(is_pdf) {
        if let Some(other) = bundles.iter().find(|p| !is_pdf(p)) {
            return Err(Failure::usage(
                format!(
                    "`{}` is not a PDF: signed PDFs and bundles are verified in separate runs",
                    display_path(other)
                ),
                None,
            ));
        }
        return signatures(bundles, roots, json);
    }
    if json || roots.is_some() {
        return Err(Failure::usage(
            "--json and --roots are for signed PDFs",
            Some("name the .pdf files to check their signatures".into()),
        ));
    }
    let mut failed = 0;
    for path in bundles {
        if protokoll::archive::is_package(path) {
            match protokoll::archive::verify(path) {
                Ok(v) => say!(
                    "ok {}: package {}, {} files",
                    display_path(path),
                    v.objid,
                    v.files
                ),
                Err(problems) => {
                    failed += 1;
                    print_diagnostics(&problems);
                }
            }
            continue;
        }
        match bundle::verify(path) {
            Ok(manifest) => say!(
                "ok {}: {}, protocol {} ({} {})",
                display_path(path),
                super::count(manifest.files.len(), "file", "files"),
                manifest.protocol,
                manifest.organ,
                manifest.date
            ),
            Err(problems) => {
                failed += 1;
                print_diagnostics(&problems);
            }
        }
    }
    if failed > 0 {
        Err(Failure::input(Vec::new()))
    } else {
        Ok(())
    }
}

/// Every signature of every PDF: a block of text each, or one JSON array of files.
fn signatures(pdfs: &[PathBuf], roots: Option<&Path>, json: bool) -> Result<(), Failure> {
    let input_error = |path: &Path, e: String| {
        Failure::input(vec![Diagnostic::error(format!(
            "{}: {e}",
            display_path(path)
        ))])
    };
    let roots = match roots {
        Some(path) => {
            let text = std::fs::read(path).map_err(|e| input_error(path, e.to_string()))?;
            Some(signature::read_roots(&text).map_err(|e| input_error(path, e))?)
        }
        None => None,
    };
    let mut all_valid = true;
    let mut files = Vec::new();
    for path in pdfs {
        let bytes = std::fs::read(path).map_err(|e| input_error(path, e.to_string()))?;
        let reports =
            signature::verify(&bytes, roots.as_deref()).map_err(|e| input_error(path, e))?;
        let valid = !reports.is_empty() && reports.iter().all(signature::Report::is_valid);
        all_valid &= valid;
        if json {
            files.push(signature::file_report(&display_path(path), &reports));
            continue;
        }
        if reports.is_empty() {
            say!("{}: no signatures", display_path(path));
        }
        for (i, r) in reports.iter().enumerate() {
            say!(
                "{} signature {} ({}): {}",
                display_path(path),
                i + 1,
                r.field,
                if r.is_valid() { "valid" } else { "INVALID" }
            );
            say!(
                "  signer: {}",
                r.signer_subject.as_deref().unwrap_or("unknown")
            );
            say!(
                "  signing time (claimed): {}",
                r.signing_time.as_deref().unwrap_or("none")
            );
            if let Some(t) = &r.timestamp_time {
                say!("  timestamp: {t}");
            }
            match &r.coverage {
                signature::Coverage::WholeFile => say!("  covers the whole document"),
                signature::Coverage::EarlierRevision {
                    signed_bytes,
                    file_bytes,
                    by_later_signature,
                } => say!(
                    "  does not cover the whole document: {signed_bytes} of {file_bytes} bytes; {}",
                    if *by_later_signature {
                        "the rest is covered by a later signature"
                    } else {
                        "changed after signing by a revision no signature covers"
                    }
                ),
            }
            say!(
                "  digest: {}, signature: {}",
                if r.digest_valid { "intact" } else { "MODIFIED" },
                if r.signature_valid {
                    "valid"
                } else {
                    "INVALID"
                }
            );
            match &r.chain {
                signature::Chain::Trusted(root) => say!("  chain: trusted (root {root})"),
                signature::Chain::Untrusted(why) => say!("  chain: UNTRUSTED ({why})"),
                signature::Chain::NotChecked => say!("  chain: not checked (no --roots)"),
            }
            for p in &r.problems {
                say!("  problem: {p}");
            }
        }
    }
    if json {
        super::print_bytes(
            format!(
                "{}\n",
                serde_json::to_string_pretty(&files).unwrap_or_default()
            )
            .as_bytes(),
        )?;
    }
    if all_valid {
        Ok(())
    } else {
        Err(Failure::input(Vec::new()))
    }
}
