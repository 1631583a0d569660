//! Bilagor in formats other than Markdown, one module per format, each turned into what the
//! validated model carries (markup, in-memory assets).
//!
//! (The DOCX branch adds format detection by content here; the PDF reader is [`pdf`].)

pub mod pdf;
mod svg_compact;
