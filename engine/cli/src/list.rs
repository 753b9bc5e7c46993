//! `tollgate list`: the rules, or the requirements with the rules that cover them, filtered and
//! sorted by the columns of the standard's requirement table

use std::fmt::Write as _;
use std::io::Write;

use clap::{Args, ValueEnum};
use tollgate::catalog::{CheckClass, Coverage};
use tollgate::report::RuleInfo;
use tollgate::rule::{ServiceKind, Severity};

use crate::Exit;
use crate::common::{PackArgs, load_pack, print_problems};

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pack: PackArgs,

    /// Show each requirement id of IEC 62443-2-4 with the rules that evidence it; exit 1 when one has none
    #[arg(long)]
    coverage: bool,

    /// Only this functional area (`SP.07` or `7`); repeatable
    #[arg(long, value_name = "AREA")]
    area: Vec<String>,

    /// Only rules for this requirement id (`"SP.07.04 BR"`), or requirement ids starting with it (`SP.07.04`)
    #[arg(long, value_name = "ID")]
    requirement: Option<String>,

    /// Only base requirements
    #[arg(long, conflicts_with = "re_only")]
    br_only: bool,

    /// Only requirement enhancements
    #[arg(long)]
    re_only: bool,

    /// Only this topic (case-insensitive substring)
    #[arg(long)]
    topic: Option<String>,

    /// Only this subtopic (case-insensitive substring)
    #[arg(long)]
    subtopic: Option<String>,

    /// Only rules whose requirement is (`yes`) or is not (`no`) about documentation
    #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
    documentation: Option<bool>,

    /// Only this maturity level (1 to 4)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    maturity: Option<u8>,

    /// Only this severity or a higher one
    #[arg(long, value_enum)]
    severity: Option<SeverityArg>,

    /// Only rules that apply to this kind of service
    #[arg(long, value_enum)]
    applies: Option<ServiceArg>,

    /// Only requirements of this check class (with `--coverage`)
    #[arg(long, value_enum)]
    class: Option<ClassArg>,

    /// Sort by this column (default: requirement id, then rule id)
    #[arg(long, value_enum, default_value_t = SortKey::Requirement)]
    sort: SortKey,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

