//! The summary card: what goes into Intrexx, what went into Azure, what is still missing.

use ratatui::text::{Line, Span};

use super::fields::display_value;
use super::{Theme, wrap};
use unicode_width::UnicodeWidthStr;

use crate::core::fields::{Destination, FieldState};
use crate::i18n::L;
use crate::text::clean_for_display;
use crate::tr;
use crate::tui::app::App;

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let p = &app.procedure;
    let lang = app.lang();
    let card = &p.entries[p.summary_index()].step;
    let mut out = Vec::new();
    let done = app.done_count();
    // A renewal that was just taken in clears its own marks for the next time: its summary
    // says what was done and what is left, not "0 steps done".
    let today = crate::core::fields::format_date(app.config.today);
    if p.is_renewal()
        && done == 0
        && let Some(r) = app.progress.renewals.last().filter(|r| r.on == today)
    {
        return renewed(r, width, theme, lang);
    }
    out.extend(standing(app, width, theme));
    out.push(Line::default());
    for l in wrap(&clean_for_display(card.body.trim()), width, "") {
        out.push(Line::styled(l, theme.title()));
    }
    out.extend(values(app, width, theme));
    out
}

/// Where the setup stands: a rotation in progress (two secrets, which one Intrexx is believed
/// to use), all done (and whether the connector can reach Microsoft 365), or the open steps.
/// Every sentence wraps at the card's width.
fn standing(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let p = &app.procedure;
    let lang = app.lang();
    let (done, total) = (app.done_count(), p.step_count());
    let mut out = Vec::new();
    // A rotation in progress: two secrets, and which one Intrexx is believed to use.
    if let Some(rot) = &app.progress.rotation {
        let t = tr!(
            lang,
            "A rotation of the client secret is in progress (since {since}): the old secret {old}… stays, as Intrexx is believed to use it until switched to the new one; azreg apply --remove-old removes it once Intrexx uses the new one.",
            "Eine Rotation des geheimen Clientschlüssels ist im Gang (seit {since}): der alte Schlüssel {old}… bleibt, da Intrexx ihn vermutlich nutzt, bis auf den neuen umgestellt ist; azreg apply --remove-old entfernt ihn, sobald Intrexx den neuen nutzt.",
            since = rot.since,
            old = rot.hint_shown(),
        );
        for l in wrap(&t, width, "") {
            out.push(Line::styled(l, theme.warning()));
        }
        out.push(Line::default());
    }
    let access = app.report().access();
    if done == total {
        let said = tr!(
            lang,
            "✓ All {total} steps are done.",
            "✓ Alle {total} Schritte sind erledigt.",
            total = total,
        );
        for l in wrap(&said, width, "") {
            out.push(Line::styled(l, theme.ok()));
        }
        if access.complete() {
            let t = L::new(
                "The portal is registered in Microsoft Azure, with its API permissions and admin consent.",
                "Das Portal ist in Microsoft Azure registriert, mit API-Berechtigungen und Administratorzustimmung.",
            );
            for l in wrap(t.get(lang), width, "") {
                out.push(Line::styled(l, theme.ok()));
            }
        } else {
            let steps = p
                .extra_range()
                .map(|(first, last)| {
                    tr!(
                        lang,
                        " (steps {first} to {last})",
                        " (Schritte {first} bis {last})",
                        first = first,
                        last = last
                    )
                })
                .unwrap_or_default();
            let t = tr!(
                lang,
                "The app is registered, but the connector cannot reach Microsoft 365 until the API permissions and the admin consent are done{steps}.",
                "Die App ist registriert, aber der Connector erreicht Microsoft 365 erst, wenn API-Berechtigungen und Administratorzustimmung erledigt sind{steps}.",
                steps = steps,
            );
            for l in wrap(&t, width, "") {
                out.push(Line::styled(l, theme.warning()));
            }
        }
    } else {
        out.push(Line::styled(
            tr!(
                lang,
                "{done}/{total} steps done",
                "{done}/{total} Schritte erledigt",
                done = done,
                total = total,
            ),
            theme.title(),
        ));
        let open: Vec<String> = app
            .report()
            .open_steps()
            .iter()
            .map(|n| p.label(*n).to_string())
            .collect();
        let open = open.join(", ");
        for l in wrap(
            &tr!(
                lang,
                "Open steps: {open}",
                "Offene Schritte: {open}",
                open = open
            ),
            width,
            "",
        ) {
            out.push(Line::styled(l, theme.warning()));
        }
    }
    out
}

