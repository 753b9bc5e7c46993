//! `tollgate check`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use tollgate::input::{InputSpec, discover};
use tollgate::report::{Emitter, InputReport, RunInfo, Summary, human, json};
use tollgate::rule::Severity;
use tollgate::{CheckOptions, Engine, builtin_rule_files};

use crate::Exit;
use crate::common::rule_files;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// YAML files or directories to check (directories are searched for `*.yaml` and `*.yml`); `-` reads standard input
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Also load the `.rule` files in this directory (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,

    /// Do not load the built-in IEC 62443-2-4 rule pack
    #[arg(long)]
    no_builtin: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Exit with 1 when a finding has this severity or a higher one
    #[arg(long, value_enum, default_value_t = FailOn::Low, value_name = "SEVERITY")]
    fail_on: FailOn,

    /// Reference date for date rules (YYYY-MM-DD); default: each submission's `submission.date`, else today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<jiff::civil::Date>,

    /// Name to show for standard input
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    stdin_filename: String,

    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,

    /// When to colour human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,

    /// Human output: after each file, the verdict on every requirement (pass, fail, missing
    /// evidence, not applicable, error) with the rules that decided it and why
    #[arg(long)]
    verdicts: bool,
}

/// A machine format on stdout with the tool problems still shown to people on stderr
struct StderrProblems<I, E> {
    inner: I,
    err: E,
    options: human::HumanOptions,
}

impl<I: Emitter, E: Write> Emitter for StderrProblems<I, E> {
    fn begin(&mut self, run: &RunInfo) -> std::io::Result<()> {
        self.err
            .write_all(human::render_problems(&run.problems, self.options).as_bytes())?;
        self.inner.begin(run)
    }

    fn input(&mut self, run: &RunInfo, input: &InputReport) -> std::io::Result<()> {
        self.err
            .write_all(human::render_problems(&input.problems, self.options).as_bytes())?;
        self.inner.input(run, input)
    }

    fn end(&mut self, run: &RunInfo, summary: &Summary) -> std::io::Result<()> {
        self.inner.end(run, summary)
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// Findings with the YAML excerpt underlined, then a summary
    Human,
    /// One JSON document (schema `tollgate-report/1`, see docs/json-report.md)
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    /// Never exit 1 for findings (tool errors still exit 2)
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub(crate) fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    tollgate::parse_iso_date(text)
        .ok_or_else(|| format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"))
}

pub(crate) fn run(args: &CheckArgs) -> Exit {
    // 0 threads is rayon's "one per core"; a larger stack is defence in depth
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, |jobs| jobs.max(1)))
        .stack_size(8 << 20)
        .build_global();
    let mut setup_problems = Vec::new();
    let mut rules = if args.no_builtin {
        Vec::new()
    } else {
        builtin_rule_files()
    };
    for dir in &args.rules {
        rules.extend(rule_files(dir, &mut setup_problems));
    }
    let engine = Engine::new(&rules);
    let specs: Vec<InputSpec> = args
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                InputSpec::Stdin(args.stdin_filename.clone())
            } else {
                InputSpec::Path(p.clone())
            }
        })
        .collect();
    let (inputs, discovery) = discover(&specs);
    setup_problems.extend(discovery);
    let options_for_check = CheckOptions {
        as_of: args.as_of,
        ..CheckOptions::default()
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let color_for = |is_terminal: bool| match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let stderr = std::io::stderr().lock();
    let summary = match args.format {
        Format::Human => {
            // Problems and findings are coloured by where they go
            let options = human::HumanOptions {
                color: color_for(std::io::stdout().is_terminal()),
                width,
                verdicts: args.verdicts,
            };
            let mut emitter = human::HumanEmitter::new(stdout, stderr, options);
            engine.check_each(&inputs, setup_problems, &options_for_check, &mut emitter)
        }
        Format::Json => {
            let problems_options = human::HumanOptions {
                color: color_for(std::io::stderr().is_terminal()),
                width,
                verdicts: false,
            };
            let mut emitter = StderrProblems {
                inner: json::JsonEmitter::new(stdout),
                err: stderr,
                options: problems_options,
            };
            engine.check_each(&inputs, setup_problems, &options_for_check, &mut emitter)
        }
    };
    let summary = match summary {
        Ok(summary) => summary,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Exit::ToolError,
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            return Exit::ToolError;
        }
    };
    let threshold = match args.fail_on {
        FailOn::Info => Some(Severity::Info),
        FailOn::Low => Some(Severity::Low),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::High => Some(Severity::High),
        FailOn::Critical => Some(Severity::Critical),
        FailOn::Never => None,
    };
    if summary.has_errors() {
        Exit::ToolError
    } else if threshold.is_some_and(|t| summary.findings_at_or_above(t) > 0) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
