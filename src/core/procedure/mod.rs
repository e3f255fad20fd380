//! The schema of `assets/procedure*.toml`, loading it and checking it.
//!
//! A procedure is immutable once loaded: the intro card, the numbered steps grouped in
//! sections, the summary card, and the fields the steps capture. Everything else addresses
//! steps and fields by their `id`.

mod flaw;
pub use flaw::{Flaw, ProcedureError};

use std::collections::HashSet;

use serde::Deserialize;

use crate::core::fields::{FieldKind, FieldSpec};
use crate::i18n::Lang;

/// The English procedure, embedded so the binary needs no files beside it.
pub const EMBEDDED_EN: &str = include_str!("../../../assets/procedure.en.toml");
/// The German procedure, embedded like the English one.
pub const EMBEDDED_DE: &str = include_str!("../../../assets/procedure.de.toml");

/// The renewal of the client secret (`azreg renew`), embedded like the registration.
pub const RENEW_EN: &str = include_str!("../../../assets/renew.en.toml");
pub const RENEW_DE: &str = include_str!("../../../assets/renew.de.toml");

/// The embedded renewal procedure in a language, and a name for its errors.
pub fn renewal_text(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        // The test language has no procedure of its own.
        Lang::En | Lang::Pseudo => (RENEW_EN, "embedded renew.en.toml"),
        Lang::De => (RENEW_DE, "embedded renew.de.toml"),
    }
}

/// The embedded procedure in a language, and a name for its errors.
pub fn embedded_text(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En | Lang::Pseudo => (EMBEDDED_EN, "embedded procedure.en.toml"),
        Lang::De => (EMBEDDED_DE, "embedded procedure.de.toml"),
    }
}

/// The schema version this build reads.
pub const SCHEMA: u32 = 1;

impl Step {
    /// The web addresses the step's text names (`c` copies them when the step has no value
    /// or link of its own), found once when the procedure is loaded.
    pub fn body_urls(&self) -> &[String] {
        &self.urls
    }
}

/// The web addresses a text names: whole, without the sentence's punctuation after them.
fn urls_in(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| {
            w.trim_end_matches(['.', ',', ';', ':', ')', '"', '\'', '“', '”', '»'])
                .to_string()
        })
        .filter(|u| url::Url::parse(u).is_ok())
        .collect()
}

/// One card of the walkthrough: the intro, a numbered step, or the summary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// Menu path in the Azure portal or Intrexx, shown under the text.
    #[serde(default)]
    pub menu: Option<String>,
    /// An example value, as the guide gives it.
    #[serde(default)]
    pub example: Option<String>,
    /// A web address the user opens at this step (`o`).
    #[serde(default)]
    pub link: Option<String>,
    /// A link to hand on (`c` copies it), with `{field}` placeholders filled from the values
    /// (and `{authority}`, the identity platform): the admin-consent link for an administrator.
    #[serde(default)]
    pub share: Option<String>,
    /// The app's page in the portal for this step (`Authentication`, `Credentials`, ...): `o`
    /// opens it by client ID once that is known (`[links] app_page`), else the list of apps.
    #[serde(default)]
    pub page: Option<String>,
    /// A warning shown prominently above the fields.
    #[serde(default)]
    pub warning: Option<String>,
    /// Ids of the fields captured at this step.
    #[serde(default)]
    pub fields: Vec<String>,
    /// The field whose value is this step's main value (copied with `c`).
    #[serde(default)]
    pub main: Option<String>,
    /// Fields this card lists without capturing them (the summary), in this order.
    #[serde(default)]
    pub lists: Vec<String>,
    /// The live check (`V`) can be started here.
    #[serde(default)]
    pub verify: bool,
    /// The web addresses in `body` (derived at load, never in the file).
    #[serde(skip)]
    urls: Vec<String>,
    /// A generated script does this step only when this key of its output JSON is `true`
    /// (e.g. `adminConsent`); other steps of a `scripted` section it always does.
    #[serde(default)]
    pub scripted_when: Option<String>,
    /// Which part of `azreg apply` does this step (`app`, `secret`, `ids`, `consent`); the
    /// section's when absent.
    #[serde(default)]
    pub applied: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionDef {
    id: String,
    title: String,
    /// Steps beyond the vendor's guide: numbered with this prefix (`P1`, `P2`, ...) and not
    /// counted among the guide's steps, which keep their numbers and their count.
    #[serde(default)]
    number_prefix: Option<String>,
    /// A generated script (`azreg script`) performs this section's steps; `import` marks
    /// them done when it reads the script's output.
    #[serde(default)]
    scripted: bool,
    /// Which part of `azreg apply` does this section's steps (see `Step::applied`).
    #[serde(default)]
    applied: Option<String>,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureFile {
    schema: u32,
    id: String,
    #[serde(default)]
    language: String,
    title: String,
    intro: Step,
    summary: Step,
    sections: Vec<SectionDef>,
    #[serde(default)]
    fields: Vec<FieldSpec>,
    #[serde(default)]
    links: Links,
}

/// Addresses in the Azure portal. They are portal routes, not a documented contract: they may
/// change, which is why they are data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// One app's page: `{page}` and `{client_id}` are filled in.
    #[serde(default)]
    pub app_page: Option<String>,
    /// The list of app registrations, before the client ID is known.
    #[serde(default)]
    pub app_list: Option<String>,
}

