//! Finding and reading input files, safely
//!
//! Only regular files and standard input are read: a FIFO or device given as input is
//! reported, never opened, so a run cannot block on it. Sizes are checked before reading and
//! bounded while reading. Directories are walked recursively for `*.yaml` and `*.yml`; symlink
//! loops are reported. Nothing here stops at the first bad input.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Problem;
use crate::source::SourceFile;

/// What the user asked to check
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    /// A file or directory
    Path(PathBuf),
    /// Standard input, shown under this name
    Stdin(String),
}

/// One input to read
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// How reports name it
    pub display: String,
    /// Where to read it from; `None` is standard input
    pub path: Option<PathBuf>,
}

fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Expands specs into input files, sorted and without duplicates
#[must_use]
pub fn discover(specs: &[InputSpec]) -> (Vec<InputFile>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |file: InputFile, files: &mut Vec<InputFile>| {
        let key = file
            .path
            .as_ref()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
        if key.is_none() || seen.insert(key) {
            files.push(file);
        }
    };
    for spec in specs {
        match spec {
            InputSpec::Stdin(name) => push(InputFile { display: name.clone(), path: None }, &mut files),
            InputSpec::Path(path) => match std::fs::metadata(path) {
                Err(e) => problems.push(
                    Problem::error("input::not-found", format!("cannot read `{}`: {}", display_path(path), io_reason(&e)))
                        .at_path(display_path(path))
                        .with_help("check the path; inputs are YAML files, directories of them, or `-` for standard input"),
                ),
                Ok(meta) if meta.is_dir() => {
                    let mut found = Vec::new();
                    // Version-control metadata is never a submission
                    let walk = walkdir::WalkDir::new(path)
                        .follow_links(true)
                        .sort_by_file_name()
                        .into_iter()
                        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
                    for entry in walk {
                        match entry {
                            Ok(entry) if entry.file_type().is_dir() => {}
                            Ok(entry) if is_yaml(entry.path()) => found.push(InputFile {
                                display: display_path(entry.path()),
                                path: Some(entry.path().to_path_buf()),
                            }),
                            Ok(_) => {}
                            Err(e) => {
                                let at = e.path().map_or_else(|| display_path(path), display_path);
                                let (code, message, help) = if e.loop_ancestor().is_some() {
                                    (
                                        "input::symlink-loop",
                                        format!("symbolic link loop at `{at}`"),
                                        "the link points back to a directory that contains it; it was skipped",
                                    )
                                } else {
                                    (
                                        "input::walk",
                                        format!("cannot read `{at}`: {}", e.io_error().map_or_else(|| e.to_string(), io_reason)),
                                        "check permissions; the rest of the directory was still checked",
                                    )
                                };
                                problems.push(Problem::error(code, message).at_path(at).with_help(help));
                            }
                        }
                    }
                    if found.is_empty() {
                        problems.push(
                            Problem::warning("input::empty-directory", format!("no `*.yaml` or `*.yml` file in `{}`", display_path(path)))
                                .at_path(display_path(path))
                                .with_help("point tollgate at the directory that holds the submissions"),
                        );
                    }
                    for f in found {
                        push(f, &mut files);
                    }
                }
                Ok(_) => push(InputFile { display: display_path(path), path: Some(path.clone()) }, &mut files),
            },
        }
    }
    files.sort();
    (files, problems)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Reads an input into a source file, refusing non-regular files, files over `max_bytes` and
/// text that is not UTF-8
///
/// # Errors
/// A located problem saying what is wrong and what to do
pub fn read_input(input: &InputFile, max_bytes: usize) -> Result<Arc<SourceFile>, Problem> {
    let bytes = match &input.path {
        None => {
            read_bounded(std::io::stdin().lock(), max_bytes).map_err(|e| read_problem(input, &e))?
        }
        Some(path) => {
            let meta = std::fs::metadata(path).map_err(|e| read_problem(input, &e))?;
            if !meta.is_file() {
                return Err(Problem::error("input::not-a-file", format!("`{}` is not a regular file", input.display))
                    .at_path(&input.display)
                    .with_help("tollgate reads regular files and `-` (standard input); FIFOs, sockets and devices are skipped so a run cannot block"));
            }
            if usize::try_from(meta.len()).map_or(true, |len| len > max_bytes) {
                return Err(too_large(input, max_bytes));
            }
            let file = std::fs::File::open(path).map_err(|e| read_problem(input, &e))?;
            read_bounded(file, max_bytes).map_err(|e| read_problem(input, &e))?
        }
    };
    if bytes.len() > max_bytes {
        return Err(too_large(input, max_bytes));
    }
    decode(input, bytes).map(|text| Arc::new(SourceFile::new(input.display.clone(), text)))
}

fn read_bounded(reader: impl Read, max_bytes: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(
            u64::try_from(max_bytes)
                .unwrap_or(u64::MAX)
                .saturating_add(1),
        )
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_problem(input: &InputFile, e: &std::io::Error) -> Problem {
    Problem::error(
        "input::unreadable",
        format!("cannot read `{}`: {}", input.display, io_reason(e)),
    )
    .at_path(&input.display)
    .with_help("check that the file exists and is readable")
}

fn too_large(input: &InputFile, max_bytes: usize) -> Problem {
    Problem::error(
        "input::too-large",
        format!(
            "`{}` is larger than {} MiB",
            input.display,
            max_bytes / (1024 * 1024)
        ),
    )
    .at_path(&input.display)
    .with_help(
        "a delivery configuration is far smaller; check that this is the right file, or split it",
    )
}

fn decode(input: &InputFile, bytes: Vec<u8>) -> Result<String, Problem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Problem::error(
            "input::encoding",
            format!("`{}` is UTF-16, not UTF-8", input.display),
        )
        .at_path(&input.display)
        .with_help("save the file as UTF-8 (most editors: \"Save with encoding\")"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = e.as_bytes().get(..valid).unwrap_or(&[]);
        let line = prefix.split(|b| *b == b'\n').count();
        let line_start = prefix
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(prefix.get(line_start..).unwrap_or(&[]))
            .chars()
            .count()
            + 1;
        Problem::error(
            "input::encoding",
            format!(
                "`{}` is not valid UTF-8 at line {line}, column {column} (byte {valid})",
                input.display
            ),
        )
        .at_path(&input.display)
        .with_help("save the file as UTF-8")
    })
}
