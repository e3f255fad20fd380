//! A plan as people read it (both languages, what to look at marked) and as scripts read it
//! (`azreg plan --json`: each write as `{method, path, body}` in order).

use serde_json::{Value, json};

use super::{Change, Ids, Lookup, Mark, Note, Op, Plan, Platform, Refusal, RemoveWhy, Who};
use crate::i18n::{L, Lang};
use crate::tr;

/// One line of a shown plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Something to look at before saying yes (shown with `!`).
    pub marked: bool,
    /// 0: a heading or an operation; 1: a detail of the one above.
    pub indent: u8,
}

impl Line {
    fn new(text: String, indent: u8) -> Line {
        Line {
            text: crate::text::one_line(&text).into_owned(),
            marked: false,
            indent,
        }
    }
    fn marked(text: String, indent: u8) -> Line {
        Line {
            marked: true,
            ..Line::new(text, indent)
        }
    }
}

fn platform(p: Platform, lang: Lang) -> &'static str {
    p.name(lang)
}

/// "Signed in as … to … (…)".
pub fn who_text(who: &Who, lang: Lang) -> String {
    let account = who.shown(lang);
    let tenant = match &who.tenant_name {
        Some(n) => format!("{n} ({})", who.tenant_id),
        None => who.tenant_id.clone(),
    };
    tr!(
        lang,
        "Signed in as {account} to {tenant}",
        "Angemeldet als {account} bei {tenant}",
        account = account,
        tenant = tenant,
    )
}

fn mark_text(m: &Mark, lang: Lang) -> String {
    match m {
        Mark::StopsConnector => tr!(
            lang,
            "removed in the same run as the new secret is added: the connector stops until Intrexx has the new value (without --remove-old-now the old secret stays until then)",
            "im selben Lauf entfernt, in dem der neue Schlüssel hinzukommt: der Connector steht, bis Intrexx den neuen Wert hat (ohne --remove-old-now bleibt der alte bis dahin)"
        ),
        Mark::ApplicationPermission(name) => tr!(
            lang,
            "{name} is an application permission: the app uses it on its own, for the whole tenant",
            "{name} ist eine Anwendungsberechtigung: die App nutzt sie selbstständig, für den ganzen Mandanten",
            name = name,
        ),
        Mark::BeyondConnector(name) => tr!(
            lang,
            "{name} is not among the permissions Intrexx documents for the connector (as far as azreg knows): is it needed?",
            "{name} gehört nicht zu den Berechtigungen, die Intrexx für den Connector dokumentiert (soweit azreg weiß): wird sie gebraucht?",
            name = name,
        ),
        Mark::ForeignOrigin(uri) => tr!(
            lang,
            "{uri} is not on the portal's address",
            "{uri} liegt nicht unter der Adresse des Portals",
            uri = uri,
        ),
        Mark::SecretToHost(host) => tr!(
            lang,
            "the new secret is sent to {host}, which the progress file names: not Microsoft's identity platform, not named on the command line",
            "der neue Schlüssel wird an {host} gesendet, das die Fortschrittsdatei nennt: nicht Microsofts Identitätsplattform, nicht auf der Befehlszeile genannt",
            host = host,
        ),
        Mark::RecordedSecret => tr!(
            lang,
            "this is the secret azreg recorded, the one Intrexx uses: the connector stops signing in until Intrexx has another valid one",
            "dies ist der Schlüssel, den azreg erfasst hat und den Intrexx verwendet: der Connector meldet sich nicht mehr an, bis Intrexx einen anderen gültigen hat"
        ),
        Mark::EndsConnector => tr!(
            lang,
            "every sign-in of the connector ends; Entra ID keeps the app among its deleted applications for 30 days (restore it there)",
            "jede Anmeldung des Connectors endet; Entra ID behält die App 30 Tage unter den gelöschten Anwendungen (dort wiederherstellen)"
        ),
    }
}

