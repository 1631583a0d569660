//! `assemble verify BUNDLE…`: every bundle against its manifest, every archive package
//! folder against its METS.

use std::path::PathBuf;

use protokoll::bundle;
use protokoll::diag::display_path;

use super::{Failure, print_diagnostics};

pub fn run(bundles: &[PathBuf]) -> Result<(), Failure> {
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
