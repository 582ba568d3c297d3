//! A loaded profile: the typed profile with the located YAML tree it came from, and the way
//! every later stage points a finding at a field.

use super::model::Profile;
use super::yaml::{self, Node, Pos};
use crate::diag::Diagnostic;
use crate::rules::RuleId;

/// A profile that parsed, matched the schema and passed the structural checks.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The file name as given.
    pub file: String,
    /// The source text.
    pub text: String,
    /// The located YAML tree, for pointing diagnostics at fields.
    pub root: Node,
    /// The typed profile.
    pub profile: Profile,
}

impl Loaded {
    /// Where a dotted path of keys points (the value), or the nearest ancestor.
    pub fn pos(&self, path: &[&str]) -> Pos {
        let segs: Vec<_> = path
            .iter()
            .map(|s| yaml::PathSeg::Key((*s).to_owned()))
            .collect();
        self.root.locate(&segs, false)
    }

    /// Where the key at the end of a dotted path stands.
    pub fn key_pos(&self, path: &[&str]) -> Pos {
        let segs: Vec<_> = path
            .iter()
            .map(|s| yaml::PathSeg::Key((*s).to_owned()))
            .collect();
        self.root.locate(&segs, true)
    }

    /// A diagnostic about the field at `path`, located at its value.
    pub fn diag(&self, rule: RuleId, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, &self.file, self.pos(path), path.join("."), message)
    }

    /// A diagnostic about item `index` of the list at `path`, located at the item.
    pub fn diag_item(
        &self,
        rule: RuleId,
        path: &[&str],
        index: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diag_in_list(rule, path, index, None, message.into())
    }

    /// A diagnostic about field `field` of item `index` of the list at `path`, located at the
    /// field's value (or the item, when the field is not written).
    pub fn diag_item_field(
        &self,
        rule: RuleId,
        path: &[&str],
        index: usize,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diag_in_list(rule, path, index, Some(field), message.into())
    }

    fn diag_in_list(
        &self,
        rule: RuleId,
        path: &[&str],
        index: usize,
        field: Option<&str>,
        message: String,
    ) -> Diagnostic {
        let mut segs: Vec<_> = path
            .iter()
            .map(|s| yaml::PathSeg::Key((*s).to_owned()))
            .collect();
        segs.push(yaml::PathSeg::Index(index));
        segs.extend(field.map(|f| yaml::PathSeg::Key(f.to_owned())));
        Diagnostic::new(
            rule,
            &self.file,
            self.root.locate(&segs, false),
            yaml::display_path(&segs),
            message,
        )
    }

    /// A diagnostic about the entry at `path`, located at its key.
    pub fn diag_key(&self, rule: RuleId, path: &[&str], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            rule,
            &self.file,
            self.key_pos(path),
            path.join("."),
            message,
        )
    }
}