fn note_text(n: &Note, lang: Lang) -> String {
    match n {
        Note::ForeignUri { uri, platform: p } => tr!(
            lang,
            "already on the app, not put there by azreg ({p}): {uri}; it stays (remove it in the portal if it is not yours)",
            "schon an der App, nicht von azreg eingetragen ({p}): {uri}; bleibt (entfernen Sie ihn im Portal, wenn er nicht Ihrer ist)",
            p = platform(*p, lang),
            uri = uri,
        ),
        Note::ExtraPermission(name) => tr!(
            lang,
            "the app also has {name}, which the record does not ask for; it stays",
            "die App hat auch {name}, was der Datensatz nicht verlangt; bleibt",
            name = name,
        ),
        Note::SecretInPlace { hint, end } => tr!(
            lang,
            "the recorded client secret ({hint}…, valid until {end}) is on the app: no new one (--new-secret adds one)",
            "der erfasste geheime Clientschlüssel ({hint}…, gültig bis {end}) ist an der App: kein neuer (--new-secret fügt einen hinzu)",
            hint = hint,
            end = end,
        ),
        Note::Unproven { hint, key_id } => tr!(
            lang,
            "a client secret ({hint}…, key {key_id}) starts when an interrupted run's did, but lacks its mark: not azreg's for sure, so it stays (remove it in the portal if it is that run's)",
            "ein geheimer Clientschlüssel ({hint}…, Schlüssel {key_id}) beginnt zur selben Zeit wie der eines unterbrochenen Laufs, trägt aber nicht dessen Kennzeichen: nicht sicher von azreg, daher bleibt er (entfernen Sie ihn im Portal, wenn er von jenem Lauf stammt)",
            hint = hint,
            key_id = key_id,
        ),
        Note::RotationOpen { hint } => tr!(
            lang,
            "a rotation is in progress: the old secret ({hint}…) stays until Intrexx is shown to use the new one (azreg apply --remove-old ends it)",
            "eine Rotation ist im Gang: der alte Schlüssel ({hint}…) bleibt, bis Intrexx nachweislich den neuen nutzt (azreg apply --remove-old beendet sie)",
            hint = hint,
        ),
        Note::KeepsOld { hint } => tr!(
            lang,
            "the old secret ({hint}…) stays, so the connector keeps working: enter the new value in Intrexx (Portal Manager > Integration > Collaboration > Connector for Microsoft 365 and Teams > the registration > Authentication; azreg export --format intrexx --reveal-secret shows it), test the connector, then azreg apply --remove-old removes the old one",
            "der alte Schlüssel ({hint}…) bleibt, damit der Connector weiterläuft: tragen Sie den neuen Wert in Intrexx ein (Portal Manager > Integration > Collaboration > Connector für Microsoft 365 und Teams > die Registrierung > Authentifizierung; azreg export --format intrexx --reveal-secret zeigt ihn), testen Sie den Connector, dann entfernt azreg apply --remove-old den alten",
            hint = hint,
        ),
        Note::ClaimRefused { hint, key_id } => tr!(
            lang,
            "the progress file calls the client secret {hint}… (key {key_id}) one a cut-off run never saved, but it is the recorded secret or the app's only valid one: it stays",
            "die Fortschrittsdatei nennt den geheimen Clientschlüssel {hint}… (Schlüssel {key_id}) einen, den ein abgebrochener Lauf nie gespeichert hat, aber er ist der erfasste oder der einzige gültige der App: er bleibt",
            hint = hint,
            key_id = key_id,
        ),
        Note::SpDisabled => tr!(
            lang,
            "the service principal is disabled: sign-ins fail until it is enabled (Enterprise applications > Properties)",
            "der Dienstprinzipal ist deaktiviert: Anmeldungen schlagen fehl, bis er aktiviert ist (Unternehmensanwendungen > Eigenschaften)"
        ),
        Note::NothingToRemove => tr!(
            lang,
            "the old secret azreg recorded is not on the app: nothing to remove",
            "der alte Schlüssel, den azreg erfasst hat, ist nicht an der App: nichts zu entfernen"
        ),
    }
}

fn names(list: &[String]) -> String {
    list.join(", ")
}

