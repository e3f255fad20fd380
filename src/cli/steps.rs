//! `azreg steps`: the procedure, numbered, as text or Markdown.

use std::io::Write;

use super::{EXIT_OK, Env, Failure, Outcome};
use crate::core::procedure::{EntryKind, Procedure, Step};
use crate::text::clean_for_display;

/// `steps --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StepsFormat {
    Text,
    Markdown,
}

/// `azreg steps`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = StepsFormat::Text)]
    pub format: StepsFormat,
}

/// `azreg steps`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(env, a.format, out)
}

pub fn run(env: &Env, format: StepsFormat, out: &mut dyn Write) -> Outcome {
    let text = match format {
        StepsFormat::Text => text(&env.procedure),
        StepsFormat::Markdown => markdown(&env.procedure),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(EXIT_OK)
}

fn extras(step: &Step, lang: crate::i18n::Lang) -> Vec<(&'static str, &str)> {
    use crate::i18n::L;
    [
        (L::new("Where", "Wo"), &step.menu),
        (L::new("Example", "Beispiel"), &step.example),
        (L::new("Link", "Link"), &step.link),
        (L::new("Note", "Hinweis"), &step.warning),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| (k.get(lang), v)))
    .collect()
}

fn text(p: &Procedure) -> String {
    let mut s = format!("{}\n{}\n", p.title, "=".repeat(p.title.chars().count()));
    let mut section = None;
    for e in &p.entries {
        if e.kind == EntryKind::Summary {
            continue;
        }
        let step = &e.step;
        let indent = match e.kind {
            EntryKind::Step { section: si, .. } => {
                if section != Some(si) {
                    section = Some(si);
                    let t = &p.sections[si].title;
                    s += &format!("\n{t}\n{}\n", "-".repeat(t.chars().count()));
                }
                s += &format!("\n{:>2}. {}\n", e.label, step.title);
                "    "
            }
            _ => {
                s += &format!("\n{}\n", step.title);
                "  "
            }
        };
        for para in step.body.trim_end().split('\n') {
            let opts = textwrap::Options::new(78)
                .initial_indent(indent)
                .subsequent_indent(indent);
            s += &textwrap::fill(para, opts);
            s += "\n";
        }
        for (k, v) in extras(step, p.lang()) {
            s += &format!("{indent}{k}: {v}\n");
        }
    }
    clean_for_display(&s).into_owned()
}

fn markdown(p: &Procedure) -> String {
    let mut s = format!("# {}\n", p.title);
    let mut section = None;
    for e in &p.entries {
        let step = &e.step;
        match e.kind {
            EntryKind::Summary => continue,
            EntryKind::Intro => s += &format!("\n## {}\n\n{}\n", step.title, step.body.trim_end()),
            EntryKind::Step { section: si, .. } => {
                if section != Some(si) {
                    section = Some(si);
                    s += &format!("\n## {}\n", p.sections[si].title);
                }
                s += &format!("\n{}. **{}**\n\n", e.label, step.title);
                for para in step.body.trim_end().split('\n') {
                    if para.is_empty() {
                        s += "\n";
                    } else {
                        s += &format!("    {para}\n");
                    }
                }
                for (k, v) in extras(step, p.lang()) {
                    let v = if step.example.as_deref() == Some(v) || step.link.as_deref() == Some(v)
                    {
                        format!("`{v}`")
                    } else {
                        v.to_string()
                    };
                    s += &format!("\n    *{k}:* {v}\n");
                }
            }
        }
    }
    clean_for_display(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn text_is_numbered_in_sections() {
        let dir = tempfile::tempdir().unwrap();
        let (r, out) = capture(|o| super::run(&env(dir.path()), StepsFormat::Text, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("\nRegister app\n------------\n"), "{out}");
        assert!(out.contains("\n 1. Sign in to the Azure portal\n"));
        assert!(out.contains("\n23. Copy the application (client) ID"));
        assert!(out.contains("Link: https://portal.azure.com"));
        assert!(out.contains("Certificates & secrets"));
    }

    #[test]
    fn markdown_has_headings_and_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let (_, out) = capture(|o| super::run(&env(dir.path()), StepsFormat::Markdown, o));
        assert!(out.starts_with("# Register your Intrexx portal"));
        assert!(out.contains("\n## Create client secret\n"));
        assert!(out.contains("\n21. **Copy the value (!) of the client secret**\n"));
        assert!(out.contains("`https://exampleportal.com/oauth2callback.html`"));
    }
}
