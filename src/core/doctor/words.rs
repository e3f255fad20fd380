//! The findings in words, both languages.

use super::What;
#[cfg(test)]
use crate::core::plan::Platform;
use crate::i18n::{Lang, Worded};
use crate::tr;

/// A permission by name, an application permission said as such.
fn permission_label(name: &str, application: bool, lang: Lang) -> String {
    if application {
        tr!(
            lang,
            "{name} (Application)",
            "{name} (Anwendung)",
            name = name
        )
    } else {
        name.to_string()
    }
}

impl Worded for What {
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per finding, its wording in both languages: a table read as one"
    )]
    fn message(&self, lang: Lang) -> String {
        match self {
            What::OtherTenant {
                recorded,
                signed_in,
            } => tr!(
                lang,
                "signed in to the tenant {signed_in}, but the record names {recorded}: sign in there (--tenant {recorded})",
                "angemeldet beim Mandanten {signed_in}, aber der Datensatz nennt {recorded}: melden Sie sich dort an (--tenant {recorded})",
                signed_in = signed_in,
                recorded = recorded,
            ),
            What::NoApp { client_id } if client_id.is_empty() => tr!(
                lang,
                "no app is recorded, and none was found",
                "keine App erfasst, und keine gefunden"
            ),
            What::NoApp { client_id } => tr!(
                lang,
                "the signed-in tenant has no app with {client_id}",
                "der angemeldete Mandant hat keine App mit {client_id}",
                client_id = client_id,
            ),
            What::App { name, client_id } => tr!(
                lang,
                "the app {name} ({client_id}) is in the signed-in tenant",
                "die App {name} ({client_id}) ist im angemeldeten Mandanten",
                name = name,
                client_id = client_id,
            ),
            What::Audience { found, wanted } => tr!(
                lang,
                "the supported account types are {found}, the record asks for {wanted}",
                "die unterstützten Kontotypen sind {found}, der Datensatz verlangt {wanted}",
                found = found,
                wanted = wanted,
            ),
            What::UriOk { uri, platform } => tr!(
                lang,
                "redirect URI on the {p} platform: {uri}",
                "Umleitungs-URI auf der Plattform {p}: {uri}",
                p = platform.name(lang),
                uri = uri,
            ),
            What::UriWrongPlatform { uri, platform, on } => tr!(
                lang,
                "the redirect URI {uri} is under the {other} platform, but belongs under {p}",
                "der Umleitungs-URI {uri} steht unter der Plattform {other}, gehört aber unter {p}",
                uri = uri,
                other = on.name(lang),
                p = platform.name(lang),
            ),
            What::UriMissing { uri, platform } => tr!(
                lang,
                "the redirect URI {uri} is missing (platform {p})",
                "der Umleitungs-URI {uri} fehlt (Plattform {p})",
                uri = uri,
                p = platform.name(lang),
            ),
            What::OtherUri { uri, platform } => tr!(
                lang,
                "another redirect URI on the app ({platform}): {uri}",
                "ein weiterer Umleitungs-URI an der App ({platform}): {uri}",
                platform = platform.property(),
                uri = uri,
            ),
            What::NoSp { client_id } => tr!(
                lang,
                "the app has no service principal (Enterprise application): sign-ins fail (AADSTS7000229); by hand: the app's Overview, link \"Managed application in local directory\" > Create, or az ad sp create --id {client_id}",
                "die App hat keinen Dienstprinzipal (Unternehmensanwendung): Anmeldungen schlagen fehl (AADSTS7000229); von Hand: in der Übersicht der App den Link „Verwaltete Anwendung im lokalen Verzeichnis“ > Erstellen, oder az ad sp create --id {client_id}",
                client_id = client_id,
            ),
            What::SpDisabled => tr!(
                lang,
                "the service principal is disabled: enable it (Enterprise applications > Properties)",
                "der Dienstprinzipal ist deaktiviert: aktivieren Sie ihn (Unternehmensanwendungen > Eigenschaften)"
            ),
            What::SpOk => tr!(
                lang,
                "the service principal exists and is enabled",
                "der Dienstprinzipal existiert und ist aktiviert"
            ),
            What::PermissionMissing { name, application } => tr!(
                lang,
                "the API permission {name} is not on the app",
                "die API-Berechtigung {name} fehlt an der App",
                name = permission_label(name, *application, lang),
            ),
            What::PermissionsOk { count } => tr!(
                lang,
                "all {count} chosen API permissions are on the app",
                "alle {count} gewählten API-Berechtigungen sind an der App",
                count = count,
            ),
            What::ConsentMissing { names } => tr!(
                lang,
                "admin consent is missing for {names}",
                "die Administratorzustimmung fehlt für {names}",
                names = names
                    .iter()
                    .map(|(n, a)| permission_label(n, *a, lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            What::ConsentOk => tr!(
                lang,
                "admin consent is in place for every chosen permission",
                "die Administratorzustimmung liegt für jede gewählte Berechtigung vor"
            ),
            What::SecretOk { hint, end, days } => tr!(
                lang,
                "the secret in use ({hint}…) is on the app and valid until {end} ({days} days left)",
                "der verwendete Schlüssel ({hint}…) ist an der App und gültig bis {end} (noch {days} Tage)",
                hint = hint,
                end = end,
                days = days,
            ),
            What::SecretExpiring { hint, end, days } => tr!(
                lang,
                "the secret in use ({hint}…) expires on {end}, in {days} days: renew it (azreg apply --renew)",
                "der verwendete Schlüssel ({hint}…) läuft am {end} ab, in {days} Tagen: erneuern Sie ihn (azreg apply --renew)",
                hint = hint,
                end = end,
                days = days,
            ),
            What::SecretExpired { hint, end } => tr!(
                lang,
                "the secret in use ({hint}…) expired on {end}: the connector no longer signs in",
                "der verwendete Schlüssel ({hint}…) ist am {end} abgelaufen: der Connector meldet sich nicht mehr an",
                hint = hint,
                end = end,
            ),
            What::SecretNotOnApp { hint } => tr!(
                lang,
                "no secret on the app starts like the recorded one ({hint}…): it was removed, or the record holds another app's",
                "kein Schlüssel an der App beginnt wie der erfasste ({hint}…): er wurde entfernt, oder der Datensatz hat den einer anderen App",
                hint = hint,
            ),
            What::NoSecretRecorded => tr!(
                lang,
                "no client secret is recorded: which one Intrexx uses cannot be told",
                "kein geheimer Clientschlüssel erfasst: welchen Intrexx verwendet, lässt sich nicht sagen"
            ),
            What::ExpiryDiffers { recorded, azure } => tr!(
                lang,
                "the recorded expiry {recorded} is not Azure's ({azure}): correct it (azreg set secret_expiry {azure})",
                "das erfasste Ablaufdatum {recorded} ist nicht das von Azure ({azure}): korrigieren Sie es (azreg set secret_expiry {azure})",
                recorded = recorded,
                azure = azure,
            ),
            What::OtherSecret { hint, name, end } => tr!(
                lang,
                "another secret on the app: {name} ({hint}…), valid until {end}",
                "ein weiterer Schlüssel an der App: {name} ({hint}…), gültig bis {end}",
                name = name,
                hint = hint,
                end = end,
            ),
            What::Rotation { hint, on_app: true } => tr!(
                lang,
                "a rotation is in progress: the old secret ({hint}…) stays on the app until Intrexx uses the new one (azreg apply --remove-old then removes it)",
                "eine Rotation ist im Gang: der alte Schlüssel ({hint}…) bleibt an der App, bis Intrexx den neuen nutzt (azreg apply --remove-old entfernt ihn dann)",
                hint = hint,
            ),
            What::Rotation {
                hint,
                on_app: false,
            } => tr!(
                lang,
                "a rotation is recorded, but its old secret ({hint}…) is no longer on the app: azreg apply --remove-old closes it",
                "eine Rotation ist erfasst, aber ihr alter Schlüssel ({hint}…) ist nicht mehr an der App: azreg apply --remove-old schließt sie",
                hint = hint,
            ),
            What::NoOwners => tr!(
                lang,
                "the app has no owners: only administrators can maintain it (the app's Owners page)",
                "die App hat keine Besitzer: nur Administratoren können sie pflegen (Seite „Besitzer“ der App)"
            ),
            What::Owners { names } => tr!(
                lang,
                "owners: {names}",
                "Besitzer: {names}",
                names = names.join(", "),
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for What {
    fn samples() -> Vec<Self> {
        let s = |x: &str| x.to_string();
        vec![
            What::OtherTenant {
                recorded: s("a"),
                signed_in: s("b"),
            },
            What::NoApp {
                client_id: String::new(),
            },
            What::NoApp { client_id: s("c") },
            What::App {
                name: s("n"),
                client_id: s("c"),
            },
            What::Audience {
                found: s("f"),
                wanted: s("w"),
            },
            What::UriOk {
                uri: s("u"),
                platform: Platform::Spa,
            },
            What::UriWrongPlatform {
                uri: s("u"),
                platform: Platform::Spa,
                on: Platform::Web,
            },
            What::UriMissing {
                uri: s("u"),
                platform: Platform::Web,
            },
            What::OtherUri {
                uri: s("u"),
                platform: Platform::Web,
            },
            What::NoSp {
                client_id: s("0b1c2d3e-1111-2222-3333-444455556666"),
            },
            What::SpDisabled,
            What::SpOk,
            What::PermissionMissing {
                name: s("User.Read"),
                application: true,
            },
            What::PermissionsOk { count: 2 },
            What::ConsentMissing {
                names: vec![(s("User.Read"), false)],
            },
            What::ConsentOk,
            What::SecretOk {
                hint: s("abc"),
                end: s("2099-01-01"),
                days: 3,
            },
            What::SecretExpiring {
                hint: s("abc"),
                end: s("2099-01-01"),
                days: 3,
            },
            What::SecretExpired {
                hint: s("abc"),
                end: s("2099-01-01"),
            },
            What::SecretNotOnApp { hint: s("abc") },
            What::NoSecretRecorded,
            What::ExpiryDiffers {
                recorded: s("2099-01-01"),
                azure: s("2099-02-02"),
            },
            What::OtherSecret {
                hint: s("abc"),
                name: s("n"),
                end: s("2099-01-01"),
            },
            What::NoOwners,
            What::Rotation {
                hint: s("abc"),
                on_app: true,
            },
            What::Rotation {
                hint: s("abc"),
                on_app: false,
            },
            What::Owners {
                names: vec![s("o")],
            },
        ]
    }
}
