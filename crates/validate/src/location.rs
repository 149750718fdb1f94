//! Where in a rules file something is: byte spans to line, column and key.

use std::ops::Range;

use crate::Error;

/// A rules file's text and name, to turn spans into located errors.
pub(crate) struct Source<'a> {
    /// The file name used in messages.
    pub origin: &'a str,
    /// The whole text.
    pub text: &'a str,
    /// What its selections may name.
    pub terms: &'a Terms<'a>,
}

/// A check of one kind of name a selection may hold: `Ok` when the name is known, else why not
/// (a message for the person who wrote it).
pub type TermCheck<'a> = &'a (dyn Fn(&str) -> Result<(), String> + Sync);

/// The indicators and places a rules file's selections may name, checked as the file is read, so
/// that a misspelt `indicator = "poverty_rat"` is an error at its line rather than a rule that
/// selects nothing. A pipeline's are its catalogue and gazetteer (with their extensions).
pub struct Terms<'a> {
    /// An indicator id.
    pub indicator: TermCheck<'a>,
    /// A place's code, as rows hold it in `geo_code`.
    pub geo: TermCheck<'a>,
}

fn any_term(_: &str) -> Result<(), String> {
    Ok(())
}

impl Terms<'static> {
    /// Any name: a rules file read without a catalogue or gazetteer to check it against.
    pub const ANY: Terms<'static> = Terms {
        indicator: &any_term,
        geo: &any_term,
    };
}

impl Source<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// A configuration error at `span` about `key`.
    pub fn error(
        &self,
        span: Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        let (line, column) = self.line_column(span.start);
        Error::Config {
            origin: self.origin.to_owned(),
            line,
            column,
            key: key.into(),
            message: message.into(),
        }
    }

    /// Turns a TOML syntax or shape error into a located error, naming the key it is about.
    pub fn toml_error(&self, err: &toml::de::Error) -> Error {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_owned();
        let key = backticked_field(&message)
            .or_else(|| self.key_near(span.clone()))
            .unwrap_or_else(|| "(document)".to_owned());
        self.error(span, key, message)
    }

    /// The key written at or just before `span`: the span's own text when it is a bare key
    /// followed by `=`, else the nearest `key =` before it on the same line.
    fn key_near(&self, span: Range<usize>) -> Option<String> {
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, span.end.min(self.text.len())).max(start);
        let own = self.text[start..end].trim();
        if is_bare_key(own) && self.text[end..].trim_start().starts_with('=') {
            return Some(own.to_owned());
        }
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..start];
        let eq = before.rfind('=')?;
        let key = before[..eq].trim_end();
        // The key starts after the last character that cannot be in a bare key, which must be
        // one that can come before a key (white space, `{`, `,`). It may take several bytes
        // (found by the `rules` fuzz target: "# … Lào= …" once cut 'à' in two).
        let key_start = match key.char_indices().rfind(|&(_, c)| !is_bare_key_char(c)) {
            None => 0,
            Some((i, c)) if c.is_whitespace() || c == '{' || c == ',' => i + c.len_utf8(),
            Some(_) => return None,
        };
        let key = &key[key_start..];
        is_bare_key(key).then(|| key.to_owned())
    }
}

/// The field name serde puts in backticks in "unknown field `x`" and "missing field `x`".
fn backticked_field(message: &str) -> Option<String> {
    let rest = ["unknown field `", "missing field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| &message[i + p.len()..]))?;
    rest.find('`').map(|end| rest[..end].to_owned())
}

fn is_bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

fn is_bare_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_bare_key_char)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let src = Source {
            origin: "r.toml",
            text: "a = 1\nb = \"Lào\" c\n",
            terms: &Terms::ANY,
        };
        assert_eq!(src.line_column(0), (1, 1));
        assert_eq!(src.line_column(6), (2, 1));
        let c = src.text.find(" c").expect("the text has \" c\"") + 1;
        assert_eq!(src.line_column(c), (2, 11));
    }

    #[test]
    fn keys_are_found_from_spans() {
        let text = "select = { indicator = \"x\", measure = \"levels\" }\n";
        let src = Source {
            origin: "r.toml",
            text,
            terms: &Terms::ANY,
        };
        let v = text.find("\"levels\"").expect("the text has the value");
        assert_eq!(src.key_near(v..v + 8).as_deref(), Some("measure"));
        let k = text.find("indicator").expect("the text has the key");
        assert_eq!(src.key_near(k..k + 9).as_deref(), Some("indicator"));
        assert_eq!(
            backticked_field("unknown field `colour`, expected one of `a`").as_deref(),
            Some("colour")
        );
    }

    /// Found by the `rules` fuzz target: the text before an `=` ends in a multi-byte letter, so
    /// the key's start was cut inside it (a panic).
    #[test]
    fn a_multi_byte_letter_before_an_equals_sign_is_no_key() {
        let text = "# What must hold of the Lào= Cai\n";
        let src = Source {
            origin: "r.toml",
            text,
            terms: &Terms::ANY,
        };
        let after = text.find(" Cai").expect("the text has \" Cai\"");
        assert_eq!(src.key_near(after..after + 4), None);
    }
}
