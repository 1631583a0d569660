//! protokoll: meeting data → formal, paginated PDF protocols.
//!
//! The pipeline, one module a stage: [`meeting`] (load and validate, once) →
//! [`documents`] (the protocol, a protokollsutdrag, an anslagsbevis: model → [`typeset::Job`],
//! through the templates of [`render`]) → [`typeset`] (Typst in process, in a [`world`];
//! [`export`] to PDF/A + PDF/UA) → [`output`] (atomic writes). [`pipeline`] runs it for one
//! meeting; [`batch`] maps it over many in parallel, skipping unchanged ones
//! ([`incremental`]), optionally one [`shard`] of them, and writes distribution [`bundle`]s.
//!
//! The library prints nothing and never exits: every function returns its value or its
//! problems ([`diag::Diagnostic`]s). The command line (`src/main.rs`, `src/commands/`) is the
//! only caller that prints and chooses exit codes.

pub mod archive;
pub mod batch;
pub mod bilaga;
pub mod bundle;
mod cap;
pub mod diag;
pub mod documents;
mod escape;
pub mod export;
mod fonts;
mod incremental;
/// `assemble check` reuses what it found for meetings whose inputs are unchanged.
pub use incremental::{Checks, check_recorded};
pub mod inputs;
pub mod markdown;
pub mod meeting;
pub mod output;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod sandbox;
pub mod scaffold;
pub mod shard;
pub mod signature;
pub mod site;
mod swedish;
pub mod typeset;
pub mod watch;
pub mod world;
