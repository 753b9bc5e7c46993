//! `tollgate explain ID`: a rule's or a requirement's documentation, as Markdown

use std::fmt::Write as _;
use std::io::Write;

use clap::Args;
use tollgate::catalog;
use tollgate::reference::rule_markdown;

use crate::Exit;
use crate::common::{PackArgs, load_pack, print_problems};

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A rule id (`TG0701`), a rule name (`remote-session-too-long`) or a requirement id (`"SP.07.04 BR"`, `SP.07.04`)
    #[arg(value_name = "ID")]
    id: String,

    #[command(flatten)]
    pack: PackArgs,
}

pub(crate) fn run(args: &ExplainArgs) -> Exit {
    let (engine, problems) = load_pack(&args.pack);
    print_problems(&problems);
    let wanted = args.id.trim();
    let rules = engine.pack().rules();
    let text = if let Some(rule) = rules
        .iter()
        .find(|r| r.rule().id.value.eq_ignore_ascii_case(wanted) || r.rule().name.value == wanted)
    {
        rule_markdown(rule, "#")
    } else {
        let requirements: Vec<catalog::Coverage> = catalog::coverage(engine.pack())
            .into_iter()
            .filter(|c| {
                c.requirement.id == wanted || c.requirement.id.starts_with(&format!("{wanted} "))
            })
            .collect();
        if requirements.is_empty() {
            let close = rules
                .iter()
                .map(|r| r.rule().name.value.as_str())
                .min_by_key(|n| strsim::levenshtein(n, wanted))
                .filter(|n| strsim::levenshtein(n, wanted) <= 3);
            eprintln!(
                "error: no rule or requirement `{wanted}`{}\n  help: `tollgate list` shows rule ids and names, `tollgate list --coverage` requirement ids",
                close
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            );
            return Exit::ToolError;
        }
        let mut text = String::new();
        for c in &requirements {
            let r = &c.requirement;
            let _ = write!(
                text,
                "# {}\n\n{} ({}), {} requirement, checked from {}.\n\nIn our words: {}\n\n",
                r.id,
                r.area,
                catalog::area_name(&r.area).unwrap_or_default(),
                if r.kind == "BR" {
                    "base"
                } else {
                    "enhancement"
                },
                match r.class {
                    catalog::CheckClass::Cfg => "configuration values",
                    catalog::CheckClass::Rec => "records in the submission",
                    catalog::CheckClass::Doc => "document references",
                },
                r.summary
            );
            if c.rules.is_empty() {
                text.push_str("No rule evidences this requirement.\n\n");
            }
            for id in &c.rules {
                if let Some(rule) = rules.iter().find(|x| &x.rule().id.value == id) {
                    text.push_str(&rule_markdown(rule, "##"));
                }
            }
        }
        text
    };
    if std::io::stdout().write_all(text.as_bytes()).is_err() {
        return Exit::ToolError;
    }
    Exit::Clean
}