fn parse_yes_no(text: &str) -> Result<bool, String> {
    match text {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("`{text}` is not `yes` or `no`")),
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl SeverityArg {
    fn severity(self) -> Severity {
        match self {
            Self::Info => Severity::Info,
            Self::Low => Severity::Low,
            Self::Medium => Severity::Medium,
            Self::High => Severity::High,
            Self::Critical => Severity::Critical,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ServiceArg {
    Integration,
    Maintenance,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ClassArg {
    Cfg,
    Rec,
    Doc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum SortKey {
    /// Requirement id in the standard's order
    Requirement,
    /// Rule id
    Id,
    /// Rule name
    Name,
    /// Functional area
    Area,
    /// BR before RE
    Kind,
    Topic,
    Subtopic,
    /// Documentation requirements first
    Documentation,
    Maturity,
    /// Most severe first
    Severity,
    Applies,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ListFormat {
    /// Aligned columns
    Table,
    /// A JSON array
    Json,
    /// CSV in the column order of the standard's requirement table, then tollgate's columns
    Csv,
}

fn area_code(text: &str) -> String {
    let digits = text.trim_start_matches("SP.").trim_start_matches("sp");
    match digits.parse::<u8>() {
        Ok(n) => format!("SP.{n:02}"),
        Err(_) => text.to_owned(),
    }
}

/// Sort key of a requirement id in the standard's order (`SP.03.10 RE(2)` after `SP.03.10 BR`)
fn requirement_order(id: &str) -> (u8, u8, u8) {
    tollgate::rule::parse_requirement_id(id).map_or((99, 99, 99), |r| {
        (r.area, r.number, r.enhancement.unwrap_or(0))
    })
}

fn keep_rule(args: &ListArgs, r: &RuleInfo) -> bool {
    let areas: Vec<String> = args.area.iter().map(|a| area_code(a)).collect();
    let contains = |haystack: Option<&String>, needle: &Option<String>| {
        needle
            .as_ref()
            .is_none_or(|n| haystack.is_some_and(|h| h.to_lowercase().contains(&n.to_lowercase())))
    };
    (areas.is_empty() || areas.contains(&r.area))
        && args
            .requirement
            .as_ref()
            .is_none_or(|q| r.requirements.iter().any(|id| id.starts_with(q.as_str())))
        && (!args.br_only || r.requirement_kind == "BR")
        && (!args.re_only || r.requirement_kind == "RE")
        && contains(r.topic.as_ref(), &args.topic)
        && contains(r.subtopic.as_ref(), &args.subtopic)
        && args.documentation.is_none_or(|d| d == r.documentation)
        && args.maturity.is_none_or(|m| m == r.maturity)
        && args.severity.is_none_or(|s| r.severity >= s.severity())
        && args.applies.is_none_or(|a| {
            r.applies.contains(&match a {
                ServiceArg::Integration => ServiceKind::Integration,
                ServiceArg::Maintenance => ServiceKind::Maintenance,
            })
        })
}

fn sort_rules(rules: &mut [RuleInfo], key: SortKey) {
    let primary = |r: &RuleInfo| {
        r.requirements
            .first()
            .map_or((99, 99, 99), |q| requirement_order(q))
    };
    rules.sort_by(|a, b| {
        let by_key = match key {
            SortKey::Requirement => primary(a).cmp(&primary(b)),
            SortKey::Id => a.id.cmp(&b.id),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Area => a.area.cmp(&b.area),
            SortKey::Kind => a.requirement_kind.cmp(b.requirement_kind),
            SortKey::Topic => a.topic.cmp(&b.topic),
            SortKey::Subtopic => a.subtopic.cmp(&b.subtopic),
            SortKey::Documentation => b.documentation.cmp(&a.documentation),
            SortKey::Maturity => a.maturity.cmp(&b.maturity),
            SortKey::Severity => b.severity.cmp(&a.severity),
            SortKey::Applies => applies(a).cmp(&applies(b)),
        };
        by_key
            .then_with(|| primary(a).cmp(&primary(b)))
            .then_with(|| a.id.cmp(&b.id))
    });
}

fn applies(r: &RuleInfo) -> String {
    r.applies
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Left-aligned columns separated by two spaces; the last column is not padded
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(c);
            } else {
                text.push_str(c);
                text.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
    for row in rows {
        line(row);
    }
    out
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

pub(crate) fn run(args: &ListArgs) -> Exit {
    let (engine, problems) = load_pack(&args.pack);
    print_problems(&problems);
    if problems.iter().any(tollgate::Problem::is_error) {
        return Exit::ToolError;
    }
    if args.coverage {
        let rule_only = [
            ("--topic", args.topic.is_some()),
            ("--subtopic", args.subtopic.is_some()),
            ("--documentation", args.documentation.is_some()),
            ("--maturity", args.maturity.is_some()),
            ("--severity", args.severity.is_some()),
            ("--applies", args.applies.is_some()),
        ];
        for (flag, set) in rule_only {
            if set {
                eprintln!(
                    "warning: {flag} filters rules; with --coverage it is ignored (use --class, --area, --requirement, --br-only or --re-only)"
                );
            }
        }
    } else if args.class.is_some() {
        eprintln!("warning: --class filters requirements; it needs --coverage");
    }
    let (text, exit) = if args.coverage {
        coverage(args, &tollgate::catalog::coverage(engine.pack()))
    } else {
        rules(
            args,
            engine.pack().rules().iter().map(RuleInfo::of).collect(),
        )
    };
    match text {
        Ok(text) => {
            if std::io::stdout().write_all(text.as_bytes()).is_err() {
                return Exit::ToolError;
            }
            exit
        }
        Err(e) => {
            eprintln!("error: cannot write the list: {e}");
            Exit::ToolError
        }
    }
}

fn rules(args: &ListArgs, all: Vec<RuleInfo>) -> (Result<String, String>, Exit) {
    let mut rules: Vec<RuleInfo> = all.into_iter().filter(|r| keep_rule(args, r)).collect();
    sort_rules(&mut rules, args.sort);
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&rules)
            .map(|t| t + "\n")
            .map_err(|e| e.to_string()),
        ListFormat::Table => {
            let rows: Vec<Vec<String>> = rules
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.requirements.first().cloned().unwrap_or_default(),
                        r.topic.clone().unwrap_or_default(),
                        r.subtopic.clone().unwrap_or_default(),
                        yes_no(r.documentation).to_owned(),
                        r.maturity.to_string(),
                        r.severity.to_string(),
                        applies(r),
                        r.name.clone(),
                    ]
                })
                .collect();
            let mut text = table(
                &[
                    "ID",
                    "REQUIREMENT",
                    "TOPIC",
                    "SUBTOPIC",
                    "DOC",
                    "MATURITY",
                    "SEVERITY",
                    "APPLIES",
                    "NAME",
                ],
                &rows,
            );
            let _ = write!(text, "\n{} rules\n", rules.len());
            Ok(text)
        }
        ListFormat::Csv => {
            let rows: Vec<Vec<String>> = rules
                .iter()
                .map(|r| {
                    vec![
                        r.requirements.first().cloned().unwrap_or_default(),
                        r.requirement_kind.to_owned(),
                        r.area.clone(),
                        r.topic.clone().unwrap_or_default(),
                        r.subtopic.clone().unwrap_or_default(),
                        yes_no(r.documentation).to_owned(),
                        r.id.clone(),
                        r.name.clone(),
                        r.title.clone(),
                        r.maturity.to_string(),
                        r.severity.to_string(),
                        applies(r),
                        r.requirements
                            .iter()
                            .skip(1)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" "),
                        r.file.clone(),
                    ]
                })
                .collect();
            csv_text(
                &[
                    "Req ID",
                    "BR/RE",
                    "Functional area",
                    "Topic",
                    "Subtopic",
                    "Doc?",
                    "Rule ID",
                    "Rule name",
                    "Title",
                    "Maturity",
                    "Severity",
                    "Applies to",
                    "Also evidences",
                    "Rule file",
                ],
                &rows,
            )
        }
    };
    (text, Exit::Clean)
}

fn coverage(args: &ListArgs, all: &[Coverage]) -> (Result<String, String>, Exit) {
    let areas: Vec<String> = args.area.iter().map(|a| area_code(a)).collect();
    let mut rows: Vec<&Coverage> = all
        .iter()
        .filter(|c| {
            let r = &c.requirement;
            (areas.is_empty() || areas.contains(&r.area))
                && args
                    .requirement
                    .as_ref()
                    .is_none_or(|q| r.id.starts_with(q.as_str()))
                && (!args.br_only || r.kind == "BR")
                && (!args.re_only || r.kind == "RE")
                && args.class.is_none_or(|k| {
                    r.class
                        == match k {
                            ClassArg::Cfg => CheckClass::Cfg,
                            ClassArg::Rec => CheckClass::Rec,
                            ClassArg::Doc => CheckClass::Doc,
                        }
                })
        })
        .collect();
    // Requirements are listed in the standard's order; a stable sort keeps it within a key
    match args.sort {
        SortKey::Kind => rows.sort_by(|a, b| a.requirement.kind.cmp(b.requirement.kind)),
        SortKey::Documentation => rows.sort_by_key(|c| c.requirement.class != CheckClass::Doc),
        _ => {}
    }
    let uncovered = rows.iter().filter(|c| c.rules.is_empty()).count();
    let exit = if uncovered > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    };
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)
            .map(|t| t + "\n")
            .map_err(|e| e.to_string()),
        ListFormat::Table | ListFormat::Csv => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|c| {
                    vec![
                        c.requirement.id.clone(),
                        c.requirement.kind.to_owned(),
                        c.requirement.area.clone(),
                        c.requirement.class.as_str().to_owned(),
                        if c.rules.is_empty() {
                            "NONE".to_owned()
                        } else {
                            c.rules.join(" ")
                        },
                    ]
                })
                .collect();
            let header = ["REQUIREMENT", "BR/RE", "AREA", "CLASS", "RULES"];
            if matches!(args.format, ListFormat::Csv) {
                csv_text(&header, &cells)
            } else {
                let mut text = table(&header, &cells);
                let class_count = |class: CheckClass| {
                    let of: Vec<&&Coverage> = rows
                        .iter()
                        .filter(|c| c.requirement.class == class)
                        .collect();
                    format!(
                        "{} {}/{}",
                        class.as_str(),
                        of.iter().filter(|c| !c.rules.is_empty()).count(),
                        of.len()
                    )
                };
                let _ = write!(
                    text,
                    "\n{} of {} requirement ids have a rule ({}, {}, {}); {uncovered} without\n",
                    rows.len() - uncovered,
                    rows.len(),
                    class_count(CheckClass::Cfg),
                    class_count(CheckClass::Rec),
                    class_count(CheckClass::Doc),
                );
                Ok(text)
            }
        }
    };
    (text, exit)
}
