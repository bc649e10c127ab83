//! `pm lsp` at the protocol level: the real binary, spoken to over stdio
//! as an editor would.

// The helpers take the `json!` values the tests build in place.
#![allow(clippy::needless_pass_by_value)]

mod common;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A postmortem with `PST` in June, a misspelt key and a misspelt kind.
const PST_IN_JUNE: &str = "\
title: Checkout errors
status: draft
timezone: America/Los_Angeles
summary:
  service: Checkout
  start: 2023-06-10 15:00 PST
  end: 2023-06-10 16:30
  impact: Payments failed.
  affected: 20%
  cause: A bad deploy.
timeline:
  - at: 2023-06-10 16:00
    kind: trigger
    text: Deployed.
  - at: \"16:12\"
    kidn: detected
    text: Alert fired.
  - at: \"16:30\"
    kind: resolvd
    text: Rolled back.
";

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else.
    seen: Vec<Value>,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pm"))
            .arg("lsp")
            .current_dir(dir)
            .env("PM_TODAY", common::TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("pm lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = line.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length")];
                reader.read_exact(&mut body).expect("the body");
                let value: Value = serde_json::from_slice(&body).expect("JSON");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            messages,
            next_id: 0,
            seen: Vec::new(),
        }
    }

    fn send_raw(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.send_raw(&message.to_string());
    }

    /// Sends a request and waits for its response (the whole message).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_raw(&message.to_string());
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&wanted) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("timed out; seen {:?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => panic!("server ended; seen {:?}", self.seen),
            }
        }
    }

    /// The next diagnostics published for a document.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let uri = uri.to_owned();
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn initialize(&mut self, root: &std::path::Path) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri_of(root),
                "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    /// Shuts down and exits; the exit code.
    fn finish(mut self) -> i32 {
        let result = self.call("shutdown", Value::Null);
        assert_eq!(result["result"], Value::Null, "{result}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "pm lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn with_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == rule).collect()
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": end } })
}

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("checkout.yaml");
    // On disk, a different file: the server must check the buffer.
    std::fs::write(&path, "title: on disk\n").expect("write");
    let uri = uri_of(&path);
    (dir, uri)
}

#[test]
fn initialize_announces_the_capabilities_and_utf16() {
    let (dir, _) = setup();
    let mut server = Server::start(dir.path());
    let result = server.initialize(dir.path());
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(result["serverInfo"]["name"], "pm");
    assert_eq!(server.finish(), 0);
}

#[test]
fn the_buffer_is_checked_on_open_with_rule_range_and_severity() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    let diagnostics = server.diagnostics(&uri);
    let pst = with_rule(&diagnostics, "abbreviation-mismatch");
    assert_eq!(pst.len(), 1, "{diagnostics:?}");
    assert_eq!(pst[0]["range"], range(5, 9, 29));
    assert_eq!(pst[0]["severity"], 1);
    assert_eq!(pst[0]["source"], "pm");
    assert!(pst[0]["message"].as_str().expect("message").contains("PDT"));
    let missing = with_rule(&diagnostics, "missing-field");
    assert!(
        !missing.is_empty() && missing.iter().all(|d| d["severity"] == 2),
        "{missing:?}"
    );
    assert_eq!(
        with_rule(&diagnostics, "unknown-field")[0]["range"],
        range(15, 4, 8)
    );
    assert_eq!(server.finish(), 0);
}

#[test]
fn a_change_is_checked_after_the_pause_and_the_unsaved_text_counts() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    server.diagnostics(&uri);
    let fixed = PST_IN_JUNE.replace("15:00 PST", "15:00 PDT");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let published = server.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 2);
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .expect("list")
        .clone();
    assert!(
        with_rule(&diagnostics, "abbreviation-mismatch").is_empty(),
        "{diagnostics:?}"
    );
    assert_eq!(with_rule(&diagnostics, "unknown-field").len(), 1);
    assert_eq!(server.finish(), 0);
}

