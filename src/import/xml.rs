//! Reading an XML export (Blogger, WordPress): size cap, parse errors at their line and column,
//! and small helpers over roxmltree nodes.

use roxmltree::{Document, Node, ParsingOptions};

use crate::diagnostics::Diagnostic;
use crate::messages::Message;

pub const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The largest export read (roxmltree keeps the whole document in memory).
pub const MAX_EXPORT_BYTES: usize = 256 * 1024 * 1024;

/// Parses `text`; a malformed export is one diagnostic at the line and column of the problem.
pub fn parse<'a>(text: &'a str, file: &str) -> Result<Document<'a>, Diagnostic> {
    // Exports declare no DTD: one that does is refused (no entity tricks).
    let options = ParsingOptions { allow_dtd: false, nodes_limit: 50_000_000, ..ParsingOptions::default() };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Diagnostic::new(file, Message::ImportBadXml { detail: e.to_string() }).at(pos.row as usize, pos.col as usize)
    })
}

/// The 1-based line where `node` starts.
pub fn line(doc: &Document, node: Node) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}

/// The text of the first child element with this local name (any namespace), CDATA included.
pub fn child_text(node: Node, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .map(|n| n.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect::<String>())
}
