//! `pm lsp`: pm's checks, hovers and fixes in the editor, over the Language
//! Server Protocol (rust-analyzer's `lsp-server` for the transport and
//! `lsp-types` for the messages).
//!
//! One thread answers messages in order. A change is checked once the
//! buffer has been quiet for `Options::debounce`; a request about a document
//! with a check pending runs it first, so answers are about the buffer as
//! it is. Every handler runs under `catch_unwind`: whatever a half-typed
//! buffer does to the core, the server answers with an error and goes on.

mod adapter;
mod completion;
mod diagnostics;
mod hover;
pub mod position;
mod symbols;
mod transport;
mod workspace;

use adapter::Checked;
use chrono::NaiveDate;
use diagnostics::Finding;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    InitializeParams, MessageType, OneOf, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use position::{Encoding, LineIndex};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// "Today" for the date rules; the clock's date when `None`.
    pub today: Option<NaiveDate>,
    /// How long a buffer must be quiet after a change before it is checked.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: None,
            debounce: Duration::from_millis(150),
        }
    }
}

/// Serves over stdin and stdout until `exit`. `Ok(true)` when the client
/// shut the server down first, as the spec asks.
pub fn serve_stdio(options: &Options) -> anyhow::Result<bool> {
    let (connection, io) = transport::stdio();
    let clean = serve(&connection, options);
    drop(connection);
    // The reader ends at `exit` or the end of input, the writer with the
    // connection; a client that went away is no error of the server's.
    let _ = io.join();
    Ok(clean)
}

/// Serves one connection until `exit` or its end. `true` when the client
/// sent `shutdown` before `exit`.
pub fn serve(connection: &Connection, options: &Options) -> bool {
    let Some((encoding, roots)) = initialize(connection) else {
        return false;
    };
    let mut server = Server {
        connection,
        options: options.clone(),
        encoding,
        documents: HashMap::new(),
        configs: adapter::Configs::default(),
        workspace: workspace::Workspace::new(roots),
        shown: HashSet::new(),
        shut_down: false,
    };
    server.run()
}

/// The handshake: the client's encodings and folders, and pm's capabilities.
fn initialize(connection: &Connection) -> Option<(Encoding, Vec<PathBuf>)> {
    loop {
        let (id, params) = connection.initialize_start().ok()?;
        let params = match serde_json::from_value::<InitializeParams>(params) {
            Ok(params) => params,
            Err(err) => {
                send(
                    connection,
                    Response::new_err(
                        id,
                        ErrorCode::InvalidParams as i32,
                        format!("invalid initialize parameters: {err}"),
                    ),
                );
                continue;
            }
        };
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.as_deref()),
        );
        #[allow(deprecated)] // root_uri: older clients send only that
        let roots: Vec<PathBuf> = match (&params.workspace_folders, &params.root_uri) {
            (Some(folders), _) if !folders.is_empty() => folders
                .iter()
                .filter_map(|folder| uri_to_path(&folder.uri))
                .collect(),
            (_, Some(root)) => uri_to_path(root).into_iter().collect(),
            _ => Vec::new(),
        };
        let capabilities = ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(true),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![":".into(), " ".into(), "/".into()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            document_symbol_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        };
        let result = serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": ServerInfo {
                name: "pm".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            },
        });
        connection.initialize_finish(id, result).ok()?;
        return Some((encoding, roots));
    }
}

fn send(connection: &Connection, message: impl Into<Message>) {
    // A client that went away ends the loop at the next receive.
    let _ = connection.sender.send(message.into());
}

/// An open document: the buffer's text and what its last check found.
struct Document {
    version: Option<i32>,
    text: String,
    path: Option<PathBuf>,
    /// When a check is due, after a change.
    due: Option<Instant>,
    checked: Option<Checked>,
    findings: Vec<Finding>,
}

struct Server<'c> {
    connection: &'c Connection,
    options: Options,
    encoding: Encoding,
    documents: HashMap<Uri, Document>,
    configs: adapter::Configs,
    workspace: workspace::Workspace,
    /// Messages shown once (a broken pm.toml), not at every keystroke.
    shown: HashSet<String>,
    shut_down: bool,
}

