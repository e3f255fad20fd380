//! The effective settings and where each came from: the command line, the environment, the
//! settings file (`io::settings`), the operating system, or the default. `azreg config` shows
//! them; `main` and the walkthrough use them.

use std::io::Write;

use clap::ValueEnum;

use super::{EXIT_OK, EXIT_USAGE, Failure, Outcome};
use crate::i18n::Lang;
use crate::io::clipboard::Mode;
use crate::io::settings::{self, Settings};
use crate::tr;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `Some(on)` when chosen outright, `None` for the environment to decide.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// `azreg config`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// One JSON object
    #[arg(long)]
    pub json: bool,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    File,
    Os,
    Default,
}

impl Source {
    fn text(&self, file: &str, lang: Lang) -> String {
        match self {
            Source::Flag(f) => tr!(lang, "command line ({f})", "Befehlszeile ({f})", f = f),
            Source::Env(v) => tr!(lang, "environment ({v})", "Umgebung ({v})", v = v),
            Source::File => tr!(
                lang,
                "settings file {file}",
                "Einstellungsdatei {file}",
                file = file
            ),
            Source::Os => tr!(
                lang,
                "the operating system's locale",
                "Gebietsschema des Betriebssystems"
            ),
            Source::Default => tr!(lang, "default", "Vorgabe"),
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Source::Flag(_) => "flag",
            Source::Env(_) => "env",
            Source::File => "file",
            Source::Os => "os",
            Source::Default => "default",
        }
    }
}

/// Each setting's value and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub file: Option<std::path::PathBuf>,
    pub lang: (Lang, Source),
    pub clipboard: (Mode, Source),
    /// Colour on or off.
    pub color: (bool, Source),
    pub mouse: (bool, Source),
}

/// What the command line says (`None`: not given).
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub lang: Option<Lang>,
    pub clipboard: Option<Mode>,
    pub color: Option<ColorChoice>,
    pub no_mouse: bool,
}

fn bad_value(file: &std::path::Path, key: &str, value: &str, allowed: &str) -> Failure {
    Failure::new(
        EXIT_USAGE,
        format!(
            "{}: {key} = {:?}: one of {allowed}",
            file.display(),
            crate::text::clean_for_display(value)
        ),
    )
}

/// Flags first, then the environment (`NO_COLOR`, `CLICOLOR`, `TERM=dumb`), then the settings
/// file, then the operating system's locale, then defaults; for the language the settings
/// file's explicit choice comes before the locale variables.
pub fn resolve(
    flags: Flags,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
    os_locale: &dyn Fn() -> Option<String>,
) -> Result<Effective, Failure> {
    let file = settings::path(env);
    let s: Settings = match &file {
        Some(p) => settings::load(p)
            .map_err(|b| Failure::new(EXIT_USAGE, format!("{}: {}", b.path.display(), b.why)))?,
        None => Settings::default(),
    };
    let at = || file.clone().unwrap_or_default();
    // The file's language is checked whatever wins: a language azreg cannot speak is an error
    // that names the languages it can, never silently ignored.
    let file_lang = match &s.language {
        Some(l) => {
            Some(Lang::from_str(l, true).map_err(|_| bad_value(&at(), "language", l, "en, de"))?)
        }
        None => None,
    };
    // An explicit choice (the flag, then the file) wins over the locale the system happens
    // to set (LANG=C.UTF-8 says nothing of the admin's language).
    let lang = if let Some(l) = flags.lang {
        (l, Source::Flag("--lang"))
    } else if let Some(l) = file_lang {
        (l, Source::File)
    } else if let Some(v) = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find(|v| env(v).is_some_and(|x| !x.is_empty()))
    {
        let code = env(v).unwrap_or_default();
        (Lang::from_code(&code.to_string_lossy()), Source::Env(v))
    } else if let Some(code) = os_locale() {
        (Lang::from_code(&code), Source::Os)
    } else {
        (Lang::En, Source::Default)
    };
    let clipboard = if let Some(m) = flags.clipboard {
        (m, Source::Flag("--clipboard"))
    } else if let Some(m) = &s.clipboard {
        let m = Mode::from_str(m, true)
            .map_err(|_| bad_value(&at(), "clipboard", m, "auto, system, osc52, off"))?;
        (m, Source::File)
    } else {
        (Mode::Auto, Source::Default)
    };
    let color = match (
        flags.color.and_then(ColorChoice::forced),
        settings::colour_off_by(env),
    ) {
        (Some(on), _) => (on, Source::Flag("--color")),
        (None, Some(var)) => (false, Source::Env(var)),
        (None, None) => match s.color.as_deref() {
            Some(c) => {
                let choice = ColorChoice::from_str(c, true)
                    .map_err(|_| bad_value(&at(), "color", c, "auto, always, never"))?;
                (choice.forced().unwrap_or(true), Source::File)
            }
            None => (true, Source::Default),
        },
    };
    let mouse = if flags.no_mouse {
        (false, Source::Flag("--no-mouse"))
    } else if let Some(m) = s.mouse {
        (m, Source::File)
    } else {
        (true, Source::Default)
    };
    Ok(Effective {
        file,
        lang,
        clipboard,
        color,
        mouse,
    })
}

/// `azreg config [--json]`: each effective setting and where it came from.
/// `azreg config`.
pub fn exec(e: &Effective, a: &Args, out: &mut dyn Write) -> Outcome {
    run(e, a.json, out)
}

