//! What Entra ID answers, explained by its codes (pointing to the procedure's steps); server
//! text made safe to show.

use serde::Deserialize;

use crate::i18n::{L, Lang};
use crate::tr;

/// Where the procedure asks for what an answer is about: step labels ("23", "P3") for the
/// advice, from the procedure, never written into a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Steps {
    /// Where the tenant and client IDs are copied.
    pub ids: Option<String>,
    /// Where the secret's value is captured.
    pub secret: Option<String>,
    /// Where a new secret is begun.
    pub new_secret: Option<String>,
    /// Where admin consent is granted.
    pub consent: Option<String>,
    pub web: Option<String>,
    pub spa: Option<String>,
}

impl Steps {
    pub fn of(p: &crate::core::procedure::Procedure) -> Steps {
        let of = |field: &str| p.entry_of_field(field).map(|i| p.label(i).to_string());
        Steps {
            ids: of("tenant_id"),
            secret: of("client_secret"),
            new_secret: p
                .entries
                .iter()
                .position(|e| e.applied.as_deref() == Some("secret"))
                .map(|i| p.label(i).to_string()),
            consent: of(crate::core::report::CONSENT_FIELD),
            web: of("web_redirect_uri"),
            spa: of("spa_redirect_uri"),
        }
    }

    /// " at step 23" (" in Schritt 23"), or nothing where the procedure has no such step.
    pub fn at(step: &Option<String>, lang: Lang) -> String {
        step.as_ref()
            .map(|s| tr!(lang, " at step {s}", " in Schritt {s}", s = s))
            .unwrap_or_default()
    }

    /// " (step P3)" (" (Schritt P3)"), or nothing.
    pub fn paren(step: &Option<String>, lang: Lang) -> String {
        step.as_ref()
            .map(|s| tr!(lang, " (step {s})", " (Schritt {s})", s = s))
            .unwrap_or_default()
    }
}

/// The error body Entra ID sends.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntraError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    pub(crate) error_codes: Vec<u64>,
    /// Only for the name of a tenant Entra does not know; advice goes by the codes.
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    trace_id: String,
    #[serde(default)]
    correlation_id: String,
}

/// What the user can do about the other codes Entra ID answers a sign-in with (src/docs/entra.md,
/// "More AADSTS codes"), by code, never by message text.
pub(crate) fn more_advice(code: u64, steps: &Steps, lang: Lang) -> Option<String> {
    let consent = Steps::paren(&steps.consent, lang);
    let uris = match (&steps.web, &steps.spa) {
        (Some(w), Some(s)) => tr!(
            lang,
            " at steps {w} and {s}",
            " in den Schritten {w} und {s}",
            w = w,
            s = s,
        ),
        _ => String::new(),
    };
    let with_steps = match code {
        65001 => Some(tr!(
            lang,
            "consent is missing (AADSTS65001): grant admin consent on the app's \"API permissions\" page{consent}",
            "die Zustimmung fehlt (AADSTS65001): erteilen Sie die Administratorzustimmung auf der Seite „API-Berechtigungen“ der App{consent}",
            consent = consent,
        )),
        65004 => Some(tr!(
            lang,
            "the user declined consent (AADSTS65004): sign in again and accept, or have an administrator grant consent{consent}",
            "die Zustimmung wurde abgelehnt (AADSTS65004): melden Sie sich erneut an und stimmen Sie zu, oder lassen Sie einen Administrator zustimmen{consent}",
            consent = consent,
        )),
        500113 => Some(tr!(
            lang,
            "the app has no redirect URI (AADSTS500113): enter them{uris}",
            "die App hat keinen Umleitungs-URI (AADSTS500113): tragen Sie sie{uris} ein",
            uris = uris,
        )),
        90094 | 90095 => Some(tr!(
            lang,
            "admin consent is required (AADSTS90094/90095): a Privileged Role Administrator (application permissions) or Cloud Application Administrator grants it{consent}",
            "Administratorzustimmung ist nötig (AADSTS90094/90095): ein Administrator für privilegierte Rollen (Anwendungsberechtigungen) oder ein Cloudanwendungsadministrator erteilt sie{consent}",
            consent = consent,
        )),
        _ => None,
    };
    if with_steps.is_some() {
        return with_steps;
    }
    let l = match code {
        7000229 => L::new(
            "the app has no service principal in this tenant (AADSTS7000229): create it with `az ad sp create --id <client ID>`, or open the app once under Enterprise applications; the scripts of `azreg script` do it",
            "die App hat in diesem Mandanten keinen Dienstprinzipal (AADSTS7000229): legen Sie ihn mit `az ad sp create --id <Client-ID>` an oder öffnen Sie die App einmal unter Unternehmensanwendungen; die Skripte von `azreg script` erledigen das",
        ),
        65002 => L::new(
            "a first-party client may not ask for this permission (AADSTS65002): it must be pre-authorised; choose another sign-in app",
            "ein Microsoft-Client darf diese Berechtigung nicht anfordern (AADSTS65002): sie muss vorab autorisiert sein; wählen Sie eine andere Anmelde-App",
        ),
        50076 | 50079 => L::new(
            "multi-factor authentication is required (AADSTS50076/50079): sign in interactively and complete or register MFA",
            "Mehrstufige Authentifizierung ist nötig (AADSTS50076/50079): melden Sie sich interaktiv an und schließen Sie die MFA ab bzw. richten Sie sie ein",
        ),
        53003 => L::new(
            "blocked by Conditional Access (AADSTS53003): a policy forbids this sign-in (often the device code flow); sign in in the browser instead (azreg apply without --device-code) or ask your administrator",
            "durch bedingten Zugriff blockiert (AADSTS53003): eine Richtlinie verbietet diese Anmeldung (oft den Gerätecode-Ablauf); melden Sie sich stattdessen im Browser an (azreg apply ohne --device-code) oder fragen Sie Ihren Administrator",
        ),
        50105 => L::new(
            "the user is not assigned to the app (AADSTS50105): assign the user (or a group) under Enterprise applications > Users and groups",
            "der Benutzer ist der App nicht zugewiesen (AADSTS50105): weisen Sie ihn (oder eine Gruppe) unter Unternehmensanwendungen > Benutzer und Gruppen zu",
        ),
        50020 => L::new(
            "the user is not in this tenant (AADSTS50020): sign in with an account of the directory, or invite it as a guest",
            "der Benutzer gehört nicht zu diesem Mandanten (AADSTS50020): melden Sie sich mit einem Konto des Verzeichnisses an oder laden Sie es als Gast ein",
        ),
        50194 => L::new(
            "a single-tenant app was signed in through /common (AADSTS50194): use the tenant ID in the address",
            "eine Einzelmandanten-App wurde über /common angemeldet (AADSTS50194): verwenden Sie die Mandanten-ID in der Adresse",
        ),
        _ => return None,
    };
    Some(l.get(lang).to_string())
}

