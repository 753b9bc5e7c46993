//! Lists the conditions of the built-in pack that run in Rhai rather than natively, for tuning
//! the native subset: `cargo run --release -p tollgate --example native_report`

fn main() {
    let engine = tollgate::Engine::new(&tollgate::builtin_rule_files());
    let (native, all) = engine.pack().native_condition_count();
    println!("{native} of {all} conditions run natively; in Rhai:");
    for line in engine.pack().non_native_conditions() {
        println!("{line}");
    }
}
