//! The command line: clap derive, with the doc comments as the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use protokoll::shard::Shard;

/// Turns meeting files (TOML) and their bilagor into the formal, paginated PDF protocols a
/// Swedish municipality keeps.
///
/// `assemble data/fvg/2020-09-17.toml` writes out/fvg/2020-09-17.pdf; `assemble data/`
/// does every meeting below data/.
#[derive(Debug, Parser)]
#[command(
    name = "assemble",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub build: BuildArgs,
}

/// Rendering meetings to PDF (the default command).
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Meeting files (.toml), or folders to search for them.
    #[arg(required = true, value_name = "MEETING")]
    pub inputs: Vec<PathBuf>,

    /// Write the PDF to this file (.pdf) instead of under --out-dir (one meeting only); with
    /// `bundle`, the bundle (.zip).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,

    /// Also write the generated Typst source beside each PDF (.typ).
    #[arg(long)]
    pub emit_typst: bool,

    /// Also write a distribution bundle beside each PDF (.zip: the PDF, every bilaga's
    /// original file, manifest.json with sizes and SHA-256).
    #[arg(long)]
    pub bundle: bool,

    /// Rebuild every meeting, even those whose inputs are unchanged since the last run.
    #[arg(long)]
    pub force: bool,

    /// Meetings rendered at once (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Print only problems: no progress, no per-meeting lines, no summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// Render only shard K of N (e.g. 2/4): a stable share of the meetings, for spreading an
    /// archive over several machines (CI matrix, Kubernetes Indexed Job, Slurm array).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The limits each meeting is built under, in a worker process of its own (docs/limits.md).
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Address space of one meeting's worker process (e.g. 2G, 1536M); a meeting that needs
    /// more fails alone, at its file.
    #[arg(long, value_name = "SIZE", value_parser = protokoll::batch::parse_size, default_value = "2G")]
    pub memory_limit: u64,

    /// CPU seconds one meeting may take.
    #[arg(long, value_name = "SECONDS", default_value_t = protokoll::batch::Limits::CPU_SECONDS, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,

    /// Stack of the thread that builds a meeting (e.g. 16M).
    #[arg(long, value_name = "SIZE", value_parser = protokoll::batch::parse_size, default_value = "16M")]
    pub stack_limit: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> protokoll::batch::Limits {
        protokoll::batch::Limits {
            memory: self.memory_limit,
            cpu_seconds: self.time_limit,
            stack: self.stack_limit,
        }
    }
}

/// The options every subcommand that writes documents shares.
#[derive(Debug, Args)]
pub struct Common {
    /// Folder for the outputs; the tree below data/ is mirrored in it.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,

    /// Override the built-in templates file by file with those in DIR
    /// (protokoll.typ for the layout; fvg.typ.j2, namnd.typ.j2, anslag.typ.j2 for the data
    /// mapping).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

/// What one archive package holds (`archive --per`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArchivePer {
    /// One package per meeting.
    Meeting,
    /// One package per organ and year: a batch delivery.
    Year,
}