impl EntraError {
    pub(crate) fn has(&self, code: u64) -> bool {
        self.error_codes.contains(&code)
    }

    /// For codes without advice: what a support request needs.
    pub(crate) fn details(&self, lang: Lang) -> String {
        let codes: Vec<String> = self
            .error_codes
            .iter()
            .map(|c| format!("AADSTS{c}"))
            .collect();
        tr!(
            lang,
            "{} ({}); for a support request: trace_id {}, correlation_id {}",
            "{} ({}); für eine Supportanfrage: trace_id {}, correlation_id {}",
            if self.error.is_empty() {
                L::new("refused", "abgelehnt").get(lang).to_string()
            } else {
                server_text(&self.error)
            },
            if codes.is_empty() {
                L::new("no error code", "kein Fehlercode").get(lang).into()
            } else {
                codes.join(", ")
            },
            server_text(or_none(&self.trace_id, lang)),
            server_text(or_none(&self.correlation_id, lang))
        )
    }
}

pub(crate) fn or_none(s: &str, lang: Lang) -> &str {
    if s.is_empty() {
        L::new("(none)", "(keine)").get(lang)
    } else {
        s
    }
}

/// What an error answer of Entra ID says, for a person: the advice for its code (pointing to
/// `steps` where the procedure has them), or its `error`, codes, `trace_id` and
/// `correlation_id`, cleaned and cut. Any body is taken.
pub fn error_summary(body: &str, steps: &Steps, lang: Lang) -> String {
    let e: EntraError = serde_json::from_str(body).unwrap_or_default();
    // "AADSTS90002: Tenant 'contoso.example' not found. ...": the tenant as Entra names it.
    let tenant = e
        .error_description
        .split('\'')
        .nth(1)
        .map(server_text)
        .unwrap_or_else(|| {
            L::new("(this tenant)", "(dieser Mandant)")
                .get(lang)
                .to_string()
        });
    tenant_advice(&e, &tenant, steps, lang)
        .or_else(|| {
            e.error_codes
                .iter()
                .find_map(|c| more_advice(*c, steps, lang))
        })
        .unwrap_or_else(|| e.details(lang))
}

