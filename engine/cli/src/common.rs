//! Pieces shared by the subcommands

use std::path::PathBuf;
use std::sync::Arc;

use tollgate::{Problem, SourceFile};

/// Reads every `.rule` file under a directory (or the one file given), sorted by path
pub(crate) fn rule_files(dir: &PathBuf, problems: &mut Vec<Problem>) -> Vec<Arc<SourceFile>> {
    let mut files = Vec::new();
    if dir.is_file() && dir.extension().is_some_and(|x| x == "rule") {
        let name = dir.to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(dir) {
            Ok(text) => files.push(Arc::new(SourceFile::new(name, text))),
            Err(err) => problems.push(
                Problem::error("rule::unreadable", format!("cannot read `{name}`: {err}"))
                    .with_help("rule files must be readable UTF-8 text"),
            ),
        }
        return files;
    }
    if !dir.is_dir() {
        problems.push(
            Problem::error(
                "rule::not-found",
                format!("`{}` is not a directory or a `.rule` file", dir.display()),
            )
            .with_help("`--rules` takes a directory of `.rule` files"),
        );
        return files;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e)
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rule") =>
            {
                let name = e.path().to_string_lossy().replace('\\', "/");
                match std::fs::read_to_string(e.path()) {
                    Ok(text) => files.push(Arc::new(SourceFile::new(name, text))),
                    Err(err) => problems.push(
                        Problem::error("rule::unreadable", format!("cannot read `{name}`: {err}"))
                            .with_help("rule files must be readable UTF-8 text"),
                    ),
                }
            }
            Ok(_) => {}
            Err(err) => problems.push(
                Problem::error(
                    "rule::walk",
                    format!("cannot read `{}`: {err}", dir.display()),
                )
                .with_help("check permissions and symbolic links"),
            ),
        }
    }
    if files.is_empty() {
        problems.push(
            Problem::warning(
                "rule::empty-directory",
                format!("no `.rule` file in `{}`", dir.display()),
            )
            .with_help("rule files end in `.rule`"),
        );
    }
    files
}

