//! `tollgate schema`: prints the JSON Schema of the delivery model, for editors and validators

use std::io::Write;

use crate::Exit;

pub(crate) fn run() -> Exit {
    let text = tollgate::model::delivery_schema_text();
    if std::io::stdout().write_all(text.as_bytes()).is_err() {
        return Exit::ToolError;
    }
    Exit::Clean
}
