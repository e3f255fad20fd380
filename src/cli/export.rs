//! `azreg export`: the values as env lines, JSON, TOML, or a sheet for the Intrexx admin.
//! The secret is `<redacted>` unless `--reveal-secret`.

use std::collections::BTreeMap;
use std::io::Write;

use super::{EXIT_OK, Env, Failure, Outcome, handed_on, sh_quote};
use crate::core::fields::{Destination, FieldKind};
use crate::core::report::{Report, printable};
use crate::i18n::L;
use crate::tr;

/// `export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// AZREG_NAME='value' lines, quoted for sh
    Env,
    Json,
    Toml,
    /// A plain sheet: what to enter where in the Intrexx Portal Manager
    Intrexx,
    /// A calendar reminder (RFC 5545) to renew the secret, --remind-days before it expires
    Ics,
}

/// `azreg export`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ExportFormat::Env)]
    pub format: ExportFormat,
    /// Print the client secret instead of <redacted>
    #[arg(long)]
    pub reveal_secret: bool,
    /// Export even while a value is missing or in error (they are left empty)
    #[arg(long)]
    pub allow_incomplete: bool,
    /// With --format ics: the reminder this many days before the secret expires
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub remind_days: u32,
}

/// `azreg export`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(
        env,
        a.format,
        (a.reveal_secret, a.allow_incomplete, a.remind_days),
        out,
    )
}

pub fn run(
    env: &Env,
    format: ExportFormat,
    (reveal, allow_incomplete, remind_days): (bool, bool, u32),
    out: &mut dyn Write,
) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let ids: Vec<&str> = env.procedure.fields.iter().map(|f| f.id.as_str()).collect();
    // A reminder needs only the expiry; the other formats hand every value on.
    if format != ExportFormat::Ics {
        handed_on(&r, &ids, allow_incomplete, L::new("export", "Export"))?;
    }
    let text = match format {
        ExportFormat::Env => env_lines(&r, reveal),
        ExportFormat::Json => json(&r, reveal),
        ExportFormat::Toml => toml_text(&r, reveal),
        ExportFormat::Intrexx => sheet(&r, reveal),
        ExportFormat::Ics => super::ics::calendar(&r, remind_days, env.procedure.lang())
            .map_err(|m| Failure::new(super::EXIT_CHECK, m))?,
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(EXIT_OK)
}

/// A value that may be handed on: one in error is not (`--allow-incomplete` leaves it empty).
fn usable(a: &crate::core::fields::Assessment) -> Option<&str> {
    use crate::core::fields::FieldState;
    matches!(a.state(), FieldState::Ok | FieldState::Warning)
        .then_some(a.value.as_deref())
        .flatten()
}

/// Effective values (entered or derived) by field id; empty ones, and those in error, as "".
fn values(r: &Report, reveal: bool) -> Vec<(String, String)> {
    r.fields()
        .into_iter()
        .map(|(spec, a)| {
            let v = usable(&a)
                .map(|v| printable(spec, v, reveal))
                .unwrap_or_default();
            (spec.id.clone(), v)
        })
        .collect()
}

fn env_lines(r: &Report, reveal: bool) -> String {
    values(r, reveal)
        .into_iter()
        .map(|(k, v)| format!("AZREG_{}={}\n", k.to_ascii_uppercase(), sh_quote(&v)))
        .collect()
}

fn json(r: &Report, reveal: bool) -> String {
    let map: BTreeMap<String, serde_json::Value> = values(r, reveal)
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                if v.is_empty() {
                    serde_json::Value::Null
                } else {
                    v.into()
                },
            )
        })
        .collect();
    // Versioned like every JSON azreg prints (assets/schemas/export.schema.json).
    super::json_text(serde_json::json!({
        "schema": "azreg.export",
        "version": 1,
        "values": map,
    }))
}

fn toml_text(r: &Report, reveal: bool) -> String {
    let values: BTreeMap<String, String> = values(r, reveal)
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let mut table = toml::Table::new();
    table.insert(
        "values".into(),
        toml::Value::Table(values.into_iter().map(|(k, v)| (k, v.into())).collect()),
    );
    toml::to_string(&table).unwrap_or_default()
}

