//! protokoll: meeting data → formal, paginated PDF protocols.
//!
//! The pipeline, one module a stage: [`meeting`] (load and validate) → [`render`] (minijinja
//! → Typst source) → [`typeset`] (Typst in process, in a [`world`]) → [`export`] (PDF) →
//! [`output`] (atomic writes). [`assemble`] runs it for one meeting; [`run`] for the command
//! line.

pub mod assemble;
pub mod cli;
pub mod diag;
pub mod escape;
pub mod export;
pub mod markdown;
pub mod meeting;
pub mod output;
pub mod render;
pub mod sandbox;
pub mod swedish;
pub mod typeset;
pub mod world;

mod commands;

pub use commands::run;
