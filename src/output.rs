//! Where outputs go, and writing them safely: to a temporary file in the target folder, then
//! renamed, so a failed or interrupted run never leaves a partial file and never destroys
//! the previous good one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (same-folder temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    temporary(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes what `write` writes to `path` atomically, streamed (a large file is not held in
/// memory whole): a same-folder temporary file, synced, then renamed.
pub(crate) fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = temporary(path, b"")?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes several files as one: every file is written to a temporary beside its target
/// first, and only when all are written are they renamed into place. A failure before that
/// (a full disk, a folder that cannot be created) replaces none of the previous files.
/// The error names the file that failed.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, std::io::Error)> {
    // A rename over a folder fails: find that before anything is replaced.
    if let Some((path, _)) = files.iter().find(|(p, _)| p.is_dir()) {
        return Err((
            path.clone(),
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
        ));
    }
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        written.push(temporary(path, bytes).map_err(|e| (path.clone(), e))?);
    }
    for ((path, _), tmp) in files.iter().zip(written) {
        tmp.persist(path).map_err(|e| (path.clone(), e.error))?;
    }
    Ok(())
}

/// A file written to a synced temporary beside its target, not yet renamed into place
/// ([`stage`]; renamed by the [`StagedFiles`] it is added to); dropped, the temporary is
/// removed. Its file is closed: a site of 10,000 meetings stages tens of thousands.
pub(crate) struct Staged {
    path: PathBuf,
    tmp: tempfile::TempPath,
}

/// `bytes` for `path`, written and synced beside it now, renamed into place later
/// ([`StagedFiles::persist`]): a large build writes each file as it is made, so its memory does
/// not grow with the number of files, and still replaces none of the previous files until
/// every one is written ([`write_all_atomic`] for files made as they are staged).
pub(crate) fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<Staged> {
    // A rename over a folder fails: found before anything is replaced.
    if path.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        ));
    }
    Ok(Staged {
        path: path.to_path_buf(),
        tmp: temporary(path, bytes)?.into_temp_path(),
    })
}

/// Files staged ([`stage`]) to be renamed into place as one ([`StagedFiles::persist`]). Which
/// temporary goes where is kept in an unnamed temporary file in the output folder, not in
/// memory: a first build of a site of 10,000 meetings stages 50,000 files, and the list would
/// grow with the archive (issue 28). Dropped without being persisted (a build that failed),
/// every temporary it lists is removed.
pub(crate) struct StagedFiles {
    dir: PathBuf,
    list: Option<std::io::BufWriter<std::fs::File>>,
    count: usize,
}

impl StagedFiles {
    /// A list for files staged below `dir` (made when the first file is staged).
    pub(crate) fn new(dir: &Path) -> Self {
        StagedFiles {
            dir: dir.to_path_buf(),
            list: None,
            count: 0,
        }
    }

    /// Adds a staged file: from now on the list removes its temporary or renames it in.
    pub(crate) fn push(&mut self, file: Staged) -> std::io::Result<()> {
        let Staged { path, tmp } = file;
        let w = match &mut self.list {
            Some(w) => w,
            None => {
                std::fs::create_dir_all(&self.dir)?;
                self.list
                    .insert(std::io::BufWriter::new(tempfile::tempfile_in(&self.dir)?))
            }
        };
        // Listed before the temporary is kept: if listing fails, dropping it removes it.
        for p in [&path, &tmp.to_path_buf()] {
            let bytes = path_bytes(p);
            w.write_all(&(bytes.len() as u64).to_le_bytes())?;
            w.write_all(&bytes)?;
        }
        tmp.keep().map_err(|e| e.error)?;
        self.count += 1;
        Ok(())
    }

