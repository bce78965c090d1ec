//! Output destinations. No `--output`, or `-`, is standard output. A regular file, new or
//! existing, is written atomically: to a temporary file in the same folder
//! ([`TempFile`](super::tempfiles::TempFile), removed on every error and on SIGINT/SIGTERM),
//! moved into place only when the command succeeds. An existing file keeps its permissions
//! (and, where the system allows, its owner); a new file gets 0666 minus the umask. A symbolic
//! link is followed and the file it points to is written, the link stays. A file with more
//! than one hard link is written in place once its content is complete (the content is
//! prepared in a temporary file first), so that every name of it sees the new content.
//! Anything else is written as it is and never replaced: devices (`/dev/null`), FIFOs, and
//! open descriptors (`/dev/stdout`, `/dev/fd/N`, which lead into `/proc`). An existing file
//! that the user may not write (read-only) is refused, as a shell's `>` refuses it, not
//! replaced.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use super::tempfiles::TempFile;

/// Where output goes.
pub enum Sink {
    /// Standard output.
    Stdout(BufWriter<std::io::StdoutLock<'static>>),
    /// A device, FIFO or descriptor, written as it is.
    Direct { w: BufWriter<File>, path: PathBuf },
    /// A temporary file that becomes `target` (the file `path` names) on commit.
    Atomic {
        w: BufWriter<TempFile>,
        path: PathBuf,
        target: PathBuf,
        in_place: bool,
    },
}

/// What an output path names, symbolic links followed.
enum Target {
    /// Not a regular file: a device, FIFO or socket, or a path into /proc.
    Direct,
    /// A regular file at this path (its folder canonical), with its metadata if it exists.
    Regular(PathBuf, Option<Metadata>),
}

impl Sink {
    /// Standard output (`None` or `-`), or the destination `path` names.
    pub fn new(path: Option<&Path>) -> anyhow::Result<Sink> {
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(Sink::Stdout(BufWriter::new(std::io::stdout().lock())));
        };
        let shown = path.display();
        match target(path).with_context(|| {
            repool::i18n::fill(
                super::hints::lang(),
                "errors.cli.cannot_write",
                &[("file", &shown.to_string())],
            )
        })? {
            Target::Direct => {
                // Appending is writing for devices and FIFOs, and keeps what a shell's `>>`
                // redirection of a descriptor expects.
                let f = OpenOptions::new()
                    .append(true)
                    .open(path)
                    .with_context(|| {
                        repool::i18n::fill(
                            super::hints::lang(),
                            "errors.cli.cannot_write",
                            &[("file", &shown.to_string())],
                        )
                    })?;
                Ok(Sink::Direct {
                    w: BufWriter::new(f),
                    path: path.to_path_buf(),
                })
            }
            Target::Regular(target, existing) => {
                if existing.is_some() {
                    may_write(&target).with_context(|| {
                        repool::i18n::fill(
                            super::hints::lang(),
                            "errors.cli.cannot_write",
                            &[("file", &shown.to_string())],
                        )
                    })?;
                }
                let dir = target.parent().unwrap_or(Path::new("."));
                let tmp = TempFile::create_in(dir).with_context(|| {
                    repool::i18n::fill(
                        super::hints::lang(),
                        "errors.cli.cannot_write_folder",
                        &[("folder", &dir.display().to_string())],
                    )
                })?;
                let in_place = match &existing {
                    Some(m) => {
                        keep_metadata(&tmp, m);
                        hard_links(m) > 1
                    }
                    None => false,
                };
                Ok(Sink::Atomic {
                    w: BufWriter::new(tmp),
                    path: path.to_path_buf(),
                    target,
                    in_place,
                })
            }
        }
    }

    /// Flushes and, for a regular file, moves or copies the content into place.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::Direct { mut w, path } => w.flush().with_context(|| {
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.writing",
                    &[("file", &path.display().to_string())],
                )
            }),
            Sink::Atomic {
                w,
                path,
                target,
                in_place,
            } => {
                let tmp = w
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| {
                        repool::i18n::fill(
                            super::hints::lang(),
                            "errors.cli.writing",
                            &[("file", &path.display().to_string())],
                        )
                    })?;
                if in_place {
                    tmp.copy_into(&target)
                } else {
                    tmp.persist(&target)
                }
                .with_context(|| {
                    repool::i18n::fill(
                        super::hints::lang(),
                        "errors.cli.writing",
                        &[("file", &path.display().to_string())],
                    )
                })
            }
        }
    }
}

