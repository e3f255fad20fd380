//! Field kinds, validation, normalisation and derivation.
//!
//! The procedure file declares each field and the rules it follows (`url_role`, `charset`,
//! `path_prefix`, `distinct_from`, ...); this module knows the kinds and rules, never an
//! individual field. Facts behind the rules: DOMAIN.md (Entra ID redirect URI restrictions,
//! GUID and client secret formats).

use std::collections::BTreeMap;

use serde::Deserialize;
use time::{Date, Duration};

use crate::i18n::Lang;
use crate::procedure::Procedure;
use crate::text::has_unsafe_chars;
use crate::tr;

/// Values as stored in the progress file: field id to value.
pub type Values = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Url,
    Text,
    Choice,
    Date,
    Guid,
    Secret,
    /// Microsoft Graph permissions, checked against the bundled catalogue (`permissions.rs`).
    Permissions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlRole {
    /// A portal's base URL: no redirect paths, no query.
    Base,
    /// A redirect URI registered in Entra ID.
    Redirect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    /// ASCII letters and digits only (the Intrexx rule for registration names).
    Alnum,
}

/// Where a value goes, for the summary card (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    /// Entered in Intrexx (from Azure).
    Intrexx,
    /// Entered in Azure (from Intrexx).
    Azure,
    /// Not entered anywhere: kept for the admin's record (the secret's expiry).
    Record,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    /// A short mark such as "typical".
    #[serde(default)]
    pub note: Option<String>,
}

/// A field as declared in the procedure file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub url_role: Option<UrlRole>,
    /// The Azure platform a redirect URI belongs to (shown on the summary).
    #[serde(default)]
    pub platform: Option<String>,
    /// A template such as `{portal_url}/oauth2callback.html`.
    #[serde(default)]
    pub derive: Option<String>,
    /// The path must contain this, followed by the value of `path_rest_field`.
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub path_rest_field: Option<String>,
    #[serde(default)]
    pub path_suffix: Option<String>,
    /// A different host than this field's is a warning.
    #[serde(default)]
    pub same_host_as: Option<String>,
    /// Equal to this field's value is an error.
    #[serde(default)]
    pub distinct_from: Option<String>,
    #[serde(default)]
    pub distinct_message: Option<String>,
    #[serde(default)]
    pub charset: Option<Charset>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Date fields: presets in days from today.
    #[serde(default)]
    pub presets: Vec<u32>,
    #[serde(default)]
    pub recommended: Option<u32>,
    /// Listed on the summary card under this destination.
    #[serde(default)]
    pub goes_to: Option<Destination>,
    /// The value until the user enters one (e.g. `User.Read`, which the portal preselects).
    #[serde(default)]
    pub default: Option<String>,
}

impl FieldSpec {
    /// Ids of the other fields this one refers to.
    pub fn references(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = self.derive.as_deref().map(placeholders).unwrap_or_default();
        refs.extend(
            [
                &self.path_rest_field,
                &self.same_host_as,
                &self.distinct_from,
            ]
            .into_iter()
            .filter_map(|r| r.as_deref()),
        );
        refs
    }

    pub fn is_secret(&self) -> bool {
        self.kind == FieldKind::Secret
    }

    /// Whether editing this field starts with a picker rather than a text line.
    pub fn is_picked(&self) -> bool {
        self.kind == FieldKind::Choice || (self.kind == FieldKind::Date && !self.presets.is_empty())
    }
}

/// The `{name}` placeholders of a template.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
        }
    }
    fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldState {
    Empty,
    Ok,
    Warning,
    Error,
}

impl FieldState {
    pub fn label(self, lang: Lang) -> &'static str {
        use crate::i18n::L;
        match self {
            FieldState::Empty => L::new("empty", "leer"),
            FieldState::Ok => L::new("ok", "ok"),
            FieldState::Warning => L::new("warning", "Warnung"),
            FieldState::Error => L::new("error", "Fehler"),
        }
        .get(lang)
    }
}

/// A field's effective value and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub value: Option<String>,
    /// The value was derived from other fields, not entered.
    pub derived: bool,
    pub problems: Vec<Problem>,
}

