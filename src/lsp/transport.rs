//! LSP over stdio, like `lsp_server::Connection::stdio`, except that a
//! message that is not JSON-RPC gets the protocol's error (parse error, or
//! invalid request) instead of ending the connection.

use crossbeam_channel::{Sender, bounded, unbounded};
use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

/// A larger message is refused and ends the connection: no client sends one.
const MAX_MESSAGE: usize = 64 << 20;

const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

#[derive(Debug)]
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader panicked")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer panicked")));
        reader.and(writer)
    }
}

pub fn stdio() -> (Connection, IoThreads) {
    let out = Arc::new(Mutex::new(io::stdout()));
    let (writer_sender, writer_receiver) = unbounded::<Message>();
    let writer_out = Arc::clone(&out);
    let writer = thread::spawn(move || {
        for message in writer_receiver {
            let mut out = writer_out.lock().unwrap_or_else(PoisonError::into_inner);
            message.write(&mut *out)?;
        }
        Ok(())
    });
    let (reader_sender, reader_receiver) = bounded::<Message>(0);
    let reader = thread::spawn(move || read_loop(&mut io::stdin().lock(), &reader_sender, &out));
    (
        Connection {
            sender: writer_sender,
            receiver: reader_receiver,
        },
        IoThreads { reader, writer },
    )
}

fn read_loop(
    input: &mut impl BufRead,
    sender: &Sender<Message>,
    out: &Mutex<io::Stdout>,
) -> io::Result<()> {
    while let Some(text) = read_frame(input)? {
        match parse(&text) {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if sender.send(message).is_err() || is_exit {
                    break;
                }
            }
            Err(reason) => {
                if let Some(reply) = error_reply(&text, &reason) {
                    let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
                    write_frame(&mut *out, &reply)?;
                }
            }
        }
    }
    Ok(())
}

/// A message, or why it is not one.
fn parse(text: &str) -> Result<Message, String> {
    serde_json::from_str::<Message>(text).map_err(|err| err.to_string())
}

/// The error a malformed message gets: a parse error for text that is not
/// JSON, an invalid request for JSON that is not a request (a malformed
/// notification, having no id, gets nothing back).
fn error_reply(text: &str, err: &str) -> Option<String> {
    let (id, code, message) = match serde_json::from_str::<serde_json::Value>(text) {
        Err(_) => (
            serde_json::Value::Null,
            PARSE_ERROR,
            format!("not JSON: {err}"),
        ),
        Ok(value) => {
            let id = value.get("id")?.clone();
            let id = if id.is_number() || id.is_string() {
                id
            } else {
                serde_json::Value::Null
            };
            (
                id,
                INVALID_REQUEST,
                format!("not a JSON-RPC message: {err}"),
            )
        }
    };
    Some(
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code, "message": message },
        })
        .to_string(),
    )
}

/// One `Content-Length` framed message, `None` at the end of the input.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut size = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if size.is_some() {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            size = value.trim().parse::<usize>().ok();
        }
    }
    let size = size.unwrap_or_default();
    if size > MAX_MESSAGE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "message too large",
        ));
    }
    let mut body = vec![0; size];
    input.read_exact(&mut body)?;
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}

pub fn write_frame(out: &mut impl Write, text: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_whatever_the_header_case_and_blank_lines() {
        let mut input: &[u8] = b"content-length: 2\r\n\r\n{}\r\nContent-Length:3\r\n\r\n[1]";
        assert_eq!(read_frame(&mut input).expect("read").as_deref(), Some("{}"));
        assert_eq!(
            read_frame(&mut input).expect("read").as_deref(),
            Some("[1]")
        );
        assert_eq!(read_frame(&mut input).expect("read"), None);
    }

    #[test]
    fn malformed_messages_get_protocol_errors() {
        let err = parse("{").expect_err("not JSON");
        let reply: serde_json::Value =
            serde_json::from_str(&error_reply("{", &err).expect("a reply")).expect("JSON");
        assert_eq!(reply["error"]["code"], PARSE_ERROR);
        assert_eq!(reply["id"], serde_json::Value::Null);
        let text = r#"{"jsonrpc":"2.0","id":7,"params":{}}"#;
        let err = parse(text).expect_err("no method");
        let reply: serde_json::Value =
            serde_json::from_str(&error_reply(text, &err).expect("a reply")).expect("JSON");
        assert_eq!(reply["error"]["code"], INVALID_REQUEST);
        assert_eq!(reply["id"], 7);
    }
}
