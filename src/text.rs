//! Text that reaches the terminal: nothing from a file or the user is drawn raw.

/// Bidi controls that reorder what is drawn (U+202A..U+202E, U+2066..U+2069, marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Control characters (C0, DEL, C1, which covers ESC and the 8-bit CSI/OSC), bidi controls,
/// and the BOM: anything that could steer the terminal or the order of what it shows.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{feff}'
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
    fn plain_text_is_borrowed() {
        assert!(matches!(
            clean_for_display("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(!has_unsafe_chars("Grüße 日本 🙂 e\u{301}"));
        assert!(has_unsafe_chars("a\u{0}b"));
    }
}
