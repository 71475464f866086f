//! Problems found in user files, reported as `path:line:col: severity: message` like a compiler does.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file. `line` and `col` are 1-based; 0 means "the file as a whole".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line, col, severity: Severity::Error, message: message.into() }
    }

    pub fn warning(path: impl Into<String>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line, col, severity: Severity::Warning, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {}: {}", self.path, self.line, self.col, severity, self.message)
    }
}
