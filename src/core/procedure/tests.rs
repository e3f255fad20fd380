//! Loading and checking procedures, the embedded ones first.

use super::*;

fn embedded() -> Procedure {
    Procedure::embedded().expect("embedded procedure is valid")
}

#[test]
fn embedded_has_23_steps_in_4_sections_in_guide_order() {
    let p = embedded();
    assert_eq!(p.step_count(), 23);
    let titles: Vec<_> = p.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Register app",
            "Store redirect URIs from Intrexx",
            "Create client secret",
            "Copy application ID and directory (tenant) ID",
            "API permissions and admin consent (beyond the guide)"
        ]
    );
    // Beyond the guide: P1 to P3, after step 23, not counted among the 23.
    let extra: Vec<&str> = p.extra_steps().map(|e| e.label.as_str()).collect();
    assert_eq!(extra, ["P1", "P2", "P3"]);
    assert_eq!(p.entries[23].label, "23");
    assert_eq!(p.entries[24].label, "P1");
    let per_section: Vec<usize> = (0..4)
        .map(|s| {
            p.entries
                .iter()
                .filter(|e| matches!(e.kind, EntryKind::Step { section, .. } if section == s))
                .count()
        })
        .collect();
    // The guide: steps 1-6, 7-17, 18-21, 22-23.
    assert_eq!(per_section, [6, 11, 4, 2]);
    assert_eq!(p.entries[0].kind, EntryKind::Intro);
    assert_eq!(p.entries[p.summary_index()].kind, EntryKind::Summary);
    assert_eq!(p.summary_index(), 27, "after step 23 and P1-P3");
    let ids: Vec<_> = p.step_ids().collect();
    assert_eq!(ids[0], "sign-in");
    assert_eq!(ids[9], "enter-web-uri");
    assert_eq!(ids[13], "enter-spa-uri");
    assert_eq!(ids[20], "copy-secret-value");
    assert_eq!(ids[22], "copy-ids");
}

#[test]
fn embedded_carries_the_guides_content() {
    let p = embedded();
    assert_eq!(
        p.entries[1].step.link.as_deref(),
        Some("https://portal.azure.com")
    );
    assert_eq!(
        p.entries[10].step.example.as_deref(),
        Some("https://exampleportal.com/oauth2/token/ms365-mycompany")
    );
    assert_eq!(
        p.entries[14].step.example.as_deref(),
        Some("https://exampleportal.com/oauth2callback.html")
    );
    // Renamed since the guide: both names appear.
    let s3 = &p.entries[3].step;
    assert!(s3.body.contains("Microsoft Entra ID") && s3.body.contains("Azure Active Directory"));
    // The guide's slips are fixed.
    for e in &p.entries {
        let text = format!("{} {}", e.step.title, e.step.body);
        assert!(!text.contains("\"\""), "doubled quotes in {}", e.step.id);
        assert!(!text.contains("TeamsMicrosoft"), "{}", e.step.id);
    }
    assert!(p.entries[23].step.title.contains("tenant"));
}

