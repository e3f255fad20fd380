//! Screen geometry as pure functions, shared by the view and by mouse handling in `update`.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    pub step: Rect,
    pub status: Rect,
}

/// The panes, or `None` when the terminal is below the minimum size.
pub fn areas(area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(area);
    // The checklist gets about 40 %, within readable bounds.
    let list_width = (area.width * 2 / 5).clamp(28, 48);
    let [list, step] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(main);
    Some(Areas {
        header,
        list,
        step,
        status,
    })
}

/// First visible row of the checklist: the cursor's row kept in the middle where possible,
/// so the current step is always in view. Only `height` rows are laid out, whatever the total.
pub fn list_offset(cursor_row: usize, height: usize, total: usize) -> usize {
    cursor_row
        .saturating_sub(height / 2)
        .min(total.saturating_sub(height))
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_has_no_areas() {
        assert!(areas(Rect::new(0, 0, 59, 30)).is_none());
        assert!(areas(Rect::new(0, 0, 80, 15)).is_none());
        assert!(areas(Rect::new(0, 0, 60, 16)).is_some());
    }

    #[test]
    fn panes_tile_the_screen() {
        let a = areas(Rect::new(0, 0, 80, 24)).unwrap();
        assert_eq!(a.header.height + a.list.height + a.status.height, 24);
        assert_eq!(a.list.width + a.step.width, 80);
        assert_eq!(a.list.width, 32);
    }

    #[test]
    fn offset_keeps_cursor_visible() {
        for total in [5, 29, 10_000] {
            for height in [1, 10, 19] {
                for cursor in (0..total).step_by(7) {
                    let off = list_offset(cursor, height, total);
                    assert!(
                        off <= cursor && cursor < off + height,
                        "{cursor} {height} {total}"
                    );
                }
            }
        }
    }
}
