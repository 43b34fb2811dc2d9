//! `supportcheck merge-answers %O %A %B`: git's merge driver for the answers file.

use crate::Exit;
use crate::answers;
use crate::cli::MergeAnswersArgs;
use crate::store::answers::check_size;
use crate::store::{read::read_text, write_atomic};
use anyhow::Result;

/// Merges per question into `ours`. Exit 0 when clean; 1 when a question
/// changed on both sides (it is left between conflict markers). A side that
/// cannot be read leaves the whole of both sides between markers, so that
/// nothing is lost, and exits 1 too: git then reports the file as conflicted.
pub fn run(args: &MergeAnswersArgs) -> Result<Exit> {
    let read = |p: &std::path::Path| read_text(p, "file to merge", &p.display().to_string());
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let shown = args.ours.display().to_string();
    let (text, conflicts) = match answers::merge_texts(&base, &ours, &theirs, &shown) {
        Ok(merged) => merged,
        Err(findings) => {
            for f in &findings {
                eprintln!("{f}");
            }
            eprintln!(
                "supportcheck merge-answers: a side cannot be read; both are kept between conflict markers"
            );
            let end = |t: &str| if t.ends_with('\n') { "" } else { "\n" };
            let whole = format!(
                "<<<<<<< ours\n{ours}{}=======\n{theirs}{}>>>>>>> theirs\n",
                end(&ours),
                end(&theirs)
            );
            check_size(&whole, &shown)?;
            write_atomic(&args.ours, whole.as_bytes())?;
            return Ok(Exit::Findings);
        }
    };
    // What every command's reader would refuse is not written: ours stays
    // as it is, and git reports the file as conflicted (exit 2).
    check_size(&text, &shown)?;
    if conflicts.is_empty() {
        let (_, findings) = answers::parse(&text, &shown);
        if let Some(error) = findings.iter().find(|f| f.is_error()) {
            anyhow::bail!(
                "{shown}: the merged answers could not be read back ({error}); nothing was written"
            );
        }
    }
    write_atomic(&args.ours, text.as_bytes())?;
    if conflicts.is_empty() {
        return Ok(Exit::Ok);
    }
    for what in &conflicts {
        eprintln!("supportcheck merge-answers: {what} was changed on both sides; check the file");
    }
    Ok(Exit::Findings)
}
