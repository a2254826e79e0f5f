//! `vigil explain RULE`: the rule's knowledge-base article, as Markdown.

use crate::{exit, output};
use vigil_core::registry;

pub fn run(id: &str) -> anyhow::Result<u8> {
    let Some(rule) = registry::find(id) else {
        eprintln!("vigil: error: {}", vigil_report::safe(&registry::unknown(id)));
        return Ok(exit::USAGE);
    };
    output::write(None, &vigil_core::rule::render_article(rule))?;
    Ok(exit::CLEAN)
}