/// Advice for the tenant codes, shared by both checks.
pub(crate) fn tenant_advice(
    e: &EntraError,
    tenant: &str,
    steps: &Steps,
    lang: Lang,
) -> Option<String> {
    let at = Steps::at(&steps.ids, lang);
    if e.has(90002) {
        Some(tr!(
            lang,
            "the tenant {tenant} does not exist (AADSTS90002): copy the Directory (tenant) ID again{at}",
            "den Mandanten {tenant} gibt es nicht (AADSTS90002): kopieren Sie die Verzeichnis-ID (Mandant){at} noch einmal",
            tenant = tenant,
            at = at,
        ))
    } else if e.has(900023) {
        Some(tr!(
            lang,
            "{tenant} is not a valid tenant ID (AADSTS900023): copy the Directory (tenant) ID again{at}",
            "{tenant} ist keine gültige Mandanten-ID (AADSTS900023): kopieren Sie die Verzeichnis-ID (Mandant){at} noch einmal",
            tenant = tenant,
            at = at,
        ))
    } else {
        None
    }
}

/// Longest text from a server shown anywhere.
pub(crate) const MAX_SERVER_TEXT: usize = 120;

/// Text from a server, made safe to show: control and bidi characters replaced, on one line,
/// cut to a sane length.
pub fn server_text(s: &str) -> String {
    let one_line: String = crate::text::clean_for_display(s)
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if one_line.chars().count() > MAX_SERVER_TEXT {
        let cut: String = one_line.chars().take(MAX_SERVER_TEXT).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// Shortest piece of the secret that counts as leaking it.
pub(crate) const LEAK_MIN: usize = 8;

/// `text` with every run of 8 or more characters that also occurs in the secret replaced by
/// `<redacted>`: a server that echoes most of the secret must not get it printed.
pub fn redact(text: &str, secret: &str) -> String {
    let s: Vec<char> = secret.chars().collect();
    if s.len() < LEAK_MIN {
        return text.to_string();
    }
    let t: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < t.len() {
        // The longest piece of the secret that starts here.
        let mut best = 0;
        for start in 0..s.len() {
            let n = t[i..]
                .iter()
                .zip(&s[start..])
                .take_while(|(a, b)| a == b)
                .count();
            best = best.max(n);
        }
        if best >= LEAK_MIN {
            out.push_str("<redacted>");
            i += best;
        } else {
            out.push(t[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod more_advice_tests {
    use super::*;

    #[test]
    fn server_text_is_defused_and_cut() {
        let t = server_text("a\u{1b}]0;x\u{7}b\nc\u{202e}d");
        assert!(!crate::text::has_unsafe_chars(&t), "{t:?}");
        assert!(!t.contains('\n'));
        let long = server_text(&"x".repeat(5000));
        assert_eq!(long.chars().count(), MAX_SERVER_TEXT + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn any_eight_characters_of_the_secret_are_redacted() {
        let secret = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
        let echoed = &secret[..39];
        assert_eq!(redact(&format!("bad {echoed}!"), secret), "bad <redacted>!");
        assert_eq!(redact("8Q~abcde", secret), "<redacted>");
        assert_eq!(
            redact("8Q~abcd", secret),
            "8Q~abcd",
            "seven characters are not a leak"
        );
        assert_eq!(redact("x", "short"), "x");
        let summary = error_summary(
            &format!(r#"{{"error": "e{echoed}", "trace_id": "{echoed}"}}"#),
            &Default::default(),
            Lang::En,
        );
        assert!(!redact(&summary, secret).contains("defghijk"));
    }

    #[test]
    fn every_documented_code_has_advice_in_both_languages() {
        let steps = super::Steps::of(&crate::core::procedure::Procedure::embedded().unwrap());
        let more_advice = |code, lang| super::more_advice(code, &steps, lang);
        for code in [
            7000229, 65001, 65002, 65004, 50076, 50079, 53003, 50105, 50020, 50194, 500113, 90094,
            90095,
        ] {
            let en = more_advice(code, Lang::En).unwrap();
            let de = more_advice(code, Lang::De).unwrap();
            assert!(
                en.contains(&format!("AADSTS{code}")) || en.contains(&code.to_string()[..5]),
                "{en}"
            );
            assert_ne!(en, de);
        }
        assert!(
            more_advice(7000229, Lang::En)
                .unwrap()
                .contains("az ad sp create")
        );
        assert!(more_advice(53003, Lang::En).unwrap().contains("browser"));
        assert!(more_advice(1234567, Lang::En).is_none());
        // The steps come from the procedure; without one, the advice names none.
        assert!(more_advice(65001, Lang::En).unwrap().ends_with("(step P3)"));
        assert!(
            more_advice(500113, Lang::De)
                .unwrap()
                .contains("Schritten 10 und 14")
        );
        let none = super::more_advice(65001, &Default::default(), Lang::En).unwrap();
        assert!(!none.contains("step"), "{none}");
    }
}
