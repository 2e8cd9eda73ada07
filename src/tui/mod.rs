//! The terminal UI: state and drawing only. Database work goes through the worker.

pub mod action;
pub mod app;
pub mod format;
pub mod keymap;
pub mod panes;
pub mod theme;

use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::worker::Response;
use app::App;

/// Runs the UI until the operator quits. The terminal is restored on every way out:
/// normal exit, error, signal, and (through ratatui's hook) panic.
pub async fn run(mut app: App, mut responses: mpsc::UnboundedReceiver<Response>) -> Result<()> {
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    let result = event_loop(&mut terminal, &mut app, &mut responses).await;
    app.cancel_all();
    ratatui::try_restore().wrap_err("cannot restore the terminal")?;
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    responses: &mut mpsc::UnboundedReceiver<Response>,
) -> Result<()> {
    let mut events = EventStream::new();
    let mut spinner = tokio::time::interval(Duration::from_millis(120));
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    app.start();
    // Draw only when something changed, so an idle console sends nothing over SSH.
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| {
                app.draw(frame);
                // A terminal that is not UTF-8 would garble whatever goes beyond ASCII:
                // the console's own glyphs and the data's names and emoji alike.
                if !app.unicode() {
                    theme::ascii_only(frame.buffer_mut());
                }
            })?;
            dirty = false;
        }
        if app.should_quit {
            return Ok(());
        }
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    app.on_key(key);
                    dirty = true;
                }
                Some(Ok(Event::Resize(_, _))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e).wrap_err("reading terminal input failed"),
                None => return Ok(()),
            },
            Some(response) = responses.recv() => {
                app.on_response(response);
                dirty = true;
            }
            _ = spinner.tick(), if app.is_busy() => {
                app.tick = app.tick.wrapping_add(1);
                dirty = true;
            }
            _ = hangup.recv() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
        }
    }
}