/// A `signInAudience` as the portal words it, in the language, with Graph's value beside:
/// "Nur Konten in diesem Organisationsverzeichnis (einzelner Mandant) (AzureADMyOrg)". The
/// words come from the procedure's choices (data), not from here.
fn audience(code: &str, lang: Lang) -> String {
    // The plan is drawn every frame while its overlay shows: the procedure's choices are read
    // once per language, not parsed again for each line.
    type Choices = Vec<(String, String)>;
    static CHOICES: [std::sync::OnceLock<Choices>; 3] = [const { std::sync::OnceLock::new() }; 3];
    let slot = match lang {
        Lang::En => 0,
        Lang::De => 1,
        Lang::Pseudo => 2,
    };
    let choices = CHOICES[slot].get_or_init(|| {
        crate::core::procedure::Procedure::embedded_in(lang)
            .ok()
            .and_then(|p| {
                let f = p.field("account_type")?;
                Some(
                    f.options
                        .iter()
                        .map(|o| (o.value.clone(), o.label.clone()))
                        .collect(),
                )
            })
            .unwrap_or_default()
    });
    match choices.iter().find(|(value, _)| value == code) {
        Some((_, words)) => format!("{words} ({code})"),
        None => code.to_string(),
    }
}

/// The operation in one line, and its details.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per operation, its wording in both languages: a table read as one"
)]
fn op_lines(op: &Op, lang: Lang) -> (String, Vec<String>) {
    match op {
        Op::CreateApp {
            key,
            name,
            audience,
            redirect_uris,
            permissions,
        } => {
            let perms: Vec<String> = permissions
                .iter()
                .map(|a| {
                    let n = crate::core::permissions::name_of(&a.id, a.kind).unwrap_or(&a.id);
                    match a.kind {
                        crate::core::permissions::Kind::Delegated => n.to_string(),
                        crate::core::permissions::Kind::Application => {
                            format!("{n} ({})", a.kind.label(lang))
                        }
                    }
                })
                .collect();
            (
                tr!(
                    lang,
                    "create the app registration {name:?} (key {key})",
                    "die App-Registrierung {name:?} anlegen (Schlüssel {key})",
                    name = name,
                    key = key,
                ),
                std::iter::once(tr!(
                    lang,
                    "account types: {a}",
                    "Kontotypen: {a}",
                    a = self::audience(audience, lang)
                ))
                .chain(
                    redirect_uris
                        .iter()
                        .map(|(p, uri)| format!("{}: {uri}", platform(p, lang))),
                )
                .chain([tr!(
                    lang,
                    "API permissions: {p}",
                    "API-Berechtigungen: {p}",
                    p = names(&perms)
                )])
                .collect(),
            )
        }
        Op::UpdateApp {
            object_id, changes, ..
        } => {
            let details = changes
                .iter()
                .map(|c| match c {
                    Change::DisplayName { from, to } => tr!(
                        lang,
                        "display name: {from:?} → {to:?}",
                        "Anzeigename: {from:?} → {to:?}",
                        from = from,
                        to = to,
                    ),
                    Change::Audience { from, to } => tr!(
                        lang,
                        "account types: {from} → {to}",
                        "Kontotypen: {from} → {to}",
                        from = audience(from, lang),
                        to = audience(to, lang),
                    ),
                    Change::RedirectUris {
                        platform: p,
                        from,
                        to,
                    } => {
                        let added: Vec<String> =
                            to.iter().filter(|u| !from.contains(u)).cloned().collect();
                        let gone: Vec<String> =
                            from.iter().filter(|u| !to.contains(u)).cloned().collect();
                        let mut parts = Vec::new();
                        if !added.is_empty() {
                            parts.push(tr!(lang, "add {u}", "{u} hinzufügen", u = names(&added)));
                        }
                        if !gone.is_empty() {
                            parts.push(tr!(
                                lang,
                                "take away {u} (it belongs to the other platform)",
                                "{u} wegnehmen (gehört zur anderen Plattform)",
                                u = names(&gone)
                            ));
                        }
                        format!(
                            "{} {}: {}",
                            platform(*p, lang),
                            L::new("redirect URIs", "Umleitungs-URIs").get(lang),
                            parts.join("; ")
                        )
                    }
                    Change::Permissions { from, to } => {
                        let added: Vec<String> = to
                            .iter()
                            .filter(|a| !from.contains(a))
                            .map(|a| {
                                crate::core::permissions::name_of(&a.id, a.kind)
                                    .unwrap_or(&a.id)
                                    .to_string()
                            })
                            .collect();
                        tr!(
                            lang,
                            "API permissions: add {p}",
                            "API-Berechtigungen: {p} hinzufügen",
                            p = names(&added)
                        )
                    }
                })
                .collect();
            (
                tr!(
                    lang,
                    "update the app registration (object {id})",
                    "die App-Registrierung ändern (Objekt {id})",
                    id = object_id,
                ),
                details,
            )
        }
        Op::AddOwner { user, .. } => (
            tr!(
                lang,
                "add {user} as owner of the app (so it stays maintainable without an administrator role)",
                "{user} als Besitzer der App eintragen (damit sie ohne Administratorrolle pflegbar bleibt)",
                user = user,
            ),
            Vec::new(),
        ),
        Op::CreateServicePrincipal { .. } => (
            tr!(
                lang,
                "create its service principal (Enterprise application; without it Entra ID refuses every sign-in)",
                "ihren Dienstprinzipal anlegen (Unternehmensanwendung; ohne ihn lehnt Entra ID jede Anmeldung ab)"
            ),
            Vec::new(),
        ),
        Op::RemoveSecret {
            key_id, hint, why, ..
        } => (
            match why {
                RemoveWhy::Orphaned => tr!(
                    lang,
                    "remove the client secret {hint}… (key {key}) that a cut-off run asked for, as the progress file says (its start and mark match): its value was never saved",
                    "den geheimen Clientschlüssel {hint}… (Schlüssel {key}) entfernen, den ein abgebrochener Lauf angefordert hat, wie die Fortschrittsdatei sagt (Beginn und Kennzeichen stimmen): sein Wert wurde nie gespeichert",
                    hint = hint,
                    key = key_id,
                ),
                RemoveWhy::Asked => tr!(
                    lang,
                    "remove the client secret {hint}… (key {key})",
                    "den geheimen Clientschlüssel {hint}… entfernen (Schlüssel {key})",
                    hint = hint,
                    key = key_id,
                ),
                RemoveWhy::Renewed => tr!(
                    lang,
                    "once the new secret passed the check: remove the old client secret {hint}… (key {key}, the one azreg recorded)",
                    "sobald der neue Schlüssel die Prüfung bestanden hat: den alten geheimen Clientschlüssel {hint}… entfernen (Schlüssel {key}, den azreg erfasst hat)",
                    hint = hint,
                    key = key_id,
                ),
            },
            Vec::new(),
        ),
        Op::AddSecret {
            description, end, ..
        } => (
            tr!(
                lang,
                "add a client secret {d:?}, valid until {end}; its value is saved before anything else",
                "einen geheimen Clientschlüssel {d:?} hinzufügen, gültig bis {end}; sein Wert wird vor allem anderen gespeichert",
                d = description,
                end = end,
            ),
            Vec::new(),
        ),
        Op::GrantScopes { add, existing, .. } => (
            match existing {
                None => tr!(
                    lang,
                    "grant admin consent (for all users) to the delegated permissions: {p}",
                    "Administratorzustimmung (für alle Benutzer) zu den delegierten Berechtigungen erteilen: {p}",
                    p = names(add),
                ),
                Some(_) => tr!(
                    lang,
                    "add to the existing admin consent the delegated permissions: {p}",
                    "der bestehenden Administratorzustimmung die delegierten Berechtigungen hinzufügen: {p}",
                    p = names(add),
                ),
            },
            Vec::new(),
        ),
        Op::AssignRoles { names: n, .. } => (
            tr!(
                lang,
                "grant admin consent to the application permissions: {p}",
                "Administratorzustimmung zu den Anwendungsberechtigungen erteilen: {p}",
                p = names(n),
            ),
            Vec::new(),
        ),
        Op::LiveCheck { host } => (
            tr!(
                lang,
                "check live at {host} that tenant, client ID and secret work (the secret is sent there)",
                "live bei {host} prüfen, dass Mandant, Client-ID und Schlüssel funktionieren (der Schlüssel wird dorthin gesendet)",
                host = host,
            ),
            Vec::new(),
        ),
        Op::DeleteApp {
            client_id, name, ..
        } => (
            tr!(
                lang,
                "delete the app registration {name:?} (client ID {client_id}) with its service principal, secrets and consent",
                "die App-Registrierung {name:?} (Client-ID {client_id}) löschen, mit ihrem Dienstprinzipal, ihren Schlüsseln und Zustimmungen",
                name = name,
                client_id = client_id,
            ),
            Vec::new(),
        ),
    }
}

