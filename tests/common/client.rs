//! A language client for the tests: the binary started and spoken to over
//! stdio as an editor would (JSON-RPC with Content-Length headers).

#[path = "rpc.rs"]
pub mod rpc;

use serde_json::{Value, json};
use std::io::BufReader;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    notes: Vec<Value>,
    /// What the server said it can do.
    pub capabilities: Value,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(json!({"capabilities": {}, "processId": null}))
    }

    /// Started with these `initialize` parameters.
    pub fn start_with(init: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = rpc::read(&mut stdout) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notes: Vec::new(),
            capabilities: Value::Null,
        };
        let init = client.request("initialize", init);
        client.capabilities = init["result"]["capabilities"].clone();
        let caps = &client.capabilities;
        assert_eq!(caps["positionEncoding"], "utf-16");
        for provider in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "documentSymbolProvider",
            "documentFormattingProvider",
            "inlayHintProvider",
            "foldingRangeProvider",
        ] {
            assert_eq!(caps[provider], true, "{provider}");
        }
        assert!(caps["completionProvider"].is_object());
        client.notify("initialized", json!({}));
        client
    }

    pub fn send(&mut self, message: Value) {
        rpc::write(&mut self.stdin, &message);
    }

    pub fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response (with `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
            self.notes.push(message);
        }
    }

    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for a document.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let note = match self.notes.iter().position(|n| n["params"]["uri"] == uri) {
                Some(i) => self.notes.remove(i),
                None => self.receive(),
            };
            if note["method"] == "textDocument/publishDiagnostics" && note["params"]["uri"] == uri {
                return note["params"]["diagnostics"].as_array().unwrap().clone();
            }
            if note.get("id").is_none() && note["params"]["uri"] != uri {
                self.notes.push(note);
            }
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        let doc = json!({"uri": uri, "languageId": "zhibiao", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
        self.diagnostics(uri)
    }

    pub fn at(&mut self, method: &str, uri: &str, (line, character): (usize, usize)) -> Value {
        let mut params = json!({
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": character},
        });
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        self.result(method, params)
    }

    pub fn stop(mut self) {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly: {status}");
    }
}

pub fn uri(path: &Path) -> String {
    zhibiao::lsp::uri::from_path(&std::fs::canonicalize(path).unwrap())
        .unwrap()
        .as_str()
        .to_string()
}

/// The protocol's position (line, UTF-16 column) of the first `needle`
/// after `after`, computed here independently of the server.
pub fn find(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text.find(after).unwrap();
    let offset = start + text[start..].find(needle).unwrap();
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].encode_utf16().count())
}
