//! Byte offsets to 1-based line and column, for readers whose parser reports
//! offsets only (HCL).

use vigil_core::Position;

pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }

    /// The text of line `line` (1-based), without its newline.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(text.len());
        let end = self.starts.get(line).map_or(text.len(), |e| e - 1);
        text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 4), Position { line: 2, column: 2 });
        assert_eq!(index.position(text, text.len() - 1), Position { line: 3, column: 1 });
        assert_eq!(index.line(text, 2), "cdé");
    }
}
