//! Text that reaches the terminal: nothing from a file or the user is drawn raw.

/// Bidi controls that reorder what is drawn (U+202A..U+202E, U+2066..U+2069, marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Zero-width characters: invisible, they make two different names look alike.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{180e}')
}

/// Control characters (C0, DEL, C1, which covers ESC and the 8-bit CSI/OSC), bidi controls,
/// zero-width characters and the BOM: anything that could steer the terminal, the order of what
/// it shows, or hide in a name.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_zero_width(c) || c == '\u{feff}'
}

/// Text from outside (Graph, Entra ID, a file) for one line of output: every unsafe character,
/// line breaks and tabs included, becomes U+FFFD, so nothing it holds can start a line of its
/// own (a forged `✓ …`) or steer the terminal. The one cleaning every printer of outside text
/// uses.
pub fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// Unsafe, line breaks aside (for whole documents).
pub fn is_unsafe_outside_lines(c: char) -> bool {
    c != '\n' && is_unsafe(c)
}

pub fn has_unsafe_chars(s: &str) -> bool {
    s.chars().any(is_unsafe)
}

/// A copy of `s` that is safe to draw: tabs become spaces, other unsafe characters become
/// U+FFFD. Newlines are kept, since the caller splits lines.
pub fn clean_for_display(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => '\n',
                '\t' => ' ',
                c if is_unsafe(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// A JSON document for output, every string (keys too) cleaned as [`clean_for_display`] does,
/// newlines and tabs aside: JSON escapes C0 controls itself, but not C1 or bidi controls, and a
/// script that prints a field must not steer its terminal either.
pub fn clean_json(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let clean = |s: String| -> String {
        if s.chars().any(|c| c != '\n' && c != '\t' && is_unsafe(c)) {
            s.chars()
                .map(|c| match c {
                    '\n' | '\t' => c,
                    c if is_unsafe(c) => '\u{fffd}',
                    c => c,
                })
                .collect()
        } else {
            s
        }
    };
    match v {
        Value::String(s) => Value::String(clean(s)),
        Value::Array(a) => Value::Array(a.into_iter().map(clean_json).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (clean(k), clean_json(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        let s = "title\u{1b}]0;pwned\u{7} \u{9b}31m x\u{202e}y";
        let clean = clean_for_display(s);
        assert!(
            !clean.chars().any(|c| c != '\n' && is_unsafe(c)),
            "{clean:?}"
        );
        assert!(clean.contains("]0;pwned"));
    }

    #[test]
    fn json_strings_and_keys_are_cleaned() {
        let v = serde_json::json!({"a\u{202e}": ["x\u{9b}31m", {"k": "tab\tline\nok"}], "n": 1});
        let c = clean_json(v).to_string();
        assert!(!c.contains('\u{202e}') && !c.contains('\u{9b}'), "{c}");
        assert!(c.contains("tab\\tline\\nok"), "{c}");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            clean_for_display("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(!has_unsafe_chars("Grüße 日本 🙂 e\u{301}"));
        assert!(has_unsafe_chars("a\u{0}b"));
    }
}