    /// How many files are staged.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Renames every staged file into place. The error names the first that could not be;
    /// the temporaries of those not renamed are removed.
    pub(crate) fn persist(mut self) -> Result<(), (PathBuf, std::io::Error)> {
        let mut failed = None;
        self.each(|path, tmp| {
            if failed.is_some() {
                let _ = std::fs::remove_file(&tmp);
            } else if let Err(e) = std::fs::rename(&tmp, &path) {
                let _ = std::fs::remove_file(&tmp);
                failed = Some((path, e));
            }
        })
        .map_err(|e| (self.dir.clone(), e))?;
        failed.map_or(Ok(()), Err)
    }

    /// Calls `f` with each staged file's place and temporary, in the order staged; the list
    /// is emptied.
    fn each(&mut self, mut f: impl FnMut(PathBuf, PathBuf)) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        let Some(w) = self.list.take() else {
            return Ok(());
        };
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut r = std::io::BufReader::new(file);
        let mut read_path = || -> std::io::Result<PathBuf> {
            let mut len = [0u8; 8];
            r.read_exact(&mut len)?;
            let mut bytes = vec![0u8; u64::from_le_bytes(len) as usize];
            r.read_exact(&mut bytes)?;
            Ok(path_from(bytes))
        };
        for _ in 0..self.count {
            let path = read_path()?;
            let tmp = read_path()?;
            f(path, tmp);
        }
        Ok(())
    }
}

impl Drop for StagedFiles {
    fn drop(&mut self) {
        let _ = self.each(|_, tmp| {
            let _ = std::fs::remove_file(tmp);
        });
    }
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// `bytes` in a synced temporary file in `path`'s folder (created if need be), not yet
/// renamed; dropped unrenamed, it is removed.
fn temporary(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
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
    Ok(tmp)
}

/// Holds the lock on an output folder until dropped.
pub(crate) struct DirLock {
    _file: std::fs::File,
}

/// Locks an output folder against concurrent runs, waiting (after calling `waiting`) if
/// another run holds it. The lock is released when the process ends, however it ends.
///
/// A lock file that is a symbolic link is refused (issue 13): opening it would create or
/// truncate whatever file it names, anywhere the user may write.
pub(crate) fn lock_dir(dir: &Path, waiting: impl FnOnce()) -> std::io::Result<DirLock> {
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
pub(crate) fn remove_stale_temporaries(dir: &Path) {
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

    /// Staged files are renamed in when persisted, and their temporaries removed when the
    /// list is dropped instead (a failed build): nothing of either is left behind.
    #[test]
    fn staged_files_are_renamed_in_as_one_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = StagedFiles::new(dir.path());
        for name in ["a.html", "sub/b.html"] {
            list.push(stage(&dir.path().join(name), name.as_bytes()).unwrap())
                .unwrap();
        }
        assert_eq!(list.len(), 2);
        assert!(!dir.path().join("a.html").exists());
        list.persist().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("sub/b.html")).unwrap(),
            b"sub/b.html"
        );
        assert_eq!(std::fs::read(dir.path().join("a.html")).unwrap(), b"a.html");

        let mut list = StagedFiles::new(dir.path());
        list.push(stage(&dir.path().join("c.html"), b"c").unwrap())
            .unwrap();
        drop(list);
        let mut left: Vec<String> = Vec::new();
        for d in [dir.path().to_path_buf(), dir.path().join("sub")] {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                if e.file_type().unwrap().is_file() {
                    left.push(e.file_name().to_string_lossy().into_owned());
                }
            }
        }
        left.sort();
        assert_eq!(left, ["a.html", "b.html"]);
    }

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
    fn a_failed_write_of_several_files_replaces_none() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, "old").unwrap();
        // A file where the zip's folder should be: its temporary cannot be made.
        std::fs::write(dir.path().join("blocked"), "").unwrap();
        let files = vec![
            (pdf.clone(), b"new".to_vec()),
            (dir.path().join("blocked/a.zip"), b"zip".to_vec()),
        ];
        let (failed, _) = write_all_atomic(&files).unwrap_err();
        assert_eq!(failed, dir.path().join("blocked/a.zip"));
        assert_eq!(std::fs::read(&pdf).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary left behind");
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
