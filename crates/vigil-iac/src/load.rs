//! Loading one file's text for a scan: size limits, standard input and
//! pipes, UTF-16 and binary files told apart, and HCL parsed with a depth
//! guard and a deadline (some malformed inputs make the parser backtrack
//! exponentially).

use crate::scan::{HCL_PARSE_DEADLINE, STDIN};
use std::path::Path;
use vigil_core::Position;

/// HCL nesting beyond this is refused before parsing (the parser recurses).
const MAX_HCL_DEPTH: usize = 128;

pub type LoadError = (Option<Position>, String);

/// The file as UTF-8 text; `None` for a binary file. Pipes, FIFOs and
/// `-` (standard input) are read too, to the same limit.
pub fn load(path: &Path, max: u64) -> Result<Option<String>, LoadError> {
    use std::io::Read as _;
    let too_big = |size: u64| (None, format!("file is {size} bytes, over the limit of {max} bytes"));
    let mut bytes = Vec::new();
    if path == Path::new(STDIN) {
        std::io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| (None, e.to_string()))?;
    } else {
        let size = std::fs::metadata(path).map_err(|e| (None, e.to_string()))?.len();
        if size > max {
            return Err(too_big(size));
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
            .map_err(|e| (None, e.to_string()))?;
    }
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    if is_utf16(&bytes) {
        return Err((
            None,
            "the file is UTF-16 text; templates are read as UTF-8 (as CloudFormation and Terraform read them): save it as UTF-8".into(),
        ));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Ok(None);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").map(<[u8]>::to_vec).unwrap_or(bytes);
    String::from_utf8(bytes).map(Some).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (Some(Position { line, column }), "not valid UTF-8".to_owned())
    })
}

/// A UTF-16 byte order mark, or ASCII text with every other byte zero.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    head.len() >= 4
        && (head.chunks(2).all(|p| p[0] == 0 && p[1] != 0) || head.chunks(2).all(|p| p[0] != 0 && p[1] == 0))
}

pub fn parse_hcl(text: &str) -> Result<hcl_edit::structure::Body, LoadError> {
    if let Some(pos) = too_deep(text) {
        return Err((Some(pos), format!("nesting deeper than {MAX_HCL_DEPTH} levels")));
    }
    let Some(parsed) = crate::hcl_parser::parse(text, HCL_PARSE_DEADLINE) else {
        let secs = HCL_PARSE_DEADLINE.as_secs();
        return Err((
            None,
            format!("not valid HCL: parsing took longer than {secs} s and was abandoned"),
        ));
    };
    parsed.map_err(|err| {
        let loc = err.location();
        let pos = Position {
            line: loc.line(),
            column: loc.column(),
        };
        (Some(pos), format!("not valid HCL: {}", err.message()))
    })
}

/// Where bracket nesting first passes the limit (strings and comments are
/// not told apart: a false alarm needs 128 unbalanced brackets in strings).
fn too_deep(text: &str) -> Option<Position> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            '\n' => (line, column) = (line + 1, 0),
            _ => {}
        }
        if depth > MAX_HCL_DEPTH {
            return Some(Position { line, column });
        }
    }
    None
}
