//! `assemble check MEETING…`: every problem of every meeting, without rendering.

use std::path::PathBuf;

use protokoll::diag::display_path;
use protokoll::pipeline;

use super::{Failure, find_meetings, print_diagnostics};
use crate::cli::MessageFormat;

pub fn run(inputs: &[PathBuf], format: MessageFormat) -> Result<(), Failure> {
    let meetings = find_meetings(inputs)?;
    let mut failed = 0;
    for meeting in &meetings {
        let (ok, problems) = match pipeline::check(&meeting.path) {
            Ok((_, warnings)) => (true, warnings),
            Err(problems) => (false, problems),
        };
        failed += usize::from(!ok);
        match format {
            MessageFormat::Human => {
                print_diagnostics(&problems);
                if ok {
                    println!("ok {}", display_path(&meeting.path));
                }
            }
            MessageFormat::Json => {
                for p in &problems {
                    println!("{}", p.to_json());
                }
            }
        }
    }
    if failed > 0 {
        Err(Failure::input(Vec::new()))
    } else {
        Ok(())
    }
}