impl Plan {
    /// Who, where, and the host the writes go to.
    pub fn header(&self, lang: Lang) -> String {
        tr!(
            lang,
            "{who}; Microsoft Graph at {graph}",
            "{who}; Microsoft Graph bei {graph}",
            who = who_text(&self.who, lang),
            graph = self.graph_host,
        )
    }

    /// The plan as lines: the operations numbered, their marks below them, then the notes.
    pub fn lines(&self, lang: Lang) -> Vec<Line> {
        let mut out = vec![Line::new(self.header(lang), 0)];
        if self.steps.is_empty() {
            out.push(Line::new(
                tr!(
                    lang,
                    "Nothing to do: the registration is as the record asks.",
                    "Nichts zu tun: die Registrierung ist so, wie der Datensatz es verlangt."
                ),
                0,
            ));
        }
        for (n, step) in self.steps.iter().enumerate() {
            let (head, details) = op_lines(&step.op, lang);
            out.push(Line::new(format!("{:>2}. {head}", n + 1), 0));
            out.extend(details.into_iter().map(|d| Line::new(d, 1)));
            out.extend(
                step.marks
                    .iter()
                    .map(|m| Line::marked(mark_text(m, lang), 1)),
            );
        }
        for n in &self.notes {
            let text = note_text(n, lang);
            out.push(if n.marked() {
                Line::marked(text, 0)
            } else {
                Line::new(text, 0)
            });
        }
        out
    }

