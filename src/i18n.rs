//! The interface in English and German.
//!
//! Every message is written in both languages where it is used: `tr!(lang, "en", "de", args)`
//! for text with arguments, `L::new("en", "de")` in tables such as the keymap. A message
//! without its German does not compile, and `format!` checks the arguments of both, so there
//! is no key file to drift out of step and no silent fallback to English.

use std::ffi::OsString;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
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
        }
    }
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
    pub const CHARACTERS: Plural = Plural {
        en: ("character", "characters"),
        de: ("Zeichen", "Zeichen"),
    };
}

/// `tr!(lang, "English {x}", "Deutsch {x}")`: the text in `lang`, formatted.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $de:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::De => format!($de),
        }
    };
    ($lang:expr, $en:literal, $de:literal, $($args:tt)+) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en, $($args)+),
            $crate::i18n::Lang::De => format!($de, $($args)+),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

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
        assert_eq!(tr!(Lang::En, "{n} steps", "{n} Schritte"), "3 steps");
        assert_eq!(tr!(Lang::De, "{n} steps", "{n} Schritte"), "3 Schritte");
        assert_eq!(L::new("a", "b").get(Lang::De), "b");
    }
}
