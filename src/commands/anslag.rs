//! `assemble anslag MEETING [-o FILE]`: the anslagsbevis of a justerat nämnd protocol.

use std::path::{Path, PathBuf};

use protokoll::documents::Document;

use super::{Failure, document};
use crate::cli::Common;

pub fn run(meeting: &Path, output: Option<PathBuf>, common: &Common) -> Result<(), Failure> {
    document::write(meeting, Document::Anslagsbevis, output, common, |_| Ok(()))
}