impl Assessment {
    pub fn state(&self) -> FieldState {
        match self.problems.iter().map(|p| p.severity).max() {
            _ if self.value.is_none() => FieldState::Empty,
            Some(Severity::Error) => FieldState::Error,
            Some(Severity::Warning) => FieldState::Warning,
            None => FieldState::Ok,
        }
    }

    pub fn first_error(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.severity == Severity::Error)
    }
}

/// What validation needs besides the value: the other fields and today's date.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub procedure: &'a Procedure,
    pub values: &'a Values,
    pub today: Date,
}

impl<'a> Context<'a> {
    pub fn new(procedure: &'a Procedure, values: &'a Values, today: Date) -> Self {
        Self {
            procedure,
            values,
            today,
        }
    }

    /// The value that counts for a field: the entered one, else the derived one.
    pub fn effective(&self, id: &str) -> Option<(String, bool)> {
        self.effective_at(id, 0)
    }

    fn effective_at(&self, id: &str, depth: usize) -> Option<(String, bool)> {
        if let Some(v) = self.values.get(id).filter(|v| !v.is_empty()) {
            return Some((v.clone(), false));
        }
        let spec = self.procedure.field(id)?;
        let Some(template) = spec.derive.as_deref() else {
            return spec.default.clone().map(|d| (d, true));
        };
        if depth > 4 {
            return None;
        }
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            out.push_str(&rest[..open]);
            let src = &rest[open + 1..close];
            let (value, _) = self.effective_at(src, depth + 1)?;
            // Derive only from sources that are themselves valid.
            let src_spec = self.procedure.field(src)?;
            if check(src_spec, &value, self)
                .iter()
                .any(|p| p.severity == Severity::Error)
            {
                return None;
            }
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Some((out, true))
    }

    pub fn assess(&self, spec: &FieldSpec) -> Assessment {
        match self.effective(&spec.id) {
            None => Assessment {
                value: None,
                derived: false,
                problems: Vec::new(),
            },
            Some((value, derived)) => Assessment {
                problems: check(spec, &value, self),
                value: Some(value),
                derived,
            },
        }
    }
}

/// Clean a typed or pasted value for storing: trims surrounding white space and refuses
/// anything with control, escape or bidi characters inside (it is never stored or drawn).
pub fn clean_input(raw: &str, lang: Lang) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.contains(['\n', '\r']) {
        return Err(tr!(
            lang,
            "the text has a line break: paste a single line",
            "der Text enthält einen Zeilenumbruch: fügen Sie eine einzelne Zeile ein"
        ));
    }
    if has_unsafe_chars(trimmed) {
        return Err(tr!(
            lang,
            "the text has control, escape or direction-changing characters: type it again or copy it from the source once more",
            "der Text enthält Steuer-, Escape- oder Richtungszeichen: tippen Sie ihn neu oder kopieren Sie ihn noch einmal aus der Quelle"
        ));
    }
    Ok(trimmed.to_string())
}

/// Bring a cleaned value into its stored form (lower-case GUIDs, no trailing slash, ...).
pub fn normalize(spec: &FieldSpec, value: &str) -> String {
    let v = value.trim();
    match spec.kind {
        FieldKind::Guid => {
            let inner = v
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .unwrap_or(v)
                .trim();
            if is_guid(inner) {
                inner.to_ascii_lowercase()
            } else {
                v.to_string()
            }
        }
        FieldKind::Permissions => match crate::permissions::parse(v, crate::i18n::Lang::En) {
            Ok(list) => crate::permissions::format(&list),
            Err(_) => v.to_string(),
        },
        FieldKind::Url if spec.url_role == Some(UrlRole::Base) => {
            let mut s = v;
            while s.ends_with('/') && !s.ends_with("://") {
                s = s[..s.len() - 1].trim_end();
            }
            s.to_string()
        }
        _ => v.to_string(),
    }
}

/// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Every rule for a non-empty value of this field.
pub fn check(spec: &FieldSpec, value: &str, ctx: &Context<'_>) -> Vec<Problem> {
    let lang = ctx.procedure.lang();
    let mut problems = Vec::new();
    if has_unsafe_chars(value) {
        problems.push(Problem::error(tr!(
            lang,
            "contains control or escape characters: enter the value again",
            "enthält Steuer- oder Escape-Zeichen: geben Sie den Wert neu ein"
        )));
        return problems;
    }
    match spec.kind {
        FieldKind::Url => check_url(spec, value, ctx, &mut problems),
        FieldKind::Text => check_text(spec, value, lang, &mut problems),
        FieldKind::Choice => {
            if !spec.options.iter().any(|o| o.value == value) {
                problems.push(Problem::error(tr!(
                    lang,
                    "{value:?} is not one of the choices: pick one from the list (Enter)",
                    "{value:?} ist keine der Möglichkeiten: wählen Sie eine aus der Liste (Enter)"
                )));
            }
        }
        FieldKind::Date => check_date(value, ctx.today, lang, &mut problems),
        FieldKind::Guid => check_guid(value, lang, &mut problems),
        FieldKind::Secret => check_secret(value, lang, &mut problems),
        FieldKind::Permissions => {
            if let Err(list) = crate::permissions::parse(value, lang) {
                problems.extend(list.into_iter().map(Problem::error));
            }
        }
    }
    if let Some(other) = &spec.distinct_from
        && let Some((other_value, _)) = ctx.effective(other)
        && other_value == value
    {
        let default = tr!(
            lang,
            "must differ from the field {other}",
            "muss sich vom Feld {other} unterscheiden"
        );
        problems.push(Problem::error(
            spec.distinct_message.clone().unwrap_or(default),
        ));
    }
    problems
}

fn check_text(spec: &FieldSpec, value: &str, lang: Lang, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::error(tr!(
            lang,
            "must not be blank",
            "darf nicht leer sein"
        )));
    }
    if spec.charset == Some(Charset::Alnum) && !value.chars().all(|c| c.is_ascii_alphanumeric()) {
        problems.push(Problem::error(tr!(
            lang,
            "use only letters and digits (A-Z, a-z, 0-9), as Intrexx requires for this name",
            "nur Buchstaben und Ziffern (A-Z, a-z, 0-9) verwenden, wie Intrexx es für diesen Namen verlangt"
        )));
    }
}

fn check_guid(value: &str, lang: Lang, problems: &mut Vec<Problem>) {
    if !is_guid(value) {
        problems.push(Problem::error(tr!(
            lang,
            "not a GUID: expected 32 hex digits as 8-4-4-4-12, like 0b1c2d3e-1111-2222-3333-444455556666",
            "keine GUID: erwartet sind 32 Hexadezimalziffern als 8-4-4-4-12, z. B. 0b1c2d3e-1111-2222-3333-444455556666"
        )));
    }
}

/// Characters Microsoft's client secret values are made of.
fn is_secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '~' | '-')
}

fn check_secret(value: &str, lang: Lang, problems: &mut Vec<Problem>) {
    let inner = value
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(value);
    if is_guid(inner) {
        problems.push(Problem::error(tr!(
            lang,
            "this is a GUID: the Secret ID, not the secret. Copy the column \"Value\" on \"Certificates & secrets\" (it is shown only right after the secret was created; if it is hidden now, create a new secret)",
            "das ist eine GUID: die geheime ID, nicht der Schlüssel. Kopieren Sie die Spalte „Wert“ unter „Zertifikate & Geheimnisse“ (sie wird nur direkt nach dem Erstellen angezeigt; ist sie jetzt verborgen, erstellen Sie einen neuen geheimen Clientschlüssel)"
        )));
        return;
    }
    // Positions, never characters: the message must not leak the secret.
    if let Some(pos) = value.chars().position(|c| !is_secret_char(c)) {
        let pos = pos + 1;
        problems.push(Problem::error(tr!(
            lang,
            "character {pos} is not one a client secret contains (A-Z a-z 0-9 _ . ~ -): copy the value again",
            "Zeichen {pos} kommt in geheimen Clientschlüsseln nicht vor (A-Z a-z 0-9 _ . ~ -): kopieren Sie den Wert noch einmal"
        )));
    }
    let len = value.chars().count();
    if !(16..=64).contains(&len) {
        problems.push(Problem::error(tr!(
            lang,
            "{len} characters: a client secret has 16 to 64; copy the whole value",
            "{len} Zeichen: ein geheimer Clientschlüssel hat 16 bis 64; kopieren Sie den ganzen Wert"
        )));
        return;
    }
    if !value.contains("Q~") {
        problems.push(Problem::warning(tr!(
            lang,
            "no \"Q~\" marker, which current Azure secrets carry: check that you copied the Value column",
            "ohne die Markierung „Q~“, die aktuelle Azure-Schlüssel tragen: prüfen Sie, ob Sie die Spalte „Wert“ kopiert haben"
        )));
    } else if len != 40 && len != 37 {
        problems.push(Problem::warning(tr!(
            lang,
            "{len} characters: Azure secrets usually have 40; check that you copied all of it",
            "{len} Zeichen: Azure-Schlüssel haben meist 40; prüfen Sie, ob Sie alles kopiert haben"
        )));
    }
}

