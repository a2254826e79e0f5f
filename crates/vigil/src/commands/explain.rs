//! `vigil explain RULE`: the rule's knowledge-base article, set for a
//! terminal or as Markdown.

use crate::cli::ArticleFormat;
use crate::{exit, output};
use vigil_core::registry;

pub fn run(id: &str, format: ArticleFormat) -> anyhow::Result<u8> {
    let Some(rule) = registry::find(id) else {
        eprintln!("vigil: error: {}", vigil_report::safe(&registry::unknown(id)));
        return Ok(exit::USAGE);
    };
    let markdown = vigil_core::rule::render_article(rule);
    let text = match format {
        ArticleFormat::Markdown => markdown,
        ArticleFormat::Text => crate::article::render(
            &markdown,
            crate::article::width(),
            crate::progress::stdout_wants_color(),
        ),
    };
    output::write(None, &text)?;
    Ok(exit::CLEAN)
}