#[test]
fn pm_toml_from_the_document_folder_up_sets_severities() {
    let (dir, _) = setup();
    std::fs::write(
        dir.path().join("pm.toml"),
        "[rules]\nmissing-field = \"off\"\nunknown-field = \"warning\"\n",
    )
    .expect("pm.toml");
    let nested = dir.path().join("2023");
    std::fs::create_dir(&nested).expect("folder");
    let uri = uri_of(&nested.join("x.yaml"));
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    let diagnostics = server.diagnostics(&uri);
    assert!(
        with_rule(&diagnostics, "missing-field").is_empty(),
        "{diagnostics:?}"
    );
    assert_eq!(with_rule(&diagnostics, "unknown-field")[0]["severity"], 2);
    assert_eq!(server.finish(), 0);
}

#[test]
fn hover_on_a_time_gives_the_zone_utc_and_offset_from_the_start() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, &PST_IN_JUNE.replace("15:00 PST", "16:00"));
    server.diagnostics(&uri);
    // `16:12` on line 15 (0-based 14).
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 14, "character": 11 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("2023-06-10 16:12 PDT (America/Los_Angeles)"),
        "{text}"
    );
    assert!(text.contains("2023-06-10 23:12 UTC"), "{text}");
    assert!(text.contains("T+12 min from `summary.start`"), "{text}");
    // PST in June has no instant: the wall clock's reading, and why.
    server.open(&uri, PST_IN_JUNE);
    server.diagnostics(&uri);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 5, "character": 12 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("`PST` is not in effect in America/Los_Angeles then: PDT is"),
        "{text}"
    );
    assert!(text.contains("2023-06-10 22:00 UTC"), "{text}");
    assert!(text.contains("# abbreviation-mismatch"), "{text}");
    // On a key: its documentation.
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 3 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("IANA time zone"), "{text}");
    // On a finding: the rule's explanation.
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 15, "character": 5 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("# unknown-field"), "{text}");
    assert_eq!(server.finish(), 0);
}

#[test]
fn hover_on_an_ambiguous_time_gives_both_readings() {
    let (dir, uri) = setup();
    let text = "timezone: Europe/London\nsummary:\n  start: 2026-10-25 00:30\ntimeline:\n  - at: 2026-10-25 01:30\n    text: x\n";
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, text);
    let diagnostics = server.diagnostics(&uri);
    assert_eq!(
        with_rule(&diagnostics, "ambiguous-time").len(),
        1,
        "{diagnostics:?}"
    );
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 4, "character": 12 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("2026-10-25 00:30 UTC"), "{text}");
    assert!(text.contains("2026-10-25 01:30 UTC"), "{text}");
    assert!(text.contains("BST") && text.contains("GMT"), "{text}");
    assert_eq!(server.finish(), 0);
}

#[test]
fn fixes_are_quick_fixes_preferred_when_safe() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    let diagnostics = server.diagnostics(&uri);
    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range(15, 5, 5),
            "context": { "diagnostics": diagnostics },
        }),
    );
    let actions = actions.as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["title"], "pm: rename it to `kind`");
    assert_eq!(action["diagnostics"][0]["code"], "unknown-field");
    assert_eq!(
        action["edit"]["changes"][&uri],
        json!([{ "range": range(15, 4, 8), "newText": "kind" }])
    );
    // The misspelt kind.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range(18, 12, 12), "context": { "diagnostics": [] } }),
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{ "range": range(18, 10, 17), "newText": "resolved" }])
    );
    // Nowhere near a fix: none.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range(0, 0, 0), "context": { "diagnostics": [] } }),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(server.finish(), 0);
}

