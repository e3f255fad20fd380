//! What can be wrong with a procedure file (`--procedure`), worded in both languages: its
//! author reads these.

use std::fmt;

use super::SCHEMA;
use crate::i18n::{Lang, Worded};
use crate::tr;

/// Why a procedure file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureError {
    pub source_name: String,
    /// 1-based line and column, where the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub flaw: Flaw,
}

impl ProcedureError {
    /// `file:line:col: what is wrong`, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let flaw = self.flaw.message(lang);
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}: {flaw}", self.source_name),
            None => format!("{}: {flaw}", self.source_name),
        }
    }
}

/// English, for logs and tests; a person gets [`ProcedureError::message`].
impl fmt::Display for ProcedureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ProcedureError {}

/// What is wrong, with the ids and names it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// The file cannot be read (the system's reason).
    Unreadable(String),
    /// Not TOML of the procedure's shape (the parser's words).
    Toml(String),
    Schema {
        found: u32,
    },
    NoId,
    EmptySection {
        section: String,
    },
    NoSections,
    EmptyId {
        title: String,
    },
    BadId {
        id: String,
    },
    IdTwice {
        id: String,
    },
    NoTitle {
        id: String,
    },
    LinkNotHttps {
        link: String,
    },
    BadPage {
        step: String,
        page: String,
    },
    BadFieldId {
        field: String,
    },
    FieldTwice {
        field: String,
    },
    UndeclaredField {
        step: String,
        field: String,
    },
    CapturedTwice {
        step: String,
        field: String,
    },
    UndeclaredList {
        step: String,
        field: String,
    },
    MainNotOwn {
        step: String,
        main: String,
    },
    NotCaptured {
        field: String,
    },
    UndeclaredRef {
        field: String,
        target: String,
    },
    DerivedChain {
        field: String,
        source: String,
    },
    NoOptions {
        field: String,
    },
    /// A field azreg treats as the client secret declared as something else.
    SecretKind {
        field: String,
    },
    /// A step's link that is not https.
    LinkNotHttpsAt {
        step: String,
        link: String,
    },
    /// A redirect URI's `graph_platform` that is not one of Graph's.
    BadGraphPlatform {
        field: String,
        platform: String,
    },
}

impl Flaw {
    /// The id whose line the error points at, where there is one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Flaw::EmptySection { section: id }
            | Flaw::BadId { id }
            | Flaw::IdTwice { id }
            | Flaw::NoTitle { id }
            | Flaw::BadPage { step: id, .. }
            | Flaw::BadFieldId { field: id }
            | Flaw::FieldTwice { field: id }
            | Flaw::UndeclaredField { step: id, .. }
            | Flaw::CapturedTwice { step: id, .. }
            | Flaw::UndeclaredList { step: id, .. }
            | Flaw::MainNotOwn { step: id, .. }
            | Flaw::NotCaptured { field: id }
            | Flaw::UndeclaredRef { field: id, .. }
            | Flaw::DerivedChain { field: id, .. }
            | Flaw::NoOptions { field: id }
            | Flaw::SecretKind { field: id }
            | Flaw::LinkNotHttpsAt { step: id, .. }
            | Flaw::BadGraphPlatform { field: id, .. } => Some(id),
            Flaw::Unreadable(_)
            | Flaw::Toml(_)
            | Flaw::Schema { .. }
            | Flaw::NoId
            | Flaw::NoSections
            | Flaw::EmptyId { .. }
            | Flaw::LinkNotHttps { .. } => None,
        }
    }
}

