pub mod audit;
pub mod change;
pub mod detail;
pub mod explain;
pub mod help;
pub mod monitor;
pub mod orphans;
pub mod purge_plan;
pub mod records;
pub mod related;
pub mod status;
pub mod tables;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A centred area of at most `width` × `height` inside `area`, for overlays.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    popup
}
