//! The rules: every check of a value, derivation from other fields, and a field's assessment.

use time::Date;

use super::input::{is_guid, parse_date};
use super::spec::{Charset, FieldKind, FieldSpec, UrlRole, Values};
use crate::i18n::Lang;
use crate::text::has_unsafe_chars;
use crate::tr;

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

/// What validation needs besides the value: the fields' specs, the language of the messages,
/// the other fields' values and today's date. (`Procedure::context` makes one.)
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub specs: &'a [FieldSpec],
    pub lang: Lang,
    pub values: &'a Values,
    pub today: Date,
}

impl<'a> Context<'a> {
    pub fn new(specs: &'a [FieldSpec], lang: Lang, values: &'a Values, today: Date) -> Self {
        Self {
            specs,
            lang,
            values,
            today,
        }
    }

    fn spec(&self, id: &str) -> Option<&'a FieldSpec> {
        self.specs.iter().find(|f| f.id == id)
    }

    /// The value that counts for a field: the entered one, else the derived one.
    pub fn effective(&self, id: &str) -> Option<(String, bool)> {
        self.effective_at(id, 0)
    }

    fn effective_at(&self, id: &str, depth: usize) -> Option<(String, bool)> {
        if let Some(v) = self.values.get(id).filter(|v| !v.is_empty()) {
            return Some((v.clone(), false));
        }
        let spec = self.spec(id)?;
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
            let src_spec = self.spec(src)?;
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

/// Every rule for a non-empty value of this field.
pub fn check(spec: &FieldSpec, value: &str, ctx: &Context<'_>) -> Vec<Problem> {
    let lang = ctx.lang;
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
                    "{value:?} ist keine der Möglichkeiten: wählen Sie eine aus der Liste (Enter)",
                    value = value,
                )));
            }
        }
        FieldKind::Date => check_date(value, ctx.today, lang, &mut problems),
        FieldKind::Guid => check_guid(value, lang, &mut problems),
        FieldKind::Secret => check_secret(value, lang, &mut problems),
        FieldKind::Permissions => {
            if let Err(list) = crate::core::permissions::parse(value) {
                use crate::i18n::Worded;
                problems.extend(list.iter().map(|p| Problem::error(p.message(lang))));
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
            "muss sich vom Feld {other} unterscheiden",
            other = other,
        );
        problems.push(Problem::error(
            spec.distinct_message.clone().unwrap_or(default),
        ));
    }
    // A secret that takes another's place (the renewal's new one) must be new: the same value,
    // or one that starts like it (Graph's hint), is the old secret pasted again.
    if let Some(target) = &spec.replaces
        && spec.is_secret()
        && let Some((old, _)) = ctx.effective(target)
        && crate::core::progress::hint(&old) == crate::core::progress::hint(value)
    {
        problems.push(Problem::error(tr!(
            lang,
            "this is the secret azreg records already (it starts like it): copy the Value of the new secret you just created",
            "das ist der Schlüssel, den azreg schon führt (er beginnt genauso): kopieren Sie den Wert des neuen Schlüssels, den Sie gerade erstellt haben"
        )));
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
            "Zeichen {pos} kommt in geheimen Clientschlüsseln nicht vor (A-Z a-z 0-9 _ . ~ -): kopieren Sie den Wert noch einmal",
            pos = pos,
        )));
    }
    let len = value.chars().count();
    if !(16..=64).contains(&len) {
        problems.push(Problem::error(tr!(
            lang,
            "{}: a client secret has 16 to 64; copy the whole value",
            "{}: ein geheimer Clientschlüssel hat 16 bis 64; kopieren Sie den ganzen Wert",
            crate::i18n::nouns::CHARACTERS.count(lang, len as i64)
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
            "{len} Zeichen: Azure-Schlüssel haben meist 40; prüfen Sie, ob Sie alles kopiert haben",
            len = len,
        )));
    }
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
            "this date has passed: the secret has expired; create a new client secret",
            "dieses Datum ist vorbei: der Schlüssel ist abgelaufen; erstellen Sie einen neuen geheimen Clientschlüssel"
        )));
    } else if days <= 30 {
        problems.push(Problem::warning(tr!(
            lang,
            "the secret expires in {}: plan a new one in time",
            "der Schlüssel läuft in {} ab: planen Sie rechtzeitig einen neuen",
            crate::i18n::nouns::DAYS_DATIVE.count(lang, days)
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

#[allow(
    clippy::too_many_lines,
    reason = "one check per rule of a redirect URI (Entra's and Intrexx's), in the order they are reported"
)]
fn check_url(spec: &FieldSpec, value: &str, ctx: &Context<'_>, problems: &mut Vec<Problem>) {
    let lang = ctx.lang;
    let role = spec.url_role.unwrap_or(UrlRole::Redirect);
    if role == UrlRole::Redirect {
        let len = value.chars().count();
        if len > 256 {
            problems.push(Problem::error(tr!(
                lang,
                "{len} characters: Entra ID accepts at most 256",
                "{len} Zeichen: Entra ID nimmt höchstens 256",
                len = len,
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
                "enthält {c:?}: Entra ID unterstützt ! $ ' ( ) , ; in Umleitungs-URIs nicht",
                c = c,
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
                "keine gültige URL ({e}): geben Sie sie ein wie https://portal.example.com",
                e = e,
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
            "das Schema {other}: wird nicht unterstützt: verwenden Sie https://",
            other = other,
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
                    "das ist der Umleitungs-URI der MS365 OneDrive-Kontrolle, nicht die Basis-URL des Portals: entfernen Sie /oauth2callback.html"
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
            "der Host {host} weicht von dem des Portals ab ({theirs}): prüfen Sie, ob dieser URI zu diesem Portal gehört",
            host = host,
            theirs = theirs,
        )));
    }
}

fn check_redirect_path(
    spec: &FieldSpec,
    path: &str,
    ctx: &Context<'_>,
    problems: &mut Vec<Problem>,
) {
    let lang = ctx.lang;
    if let Some(prefix) = &spec.path_prefix {
        match path.rfind(prefix.as_str()) {
            None => problems.push(Problem::error(tr!(
                lang,
                "the path must end in {prefix}<name> (the connector's URI from Intrexx)",
                "der Pfad muss auf {prefix}<Name> enden (der URI des Connectors aus Intrexx)",
                prefix = prefix,
            ))),
            Some(at) => {
                let name = &path[at + prefix.len()..];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    problems.push(Problem::error(tr!(
                        lang,
                        "the path must end in {prefix}<name>, the name in letters and digits",
                        "der Pfad muss auf {prefix}<Name> enden, der Name aus Buchstaben und Ziffern",
                        prefix = prefix,
                    )));
                } else if let Some(rest_field) = &spec.path_rest_field
                    && let Some((expected, _)) = ctx.effective(rest_field)
                    && expected != name
                {
                    problems.push(Problem::warning(tr!(
                        lang,
                        "the name after {prefix} is {name:?}, but the collaboration name is {expected:?}",
                        "der Name nach {prefix} lautet {name:?}, der Name der Kollaboration aber {expected:?}",
                        prefix = prefix,
                        name = name,
                        expected = expected,
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
            "der Pfad muss auf {suffix} enden",
            suffix = suffix,
        )));
    }
}
