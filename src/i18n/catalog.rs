//! Catalogs: the languages beyond English and German, as data. A catalog maps each English
//! message, exactly as written in `tr!` or `L::new` (placeholders included), to its translation
//! with the same placeholders. Read once, checked when read; a message it lacks, or one whose
//! translation does not fit its arguments, shows in English rather than wrong.

use std::collections::HashMap;
use std::fmt::{Debug, Display};
use std::sync::OnceLock;

use super::Lang;

/// The embedded catalog of each catalog language.
pub const EMBEDDED: &[(Lang, &str)] = &[(Lang::Pseudo, include_str!("../../assets/i18n/qps.toml"))];

/// A message argument, shown as `{x}` (Display) or `{x:?}` (Debug).
pub trait Arg {
    fn show(&self, debug: bool) -> String;
}

impl<T: Display + Debug + ?Sized> Arg for T {
    fn show(&self, debug: bool) -> String {
        if debug {
            format!("{self:?}")
        } else {
            self.to_string()
        }
    }
}

type Messages = HashMap<String, String>;

fn catalog(lang: Lang) -> Option<&'static Messages> {
    static LOADED: OnceLock<Vec<(Lang, Messages)>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            EMBEDDED
                .iter()
                .map(|(l, text)| (*l, parse(text).map(|(m, _)| m).unwrap_or_default()))
                .collect()
        })
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, m)| m)
}

/// The translation of `en` in `lang`'s catalog.
pub fn lookup(lang: Lang, en: &str) -> Option<&'static str> {
    catalog(lang)?.get(en).map(String::as_str)
}

/// `en` in `lang`: its translation filled with `args` (named, or positional with an empty
/// name), else `english()`.
pub fn render(
    lang: Lang,
    en: &str,
    args: &[(&str, &dyn Arg)],
    english: impl FnOnce() -> String,
) -> String {
    lookup(lang, en)
        .and_then(|t| fill(t, args))
        .unwrap_or_else(english)
}

/// One `{...}` of a message: its name ("" for the next positional, digits for an index) and
/// whether it is Debug (`:?`).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Slot {
    name: String,
    debug: bool,
}

/// The text pieces and slots of a message; `None` when it is not a message `format!` takes
/// (an unmatched brace, a format spec other than `?`).
fn pieces(template: &str) -> Option<Vec<Result<String, Slot>>> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '}' => return None,
            '{' => {
                let mut body = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        '{' => return None,
                        c => body.push(c),
                    }
                }
                let (name, spec) = body.split_once(':').unwrap_or((&body, ""));
                if !matches!(spec, "" | "?") {
                    return None;
                }
                out.push(Ok(std::mem::take(&mut text)));
                out.push(Err(Slot {
                    name: name.trim().to_string(),
                    debug: spec == "?",
                }));
            }
            c => text.push(c),
        }
    }
    out.push(Ok(text));
    Some(out)
}

fn fill(template: &str, args: &[(&str, &dyn Arg)]) -> Option<String> {
    let mut out = String::new();
    let mut next = 0;
    for piece in pieces(template)? {
        match piece {
            Ok(text) => out.push_str(&text),
            Err(slot) => {
                let arg = if slot.name.is_empty() {
                    next += 1;
                    args.get(next - 1)?.1
                } else if let Ok(i) = slot.name.parse::<usize>() {
                    args.get(i)?.1
                } else {
                    args.iter().find(|(n, _)| *n == slot.name)?.1
                };
                out.push_str(&arg.show(slot.debug));
            }
        }
    }
    Some(out)
}

/// The slots a message uses, in a comparable form: positional ones by their index.
fn slots(template: &str) -> Option<Vec<Slot>> {
    let mut next = 0;
    let mut out: Vec<Slot> = pieces(template)?
        .into_iter()
        .filter_map(Result::err)
        .map(|mut s| {
            if s.name.is_empty() {
                s.name = next.to_string();
                next += 1;
            }
            s
        })
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// Why a catalog cannot be read at all. Catalogs are embedded and checked by a test; a
/// person never sees these (a language without its catalog shows in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    Toml(String),
    NoMessages,
}

/// An entry left out of a catalog, by its English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeftOut {
    NotString(String),
    /// The translation does not use the same placeholders as its English.
    Placeholders(String),
}

/// A catalog's messages, and each entry left out.
pub fn parse(text: &str) -> Result<(Messages, Vec<LeftOut>), CatalogError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| CatalogError::Toml(e.to_string()))?;
    let Some(messages) = table.get("messages").and_then(toml::Value::as_table) else {
        return Err(CatalogError::NoMessages);
    };
    let mut out = Messages::new();
    let mut problems = Vec::new();
    for (en, t) in messages {
        let Some(t) = t.as_str() else {
            problems.push(LeftOut::NotString(en.clone()));
            continue;
        };
        match (slots(en), slots(t)) {
            (Some(a), Some(b)) if a == b => {
                out.insert(en.clone(), t.to_string());
            }
            _ => problems.push(LeftOut::Placeholders(en.clone())),
        }
    }
    Ok((out, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_catalog_is_whole_and_fits_its_messages() {
        for (lang, text) in EMBEDDED {
            let (messages, problems) = parse(text).unwrap();
            assert!(problems.is_empty(), "{lang:?}: {problems:?}");
            assert!(!messages.is_empty(), "{lang:?}");
        }
    }

    #[test]
    fn a_translation_with_other_placeholders_is_left_out() {
        let (m, problems) = parse(
            r#"[messages]
"{a} and {b}" = "{b} und {a}"
"{a} only" = "nur {b}"
"{} of {}" = "{1} von {0}"
"{x:?}" = "{x}"
"bad {" = "schlecht {"
"#,
        )
        .unwrap();
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(parse("x = 1").unwrap_err(), CatalogError::NoMessages);
    }

    #[test]
    fn filling_takes_named_positional_indexed_and_debug_slots() {
        let (a, b) = ("A", 2);
        let args: [(&str, &dyn Arg); 2] = [("a", &a), ("b", &b)];
        assert_eq!(
            fill("{b} {a:?} {{x}}", &args).as_deref(),
            Some("2 \"A\" {x}")
        );
        let pos: [(&str, &dyn Arg); 2] = [("", &a), ("", &b)];
        assert_eq!(fill("{1}-{0}", &pos).as_deref(), Some("2-A"));
        assert_eq!(fill("{}-{}", &pos).as_deref(), Some("A-2"));
        assert_eq!(
            fill("{c}", &args),
            None,
            "an unknown name is no translation"
        );
        assert_eq!(fill("{a:>3}", &args), None);
    }
}
