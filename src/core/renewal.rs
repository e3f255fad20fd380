//! Renewals: a procedure whose fields `replace` others (`azreg renew`) completes into their
//! values once every step is done (`edit::complete_renewal`).

use crate::core::procedure::Procedure;

/// Whether this procedure completes into another's values (the renewal does).
pub fn replaces_values(p: &Procedure) -> bool {
    p.fields.iter().any(|f| f.replaces.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn only_the_renewal_replaces_values() {
        assert!(replaces_values(&Procedure::renewal_in(Lang::En).unwrap()));
        assert!(!replaces_values(&Procedure::embedded().unwrap()));
    }
}