/// What kind of card an entry of the walkthrough is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Intro,
    /// A numbered step (1-based) in the section with this index.
    Step {
        number: usize,
        section: usize,
    },
    Summary,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    pub step: Step,
    /// The number shown for a step: `7` in the guide, `P2` beyond it; empty for the cards.
    pub label: String,
    /// One of the vendor guide's numbered steps (counted in `N/23`).
    pub in_guide: bool,
    /// Done by a generated script (see `SectionDef::scripted`).
    pub scripted: bool,
    /// The part of `azreg apply` that does this step, if any.
    pub applied: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// One row of the checklist: a section heading or an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Section(usize),
    Entry(usize),
}

/// A loaded and checked procedure.
#[derive(Debug, Clone)]
pub struct Procedure {
    pub id: String,
    pub language: String,
    pub title: String,
    /// Intro card, the numbered steps in order, summary card.
    pub entries: Vec<Entry>,
    pub sections: Vec<Section>,
    pub fields: Vec<FieldSpec>,
    /// The checklist's rows, computed once.
    pub rows: Vec<Row>,
    /// For each entry, its row in `rows`.
    pub row_of_entry: Vec<usize>,
    /// The checklist's widest row in terminal columns ("[x] 10 " and the title).
    pub list_width: u16,
    pub links: Links,
}

/// Every text a procedure shows, cleaned once at load: control, escape and bidi characters
/// become U+FFFD, so no output (walkthrough, `status`, `check`, `steps`, exports) can carry
/// them to a terminal. Line breaks stay.
fn defuse(file: &mut ProcedureFile) {
    let clean = |s: &mut String| {
        if let std::borrow::Cow::Owned(c) = crate::text::clean_for_display(s) {
            *s = c;
        }
    };
    let clean_opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            clean(s);
        }
    };
    let step = |st: &mut Step| {
        clean(&mut st.title);
        clean(&mut st.body);
        st.urls = urls_in(&st.body);
        clean_opt(&mut st.menu);
        clean_opt(&mut st.example);
        clean_opt(&mut st.link);
        clean_opt(&mut st.warning);
    };
    clean(&mut file.title);
    step(&mut file.intro);
    step(&mut file.summary);
    for sec in &mut file.sections {
        clean(&mut sec.title);
        sec.steps.iter_mut().for_each(step);
    }
    for f in &mut file.fields {
        clean(&mut f.label);
        clean(&mut f.help);
        clean_opt(&mut f.platform);
        clean_opt(&mut f.distinct_message);
        for o in &mut f.options {
            clean(&mut o.label);
            clean_opt(&mut o.note);
        }
    }
}

/// `[a-z][a-z0-9_]*`, with `-` too for step and section ids (saved progress uses them).
fn is_id(id: &str, dash: bool) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (dash && c == '-'))
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Turn a TOML parse error into a message with a position.
pub fn toml_error_parts(text: &str, err: &toml::de::Error) -> (Option<(usize, usize)>, String) {
    let position = err.span().map(|span| line_col(text, span.start));
    (position, err.message().trim().to_string())
}

impl Procedure {
    /// The embedded English procedure. It is checked by the tests, so this cannot fail in a
    /// released build; the error path is still reported rather than unwrapped.
    pub fn embedded() -> Result<Self, ProcedureError> {
        Self::parse(EMBEDDED_EN, "embedded procedure.en.toml")
    }

