//! A rule's Markdown article set for a terminal: paragraphs and list items
//! wrapped to the terminal's width, headings underlined (and bold where
//! colour is wanted), code blocks indented and never wrapped, `**` markers
//! dropped. The Markdown itself stays available with `--format markdown`.

use owo_colors::OwoColorize;

/// Widest a rendered line gets, even on a wide terminal: prose reads badly
/// past this.
const MAX_WIDTH: usize = 100;

/// The width to wrap at: the terminal's, else 80 (a pipe, a file).
pub fn width() -> usize {
    terminal_size::terminal_size()
        .map_or(80, |(w, _)| usize::from(w.0))
        .clamp(40, MAX_WIDTH)
}

pub fn render(markdown: &str, width: usize, bold: bool) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_code = false;
    let flush = |paragraph: &mut Vec<&str>, out: &mut String| {
        if paragraph.is_empty() {
            return;
        }
        let text = unlink(&paragraph.join(" ").replace("**", ""));
        let (first, rest) = list_indent(&text);
        wrap(&text, width, first, rest, out);
        paragraph.clear();
    };
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            flush(&mut paragraph, &mut out);
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let heading = line
            .strip_prefix("# ")
            .map(|h| (h, '='))
            .or_else(|| line.strip_prefix("## ").map(|h| (h, '-')));
        if let Some((title, rule)) = heading {
            flush(&mut paragraph, &mut out);
            let title = title.replace("**", "");
            if bold {
                out.push_str(&title.bold().to_string());
            } else {
                out.push_str(&title);
            }
            out.push('\n');
            out.push_str(&rule.to_string().repeat(title.chars().count().min(width)));
            out.push('\n');
            continue;
        }
        let starts_item =
            line.starts_with("- ") || line.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        if line.trim().is_empty() || starts_item || line.starts_with('|') {
            flush(&mut paragraph, &mut out);
        }
        if line.trim().is_empty() {
            out.push('\n');
        } else if line.starts_with('|') {
            out.push_str(line);
            out.push('\n');
        } else {
            paragraph.push(line.trim());
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// `[label](url)` as `label <url>`, so the address wraps onto its own line.
fn unlink(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some((label, after)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some((url, tail)) = after.split_once(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(label);
        out.push_str(" <");
        out.push_str(url);
        out.push('>');
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The indents of a list item's first line and of its continuation lines.
fn list_indent(text: &str) -> (usize, usize) {
    if text.starts_with("- ") {
        return (0, 2);
    }
    match text.split_once(". ") {
        Some((n, _)) if n.parse::<u32>().is_ok() => (0, n.len() + 2),
        _ => (0, 0),
    }
}

/// `text` wrapped at `width` on spaces; a word longer than a line stands alone.
fn wrap(text: &str, width: usize, first: usize, rest: usize, out: &mut String) {
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push_str(&line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_code_does_not_and_headings_are_underlined() {
        assert_eq!(
            unlink("see [the guide](https://x.example/a) now"),
            "see the guide <https://x.example/a> now"
        );
        let markdown = "# Title\n\n## What it checks\n\nChecks that each **model** has a very long property name that must wrap somewhere.\n\n- a list item that is also long enough to be wrapped onto a second line\n\n```sh\naws sagemaker describe-model --model-name a-model-with-a-long-name --query EnableNetworkIsolation\n```\n";
        let text = render(markdown, 40, false);
        assert!(
            text.starts_with("Title\n=====\n\nWhat it checks\n--------------\n"),
            "{text}"
        );
        assert!(!text.contains("**"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with("    ")) {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(
            text.contains("\n  to be wrapped onto a second line\n"),
            "hanging indent: {text}"
        );
        assert!(
            text.contains("    aws sagemaker describe-model --model-name a-model-with-a-long-name --query EnableNetworkIsolation\n"),
            "{text}"
        );
    }
}