pub fn run(e: &Effective, json: bool, out: &mut dyn Write) -> Outcome {
    let lang = e.lang.0;
    let io = |err: std::io::Error| Failure::write(err, lang);
    let file = e
        .file
        .as_ref()
        .map(|p| crate::text::clean_for_display(&p.display().to_string()).into_owned())
        .unwrap_or_default();
    let on_off = |b: bool| if b { "on" } else { "off" };
    let clip = e
        .clipboard
        .0
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let rows: [(&str, String, &Source); 4] = [
        ("language", lang.code().to_string(), &e.lang.1),
        ("clipboard", clip, &e.clipboard.1),
        ("color", on_off(e.color.0).into(), &e.color.1),
        ("mouse", on_off(e.mouse.0).into(), &e.mouse.1),
    ];
    if json {
        let settings: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v, s)| {
                (
                    k.to_string(),
                    serde_json::json!({"value": v, "source": s.key(), "from": s.text(&file, lang)}),
                )
            })
            .collect();
        let doc = serde_json::json!({
            "schema": "azreg.config", "version": 1,
            "file": file, "settings": settings,
        });
        write!(out, "{}", super::json_text(doc)).map_err(io)?;
        return Ok(EXIT_OK);
    }
    let exists = e.file.as_ref().is_some_and(|p| p.exists());
    writeln!(
        out,
        "{}",
        if exists {
            tr!(lang, "Settings file: {file}", "Einstellungsdatei: {file}", file = file)
        } else {
            tr!(
                lang,
                "Settings file: {file} (none yet; keys: language, clipboard, color, mouse)",
                "Einstellungsdatei: {file} (noch keine; Schlüssel: language, clipboard, color, mouse)",
                file = file
            )
        }
    )
    .map_err(io)?;
    for (k, v, s) in rows {
        writeln!(out, "  {k:<10} {v:<8} {}", s.text(&file, lang)).map_err(io)?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_env::env_of;

    #[test]
    fn flags_win_then_the_environment_then_the_file_then_the_os() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "language = \"de\"\nclipboard = \"osc52\"\ncolor = \"never\"\nmouse = false\n",
        )
        .unwrap();
        let file_s = file.display().to_string();
        let pairs = [("AZREG_CONFIG", file_s.as_str())];
        let e = resolve(Flags::default(), &env_of(&pairs), &|| Some("en-US".into())).unwrap();
        assert_eq!(e.lang, (Lang::De, Source::File));
        assert_eq!(e.clipboard, (Mode::Osc52, Source::File));
        assert_eq!(e.color, (false, Source::File));
        assert_eq!(e.mouse, (false, Source::File));
        let pairs2 = [
            ("AZREG_CONFIG", file_s.as_str()),
            ("LANG", "en_GB.UTF-8"),
            ("NO_COLOR", "1"),
        ];
        let flags = Flags {
            clipboard: Some(Mode::Off),
            no_mouse: true,
            ..Flags::default()
        };
        let e = resolve(flags, &env_of(&pairs2), &|| None).unwrap();
        // The file's explicit language wins over any LANG.
        assert_eq!(e.lang, (Lang::De, Source::File));
        assert_eq!(e.clipboard, (Mode::Off, Source::Flag("--clipboard")));
        assert_eq!(e.color, (false, Source::Env("NO_COLOR")));
        assert_eq!(e.mouse, (false, Source::Flag("--no-mouse")));
        // --color always or never wins over the environment.
        for (choice, on) in [(ColorChoice::Always, true), (ColorChoice::Never, false)] {
            let flags = Flags {
                color: Some(choice),
                ..Flags::default()
            };
            let e = resolve(flags, &env_of(&pairs2), &|| None).unwrap();
            assert_eq!(e.color, (on, Source::Flag("--color")));
        }
        // No locale variable and no file setting: the operating system's (Windows sets no LANG).
        let none = [("AZREG_CONFIG", "/nonexistent/azreg.toml")];
        let e = resolve(Flags::default(), &env_of(&none), &|| Some("de-DE".into())).unwrap();
        assert_eq!(e.lang, (Lang::De, Source::Os));
        let mut out = Vec::new();
        run(&e, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Gebietsschema des Betriebssystems"), "{text}");
    }

    #[test]
    fn the_locale_decides_only_without_an_explicit_language_and_fr_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "color = \"never\"\n").unwrap();
        let file_s = file.display().to_string();
        let pairs = [("AZREG_CONFIG", file_s.as_str()), ("LANG", "de_DE.UTF-8")];
        let e = resolve(Flags::default(), &env_of(&pairs), &|| None).unwrap();
        assert_eq!(e.lang, (Lang::De, Source::Env("LANG")));
        std::fs::write(&file, "language = \"fr\"\n").unwrap();
        let pairs = [("AZREG_CONFIG", file_s.as_str()), ("LANG", "C.UTF-8")];
        let f = resolve(Flags::default(), &env_of(&pairs), &|| None).unwrap_err();
        assert!(
            f.message.contains("language = \"fr\": one of en, de"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_bad_value_names_the_file_and_what_is_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "clipboard = \"xclip\"\n").unwrap();
        let file_s = file.display().to_string();
        let pairs = [("AZREG_CONFIG", file_s.as_str())];
        let f = resolve(Flags::default(), &env_of(&pairs), &|| None).unwrap_err();
        assert_eq!(f.code, EXIT_USAGE);
        assert!(
            f.message
                .contains("config.toml: clipboard = \"xclip\": one of auto, system, osc52, off"),
            "{}",
            f.message
        );
    }
}