    pub fn parse(text: &str, source_name: &str) -> Result<Self, ProcedureError> {
        let err = |position, flaw| ProcedureError {
            source_name: source_name.to_string(),
            position,
            flaw,
        };
        let file: ProcedureFile = toml::from_str(text).map_err(|e| {
            let (pos, msg) = toml_error_parts(text, &e);
            err(pos, Flaw::Toml(msg))
        })?;
        // Point checks at the line where the offending id is written.
        let locate = |needle: &str| {
            let pat = format!("id = \"{needle}\"");
            text.find(&pat).map(|off| line_col(text, off))
        };
        Self::build(file).map_err(|flaw| err(flaw.id().and_then(locate), flaw))
    }

    fn build(mut file: ProcedureFile) -> Result<Self, Flaw> {
        defuse(&mut file);
        if file.schema != SCHEMA {
            return Err(Flaw::Schema { found: file.schema });
        }
        if file.id.trim().is_empty() {
            return Err(Flaw::NoId);
        }
        let card = |kind, step| Entry {
            kind,
            step,
            label: String::new(),
            in_guide: false,
            scripted: false,
            applied: None,
        };
        let mut entries = vec![card(EntryKind::Intro, file.intro)];
        let mut guide_steps = 0;
        let mut sections = Vec::new();
        let mut rows = vec![Row::Entry(0)];
        for (si, sec) in file.sections.into_iter().enumerate() {
            if sec.steps.is_empty() {
                return Err(Flaw::EmptySection { section: sec.id });
            }
            rows.push(Row::Section(si));
            sections.push(Section {
                id: sec.id,
                title: sec.title,
            });
            for (k, step) in sec.steps.into_iter().enumerate() {
                let number = entries.len();
                rows.push(Row::Entry(number));
                let applied = step.applied.clone().or_else(|| sec.applied.clone());
                let label = match &sec.number_prefix {
                    Some(prefix) => format!("{prefix}{}", k + 1),
                    None => {
                        guide_steps += 1;
                        guide_steps.to_string()
                    }
                };
                entries.push(Entry {
                    kind: EntryKind::Step {
                        number,
                        section: si,
                    },
                    step,
                    in_guide: sec.number_prefix.is_none(),
                    scripted: sec.scripted,
                    applied,
                    label,
                });
            }
        }
        if sections.is_empty() {
            return Err(Flaw::NoSections);
        }
        rows.push(Row::Entry(entries.len()));
        entries.push(card(EntryKind::Summary, file.summary));
        let mut row_of_entry = vec![0; entries.len()];
        for (ri, row) in rows.iter().enumerate() {
            if let Row::Entry(e) = row {
                row_of_entry[*e] = ri;
            }
        }
        let list_width = entries
            .iter()
            .map(|e| 8 + unicode_width::UnicodeWidthStr::width(e.step.title.as_str()))
            .chain(
                sections
                    .iter()
                    .map(|s| unicode_width::UnicodeWidthStr::width(s.title.as_str())),
            )
            .max()
            .unwrap_or(0)
            .min(usize::from(u16::MAX)) as u16;
        let proc = Procedure {
            id: file.id,
            language: file.language,
            title: file.title,
            entries,
            sections,
            fields: file.fields,
            rows,
            row_of_entry,
            list_width,
            links: file.links,
        };
        proc.check()?;
        Ok(proc)
    }

