//! Output destinations: standard output, or a file written atomically (a temporary file
//! in the same folder, renamed into place only when the command succeeds).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Where output goes.
pub enum Sink {
    Stdout(BufWriter<std::io::StdoutLock<'static>>),
    File {
        tmp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
}

impl Sink {
    /// Standard output, or a temporary file beside `path`.
    pub fn new(path: Option<&Path>) -> anyhow::Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(BufWriter::new(std::io::stdout().lock()))),
            Some(p) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let tmp = tempfile::Builder::new()
                    .prefix(".repool-")
                    .tempfile_in(&dir)
                    .with_context(|| format!("cannot write to folder {}", dir.display()))?;
                Ok(Sink::File {
                    tmp: BufWriter::new(tmp),
                    path: p.to_path_buf(),
                })
            }
        }
    }

    /// Flushes and, for a file, moves it into place.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File { tmp, path } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {}", path.display()))?;
                // Temporary files are private (0600); the result gets ordinary permissions.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = tmp
                        .as_file()
                        .set_permissions(std::fs::Permissions::from_mode(0o644));
                }
                tmp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("writing {}", path.display()))?;
                Ok(())
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
        }
    }
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