fn labels(completion: &Value) -> Vec<String> {
    completion["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["label"].as_str().expect("label").to_owned())
        .collect()
}

#[test]
fn completion_offers_keys_values_and_ranked_canonical_zones() {
    let (dir, uri) = setup();
    std::fs::write(dir.path().join("other.yaml"), "timezone: Africa/Lagos\n").expect("write");
    let text = "timezone: Europe/Paris\nstatus: \nsummary:\n  service: x\n  \ntimeline:\n  - at: 10:00\n    kind: \n    \n";
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, text);
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let status = server.request("textDocument/completion", at(1, 8));
    assert_eq!(labels(&status), ["draft", "review", "final"]);
    // In `summary`, its keys but the one written.
    let summary = labels(&server.request("textDocument/completion", at(4, 2)));
    let expected: Vec<&str> = pm::incident::keys::summary()
        .into_iter()
        .filter(|k| *k != "service")
        .collect();
    assert_eq!(summary, expected);
    let kind = labels(&server.request("textDocument/completion", at(7, 10)));
    assert!(
        kind.contains(&"detected".to_owned()) && kind.len() == pm::incident::EntryKind::NAMES.len(),
        "{kind:?}"
    );
    let entry = labels(&server.request("textDocument/completion", at(8, 4)));
    // The entry's keys but `at` and `kind`, which it has.
    let expected: Vec<&str> = pm::incident::keys::entry()
        .into_iter()
        .filter(|k| !["at", "kind"].contains(k))
        .collect();
    assert_eq!(entry, expected);
    // Zones: this document's, then the repository's, then the rest; no aliases.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": format!("{text}timezone: \n") }] }),
    );
    let zones = server.request("textDocument/completion", at(9, 10));
    let items = zones["items"].as_array().expect("items");
    let mut sorted: Vec<&Value> = items.iter().collect();
    sorted.sort_by_key(|item| item["sortText"].as_str().expect("sortText").to_owned());
    let first: Vec<&str> = sorted
        .iter()
        .take(2)
        .map(|i| i["label"].as_str().expect("label"))
        .collect();
    assert_eq!(first, ["Europe/Paris", "Africa/Lagos"]);
    let all = labels(&zones);
    assert!(all.contains(&"Asia/Kolkata".to_owned()) && all.contains(&"UTC".to_owned()));
    for alias in ["Asia/Calcutta", "US/Pacific", "Etc/GMT+5", "EST5EDT"] {
        assert!(!all.contains(&alias.to_owned()), "{alias}");
    }
    assert_eq!(server.finish(), 0);
}

#[test]
fn the_outline_has_sections_and_entries_named_by_time_and_kind() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["title", "status", "timezone", "summary", "timeline"]
    );
    let entries: Vec<&str> = symbols[4]["children"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        entries,
        ["2023-06-10 16:00 trigger", "16:12 action", "16:30 resolvd"]
    );
    assert_eq!(symbols[4]["children"][0]["detail"], "Deployed.");
    // Tasks by their text.
    let text = format!(
        "{PST_IN_JUNE}tasks:\n  - text: Add a canary stage\n    owner: ops\n    due: 2023-07-01\n"
    );
    server.open(&uri, &text);
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let tasks = &symbols[5];
    assert_eq!(tasks["name"], "tasks");
    assert_eq!(tasks["children"][0]["name"], "Add a canary stage");
    assert_eq!(tasks["children"][0]["detail"], "ops, 2023-07-01");
    assert_eq!(server.finish(), 0);
}

#[test]
fn half_typed_buffers_and_malformed_messages_do_not_end_the_server() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, "title: [unclosed\n  - at: \"16:\n\u{feff}\t:\n");
    let diagnostics = server.diagnostics(&uri);
    assert_eq!(
        with_rule(&diagnostics, "yaml-syntax").len(),
        1,
        "{diagnostics:?}"
    );
    for (line, character) in [(0, 0), (0, 9), (1, 9), (2, 1), (99, 99)] {
        let position = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        server.request("textDocument/hover", position.clone());
        server.request("textDocument/completion", position);
    }
    server.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    // Not JSON: a parse error, with a null id.
    server.send_raw("{ not json");
    let error = server.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    // Bad parameters, an unknown method.
    let bad = server.call("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(bad["error"]["code"], -32602);
    let unknown = server.call("pm/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A document never opened.
    let none = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere.yaml" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(server.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (dir, _) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), 1);
}

#[test]
fn requests_after_shutdown_are_refused_and_closing_input_is_exit_code_1() {
    let (dir, _) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.call("shutdown", Value::Null);
    let refused = server.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": "file:///x" } }),
    );
    assert_eq!(refused["error"]["code"], -32600);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), 0);
    let (dir, _) = setup();
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    assert_eq!(server.exit_code(), 1);
}

