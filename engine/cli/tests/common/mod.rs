//! Helpers shared by the CLI test binaries

#![allow(
    dead_code,
    clippy::unwrap_used,
    reason = "each test binary uses a subset; test helpers fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The repository root
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `tollgate` in the repository root
pub(crate) fn tollgate(args: &[&str]) -> Output {
    tollgate_in(&repo_root(), args, None)
}

/// Runs `tollgate` in `dir`, without colour, at the default width, with optional stdin
pub(crate) fn tollgate_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::cargo_bin("tollgate").unwrap();
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_owned());
    }
    cmd.timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

/// Standard output as text
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Every finding of a JSON report, input by input
pub(crate) fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["findings"].as_array().unwrap().clone())
        .collect()
}

/// Every tool problem of a JSON report: the run's, then each input's
pub(crate) fn errors(report: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut all = report["errors"].as_array().unwrap().clone();
    for input in report["inputs"].as_array().unwrap() {
        all.extend(input["errors"].as_array().unwrap().iter().cloned());
    }
    all
}
