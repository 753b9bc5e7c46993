//! The `tollgate` command line
//!
//! The only crate that writes to stdout and stderr: findings and reports go to stdout, tool
//! errors and warnings to stderr. Exit codes: 0 no findings at or above `--fail-on`,
//! 1 findings, 2 tool errors.

mod check;
mod common;
mod docs;
mod explain;
mod fmt;
mod init;
mod list;
mod schema;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Policy-as-code checks of IEC 62443-2-4 delivery configurations
#[derive(Debug, Parser)]
#[command(name = "tollgate", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check YAML delivery configurations against the rule pack
    Check(check::CheckArgs),
    /// Run the test cases of rule files (default: the built-in pack)
    Test(test::TestArgs),
    /// List rules, or requirements with the rules that cover them, filtered and sorted
    List(list::ListArgs),
    /// Print the documentation of a rule or a requirement
    Explain(explain::ExplainArgs),
    /// Format rule files canonically
    Fmt(fmt::FmtArgs),
    /// Write a commented skeleton submission with every section of the model
    Init(init::InitArgs),
    /// Print the JSON Schema of the delivery model
    Schema,
    /// Write the generated reference under docs/ (rule pages, model reference, JSON Schema)
    Docs(docs::DocsArgs),
    /// Print a shell completion script
    Completions {
        /// Shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// How a run ended
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Nothing at or above the threshold
    Clean = 0,
    /// Findings at or above the threshold
    Findings = 1,
    /// The tool could not do everything it was asked
    ToolError = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::ToolError.into()
            } else {
                Exit::Clean.into()
            };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args).into(),
        Command::Test(args) => test::run(&args).into(),
        Command::List(args) => list::run(&args).into(),
        Command::Explain(args) => explain::run(&args).into(),
        Command::Fmt(args) => fmt::run(&args).into(),
        Command::Init(args) => init::run(&args).into(),
        Command::Schema => schema::run().into(),
        Command::Docs(args) => docs::run(&args).into(),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "tollgate",
                &mut std::io::stdout(),
            );
            Exit::Clean.into()
        }
    }
}