impl Worded for Flaw {
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per flaw of a procedure file, its wording in both languages"
    )]
    fn message(&self, lang: Lang) -> String {
        match self {
            Flaw::Unreadable(e) => tr!(lang, "cannot read: {e}", "nicht lesbar: {e}", e = e),
            Flaw::Toml(e) => tr!(
                lang,
                "not a procedure: {e}",
                "kein gültiger Ablauf: {e}",
                e = e,
            ),
            Flaw::Schema { found } => tr!(
                lang,
                "schema {found} is not supported (this azreg reads schema {SCHEMA})",
                "Schema {found} wird nicht unterstützt (dieses azreg liest Schema {SCHEMA})",
                found = found,
                SCHEMA = SCHEMA,
            ),
            Flaw::NoId => tr!(
                lang,
                "the procedure needs a non-empty `id`",
                "der Ablauf braucht eine nicht leere `id`"
            ),
            Flaw::EmptySection { section } => tr!(
                lang,
                "the section {section:?} needs at least one step",
                "der Abschnitt {section:?} braucht mindestens einen Schritt",
                section = section,
            ),
            Flaw::NoSections => tr!(
                lang,
                "the procedure needs at least one section",
                "der Ablauf braucht mindestens einen Abschnitt"
            ),
            Flaw::EmptyId { title } => tr!(
                lang,
                "an entry titled {title:?} has an empty id",
                "ein Eintrag mit dem Titel {title:?} hat eine leere id",
                title = title,
            ),
            Flaw::BadId { id } => tr!(
                lang,
                "the id {id:?} may hold only a-z, 0-9, _ and -, starting with a letter",
                "die id {id:?} darf nur a-z, 0-9, _ und - enthalten und beginnt mit einem Buchstaben",
                id = id,
            ),
            Flaw::IdTwice { id } => tr!(
                lang,
                "the id {id:?} is used twice",
                "die id {id:?} wird zweimal verwendet",
                id = id,
            ),
            Flaw::NoTitle { id } => tr!(
                lang,
                "{id:?} has an empty title",
                "{id:?} hat einen leeren Titel",
                id = id,
            ),
            Flaw::LinkNotHttps { link } => tr!(
                lang,
                "[links]: {link:?} is not an https address",
                "[links]: {link:?} ist keine https-Adresse",
                link = link,
            ),
            Flaw::BadPage { step, page } => tr!(
                lang,
                "{step:?}: the page {page:?} may hold only letters and digits",
                "{step:?}: die Seite {page:?} darf nur Buchstaben und Ziffern enthalten",
                step = step,
                page = page,
            ),
            Flaw::BadFieldId { field } => tr!(
                lang,
                "the field id {field:?} may hold only a-z, 0-9 and _, starting with a letter",
                "die Feld-id {field:?} darf nur a-z, 0-9 und _ enthalten und beginnt mit einem Buchstaben",
                field = field,
            ),
            Flaw::FieldTwice { field } => tr!(
                lang,
                "the field {field:?} is declared twice",
                "das Feld {field:?} ist zweimal deklariert",
                field = field,
            ),
            Flaw::UndeclaredField { step, field } => tr!(
                lang,
                "step {step:?} names the field {field:?}, which is not declared",
                "Schritt {step:?} nennt das Feld {field:?}, das nicht deklariert ist",
                step = step,
                field = field,
            ),
            Flaw::CapturedTwice { field, .. } => tr!(
                lang,
                "the field {field:?} is captured at two steps",
                "das Feld {field:?} wird in zwei Schritten erfasst",
                field = field,
            ),
            Flaw::UndeclaredList { step, field } => tr!(
                lang,
                "{step:?} lists the field {field:?}, which is not declared",
                "{step:?} listet das Feld {field:?}, das nicht deklariert ist",
                step = step,
                field = field,
            ),
            Flaw::MainNotOwn { step, main } => tr!(
                lang,
                "step {step:?}: its main field {main:?} is not one of its fields",
                "Schritt {step:?}: sein Hauptfeld {main:?} ist keines seiner Felder",
                step = step,
                main = main,
            ),
            Flaw::NotCaptured { field } => tr!(
                lang,
                "the field {field:?} is not captured at any step",
                "das Feld {field:?} wird in keinem Schritt erfasst",
                field = field,
            ),
            Flaw::UndeclaredRef { field, target } => tr!(
                lang,
                "the field {field:?} refers to {target:?}, which is not declared",
                "das Feld {field:?} verweist auf {target:?}, das nicht deklariert ist",
                field = field,
                target = target,
            ),
            Flaw::DerivedChain { field, source } => tr!(
                lang,
                "the field {field:?} derives from {source:?}, which is derived itself: derive only from entered values",
                "das Feld {field:?} wird aus {source:?} abgeleitet, das selbst abgeleitet ist: leiten Sie nur aus eingegebenen Werten ab",
                field = field,
                source = source,
            ),
            Flaw::NoOptions { field } => tr!(
                lang,
                "the choice field {field:?} has no options",
                "das Auswahlfeld {field:?} hat keine Optionen",
                field = field,
            ),
            Flaw::SecretKind { field } => tr!(
                lang,
                "the field {field:?} holds the client secret: its kind must be \"secret\"",
                "das Feld {field:?} enthält den geheimen Clientschlüssel: seine Art muss \"secret\" sein",
                field = field,
            ),
            Flaw::LinkNotHttpsAt { step, link } => tr!(
                lang,
                "{step:?}: the link {link:?} is not an https address",
                "{step:?}: der Link {link:?} ist keine https-Adresse",
                step = step,
                link = link,
            ),
            Flaw::BadGraphPlatform { field, platform } => tr!(
                lang,
                "the field {field:?}: graph_platform {platform:?} is not one of web, spa, publicClient",
                "das Feld {field:?}: graph_platform {platform:?} ist keines von web, spa, publicClient",
                field = field,
                platform = platform,
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for Flaw {
    fn samples() -> Vec<Self> {
        let s = || "s".to_string();
        vec![
            Flaw::Unreadable("Permission denied".into()),
            Flaw::Toml("unknown field `colour`".into()),
            Flaw::Schema { found: 9 },
            Flaw::NoId,
            Flaw::EmptySection { section: s() },
            Flaw::NoSections,
            Flaw::EmptyId { title: s() },
            Flaw::BadId { id: s() },
            Flaw::IdTwice { id: s() },
            Flaw::NoTitle { id: s() },
            Flaw::LinkNotHttps { link: s() },
            Flaw::BadPage {
                step: s(),
                page: s(),
            },
            Flaw::BadFieldId { field: s() },
            Flaw::FieldTwice { field: s() },
            Flaw::UndeclaredField {
                step: s(),
                field: s(),
            },
            Flaw::CapturedTwice {
                step: s(),
                field: s(),
            },
            Flaw::UndeclaredList {
                step: s(),
                field: s(),
            },
            Flaw::MainNotOwn {
                step: s(),
                main: s(),
            },
            Flaw::NotCaptured { field: s() },
            Flaw::UndeclaredRef {
                field: s(),
                target: s(),
            },
            Flaw::DerivedChain {
                field: s(),
                source: s(),
            },
            Flaw::NoOptions { field: s() },
            Flaw::SecretKind { field: s() },
            Flaw::LinkNotHttpsAt {
                step: s(),
                link: s(),
            },
            Flaw::BadGraphPlatform {
                field: s(),
                platform: s(),
            },
        ]
    }
}
