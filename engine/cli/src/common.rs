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

/// Which rules to load: the built-in pack, plus directories of `.rule` files
#[derive(Debug, clap::Args)]
pub(crate) struct PackArgs {
    /// Also load the `.rule` files in this directory (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,

    /// Do not load the built-in IEC 62443-2-4 rule pack
    #[arg(long)]
    pub(crate) no_builtin: bool,
}

/// Loads the pack; problems include unreadable files and rules that do not compile
pub(crate) fn load_pack(args: &PackArgs) -> (tollgate::Engine, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut files = if args.no_builtin {
        Vec::new()
    } else {
        tollgate::builtin_rule_files()
    };
    for dir in &args.rules {
        files.extend(rule_files(dir, &mut problems));
    }
    let engine = tollgate::Engine::new(&files);
    problems.extend(engine.problems().iter().cloned());
    (engine, problems)
}

/// Tool errors and warnings go to standard error
pub(crate) fn print_problems(problems: &[Problem]) {
    use std::io::{IsTerminal, Write};
    if problems.is_empty() {
        return;
    }
    let options = tollgate::report::human::HumanOptions {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
        verdicts: false,
    };
    let text = tollgate::report::human::render_problems(problems, options);
    let _ = std::io::stderr().write_all(text.as_bytes());
}
