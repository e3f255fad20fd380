//! The interface in English and German, and the one place a further language goes.
//!
//! English and German are written where they are used: `tr!(lang, "en", "de", args)` for text
//! with arguments, `L::new("en", "de")` in tables such as the keymap. A message without its
//! German does not compile, and `format!` checks the arguments of both.
//!
//! Any further language is a catalog, not an edit of the call sites: `assets/i18n/<code>.toml`
//! maps each English message (the same text as in `tr!`, placeholders and all) to its
//! translation, read by [`catalog`]. Adding one takes a variant of [`Lang`], its line in
//! [`catalog::EMBEDDED`] and [`Lang::from_code`], the catalog, and the two procedure files
//! (`assets/procedure.<code>.toml`, `assets/renew.<code>.toml`, chosen in `procedure`). A message
//! the catalog lacks shows in English. `Lang::Pseudo` is such a language, for the tests only: it
//! keeps every call site honest about the catalog path.

pub mod catalog;

use std::ffi::OsString;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    De,
    /// The test language: a small catalog (`assets/i18n/qps.toml`) that proves the path a
    /// further language takes; never chosen by a locale or on the command line.
    #[value(skip)]
    #[cfg_attr(not(test), allow(dead_code))]
    Pseudo,
}

impl Lang {
    /// `en`, `de`: the code settings and JSON use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Pseudo => "qps",
        }
    }

    /// `de`, `de_DE.UTF-8`, `de-AT` mean German; anything else English.
    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    /// From the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set decides.
    pub fn detect(env: &dyn Fn(&str) -> Option<OsString>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| env(v))
            .map(|v| v.to_string_lossy().into_owned())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_code(&v))
    }
}

/// A fixed text in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L {
    pub en: &'static str,
    pub de: &'static str,
}

impl L {
    pub const fn new(en: &'static str, de: &'static str) -> Self {
        Self { en, de }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
            other => catalog::lookup(other, self.en).unwrap_or(self.en),
        }
    }
}

/// An error or an outcome as data, worded where it is shown, in the reader's language: the
/// layers below the front ends return these, never finished sentences.
pub trait Worded {
    fn message(&self, lang: Lang) -> String;
}

/// A value of each variant, for the test that words every error in German
/// (`src/worded_tests.rs`).
#[cfg(test)]
pub trait Samples: Sized {
    fn samples() -> Vec<Self>;
}

/// A noun's singular and plural in each language (German in the case the sentence needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    pub en: (&'static str, &'static str),
    pub de: (&'static str, &'static str),
}

impl Plural {
    /// `n` and the noun in the form `n` takes: "1 day", "2 days", "0 days"; "1 Tag", "2 Tage".
    /// Both languages use the singular for exactly one (CLDR `one`), the plural otherwise.
    pub fn count(self, lang: Lang, n: i64) -> String {
        let (one, other) = match lang {
            Lang::En => self.en,
            Lang::De => self.de,
            l => {
                let (one, other) = self.en;
                (
                    catalog::lookup(l, one).unwrap_or(one),
                    catalog::lookup(l, other).unwrap_or(other),
                )
            }
        };
        format!("{n} {}", if n == 1 || n == -1 { one } else { other })
    }
}

/// The counted nouns of the interface, in one place.
pub mod nouns {
    use super::Plural;
    pub const DAYS: Plural = Plural {
        en: ("day", "days"),
        de: ("Tag", "Tage"),
    };
    /// After "in": "in 1 Tag", "in 3 Tagen".
    pub const DAYS_DATIVE: Plural = Plural {
        en: ("day", "days"),
        de: ("Tag", "Tagen"),
    };
    pub const ERRORS: Plural = Plural {
        en: ("error", "errors"),
        de: ("Fehler", "Fehler"),
    };
    pub const WARNINGS: Plural = Plural {
        en: ("warning", "warnings"),
        de: ("Warnung", "Warnungen"),
    };
    pub const VALUES: Plural = Plural {
        en: ("value", "values"),
        de: ("Wert", "Werte"),
    };
    pub const STEPS: Plural = Plural {
        en: ("step", "steps"),
        de: ("Schritt", "Schritte"),
    };
    /// After "in": "in 1 Abschnitt", "in 5 Abschnitten".
    pub const SECTIONS_DATIVE: Plural = Plural {
        en: ("section", "sections"),
        de: ("Abschnitt", "Abschnitten"),
    };
    pub const CHARACTERS: Plural = Plural {
        en: ("character", "characters"),
        de: ("Zeichen", "Zeichen"),
    };
}

