//! A Query answer (EC2's XML) read into a tree, so that the fields of one
//! `item` are read together: a route's destination with its target, an
//! endpoint's service with its state.

/// One element: its local name, its text (leaves), its child elements.
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub name: String,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of child `name`; `None` when absent or empty.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str()).filter(|t| !t.is_empty())
    }

    /// The `item`s of list `set` (`routeTableSet`, `routeSet`, …).
    pub fn items<'a>(&'a self, set: &str) -> impl Iterator<Item = &'a Node> {
        self.child(set)
            .into_iter()
            .flat_map(|s| s.children.iter().filter(|c| c.name == "item"))
    }
}

/// Elements nested deeper than any AWS answer: a hostile body is refused
/// before it costs a stack.
const MAX_DEPTH: usize = 32;

/// The root element of `xml`.
pub(crate) fn tree(xml: &str) -> Result<Node, String> {
    use xmlparser::{ElementEnd, Token};
    let mut open: Vec<Node> = Vec::new();
    for token in xmlparser::Tokenizer::from(xml) {
        match token.map_err(|e| format!("not XML ({e})"))? {
            Token::ElementStart { local, .. } => {
                if open.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                open.push(Node {
                    name: local.as_str().to_owned(),
                    ..Node::default()
                });
            }
            Token::Text { text } => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(&unescaped(text.as_str()));
                }
            }
            Token::Cdata { text, .. } => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(text.as_str());
                }
            }
            Token::ElementEnd {
                end: ElementEnd::Close(..) | ElementEnd::Empty,
                ..
            } => {
                let done = open.pop().ok_or("an end tag without a start")?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            _ => {}
        }
    }
    Err("the answer ends inside an element".to_owned())
}

/// XML's five predefined entities and numeric character references.
fn unescaped(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let entity_end = rest[at..].find(';').map(|e| at + e);
        let decoded = entity_end.and_then(|end| match &rest[at + 1..end] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, entity_end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_their_fields_together() {
        let xml = r#"<?xml version="1.0"?><R xmlns="x"><routeSet>
            <item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId></item>
            <item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-1</natGatewayId></item>
            </routeSet><tagSet/><note>a &amp; b &#x41;</note></R>"#;
        let root = tree(xml).unwrap();
        let targets: Vec<_> = root.items("routeSet").map(|r| r.field("natGatewayId")).collect();
        assert_eq!(targets, [None, Some("nat-1")]);
        assert_eq!(root.items("tagSet").count(), 0);
        assert_eq!(root.field("note"), Some("a & b A"));
    }

    #[test]
    fn broken_or_hostile_answers_are_refused() {
        assert!(tree("<a><b></a>").is_err());
        assert!(tree("<a>").is_err());
        assert!(tree(&"<a>".repeat(100)).is_err());
    }
}
