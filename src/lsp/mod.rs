//! The language server behind `zhibiao lsp`: the same parser and checker as
//! the command line, spoken over stdio with the Language Server Protocol.
//!
//! Every edit re-checks the document (and the open documents that extend
//! it) and publishes all of `check`'s diagnostics; requests read the
//! [`Analysis`] of that edit. Positions are in UTF-16 code units, as the
//! protocol requires ([`text`]). A request that fails for any reason gets
//! an error response; the server goes on.
//!
//! | request | where |
//! |---|---|
//! | diagnostics | [`analysis`] (from `check::compile_with`, unsaved buffers first) |
//! | hover | [`hover`] |
//! | definition, references | [`index`] |
//! | completion | [`complete`] |
//! | document symbols | [`outline`] |
//! | inlay hints (points subtotals) | [`nodes`] |
//! | formatting | `syntax::format` |

mod actions;
mod analysis;
mod complete;
mod context;
mod folding;
mod hover;
mod index;
mod nodes;
mod outline;
mod rename;
mod signature;
mod symbols;
pub mod text;
mod tokens;
pub mod transport;
pub mod uri;
mod workspace;

use crate::derive::Project;
pub use analysis::Analysis;
use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{self as lsp, OneOf};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Serves the editor on stdin and stdout until it says `exit`.
pub fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let input = std::io::BufReader::new(std::io::stdin());
    transport::run(input, std::io::stdout(), serve)?;
    Ok(())
}

/// The protocol over a connection: the handshake, then every message until
/// `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), ProtocolError> {
    let capabilities = serde_json::to_value(capabilities()).unwrap_or_default();
    let params = connection.initialize(capabilities)?;
    if let Some(watch) = watch_request(&params)
        && connection.sender.send(watch).is_err()
    {
        return Ok(());
    }
    let mut server = Server {
        project: workspace(&params).map(|root| Project::at(&root)),
        ..Server::default()
    };
    for message in &connection.receiver {
        let replies = match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let reply = catch_unwind(AssertUnwindSafe(|| server.request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            String::from("internal error"),
                        )
                    });
                vec![Message::Response(reply)]
            }
            Message::Notification(notification) => {
                catch_unwind(AssertUnwindSafe(|| server.notify(notification))).unwrap_or_default()
            }
            Message::Response(_) => Vec::new(),
        };
        for reply in replies {
            if connection.sender.send(reply).is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Asks a client that registers watchers dynamically (Neovim, Helix) to
/// report changes to policy files and scripts on disk, so a parent changed
/// outside the editor re-checks the documents that extend it.
fn watch_request(params: &serde_json::Value) -> Option<Message> {
    let dynamic =
        params.pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration");
    if dynamic != Some(&serde_json::Value::Bool(true)) {
        return None;
    }
    let watchers = serde_json::json!({"watchers": [
        {"globPattern": "**/*.zb"},
        {"globPattern": "**/*.rhai"},
    ]});
    let registration = lsp::Registration {
        id: "zhibiao-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: Some(watchers),
    };
    let params = lsp::RegistrationParams {
        registrations: vec![registration],
    };
    let id = lsp_server::RequestId::from("zhibiao-files".to_string());
    Some(Message::Request(lsp_server::Request::new(
        id,
        "client/registerCapability".into(),
        params,
    )))
}

pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(["/", "#", ":"].map(String::from).to_vec()),
            ..lsp::CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        signature_help_provider: Some(lsp::SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            retrigger_characters: None,
            work_done_progress_options: Default::default(),
        }),
        document_link_provider: Some(lsp::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(
            lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp::SemanticTokensOptions {
                    legend: tokens::legend(),
                    full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: Default::default(),
                },
            ),
        ),
        rename_provider: Some(OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..lsp::ServerCapabilities::default()
    }
}

struct Document {
    version: i32,
    analysis: Analysis,
}

