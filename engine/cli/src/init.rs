//! `tollgate init`: writes a commented skeleton submission with every section of the model

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::Exit;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// File to create; default: standard output
    #[arg(value_name = "FILE")]
    output: Option<PathBuf>,

    /// Kind of service the submission is for
    #[arg(long, value_enum, default_value_t = Service::Integration)]
    service: Service,

    /// Overwrite FILE when it exists
    #[arg(long)]
    force: bool,

    /// Submission date to write (YYYY-MM-DD); default: today
    #[arg(long, value_name = "DATE", value_parser = crate::check::parse_date)]
    date: Option<jiff::civil::Date>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Service {
    /// Designing, building and commissioning the solution
    Integration,
    /// Keeping a commissioned solution running
    Maintenance,
}

pub(crate) fn run(args: &InitArgs) -> Exit {
    let service = match args.service {
        Service::Integration => "integration",
        Service::Maintenance => "maintenance",
    };
    let date = args
        .date
        .unwrap_or_else(|| jiff::Zoned::now().date())
        .to_string();
    let text = tollgate::model::skeleton(service, &date);
    match &args.output {
        None => {
            if std::io::stdout().write_all(text.as_bytes()).is_err() {
                return Exit::ToolError;
            }
        }
        Some(path) => {
            if path.exists() && !args.force {
                eprintln!(
                    "error: `{}` exists\n  help: pass `--force` to overwrite it, or choose another name",
                    path.display()
                );
                return Exit::ToolError;
            }
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return Exit::ToolError;
            }
            eprintln!(
                "wrote {}; fill it in, then run `tollgate check {}`",
                path.display(),
                path.display()
            );
        }
    }
    Exit::Clean
}
