//! The last line of defence (issue 29): the resource limits of the worker process a meeting
//! is built in. The caps of `bilaga::limits` refuse what they count before the work; what
//! they miss (a crash, a cost nothing counts) is stopped here, and fails that meeting alone:
//! the worker dies, the parent reports the meeting as having "exceeded the limits of one
//! meeting" at its file, and the batch goes on.
//!
//! Set by the kernel, not by us: the address space (`RLIMIT_AS`) and the main thread's stack
//! (`RLIMIT_STACK`) once when the worker starts, the CPU time (`RLIMIT_CPU`, soft) again
//! before each meeting, as what it has used so far plus one meeting's share. The thread that
//! builds gets the stack limit as its size. The worker also dies with its parent
//! (`PR_SET_PDEATHSIG`): a batch killed with `kill -9` leaves no worker behind.

use serde::{Deserialize, Serialize};

/// What one meeting's worker process may use. The library takes these from its caller (the
/// command line's `--memory-limit`, `--time-limit`, `--stack-limit`), never from the
/// environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Address space of the worker process, in bytes (the program, its fonts and every
    /// thread's stack included: more than the memory it really uses).
    pub memory: u64,
    /// CPU time of one meeting, in seconds.
    pub cpu_seconds: u64,
    /// Stack of the thread that builds a meeting, in bytes.
    pub stack: u64,
}

impl Limits {
    /// The default address space: 2 GiB. A worker maps about 0.2 GiB before it builds
    /// anything (program, fonts, allocator arenas, thread stacks); the largest meetings just
    /// under the caps use 0.7 GiB on top (docs/limits.md), and the promise is 1 GiB.
    pub(crate) const MEMORY: u64 = 2 << 30;
    /// The default CPU time of one meeting: twice the 30 s promised for any input under
    /// 1 MB, as a busy machine makes the same work cost more.
    pub const CPU_SECONDS: u64 = 60;
    /// The default stack of the building thread: Typst's layout recurses deeply, and a long
    /// protocol needs more than the 2 MiB a thread gets by default.
    pub(crate) const STACK: u64 = 16 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory: Self::MEMORY,
            cpu_seconds: Self::CPU_SECONDS,
            stack: Self::STACK,
        }
    }
}

/// In the child between `fork` and `exec`: dies with `parent`, and takes the address space
/// and stack limits. Only async-signal-safe calls (`prctl`, `getppid`, `setrlimit`).
#[cfg(target_os = "linux")]
pub(super) fn enter_child(limits: Limits, parent: libc::pid_t) -> std::io::Result<()> {
    // SAFETY: plain system calls with valid arguments; nothing is allocated.
    unsafe {
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // The parent may have died before the line above: then no signal would come.
        if libc::getppid() != parent {
            return Err(std::io::Error::other("the batch ended"));
        }
        set(libc::RLIMIT_AS, limits.memory, limits.memory)?;
        set(libc::RLIMIT_STACK, limits.stack, limits.stack)?;
    }
    Ok(())
}

/// In the worker before each meeting: at most `seconds` more of CPU time. The soft limit
/// only (SIGXCPU ends the process): the hard one cannot be raised again.
#[cfg(target_os = "linux")]
pub(super) fn allow_cpu(seconds: u64) -> std::io::Result<()> {
    // SAFETY: `getrusage` writes a plain C struct we own; `getrlimit` likewise.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let used = u64::try_from(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec).unwrap_or(0) + 1;
        let mut now: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CPU, &mut now) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let soft = used.saturating_add(seconds).min(now.rlim_max);
        set(libc::RLIMIT_CPU, soft, now.rlim_max)
    }
}

#[cfg(target_os = "linux")]
unsafe fn set(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `limit` is a valid rlimit for the duration of the call.
    if unsafe { libc::setrlimit(resource, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(super) fn allow_cpu(_seconds: u64) -> std::io::Result<()> {
    Ok(())
}

/// Why a worker died while building a meeting, from how it ended and the last of what it
/// wrote to standard error (the allocator's and the runtime's last words).
pub(super) fn why_it_died(
    status: std::process::ExitStatus,
    stderr: &str,
    limits: Limits,
) -> String {
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    #[cfg(not(unix))]
    let signal: Option<i32> = None;
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        format!(
            "it needed more than the {} of memory a meeting may use",
            bytes(limits.memory)
        )
    } else if stderr.contains("overflowed its stack") {
        format!(
            "it needed more than the {} of stack a meeting may use (something nested too deeply)",
            bytes(limits.stack)
        )
    } else if signal == Some(libc::SIGXCPU) || signal == Some(libc::SIGKILL) {
        format!(
            "it took more than the {} s of CPU time a meeting may use",
            limits.cpu_seconds
        )
    } else {
        let said = stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("note:") && !l.starts_with("stack backtrace"))
            .map(|l| crate::diag::window(l, 0..0, 200))
            .unwrap_or_default();
        if said.is_empty() {
            format!("its worker process crashed ({status})")
        } else {
            format!("its worker process crashed ({status}): {said}")
        }
    }
}

/// `bytes` for a person: `1 GiB`, `16 MiB`.
pub(crate) fn bytes(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a size as written on the command line: a number of bytes, or with `K`, `M`, `G`
/// (powers of 1,024; `KiB`, `MB` and the like read alike).
///
/// # Errors
/// Not a number with one of those units, or zero.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 2G, 512M)"))?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches(['B', 'I'])
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{text}` is not a size (e.g. 2G, 512M)")),
    };
    let value = number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))?;
    if value == 0 {
        return Err("a limit of zero leaves nothing to build with".into());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_units() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("2X").is_err());
        assert!(parse_size("0").is_err());
        assert_eq!(bytes(4 << 30), "4 GiB");
        assert_eq!(bytes(16 << 20), "16 MiB");
    }
}
