//! The language server's latency from a change to its diagnostics: a
//! `didChange` of a 4 KB postmortem through `pm::lsp::serve` (over an
//! in-memory connection, the debounce set to zero) until the
//! `publishDiagnostics` for it arrives. Target: under 20 ms (issue 17).
//! `cargo bench --bench lsp`; docs/performance.md has the figures.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;
use std::time::Duration;

/// A real postmortem of about 4 KB.
const POSTMORTEM: &str = include_str!("../examples/email-notification-outage.yaml");

const URI: &str = "file:///bench/email-notification-outage.yaml";

fn notify(client: &Connection, method: &str, params: serde_json::Value) {
    client
        .sender
        .send(Message::Notification(Notification::new(
            method.to_owned(),
            params,
        )))
        .expect("server alive");
}

fn diagnostics(client: &Connection) -> usize {
    loop {
        match client.receiver.recv().expect("server alive") {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            _ => {}
        }
    }
}

fn change_to_diagnostics(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let options = pm::lsp::Options {
        today: NaiveDate::from_ymd_opt(2024, 1, 1),
        debounce: Duration::ZERO,
    };
    let thread = std::thread::spawn(move || pm::lsp::serve(&server, &options));
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".to_owned(),
            json!({ "capabilities": {} }),
        )))
        .expect("server alive");
    let _ = client.receiver.recv().expect("initialize result");
    notify(&client, "initialized", json!({}));
    notify(
        &client,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": POSTMORTEM } }),
    );
    diagnostics(&client);
    // Alternate two texts, as typing does: the same size, one finding apart.
    let texts = [
        POSTMORTEM.to_owned(),
        POSTMORTEM.replacen("title:", "titel:", 1),
    ];
    let mut version = 1;
    let mut group = c.benchmark_group("lsp");
    group.throughput(Throughput::Bytes(POSTMORTEM.len() as u64));
    // The check alone, for the share of the server's own work in the above.
    let settings = pm::check::Settings::new(NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date"));
    group.bench_function("check_alone_4kb", |b| {
        b.iter(|| pm::check::check_bytes("bench.yaml", texts[1].as_bytes(), &settings));
    });
    group.bench_function("change_to_diagnostics_4kb", |b| {
        b.iter(|| {
            version += 1;
            let text = &texts[usize::from(version % 2 == 1)];
            notify(
                &client,
                "textDocument/didChange",
                json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] }),
            );
            diagnostics(&client)
        });
    });
    group.finish();
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".to_owned(),
            json!(null),
        )))
        .expect("server alive");
    notify(&client, "exit", json!(null));
    assert!(thread.join().expect("server thread"));
}

criterion_group!(benches, change_to_diagnostics);
criterion_main!(benches);
