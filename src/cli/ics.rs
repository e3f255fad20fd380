//! `azreg export --format ics`: a calendar reminder to renew the client secret, N days before
//! it expires. RFC 5545 in a few checked lines: CRLF line ends, text escaped (backslash,
//! semicolon, comma, line breaks), lines folded at 75 octets.

use crate::core::report::{Expiry, Report};
use crate::i18n::{L, Lang};
use crate::tr;

/// RFC 5545 3.3.11: TEXT escapes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // Nothing that could steer a terminal that shows the file (bidi controls too).
            c if crate::text::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space, never splitting
/// a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn compact(date: &str) -> String {
    date.replace('-', "")
}

/// The calendar, or why there is none (no expiry recorded yet).
pub fn calendar(r: &Report, remind_days: u32, lang: Lang) -> Result<String, String> {
    let date = match r.expiry() {
        Expiry::Unknown => {
            return Err(tr!(
                lang,
                "no expiry of the client secret is recorded (step {s}): nothing to remind of",
                "kein Ablaufdatum des geheimen Clientschlüssels erfasst (Schritt {s}): nichts zu erinnern",
                s = r.procedure.step_of_field("secret_expiry"),
            ));
        }
        Expiry::Ok { date, .. } | Expiry::Soon { date, .. } | Expiry::Past { date, .. } => date,
    };
    let end = crate::core::fields::parse_date(&date).ok_or_else(|| date.clone())?;
    // Never a reminder in the past: within the window already, the reminder is today.
    let remind = end
        .saturating_sub(time::Duration::days(i64::from(remind_days)))
        .max(r.today.min(end));
    let day_after = remind.saturating_add(time::Duration::days(1));
    let value = |id: &str| r.progress.values.get(id).cloned().unwrap_or_default();
    let client = value("client_id");
    let app = Some(value("app_name"))
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| {
            if client.is_empty() {
                L::new("the app", "der App").get(lang).to_string()
            } else {
                client.clone()
            }
        });
    let summary = tr!(
        lang,
        "Renew the client secret of {app} (expires {date})",
        "Geheimen Clientschlüssel von {app} erneuern (läuft am {date} ab)",
        app = app,
        date = date,
    );
    let description = tr!(
        lang,
        "The client secret of the app registration {app} (client ID {client}) expires on {date}; on that day the Intrexx Connector for Microsoft 365 and Teams stops reaching Microsoft 365.\nRenew it before: azreg renew (or azreg script az --renew).",
        "Der geheime Clientschlüssel der App-Registrierung {app} (Client-ID {client}) läuft am {date} ab; an diesem Tag erreicht der Intrexx-Connector für Microsoft 365 und Teams Microsoft 365 nicht mehr.\nErneuern Sie ihn vorher: azreg renew (oder azreg script az --renew).",
        app = app,
        client = client,
        date = date,
    );
    let stamp = format!(
        "{}T000000Z",
        compact(&crate::core::fields::format_date(r.today))
    );
    let uid = format!("azreg-secret-{}-{}@azreg", escape(&client), compact(&date));
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        concat!("PRODID:-//azreg//azreg ", env!("CARGO_PKG_VERSION"), "//EN").into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{stamp}"),
        format!(
            "DTSTART;VALUE=DATE:{}",
            compact(&crate::core::fields::format_date(remind))
        ),
        format!(
            "DTEND;VALUE=DATE:{}",
            compact(&crate::core::fields::format_date(day_after))
        ),
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description)),
        "TRANSP:TRANSPARENT".into(),
        "BEGIN:VALARM".into(),
        "ACTION:DISPLAY".into(),
        format!("DESCRIPTION:{}", escape(&summary)),
        "TRIGGER:PT9H".into(),
        "END:VALARM".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    Ok(lines.iter().map(|l| fold(l)).collect())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn within_the_window_the_reminder_is_today_and_names_the_client_id() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let soon = crate::core::fields::format_date(env.today + time::Duration::days(10));
        with_values(
            &env,
            &[
                ("secret_expiry", soon.as_str()),
                ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
            ],
        );
        let p = env.load().unwrap();
        let r = Report::new(&env.procedure, &p, env.today);
        let ics = calendar(&r, 30, Lang::En).unwrap();
        let today = compact(&crate::core::fields::format_date(env.today));
        assert!(
            ics.contains(&format!("DTSTART;VALUE=DATE:{today}\r\n")),
            "not in the past: {ics}"
        );
        assert!(
            ics.contains(
                "SUMMARY:Renew the client secret of 0b1c2d3e-1111-2222-3333-444455556666 ("
            ),
            "{ics}"
        );
    }

    #[test]
    fn text_carries_no_bidi_or_control_characters() {
        let t = escape("App\u{202e}x\u{9b}31m\u{1b}]0;y\u{7}; a, b\nc");
        assert!(!t.chars().any(crate::text::is_unsafe), "{t:?}");
        assert_eq!(t, "Appx31m]0\\;y\\; a\\, b\\nc");
    }

    #[test]
    fn a_reminder_n_days_before_the_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(
            &env,
            &[
                ("secret_expiry", "2027-05-25"),
                ("app_name", "Portal; A, B\\C"),
                ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
            ],
        );
        let p = env.load().unwrap();
        let r = Report::new(&env.procedure, &p, env.today);
        let ics = calendar(&r, 30, Lang::En).unwrap();
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{ics}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            ics.contains("DTSTART;VALUE=DATE:20270425\r\n"),
            "30 days before: {ics}"
        );
        assert!(ics.contains("DTEND;VALUE=DATE:20270426\r\n"));
        assert!(ics.contains("Portal\\; A\\, B\\\\C"), "escaped: {ics}");
        // Every physical line ends CRLF and holds at most 75 octets; no bare LF.
        for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?}");
            assert!(!line.contains('\n'));
        }
        // Unfolded, the description is whole.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("stops reaching Microsoft 365.\\nRenew it before: azreg renew"));
        assert!(
            calendar(
                &Report::new(
                    &env.procedure,
                    &crate::core::progress::Progress::new("x"),
                    env.today
                ),
                30,
                Lang::En
            )
            .is_err()
        );
    }

    #[test]
    fn folding_never_splits_a_character() {
        let long = format!("SUMMARY:{}", "ä".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75);
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
