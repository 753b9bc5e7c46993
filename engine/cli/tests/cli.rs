//! `tollgate check` end to end: exit codes, both output formats, and hostile inputs

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly; the no-panic lints are for library code"
)]

mod common;

use std::process::Output;

use common::{errors, findings, repo_root, stderr, stdout, tollgate, tollgate_in};

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", stdout(o)))
}

#[test]
fn compliant_fixture_exits_0() {
    let out = tollgate(&["check", "fixtures/configs/compliant-chemical-plant.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    insta::assert_snapshot!("human_compliant", stdout(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn findings_exit_1_with_excerpts() {
    let out = tollgate(&[
        "check",
        "fixtures/configs/sp07-remote-access-noncompliant.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("human_sp07", stdout(&out));
}

#[test]
fn json_report_accounts_for_every_input() {
    let out = tollgate(&[
        "check",
        "--format",
        "json",
        "fixtures/configs",
        "fixtures/broken",
    ]);
    assert_eq!(out.status.code(), Some(2), "broken inputs are tool errors");
    let report = json(&out);
    assert_eq!(report["schema"], "tollgate-report/2");
    let inputs = report["inputs"].as_array().unwrap();
    // 14 submissions (two compliant, one per area non-compliant), 3 broken files
    assert_eq!(inputs.len(), 17, "every input appears: {inputs:#?}");
    assert_eq!(report["summary"]["inputs"], 17);
    assert_eq!(report["summary"]["passed"], 2);
    assert_eq!(report["summary"]["failed"], 13);
    assert_eq!(report["summary"]["errored"], 2);
    let findings = findings(&report);
    assert_eq!(
        usize::try_from(report["summary"]["findings"].as_u64().unwrap()).unwrap(),
        findings.len()
    );
    let first = &findings[0];
    for key in [
        "rule_id",
        "rule_name",
        "requirements",
        "severity",
        "message",
        "location",
        "rule_location",
    ] {
        assert!(first.get(key).is_some(), "finding without {key}: {first:#}");
    }
    for key in ["file", "start", "end", "span", "path"] {
        assert!(
            first["location"].get(key).is_some(),
            "location without {key}"
        );
    }
    let errors = errors(&report);
    // The two broken files are errors; the hand-typed date in type-errors.yaml is a warning
    let levels: Vec<&str> = errors
        .iter()
        .map(|e| e["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "error", "warning"], "{errors:#?}");
    assert!(
        errors.iter().all(|e| e["start"]["line"].as_u64().is_some()),
        "tool errors carry a line: {errors:#?}"
    );
    insta::assert_snapshot!(
        "json_sp12",
        stdout(&tollgate(&[
            "check",
            "--format",
            "json",
            "fixtures/configs/sp12-backup-restore-noncompliant.yaml"
        ]))
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let file = "fixtures/configs/sp04-wireless-noncompliant.yaml"; // high, medium and low findings
    assert_eq!(
        tollgate(&["check", "--fail-on", "critical", file])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        tollgate(&["check", "--fail-on", "high", file])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        tollgate(&["check", "--fail-on", "never", file])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn missing_input_is_a_tool_error_that_does_not_stop_the_others() {
    let out = tollgate(&[
        "check",
        "--format",
        "json",
        "no/such/file.yaml",
        "fixtures/configs/sp12-backup-restore-noncompliant.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let expected = std::fs::read_to_string(
        repo_root().join("fixtures/configs/sp12-backup-restore-noncompliant.expected"),
    )
    .unwrap();
    assert_eq!(
        report["summary"]["findings"].as_u64().unwrap(),
        expected.lines().filter(|l| !l.trim().is_empty()).count() as u64,
        "the good file was still checked"
    );
    assert!(
        stderr(&out).contains("cannot read `no/such/file.yaml`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zero_inputs_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = tollgate(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no input files to check"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn oversized_input_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse 17 MiB file: refused from its size, so the test writes nothing to disk
    let file = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let out = tollgate_in(dir.path(), &["check", "huge.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`huge.yaml` is larger than 16 MiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn version_control_directories_are_not_inputs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/not-a-submission.yaml"), "[unclosed").unwrap();
    std::fs::copy(
        repo_root().join("fixtures/configs/compliant-chemical-plant.yaml"),
        dir.path().join("plant.yaml"),
    )
    .unwrap();
    let out = tollgate_in(dir.path(), &["check", "--format", "json", "."], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["inputs"], 1);
}

#[test]
fn zero_rules_is_an_error_not_a_pass() {
    let out = tollgate(&[
        "check",
        "--no-builtin",
        "fixtures/configs/compliant-chemical-plant.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no rules to run"), "{}", stderr(&out));
}

#[test]
fn stdin_is_an_input() {
    let yaml = "remote_access:\n  methods:\n    - name: modem\n      over_public_network: true\n      encrypted: false\n      mfa: true\n";
    let out = tollgate_in(
        &repo_root(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "modem.yaml",
            "-",
        ],
        Some(yaml),
    );
    let report = json(&out);
    assert_eq!(report["inputs"][0]["path"], "modem.yaml");
    let f = findings(&report)
        .into_iter()
        .find(|f| f["rule_id"] == "TG0703")
        .expect("TG0703 finding");
    assert_eq!(f["location"]["start"]["line"], 5);
    assert_eq!(f["location"]["path"], "remote_access.methods[0].encrypted");
}

#[test]
fn every_document_of_a_stream_is_checked() {
    let yaml = "shared: 1\naccounts:\n  inventory:\n    - id: a\n      shared: true\n---\naccounts:\n  inventory:\n    - id: b\n      shared: true\n";
    let out = tollgate_in(
        &repo_root(),
        &["check", "--format", "json", "-"],
        Some(yaml),
    );
    let report = json(&out);
    let shared: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f["rule_id"] == "TG0902")
        .collect();
    assert_eq!(shared.len(), 2);
    assert_eq!(shared[0]["document"], 0);
    assert_eq!(shared[1]["document"], 1);
    assert_eq!(shared[1]["location"]["start"]["line"], 10);
    assert_eq!(report["summary"]["documents"], 2);
}

#[test]
fn extra_rules_directory_and_as_of() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.rule"),
        "/// Submissions are dated.\nrule submission-undated {\n  id ACME001\n  requirement \"SP.01.01 BR\"\n  documentation yes\n  maturity 1\n  severity low\n  applies integration\n  let s = submission\n  require is_date(s.date) && age_days(s.date) <= 30 else \"submission is dated {s.date}\"\n}\n",
    )
    .unwrap();
    let rules = dir.path().to_str().unwrap();
    let file = "fixtures/configs/compliant-chemical-plant.yaml";
    let fresh = tollgate(&[
        "check",
        "--no-builtin",
        "--rules",
        rules,
        "--as-of",
        "2026-11-20",
        file,
    ]);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}{}",
        stdout(&fresh),
        stderr(&fresh)
    );
    let stale = tollgate(&[
        "check",
        "--no-builtin",
        "--rules",
        rules,
        "--as-of",
        "2027-03-01",
        "--format",
        "json",
        file,
    ]);
    assert_eq!(stale.status.code(), Some(1));
    let report = json(&stale);
    assert_eq!(report["as_of"], "2027-03-01");
    assert_eq!(
        report["inputs"][0]["documents"][0]["as_of_source"],
        "command-line"
    );
    assert_eq!(findings(&report)[0]["rule_id"], "ACME001");
}

#[test]
fn invalid_as_of_is_a_usage_error() {
    let out = tollgate(&["check", "--as-of", "23.11.2026", "fixtures/configs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
}

#[test]
fn output_is_identical_across_thread_counts_and_argument_order() {
    let one = tollgate(&[
        "check",
        "--format",
        "json",
        "-j",
        "1",
        "fixtures/configs",
        "fixtures/broken",
    ]);
    let two = tollgate(&[
        "check",
        "--format",
        "json",
        "-j",
        "2",
        "fixtures/broken",
        "fixtures/configs",
    ]);
    assert_eq!(stdout(&one), stdout(&two));
    assert_eq!(stderr(&one), stderr(&two));
}

#[cfg(unix)]
#[test]
fn fifo_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::copy(
        repo_root().join("fixtures/configs/compliant-chemical-plant.yaml"),
        dir.path().join("plant.yaml"),
    )
    .unwrap();
    let out = tollgate_in(dir.path(), &["check", "--format", "json", "."], None);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    assert_eq!(report["summary"]["inputs"], 2);
    assert_eq!(report["summary"]["passed"], 1);
    assert!(
        stderr(&out).contains("`pipe.yaml` is not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
    std::fs::copy(
        repo_root().join("fixtures/configs/compliant-chemical-plant.yaml"),
        dir.path().join("sub/plant.yaml"),
    )
    .unwrap();
    let out = tollgate_in(dir.path(), &["check", "."], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("symbolic link loop"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    let deep = "[".repeat(100_000);
    let bom = "\u{feff}accounts:\n  inventory:\n    - id: a\n      shared: true\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bomb.yaml"), bomb).unwrap();
    std::fs::write(dir.path().join("deep.yaml"), deep).unwrap();
    std::fs::write(dir.path().join("bom.yaml"), bom).unwrap();
    std::fs::write(
        dir.path().join("utf16.yaml"),
        [0xFF, 0xFE, b'a', 0, b':', 0],
    )
    .unwrap();
    let out = tollgate_in(dir.path(), &["check", "--format", "json", "."], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["summary"]["inputs"], 4);
    let by_path = |p: &str| {
        report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(by_path("deep.yaml")["outcome"], "error");
    assert_eq!(by_path("utf16.yaml")["outcome"], "error");
    assert_eq!(by_path("bom.yaml")["outcome"], "fail", "a BOM is accepted");
    let bom_finding = findings(&report)
        .into_iter()
        .find(|f| f["location"]["file"] == "bom.yaml" && f["rule_id"] == "TG0902")
        .unwrap();
    assert_eq!(bom_finding["location"]["start"]["line"], 4);
    assert_ne!(by_path("bomb.yaml")["outcome"], "pass");
}

#[test]
fn json_reports_validate_against_the_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let multi = "accounts:\n  inventory:\n    - id: a\n      shared: yes\n---\nkind: unknown\n";
    let runs = [
        tollgate(&[
            "check",
            "--format",
            "json",
            "fixtures/configs",
            "fixtures/broken",
            "no/such.yaml",
        ]),
        tollgate(&[
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
            "fixtures/configs/sp09-account-management-noncompliant.yaml",
        ]),
        tollgate_in(
            &repo_root(),
            &["check", "--format", "json", "-"],
            Some(multi),
        ),
        tollgate(&[
            "check",
            "--format",
            "json",
            "--no-builtin",
            "fixtures/configs",
        ]),
    ];
    for out in &runs {
        let report = json(out);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The schema is strict: an unknown field fails validation
    let mut report = json(&runs[1]);
    report["inputs"][0]["findings"][0]["surprise"] = serde_json::json!(1);
    assert!(!validator.is_valid(&report));
}
