//! A violation relative to one document, before the document's index and name are known.

use crate::error::Violation;

pub(crate) struct Found {
    pub path: String,
    pub code: String,
    pub message: String,
}

impl Found {
    pub(crate) fn new(
        path: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Found {
        Found {
            path: path.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    pub(crate) fn at(self, document: usize, name: Option<&str>) -> Violation {
        Violation {
            document,
            name: name.map(str::to_string),
            path: self.path,
            code: self.code,
            message: self.message,
            line: None,
            column: None,
        }
    }
}
