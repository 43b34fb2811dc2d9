//! `supportcheck schema`: prints the JSON Schema of a file format.

use super::emit;
use crate::Exit;
use crate::cli::SchemaArgs;
use anyhow::Result;

pub fn run(args: &SchemaArgs) -> Result<Exit> {
    emit(&crate::schema::schema_text(args.kind))?;
    Ok(Exit::Ok)
}
