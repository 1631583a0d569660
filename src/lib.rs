//! protokoll: meeting data → formal, paginated PDF protocols.
//!
//! The pipeline, one module a stage: [`meeting`] (load and validate) → [`render`] (minijinja
//! → Typst source) → [`typeset`] (Typst in process, in a [`world`]) → [`export`] (PDF) →
//! [`output`] (atomic writes). [`assemble`] runs it for one meeting; [`run`] for the command
//! line; [`batch`] maps it over many meetings in parallel, skipping unchanged ones
//! ([`incremental`]), optionally one [`shard`] of them, and writes distribution [`bundle`]s.

pub mod anslag;
pub mod assemble;
pub mod batch;
pub mod bilaga;
pub mod bundle;
pub mod cli;
pub mod derived;
pub mod diag;
pub mod escape;
pub mod export;
pub mod extract;
pub mod incremental;
pub mod inputs;
pub mod markdown;
pub mod meeting;
pub mod output;
pub mod publish;
pub mod render;
pub mod sandbox;
pub mod scaffold;
pub mod shard;
pub mod swedish;
pub mod typeset;
pub mod watch;
pub mod world;

pub(crate) mod commands;

pub use commands::run;
