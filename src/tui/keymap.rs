//! The one table of key bindings. Key handling looks actions up here, and the help overlay and
//! the status line's hints are generated from it, so the help cannot disagree with the keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    /// The live check is running.
    Busy,
    /// Asked before quitting with unsaved changes.
    Confirm,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Always => "Anywhere",
            Scope::Browse => "Walkthrough",
            Scope::Checklist => "Checklist",
            Scope::Field => "Fields",
            Scope::Editor => "Editing a value",
            Scope::Overlay => "Lists (values overview, choices)",
            Scope::Busy => "While the live check runs",
            Scope::Confirm => "Quitting with unsaved changes",
        }
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
    pub desc: &'static str,
    /// A short label for the status line's hints, where the binding deserves one.
    pub hint: Option<&'static str>,
}

const fn b(
    scope: Scope,
    keys: &'static [KeySpec],
    action: Action,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        scope,
        keys,
        action,
        desc,
        hint,
    }
}

use Action as A;
use KeyCode as C;
use Scope as S;

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(S::Always, &[ctrl('c')], A::Quit, "quit (progress is already saved)", None),
    b(S::Always, &[ctrl('z')], A::Suspend, "suspend to the shell; fg brings azreg back", None),
    b(S::Checklist, &[k(C::Up), ch('k')], A::Up, "previous step", None),
    b(S::Checklist, &[k(C::Down), ch('j')], A::Down, "next step", Some("move")),
    b(S::Checklist, &[ch('g'), k(C::Home)], A::First, "first entry (Before you start)", None),
    b(S::Checklist, &[ch('G'), k(C::End)], A::Last, "last entry (Summary)", None),
    b(S::Checklist, &[k(C::Enter), ch(' ')], A::ToggleDone, "mark the step done and go to the next open one; on a done step: open again", Some("done")),
    b(S::Checklist, &[k(C::Esc)], A::Quit, "quit", None),
    b(S::Browse, &[ch('n')], A::NextOpen, "jump to the next open step", None),
    b(S::Browse, &[k(C::Tab)], A::FocusNext, "focus the next field of the step (then back to the checklist)", Some("fields")),
    b(S::Browse, &[k(C::BackTab)], A::FocusPrev, "focus the previous field", None),
    b(S::Browse, &[k(C::PageDown)], A::PageDown, "scroll the step's text down", None),
    b(S::Browse, &[k(C::PageUp)], A::PageUp, "scroll the step's text up", None),
    b(S::Browse, &[ch('c')], A::CopyMain, "copy the step's main value (URI, secret, client ID) or its link", Some("copy")),
    b(S::Browse, &[ch('y')], A::CopyField, "copy the focused field's value (summary: the focused line)", None),
    b(S::Browse, &[ch('o')], A::OpenLink, "open the step's link in the browser", None),
    b(S::Browse, &[ch('v')], A::Values, "values overview: every value and its state", Some("values")),
    b(S::Browse, &[ch('r')], A::Reveal, "show the client secret for 10 seconds", None),
    b(S::Browse, &[ch('V')], A::Verify, "live check of tenant, client ID, secret and redirect URIs (step 23, summary)", None),
    b(S::Busy, &[k(C::Esc)], A::Cancel, "cancel the live check", Some("cancel check")),
    b(S::Browse, &[ch('?')], A::Help, "this help", Some("help")),
    b(S::Browse, &[ch('q')], A::Quit, "quit (progress is already saved)", Some("quit")),
    b(S::Field, &[k(C::Up), ch('k')], A::Up, "previous field", None),
    b(S::Field, &[k(C::Down), ch('j')], A::Down, "next field", None),
    b(S::Field, &[k(C::Enter), ch('e')], A::Edit, "edit the value (or pick from the list)", Some("edit")),
    b(S::Field, &[k(C::Esc)], A::Back, "back to the checklist", Some("back")),
    b(S::Editor, &[k(C::Enter)], A::Commit, "keep the value (it is checked and saved)", Some("keep")),
    b(S::Editor, &[k(C::Esc)], A::Back, "cancel, leave the value as it was", Some("cancel")),
    b(S::Editor, &[k(C::Left), k(C::Right), k(C::Home), k(C::End)], A::EditText, "move the cursor (Ctrl-A/Ctrl-E: start/end)", None),
    b(S::Editor, &[k(C::Backspace), k(C::Delete)], A::EditText, "delete a character", None),
    b(S::Editor, &[ctrl('w'), ctrl('u'), ctrl('k')], A::EditText, "delete the word before / the line / to the end", None),
    b(S::Confirm, &[ch('r')], A::Retry, "try to save again, then quit", Some("retry")),
    b(S::Confirm, &[ch('w')], A::SaveAs, "write the progress to another file, then quit", Some("write elsewhere")),
    b(S::Confirm, &[ch('q')], A::Quit, "quit without saving (changes since the last save are lost)", Some("quit anyway")),
    b(S::Confirm, &[k(C::Esc)], A::Back, "stay in azreg", Some("stay")),
    b(S::Overlay, &[k(C::Up), ch('k')], A::Up, "previous item", None),
    b(S::Overlay, &[k(C::Down), ch('j')], A::Down, "next item", None),
    b(S::Overlay, &[k(C::Enter)], A::Commit, "choose; in the values overview: go to the step", Some("choose")),
    b(S::Overlay, &[k(C::Esc), ch('q'), ch('v')], A::Back, "close", Some("close")),
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

    pub fn label(&self) -> String {
        let base = match self.code {
            C::Up => "↑".to_string(),
            C::Down => "↓".to_string(),
            C::Left => "←".to_string(),
            C::Right => "→".to_string(),
            C::Enter => "Enter".to_string(),
            C::Esc => "Esc".to_string(),
            C::Tab => "Tab".to_string(),
            C::BackTab => "Shift-Tab".to_string(),
            C::PageUp => "PgUp".to_string(),
            C::PageDown => "PgDn".to_string(),
            C::Home => "Home".to_string(),
            C::End => "End".to_string(),
            C::Backspace => "Backspace".to_string(),
            C::Delete => "Del".to_string(),
            C::Char(' ') => "Space".to_string(),
            C::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

impl Binding {
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(KeySpec::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The action bound to a key in the first of `scopes` that binds it.
pub fn lookup(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    })
}

/// Status-line hints for the active scopes: (keys, label).
pub fn hints(scopes: &[Scope]) -> Vec<(String, &'static str)> {
    scopes
        .iter()
        .flat_map(|s| BINDINGS.iter().filter(move |b| b.scope == *s))
        .filter_map(|b| b.hint.map(|h| (b.keys[0].label(), h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn vim_keys_and_arrows_move() {
        let s = [Scope::Checklist, Scope::Browse];
        assert_eq!(
            lookup(&s, &key(C::Char('j'), KeyModifiers::NONE)),
            Some(A::Down)
        );
        assert_eq!(lookup(&s, &key(C::Down, KeyModifiers::NONE)), Some(A::Down));
        assert_eq!(
            lookup(&s, &key(C::Char('G'), KeyModifiers::SHIFT)),
            Some(A::Last)
        );
        assert_eq!(
            lookup(&s, &key(C::Char('G'), KeyModifiers::NONE)),
            Some(A::Last)
        );
        assert_eq!(
            lookup(&s, &key(C::BackTab, KeyModifiers::SHIFT)),
            Some(A::FocusPrev)
        );
    }

    #[test]
    fn more_specific_scope_wins() {
        let enter = key(C::Enter, KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Scope::Field, Scope::Browse], &enter),
            Some(A::Edit)
        );
        assert_eq!(
            lookup(&[Scope::Checklist, Scope::Browse], &enter),
            Some(A::ToggleDone)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{:?} twice in {:?}", k, a.scope);
                    }
                }
            }
        }
    }

    #[test]
    fn every_binding_has_a_description() {
        assert!(
            BINDINGS
                .iter()
                .all(|b| !b.desc.is_empty() && !b.keys.is_empty())
        );
    }

    #[test]
    fn labels_are_readable() {
        assert_eq!(ctrl('w').label(), "Ctrl-W");
        assert_eq!(ch(' ').label(), "Space");
        assert_eq!(k(C::Up).label(), "↑");
    }
}
