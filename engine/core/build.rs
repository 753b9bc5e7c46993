//! Embeds every `.rule` file under the repository's `rules/` directory into the library, so the
//! built-in pack works from any directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rule")
            || path.to_string_lossy().ends_with(".tests.yaml")
        {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../..");
    let rules = root.join("rules");
    println!("cargo::rerun-if-changed={}", rules.display());
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::new();
    for (name, doc, wanted) in [
        ("BUILTIN_RULES", "every built-in rule file", ".rule"),
        (
            "BUILTIN_TESTS",
            "the test cases of the built-in rules",
            ".tests.yaml",
        ),
    ] {
        let _ = writeln!(
            code,
            "/// (repository path, text) of {doc}\npub(crate) static {name}: &[(&str, &str)] = &["
        );
        for file in files
            .iter()
            .filter(|f| f.to_string_lossy().ends_with(wanted))
        {
            println!("cargo::rerun-if-changed={}", file.display());
            let rel = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .to_string_lossy()
                .replace('\\', "/");
            let _ = writeln!(
                code,
                "    ({rel:?}, include_str!({:?})),",
                file.display().to_string()
            );
        }
        code.push_str("];\n");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("builtin_rules.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo::warning=cannot write {}: {e}", out.display());
    }
}