pub fn parse_date(value: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value, &format).ok()
}

pub fn format_date(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

/// The end date of a preset counted from `today`.
pub fn preset_date(today: Date, days: u32) -> Date {
    today.saturating_add(Duration::days(i64::from(days)))
}

fn check_date(value: &str, today: Date, lang: Lang, problems: &mut Vec<Problem>) {
    let Some(date) = parse_date(value) else {
        problems.push(Problem::error(tr!(
            lang,
            "not a date: enter it as YYYY-MM-DD, e.g. 2027-05-31",
            "kein Datum: geben Sie es als JJJJ-MM-TT ein, z. B. 2027-05-31"
        )));
        return;
    };
    let days = (date - today).whole_days();
    if days < 0 {
        problems.push(Problem::error(tr!(
            lang,
            "this date has passed: the secret has expired; create a new one (step 18)",
            "dieses Datum ist vorbei: der Schlüssel ist abgelaufen; erstellen Sie einen neuen (Schritt 18)"
        )));
    } else if days <= 30 {
        problems.push(Problem::warning(tr!(
            lang,
            "the secret expires in {days} days: plan a new one in time",
            "der Schlüssel läuft in {days} Tagen ab: planen Sie rechtzeitig einen neuen"
        )));
    } else if days > 730 {
        problems.push(Problem::warning(tr!(
            lang,
            "more than 24 months ahead: Azure allows at most 730 days",
            "mehr als 24 Monate voraus: Azure erlaubt höchstens 730 Tage"
        )));
    }
}

const FORBIDDEN_URI_CHARS: [char; 7] = ['!', '$', '\'', '(', ')', ',', ';'];

fn check_url(spec: &FieldSpec, value: &str, ctx: &Context<'_>, problems: &mut Vec<Problem>) {
    let lang = ctx.procedure.lang();
    let role = spec.url_role.unwrap_or(UrlRole::Redirect);
    if role == UrlRole::Redirect {
        let len = value.chars().count();
        if len > 256 {
            problems.push(Problem::error(tr!(
                lang,
                "{len} characters: Entra ID accepts at most 256",
                "{len} Zeichen: Entra ID nimmt höchstens 256"
            )));
        }
        if value.contains('*') {
            problems.push(Problem::error(tr!(
                lang,
                "contains \"*\": wildcards are not allowed in redirect URIs",
                "enthält „*“: Platzhalter sind in Umleitungs-URIs nicht erlaubt"
            )));
        }
        if let Some(c) = value.chars().find(|c| FORBIDDEN_URI_CHARS.contains(c)) {
            problems.push(Problem::error(tr!(
                lang,
                "contains {c:?}: Entra ID does not support ! $ ' ( ) , ; in redirect URIs",
                "enthält {c:?}: Entra ID unterstützt ! $ ' ( ) , ; in Umleitungs-URIs nicht"
            )));
        }
    }
    let url = match url::Url::parse(value) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            problems.push(Problem::error(tr!(
                lang,
                "not a full URL: add the scheme, e.g. https://portal.example.com",
                "keine vollständige URL: ergänzen Sie das Schema, z. B. https://portal.example.com"
            )));
            return;
        }
        Err(e) => {
            problems.push(Problem::error(tr!(
                lang,
                "not a valid URL ({e}): enter it like https://portal.example.com",
                "keine gültige URL ({e}): geben Sie sie ein wie https://portal.example.com"
            )));
            return;
        }
    };
    let host = url.host_str().unwrap_or("");
    if host == "[::1]" {
        problems.push(Problem::error(tr!(
            lang,
            "the IPv6 loopback [::1] is not supported by Entra ID: use localhost",
            "Entra ID unterstützt die IPv6-Loopback-Adresse [::1] nicht: verwenden Sie localhost"
        )));
    }
    let local = matches!(host, "localhost" | "127.0.0.1");
    match url.scheme() {
        "https" => {}
        "http" if local => {
            if role == UrlRole::Base {
                problems.push(Problem::warning(tr!(
                    lang,
                    "plain http works only for localhost: a production portal needs https",
                    "einfaches http geht nur für localhost: ein Produktivportal braucht https"
                )));
            }
        }
        "http" => problems.push(Problem::error(tr!(
            lang,
            "use https: Entra ID accepts plain http only for localhost",
            "verwenden Sie https: Entra ID nimmt einfaches http nur für localhost"
        ))),
        other => problems.push(Problem::error(tr!(
            lang,
            "the scheme {other}: is not supported: use https://",
            "das Schema {other}: wird nicht unterstützt: verwenden Sie https://"
        ))),
    }
    if host.is_empty() {
        problems.push(Problem::error(tr!(
            lang,
            "the URL has no host name",
            "die URL hat keinen Hostnamen"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        problems.push(Problem::error(tr!(
            lang,
            "remove the user name or password (the part before @)",
            "entfernen Sie Benutzername oder Passwort (den Teil vor @)"
        )));
    }
    if url.query().is_some() {
        problems.push(Problem::error(tr!(
            lang,
            "remove the query (the part from ?)",
            "entfernen Sie die Abfrage (den Teil ab ?)"
        )));
    }
    if url.fragment().is_some() {
        problems.push(Problem::error(tr!(
            lang,
            "remove the fragment (the part from #)",
            "entfernen Sie das Fragment (den Teil ab #)"
        )));
    }
    let path = url.path();
    match role {
        UrlRole::Base => {
            if path.ends_with("/oauth2callback.html") {
                problems.push(Problem::error(tr!(
                    lang,
                    "this is the OneDrive control's redirect URI, not the portal's base URL: remove /oauth2callback.html",
                    "das ist der Umleitungs-URI des OneDrive-Steuerelements, nicht die Basis-URL des Portals: entfernen Sie /oauth2callback.html"
                )));
            } else if path.contains("/oauth2/token/") {
                problems.push(Problem::error(tr!(
                    lang,
                    "this is the connector's redirect URI, not the portal's base URL: remove /oauth2/token/... from the end",
                    "das ist der Umleitungs-URI des Connectors, nicht die Basis-URL des Portals: entfernen Sie /oauth2/token/... am Ende"
                )));
            }
        }
        UrlRole::Redirect => check_redirect_path(spec, path, ctx, problems),
    }
    if let Some(other) = &spec.same_host_as
        && let Some((other_value, _)) = ctx.effective(other)
        && let Ok(other_url) = url::Url::parse(&other_value)
        && other_url.host_str() != url.host_str()
    {
        let theirs = other_url.host_str().unwrap_or("");
        problems.push(Problem::warning(tr!(
            lang,
            "the host {host} differs from the portal's ({theirs}): check that this URI belongs to this portal",
            "der Host {host} weicht von dem des Portals ab ({theirs}): prüfen Sie, ob dieser URI zu diesem Portal gehört"
        )));
    }
}

fn check_redirect_path(
    spec: &FieldSpec,
    path: &str,
    ctx: &Context<'_>,
    problems: &mut Vec<Problem>,
) {
    let lang = ctx.procedure.lang();
    if let Some(prefix) = &spec.path_prefix {
        match path.rfind(prefix.as_str()) {
            None => problems.push(Problem::error(tr!(
                lang,
                "the path must end in {prefix}<name> (the connector's URI from Intrexx)",
                "der Pfad muss auf {prefix}<Name> enden (der URI des Connectors aus Intrexx)"
            ))),
            Some(at) => {
                let name = &path[at + prefix.len()..];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    problems.push(Problem::error(tr!(
                        lang,
                        "the path must end in {prefix}<name>, the name in letters and digits",
                        "der Pfad muss auf {prefix}<Name> enden, der Name aus Buchstaben und Ziffern"
                    )));
                } else if let Some(rest_field) = &spec.path_rest_field
                    && let Some((expected, _)) = ctx.effective(rest_field)
                    && expected != name
                {
                    problems.push(Problem::warning(tr!(
                        lang,
                        "the name after {prefix} is {name:?}, but the collaboration name is {expected:?}",
                        "der Name nach {prefix} lautet {name:?}, der Name der Kollaboration aber {expected:?}"
                    )));
                }
            }
        }
    }
    if let Some(suffix) = &spec.path_suffix
        && !path.ends_with(suffix.as_str())
    {
        problems.push(Problem::error(tr!(
            lang,
            "the path must end in {suffix}",
            "der Pfad muss auf {suffix} enden"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 26);

    fn proc() -> Procedure {
        Procedure::embedded().unwrap()
    }

    fn problems_of(p: &Procedure, values: &[(&str, &str)], field: &str) -> Vec<Problem> {
        let values: Values = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let ctx = Context::new(p, &values, TODAY);
        ctx.assess(p.field(field).unwrap()).problems
    }

    fn state_of(p: &Procedure, values: &[(&str, &str)], field: &str) -> FieldState {
        let values: Values = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Context::new(p, &values, TODAY)
            .assess(p.field(field).unwrap())
            .state()
    }

    /// (field, value, expected state, a word the first message must contain)
    const CASES: &[(&str, &str, FieldState, &str)] = &[
        (
            "portal_url",
            "https://portal.example.com",
            FieldState::Ok,
            "",
        ),
        (
            "portal_url",
            "https://example.com/intrexx",
            FieldState::Ok,
            "",
        ),
        (
            "portal_url",
            "portal.example.com",
            FieldState::Error,
            "scheme",
        ),
        (
            "portal_url",
            "http://portal.example.com",
            FieldState::Error,
            "https",
        ),
        (
            "portal_url",
            "http://localhost:1337",
            FieldState::Warning,
            "localhost",
        ),
        (
            "portal_url",
            "https://a.com/?x=1",
            FieldState::Error,
            "query",
        ),
        (
            "portal_url",
            "https://a.com/#top",
            FieldState::Error,
            "fragment",
        ),
        (
            "portal_url",
            "https://me:pw@a.com",
            FieldState::Error,
            "password",
        ),
        (
            "portal_url",
            "https://a.com/oauth2callback.html",
            FieldState::Error,
            "OneDrive",
        ),
        (
            "portal_url",
            "https://a.com/oauth2/token/ms365-x",
            FieldState::Error,
            "connector",
        ),
        ("portal_url", "ftp://a.com", FieldState::Error, "scheme"),
        ("collaboration", "mycompany", FieldState::Ok, ""),
        ("collaboration", "My2Company", FieldState::Ok, ""),
        (
            "collaboration",
            "my-company",
            FieldState::Error,
            "letters and digits",
        ),
        (
            "collaboration",
            "my company",
            FieldState::Error,
            "letters and digits",
        ),
        ("app_name", "Intrexx Portal", FieldState::Ok, ""),
        ("app_name", "bad\u{7}bell", FieldState::Error, "control"),
        ("account_type", "AzureADMyOrg", FieldState::Ok, ""),
        ("account_type", "Everyone", FieldState::Error, "choices"),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/ms365-x",
            FieldState::Ok,
            "",
        ),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/x",
            FieldState::Error,
            "ms365-",
        ),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/ms365-",
            FieldState::Error,
            "letters",
        ),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/ms365-x#f",
            FieldState::Error,
            "fragment",
        ),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/ms365-x?a=b",
            FieldState::Error,
            "query",
        ),
        (
            "web_redirect_uri",
            "https://*.a.com/oauth2/token/ms365-x",
            FieldState::Error,
            "wildcard",
        ),
        (
            "web_redirect_uri",
            "https://a.com/oauth2/token/ms365-x;y",
            FieldState::Error,
            "does not support",
        ),
        (
            "web_redirect_uri",
            "http://a.com/oauth2/token/ms365-x",
            FieldState::Error,
            "https",
        ),
        (
            "web_redirect_uri",
            "http://localhost/oauth2/token/ms365-x",
            FieldState::Ok,
            "",
        ),
        (
            "web_redirect_uri",
            "https://[::1]/oauth2/token/ms365-x",
            FieldState::Error,
            "IPv6",
        ),
        (
            "spa_redirect_uri",
            "https://a.com/oauth2callback.html",
            FieldState::Ok,
            "",
        ),
        (
            "spa_redirect_uri",
            "https://a.com/callback.html",
            FieldState::Error,
            "oauth2callback.html",
        ),
        (
            "secret_description",
            "Intrexx connector",
            FieldState::Ok,
            "",
        ),
        ("secret_expiry", "2027-05-25", FieldState::Ok, ""),
        (
            "secret_expiry",
            "2026-12-10",
            FieldState::Warning,
            "expires in 14 days",
        ),
        ("secret_expiry", "2026-11-01", FieldState::Error, "passed"),
        (
            "secret_expiry",
            "2030-01-01",
            FieldState::Warning,
            "24 months",
        ),
        (
            "secret_expiry",
            "31.05.2027",
            FieldState::Error,
            "YYYY-MM-DD",
        ),
        (
            "client_id",
            "0b1c2d3e-1111-2222-3333-444455556666",
            FieldState::Ok,
            "",
        ),
        (
            "client_id",
            "0b1c2d3e-1111-2222-3333-44445555666",
            FieldState::Error,
            "GUID",
        ),
        (
            "client_id",
            "0b1c2d3e11112222333344445555666a",
            FieldState::Error,
            "GUID",
        ),
        (
            "client_id",
            "zb1c2d3e-1111-2222-3333-444455556666",
            FieldState::Error,
            "GUID",
        ),
        (
            "client_secret",
            "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
            FieldState::Ok,
            "",
        ),
        (
            "client_secret",
            "abc7Q~abcdefghijklmnopqrstuvwxyz01234",
            FieldState::Ok,
            "",
        ),
        (
            "client_secret",
            "abc8Q~abcdefghijklmnopqrstuvwxyz012345",
            FieldState::Warning,
            "38",
        ),
        (
            "client_secret",
            "0b1c2d3e-1111-2222-3333-444455556666",
            FieldState::Error,
            "Secret ID",
        ),
        (
            "client_secret",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
            FieldState::Warning,
            "Q~",
        ),
        (
            "client_secret",
            "abc8Q~short",
            FieldState::Error,
            "16 to 64",
        ),
        (
            "client_secret",
            "abc8Q~abcdefghijklmnop qrstuvwxyz01234567",
            FieldState::Error,
            "character 23",
        ),
    ];

    #[test]
    fn every_rule_good_and_bad() {
        let p = proc();
        for (field, value, state, word) in CASES {
            let problems = problems_of(&p, &[(field, value)], field);
            let got = state_of(&p, &[(field, value)], field);
            assert_eq!(got, *state, "{field} = {value:?}: {problems:?}");
            if !word.is_empty() {
                assert!(
                    problems.iter().any(|pr| pr.message.contains(word)),
                    "{field} = {value:?}: expected {word:?} in {problems:?}"
                );
            }
        }
    }

    #[test]
    fn redirect_uri_over_256_chars_is_an_error() {
        let p = proc();
        let long = format!("https://a.com/{}/oauth2callback.html", "x".repeat(250));
        let pr = problems_of(&p, &[("spa_redirect_uri", &long)], "spa_redirect_uri");
        assert!(
            pr.iter().any(|x| x.message.contains("at most 256")),
            "{pr:?}"
        );
    }

    #[test]
    fn derived_uris_follow_the_portal_url_and_name() {
        let p = proc();
        let values: Values = [
            (
                "portal_url".to_string(),
                "https://portal.example.com".to_string(),
            ),
            ("collaboration".to_string(), "mycompany".to_string()),
        ]
        .into();
        let ctx = Context::new(&p, &values, TODAY);
        assert_eq!(
            ctx.effective("web_redirect_uri"),
            Some((
                "https://portal.example.com/oauth2/token/ms365-mycompany".to_string(),
                true
            ))
        );
        let spa = ctx.assess(p.field("spa_redirect_uri").unwrap());
        assert_eq!(
            spa.value.as_deref(),
            Some("https://portal.example.com/oauth2callback.html")
        );
        assert!(spa.derived);
        assert_eq!(spa.state(), FieldState::Ok);
    }

    #[test]
    fn entered_value_wins_over_derived() {
        let p = proc();
        let values: Values = [
            (
                "portal_url".to_string(),
                "https://portal.example.com".to_string(),
            ),
            ("collaboration".to_string(), "mycompany".to_string()),
            (
                "web_redirect_uri".to_string(),
                "https://other.example.com/oauth2/token/ms365-mycompany".to_string(),
            ),
        ]
        .into();
        let ctx = Context::new(&p, &values, TODAY);
        let a = ctx.assess(p.field("web_redirect_uri").unwrap());
        assert!(!a.derived);
        assert_eq!(a.state(), FieldState::Warning, "{:?}", a.problems);
        assert!(a.problems[0].message.contains("differs from the portal"));
    }

    #[test]
    fn no_derivation_from_invalid_sources() {
        let p = proc();
        let values: Values = [
            ("portal_url".to_string(), "https://a.com".to_string()),
            ("collaboration".to_string(), "my-company".to_string()),
        ]
        .into();
        let ctx = Context::new(&p, &values, TODAY);
        assert_eq!(ctx.effective("web_redirect_uri"), None);
        assert!(ctx.effective("spa_redirect_uri").is_some());
    }

    #[test]
    fn web_uri_name_differing_from_collaboration_warns() {
        let p = proc();
        let pr = problems_of(
            &p,
            &[
                ("collaboration", "mycompany"),
                ("web_redirect_uri", "https://a.com/oauth2/token/ms365-other"),
            ],
            "web_redirect_uri",
        );
        assert_eq!(pr.len(), 1);
        assert_eq!(pr[0].severity, Severity::Warning);
    }

    #[test]
    fn same_uri_twice_is_an_error() {
        let p = proc();
        let same = "https://a.com/oauth2callback.html";
        let pr = problems_of(
            &p,
            &[("web_redirect_uri", same), ("spa_redirect_uri", same)],
            "spa_redirect_uri",
        );
        assert!(
            pr.iter().any(|x| x.message.contains("must differ")),
            "{pr:?}"
        );
    }

    #[test]
    fn client_id_equal_to_tenant_id_is_an_error() {
        let p = proc();
        let g = "0b1c2d3e-1111-2222-3333-444455556666";
        let pr = problems_of(&p, &[("client_id", g), ("tenant_id", g)], "tenant_id");
        assert!(
            pr.iter().any(|x| x.message.contains("copied twice")),
            "{pr:?}"
        );
    }

    #[test]
    fn guid_normalisation_accepts_braces_case_and_space() {
        let p = proc();
        let spec = p.field("client_id").unwrap();
        assert_eq!(
            normalize(spec, " {0B1C2D3E-1111-2222-3333-444455556666} "),
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        // Not a GUID: left as typed, so the error shows what the user entered.
        assert_eq!(normalize(spec, "nope"), "nope");
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let p = proc();
        let spec = p.field("portal_url").unwrap();
        assert_eq!(
            normalize(spec, "https://portal.example.com/"),
            "https://portal.example.com"
        );
        assert_eq!(
            normalize(spec, "https://a.com/portal//"),
            "https://a.com/portal"
        );
    }

    fn clean_input_en(s: &str) -> Result<String, String> {
        clean_input(s, Lang::En)
    }

    #[test]
    fn clean_input_refuses_control_and_line_breaks() {
        assert_eq!(clean_input_en("  abc \n").unwrap(), "abc");
        assert!(clean_input_en("a\nb").unwrap_err().contains("line break"));
        assert!(clean_input_en("\u{1b}]0;pwned\u{7}").is_err());
        assert!(clean_input_en("abc\u{202e}def").is_err());
        assert!(clean_input_en("a\0b").is_err());
    }

    #[test]
    fn secret_messages_never_contain_the_secret() {
        let p = proc();
        let secret = "abc8Q~abcdefghijklmnop qrstuvwxyz01234567";
        for pr in problems_of(&p, &[("client_secret", secret)], "client_secret") {
            assert!(!pr.message.contains("abc8Q~"), "{}", pr.message);
        }
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("{a}/x/{b}c"), ["a", "b"]);
        assert!(placeholders("none").is_empty());
    }
}