    /// The plan as text, one line each, `!` before what to look at.
    pub fn text(&self, lang: Lang) -> String {
        self.lines(lang)
            .iter()
            .map(|l| {
                let mark = if l.marked { "! " } else { "" };
                let pad = if l.indent > 0 { "      " } else { "" };
                format!("{pad}{mark}{}\n", l.text)
            })
            .collect()
    }

    /// `azreg plan --json`: each write as `{method, path, body}`, in order.
    pub fn to_json(&self, lang: Lang) -> Value {
        let ids = Ids::default();
        let ops: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                json!({
                    "op": s.op.kind(),
                    "text": op_lines(&s.op, lang).0,
                    "marks": s.marks.iter().map(|m| json!({
                        "kind": match m {
                            Mark::ApplicationPermission(_) => "application_permission",
                            Mark::BeyondConnector(_) => "beyond_connector",
                            Mark::ForeignOrigin(_) => "foreign_origin",
                            Mark::SecretToHost(_) => "secret_to_host",
                            Mark::RecordedSecret => "recorded_secret",
                            Mark::EndsConnector => "ends_connector",
                            Mark::StopsConnector => "stops_connector",
                        },
                        "text": mark_text(m, lang),
                    })).collect::<Vec<_>>(),
                    "writes": s.op.writes(&ids).iter().map(super::Write::to_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "schema": "azreg.plan",
            "version": 1,
            "signed_in": self.who.to_json(),
            "graph": self.graph_host,
            "nothing_to_do": self.steps.is_empty(),
            "ops": ops,
            "writes": self.writes(&ids).iter().map(super::Write::to_json).collect::<Vec<_>>(),
            "notes": self.notes.iter().map(|n| json!({
                "text": note_text(n, lang),
                "marked": n.marked(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// Why azreg made no plan, and what to do; `step` names the step that captures a field.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per refusal, its wording in both languages: a table read as one"
)]
pub fn refusal_text(r: &Refusal, lang: Lang, step: &dyn Fn(&str) -> String) -> String {
    let tenant = |who: &Who| match &who.tenant_name {
        Some(n) => format!("{n} ({})", who.tenant_id),
        None => who.tenant_id.clone(),
    };
    match r {
        Refusal::TenantMismatch { recorded, who } => tr!(
            lang,
            "{w}, but the record names the tenant {recorded}: nothing was changed. Sign in to the recorded tenant (--tenant {recorded}); if the record is wrong, correct it first (azreg set tenant_id ...: the old value is kept in the history)",
            "{w}, aber der Datensatz nennt den Mandanten {recorded}: nichts wurde geändert. Melden Sie sich beim erfassten Mandanten an (--tenant {recorded}); ist der Datensatz falsch, korrigieren Sie ihn zuerst (azreg set tenant_id ...: der alte Wert bleibt im Verlauf)",
            w = who_text(who, lang),
            recorded = recorded,
        ),
        Refusal::AppMissing {
            lookup: Lookup::Adopt(id),
            who,
        } => tr!(
            lang,
            "--adopt {id}: the tenant {t} has no app registration with this client ID; nothing was changed",
            "--adopt {id}: der Mandant {t} hat keine App-Registrierung mit dieser Client-ID; nichts wurde geändert",
            id = id,
            t = tenant(who),
        ),
        Refusal::AppMissing { lookup, who } => {
            let what = match lookup {
                Lookup::ObjectId(id) => tr!(
                    lang,
                    "the recorded app (object ID {id})",
                    "die erfasste App (Objekt-ID {id})",
                    id = id
                ),
                Lookup::ClientId(id) | Lookup::Adopt(id) => tr!(
                    lang,
                    "the recorded client ID {id}",
                    "die erfasste Client-ID {id}",
                    id = id
                ),
                Lookup::UniqueName(k) | Lookup::SameName(k) => k.clone(),
            };
            tr!(
                lang,
                "{what} is not an app registration in {t}, where {a} is signed in: nothing was changed. Signed in to another tenant (--tenant)? A typo in step {s}? Correct it (azreg set client_id ...). If that app was deleted, azreg apply --new-app makes a new one (the old IDs stay in the history)",
                "{what} ist keine App-Registrierung in {t}, wo {a} angemeldet ist: nichts wurde geändert. Beim falschen Mandanten angemeldet (--tenant)? Ein Tippfehler in Schritt {s}? Korrigieren Sie ihn (azreg set client_id ...). Wurde die App gelöscht, legt azreg apply --new-app eine neue an (die alten IDs bleiben im Verlauf)",
                what = what,
                t = tenant(who),
                a = who.shown(lang),
                s = step("client_id"),
            )
        }
        Refusal::SameName { name, apps } => {
            let list: Vec<String> = apps
                .iter()
                .map(|a| {
                    let uris: Vec<String> =
                        a.redirect_uris.iter().map(|(_, u)| u.clone()).collect();
                    tr!(
                        lang,
                        "  client ID {id}, created {c}, owners: {o}; redirect URIs: {u}",
                        "  Client-ID {id}, angelegt {c}, Besitzer: {o}; Umleitungs-URIs: {u}",
                        id = a.app_id,
                        c = a.created.clone().unwrap_or_else(|| "?".into()),
                        o = if a.owners.is_empty() {
                            L::new("none", "keine").get(lang).to_string()
                        } else {
                            a.owners.join(", ")
                        },
                        u = if uris.is_empty() {
                            L::new("none", "keine").get(lang).to_string()
                        } else {
                            uris.join(", ")
                        },
                    )
                })
                .collect();
            tr!(
                lang,
                "an app registration called {name:?} exists already; azreg does not take over an app by its name: nothing was changed.\n{list}\nIf it is yours: azreg apply --adopt CLIENT_ID (the plan then shows what changes on it). Otherwise choose another name (step {s}).",
                "eine App-Registrierung namens {name:?} gibt es schon; azreg übernimmt keine App anhand ihres Namens: nichts wurde geändert.\n{list}\nIst sie Ihre: azreg apply --adopt CLIENT-ID (der Plan zeigt dann, was sich an ihr ändert). Sonst wählen Sie einen anderen Namen (Schritt {s}).",
                name = name,
                list = list.join("\n"),
                s = step("app_name"),
            )
        }
        Refusal::Inconsistent { found, recorded } => tr!(
            lang,
            "the recorded object ID belongs to the app with client ID {found}, but the record says client ID {recorded} (step {s}): correct one of them first; nothing was changed",
            "die erfasste Objekt-ID gehört zur App mit der Client-ID {found}, aber der Datensatz nennt die Client-ID {recorded} (Schritt {s}): korrigieren Sie zuerst eines davon; nichts wurde geändert",
            found = found,
            recorded = recorded,
            s = step("client_id"),
        ),
        Refusal::NoGraph => tr!(
            lang,
            "the tenant has no service principal for Microsoft Graph, so no consent can be granted; nothing was changed",
            "der Mandant hat keinen Dienstprinzipal für Microsoft Graph, daher kann keine Zustimmung erteilt werden; nichts wurde geändert"
        ),
        Refusal::SecretPolicy(l) => tr!(
            lang,
            "{why}; nothing was changed",
            "{why}; nichts wurde geändert",
            why = crate::i18n::Worded::message(l, lang),
        ),
    }
}
