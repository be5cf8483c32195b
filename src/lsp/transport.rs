//! The server's end of stdin and stdout: LSP frames (`Content-Length`
//! headers, a JSON body) read so that no message can stop the server. A frame
//! that cannot be read — malformed JSON, a body that is not UTF-8, a lone
//! surrogate, a length that is wrong or too large — is answered with the
//! protocol's parse error (or skipped where there is nothing to answer), and
//! reading goes on at the next `Content-Length` header. Nothing larger than
//! [`MOST_BYTES`] is held in memory.

use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};

/// The largest message body read; a larger length is answered with an error.
pub const MOST_BYTES: usize = 64 << 20;
/// The longest header line read.
const MOST_HEADER: u64 = 8 << 10;

/// Serves `serve` over `input` and `output`, until it returns.
pub fn run<R, W>(
    input: R,
    output: W,
    serve: impl FnOnce(&Connection) -> Result<(), lsp_server::ProtocolError>,
) -> Result<(), lsp_server::ProtocolError>
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    let (server, client) = Connection::memory();
    let output = Arc::new(Mutex::new(output));
    let reader_output = Arc::clone(&output);
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    // Ends with the input (which ends the server), or when the server has
    // stopped listening.
    std::thread::spawn(move || {
        read_frames(input, |m| to_server.send(m).is_ok(), &reader_output);
    });
    let writer = std::thread::spawn(move || {
        for message in from_server {
            let Ok(mut out) = output.lock() else { return };
            if message.write(&mut *out).and_then(|()| out.flush()).is_err() {
                return;
            }
        }
    });
    let served = serve(&server);
    drop(server);
    _ = writer.join();
    served
}

/// Reads frames until the input ends or `send` says the server is gone.
fn read_frames<R: BufRead, W: Write>(
    mut input: R,
    send: impl Fn(Message) -> bool,
    output: &Mutex<W>,
) {
    loop {
        let frame = match next_frame(&mut input) {
            Ok(Some(frame)) => frame,
            Ok(None) | Err(_) => return,
        };
        match message(frame) {
            Ok(message) => {
                if !send(message) {
                    return;
                }
            }
            Err(error) => {
                let Ok(mut out) = output.lock() else { return };
                if write_error(&mut *out, &error).is_err() {
                    return;
                }
            }
        }
    }
}

/// Every message in `input`, or why a frame could not be read (for the
/// fuzzer and tests: the server reads frames the same way).
pub fn messages(mut input: &[u8]) -> Vec<Result<Message, String>> {
    let mut out = Vec::new();
    while let Ok(Some(frame)) = next_frame(&mut input) {
        out.push(message(frame).map_err(|e| e.message));
    }
    out
}

/// What could not be read, as a JSON-RPC error.
struct FrameError {
    id: serde_json::Value,
    code: i32,
    message: String,
}

impl FrameError {
    fn parse(message: String) -> FrameError {
        FrameError {
            id: serde_json::Value::Null,
            code: lsp_server::ErrorCode::ParseError as i32,
            message,
        }
    }
}

/// The next frame's body, or why it cannot be used; `None` at the end.
fn next_frame(input: &mut impl BufRead) -> std::io::Result<Option<Result<Vec<u8>, FrameError>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input
            .by_ref()
            .take(MOST_HEADER)
            .read_until(b'\n', &mut line)?
            == 0
        {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            // A blank line ends the headers, or is noise before them.
            if length.is_some() {
                break;
            }
            continue;
        }
        // The header may follow the rest of a body whose length was wrong;
        // any other line is skipped.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.rfind("content-length") {
            let value = text.get(at + "content-length".len()..).unwrap_or("");
            let value = value.trim_start().strip_prefix(':').unwrap_or(value).trim();
            length = Some(
                value
                    .parse()
                    .map_err(|_| format!("bad Content-Length `{value}`")),
            );
        }
    }
    let length = match length {
        Some(Ok(n)) => n,
        Some(Err(e)) => return Ok(Some(Err(FrameError::parse(e)))),
        None => return Ok(None),
    };
    if length > MOST_BYTES {
        // Not read: the next header is looked for in what follows.
        let most = MOST_BYTES >> 20;
        let e = format!("a message of {length} bytes is larger than {most} MiB");
        return Ok(Some(Err(FrameError::parse(e))));
    }
    let mut body = Vec::with_capacity(length);
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(None);
    }
    Ok(Some(Ok(body)))
}

/// A frame's body as a message.
fn message(frame: Result<Vec<u8>, FrameError>) -> Result<Message, FrameError> {
    let body = frame?;
    let text = String::from_utf8(body).map_err(|e| FrameError::parse(format!("not UTF-8: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| FrameError::parse(format!("not JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or_default();
    serde_json::from_value(value).map_err(|e| FrameError {
        id,
        code: lsp_server::ErrorCode::InvalidRequest as i32,
        message: format!("not a request, response or notification: {e}"),
    })
}

fn write_error(out: &mut impl Write, error: &FrameError) -> std::io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": error.id,
        "error": { "code": error.code, "message": error.message },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}
