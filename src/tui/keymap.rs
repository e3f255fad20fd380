//! The one table of key bindings. Key handling looks actions up here, and the help overlay and
//! the status line's hints are generated from it, so the help cannot disagree with the keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::{L, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    ToggleDone,
    NextOpen,
    OpenLink,
    FocusNext,
    FocusPrev,
    Edit,
    Values,
    Reveal,
    /// Copy the step's main value (or its link).
    CopyMain,
    /// Copy the focused field's value.
    CopyField,
    /// Start the live check.
    Verify,
    /// "Let azreg do it": the registration through Microsoft Graph (on Before you start).
    Apply,
    /// "Check in Azure": read the registration back and hold it against the record.
    Examine,
    /// The last messages, whole.
    Messages,
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// Quitting with unsaved changes: try to save again.
    Retry,
    /// Quitting with unsaved changes: write the progress to another file.
    SaveAs,
    /// Stop the running live check.
    Cancel,
    Help,
    Quit,
    /// Take in the values an `azreg import` kept aside while the file was locked.
    Accept,
    /// Leave the fields, an overlay or the editor without changing anything.
    Back,
    /// Take the value being edited or the item picked.
    Commit,
    /// Handled by the line editor (tui-input); listed so the help names the keys.
    EditText,
}

/// Where a binding applies. Lookup tries the most specific active scope first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while editing.
    Always,
    /// Browsing (no editor, no overlay), whatever has the focus.
    Browse,
    /// The checklist has the focus.
    Checklist,
    /// A field of the step has the focus.
    Field,
    /// A value is being edited.
    Editor,
    /// A list overlay (values overview, choice picker).
    Overlay,
    /// The live check or "let azreg do it" is running.
    Busy,
    /// Asked before quitting with unsaved changes.
    Confirm,
    /// A yes/no question: take in values an import kept aside, or send the live check to an
    /// authority that is not Microsoft's default.
    Ask,
    /// The plan of "let azreg do it", before anything is written.
    Plan,
}

