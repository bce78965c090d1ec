//! Temporary files of atomic output (`.repool-XXXXXXXXXXXX` beside the target). Every one is
//! registered before it is created and removed on every path out: moved into place, dropped
//! (an error or a panic), or the process ends on SIGINT, SIGTERM or SIGHUP, when a handler
//! removes the registered files and exits with 128 + the signal (130, 143, 129). A signal the
//! process was started with ignored stays ignored.

use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

/// Temporary files that exist now. Creating, renaming and removing one happens under this
/// lock, and so does the signal handler's clean-up, so a file is never left unregistered.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the signal handler once, the first time a temporary file is made (so that
/// `repool serve`, which writes no files, keeps its own Ctrl-C handling).
fn install_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let ignored = ignored_signals();
            let wanted = [SIGINT, SIGTERM, SIGHUP]
                .into_iter()
                .filter(|&s| ignored >> (s - 1) & 1 == 0);
            // Without a handler a signal still ends the process, only the files stay.
            if let Ok(mut signals) = signal_hook::iterator::Signals::new(wanted) {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        let files = live();
                        for f in files.iter() {
                            let _ = std::fs::remove_file(f);
                        }
                        // Exits holding the lock: no file can be moved into place any more.
                        std::process::exit(128 + signal);
                    }
                });
            }
        }
    });
}

/// The signals this process was started with ignored, as a mask (bit n - 1 for signal n):
/// SIGHUP under nohup, SIGINT in a script's background job. They stay ignored; a handler would
/// undo that. Read from /proc/self/status (Linux); elsewhere none are known.
#[cfg(unix)]
fn ignored_signals() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("SigIgn:"))
                .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        })
        .unwrap_or(0)
}

/// A random name for a temporary file.
fn random_name() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!(".repool-{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// A registered temporary file; removed when dropped unless it was moved into place.
pub struct TempFile {
    file: File,
    /// `None` once the file has been moved into place.
    path: Option<PathBuf>,
}

impl TempFile {
    /// Creates a new file in `dir` with the permissions of any new file (0666 minus the umask).
    pub fn create_in(dir: &Path) -> io::Result<TempFile> {
        install_handler();
        let mut files = live();
        let mut attempt = 0;
        loop {
            let path = dir.join(random_name());
            match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    files.push(path.clone());
                    return Ok(TempFile {
                        file,
                        path: Some(path),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// The open file.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Renames the file to `target`, replacing what is there.
    pub fn persist(mut self, target: &Path) -> io::Result<()> {
        let mut files = live();
        let path = self.path.take().expect("persisted once");
        match std::fs::rename(&path, target) {
            Ok(()) => {
                files.retain(|f| f != &path);
                Ok(())
            }
            Err(e) => {
                // Dropping `self` (after the lock) removes the file.
                self.path = Some(path);
                drop(files);
                Err(e)
            }
        }
    }

    /// Copies the content into the existing file `target` (same inode: hard links, owner and
    /// permissions stay), then removes the temporary file.
    pub fn copy_into(mut self, target: &Path) -> io::Result<()> {
        {
            // A signal waits until the copy is complete.
            let _files = live();
            let mut out = OpenOptions::new().write(true).truncate(true).open(target)?;
            self.file.rewind()?;
            io::copy(&mut self.file, &mut out)?;
            out.flush()?;
        }
        drop(self);
        Ok(())
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let mut files = live();
            let _ = std::fs::remove_file(&path);
            files.retain(|f| f != &path);
        }
    }
}
