//! Throughput of the whole pipeline against a bare YAML event parse of the same files
//!
//! `cargo bench -p tollgate --bench throughput [-- N] [--pack-size RULES]` generates N (default
//! 10,000) distinct
//! submissions in memory and measures, best of 5 interleaved rounds each, in one run:
//! - `parse`: iterating saphyr-parser's events over every file (the floor: no tree, no rules);
//! - `load`: tollgate's located loader (tree with a byte span on every node);
//! - `check 1t`: loader + every built-in rule on one thread;
//! - `check 2t`: the same on a two-thread rayon pool.
//!
//! It prints times and the ratios the project tracks: `check 1t / parse` (target <= 1.5) and
//! `check 1t / check 2t` (target near 2 on two idle cores). Ratios, not absolute times, are
//! what is comparable on a shared machine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::format_push_string,
    clippy::cast_precision_loss,
    clippy::unreadable_literal,
    reason = "a benchmark: stops loudly on a broken setup, builds text simply, prints approximate sizes"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tollgate::yaml::{YamlLimits, load};
use tollgate::{CheckOptions, Engine, SourceFile, builtin_rule_files};

const BASE: &str = include_str!("../../../fixtures/configs/compliant-chemical-plant.yaml");

/// A distinct, realistic submission: the compliant plant with numbered names, shifted dates and a
/// varying number of remote-access methods, accounts, patches and backup jobs
fn submission(i: usize) -> String {
    let mut text = BASE
        .replace("vendor-vpn", &format!("vendor-vpn-{i}"))
        .replace("2026-11-0", &format!("2026-11-{}", i % 2));
    let extra = i % 4;
    let mut methods = String::new();
    let mut accounts = String::new();
    let mut jobs = String::new();
    for k in 0..extra {
        methods.push_str(&format!(
            "    - name: extra-{i}-{k}\n      application: RDP\n      over_public_network: {}\n      encrypted: true\n      mfa: true\n      approval: per-session\n      max_session_minutes: {}\n      accounts: [user-{i}-{k}]\n",
            k % 2 == 0,
            120 + k * 60
        ));
        accounts.push_str(&format!(
            "    - id: user-{i}-{k}\n      owner: Person {k}\n      type: personal\n"
        ));
        jobs.push_str(&format!(
            "    - asset: server-{i}-{k}\n      schedule: daily\n      last_success: 2026-11-01\n      last_restore_test: 2026-0{}-15\n",
            k + 3
        ));
    }
    // Each list grows where it is in the plant file, so every submission stays valid
    text = text.replace(
        "\nevent_management:\n",
        &format!("{methods}\nevent_management:\n"),
    );
    text = text.replace(
        "\n  removal_reports:\n",
        &format!("\n{accounts}  removal_reports:\n"),
    );
    text = text.replace(
        "\n  full_restore_tests:\n",
        &format!("\n{jobs}  full_restore_tests:\n"),
    );
    text
}

fn time<F: FnOnce()>(f: F) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn bare_parse(text: &str) -> usize {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut events = 0;
    while let Some(event) = parser.next_event() {
        let (event, _) = event.expect("valid YAML");
        events += 1;
        if matches!(event, saphyr_parser::Event::StreamEnd) {
            break;
        }
    }
    events
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The first number that is not the value of `--pack-size`
    let n: usize = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args.get(i - 1).is_none_or(|prev| prev != "--pack-size"))
        .find_map(|(_, a)| a.parse().ok())
        .unwrap_or(10_000);
    // `--pack-size N`: replicate the built-in rules (renamed) up to about N rules, to measure
    // a pack the size of the full IEC 62443-2-4 pack before it exists
    let pack_size: Option<usize> = args
        .iter()
        .position(|a| a == "--pack-size")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok());
    let texts: Vec<Arc<SourceFile>> = (0..n)
        .map(|i| {
            Arc::new(SourceFile::new(
                format!("submission-{i}.yaml"),
                submission(i),
            ))
        })
        .collect();
    let bytes: usize = texts.iter().map(|t| t.text().len()).sum();
    let builtin = builtin_rule_files();
    let rule_files: Vec<Arc<SourceFile>> = match pack_size {
        None => builtin,
        Some(size) => (0..size.div_ceil(builtin.len()))
            .flat_map(|copy| {
                builtin.iter().map(move |f| {
                    let text = f
                        .text()
                        .replace("id TG", &format!("id TG{copy:02}"))
                        .replace("rule ", &format!("rule copy-{copy}-"));
                    Arc::new(SourceFile::new(format!("{}#{copy}", f.name()), text))
                })
            })
            .collect(),
    };
    let engine = Engine::new(&rule_files);
    assert!(engine.problems().is_empty());
    // Each submission is judged as of its own date, as in real use: mostly compliant, so the
    // measurement is of checking, not of building findings
    let options = CheckOptions::default();
    let sample = engine.check_source(&texts[0], &options);
    assert!(
        sample.problems.is_empty(),
        "the generated submissions are valid"
    );
    println!(
        "{n} submissions, {:.1} MiB, {} rules; first submission: {} findings, {} rules passed",
        bytes as f64 / 1048576.0,
        engine.pack().len(),
        sample.findings.len(),
        sample.documents[0].rules.passed
    );

    let limits = YamlLimits::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    // Rounds interleave the four measurements so that a change in machine load hits all of
    // them alike; each keeps its best round
    let rounds = 5;
    let (mut parse, mut loaded, mut one, mut two) =
        (Duration::MAX, Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        parse = parse.min(time(|| {
            let events: usize = texts.iter().map(|t| bare_parse(t.text())).sum();
            assert!(events > 0);
        }));
        loaded = loaded.min(time(|| {
            let docs: usize = texts
                .iter()
                .map(|t| load(t.text(), &limits).unwrap().len())
                .sum();
            assert_eq!(docs, n);
        }));
        one = one.min(time(|| {
            let findings: usize = texts
                .iter()
                .map(|t| engine.check_source(t, &options).findings.len())
                .sum();
            std::hint::black_box(findings);
        }));
        two = two.min(time(|| {
            let findings: usize = pool.install(|| {
                texts
                    .par_iter()
                    .map(|t| engine.check_source(t, &options).findings.len())
                    .sum()
            });
            std::hint::black_box(findings);
        }));
    }
    let single = (0..20)
        .map(|_| {
            time(|| {
                std::hint::black_box(engine.check_source(&texts[1], &options));
            })
        })
        .min()
        .unwrap();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "parse     {:>9.1} ms  (bare saphyr-parser events)",
        ms(parse)
    );
    println!("load      {:>9.1} ms  (located tree)", ms(loaded));
    println!(
        "check 1t  {:>9.1} ms  (load + {} rules, one thread)",
        ms(one),
        engine.pack().len()
    );
    println!("check 2t  {:>9.1} ms  (two threads)", ms(two));
    println!(
        "one file  {:>9.3} ms  (check of one submission)",
        ms(single)
    );
    println!(
        "ratio load/parse      {:.2}",
        loaded.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "ratio check1t/parse   {:.2}  (target <= 1.5)",
        one.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "speedup 1t/2t         {:.2}  (target near 2 on two idle cores)",
        one.as_secs_f64() / two.as_secs_f64()
    );
}