/// Whether the existing file `path` may be written, as a shell's `>` would find: it is opened
/// for writing (neither truncated nor created, so nothing changes), so that a read-only file
/// is refused rather than replaced by the rename, which needs only the folder's permission.
fn may_write(path: &Path) -> std::io::Result<()> {
    OpenOptions::new().write(true).open(path).map(drop)
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::Direct { w, .. } => w.write(buf),
            Sink::Atomic { w, .. } => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::Direct { w, .. } => w.flush(),
            Sink::Atomic { w, .. } => w.flush(),
        }
    }
}

/// What `path` names: follows symbolic links one by one (the folder part canonicalised each
/// time) to the file they point to, which need not exist yet.
/// Creates `dir` and its parents, naming the folder when it cannot.
pub(super) fn create_dir_all(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| {
        repool::i18n::fill(
            super::hints::lang(),
            "errors.cli.cannot_create",
            &[("folder", &dir.display().to_string())],
        )
    })
}

fn target(path: &Path) -> anyhow::Result<Target> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        let Some(name) = p.file_name().map(|n| n.to_os_string()) else {
            bail!(
                "{}",
                repool::i18n::text(super::hints::lang(), "errors.cli.not_a_file_name")
            );
        };
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let dir = match std::fs::canonicalize(dir) {
            Ok(d) if d.is_dir() => d,
            Ok(_) => bail!(
                "{}",
                repool::i18n::fill(
                    super::hints::lang(),
                    "errors.cli.not_a_folder",
                    &[("folder", &dir.display().to_string())]
                )
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!(
                    "{}",
                    repool::i18n::fill(
                        super::hints::lang(),
                        "errors.cli.no_such_folder",
                        &[("folder", &dir.display().to_string())]
                    )
                )
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    repool::i18n::fill(
                        super::hints::lang(),
                        "errors.cli.folder",
                        &[("folder", &dir.display().to_string())],
                    )
                })
            }
        };
        if dir.starts_with("/proc") {
            // /dev/stdout, /dev/fd/N: an open descriptor, not a file to replace.
            return Ok(Target::Direct);
        }
        let here = dir.join(name);
        match std::fs::symlink_metadata(&here) {
            Ok(m) if m.file_type().is_symlink() => p = dir.join(std::fs::read_link(&here)?),
            Ok(m) if m.is_file() => return Ok(Target::Regular(here, Some(m))),
            Ok(m) if m.is_dir() => bail!(
                "{}",
                repool::i18n::text(super::hints::lang(), "errors.cli.is_a_folder")
            ),
            Ok(_) => return Ok(Target::Direct),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Target::Regular(here, None))
            }
            Err(e) => return Err(e.into()),
        }
    }
    bail!(
        "{}",
        repool::i18n::text(super::hints::lang(), "errors.cli.symlinks")
    )
}

/// Gives the temporary file the existing file's owner (where allowed: root may, others
/// keep their own file) and permissions. Best effort: a file system that cannot store them
/// (FAT) still gets the output.
#[cfg(unix)]
fn keep_metadata(tmp: &TempFile, m: &Metadata) {
    use std::os::unix::fs::MetadataExt;
    let f = tmp.file();
    if f.metadata()
        .is_ok_and(|own| (own.uid(), own.gid()) != (m.uid(), m.gid()))
    {
        let _ = std::os::unix::fs::fchown(f, Some(m.uid()), Some(m.gid()));
    }
    // After the owner: changing the owner clears set-user-ID and set-group-ID bits.
    let _ = f.set_permissions(m.permissions());
}

#[cfg(not(unix))]
fn keep_metadata(tmp: &TempFile, m: &Metadata) {
    let _ = tmp.file().set_permissions(m.permissions());
}

#[cfg(unix)]
fn hard_links(m: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(m)
}

#[cfg(not(unix))]
fn hard_links(_: &Metadata) -> u64 {
    1
}

/// Lines of a text table: every column as wide as its widest cell, the first `left` columns
/// left-aligned and the others right-aligned, two spaces between columns.
pub fn aligned_table<const N: usize>(
    head: [&str; N],
    rows: &[[String; N]],
    left: usize,
) -> Vec<String> {
    let width: Vec<usize> = (0..N)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&width)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if i < left {
                    format!("{c}{pad}")
                } else {
                    format!("{pad}{c}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    std::iter::once(line(&head.map(String::from)))
        .chain(rows.iter().map(|r| line(r)))
        .collect()
}
