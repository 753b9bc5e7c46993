#![allow(missing_docs, clippy::unwrap_used, reason = "throwaway")]
fn main() {
    let engine = tollgate::Engine::new(&tollgate::builtin_rule_files());
    println!("{:?}", engine.pack().native_condition_count());
    for line in engine.pack().non_native_conditions() {
        println!("{line}");
    }
}
