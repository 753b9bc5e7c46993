//! `tollgate docs`: writes the generated reference (rule pages, model reference, JSON Schema),
//! or with `--check` fails when the committed files differ from what the rules and the model say

use std::path::{Path, PathBuf};

use clap::Args;
use tollgate::model::delivery_schema_text;
use tollgate::reference::{model_markdown, rule_pages};

use crate::Exit;
use crate::common::{PackArgs, load_pack, print_problems};

#[derive(Debug, Args)]
pub(crate) struct DocsArgs {
    /// Documentation directory to write into
    #[arg(long, value_name = "DIR", default_value = "docs")]
    out: PathBuf,

    /// Write nothing; exit 1 when a generated file is missing, stale or left over
    #[arg(long)]
    check: bool,

    #[command(flatten)]
    pack: PackArgs,
}

/// Every generated file: (path relative to the docs directory, text)
pub(crate) fn generated(engine: &tollgate::Engine) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = rule_pages(engine.pack())
        .into_iter()
        .map(|(name, text)| (Path::new("rules").join(name), text))
        .collect();
    files.push((PathBuf::from("model.md"), model_markdown()));
    files.push((
        Path::new("schema").join("delivery.schema.json"),
        delivery_schema_text(),
    ));
    files
}

pub(crate) fn run(args: &DocsArgs) -> Exit {
    let (engine, problems) = load_pack(&args.pack);
    print_problems(&problems);
    if problems.iter().any(tollgate::Problem::is_error) {
        return Exit::ToolError;
    }
    let files = generated(&engine);
    let rules_dir = args.out.join("rules");
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&rules_dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .filter(|p| !files.iter().any(|(f, _)| args.out.join(f) == *p))
                .collect()
        })
        .unwrap_or_default();
    let mut stale = Vec::new();
    for (relative, text) in &files {
        let path = args.out.join(relative);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if args.check {
            stale.push(path);
            continue;
        }
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: cannot create `{}`: {e}", parent.display());
            return Exit::ToolError;
        }
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return Exit::ToolError;
        }
        println!("wrote {}", path.display());
    }
    if args.check {
        if stale.is_empty() && leftovers.is_empty() {
            println!("{} generated files are current", files.len());
            return Exit::Clean;
        }
        for path in &stale {
            eprintln!("stale: {}", path.display());
        }
        for path in &leftovers {
            eprintln!("left over (no rule generates it): {}", path.display());
        }
        eprintln!(
            "  help: run `tollgate docs` (or `cargo run -p tollgate-cli -- docs`) and commit the result"
        );
        return Exit::Findings;
    }
    for path in &leftovers {
        match std::fs::remove_file(path) {
            Ok(()) => println!("removed {}", path.display()),
            Err(e) => eprintln!("warning: cannot remove `{}`: {e}", path.display()),
        }
    }
    Exit::Clean
}