/// Which kind of meeting `new` starts without --from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// Förvaltningsgrupp (FVG).
    Fvg,
    /// Nämnd: the elected committee's protocol.
    Namnd,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render meetings and write their distribution bundles (the same as --bundle).
    Bundle {
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to standard output,
    /// e.g. `assemble completions bash > /etc/bash_completion.d/assemble`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, e.g. `assemble man > assemble.1`.
    Man,
    /// A batch's worker process (internal): builds the meetings its parent sends, one JSON
    /// line each on standard input, and answers each with its result on standard output.
    #[command(name = "__worker", hide = true)]
    Worker {
        #[command(flatten)]
        common: Common,
        /// One meeting built alone to a named file: no page cache in --out-dir.
        #[arg(long)]
        alone: bool,
        /// Only checks meetings (for `check`): no fonts or templates are loaded.
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema of the meeting file, for editors that complete and check TOML
    /// (Even Better TOML / taplo: a `#:schema` line at the top of the file).
    Schema {
        /// Print the meeting-file reference (Markdown, from the same doc comments) instead:
        /// the generated part of docs/meeting-file-reference.md.
        #[arg(long)]
        markdown: bool,
    },
    /// Verify bundles (every file against manifest.json, and the PDF the manifest names) and
    /// archive packages (every file against its METS: size and SHA-256, nothing unlisted).
    ///
    /// A signed PDF (.pdf) gets every signature reported: signer, signing time, timestamp,
    /// whether it covers the whole file, digest and signature, the chain against --roots
    /// (docs/signatures.md).
    Verify {
        /// Bundles (.zip), archive package folders or signed PDFs (.pdf) to verify.
        #[arg(required = true, value_name = "BUNDLE")]
        bundles: Vec<PathBuf>,

        /// Trusted root certificates (PEM) to check a PDF's signature chains against.
        #[arg(long, value_name = "CA.pem")]
        roots: Option<PathBuf>,

        /// Report a PDF's signatures as JSON on standard output (PDFs only).
        #[arg(long)]
        json: bool,
    },
    /// Sign a justerat protocol as a PAdES baseline B-B (or B-T, --tsa) signature (ETSI EN 319 142-1), an
    /// incremental update that leaves earlier signatures valid; or, for a signing service,
    /// prepare the PDF (--prepare) and put the returned CMS in (--embed). Writes
    /// NAME-signerad.pdf beside the input unless -o says where; a file already named so is
    /// signed in place (docs/signatures.md).
    Sign(Sign),
    /// Write the archive packages a kommun delivers to its e-arkiv: an E-ARK SIP (CSIP/SIP
    /// 2.1 = FGS Paketstruktur 2.0) per justerat meeting, or per organ and year, with METS,
    /// CITS ERMS and PREMIS metadata, the PDF/A documents and their sources. A package whose
    /// meetings are unchanged is kept. See docs/archive.md.
    Archive {
        /// Meeting files (.toml), or folders to search for them. Drafts are left out.
        #[arg(required = true, value_name = "MEETING")]
        inputs: Vec<PathBuf>,

        /// The delivery folder: one package folder in it per meeting (or organ and year).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,

        /// One package per meeting, or per organ and year.
        #[arg(long, value_enum, default_value = "meeting")]
        per: ArchivePer,

        /// Rewrite every package, even those whose meetings are unchanged.
        #[arg(long)]
        force: bool,

        /// The folder the protocols were built into (the build's --out-dir): each package
        /// holds the versions found there byte for byte — the justerat original, signed or
        /// not, and each rättelse's — with a verification of their signatures. Without it
        /// the protocols are typeset anew.
        #[arg(long, value_name = "DIR")]
        protocols: Option<PathBuf>,
    },
    /// Start the next meeting's file from the previous one (--from), or from a commented
    /// skeleton. The file passes `assemble check` as a draft and renders.
    New {
        /// The previous meeting (FVG or nämnd): organ, attendance, officials, place and
        /// agenda carry over; the content of its § does not (except the balanslista).
        #[arg(long, value_name = "MEETING")]
        from: Option<PathBuf>,

        /// The kind of skeleton without --from (with --from the kind is the previous one's).
        #[arg(long, value_enum, default_value = "fvg", conflicts_with = "from")]
        kind: NewKind,

        /// The new meeting's date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        date: time::Date,

        /// Where to write it (.toml; default: DATE.toml beside --from, or in this folder).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,

        /// Start a planned nämnd meeting (`status = "planerat"`, no end time): the file the
        /// kallelse is made from, which becomes the protocol once held (docs/cycle.md).
        #[arg(long)]
        planerat: bool,
    },
    /// Render a meeting, then again whenever its file, a bilaga or a template (those in
    /// --templates too) changes.
    Watch {
        /// The meeting file (.toml).
        #[arg(value_name = "MEETING")]
        meeting: PathBuf,

        /// Write the PDF to this file (.pdf) instead of under --out-dir.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        #[command(flatten)]
        common: Common,

        /// Open the PDF in the desktop's viewer after the first render.
        #[arg(long)]
        open: bool,
    },
    /// Write a protokollsutdrag: a certified extract of one § of a nämnd protocol, with the
    /// attendance in that §, its justering and "Rätt utdraget intygar". A § justerad
    /// omedelbart can be extracted at once; any other only when the protocol is justerat.
    Extract {
        /// The meeting file (.toml) of a nämnd.
        #[arg(value_name = "MEETING")]
        meeting: PathBuf,

        /// The number of the § to extract, as printed (e.g. 8 for "§ 8").
        #[arg(short, long, value_name = "N")]
        paragraf: u32,

        /// Write it here (.pdf) instead of <out-dir>/<organ>/<date>-pN.pdf.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        #[command(flatten)]
        common: Common,
    },
    /// Write the anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §): when the notice
    /// of justering goes up and comes down (three weeks later), and where the protocol is kept.
    Anslag {
        /// The meeting file (.toml) of a nämnd.
        #[arg(value_name = "MEETING")]
        meeting: PathBuf,

        /// Write it here (.pdf) instead of <out-dir>/<organ>/<date>-anslag.pdf.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        #[command(flatten)]
        common: Common,
    },
    /// Write the kallelse of a nämnd meeting with its föredragningslista (the ärenden in
    /// order: diarienummer, föredragande, förslag till beslut, handlingar), or with --pack
    /// the meeting pack: the kallelse followed by every ärende's handlingar, one page
    /// numbering, an outline entry per ärende and handling. --public writes the public
    /// edition (what is marked sekretess left out and said so). See docs/cycle.md.
    Kallelse {
        /// The meeting file (.toml) of a nämnd, planned or held.
        #[arg(value_name = "MEETING")]
        meeting: PathBuf,

        /// The meeting pack: the kallelse and every ärende's handlingar
        /// (<out-dir>/<organ>/<date>-handlingar.pdf).
        #[arg(long)]
        pack: bool,

        /// The public edition, into <out-dir>/webb/: handlingar marked `sekretess` left out
        /// and said so on the föredragningslista; read back by the last gate.
        #[arg(long)]
        public: bool,

        /// Write it here (.pdf) instead of <out-dir>/<organ>/<date>-kallelse.pdf.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        #[command(flatten)]
        common: Common,
    },
    /// Write the web edition of a justerat protocol: what the meeting file marks `sekretess`
    /// replaced by "[Uppgift borttagen enligt …]", refused while a personnummer or
    /// samordningsnummer would be published; beside it the protocol as data (JSON, the web
    /// edition's and the official), and the web edition of each protokollsutdrag of a §
    /// justerad omedelbart that carries withheld text. See docs/publishing.md.
    Publish {
        /// Meeting files (.toml), justerade, or folders to search for them. One that cannot be
        /// published (a draft, a personnummer found) never stops the others.
        #[arg(required = true, value_name = "MEETING")]
        inputs: Vec<PathBuf>,

        /// Write the web edition of the one meeting here (.pdf) instead of
        /// <out-dir>/<organ>/<date>-webb.pdf; the records go beside it (<name>.json and
        /// <date>.json).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,

        /// Attach the web edition's record to its PDF as an associated file (relationship
        /// Data); the PDF is then PDF/A-3a + PDF/UA-1.
        #[arg(long)]
        embed_data: bool,

        #[command(flatten)]
        common: Common,
    },
    /// Check meeting files without rendering: every problem, with its line.
    Check {
        /// Meeting files (.toml), or folders to search for them.
        #[arg(required = true, value_name = "MEETING")]
        inputs: Vec<PathBuf>,

        /// How to print problems: for people, or one JSON object per line (file, line,
        /// column, severity, message, hint) for CI annotations and editors.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,

        /// Also list, for a draft, what remains before it can be justerat: § without beslut
        /// or content, no justerare, values `assemble new` left to be replaced (they are
        /// errors once the file says `justerad`).
        #[arg(long)]
        ready: bool,

        /// Check every meeting again, also those whose files are unchanged since the last
        /// check (by default their problems are reported as they were found).
        #[arg(long)]
        all: bool,

        /// The output folder whose check record (`.protokoll-checks.json`) tells which
        /// meetings are unchanged; no record is kept when the folder does not exist.
        #[arg(long, value_name = "DIR", default_value = "out")]
        out_dir: PathBuf,

        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Write the public archive as a static website: the justerade protocols' web editions
    /// (drafts are left out), an index by organ and year, a page per meeting and per person,
    /// and full-text search. Only changed files are rewritten.
    Site {
        /// Meeting files (.toml), or folders to search for them.
        #[arg(required = true, value_name = "DATA")]
        inputs: Vec<PathBuf>,

        /// The site's folder.
        #[arg(short, long, value_name = "SITE")]
        output: PathBuf,

        /// The folder `assemble publish` wrote the web-edition PDFs to, to publish them
        /// beside their meeting's page.
        #[arg(long, value_name = "DIR")]
        editions: Option<PathBuf>,
    },
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map_err(|_| format!("`{text}` is not a date: write it as 2020-10-15"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

/// `assemble sign`: what to sign, with which key, and where to write it.
#[derive(Debug, Args)]
pub struct Sign {
    /// The PDF to sign.
    #[arg(value_name = "PDF")]
    pub pdf: PathBuf,

    /// The signer's key and certificate chain (PKCS#12: the kommun's e-seal).
    #[arg(long, value_name = "KEY.p12", required_unless_present_any = ["prepare", "embed"], conflicts_with_all = ["prepare", "embed"])]
    pub p12: Option<PathBuf>,

    /// A file whose first line is the PKCS#12 file's password (default: no password).
    #[arg(long, value_name = "FILE", requires = "p12")]
    pub password_file: Option<PathBuf>,

    /// Write the PDF with a reserved signature field (NAME-forberedd.pdf), the bytes to
    /// sign beside it (.bytes) and print their SHA-256, for a signing service.
    #[arg(long, conflicts_with = "embed")]
    pub prepare: bool,

    /// Put this CMS SignedData (DER), made over a prepared PDF's bytes, into it.
    #[arg(long, value_name = "SIG.cms")]
    pub embed: Option<PathBuf>,

    /// Where to write the signed (or prepared) PDF.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace an existing output file that is not the input.
    #[arg(long)]
    pub force: bool,

    /// How many will sign (ordförande and justerare): the first signature adds a tagged
    /// field for each, and each later one fills the next empty field, so the structure
    /// tree is not changed again after the first signature.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=20))]
    pub signers: u16,

    /// An RFC 3161 timestamp authority (http://…): the signature gets its token, PAdES
    /// B-T (a trusted time the signature existed at).
    #[arg(long, value_name = "URL", requires = "p12")]
    pub tsa: Option<String>,
}
