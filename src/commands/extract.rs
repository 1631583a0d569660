//! `assemble extract MEETING -p N [-o FILE]`: the protokollsutdrag of § N.

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::documents::{Document, protokollsutdrag};
use protokoll::meeting::Protocol;

use super::{Failure, document};
use crate::cli::Common;

pub fn run(
    meeting: &Path,
    number: u32,
    output: Option<PathBuf>,
    common: &Common,
) -> Result<(), Failure> {
    document::write(
        meeting,
        Document::Protokollsutdrag(number),
        output,
        common,
        |protocol| match protocol {
            Protocol::Namnd(m) if m.paragraf(number).is_none() => Err(Failure::usage(
                format!("`{}` has no § {number}", display_path(meeting)),
                Some(format!("its § are {}", protokollsutdrag::paragraf_range(m))),
            )),
            _ => Ok(()),
        },
    )
}
