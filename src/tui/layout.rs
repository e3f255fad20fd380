//! Screen geometry as pure functions, shared by the view and by mouse handling in `update`.

use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    pub step: Rect,
    pub status: Rect,
}

/// The panes, or `None` when the terminal is below the minimum size. `list_wants` is the
/// checklist's widest row: on a wide terminal the column grows up to it, so titles are not cut.
pub fn areas(area: Rect, list_wants: u16) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    // Fixed rows and the rest: plain arithmetic, no constraint solver on the first frame.
    let (header, rest) = split_top(area, 1);
    let (main, status) = split_bottom(rest, 2);
    // The checklist is as wide as its widest row and a border, within 28 columns and 40 % of
    // the width, or more where the step's text still keeps 80 columns.
    let most = (area.width * 2 / 5).max(area.width.saturating_sub(80));
    let list_width = (list_wants + 1).clamp(28, most.max(28));
    let (list, step) = split_left(main, list_width);
    Some(Areas {
        header,
        list,
        step,
        status,
    })
}

/// The top `h` rows, and the rest.
pub fn split_top(r: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(r.height);
    (
        Rect { height: h, ..r },
        Rect {
            y: r.y + h,
            height: r.height - h,
            ..r
        },
    )
}

/// The bottom `h` rows, and the rest above them.
pub fn split_bottom(r: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(r.height);
    (
        Rect {
            height: r.height - h,
            ..r
        },
        Rect {
            y: r.y + r.height - h,
            height: h,
            ..r
        },
    )
}

/// The left `w` columns, and the rest.
pub fn split_left(r: Rect, w: u16) -> (Rect, Rect) {
    let w = w.min(r.width);
    (
        Rect { width: w, ..r },
        Rect {
            x: r.x + w,
            width: r.width - w,
            ..r
        },
    )
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
        assert!(areas(Rect::new(0, 0, 59, 30), 40).is_none());
        assert!(areas(Rect::new(0, 0, 80, 15), 40).is_none());
        assert!(areas(Rect::new(0, 0, 60, 16), 40).is_some());
    }

    #[test]
    fn panes_tile_the_screen() {
        let a = areas(Rect::new(0, 0, 80, 24), 60).unwrap();
        assert_eq!(a.header.height + a.list.height + a.status.height, 24);
        assert_eq!(a.list.width + a.step.width, 80);
        assert_eq!(a.list.width, 32, "80 columns: 40 %, titles are cut");
    }

    #[test]
    fn the_checklist_grows_with_the_terminal_up_to_its_widest_row() {
        let width = |w| areas(Rect::new(0, 0, w, 40), 58).unwrap().list.width;
        assert_eq!(width(200), 59, "all of the widest row and the border");
        assert_eq!(width(140), 59);
        assert_eq!(width(120), 48, "the step's text keeps its room");
        // Short titles need no more than themselves.
        assert_eq!(areas(Rect::new(0, 0, 200, 40), 20).unwrap().list.width, 28);
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
