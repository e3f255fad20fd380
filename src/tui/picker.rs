//! The items of a picker, in one place for the app (what an item stands for) and the view (what
//! it says): a choice's options, or a date's presets plus "custom date".

use time::Date;

use crate::core::fields::{FieldKind, FieldSpec, format_date, preset_date};
use crate::i18n::{L, Lang, nouns};
use crate::text::clean_for_display;

/// One item: the value it stands for (`None`: "custom date", typed next) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: Option<String>,
    pub text: String,
}

pub fn items(spec: &FieldSpec, today: Date, lang: Lang) -> Vec<Item> {
    match spec.kind {
        FieldKind::Choice => spec
            .options
            .iter()
            .map(|o| {
                let note = o
                    .note
                    .as_deref()
                    .map(|n| format!(" ({})", clean_for_display(n)))
                    .unwrap_or_default();
                Item {
                    value: Some(o.value.clone()),
                    text: format!("{}{note}", clean_for_display(&o.label)),
                }
            })
            .collect(),
        _ => spec
            .presets
            .iter()
            .map(|days| {
                let date = format_date(preset_date(today, *days));
                let rec = if spec.recommended == Some(*days) {
                    L::new(", recommended", ", empfohlen").get(lang)
                } else {
                    ""
                };
                let n = nouns::DAYS.count(lang, i64::from(*days));
                Item {
                    text: crate::tr!(
                        lang,
                        "{n} (until {date}{rec})",
                        "{n} (bis {date}{rec})",
                        n = n,
                        date = date,
                        rec = rec
                    ),
                    value: Some(date),
                }
            })
            .chain([Item {
                value: None,
                text: L::new("Custom date…", "Eigenes Datum …").get(lang).into(),
            }])
            .collect(),
    }
}

/// Where the picker starts: the current value, else the recommended or first item.
pub fn start(spec: &FieldSpec, current: Option<&str>, today: Date) -> usize {
    let list = items(spec, today, Lang::En);
    let found = current.and_then(|c| list.iter().position(|i| i.value.as_deref() == Some(c)));
    match (found, spec.kind, current) {
        (Some(i), _, _) => i,
        // Another date than the presets: "custom date", last.
        (None, FieldKind::Date, Some(_)) => list.len() - 1,
        _ => spec
            .recommended
            .and_then(|r| spec.presets.iter().position(|d| *d == r))
            .unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::procedure::Procedure;
    use time::macros::date;

    #[test]
    fn date_presets_with_the_recommended_one_and_a_custom_date() {
        let p = Procedure::embedded().unwrap();
        let spec = p.field("secret_expiry").unwrap();
        let today = date!(2026 - 11 - 26);
        let list = items(spec, today, Lang::En);
        assert_eq!(list.len(), spec.presets.len() + 1);
        assert_eq!(list[1].text, "180 days (until 2027-05-25, recommended)");
        assert_eq!(list[1].value.as_deref(), Some("2027-05-25"));
        assert_eq!(list.last().unwrap().value, None);
        assert_eq!(start(spec, None, today), 1, "the recommended one");
        assert_eq!(start(spec, Some("2030-01-01"), today), list.len() - 1);
        assert_eq!(start(spec, Some("2027-05-25"), today), 1);
    }

    #[test]
    fn choices_with_their_notes() {
        let p = Procedure::embedded().unwrap();
        let spec = p.field("account_type").unwrap();
        let list = items(spec, date!(2026 - 11 - 26), Lang::En);
        assert_eq!(list[0].value.as_deref(), Some("AzureADMyOrg"));
        assert!(list[0].text.ends_with("(typical)"), "{}", list[0].text);
    }
}