#[test]
fn utf8_is_chosen_when_offered_and_columns_follow_it() {
    let (dir, uri) = setup();
    let mut server = Server::start(dir.path());
    let result = server.request(
        "initialize",
        json!({ "processId": null, "capabilities": { "general": { "positionEncodings": ["utf-16", "utf-8"] } } }),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    server.notify("initialized", json!({}));
    // `é` is two bytes: the unknown key after it starts at byte 12, character 11.
    server.open(&uri, "title: Café\nzzé_unknown: 1\n");
    let diagnostics = server.diagnostics(&uri);
    let unknown = with_rule(&diagnostics, "unknown-field");
    assert_eq!(unknown[0]["range"], range(1, 0, 12), "{unknown:?}");
    assert_eq!(server.finish(), 0);
}

#[test]
fn a_broken_pm_toml_is_shown_once_and_a_saved_one_is_read_again() {
    let (dir, uri) = setup();
    let config = dir.path().join("pm.toml");
    std::fs::write(&config, "[rules\n").expect("pm.toml");
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, PST_IN_JUNE);
    let message = server.wait(|m| m["method"] == "window/showMessage");
    assert!(
        message["params"]["message"]
            .as_str()
            .expect("text")
            .contains("pm.toml"),
        "{message}"
    );
    let diagnostics = server.diagnostics(&uri);
    assert_eq!(with_rule(&diagnostics, "unknown-field")[0]["severity"], 1);
    std::fs::write(&config, "[rules]\nunknown-field = \"warning\"\n").expect("pm.toml");
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri_of(&config) } }),
    );
    let diagnostics = server.diagnostics(&uri);
    assert_eq!(with_rule(&diagnostics, "unknown-field")[0]["severity"], 2);
    // Saving the postmortem checks the text saved.
    server.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri }, "text": PST_IN_JUNE.replace("kidn", "kind") }),
    );
    let diagnostics = server.diagnostics(&uri);
    assert!(
        with_rule(&diagnostics, "unknown-field").is_empty(),
        "{diagnostics:?}"
    );
    // Closing clears what was shown.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(server.diagnostics(&uri).is_empty());
    assert_eq!(server.finish(), 0);
}

#[test]
fn a_malformed_initialize_is_refused_and_a_good_one_still_accepted() {
    let (dir, _) = setup();
    let mut server = Server::start(dir.path());
    let refused = server.call("initialize", json!({ "capabilities": 5 }));
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    // Before initialize, other requests are refused as the spec says.
    let early = server.call("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    server.initialize(dir.path());
    assert_eq!(server.finish(), 0);
}

#[test]
fn secondary_labels_become_related_information() {
    let (dir, uri) = setup();
    let text = PST_IN_JUNE.replace("15:00 PST", "17:00");
    let mut server = Server::start(dir.path());
    server.initialize(dir.path());
    server.open(&uri, &text);
    let diagnostics = server.diagnostics(&uri);
    let inverted = with_rule(&diagnostics, "end-before-start");
    assert_eq!(inverted.len(), 1, "{diagnostics:?}");
    assert_eq!(inverted[0]["range"], range(6, 7, 23));
    let related = &inverted[0]["relatedInformation"];
    assert_eq!(related[0]["location"]["uri"], uri);
    assert_eq!(related[0]["location"]["range"], range(5, 9, 25));
    assert!(
        related[0]["message"]
            .as_str()
            .expect("message")
            .starts_with("summary.start is"),
        "{related}"
    );
    assert_eq!(server.finish(), 0);
}
