//! Everything a key can ask for. Panes receive actions, never key codes.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    ToggleHelp,
    FocusNext,
    FocusPrev,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    StartFilter,
    ApplyFilter,
    CancelFilter,
    ToggleSort,
    Refresh,
    ToggleMark,
    MarkRange,
    ClearMarks,
    CountExactly,
}
