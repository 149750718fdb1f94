//! Whether a process is alive: temporary files are named by their writer's process id, and a
//! file whose writer is gone was left by a run that was killed.

use std::path::Path;

/// Whether process `pid` may still be running. Only Linux's `/proc` answers "no" reliably;
/// elsewhere every process counts as running, so a temporary file is never taken from a live
/// writer.
pub fn may_be_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_running() {
        assert!(may_be_running(std::process::id()));
    }
}
