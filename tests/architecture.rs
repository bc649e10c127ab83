//! The layers of the code, checked from its source: the core's top-level
//! modules depend on each other without a cycle, from the command layer down
//! to the format, and the core never sees the command line. docs/architecture.md
//! draws the same layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its non-test code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    fn walk(dir: &Path, src: &Path, graph: &mut BTreeMap<String, BTreeSet<String>>) {
        for entry in std::fs::read_dir(dir).expect("src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, src, graph);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src/");
            let first = relative.components().next().expect("a component");
            let module = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            // Unit tests may use anything; comments name modules freely.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let uses = graph.entry(module.clone()).or_default();
            for line in code.lines() {
                let line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                for (at, _) in line.match_indices("crate::") {
                    let name: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        uses.insert(name);
                    }
                }
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    walk(&src, &src, &mut graph);
    graph
}

/// A cycle in the graph, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_core_has_no_import_cycle() {
    let graph = graph();
    assert!(graph.len() > 10, "{graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!("import cycle: {}", found.join(" -> "));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph = graph();
    graph
        .entry("diagnostic".into())
        .or_default()
        .insert("rules".into());
    assert!(cycle(&graph).is_some());
}

#[test]
fn only_the_command_layer_sees_the_command_line() {
    for (module, uses) in graph() {
        if module == "cmd" || module == "cli" {
            continue;
        }
        for layer in ["cli", "cmd"] {
            assert!(
                !uses.contains(layer),
                "`{module}` depends on `{layer}`: the core never sees the command line"
            );
        }
    }
}

/// The leaves are leaves: what everything may use depends on nothing above it.
#[test]
fn diagnostics_and_rule_metadata_are_a_leaf() {
    let graph = graph();
    // Text helpers that depend on nothing may sit under it.
    assert_eq!(graph["sanitize"], BTreeSet::new());
    assert!(
        graph["diagnostic"].iter().all(|m| m == "sanitize"),
        "{:?}",
        graph["diagnostic"]
    );
    for module in ["incident", "time", "yaml", "source"] {
        assert!(
            !graph[module].contains("rules") && !graph[module].contains("check"),
            "`{module}` depends on the rules or the pipeline above it: {:?}",
            graph[module]
        );
    }
}
