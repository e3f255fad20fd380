//! Taking in what a script of azreg, `az ad app credential reset` or `az ad app create` printed:
//! the values checked together (nothing taken unless every one passes), the ids the script
//! handed out recorded, the steps it did marked; what it replaces kept in the history.

use serde_json::{Map, Value};

use crate::core::fields::{self, InputError, Severity};
use crate::core::procedure::Procedure;
use crate::core::progress::{self, Progress};
use crate::i18n::{Lang, Worded};
use crate::tr;

/// Why an import is not taken (each one found is said; nothing is taken while any is there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    NotString {
        key: &'static str,
    },
    Input {
        key: &'static str,
        error: InputError,
    },
    /// None of the keys azreg takes.
    Nothing,
    /// The value fails its field's check (`why` in the procedure's language).
    Check {
        key: &'static str,
        label: String,
        why: String,
    },
}

impl Worded for ImportProblem {
    fn message(&self, lang: Lang) -> String {
        match self {
            ImportProblem::NotString { key } => tr!(
                lang,
                "{key}: expected a string",
                "{key}: erwartet ist eine Zeichenkette",
                key = key,
            ),
            ImportProblem::Input { key, error } => format!("{key}: {}", error.message(lang)),
            ImportProblem::Nothing => tr!(
                lang,
                "no appId, tenant or password in the JSON",
                "kein appId, tenant oder password im JSON"
            ),
            ImportProblem::Check { key, label, why } => format!("{key} ({label}): {why}"),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for ImportProblem {
    fn samples() -> Vec<Self> {
        // `Check` carries the field check's words, in the procedure's language already.
        vec![
            ImportProblem::NotString { key: "appId" },
            ImportProblem::Input {
                key: "password",
                error: InputError::LineBreak,
            },
            ImportProblem::Nothing,
        ]
    }
}

/// JSON key to field id.
const KEYS: [(&str, &str); 3] = [
    ("appId", "client_id"),
    ("tenant", "tenant_id"),
    ("password", "client_secret"),
];

/// The first JSON object in the text, even after other lines (az prints warnings, a banner).
pub fn find_object(text: &str) -> Option<Map<String, Value>> {
    text.match_indices('{').take(1000).find_map(|(at, _)| {
        serde_json::Deserializer::from_str(&text[at..])
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok)
            .and_then(|v| match v {
                Value::Object(o) if KEYS.iter().any(|(k, _)| o.contains_key(*k)) => Some(o),
                _ => None,
            })
    })
}

/// What an import changed, for the message.
pub struct Applied {
    /// `client_id = ...`, or the secret's length.
    pub said: Vec<String>,
    /// Labels of the steps marked done.
    pub marked: Vec<String>,
}

/// The values of the JSON, cleaned and checked together (client ID and tenant ID must
/// differ, ...) on top of `values`: what was found, and every problem.
fn gathered<'p>(
    procedure: &'p Procedure,
    obj: &Map<String, Value>,
    values: &mut crate::core::fields::Values,
    today: time::Date,
) -> (
    Vec<(&'static str, &'p crate::core::fields::FieldSpec)>,
    Vec<ImportProblem>,
) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (key, field_id) in KEYS {
        let Some(raw) = obj.get(key) else { continue };
        let Some(spec) = procedure.field(field_id) else {
            continue;
        };
        let Some(raw) = raw.as_str() else {
            problems.push(ImportProblem::NotString { key });
            continue;
        };
        match fields::clean_input(raw) {
            Ok(v) => {
                values.insert(field_id.to_string(), fields::normalize(spec, &v));
                found.push((key, spec));
            }
            Err(error) => problems.push(ImportProblem::Input { key, error }),
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(ImportProblem::Nothing);
    }
    // Check the new values together (client ID and tenant ID must differ, ...).
    let ctx = procedure.context(values, today);
    for (key, spec) in &found {
        for p in ctx.assess(spec).problems {
            if p.severity == Severity::Error {
                problems.push(ImportProblem::Check {
                    key,
                    label: spec.label.clone(),
                    why: p.message,
                });
            }
        }
    }
    (found, problems)
}

/// What a script of azreg handed out: the key its secret has (the only one a later renewal
/// may remove), the app's and the service principal's object IDs, its create key. Each one
/// checked; what it replaces stays in the history. The lines that say what was replaced.
fn take_ids(
    progress: &mut Progress,
    obj: &Map<String, Value>,
    lang: crate::i18n::Lang,
    now: toml::value::Datetime,
) -> Vec<String> {
    let mut said = Vec::new();
    for (key, slot) in [
        ("secretKeyId", progress::Slot::SecretKey),
        ("objectId", progress::Slot::AppObject),
        ("servicePrincipalId", progress::Slot::ServicePrincipal),
    ] {
        if let Some(id) = obj
            .get(key)
            .and_then(Value::as_str)
            .filter(|k| fields::is_guid(k))
        {
            let id = id.to_ascii_lowercase();
            if let Some(old) = progress.slot(slot).clone().filter(|o| *o != id) {
                said.push(tr!(
                    lang,
                    "{key} = {id} (replaced: was {old})",
                    "{key} = {id} (ersetzt: war {old})",
                    key = key,
                    id = id,
                    old = old,
                ));
            }
            progress.put_id(slot, Some(id), "import", now);
        }
    }
    if let Some(k) = obj
        .get("uniqueName")
        .and_then(Value::as_str)
        .filter(|k| k.strip_prefix("azreg-").is_some_and(fields::is_guid))
    {
        progress.put_id(
            progress::Slot::UniqueName,
            Some(k.to_string()),
            "import",
            now,
        );
    }
    said
}

/// Apply a JSON object to a progress: store the values, mark the steps a script did. On any
/// problem the progress is left as it was and every problem is returned.
pub fn take_import(
    procedure: &Procedure,
    progress: &mut Progress,
    obj: &Map<String, Value>,
    (today, now): (time::Date, toml::value::Datetime),
) -> Result<Applied, Vec<ImportProblem>> {
    let lang = procedure.lang();
    let mut values = progress.values.clone();
    let (found, problems) = gathered(procedure, obj, &mut values, today);
    if !problems.is_empty() {
        return Err(problems);
    }
    let replaced = |spec: &crate::core::fields::FieldSpec| {
        progress
            .values
            .get(&spec.id)
            .filter(|old| {
                !old.is_empty()
                    && Some(*old) != values.get(&spec.id)
                    && progress::IDENTITY_VALUES.contains(&spec.id.as_str())
            })
            .map(|old| {
                tr!(
                    lang,
                    " (replaced: was {old})",
                    " (ersetzt: war {old})",
                    old = super::shown_before(&spec.id, old),
                )
            })
            .unwrap_or_default()
    };
    let mut said: Vec<String> = found
        .iter()
        .map(|(_, spec)| {
            let was = replaced(spec);
            let said = if spec.is_secret() {
                let n = values[&spec.id].chars().count();
                tr!(
                    lang,
                    "{p0} ({n} chars, not shown)",
                    "{p0} ({n} Zeichen, nicht angezeigt)",
                    p0 = spec.id,
                    n = n,
                )
            } else {
                format!("{} = {}", spec.id, values[&spec.id])
            };
            said + &was
        })
        .collect();
    // A renewal keeps the old expiry in the history and records the new one (dates only).
    let renewal = obj.get("renewal") == Some(&Value::Bool(true));
    let expiry_field = procedure.expiry_field().map(|f| f.id.clone());
    // The last day it works: one ending at midnight stopped the day before.
    let new_end = obj
        .get("secretEndDateTime")
        .and_then(Value::as_str)
        .and_then(fields::last_day_of_end)
        .map(fields::format_date);
    if renewal && let (Some(field), Some(end)) = (&expiry_field, &new_end) {
        super::record_renewal(progress, field, end, (today, now, "import"));
        values.insert(field.clone(), end.clone());
    }
    said.extend(take_ids(progress, obj, lang, now));
    for (field, value) in values {
        if progress.values.get(&field) != Some(&value) {
            progress.put_value(&field, Some(value), "import", now);
        }
    }
    // Only azreg's own scripts say what they did; plain az output marks nothing.
    let mut marked = Vec::new();
    let by_script = obj
        .get("azreg")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with("script"));
    let secret =
        obj.contains_key("password") || obj.get("secretInPlace") == Some(&Value::Bool(true));
    if by_script && secret && !renewal {
        for (i, e) in procedure.entries.iter().enumerate() {
            let did = e.scripted
                && e.step
                    .scripted_when
                    .as_deref()
                    .is_none_or(|k| obj.get(k) == Some(&Value::Bool(true)));
            if did && !progress.is_done(&e.step.id) {
                progress.done.insert(e.step.id.clone(), now);
                marked.push(procedure.label(i).to_string());
            }
        }
    }
    Ok(Applied { said, marked })
}
