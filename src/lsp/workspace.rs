//! Requests that read beyond one document: rename (the other open
//! documents, the workspace's policies, the test files) and workspace
//! symbols.

use super::analysis::Analysis;
use super::{Server, rename, same, symbols, uri};
use lsp_server::ErrorCode;
use lsp_types as lsp;
use std::path::Path;

type Answer = Result<serde_json::Value, (ErrorCode, String)>;

impl Server {
    /// Renames the name at a position wherever it is written: in the
    /// document and what it extends, the other open documents, and the
    /// workspace's policies and test files that write the name.
    pub(super) fn rename(&self, params: serde_json::Value) -> Answer {
        let p: lsp::RenameParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let at = p.text_document_position;
        let Some(document) = self.documents.get(at.text_document.uri.as_str()) else {
            return Ok(serde_json::Value::Null);
        };
        let origin = &document.analysis;
        let offset = origin.lines().offset(at.position);
        let old = origin
            .prepare_rename(offset)
            .map(|(_, old)| old)
            .unwrap_or_default();
        let on_disk = match old.is_empty() {
            true => Vec::new(),
            false => self.workspace_writing(&old),
        };
        let others: Vec<&Analysis> = (self.documents.values())
            .map(|d| &d.analysis)
            .filter(|a| a.uri != origin.uri)
            .chain(&on_disk)
            .collect();
        let tests = |a: &Analysis| self.test_file_of(a);
        let edit = rename::rename(origin, offset, &p.new_name, &others, &tests)
            .map_err(|m| (ErrorCode::RequestFailed, m))?;
        serde_json::to_value(edit).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// The names declared in the open documents and the workspace's
    /// policies that match the query.
    pub(super) fn symbols(&self, params: serde_json::Value) -> Answer {
        let p: lsp::WorkspaceSymbolParams = serde_json::from_value(params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let on_disk = self.workspace_writing(&p.query);
        let found: Vec<lsp::SymbolInformation> = (self.documents.values())
            .map(|d| &d.analysis)
            .chain(&on_disk)
            .flat_map(|a| symbols::declared(a, &p.query))
            .collect();
        serde_json::to_value(found).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// The test file beside an analysed policy (its open buffer, else the
    /// file), if there is one.
    fn test_file_of(&self, a: &Analysis) -> Option<rename::TestFile> {
        let path = uri::path(&a.uri)?;
        let name = path.file_name()?.to_str()?.strip_suffix(".zb")?;
        if name.ends_with(".test") {
            return None;
        }
        let test = path.with_file_name(format!("{name}.test.zb"));
        let text = self.read(&test).ok()?;
        Some(rename::TestFile {
            uri: uri::from_path(&test)?,
            text,
        })
    }

    /// The workspace's policy files that are not open and write `name`
    /// (in any case; all of them for an empty name), analysed (none without
    /// a workspace folder).
    fn workspace_writing(&self, name: &str) -> Vec<Analysis> {
        let Some(project) = &self.project else {
            return Vec::new();
        };
        let files = crate::derive::policy_files(project.root()).unwrap_or_default();
        let open = |path: &Path| {
            (self.documents.values())
                .any(|d| uri::path(&d.analysis.uri).is_some_and(|p| same(&p, path)))
        };
        let name = name.to_lowercase();
        let mut out = Vec::new();
        for path in files.iter().filter(|p| !open(p)) {
            let Ok(text) = crate::source::read_text(path) else {
                continue;
            };
            let Some(uri) = uri::from_path(path) else {
                continue;
            };
            if text.to_lowercase().contains(&name) {
                let read = &mut |path: &Path| self.read(path);
                out.push(Analysis::within(uri, text, Some(project), read));
            }
        }
        out
    }
}
