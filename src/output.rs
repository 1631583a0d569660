//! Where outputs go, and writing them safely: to a temporary file in the target folder, then
//! renamed, so a failed or interrupted run never leaves a partial file and never destroys
//! the previous good one.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (same-folder temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".protokoll-").suffix(".tmp");
    // Outputs are for others to read (a web server, a colleague): not the private 0600 of
    // a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Holds the lock on an output folder until dropped.
pub struct DirLock {
    _file: std::fs::File,
}

/// Locks an output folder against concurrent runs, waiting (after calling `waiting`) if
/// another run holds it. The lock is released when the process ends, however it ends.
///
/// A lock file that is a symbolic link is refused (issue 13): opening it would create or
/// truncate whatever file it names, anywhere the user may write.
pub fn lock_dir(dir: &Path, waiting: impl FnOnce()) -> std::io::Result<DirLock> {
    let path = dir.join(".protokoll.lock");
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    if path.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
        return Err(symlinked_lock());
    }
    let file = options.open(&path).map_err(|e| {
        // O_NOFOLLOW: a link put there since the check above.
        if e.raw_os_error() == Some(libc::ELOOP) {
            symlinked_lock()
        } else {
            e
        }
    })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(DirLock { _file: file })
}

fn symlinked_lock() -> std::io::Error {
    std::io::Error::other(
        "its lock file `.protokoll.lock` is a symbolic link, which is never followed: remove the link",
    )
}

/// Removes temporary files an interrupted run left below `dir`. Call only with the lock held.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_stale_temporaries(&path);
        } else if name.starts_with(".protokoll-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporaries_are_removed_and_outputs_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("fvg")).unwrap();
        std::fs::write(dir.path().join("fvg/.protokoll-abc.tmp"), "half").unwrap();
        std::fs::write(dir.path().join("fvg/a.pdf"), "whole").unwrap();
        remove_stale_temporaries(dir.path());
        assert!(!dir.path().join("fvg/.protokoll-abc.tmp").exists());
        assert!(dir.path().join("fvg/a.pdf").exists());
    }

    /// A lock file linked to another file: refused, and the file it names is not created.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_lock_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, dir.path().join(".protokoll.lock")).unwrap();
        let err = lock_dir(dir.path(), || {}).err().expect("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(!target.exists());
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
