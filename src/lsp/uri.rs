//! `file:` URIs and paths. Names of folders and policies are often Chinese,
//! which a URI carries percent-encoded (`%E9%BB%91%E6%B2%B3`).

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path of a `file:` URI (`None` for other schemes, such as an
/// editor's unsaved `untitled:` buffers).
pub fn path(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let decoded = uri.path().as_estr().decode().into_string().ok()?;
    // `/C:/policies` on Windows.
    let windows = decoded.len() > 2 && decoded.as_bytes().get(2) == Some(&b':');
    Some(PathBuf::from(if windows {
        decoded.get(1..).unwrap_or("")
    } else {
        &decoded
    }))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut encoded = String::from("file://");
    if !text.starts_with('/') {
        encoded.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&encoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_paths_round_trip() {
        let path = Path::new("/政策/黑河 2023/2023.zb");
        let uri = from_path(path);
        assert_eq!(
            uri.as_ref().map(|u| u.as_str()),
            Some("file:///%E6%94%BF%E7%AD%96/%E9%BB%91%E6%B2%B3%202023/2023.zb")
        );
        assert_eq!(uri.as_ref().and_then(super::path), Some(path.to_path_buf()));
    }

    #[test]
    fn other_schemes_have_no_path() {
        let uri = Uri::from_str("untitled:Untitled-1");
        assert_eq!(uri.ok().as_ref().and_then(path), None);
    }
}