/// Each value and where it goes (Intrexx, Azure, the record), side by side when every row
/// fits; then what is still missing or wrong.
fn values(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut last = None;
    let report = app.report();
    let rows = report.summary();
    let shown = |row: &crate::core::report::SummaryRow| match &row.assessment.value {
        Some(v) => display_value(row.spec, v, app.secret_revealed),
        None => L::new("(empty)", "(leer)").get(lang).to_string(),
    };
    // One layout for the card: label and value side by side when every row fits, else each
    // value under its label.
    let label_w = rows.iter().map(|r| r.label.width()).max().unwrap_or(0) + 2;
    let side_by_side = rows.iter().all(|r| 2 + label_w + shown(r).width() <= width);
    let layout = Layout {
        label_w,
        side_by_side,
        width,
    };
    for row in &rows {
        if last.is_some() && last != Some(row.destination) {
            out.push(Line::default());
            let h = match row.destination {
                Destination::Record => L::new(
                    "For your record (not an Intrexx field):",
                    "Zur Dokumentation (kein Intrexx-Feld):",
                ),
                _ => L::new(
                    "Entered in Azure (App > Authentication; API permissions):",
                    "In Azure eingetragen (App > Authentifizierung; API-Berechtigungen):",
                ),
            }
            .get(lang);
            for l in wrap(h, width, "") {
                out.push(Line::styled(l, theme.title()));
            }
        }
        last = Some(row.destination);
        let (spec, a) = (row.spec, &row.assessment);
        let value = shown(row);
        let style = match a.state() {
            FieldState::Ok => theme.plain(),
            FieldState::Warning => theme.warning(),
            FieldState::Empty | FieldState::Error => theme.error(),
        };
        let focused = app.focused_field().is_some_and(|f| f.id == spec.id);
        push_pair(
            &mut out,
            (row.label, focused),
            &value,
            &layout,
            style,
            theme,
        );
        for (word, msg) in app.report().problems(spec, a) {
            if word == crate::core::fields::Severity::Error {
                problems.push(format!("✗ {}: {msg}", spec.label));
            }
        }
    }
    if !problems.is_empty() {
        out.push(Line::default());
        out.push(Line::styled(
            L::new("Still missing or wrong:", "Noch fehlend oder falsch:")
                .get(lang)
                .to_string(),
            theme.error(),
        ));
        for pr in problems {
            for l in wrap(&pr, width, "  ") {
                out.push(Line::styled(l, theme.error()));
            }
        }
    }
    out
}

/// The end of a renewal: what was done, and what is left to keep the connector working.
fn renewed(
    r: &crate::core::progress::Renewal,
    width: usize,
    theme: &Theme,
    lang: crate::i18n::Lang,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let done = tr!(
        lang,
        "✓ The client secret was renewed on {on}: the new one is in the record, valid until {new}{old}.",
        "✓ Der geheime Clientschlüssel wurde am {on} erneuert: der neue ist erfasst, gültig bis {new}{old}.",
        on = r.on,
        new = clean_for_display(&r.new_expiry),
        old = r
            .old_expiry
            .as_ref()
            .map(|o| tr!(
                lang,
                "; the old expiry ({o}) is kept in the history",
                "; das alte Ablaufdatum ({o}) bleibt im Verlauf",
                o = clean_for_display(o)
            ))
            .unwrap_or_default(),
    );
    for l in wrap(&done, width, "") {
        out.push(Line::styled(l, theme.ok()));
    }
    out.push(Line::default());
    out.push(Line::styled(
        L::new(
            "Left to do, unless done already:",
            "Noch zu tun, falls nicht schon erledigt:",
        )
        .get(lang)
        .to_string(),
        theme.title(),
    ));
    for item in [
        L::new(
            "enter the new value in Intrexx (the registration's Authentication page) and test the connector;",
            "den neuen Wert in Intrexx eintragen (Seite „Authentifizierung“ der Registrierung) und den Connector testen;",
        ),
        L::new(
            "then delete the old secret in Azure (Certificates & secrets), not before: the connector stops while Intrexx still uses it.",
            "danach den alten Schlüssel in Azure löschen (Zertifikate & Geheimnisse), nicht vorher: der Connector steht, solange Intrexx ihn noch nutzt.",
        ),
    ] {
        for l in wrap(item.get(lang), width, "  ") {
            out.push(Line::styled(format!("• {}", l.trim_start()), theme.plain()));
        }
    }
    out
}

struct Layout {
    label_w: usize,
    side_by_side: bool,
    width: usize,
}

/// "label   value", or the value on lines of its own under the label.
fn push_pair(
    out: &mut Vec<Line<'static>>,
    (label, focused): (&str, bool),
    value: &str,
    layout: &Layout,
    style: ratatui::style::Style,
    theme: &Theme,
) {
    let label = clean_for_display(label);
    let mark = if focused { "› " } else { "  " };
    if layout.side_by_side {
        out.push(Line::from(vec![
            Span::styled(
                format!("{mark}{label:<w$}", w = layout.label_w),
                theme.dim(),
            ),
            Span::styled(value.to_string(), style),
        ]));
    } else {
        out.push(Line::styled(format!("{mark}{label}"), theme.dim()));
        for l in wrap(value, layout.width, "    ") {
            out.push(Line::styled(l, style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::tests::app;

    fn text(app: &App) -> String {
        lines(app, 80, &Theme::new(true))
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn a_rotation_in_progress_is_on_the_summary() {
        let mut a = app();
        assert!(!text(&a).contains("rotation"));
        a.progress.rotation = Some(crate::core::progress::Rotation {
            since: "2026-12-01T10:00:00Z".parse().unwrap(),
            old_key: "44444444-0000-4000-a000-000000000004".into(),
            old_hint: Some("abc".into()),
        });
        let t = text(&a);
        assert!(
            t.contains("A rotation of the client secret is in progress"),
            "{t}"
        );
        assert!(t.contains("abc…"), "{t}");
    }
}