    /// Structural checks: unique ids, non-empty titles, every field named exists and is
    /// captured at exactly one step, references between fields resolve.
    #[allow(
        clippy::too_many_lines,
        reason = "one check per rule of the procedure format, in the order the format lists them"
    )]
    fn check(&self) -> Result<(), Flaw> {
        let mut ids = HashSet::new();
        let sec_ids = self.sections.iter().map(|s| (&s.id, &s.title));
        let entry_ids = self.entries.iter().map(|e| (&e.step.id, &e.step.title));
        for (id, title) in sec_ids.chain(entry_ids) {
            if id.trim().is_empty() {
                return Err(Flaw::EmptyId {
                    title: title.clone(),
                });
            }
            if !is_id(id, true) {
                return Err(Flaw::BadId { id: id.clone() });
            }
            if !ids.insert(id.as_str()) {
                return Err(Flaw::IdTwice { id: id.clone() });
            }
            if title.trim().is_empty() {
                return Err(Flaw::NoTitle { id: id.clone() });
            }
        }
        // A redirect URI's platform in Graph is data, but one Graph knows.
        for f in &self.fields {
            if let Some(g) = &f.graph_platform
                && !crate::core::fields::GRAPH_PLATFORMS.contains(&g.as_str())
            {
                return Err(Flaw::BadGraphPlatform {
                    field: f.id.clone(),
                    platform: g.clone(),
                });
            }
        }
        // Portal links are data, and the page names go into a URL: keep both plain.
        for t in [&self.links.app_page, &self.links.app_list]
            .into_iter()
            .flatten()
        {
            if !t.starts_with("https://") {
                return Err(Flaw::LinkNotHttps { link: t.clone() });
            }
        }
        for e in &self.entries {
            // A step's link opens in the browser: https only, as `[links]`.
            if let Some(link) = &e.step.link
                && !link.starts_with("https://")
            {
                return Err(Flaw::LinkNotHttpsAt {
                    step: e.step.id.clone(),
                    link: link.clone(),
                });
            }
            if let Some(share) = &e.step.share
                && !share.starts_with("https://")
                && !share.starts_with("{authority}/")
            {
                return Err(Flaw::LinkNotHttpsAt {
                    step: e.step.id.clone(),
                    link: share.clone(),
                });
            }
            if let Some(page) = &e.step.page
                && (page.is_empty() || !page.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                return Err(Flaw::BadPage {
                    step: e.step.id.clone(),
                    page: page.clone(),
                });
            }
        }
        let mut field_ids = HashSet::new();
        for f in &self.fields {
            // Field ids become names in exports (`AZREG_<ID>=`) and scripts: data, never code.
            if !is_id(&f.id, false) {
                return Err(Flaw::BadFieldId {
                    field: f.id.clone(),
                });
            }
            if !field_ids.insert(f.id.as_str()) {
                return Err(Flaw::FieldTwice {
                    field: f.id.clone(),
                });
            }
            if crate::core::progress::SECRET_FIELDS.contains(&f.id.as_str())
                && f.kind != FieldKind::Secret
            {
                return Err(Flaw::SecretKind {
                    field: f.id.clone(),
                });
            }
        }
        let mut captured: HashSet<&str> = HashSet::new();
        for e in &self.entries {
            for fid in &e.step.fields {
                if !field_ids.contains(fid.as_str()) {
                    return Err(Flaw::UndeclaredField {
                        step: e.step.id.clone(),
                        field: fid.clone(),
                    });
                }
                if !captured.insert(fid.as_str()) {
                    return Err(Flaw::CapturedTwice {
                        step: e.step.id.clone(),
                        field: fid.clone(),
                    });
                }
            }
            if let Some(bad) = e
                .step
                .lists
                .iter()
                .find(|f| !field_ids.contains(f.as_str()))
            {
                return Err(Flaw::UndeclaredList {
                    step: e.step.id.clone(),
                    field: bad.clone(),
                });
            }
            if let Some(main) = &e.step.main
                && !e.step.fields.contains(main)
            {
                return Err(Flaw::MainNotOwn {
                    step: e.step.id.clone(),
                    main: main.clone(),
                });
            }
        }
        for f in &self.fields {
            if !captured.contains(f.id.as_str()) {
                return Err(Flaw::NotCaptured {
                    field: f.id.clone(),
                });
            }
            for r in f.references() {
                if !field_ids.contains(r) {
                    return Err(Flaw::UndeclaredRef {
                        field: f.id.clone(),
                        target: r.to_string(),
                    });
                }
            }
            // A derived value is made only of entered ones: no chains, no cycles.
            if let Some(template) = &f.derive
                && let Some(src) = crate::core::fields::placeholders(template)
                    .into_iter()
                    .find(|src| self.field(src).is_some_and(|s| s.derive.is_some()))
            {
                return Err(Flaw::DerivedChain {
                    field: f.id.clone(),
                    source: src.to_string(),
                });
            }
            if f.kind == FieldKind::Choice && f.options.is_empty() {
                return Err(Flaw::NoOptions {
                    field: f.id.clone(),
                });
            }
        }
        Ok(())
    }

    /// The language of the interface that goes with this procedure.
    pub fn lang(&self) -> crate::i18n::Lang {
        Lang::from_code(&self.language)
    }

    /// The address `o` opens at an entry: its own link; else its page of the app, by the client
    /// ID when that is a GUID, else the list of app registrations.
    pub fn link_for(&self, entry: usize, client_id: Option<&str>) -> Option<String> {
        let step = &self.entries[entry].step;
        if let Some(link) = &step.link {
            return Some(link.clone());
        }
        let page = step.page.as_deref()?;
        match (
            client_id.filter(|c| crate::core::fields::is_guid(c)),
            &self.links.app_page,
        ) {
            (Some(id), Some(t)) => Some(t.replace("{page}", page).replace("{client_id}", id)),
            _ => self.links.app_list.clone(),
        }
    }

    /// The step's link to hand on, filled with the values; `None` while one it names is missing
    /// or in error (no half link is handed on).
    pub fn share_for(
        &self,
        entry: usize,
        values: &crate::core::fields::Values,
        today: time::Date,
        authority: &str,
    ) -> Option<String> {
        let template = self.entries[entry].step.share.as_deref()?;
        let ctx = self.context(values, today);
        let mut out = template.replace("{authority}", authority.trim_end_matches('/'));
        for f in &self.fields {
            let key = format!("{{{}}}", f.id);
            if out.contains(&key) {
                let a = ctx.assess(f);
                if a.first_error().is_some() {
                    return None;
                }
                out = out.replace(&key, &ctx.effective(&f.id)?.0);
            }
        }
        Some(out)
    }

    /// The step's link to hand on as a person reads it before the values are there: each
    /// placeholder as `<its field's label>`.
    pub fn share_shown(&self, entry: usize, authority: &str) -> Option<String> {
        let mut out = self.entries[entry]
            .step
            .share
            .as_deref()?
            .replace("{authority}", authority.trim_end_matches('/'));
        for f in &self.fields {
            out = out.replace(&format!("{{{}}}", f.id), &format!("<{}>", f.label));
        }
        Some(out)
    }

    /// What validating its fields needs, for these values on this day.
    pub fn context<'a>(
        &'a self,
        values: &'a crate::core::fields::Values,
        today: time::Date,
    ) -> crate::core::fields::Context<'a> {
        crate::core::fields::Context::new(&self.fields, self.lang(), values, today)
    }

    /// The embedded procedure in a language.
    pub fn embedded_in(lang: crate::i18n::Lang) -> Result<Self, ProcedureError> {
        let (text, name) = embedded_text(lang);
        Self::parse(text, name)
    }

    /// A renewal of the secret (its fields replace recorded ones), not the registration.
    pub fn is_renewal(&self) -> bool {
        self.fields.iter().any(|f| f.replaces.is_some())
    }

    /// The embedded renewal procedure in a language.
    pub fn renewal_in(lang: crate::i18n::Lang) -> Result<Self, ProcedureError> {
        let (text, name) = renewal_text(lang);
        Self::parse(text, name)
    }

    /// The number of the guide's numbered steps (steps beyond the guide not counted).
    pub fn step_count(&self) -> usize {
        self.entries.iter().filter(|e| e.in_guide).count()
    }

    /// The steps beyond the guide (API permissions and consent).
    pub fn extra_steps(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Step { .. }) && !e.in_guide)
    }

    /// The field that holds the secret's expiry: the first date the summary lists (a renewal's
    /// new expiry takes its place). The one lookup of it.
    pub fn expiry_field(&self) -> Option<&FieldSpec> {
        self.fields
            .iter()
            .find(|f| f.kind == crate::core::fields::FieldKind::Date && f.goes_to.is_some())
    }

    /// The labels of the first and the last step beyond the guide ("P1", "P3"), if any.
    pub fn extra_range(&self) -> Option<(&str, &str)> {
        let first = self.extra_steps().next()?;
        let last = self.extra_steps().last()?;
        Some((first.label.as_str(), last.label.as_str()))
    }

    pub fn summary_index(&self) -> usize {
        self.entries.len() - 1
    }

    pub fn entry_index(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.step.id == id)
    }

    pub fn field(&self, id: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The entry that captures a field.
    pub fn entry_of_field(&self, field_id: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.step.fields.iter().any(|f| f == field_id))
    }

    /// The label of the step that captures `field_id` ("23", "P1"), for "enter it at step …";
    /// "?" when no step does.
    pub fn step_of_field(&self, field_id: &str) -> &str {
        self.entry_of_field(field_id).map_or("?", |i| self.label(i))
    }

    /// Ids of the guide's numbered steps, in order.
    pub fn step_ids(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.in_guide)
            .map(|e| e.step.id.as_str())
    }

    /// The label of an entry for messages: `7`, `P2`, or the card's title.
    pub fn label(&self, entry: usize) -> &str {
        let e = &self.entries[entry];
        if e.label.is_empty() {
            &e.step.title
        } else {
            &e.label
        }
    }
}

#[cfg(test)]
mod tests;
