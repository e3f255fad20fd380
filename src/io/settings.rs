//! The settings file, `$XDG_CONFIG_HOME/azreg/config.toml` (`AZREG_CONFIG` names another):
//! language, clipboard, colour and mouse, each overridden by its command-line flag. Read like
//! every file of ours (no link followed, owned by the user, bounded); an unknown key or value
//! is an error that names the file, never silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file as written; each setting optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `en` or `de`.
    pub language: Option<String>,
    /// `auto`, `system`, `osc52` or `off`.
    pub clipboard: Option<String>,
    /// `auto`, `always` or `never`.
    pub color: Option<String>,
    /// Whether the walkthrough takes the mouse (off: the terminal's own selection works).
    pub mouse: Option<bool>,
}

/// Where the settings file is: `AZREG_CONFIG`, else the platform's config directory.
pub fn path(env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(p) = env("AZREG_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "azreg").map(|d| d.config_dir().join("config.toml"))
}

/// The environment variable that turns colour off, if one does: `NO_COLOR` (any value),
/// `CLICOLOR=0` or `TERM=dumb` (the conventions of no-color.org and of `ls`).
pub fn colour_off_by(env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<&'static str> {
    [
        ("NO_COLOR", env("NO_COLOR").is_some_and(|v| !v.is_empty())),
        ("CLICOLOR", env("CLICOLOR").is_some_and(|v| v == "0")),
        ("TERM", env("TERM").is_some_and(|v| v == "dumb")),
    ]
    .into_iter()
    .find_map(|(var, off)| off.then_some(var))
}

/// The settings file's problem, with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSettings {
    pub path: PathBuf,
    pub why: String,
}

/// Read the settings; a missing file is no settings.
pub fn load(path: &Path) -> Result<Settings, BadSettings> {
    let bad = |why: String| BadSettings {
        path: path.to_path_buf(),
        why: crate::text::clean_for_display(&why).into_owned(),
    };
    // Another user who may write the file would choose the language, the clipboard and the
    // colours of every run: refused, as the progress file is, with the fix.
    if let Ok(Some(f)) = crate::io::safe_fs::open_existing(path)
        && let Ok(meta) = f.metadata()
        && let Some(mode) = crate::platform::facts(&meta).mode
        && mode & 0o022 != 0
    {
        return Err(bad(format!(
            "others can write it (mode {:o}): azreg takes no settings from it; make it yours alone: chmod go-w {}",
            mode & 0o777,
            path.display()
        )));
    }
    match crate::io::safe_fs::read_bounded(path) {
        Ok(None) => Ok(Settings::default()),
        Ok(Some(text)) => toml::from_str(&text).map_err(|e| bad(e.message().to_string())),
        Err(e) => Err(bad(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_no_settings_and_an_unknown_key_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(load(&p), Ok(Settings::default()));
        std::fs::write(&p, "language = \"de\"\nmouse = false\n").unwrap();
        let s = load(&p).unwrap();
        assert_eq!(s.language.as_deref(), Some("de"));
        assert_eq!(s.mouse, Some(false));
        std::fs::write(&p, "colour = \"never\"\n").unwrap();
        let e = load(&p).unwrap_err();
        assert!(e.why.contains("colour"), "{e:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_write_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "language = \"de\"\n").unwrap();
        for mode in [0o664, 0o646, 0o666] {
            crate::platform::set_mode(&p, mode).unwrap();
            let e = load(&p).unwrap_err();
            assert!(
                e.why.contains("others can write it") && e.why.contains("chmod go-w"),
                "{e:?}"
            );
        }
        crate::platform::set_mode(&p, 0o644).unwrap();
        assert_eq!(load(&p).unwrap().language.as_deref(), Some("de"));
    }

    #[test]
    fn colour_is_turned_off_by_the_environments_conventions() {
        use crate::test_env::env_of;
        assert_eq!(colour_off_by(&env_of(&[])), None);
        assert_eq!(
            colour_off_by(&env_of(&[("NO_COLOR", "1")])),
            Some("NO_COLOR")
        );
        assert_eq!(
            colour_off_by(&env_of(&[("CLICOLOR", "0")])),
            Some("CLICOLOR")
        );
        assert_eq!(colour_off_by(&env_of(&[("CLICOLOR", "1")])), None);
        assert_eq!(colour_off_by(&env_of(&[("TERM", "dumb")])), Some("TERM"));
    }

    #[test]
    fn azreg_config_names_another_file() {
        let env = |n: &str| (n == "AZREG_CONFIG").then(|| "/etc/azreg.toml".into());
        assert_eq!(path(&env), Some(PathBuf::from("/etc/azreg.toml")));
        assert!(path(&|_| None).is_some_and(|p| p.ends_with("azreg/config.toml")));
    }
}