/// `tr!(lang, "English {x}", "Deutsch {x}", x = x)`: the text in `lang`, formatted. Arguments
/// are all named or all positional, and passed even where `format!` could capture them, so a
/// catalog language gets them too: it looks the English up in its catalog.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $de:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::De => format!($de),
            #[allow(unreachable_patterns)]
            other => $crate::i18n::catalog::render(other, $en, &[], || format!($en)),
        }
    };
    ($lang:expr, $en:literal, $de:literal, $($name:ident = $val:expr),+ $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en, $($name = $val),+),
            $crate::i18n::Lang::De => format!($de, $($name = $val),+),
            #[allow(unreachable_patterns)]
            other => $crate::i18n::catalog::render(
                other,
                $en,
                &[$((stringify!($name), &$val as &dyn $crate::i18n::catalog::Arg)),+],
                || format!($en, $($name = $val),+),
            ),
        }
    };
    ($lang:expr, $en:literal, $de:literal, $($val:expr),+ $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en, $($val),+),
            $crate::i18n::Lang::De => format!($de, $($val),+),
            #[allow(unreachable_patterns)]
            other => $crate::i18n::catalog::render(
                other,
                $en,
                &[$(("", &$val as &dyn $crate::i18n::catalog::Arg)),+],
                || format!($en, $($val),+),
            ),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_env::env_of;

    #[test]
    fn plurals_in_both_languages() {
        use nouns::*;
        assert_eq!(DAYS.count(Lang::En, 1), "1 day");
        assert_eq!(DAYS.count(Lang::En, 2), "2 days");
        assert_eq!(DAYS.count(Lang::En, 0), "0 days");
        assert_eq!(DAYS_DATIVE.count(Lang::De, 1), "1 Tag");
        assert_eq!(DAYS_DATIVE.count(Lang::De, 3), "3 Tagen");
        assert_eq!(WARNINGS.count(Lang::De, 1), "1 Warnung");
        assert_eq!(WARNINGS.count(Lang::De, 2), "2 Warnungen");
        assert_eq!(ERRORS.count(Lang::En, 1), "1 error");
    }

    #[test]
    fn locale_precedence() {
        assert_eq!(Lang::detect(&env_of(&[("LANG", "de_DE.UTF-8")])), Lang::De);
        assert_eq!(
            Lang::detect(&env_of(&[
                ("LANG", "de_DE.UTF-8"),
                ("LC_ALL", "en_US.UTF-8")
            ])),
            Lang::En
        );
        assert_eq!(
            Lang::detect(&env_of(&[("LANG", "en_GB"), ("LC_MESSAGES", "de_AT")])),
            Lang::De
        );
        assert_eq!(
            Lang::detect(&env_of(&[("LC_ALL", ""), ("LANG", "de")])),
            Lang::De
        );
        assert_eq!(Lang::detect(&env_of(&[])), Lang::En);
        assert_eq!(Lang::detect(&env_of(&[("LANG", "C.UTF-8")])), Lang::En);
    }

    #[test]
    fn tr_picks_the_language_and_formats_both() {
        let n = 3;
        assert_eq!(tr!(Lang::En, "{n} steps", "{n} Schritte", n = n), "3 steps");
        assert_eq!(
            tr!(Lang::De, "{n} steps", "{n} Schritte", n = n),
            "3 Schritte"
        );
        assert_eq!(L::new("a", "b").get(Lang::De), "b");
    }
}
