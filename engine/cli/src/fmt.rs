//! `tollgate fmt`: canonical formatting of rule files

use std::path::PathBuf;

use clap::Args;
use tollgate::rule::{format_rule_file, parse_rule_file};

use crate::Exit;
use crate::common::{print_problems, rule_files};

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Rule files or directories of rule files
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Write nothing; exit 1 when a file is not formatted
    #[arg(long)]
    check: bool,
}

pub(crate) fn run(args: &FmtArgs) -> Exit {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in &args.paths {
        files.extend(rule_files(path, &mut problems));
    }
    let (mut changed, mut failed) = (0usize, 0usize);
    for file in &files {
        let parsed = match parse_rule_file(file) {
            Ok(parsed) => parsed,
            Err(errors) => {
                // A file that does not parse is left as it is
                failed += 1;
                problems.extend(errors);
                continue;
            }
        };
        let formatted = format_rule_file(&parsed, file.text());
        if formatted == file.text() {
            continue;
        }
        changed += 1;
        if args.check {
            println!("would reformat {}", file.name());
        } else if let Err(e) = std::fs::write(file.name(), &formatted) {
            eprintln!("error: cannot write `{}`: {e}", file.name());
            failed += 1;
        } else {
            println!("formatted {}", file.name());
        }
    }
    print_problems(&problems);
    let unchanged = files.len() - changed - failed;
    println!(
        "{changed} {} {}, {unchanged} already formatted{}",
        if changed == 1 { "file" } else { "files" },
        if args.check {
            "to reformat"
        } else {
            "reformatted"
        },
        if failed > 0 {
            format!(", {failed} not formatted because of errors")
        } else {
            String::new()
        }
    );
    if failed > 0 || problems.iter().any(tollgate::Problem::is_error) {
        Exit::ToolError
    } else if args.check && changed > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
