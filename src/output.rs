//! Where outputs go, and writing them safely: to a temporary file in the target folder, then
//! renamed, so a failed or interrupted run never leaves a partial file and never destroys
//! the previous good one.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The output path for a meeting file: the path below `data/` mirrored under `out_dir`
/// (`data/fvg/2020-09-17.toml` → `out/fvg/2020-09-17.pdf`); a file elsewhere goes straight
/// into `out_dir`.
pub fn mirrored(meeting: &Path, out_dir: &Path, extension: &str) -> PathBuf {
    let components: Vec<Component> = meeting.components().collect();
    let below_data = components
        .iter()
        .rposition(|c| c.as_os_str() == "data")
        .map(|i| components[i + 1..].iter().collect::<PathBuf>())
        .filter(|p| !p.as_os_str().is_empty());
    let relative =
        below_data.unwrap_or_else(|| PathBuf::from(meeting.file_name().unwrap_or_default()));
    out_dir.join(relative).with_extension(extension)
}

/// Writes `bytes` to `path` atomically (same-folder temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".protokoll-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrors_the_tree_below_data() {
        let out = Path::new("out");
        assert_eq!(
            mirrored(Path::new("data/fvg/2020-09-17.toml"), out, "pdf"),
            Path::new("out/fvg/2020-09-17.pdf")
        );
        assert_eq!(
            mirrored(Path::new("/x/data/amn/a.toml"), out, "typ"),
            Path::new("out/amn/a.typ")
        );
        assert_eq!(
            mirrored(Path::new("/tmp/m/möte.toml"), out, "pdf"),
            Path::new("out/möte.pdf")
        );
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.pdf");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }
}