impl Scope {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Scope::Always => L::new("Anywhere", "Überall"),
            Scope::Browse => L::new("Walkthrough", "Durchgang"),
            Scope::Checklist => L::new("Checklist", "Checkliste"),
            Scope::Field => L::new("Fields", "Felder"),
            Scope::Editor => L::new("Editing a value", "Einen Wert bearbeiten"),
            Scope::Overlay => L::new(
                "Lists (values overview, choices)",
                "Listen (Werteübersicht, Auswahl)",
            ),
            Scope::Busy => L::new(
                "While the live check or let azreg do it runs",
                "Während die Live-Prüfung oder azreg machen lassen läuft",
            ),
            Scope::Confirm => L::new(
                "Quitting with unsaved changes",
                "Beenden mit ungespeicherten Änderungen",
            ),
            Scope::Ask => L::new(
                "Questions (import kept aside, another authority)",
                "Fragen (beiseitegelegter Import, andere Authority)",
            ),
            Scope::Plan => L::new(
                "The plan of let azreg do it",
                "Der Plan von azreg machen lassen",
            ),
        }
        .get(lang)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(code: KeyCode) -> KeySpec {
    KeySpec {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> KeySpec {
    k(KeyCode::Char(c))
}
const fn ctrl(c: char) -> KeySpec {
    KeySpec {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [KeySpec],
    pub action: Action,
    pub desc: L,
    /// A short label for the status line's hints, where the binding deserves one.
    pub hint: Option<L>,
    /// Only in this language (`j` for "ja" in German, where English scrolls with it).
    pub only: Option<Lang>,
}

const fn b(
    scope: Scope,
    keys: &'static [KeySpec],
    action: Action,
    desc: L,
    hint: Option<L>,
) -> Binding {
    Binding {
        scope,
        keys,
        action,
        desc,
        hint,
        only: None,
    }
}

/// A binding of one language only.
const fn in_lang(lang: Lang, binding: Binding) -> Binding {
    Binding {
        only: Some(lang),
        ..binding
    }
}

use Action as A;
use KeyCode as C;
use Scope as S;

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(S::Always, &[ctrl('c')], A::Quit, L::new("quit (progress is already saved)", "beenden (der Fortschritt ist schon gespeichert)"), None),
    b(S::Always, &[ctrl('z')], A::Suspend, L::new("suspend to the shell; fg brings azreg back", "in die Shell anhalten; fg holt azreg zurück"), None),
    b(S::Checklist, &[k(C::Up), ch('k')], A::Up, L::new("previous step", "vorheriger Schritt"), None),
    b(S::Checklist, &[k(C::Down), ch('j')], A::Down, L::new("next step", "nächster Schritt"), Some(L::new("move", "bewegen"))),
    b(S::Checklist, &[ch('g'), k(C::Home)], A::First, L::new("first entry (Before you start)", "erster Eintrag (Bevor Sie beginnen)"), None),
    b(S::Checklist, &[ch('G'), k(C::End)], A::Last, L::new("last entry (Summary)", "letzter Eintrag (Zusammenfassung)"), None),
    b(S::Checklist, &[k(C::Enter), ch(' ')], A::ToggleDone, L::new("mark the step done and go to the next open one; on a done step: open again", "Schritt als erledigt markieren und zum nächsten offenen gehen; bei einem erledigten: wieder öffnen"), Some(L::new("done", "erledigt"))),
    b(S::Checklist, &[k(C::Esc)], A::Back, L::new("nothing to leave here (q quits, Ctrl-C too)", "hier gibt es nichts zu verlassen (q beendet, Strg-C auch)"), None),
    b(S::Browse, &[ch('n')], A::NextOpen, L::new("jump to the next open step", "zum nächsten offenen Schritt springen"), None),
    b(S::Browse, &[k(C::Tab)], A::FocusNext, L::new("focus the next field of the step (then back to the checklist)", "nächstes Feld des Schritts (danach zurück zur Checkliste)"), Some(L::new("fields", "Felder"))),
    b(S::Browse, &[k(C::BackTab)], A::FocusPrev, L::new("focus the previous field", "vorheriges Feld"), None),
    b(S::Browse, &[k(C::PageDown)], A::PageDown, L::new("scroll the step's text down", "Text des Schritts nach unten blättern"), None),
    b(S::Browse, &[k(C::PageUp)], A::PageUp, L::new("scroll the step's text up", "Text des Schritts nach oben blättern"), None),
    b(S::Browse, &[ch('c')], A::CopyMain, L::new("copy the step's main value (URI, secret, client ID) or its link", "Hauptwert des Schritts kopieren (URI, Schlüssel, Client-ID) oder seinen Link"), Some(L::new("copy", "kopieren"))),
    b(S::Browse, &[ch('y')], A::CopyField, L::new("copy the focused field's value (summary: the focused line)", "Wert des gewählten Felds kopieren (Zusammenfassung: die gewählte Zeile)"), Some(L::new("copy field", "Feld kopieren"))),
    b(S::Browse, &[ch('o')], A::OpenLink, L::new("open the step's link in the browser", "Link des Schritts im Browser öffnen"), Some(L::new("open link", "Link öffnen"))),
    b(S::Browse, &[ch('v')], A::Values, L::new("values overview: every value and its state", "Werteübersicht: jeder Wert und sein Zustand"), Some(L::new("values", "Werte"))),
    b(S::Browse, &[ch('r')], A::Reveal, L::new("show the client secret for 10 seconds", "geheimen Clientschlüssel 10 Sekunden lang zeigen"), None),
    b(S::Browse, &[ch('V')], A::Verify, L::new("live check of tenant, client ID, secret and redirect URIs (on the step that offers it, and the summary)", "Live-Prüfung von Mandant, Client-ID, Schlüssel und Umleitungs-URIs (im Schritt, der sie anbietet, und in der Zusammenfassung)"), Some(L::new("live check", "Live-Prüfung"))),
    b(S::Browse, &[ch('A')], A::Apply, L::new("let azreg do it: sign in once, and azreg registers the app through Microsoft Graph and ticks the steps (on Before you start)", "azreg machen lassen: einmal anmelden, und azreg registriert die App über Microsoft Graph und hakt die Schritte ab (auf Bevor Sie beginnen)"), Some(L::new("let azreg do it", "azreg machen lassen"))),
    b(S::Browse, &[ch('D')], A::Examine, L::new("check in Azure: sign in, read the registration back (read rights are enough) and mark the steps Azure confirms or contradicts (on the summary and where the live check runs)", "in Azure prüfen: anmelden, die Registrierung zurücklesen (Leserechte genügen) und die Schritte markieren, die Azure bestätigt oder widerlegt (in der Zusammenfassung und wo die Live-Prüfung läuft)"), Some(L::new("check in Azure", "in Azure prüfen"))),
    b(S::Busy, &[k(C::Esc)], A::Cancel, L::new("cancel the live check, or let azreg do it (what is done stays done; A goes on from there)", "Live-Prüfung abbrechen, oder azreg machen lassen (Erledigtes bleibt erledigt; A macht dort weiter)"), Some(L::new("cancel", "abbrechen"))),
    b(S::Browse, &[ch('m')], A::Messages, L::new("the last messages, whole (a long one is cut on the status line)", "die letzten Meldungen, ganz (eine lange wird in der Statuszeile gekürzt)"), None),
    b(S::Browse, &[ch('?')], A::Help, L::new("this help", "diese Hilfe"), Some(L::new("help", "Hilfe"))),
    b(S::Browse, &[ch('q')], A::Quit, L::new("quit (progress is already saved)", "beenden (der Fortschritt ist schon gespeichert)"), Some(L::new("quit", "beenden"))),
    b(S::Field, &[k(C::Up), ch('k')], A::Up, L::new("previous field", "vorheriges Feld"), None),
    b(S::Field, &[k(C::Down), ch('j')], A::Down, L::new("next field", "nächstes Feld"), None),
    b(S::Field, &[k(C::Enter), ch('e')], A::Edit, L::new("edit the value (or pick from the list)", "Wert bearbeiten (oder aus der Liste wählen)"), Some(L::new("edit", "bearbeiten"))),
    b(S::Field, &[k(C::Esc)], A::Back, L::new("back to the checklist", "zurück zur Checkliste"), Some(L::new("back", "zurück"))),
    b(S::Editor, &[k(C::Enter)], A::Commit, L::new("keep the value (it is checked and saved)", "Wert übernehmen (er wird geprüft und gespeichert)"), Some(L::new("keep", "übernehmen"))),
    b(S::Editor, &[k(C::Esc)], A::Back, L::new("cancel, leave the value as it was", "abbrechen, der Wert bleibt wie er war"), Some(L::new("cancel", "abbrechen"))),
    b(S::Editor, &[k(C::Left), k(C::Right), k(C::Home), k(C::End)], A::EditText, L::new("move the cursor (Ctrl-A/Ctrl-E: start/end)", "Cursor bewegen (Strg-A/Strg-E: Anfang/Ende)"), None),
    b(S::Editor, &[k(C::Backspace), k(C::Delete)], A::EditText, L::new("delete a character", "ein Zeichen löschen"), None),
    b(S::Editor, &[ctrl('w'), ctrl('u'), ctrl('k')], A::EditText, L::new("delete the word before / the line / to the end", "Wort davor / Zeile / bis zum Ende löschen"), None),
    b(S::Confirm, &[ch('r')], A::Retry, L::new("try to save again, then quit", "noch einmal speichern, dann beenden"), Some(L::new("retry", "erneut"))),
    b(S::Confirm, &[ch('w')], A::SaveAs, L::new("write the progress to another file, then quit", "Fortschritt in eine andere Datei schreiben, dann beenden"), Some(L::new("write elsewhere", "woanders schreiben"))),
    b(S::Confirm, &[ch('q')], A::Quit, L::new("quit without saving (changes since the last save are lost)", "ohne Speichern beenden (Änderungen seit dem letzten Speichern gehen verloren)"), Some(L::new("quit anyway", "trotzdem beenden"))),
    b(S::Confirm, &[k(C::Esc)], A::Back, L::new("stay in azreg", "in azreg bleiben"), Some(L::new("stay", "bleiben"))),
    b(S::Ask, &[ch('y'), k(C::Enter)], A::Accept, L::new("yes: take the imported values in / send the check to the host named / quit without the secret", "ja: importierte Werte übernehmen / die Prüfung an den genannten Host senden / ohne den Schlüssel beenden"), Some(L::new("yes", "ja"))),
    in_lang(Lang::De, b(S::Ask, &[ch('j')], A::Accept, L::new("yes (German: ja), as y", "ja, wie y"), None)),
    b(S::Ask, &[ch('n'), k(C::Esc)], A::Back, L::new("no: keep the file for later / do not send / stay", "nein: Datei für später behalten / nicht senden / bleiben"), Some(L::new("no", "nein"))),
    b(S::Plan, &[ch('y')], A::Accept, L::new("do the plan: azreg writes exactly this to the tenant", "den Plan ausführen: azreg schreibt genau dies in den Mandanten"), Some(L::new("do it", "ausführen"))),
    // In German j is "ja", as at the command line's [j/N]; the plan scrolls with ↓ there.
    in_lang(Lang::De, b(S::Plan, &[ch('j')], A::Accept, L::new("do the plan (German: ja), as y", "den Plan ausführen (ja), wie y"), None)),
    b(S::Plan, &[ch('n'), k(C::Esc)], A::Back, L::new("do not: nothing is written", "nicht ausführen: nichts wird geschrieben"), Some(L::new("nothing", "nichts"))),
    b(S::Plan, &[k(C::Up), ch('k')], A::Up, L::new("scroll the plan up", "Plan nach oben blättern"), None),
    b(S::Plan, &[k(C::Down)], A::Down, L::new("scroll the plan down", "Plan nach unten blättern"), Some(L::new("scroll", "blättern"))),
    in_lang(Lang::En, b(S::Plan, &[ch('j')], A::Down, L::new("scroll the plan down (vim)", "Plan nach unten blättern (vim)"), None)),
    b(S::Plan, &[k(C::PageUp)], A::PageUp, L::new("a page up", "eine Seite nach oben"), None),
    b(S::Plan, &[k(C::PageDown)], A::PageDown, L::new("a page down", "eine Seite nach unten"), None),
    b(S::Overlay, &[k(C::Up), ch('k')], A::Up, L::new("previous item", "vorheriger Eintrag"), None),
    b(S::Overlay, &[k(C::Down), ch('j')], A::Down, L::new("next item", "nächster Eintrag"), None),
    b(S::Overlay, &[k(C::Enter)], A::Commit, L::new("choose; in the values overview: go to the step", "wählen; in der Werteübersicht: zum Schritt gehen"), Some(L::new("choose", "wählen"))),
    b(S::Overlay, &[k(C::Esc), ch('q'), ch('v')], A::Back, L::new("close", "schließen"), Some(L::new("close", "schließen"))),
];

impl KeySpec {
    fn matches(&self, ev: &KeyEvent) -> bool {
        // Terminals report upper-case letters with or without SHIFT; compare the character.
        let mut mods = ev.modifiers;
        if matches!(ev.code, KeyCode::Char(_)) {
            mods.remove(KeyModifiers::SHIFT);
        }
        if ev.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        self.code == ev.code && self.mods == mods
    }

    pub fn label(&self, lang: Lang) -> String {
        let base = match self.code {
            C::Up => "↑".to_string(),
            C::Down => "↓".to_string(),
            C::Left => "←".to_string(),
            C::Right => "→".to_string(),
            C::Enter => "Enter".to_string(),
            C::Esc => "Esc".to_string(),
            C::Tab => "Tab".to_string(),
            C::BackTab => "Shift-Tab".to_string(),
            // German keyboards label these Bild↑/Bild↓ and Pos1/Ende.
            C::PageUp => L::new("PgUp", "Bild↑").get(lang).to_string(),
            C::PageDown => L::new("PgDn", "Bild↓").get(lang).to_string(),
            C::Home => L::new("Home", "Pos1").get(lang).to_string(),
            C::End => L::new("End", "Ende").get(lang).to_string(),
            C::Backspace => "Backspace".to_string(),
            C::Delete => "Del".to_string(),
            C::Char(' ') => L::new("Space", "Leertaste").get(lang).to_string(),
            C::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            let ctrl = L::new("Ctrl", "Strg").get(lang);
            format!("{ctrl}-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

impl Binding {
    /// Whether the binding holds in `lang`.
    pub fn speaks(&self, lang: Lang) -> bool {
        self.only.is_none_or(|l| l == lang)
    }

    pub fn keys_label(&self, lang: Lang) -> String {
        self.keys
            .iter()
            .map(|k| k.label(lang))
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The action bound to a key in the first of `scopes` that binds it.
pub fn lookup(scopes: &[Scope], ev: &KeyEvent, lang: Lang) -> Option<Action> {
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope && b.speaks(lang))
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    })
}

/// A status-line hint: the key, its label in the language, and whether it must always show.
pub struct Hint {
    pub keys: String,
    pub label: &'static str,
    pub essential: bool,
}

/// Status-line hints for the active scopes: only keys whose action does something now (`acts`
/// asks the app), each key once (the most specific scope's binding wins, as in `lookup`).
pub fn hints(scopes: &[Scope], lang: Lang, acts: &dyn Fn(Action) -> bool) -> Vec<Hint> {
    let mut seen: Vec<KeySpec> = Vec::new();
    let mut out = Vec::new();
    for b in scopes.iter().flat_map(|s| {
        BINDINGS
            .iter()
            .filter(move |b| b.scope == *s && b.speaks(lang))
    }) {
        let key = b.keys[0];
        let shadowed = seen.contains(&key);
        seen.extend(b.keys.iter().copied());
        let Some(h) = b.hint else { continue };
        if shadowed || !acts(b.action) {
            continue;
        }
        out.push(Hint {
            keys: key.label(lang),
            label: h.get(lang),
            // Help, quit and the way into the fields always show; the others as space allows.
            essential: matches!(
                b.action,
                Action::Help | Action::Quit | Action::FocusNext | Action::Verify
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn lookup_en(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
        lookup(scopes, ev, Lang::En)
    }

    /// `j` is "ja" in German wherever azreg asks, as `y` is yes; English keeps it for scrolling.
    #[test]
    fn j_and_y_both_say_yes_in_german() {
        let j = key(C::Char('j'), KeyModifiers::NONE);
        let y = key(C::Char('y'), KeyModifiers::NONE);
        for scope in [Scope::Plan, Scope::Ask] {
            assert_eq!(lookup(&[scope], &j, Lang::De), Some(A::Accept), "{scope:?}");
            assert_eq!(lookup(&[scope], &y, Lang::De), Some(A::Accept), "{scope:?}");
            assert_eq!(lookup(&[scope], &y, Lang::En), Some(A::Accept), "{scope:?}");
        }
        assert_eq!(lookup(&[Scope::Plan], &j, Lang::En), Some(A::Down));
        assert_eq!(lookup(&[Scope::Ask], &j, Lang::En), None);
    }

    #[test]
    fn vim_keys_and_arrows_move() {
        let s = [Scope::Checklist, Scope::Browse];
        assert_eq!(
            lookup_en(&s, &key(C::Char('j'), KeyModifiers::NONE)),
            Some(A::Down)
        );
        assert_eq!(
            lookup_en(&s, &key(C::Down, KeyModifiers::NONE)),
            Some(A::Down)
        );
        assert_eq!(
            lookup_en(&s, &key(C::Char('G'), KeyModifiers::SHIFT)),
            Some(A::Last)
        );
        assert_eq!(
            lookup_en(&s, &key(C::Char('G'), KeyModifiers::NONE)),
            Some(A::Last)
        );
        assert_eq!(
            lookup_en(&s, &key(C::BackTab, KeyModifiers::SHIFT)),
            Some(A::FocusPrev)
        );
    }

    #[test]
    fn more_specific_scope_wins() {
        let enter = key(C::Enter, KeyModifiers::NONE);
        assert_eq!(
            lookup_en(&[Scope::Field, Scope::Browse], &enter),
            Some(A::Edit)
        );
        assert_eq!(
            lookup_en(&[Scope::Checklist, Scope::Browse], &enter),
            Some(A::ToggleDone)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let same_lang = a.only.is_none() || b.only.is_none() || a.only == b.only;
                if a.scope == b.scope && same_lang {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{:?} twice in {:?}", k, a.scope);
                    }
                }
            }
        }
    }

    #[test]
    fn every_binding_has_a_description_in_both_languages() {
        for b in BINDINGS {
            assert!(!b.keys.is_empty());
            assert!(!b.desc.en.is_empty() && !b.desc.de.is_empty());
            assert_ne!(b.desc.en, b.desc.de, "{:?} has no German", b.action);
        }
    }

    #[test]
    fn labels_are_readable() {
        assert_eq!(ctrl('w').label(Lang::En), "Ctrl-W");
        assert_eq!(ctrl('w').label(Lang::De), "Strg-W");
        assert_eq!(ch(' ').label(Lang::En), "Space");
        assert_eq!(k(C::Up).label(Lang::De), "↑");
    }
}