/// The open documents, by URI.
#[derive(Default)]
struct Server {
    documents: BTreeMap<String, Document>,
    /// The workspace folder: policies under it may extend any policy in it.
    project: Option<Project>,
}

/// The folder the client opened (its first workspace folder, or root URI).
fn workspace(params: &serde_json::Value) -> Option<PathBuf> {
    let folder = params.pointer("/workspaceFolders/0/uri");
    let root = folder.or_else(|| params.get("rootUri"))?.as_str()?;
    uri::path(&root.parse().ok()?)
}

impl Server {
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => self.answer(request, |a, p: lsp::HoverParams| {
                let p = p.text_document_position_params;
                let offset = a.lines().offset(p.position);
                a.hover(offset).map(|text| lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: text,
                    }),
                    range: None,
                })
            }),
            req::GotoDefinition::METHOD => {
                self.answer(request, |a, p: lsp::GotoDefinitionParams| {
                    let p = p.text_document_position_params;
                    lsp::GotoDefinitionResponse::Array(a.definition(a.lines().offset(p.position)))
                })
            }
            req::References::METHOD => self.answer(request, |a, p: lsp::ReferenceParams| {
                let offset = a.lines().offset(p.text_document_position.position);
                a.references(offset, p.context.include_declaration)
            }),
            req::Completion::METHOD => self.answer(request, |a, p: lsp::CompletionParams| {
                let offset = a.lines().offset(p.text_document_position.position);
                lsp::CompletionResponse::Array(a.complete(offset))
            }),
            req::DocumentSymbolRequest::METHOD => self
                .answer(request, |a, _: lsp::DocumentSymbolParams| {
                    lsp::DocumentSymbolResponse::Nested(a.outline())
                }),
            req::Formatting::METHOD => {
                self.answer(request, |a, _: lsp::DocumentFormattingParams| a.format())
            }
            req::InlayHintRequest::METHOD => {
                self.answer(request, |a, _: lsp::InlayHintParams| a.inlay_hints())
            }
            req::SignatureHelpRequest::METHOD => {
                self.answer(request, |a, p: lsp::SignatureHelpParams| {
                    let p = p.text_document_position_params;
                    a.signature(a.lines().offset(p.position))
                })
            }
            req::FoldingRangeRequest::METHOD => {
                self.answer(request, |a, _: lsp::FoldingRangeParams| a.folding())
            }
            req::DocumentLinkRequest::METHOD => {
                self.answer(request, |a, _: lsp::DocumentLinkParams| a.links())
            }
            req::PrepareRenameRequest::METHOD => {
                self.answer(request, |a, p: lsp::TextDocumentPositionParams| {
                    let offset = a.lines().offset(p.position);
                    a.prepare_rename(offset).map(|(range, placeholder)| {
                        lsp::PrepareRenameResponse::RangeWithPlaceholder { range, placeholder }
                    })
                })
            }
            req::Rename::METHOD => self.rename(request.params),
            req::WorkspaceSymbolRequest::METHOD => self.symbols(request.params),
            req::CodeActionRequest::METHOD => {
                self.answer(request, |a, p: lsp::CodeActionParams| a.actions(p.range))
            }
            req::SemanticTokensFullRequest::METHOD => {
                self.answer(request, |a, _: lsp::SemanticTokensParams| a.tokens())
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown request `{}`", request.method),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    /// Reads a request's parameters and answers from the document's
    /// analysis (`null` for a document that is not open).
    fn answer<P, R>(
        &self,
        request: Request,
        f: impl FnOnce(&Analysis, P) -> R,
    ) -> Result<serde_json::Value, (ErrorCode, String)>
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let params: serde_json::Value = request.params;
        let uri = params
            .pointer("/textDocument/uri")
            .and_then(|u| u.as_str())
            .unwrap_or_default()
            .to_string();
        let params: P = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(serde_json::Value::Null);
        };
        serde_json::to_value(f(&document.analysis, params))
            .map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// Handles a notification; returns the diagnostics to publish.
    fn notify(&mut self, notification: Notification) -> Vec<Message> {
        let params = notification.params;
        let changed = match notification.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params) else {
                    return Vec::new();
                };
                let doc = p.text_document;
                self.set(doc.uri.clone(), doc.version, doc.text);
                Some(doc.uri)
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                let Some(document) = self.documents.get(p.text_document.uri.as_str()) else {
                    return Vec::new();
                };
                let mut text = document.analysis.text.clone();
                for change in &p.content_changes {
                    text::apply_change(&mut text, change.range, &change.text);
                }
                self.set(p.text_document.uri.clone(), p.text_document.version, text);
                Some(p.text_document.uri)
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params)
                else {
                    return Vec::new();
                };
                self.documents.remove(p.text_document.uri.as_str());
                let mut out = vec![publish(p.text_document.uri.clone(), Vec::new(), None)];
                out.extend(self.recheck(|_| true));
                return out;
            }
            note::DidSaveTextDocument::METHOD | note::DidChangeWatchedFiles::METHOD => None,
            _ => return Vec::new(),
        };
        let mut out = Vec::new();
        match changed {
            Some(uri) => {
                out.extend(self.publish(uri.as_str()));
                let path = uri::path(&uri);
                // The open documents that extend this one, and its tests.
                out.extend(self.recheck(|a| {
                    let tests = |p: &PathBuf| {
                        let own = uri::path(&a.uri).and_then(|t| crate::testing::policy_of(&t));
                        own.is_some_and(|own| same(&own, p))
                    };
                    a.uri != uri
                        && path.as_ref().is_some_and(|p| {
                            a.sources.files().skip(1).any(|(_, f)| same(&f.path, p)) || tests(p)
                        })
                }));
            }
            // A file changed on disk (or was deleted, or renamed): check all again.
            None => out.extend(self.recheck(|_| true)),
        }
        out
    }

    /// Replaces a document's text and checks it again.
    fn set(&mut self, uri: lsp::Uri, version: i32, text: String) {
        let project = self.project.clone();
        let read = &mut |path: &Path| self.read(path);
        let analysis = Analysis::within(uri.clone(), text, project.as_ref(), read);
        self.documents
            .insert(uri.as_str().to_string(), Document { version, analysis });
    }

    /// Checks again the open documents `which` selects; their diagnostics.
    fn recheck(&mut self, which: impl Fn(&Analysis) -> bool) -> Vec<Message> {
        let stale: Vec<(lsp::Uri, i32, String)> = self
            .documents
            .values()
            .filter(|d| which(&d.analysis))
            .map(|d| (d.analysis.uri.clone(), d.version, d.analysis.text.clone()))
            .collect();
        let mut out = Vec::new();
        for (uri, version, text) in stale {
            self.set(uri.clone(), version, text);
            out.extend(self.publish(uri.as_str()));
        }
        out
    }

    fn publish(&self, uri: &str) -> Option<Message> {
        let document = self.documents.get(uri)?;
        let analysis = &document.analysis;
        Some(publish(
            analysis.uri.clone(),
            analysis.lsp_diagnostics(),
            Some(document.version),
        ))
    }

    /// A policy another extends: the open buffer if there is one, else the file.
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let open = self
            .documents
            .values()
            .find(|d| uri::path(&d.analysis.uri).is_some_and(|p| same(&p, path)));
        match open {
            Some(document) => Ok(document.analysis.text.clone()),
            None => crate::source::read_text(path),
        }
    }
}

fn publish(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) -> Message {
    let params = lsp::PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    Message::Notification(Notification::new(
        note::PublishDiagnostics::METHOD.to_string(),
        params,
    ))
}

/// Two paths name the same file (`a/../b.zb` and `b.zb`).
fn same(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| normalize(p));
    a == b || canonical(a) == canonical(b)
}

/// A path with `.` and `..` resolved by its text (for files not on disk).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
