//! Every error a person can meet, worded in German: a variant whose German is its English (or
//! passes English through) fails here. Each error type offers a value of each of its variants
//! (`i18n::Samples`), beside its wording.

use crate::i18n::{Lang, Samples};

/// `en` and `de` of each sample: they must differ, and the German must not carry the English.
fn check<T: Samples + std::fmt::Debug>(word: impl Fn(&T, Lang) -> String) -> usize {
    let samples = T::samples();
    assert!(!samples.is_empty());
    for s in &samples {
        let (en, de) = (word(s, Lang::En), word(s, Lang::De));
        assert!(!en.is_empty(), "{s:?}");
        assert_ne!(en, de, "{s:?} has no German");
        assert!(
            !de.contains(&en),
            "{s:?}: the German passes the English on: {de}"
        );
    }
    samples.len()
}

#[test]
fn every_error_variant_is_worded_in_german() {
    use crate::i18n::Worded;
    let mut n = 0;
    n += check::<crate::remote::http::HttpError>(|e, l| e.message(l));
    n += check::<crate::remote::http::AuthorityError>(|e, l| e.message(l));
    n += check::<crate::remote::graph::GraphError>(|e, l| e.message(l));
    n += check::<crate::remote::graph::SetupError>(|e, l| e.message(l));
    n += check::<crate::remote::signin::SignInError>(|e, l| e.message(l));
    n += check::<crate::remote::signin::login::LoginError>(|e, l| e.message(l));
    n += check::<crate::remote::verify::RequestError>(|e, l| e.message(l));
    n += check::<crate::core::progress::Unsaved>(|e, l| e.message(l));
    n += check::<crate::core::fields::InputError>(|e, l| e.message(l));
    n += check::<crate::core::edit::import::ImportProblem>(|e, l| e.message(l));
    n += check::<crate::core::permissions::ListProblem>(|e, l| e.message(l));
    n += check::<crate::core::procedure::Flaw>(|e, l| e.message(l));
    n += check::<crate::core::plan::record::Unusable>(|e, l| e.message(l));
    n += check::<crate::core::plan::record::BadRecord>(|e, l| e.message(l));
    n += check::<crate::engine::BadAnswer>(|e, l| e.message(l));
    n += check::<crate::core::doctor::What>(|e, l| e.message(l));
    n += check::<crate::core::plan::Cleanup>(|e, l| e.message(l));
    n += check::<crate::io::store::StoreError>(|e, l| e.message(l));
    // The engine's stops and the walkthrough's run end are worded with the procedure (its
    // steps by their labels): the German procedure for German.
    let procedure = |l: Lang| crate::core::procedure::Procedure::embedded_in(l).unwrap();
    n += check::<crate::engine::Stop>(|e, l| e.message(&procedure(l)));
    n += check::<crate::engine::JobError>(|e, l| e.message(&procedure(l)));
    assert!(n > 80, "{n} samples");
}
