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
    /// Open the restore preview for the marked rows, else the selected one.
    Restore,
    /// Open the move-to-trash preview for the marked live rows, else the selected one.
    Trash,
    /// Switch the records pane between the table's trash and its live rows.
    ToggleLive,
    /// Open the preview of undoing the last change of this session.
    Undo,
    /// In the change dialog: go on (preview → reason → write), or close when done.
    Confirm,
    ToggleGroup,
    ToggleAncestors,
    ToggleLeaveBlocked,
    /// In the change dialog: step back, or close it.
    CloseDialog,
    /// Open the purge plan for the marked rows, the selected row, the table or all trash.
    OpenPurge,
    /// In the purge dialog: the next scope.
    CycleScope,
    /// In the purge dialog: skip roots with live descendants, or purge those too.
    TogglePurgeLive,
    TogglePurgeYoung,
    /// In the purge dialog: type a table without deletion times to purge whatever its age.
    IgnoreAge,
    /// In the purge dialog: plan despite undeclared implied relations, for this run.
    ToggleIgnoreImplied,
    /// In the purge dialog: a later / an earlier cutoff (a day at a time).
    OlderThanMore,
    OlderThanLess,
    /// In the monitor.
    PauseResumeJob,
    CancelJob,
    BatchBigger,
    BatchSmaller,
    SleepLonger,
    SleepShorter,
    /// Open the orphans view (a fresh scan of every relation).
    OpenOrphans,
    /// Open the audit log, newest first.
    OpenAudit,
    /// Open how each table was recognised (detection's verdicts and why).
    OpenExplain,
    /// In that view: every table, or only those with a candidate column.
    ExplainAll,
    /// In the interrupted-purge prompt.
    ResumeJob,
    AbandonJob,
}
