//! `tollgate test`: runs the test cases of rule files
//!
//! Without paths it runs the built-in pack's cases, which are embedded with the rules, so the
//! installed binary can prove its own pack. With paths it runs the `.rule` files found there,
//! each with the `<name>.tests.yaml` next to it. Both go through
//! [`tollgate::testing::run_rule_tests`], the code path `cargo test` uses for the built-in pack.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use tollgate::report::human::{self, HumanOptions};
use tollgate::testing::{RuleTestResult, run_rule_tests};
use tollgate::{Problem, SourceFile};

use crate::Exit;
use crate::common::rule_files;

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Rule files or directories of rule files; default: the built-in pack
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Fail when a rule file has no `.tests.yaml` (always on for the built-in pack)
    #[arg(long)]
    require_tests: bool,

    /// Print failing cases only
    #[arg(long, short)]
    quiet: bool,
}

/// One rule file to test
struct Target {
    rule: Arc<SourceFile>,
    tests: Option<Arc<SourceFile>>,
    base_dir: PathBuf,
}

fn read_tests(rule_path: &Path, problems: &mut Vec<Problem>) -> Option<Arc<SourceFile>> {
    // `dir/name.rule` -> `dir/name.tests.yaml`, whatever the directory names contain
    let path = rule_path.with_extension("tests.yaml");
    let name = path.to_string_lossy().replace('\\', "/");
    if !path.exists() {
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(Arc::new(SourceFile::new(name, text))),
        Err(err) => {
            problems.push(
                Problem::error("test::unreadable", format!("cannot read `{name}`: {err}"))
                    .with_help("test files must be readable UTF-8 text"),
            );
            None
        }
    }
}

pub(crate) fn run(args: &TestArgs) -> Exit {
    let mut problems = Vec::new();
    let builtin = args.paths.is_empty();
    let targets: Vec<Target> = if builtin {
        tollgate::builtin_rule_tests()
            .into_iter()
            .map(|(rule, tests)| Target {
                rule,
                tests,
                base_dir: PathBuf::from("."),
            })
            .collect()
    } else {
        let mut targets = Vec::new();
        for path in &args.paths {
            for rule in rule_files(path, &mut problems) {
                let rule_path = PathBuf::from(rule.name());
                let tests = read_tests(&rule_path, &mut problems);
                let base_dir = rule_path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                targets.push(Target {
                    rule,
                    tests,
                    base_dir,
                });
            }
        }
        targets
    };
    let require_tests = builtin || args.require_tests;

    let results: Vec<RuleTestResult> = targets
        .iter()
        .map(|t| run_rule_tests(&t.rule, t.tests.as_ref(), &t.base_dir))
        .collect();

    let mut out = String::new();
    let (mut passed, mut failed, mut untested) = (0usize, 0usize, 0usize);
    for (target, result) in targets.iter().zip(&results) {
        let file_failed = !result.passed();
        if !args.quiet || file_failed || target.tests.is_none() {
            let _ = writeln!(out, "{}", result.rule_file);
        }
        for case in &result.cases {
            if case.passed {
                passed += 1;
                if !args.quiet {
                    let _ = writeln!(out, "  ok    {}", case.name);
                }
            } else {
                failed += 1;
                let _ = writeln!(out, "  FAIL  {}", case.name);
                for difference in &case.differences {
                    let _ = writeln!(out, "        {difference}");
                }
            }
        }
        problems.extend(result.problems.iter().cloned());
        if target.tests.is_none() {
            untested += 1;
            let message = format!(
                "`{}` has no test file `{}`",
                result.rule_file,
                std::path::Path::new(&result.rule_file)
                    .with_extension("tests.yaml")
                    .display()
            );
            let help = "add cases with at least one `expect: pass` and one `expect: fail`";
            problems.push(if require_tests {
                Problem::error("test::no-tests", message).with_help(help)
            } else {
                Problem::warning("test::no-tests", message).with_help(help)
            });
        }
    }
    let load_errors = problems.iter().filter(|p| p.is_error()).count();
    let ok = failed == 0 && load_errors == 0 && passed > 0;
    let _ = writeln!(
        out,
        "\ntest result: {}. {passed} passed; {failed} failed; {} rule files; {untested} without tests",
        if ok { "ok" } else { "FAILED" },
        targets.len(),
    );
    if passed + failed == 0 {
        let _ = writeln!(
            out,
            "no test case ran: a rule pack with no cases proves nothing, so this is a failure"
        );
    }
    let stderr_options = HumanOptions {
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
        verdicts: false,
    };
    let _ =
        std::io::stderr().write_all(human::render_problems(&problems, stderr_options).as_bytes());
    if std::io::stdout().write_all(out.as_bytes()).is_err() {
        return Exit::ToolError;
    }
    if load_errors > 0 && failed == 0 && passed == 0 {
        Exit::ToolError
    } else if ok {
        Exit::Clean
    } else {
        Exit::Findings
    }
}
