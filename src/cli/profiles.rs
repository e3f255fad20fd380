//! Profiles: one progress file per portal in `<state dir>/azreg/profiles/NAME.toml`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_OK, EXIT_USAGE, Failure, Outcome};
use crate::core::procedure::Procedure;
use crate::core::report::Report;
use crate::io::store;

/// `azreg profiles`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// One JSON object instead of text, the profiles in a list (schema: assets/schemas/)
    #[arg(long)]
    pub json: bool,
    /// Only the names, one a line (what shell completion offers after --profile)
    #[arg(long, conflicts_with = "json")]
    pub names: bool,
}

/// Names of letters, digits, `-` and `_`, so a name is always a safe file name.
pub fn check_name(name: &str, lang: crate::i18n::Lang) -> Result<(), Failure> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Failure::new(
            EXIT_USAGE,
            crate::tr!(
                lang,
                "invalid profile name {:?}: use letters, digits, - and _ (at most 64)",
                "ungültiger Profilname {:?}: nur Buchstaben, Ziffern, - und _ (höchstens 64)",
                crate::text::clean_for_display(name)
            ),
        ))
    }
}

/// The default progress file and every profile's, by name (`(default)` first).
pub fn all(state_dir: &Path) -> Vec<(String, PathBuf)> {
    let dir = state_dir.join("profiles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.strip_suffix(".toml").map(str::to_string)
                })
                .filter(|n| check_name(n, crate::i18n::Lang::En).is_ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut rows = vec![(String::from("(default)"), state_dir.join("progress.toml"))];
    rows.extend(names.into_iter().map(|n| {
        let p = profile_path(state_dir, &n);
        (n, p)
    }));
    rows
}

pub fn profile_path(state_dir: &Path, name: &str) -> PathBuf {
    state_dir.join("profiles").join(format!("{name}.toml"))
}

/// `azreg profiles --names`: the profiles' names, one a line.
/// `azreg profiles [--names]`.
pub fn exec(
    a: &Args,
    state_dir: &Path,
    procedure: &Procedure,
    today: time::Date,
    out: &mut dyn Write,
) -> Outcome {
    if a.names {
        names(state_dir, out)
    } else {
        run(state_dir, procedure, today, a.json, out)
    }
}

pub fn names(state_dir: &Path, out: &mut dyn Write) -> Outcome {
    let dir = state_dir.join("profiles");
    for (name, path) in all(state_dir) {
        if path.parent() == Some(dir.as_path()) {
            writeln!(out, "{name}").map_err(|e| Failure::write(e, crate::i18n::Lang::En))?;
        }
    }
    Ok(super::EXIT_OK)
}

pub fn run(
    state_dir: &Path,
    procedure: &Procedure,
    today: time::Date,
    json: bool,
    out: &mut dyn Write,
) -> Outcome {
    let io = |e: std::io::Error| Failure::write(e, procedure.lang());
    let rows = all(state_dir);
    let mut any = false;
    let mut list = Vec::new();
    for (name, path) in rows {
        let (line, entry) = match store::load(&path) {
            Ok(None) => continue,
            Ok(Some(p)) => {
                let r = Report::new(procedure, &p, today);
                let (done, total) = (r.done_count(), r.step_count());
                let line = match p.app_deleted.and_then(|t| t.date) {
                    Some(d) => crate::tr!(
                        procedure.lang(),
                        "app deleted {d}",
                        "App gelöscht {d}",
                        d = d,
                    ),
                    None => format!("{done:>2}/{total}"),
                };
                (
                    line,
                    serde_json::json!({"name": name, "file": path.display().to_string(), "done": done, "total": total, "error": null}),
                )
            }
            Err(e) => {
                let m = e.message(procedure.lang());
                (
                    crate::tr!(
                        procedure.lang(),
                        "unreadable: {m}",
                        "nicht lesbar: {m}",
                        m = m
                    ),
                    serde_json::json!({"name": name, "file": path.display().to_string(), "done": null, "total": null, "error": m}),
                )
            }
        };
        any = true;
        if json {
            list.push(entry);
        } else {
            writeln!(out, "{name:<24} {line:<8} {}", path.display()).map_err(io)?;
        }
    }
    if json {
        let doc = serde_json::json!({
            "schema": "azreg.profiles", "version": 1, "profiles": list,
        });
        write!(out, "{}", super::json_text(doc)).map_err(io)?;
        return Ok(EXIT_OK);
    }
    if !any {
        let dir = state_dir.display();
        let none = crate::tr!(
            procedure.lang(),
            "no progress files yet in {dir}",
            "noch keine Fortschrittsdateien in {dir}",
            dir = dir
        );
        writeln!(out, "{none}").map_err(io)?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("portal-a_2", crate::i18n::Lang::En).is_ok());
        for bad in ["", "../x", "a b", "a/b", "ä"] {
            assert!(check_name(bad, crate::i18n::Lang::En).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_profiles_with_progress() {
        let dir = tempfile::tempdir().unwrap();
        let proc = Procedure::embedded().unwrap();
        let mut p = crate::core::progress::Progress::new(&proc.id);
        p.done.insert("sign-in".into(), crate::io::clock::now());
        store::save(&profile_path(dir.path(), "alpha"), &p, false).unwrap();
        store::save(
            &profile_path(dir.path(), "beta"),
            &crate::core::progress::Progress::new("x"),
            false,
        )
        .unwrap();
        let mut json = Vec::new();
        run(
            dir.path(),
            &proc,
            time::macros::date!(2026 - 11 - 26),
            true,
            &mut json,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["schema"], "azreg.profiles");
        let v = &v["profiles"];
        assert_eq!(v[0]["name"], "alpha");
        assert_eq!(v[0]["done"], 1);
        assert_eq!(v[1]["total"], 23);
        let mut out = Vec::new();
        run(
            dir.path(),
            &proc,
            time::macros::date!(2026 - 11 - 26),
            false,
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("alpha") && lines[0].contains(" 1/23"),
            "{out}"
        );
        assert!(
            lines[1].starts_with("beta") && lines[1].contains(" 0/23"),
            "{out}"
        );
    }
}