#[test]
fn german_and_english_have_the_same_ids_sections_and_fields_in_order() {
    let en = embedded();
    let de = Procedure::embedded_in(crate::i18n::Lang::De).expect("German procedure is valid");
    assert_eq!(de.language, "de");
    assert_eq!(de.id, en.id);
    let ids = |p: &Procedure| {
        p.entries
            .iter()
            .map(|e| e.step.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&de), ids(&en));
    let secs = |p: &Procedure| p.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(secs(&de), secs(&en));
    assert_eq!(de.rows, en.rows);
    for (d, e) in de.entries.iter().zip(&en.entries) {
        assert_eq!(d.kind, e.kind);
        assert_eq!(d.step.fields, e.step.fields, "{}", e.step.id);
        assert_eq!(d.step.main, e.step.main, "{}", e.step.id);
        assert_eq!(d.step.lists, e.step.lists, "{}", e.step.id);
        assert_eq!(d.step.verify, e.step.verify, "{}", e.step.id);
        assert_eq!(d.step.link, e.step.link, "{}", e.step.id);
        assert_eq!(d.step.example, e.step.example, "{}", e.step.id);
        assert_ne!(
            d.step.title, e.step.title,
            "{} is not translated",
            e.step.id
        );
    }
    for (d, e) in de.fields.iter().zip(&en.fields) {
        assert_eq!(
            (&d.id, d.kind, d.url_role, d.goes_to),
            (&e.id, e.kind, e.url_role, e.goes_to)
        );
        assert_eq!(
            (&d.derive, &d.path_prefix, &d.path_suffix),
            (&e.derive, &e.path_prefix, &e.path_suffix)
        );
        assert_eq!(
            (&d.distinct_from, &d.same_host_as, d.charset),
            (&e.distinct_from, &e.same_host_as, e.charset)
        );
        assert_eq!((&d.presets, d.recommended), (&e.presets, e.recommended));
        let values = |f: &FieldSpec| {
            f.options
                .iter()
                .map(|o| o.value.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(values(d), values(e));
        assert_ne!(d.label, e.label, "{} is not translated", e.id);
    }
    assert_eq!(de.fields.len(), en.fields.len());
}

#[test]
fn german_names_the_german_portal_labels() {
    let (text, _) = embedded_text(Lang::De);
    for label in [
        "App-Registrierungen",
        "Neue Registrierung",
        "Unterstützte Kontotypen",
        "Authentifizierung",
        "Plattform hinzufügen",
        "Zertifikate & Geheimnisse",
        "Geheime Clientschlüssel",
        "Neuer geheimer Clientschlüssel",
        "Beschreibung",
        "Gültig bis",
        "Hinzufügen",
        "„Wert“",
        "„Geheime ID“",
        "Übersicht",
        "Anwendungs-ID (Client)",
        "Verzeichnis-ID (Mandant)",
        "Integration > Kollaboration > Connector für Microsoft 365 und Teams",
    ] {
        assert!(text.contains(label), "{label} missing");
    }
}

#[test]
fn rows_group_entries_under_sections() {
    let p = embedded();
    assert_eq!(p.rows[0], Row::Entry(0));
    assert_eq!(p.rows[1], Row::Section(0));
    assert_eq!(p.rows[2], Row::Entry(1));
    assert_eq!(
        p.rows.len(),
        25 + 4 + 4,
        "25 entries, 4 guide sections, P1-P3 and their section"
    );
    for (e, &r) in p.row_of_entry.iter().enumerate() {
        assert_eq!(p.rows[r], Row::Entry(e));
    }
}

fn minimal(extra_step: &str) -> String {
    format!(
        r#"schema = 1
id = "t"
title = "T"
[intro]
id = "intro"
title = "Intro"
[summary]
id = "sum"
title = "Sum"
[[sections]]
id = "s"
title = "S"
[[sections.steps]]
id = "a"
title = "A"
{extra_step}"#
    )
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let text = "schema = 1\nid = \"x\"\ntitle = = 3\n";
    let e = Procedure::parse(text, "my.toml").unwrap_err();
    assert_eq!(e.source_name, "my.toml");
    assert_eq!(e.position.map(|p| p.0), Some(3));
    assert!(e.to_string().starts_with("my.toml:3:"), "{e}");
}

#[test]
fn duplicate_ids_are_rejected_with_their_line() {
    let text = minimal("[[sections.steps]]\nid = \"a\"\ntitle = \"Again\"\n");
    let e = Procedure::parse(&text, "p.toml").unwrap_err();
    assert!(e.to_string().contains("used twice"), "{e}");
    assert!(e.position.is_some());
}

#[test]
fn empty_title_is_rejected() {
    let text = minimal("[[sections.steps]]\nid = \"b\"\ntitle = \" \"\n");
    let e = Procedure::parse(&text, "p.toml").unwrap_err();
    assert!(e.to_string().contains("empty title"), "{e}");
}

#[test]
fn unknown_field_reference_is_rejected() {
    let text = minimal("fields = [\"nope\"]\n");
    let e = Procedure::parse(&text, "p.toml").unwrap_err();
    assert!(e.to_string().contains("\"nope\""), "{e}");
}

#[test]
fn unknown_keys_are_rejected() {
    let text = minimal("colour = \"red\"\n");
    let e = Procedure::parse(&text, "p.toml").unwrap_err();
    assert!(e.to_string().contains("colour"), "{e}");
    assert!(e.position.is_some());
}

#[test]
fn ids_are_names_not_code() {
    let field = |id: &str| {
        minimal(&format!(
            "fields = [\"{id}\"]\n[[fields]]\nid = \"{id}\"\nkind = \"text\"\nlabel = \"L\"\n"
        ))
    };
    assert!(Procedure::parse(&field("name_1"), "t.toml").is_ok());
    let e = Procedure::parse(&field("x$(touch /tmp/p)"), "t.toml").unwrap_err();
    assert!(
        e.to_string().contains("may hold only a-z, 0-9 and _"),
        "{e}"
    );
    let e = Procedure::parse(&field("with-dash"), "t.toml").unwrap_err();
    assert!(e.to_string().contains("may hold only"), "{e}");
    let e =
        Procedure::parse(&minimal("").replace("id = \"a\"", "id = \"A b\""), "t.toml").unwrap_err();
    assert!(e.to_string().contains("may hold only"), "{e}");
}

#[test]
fn derive_names_only_entered_values() {
    let text = minimal(
        "fields = [\"a1\", \"b1\", \"c1\"]\n[[fields]]\nid = \"a1\"\nkind = \"text\"\nlabel = \"A\"\n[[fields]]\nid = \"b1\"\nkind = \"text\"\nlabel = \"B\"\nderive = \"{a1}x\"\n[[fields]]\nid = \"c1\"\nkind = \"text\"\nlabel = \"C\"\nderive = \"{b1}y\"\n",
    );
    let e = Procedure::parse(&text, "t.toml").unwrap_err();
    assert!(e.to_string().contains("derived itself"), "{e}");
    let cycle = text.replace("derive = \"{a1}x\"", "derive = \"{c1}x\"");
    assert!(Procedure::parse(&cycle, "t.toml").is_err());
}

#[test]
fn escape_sequences_in_procedure_text_are_defused_at_load() {
    let text = minimal("").replace("title = \"T\"", "title = \"T\\u001b]0;pwned\\u0007\"");
    let p = Procedure::parse(&text, "t.toml").unwrap();
    assert!(!crate::text::has_unsafe_chars(&p.title), "{:?}", p.title);
}

#[test]
fn minimal_procedure_loads() {
    let p = Procedure::parse(&minimal(""), "p.toml").unwrap();
    assert_eq!(p.step_count(), 1);
    assert_eq!(p.summary_index(), 2);
}

#[test]
fn line_col_counts_from_one() {
    assert_eq!(line_col("ab\ncd", 0), (1, 1));
    assert_eq!(line_col("ab\ncd", 4), (2, 2));
}

#[test]
fn the_renewal_has_the_same_ids_and_fields_in_both_languages() {
    let en = Procedure::renewal_in(Lang::En).unwrap();
    let de = Procedure::renewal_in(Lang::De).unwrap();
    let ids = |p: &Procedure| {
        p.entries
            .iter()
            .map(|e| e.step.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&en), ids(&de));
    let fields = |p: &Procedure| {
        p.fields
            .iter()
            .map(|f| (f.id.clone(), f.replaces.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(&en), fields(&de));
    assert_eq!(en.step_count(), 5);
    // Its step ids never meet the registration's: both keep their marks in one file.
    let main = Procedure::embedded().unwrap();
    for id in ids(&en) {
        assert!(main.entry_index(&id).is_none(), "{id}");
    }
}

#[test]
fn the_client_secret_is_a_secret_whatever_the_file_says() {
    for id in crate::core::progress::SECRET_FIELDS {
        let text = minimal(&format!(
            "fields = [\"{id}\"]\n[[fields]]\nid = \"{id}\"\nkind = \"text\"\nlabel = \"L\"\n"
        ));
        let e = Procedure::parse(&text, "p.toml").unwrap_err();
        assert_eq!(e.flaw, Flaw::SecretKind { field: id.into() }, "{e}");
        assert!(e.position.is_some(), "points at the field");
        let ok = text.replace("kind = \"text\"", "kind = \"secret\"");
        let p = Procedure::parse(&ok, "p.toml").unwrap();
        assert!(p.field(id).unwrap().is_secret());
    }
}

#[test]
fn a_steps_link_is_https_like_the_links_table() {
    let e = Procedure::parse(&minimal("link = \"http://example.com/x\"\n"), "p.toml").unwrap_err();
    assert!(matches!(e.flaw, Flaw::LinkNotHttpsAt { .. }), "{e}");
    let e = Procedure::parse(&minimal("link = \"javascript:alert(1)\"\n"), "p.toml").unwrap_err();
    assert!(matches!(e.flaw, Flaw::LinkNotHttpsAt { .. }), "{e}");
    assert!(Procedure::parse(&minimal("link = \"https://portal.azure.com\"\n"), "p.toml").is_ok());
}

/// Every web address in a step's text can be copied with `c`: the step has no value, link or
/// list of its own that `c` would copy instead (both procedures, both languages).
#[test]
fn every_url_in_a_steps_text_is_copyable() {
    use crate::i18n::Lang;
    let mut seen = 0;
    for lang in [Lang::En, Lang::De] {
        for p in [
            Procedure::embedded_in(lang).unwrap(),
            Procedure::renewal_in(lang).unwrap(),
        ] {
            for e in &p.entries {
                let s = &e.step;
                let urls = s.body_urls();
                if urls.is_empty() {
                    continue;
                }
                seen += urls.len();
                assert!(
                    s.main.is_none() && s.link.is_none() && s.share.is_none() && s.lists.is_empty(),
                    "{}: `c` copies something else, so its text's link has no key",
                    s.id
                );
                for u in urls {
                    assert!(!u.ends_with('.') && !u.ends_with(','), "{u}");
                }
            }
        }
    }
    assert!(seen >= 2, "the permissions page at P1, in both languages");
}

/// A redirect URI's platform in Graph is data, but only one Graph has.
#[test]
fn an_unknown_graph_platform_is_refused_with_its_field() {
    let text = include_str!("../../../assets/procedure.en.toml")
        .replace("graph_platform = \"spa\"", "graph_platform = \"desktop\"");
    let e = Procedure::parse(&text, "p.toml").unwrap_err();
    let m = e.message(crate::i18n::Lang::En);
    assert!(
        m.contains("spa_redirect_uri")
            && m.contains("\"desktop\" is not one of web, spa, publicClient"),
        "{m}"
    );
}
