//! Reading TOML files field by field with positions, so every problem names its line, column and key.
//!
//! Product, scene and show files are parsed into toml's spanned document tree and walked with [`Fields`], which
//! type-checks each key, reports unknown keys (usually typos) and keeps going, so one run shows every problem in
//! a file instead of only the first.

use model::Diagnostic;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A file's text with its path, for turning byte offsets into `line:col`.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Source<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { path, text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|start| *start <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.position(span.start);
        Diagnostic::error(self.path, line, col, message)
    }

    pub fn warning(&self, span: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.position(span.start);
        Diagnostic::warning(self.path, line, col, message)
    }

    /// Parses the whole document, or returns the syntax error at its position.
    pub fn parse(&self) -> Result<Spanned<DeTable<'a>>, Diagnostic> {
        DeTable::parse(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().replace('\n', " ");
            self.error(&span, format!("this is not valid TOML: {message}"))
        })
    }
}

/// A number as written in the file, kept as text so money is never rounded through a float.
pub struct NumberText {
    pub text: String,
    pub span: Range<usize>,
}

/// One table being read: typed getters that report wrong types, and unknown-key checks when done.
pub struct Fields<'t, 'i> {
    src: &'t Source<'t>,
    table: &'t DeTable<'i>,
    span: Range<usize>,
    /// Names the table in messages, e.g. `product "tea-set"` or `[layout]`.
    context: String,
    used: BTreeSet<String>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(src: &'t Source<'t>, table: &'t Spanned<DeTable<'i>>, context: impl Into<String>) -> Self {
        Fields { src, table: table.get_ref(), span: table.span(), context: context.into(), used: BTreeSet::new() }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn context(&self) -> &str {
        &self.context
    }

    pub fn set_context(&mut self, context: impl Into<String>) {
        self.context = context.into();
    }

    fn get(&mut self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.used.insert(key.to_string());
        self.table.get(key)
    }

    fn wrong_type(&self, key: &str, value: &Spanned<DeValue<'_>>, wanted: &str) -> Diagnostic {
        self.src.error(
            &value.span(),
            format!("{}: `{key}` must be {wanted}, not {}", self.context, value.get_ref().type_str()),
        )
    }

    /// The span of a key's value, or of the table when the key is absent (for "missing" messages).
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.table.get(key).map_or(self.span.clone(), |v| v.span())
    }

    /// The table's keys in file order (or sorted, as toml keeps them).
    pub fn keys(&self) -> Vec<String> {
        self.table.iter().map(|(k, _)| k.get_ref().to_string()).collect()
    }

    pub fn is_table(&self, key: &str) -> bool {
        self.table.get(key).is_some_and(|v| v.get_ref().is_table())
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    pub fn string(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref().as_str() {
            Some(s) => Some(Spanned::new(value.span(), s.to_string())),
            None => {
                diags.push(self.wrong_type(key, value, "a string in quotes"));
                None
            }
        }
    }

    pub fn integer(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
        let value = self.get(key)?;
        let parsed = value.get_ref().as_integer().and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok());
        match parsed {
            Some(n) => Some(Spanned::new(value.span(), n)),
            None => {
                diags.push(self.wrong_type(key, value, "a whole number"));
                None
            }
        }
    }

    pub fn float(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<f64>> {
        let number = self.number_text(key, diags)?;
        match number.text.parse::<f64>() {
            Ok(f) if f.is_finite() => Some(Spanned::new(number.span, f)),
            _ => {
                diags.push(self.src.error(&number.span, format!("{}: `{key}` must be a number", self.context)));
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
        let value = self.get(key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(Spanned::new(value.span(), b)),
            None => {
                diags.push(self.wrong_type(key, value, "true or false"));
                None
            }
        }
    }

    /// A number written as a TOML integer, float or string, kept as its literal text (underscores removed).
    pub fn number_text(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<NumberText> {
        let value = self.get(key)?;
        let text = match value.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().replace('_', "")),
            DeValue::Float(f) => Some(f.as_str().replace('_', "")),
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        };
        match text {
            Some(text) => Some(NumberText { text, span: value.span() }),
            None => {
                diags.push(self.wrong_type(key, value, "a number such as 199.00 or \"199.00\""));
                None
            }
        }
    }

    pub fn string_list(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Vec<String>>> {
        let value = self.get(key)?;
        let Some(array) = value.get_ref().as_array() else {
            diags.push(self.wrong_type(key, value, "a list of strings like [\"a\", \"b\"]"));
            return None;
        };
        let mut out = Vec::new();
        for item in array.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push(s.to_string()),
                None => diags.push(self.src.error(
                    &item.span(),
                    format!("{}: every item of `{key}` must be a string in quotes", self.context),
                )),
            }
        }
        Some(Spanned::new(value.span(), out))
    }

    pub fn table(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Fields<'t, 'i>> {
        let value = self.get(key)?;
        match value.get_ref().as_table() {
            Some(table) => Some(Fields {
                src: self.src,
                table,
                span: value.span(),
                context: format!("{} `{key}`", self.context),
                used: BTreeSet::new(),
            }),
            None => {
                diags.push(self.wrong_type(key, value, "a table"));
                None
            }
        }
    }

    /// The tables of an array of tables such as `[[product]]`, with their spans.
    pub fn tables(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<Fields<'t, 'i>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            diags.push(self.wrong_type(key, value, &format!("a list of tables written [[{key}]]")));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in array.iter().enumerate() {
            match item.get_ref().as_table() {
                Some(table) => out.push(Fields {
                    src: self.src,
                    table,
                    span: item.span(),
                    context: format!("{key} #{}", i + 1),
                    used: BTreeSet::new(),
                }),
                None => diags.push(self.src.error(&item.span(), format!("every `{key}` entry must be a table"))),
            }
        }
        out
    }

    /// Reports every key that no getter asked for: almost always a typo, and silently ignoring it would hide a
    /// setting the user believes is in effect.
    pub fn finish(self, diags: &mut Vec<Diagnostic>) {
        for (key, value) in self.table.iter() {
            let name: &str = key.get_ref();
            if !self.used.contains(name) {
                let known: Vec<&str> = self.used.iter().map(String::as_str).collect();
                let hint = closest(name, &known).map_or(String::new(), |k| format!("; did you mean `{k}`?"));
                let span = if key.span().is_empty() { value.span() } else { key.span() };
                diags.push(self.src.error(&span, format!("{}: unknown key `{name}`{hint}", self.context)));
            }
        }
    }
}

/// The known name closest to a misspelt one, if it is close enough to be a likely typo.
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = Source::new("f.toml", "a = 1\n标题 = \"x\"\n");
        assert_eq!(src.position(0), (1, 1));
        let offset = src.text.find('"').unwrap();
        assert_eq!(src.position(offset), (2, 6));
    }

    #[test]
    fn suggests_the_key_that_was_meant() {
        assert_eq!(closest("prce", &["price", "title"]), Some("price"));
        assert_eq!(closest("colour", &["price", "title"]), None);
    }
}
