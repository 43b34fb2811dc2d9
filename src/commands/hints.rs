//! Which kind an error is and what hints it carries: the one place that
//! knows every typed error, the shell's and the core's, and looks for them
//! along an error's chain (under any context added on the way).

use crate::error::{Hinted, Kind, ProjectError, hinted};
use crate::playbook::SelectError;
use crate::sheet::bounds::Refused;
use crate::store;

/// One typed error of the chain: its kind and hint.
fn classify(e: &(dyn std::error::Error + 'static)) -> Option<(Kind, Option<String>)> {
    if let Some(h) = e.downcast_ref::<Hinted>() {
        return Some((h.kind, Some(h.help.clone())));
    }
    if let Some(p) = e.downcast_ref::<ProjectError>() {
        return Some((Kind::Project, Some(p.hint())));
    }
    if let Some(s) = e.downcast_ref::<store::Error>() {
        return Some((s.kind(), s.hint()));
    }
    if let Some(s) = e.downcast_ref::<SelectError>() {
        return Some((Kind::Usage, Some(s.hint())));
    }
    if let Some(r) = e.downcast_ref::<Refused>() {
        return Some((Kind::Input, Some(r.hint().to_string())));
    }
    None
}

/// The kind of the outermost typed error in the chain; [`Kind::Other`]
/// when there is none.
pub fn kind(err: &anyhow::Error) -> Kind {
    err.chain()
        .find_map(classify)
        .map_or(Kind::Other, |(kind, _)| kind)
}

/// Every hint in the chain, outermost first, each once.
pub fn hints(err: &anyhow::Error) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for hint in err.chain().filter_map(classify).filter_map(|(_, h)| h) {
        if !out.contains(&hint) {
            out.push(hint);
        }
    }
    out
}

/// `err` said another way (`message`, its chain flattened into it), keeping
/// its kind and hints.
pub fn restate(err: &anyhow::Error, message: String) -> anyhow::Error {
    let hints = hints(err);
    if hints.is_empty() {
        return anyhow::anyhow!(message);
    }
    hinted(kind(err), message, hints.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_found_under_context_and_kept_out_of_the_message() {
        let err = anyhow::Error::from(ProjectError::NotFound).context("cannot start");
        assert_eq!(kind(&err), Kind::Project);
        assert_eq!(
            hints(&err),
            ["or name the project folder with `-C DIR` (or SUPPORTCHECK_DIR)"]
        );
        assert!(!format!("{err:#}").contains("help"), "{err:#}");
    }

    #[test]
    fn an_untyped_error_has_no_hint_and_kind_other() {
        let err = anyhow::anyhow!("cannot read x");
        assert_eq!(kind(&err), Kind::Other);
        assert!(hints(&err).is_empty());
    }

    #[test]
    fn a_restated_error_keeps_its_kind_and_hints() {
        let err = anyhow::Error::from(Refused::Unpacked { mib: 256 });
        let again = restate(&err, format!("x.xlsx: {err}"));
        assert_eq!(kind(&again), Kind::Input);
        assert_eq!(hints(&again), hints(&err));
        assert!(again.to_string().starts_with("x.xlsx: the workbook"));
    }
}