/// A choice's label (cleaned for the terminal), or the value when it is not one of them.
fn option_label(spec: &crate::core::fields::FieldSpec, v: &str) -> String {
    crate::text::clean_for_display(spec.shown(v)).into_owned()
}

/// What to enter where, as plain text for a person.
fn sheet(r: &Report, reveal: bool) -> String {
    let p = r.procedure;
    let lang = p.lang();
    let card = &p.entries[p.summary_index()].step;
    let mut s = format!("{}\n\n", p.title);
    s += &textwrap::fill(card.body.trim(), 78);
    s += "\n\n";
    // One column for the labels, as wide as the longest (German ones are long).
    let lw = r
        .summary()
        .iter()
        .map(|row| row.label.chars().count())
        .chain(r.fields().iter().map(|(f, _)| f.label.chars().count()))
        .max()
        .unwrap_or(0)
        .max(28);
    let mut last = None;
    for row in r.summary() {
        if last != Some(row.destination) {
            s += match row.destination {
                Destination::Intrexx => "",
                Destination::Azure => L::new(
                    "\nEntered in Azure (App registration > Authentication; API permissions):\n",
                    "\nIn Azure eingetragen (App-Registrierung > Authentifizierung; API-Berechtigungen):\n",
                )
                .get(lang),
                Destination::Record => L::new(
                    "\nFor your record (not an Intrexx field; renew the secret before this day):\n",
                    "\nZur Dokumentation (kein Intrexx-Feld; erneuern Sie den Schlüssel vor diesem Tag):\n",
                )
                .get(lang),
            };
        }
        last = Some(row.destination);
        let value = match usable(&row.assessment) {
            None if row.assessment.value.is_some() => {
                L::new("(in error)", "(fehlerhaft)").get(lang).into()
            }
            Some(v) if row.spec.kind == FieldKind::Choice => option_label(row.spec, v),
            // For a person: the placeholder in their language (machine formats keep <redacted>).
            Some(_) if row.spec.is_secret() && !reveal => {
                L::new("<redacted>", "<nicht angezeigt>").get(lang).into()
            }
            Some(v) => printable(row.spec, v, reveal),
            None => L::new("(missing)", "(fehlt)").get(lang).into(),
        };
        s += &format!("  {:<lw$} {value}\n", row.label);
    }
    // The choices made in Azure, for the record: not the Intrexx values the redirect URIs are
    // made of (the collaboration name is Intrexx's).
    let fields = r.fields();
    let made_of = |id: &str| {
        fields.iter().any(|(f, _)| {
            f.derive
                .as_deref()
                .is_some_and(|d| d.contains(&format!("{{{id}}}")))
        })
    };
    let mut extra = String::new();
    for (spec, a) in r.fields() {
        if spec.goes_to.is_none()
            && !made_of(&spec.id)
            && matches!(spec.kind, FieldKind::Choice | FieldKind::Text)
            && let Some(v) = usable(&a)
        {
            extra += &format!("  {:<lw$} {}\n", spec.label, option_label(spec, v));
        }
    }
    if !extra.is_empty() {
        s += L::new("\nChosen in Azure:\n", "\nIn Azure gewählt:\n").get(lang);
        s += &extra;
    }
    s += &tr!(
        lang,
        "\nAPI permissions: {}\n",
        "\nAPI-Berechtigungen: {}\n",
        r.access().describe(lang)
    );
    let missing: Vec<_> = r
        .summary()
        .into_iter()
        .filter(|row| row.assessment.value.is_none() || row.assessment.first_error().is_some())
        .map(|row| row.spec.label.clone())
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        s += &tr!(
            lang,
            "\nStill missing or wrong: {list}\n",
            "\nNoch fehlend oder falsch: {list}\n",
            list = list,
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn export(format: ExportFormat, reveal: bool) -> String {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let (r, out) = capture(|o| super::run(&env, format, (reveal, false, 30), o));
        assert_eq!(r, Ok(0));
        out
    }

    #[test]
    fn env_lines_are_quoted_and_redacted() {
        let out = export(ExportFormat::Env, false);
        assert!(
            out.contains("AZREG_CLIENT_ID='0b1c2d3e-1111-2222-3333-444455556666'\n"),
            "{out}"
        );
        assert!(out.contains("AZREG_CLIENT_SECRET='<redacted>'\n"), "{out}");
        assert!(out.contains(
            "AZREG_WEB_REDIRECT_URI='https://portal.example.com/oauth2/token/ms365-mycompany'"
        ));
        assert!(!out.contains("abc8Q~"));
        // sh reads it back.
        let check = std::process::Command::new("sh")
            .args(["-c", &format!("{out}\nprintf %s \"$AZREG_APP_NAME\"")])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&check.stdout), "Intrexx Portal");
    }

    /// `--allow-incomplete` hands on what is right and leaves a value in error empty, as its
    /// help says: a wrong client ID never reaches a script.
    #[test]
    fn allow_incomplete_leaves_values_in_error_empty() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values: Vec<(&str, &str)> = FULL.to_vec();
        values.retain(|(k, _)| *k != "client_id");
        values.push(("client_id", "not-a-guid"));
        with_values(&env, &values);
        let run = |format, allow| capture(|o| super::run(&env, format, (false, allow, 30), o));
        let (r, _) = run(ExportFormat::Json, false);
        assert!(r.is_err(), "refused without --allow-incomplete");
        let (r, out) = run(ExportFormat::Json, true);
        assert_eq!(r, Ok(0));
        let j: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(j["values"]["client_id"], serde_json::Value::Null, "{out}");
        assert_eq!(
            j["values"]["tenant_id"],
            "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
        );
        let (_, env_out) = run(ExportFormat::Env, true);
        assert!(env_out.contains("AZREG_CLIENT_ID=''\n"), "{env_out}");
        assert!(!env_out.contains("not-a-guid"));
        let (_, sheet) = run(ExportFormat::Intrexx, true);
        assert!(!sheet.contains("not-a-guid"), "{sheet}");
        assert!(sheet.contains("(in error)"), "{sheet}");
    }

    #[test]
    fn reveal_shows_the_secret() {
        assert!(
            export(ExportFormat::Env, true).contains("abc8Q~abcdefghijklmnopqrstuvwxyz0123456_")
        );
        assert!(
            export(ExportFormat::Json, true).contains("abc8Q~abcdefghijklmnopqrstuvwxyz0123456_")
        );
    }

    #[test]
    fn json_and_toml_parse() {
        let j: serde_json::Value =
            serde_json::from_str(&export(ExportFormat::Json, false)).unwrap();
        assert_eq!(j["schema"], "azreg.export");
        assert_eq!(j["version"], 1);
        assert_eq!(
            j["values"]["tenant_id"],
            "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
        );
        assert_eq!(j["values"]["client_secret"], "<redacted>");
        let t: toml::Table = export(ExportFormat::Toml, false).parse().unwrap();
        assert_eq!(t["values"]["collaboration"].as_str(), Some("mycompany"));
    }

    #[test]
    fn intrexx_sheet_says_what_goes_where() {
        let out = export(ExportFormat::Intrexx, false);
        // Compare with the column's spaces folded: its width follows the longest label.
        let folded: Vec<String> = out
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let has = |line: &str| folded.iter().any(|l| l == line);
        assert!(
            out.contains("Portal Manager > Integration > Collaboration"),
            "{out}"
        );
        assert!(
            has("Application (client) ID 0b1c2d3e-1111-2222-3333-444455556666"),
            "{out}"
        );
        assert!(has("Client secret value <redacted>"), "{out}");
        assert!(
            has("Web https://portal.example.com/oauth2/token/ms365-mycompany"),
            "{out}"
        );
        assert!(
            has("Single-page application https://portal.example.com/oauth2callback.html"),
            "{out}"
        );
        let col = out
            .lines()
            .find(|l| l.contains("0b1c2d3e"))
            .unwrap()
            .find("0b1c2d3e");
        let col2 = out
            .lines()
            .find(|l| l.contains("<redacted>"))
            .unwrap()
            .find("<redacted>");
        assert_eq!(col, col2, "values line up");
        assert!(!out.contains("Still missing"));
    }
}