/// A failed request, as the protocol's error.
struct Failure(ErrorCode, String);

impl Server<'_> {
    fn run(&mut self) -> bool {
        loop {
            let next = self.documents.values().filter_map(|d| d.due).min();
            let message = match next {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(message) => message,
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                            self.check_due();
                            continue;
                        }
                        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return false,
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return false,
                },
            };
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(notification) if notification.method == "exit" => {
                    return self.shut_down;
                }
                Message::Notification(notification) => {
                    let method = notification.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(notification))).is_err() {
                        self.show_once(format!("pm: internal error handling `{method}`"));
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shut_down {
            self.reply(
                id,
                Err(Failure(
                    ErrorCode::InvalidRequest,
                    "the server is shut down".into(),
                )),
            );
            return;
        }
        if request.method == "shutdown" {
            self.shut_down = true;
            self.reply(id, Ok(Value::Null));
            return;
        }
        let method = request.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.answer(request))).unwrap_or_else(|_| {
            Err(Failure(
                ErrorCode::InternalError,
                format!("pm failed to answer `{method}`"),
            ))
        });
        self.reply(id, result);
    }

    fn reply(&self, id: RequestId, result: Result<Value, Failure>) {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(Failure(code, message)) => Response::new_err(id, code as i32, message),
        };
        send(self.connection, response);
    }

    fn answer(&mut self, request: Request) -> Result<Value, Failure> {
        fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Failure> {
            serde_json::from_value(request.params).map_err(|err| {
                Failure(
                    ErrorCode::InvalidParams,
                    format!("invalid parameters for `{}`: {err}", request.method),
                )
            })
        }
        let json = |value: Result<Value, serde_json::Error>| {
            value.map_err(|err| Failure(ErrorCode::InternalError, err.to_string()))
        };
        let encoding = self.encoding;
        match request.method.as_str() {
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = params(request)?;
                let doc = &p.text_document_position_params;
                let hover = self
                    .current(&doc.text_document.uri)
                    .and_then(|d| hover::hover(d, doc.position, encoding));
                json(serde_json::to_value(hover))
            }
            "textDocument/codeAction" => {
                let p: lsp_types::CodeActionParams = params(request)?;
                let uri = p.text_document.uri;
                let actions = self
                    .current(&uri)
                    .map(|d| diagnostics::code_actions(&d.findings, p.range, &uri))
                    .unwrap_or_default();
                json(serde_json::to_value(actions))
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(request)?;
                let doc = &p.text_document_position;
                let uri = doc.text_document.uri.clone();
                let dir = self
                    .documents
                    .get(&uri)
                    .and_then(|d| Some(d.path.as_ref()?.parent()?.to_path_buf()));
                let severities = dir.and_then(|dir| match self.configs.for_dir(&dir) {
                    adapter::Loaded::Found(found) => found.config.check.severities.clone(),
                    _ => None,
                });
                let Some(document) = self.documents.get(&uri) else {
                    return Ok(Value::Null);
                };
                let context = completion::Context {
                    text: &document.text,
                    encoding,
                    severities: severities.as_deref(),
                    workspace: &mut self.workspace,
                    path: document.path.as_deref(),
                };
                json(serde_json::to_value(completion::complete(
                    context,
                    doc.position,
                )))
            }
            "textDocument/documentSymbol" => {
                let p: lsp_types::DocumentSymbolParams = params(request)?;
                let symbols = self
                    .current(&p.text_document.uri)
                    .map(|d| symbols::outline(&d.text, encoding));
                json(serde_json::to_value(symbols))
            }
            method => Err(Failure(
                ErrorCode::MethodNotFound,
                format!("pm does not handle `{method}`"),
            )),
        }
    }

    /// A document, checked if a check was pending.
    fn current(&mut self, uri: &Uri) -> Option<&Document> {
        if self.documents.get(uri)?.due.is_some() {
            self.check(uri);
        }
        self.documents.get(uri)
    }

    fn notification(&mut self, notification: Notification) {
        use lsp_types::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
            DidOpenTextDocument, DidSaveTextDocument, Notification as _,
        };
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.documents.insert(
                    uri.clone(),
                    Document {
                        version: Some(p.text_document.version),
                        text: p.text_document.text,
                        path: uri_to_path(&uri),
                        due: None,
                        checked: None,
                        findings: Vec::new(),
                    },
                );
                self.check(&uri);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let encoding = self.encoding;
                let debounce = self.options.debounce;
                let Some(document) = self.documents.get_mut(&p.text_document.uri) else {
                    return;
                };
                for change in p.content_changes {
                    match change.range {
                        None => document.text = change.text,
                        Some(range) => {
                            let index = LineIndex::new(&document.text, encoding);
                            let start = index.offset(range.start);
                            let end = index.offset(range.end).max(start);
                            document.text.replace_range(start..end, &change.text);
                        }
                    }
                }
                document.version = Some(p.text_document.version);
                document.due = Some(Instant::now() + debounce);
                if debounce.is_zero() {
                    self.check(&p.text_document.uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                else {
                    return;
                };
                self.workspace.saved();
                if p.text_document.uri.as_str().ends_with(adapter::CONFIG_FILE) {
                    self.configs.clear();
                    self.check_all();
                    return;
                }
                if let Some(document) = self.documents.get_mut(&p.text_document.uri) {
                    if let Some(text) = p.text {
                        document.text = text;
                    }
                    self.check(&p.text_document.uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                if self.documents.remove(&p.text_document.uri).is_some() {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                self.configs.clear();
                self.workspace.saved();
                self.check_all();
            }
            _ => {}
        }
    }

    fn check_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|due| due <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            if catch_unwind(AssertUnwindSafe(|| self.check(&uri))).is_err() {
                if let Some(document) = self.documents.get_mut(&uri) {
                    document.due = None;
                }
                self.show_once("pm: internal error checking a document".to_owned());
            }
        }
    }

    fn check_all(&mut self) {
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.check(&uri);
        }
    }

    /// Checks a document's buffer and publishes what it finds.
    fn check(&mut self, uri: &Uri) {
        let today = self
            .options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        let config = match document.path.as_ref().and_then(|p| p.parent()) {
            Some(dir) => self.configs.for_dir(dir).clone(),
            None => adapter::Loaded::None,
        };
        if let adapter::Loaded::Broken(error) = &config {
            self.show_once(format!("pm: {error}; checking with the defaults"));
        }
        let settings = adapter::settings(today, &config);
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        let name = document
            .path
            .as_ref()
            .map_or_else(|| uri.as_str().to_owned(), |p| p.display().to_string());
        let checked = adapter::check(&name, &document.text, &settings);
        let index = LineIndex::new(&checked.source.text, self.encoding);
        document.findings = checked
            .diagnostics
            .iter()
            .map(|d| diagnostics::convert(d, &index, uri))
            .collect();
        document.checked = Some(checked);
        document.due = None;
        let published = document.findings.iter().map(|f| f.lsp.clone()).collect();
        let version = document.version;
        self.publish(uri.clone(), published, version);
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        use lsp_types::notification::{Notification as _, PublishDiagnostics};
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        send(
            self.connection,
            Notification::new(PublishDiagnostics::METHOD.to_owned(), params),
        );
    }

    fn show_once(&mut self, message: String) {
        use lsp_types::notification::{Notification as _, ShowMessage};
        if self.shown.insert(message.clone()) {
            let params = ShowMessageParams {
                typ: MessageType::WARNING,
                message,
            };
            send(
                self.connection,
                Notification::new(ShowMessage::METHOD.to_owned(), params),
            );
        }
    }
}

/// The path of a `file:` URI; `None` for other schemes (`untitled:`).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            decoded.push(byte);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).ok()?;
    // `/C:/Users/...` on Windows.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => {
            path[1..].to_owned()
        }
        _ => path,
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/a%20b/x.yaml".parse().expect("uri");
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/a b/x.yaml")));
        let untitled: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(uri_to_path(&untitled), None);
    }
}
