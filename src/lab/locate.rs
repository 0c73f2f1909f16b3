//! Where a field stands in a YAML file, so a diagnostic can name its line.
//!
//! serde gives typed values without positions; this walks the same text once more with
//! a YAML event parser and records the line and column of every node by its path
//! (`checks[2].expect[0].path`).

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A line and column, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

/// Positions of every node of a YAML document, by path.
#[derive(Debug, Default)]
pub struct Locator {
    positions: HashMap<String, Position>,
}

impl Locator {
    /// Index `text`; a document that does not parse yields an empty locator.
    pub fn new(text: &str) -> Self {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        // A parse error leaves what was indexed before it; serde reports the error itself.
        let _ = parser.load(&mut walker, false);
        Locator { positions: walker.positions }
    }

    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Option<Position> {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    /// `locate_me`: the map's own path, positioned at its first key (the parser marks a
    /// block mapping's start oddly, past its first key).
    Map {
        path: String,
        key: Option<String>,
        locate_me: Option<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    positions: HashMap<String, Position>,
}

impl Walker {
    /// The path of the node that starts now, advancing the parent's state.
    /// `None` when the node is a mapping key.
    fn enter(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let pos = Position { line: mark.line(), col: mark.col() + 1 };
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                self.positions.insert(p.clone(), pos);
                Some(p)
            }
            Some(Frame::Map { path, key, locate_me }) => match key.take() {
                Some(k) => Some(if path.is_empty() { k } else { format!("{path}.{k}") }),
                None => {
                    if let Some(me) = locate_me.take() {
                        self.positions.insert(me, pos);
                    }
                    let k = scalar.unwrap_or("?").to_string();
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    self.positions.entry(p).or_insert(pos);
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                self.enter(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.enter(None, mark);
            }
            Event::SequenceStart(..) => {
                let path = self.enter(None, mark).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingStart(..) => {
                let in_seq = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                let path = self.enter(None, mark).unwrap_or_default();
                let locate_me = in_seq.then(|| path.clone());
                self.stack.push(Frame::Map { path, key: None, locate_me });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_items_by_path() {
        let text = "id: x\nchecks:\n  - id: a\n    kind: logs.log_group\n  - id: b\n    expect:\n      - path: foo\n";
        let loc = Locator::new(text);
        assert_eq!(loc.find("id"), Some(Position { line: 1, col: 1 }));
        assert_eq!(loc.find("checks[0].kind"), Some(Position { line: 4, col: 5 }));
        assert_eq!(loc.find("checks[1].expect[0].path"), Some(Position { line: 7, col: 9 }));
        // Unknown leaf: falls back to the nearest known ancestor.
        assert_eq!(loc.find("checks[1].nope"), Some(Position { line: 5, col: 5 }));
    }

    #[test]
    fn garbage_gives_no_positions_and_no_panic() {
        let loc = Locator::new("{[}: ::\n\t- - ]");
        assert_eq!(loc.find("checks[0]"), None);
    }
}
