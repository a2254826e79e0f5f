//! Nested CloudFormation stacks, followed as they deploy: a child template
//! named by a local `TemplateURL` (as `aws cloudformation package` takes
//! it) is read with the parameters its parent passes, so a child whose own
//! default passes is failed when its parent passes `"false"`. A child read
//! this way is judged as deployed, in place of its standalone reading.

use crate::cfn::{self, Parent};
use crate::scan::ScanOutput;
use crate::source::{FileScan, NestedStack};
use std::path::Path;
use vigil_core::RunError;

/// Parents nest children nest grandchildren …: deeper than this is refused.
const MAX_DEPTH: usize = 5;
/// Most child templates one scan reads (a parent naming one child ten
/// thousand times must not parse it ten thousand times).
const MAX_CHILDREN: usize = 1_000;

/// Reads every nested stack's template found so far (and theirs in turn),
/// replacing the standalone findings of each child with its deployed ones.
pub(crate) fn follow(out: &mut ScanOutput, mut pending: Vec<(NestedStack, usize)>, options: &crate::ScanOptions) {
    let max_bytes = options.max_file_bytes;
    let mut children: Vec<String> = Vec::new();
    let mut read: Vec<FileScan> = Vec::new();
    let mut followed = 0;
    while let Some((stack, depth)) = pending.pop() {
        let place = format!("{}:{}", stack.parent_file, stack.pos.line);
        followed += 1;
        if followed > MAX_CHILDREN {
            out.errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::File,
                &stack.parent_file,
                Some(stack.pos),
                format!(
                    "more than {MAX_CHILDREN} nested stacks: {} and the rest were not followed",
                    stack.logical_id
                ),
            ));
            break;
        }
        if stack.template_url.contains("://") {
            out.notes.push(format!(
                "{place}: nested stack {} deploys {}, which is not a local file: its resources are not judged",
                stack.logical_id, stack.template_url
            ));
            continue;
        }
        if depth >= MAX_DEPTH {
            out.errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::File,
                &stack.parent_file,
                Some(stack.pos),
                format!(
                    "nested stack {} is deeper than {MAX_DEPTH} stacks: not followed",
                    stack.logical_id
                ),
            ));
            continue;
        }
        let dir = Path::new(&stack.parent_file).parent().unwrap_or(Path::new(""));
        let child = crate::scan::normalise(&dir.join(&stack.template_url));
        let child_display = child.display().to_string();
        match read_child(&child, &stack, max_bytes) {
            Ok((scan, digest)) => {
                out.digests.insert(child_display.clone(), digest);
                pending.extend(scan.nested.iter().cloned().map(|n| (n, depth + 1)));
                children.push(child_display);
                read.push(scan);
            }
            Err(message) => out.errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::File,
                &stack.parent_file,
                Some(stack.pos),
                format!("nested stack {}: {child_display}: {message}", stack.logical_id),
            )),
        }
    }
    // A child is judged as its parents deploy it, not on its own defaults:
    // its standalone reading goes before the deployed ones come in.
    out.resources.retain(|r| !children.contains(&r.location.file));
    // A child's standalone reading is replaced by its reading as deployed.
    out.findings.forget(|file| children.iter().any(|c| c == file));
    // One batch for every child, so that the findings of a child deployed
    // by two parents are put in order together (the spill orders batches
    // by file and line only).
    let mut found = Vec::new();
    for scan in read {
        let scan = crate::scan::judged(scan, options.judging.as_ref(), &mut found);
        // Its own nested stacks were followed above.
        out.absorb(scan);
    }
    out.findings.push(found);
}

/// The child's findings as this parent deploys it, and its text's digest.
fn read_child(child: &Path, stack: &NestedStack, max_bytes: u64) -> Result<(FileScan, u64), String> {
    let text = crate::load::load(child, max_bytes)
        .map_err(|(_, message)| message)?
        .ok_or("not a text file")?;
    let root = crate::tree::parse(&text).map_err(|e| format!("not valid YAML/JSON: {}", e.message))?;
    if !cfn::is_template(&root) {
        return Err("not a CloudFormation template".into());
    }
    let parent = Parent {
        given: stack.parameters.clone(),
        prefix: format!("{}/", stack.logical_id),
    };
    let scan = cfn::read(&child.display().to_string(), &text, &root, &parent);
    Ok((scan, vigil_core::hash::fnv1a64(text.as_bytes())))
}
