use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use trashcan::cli::{Cli, Command, ConnectionArgs, DemoArgs};
use trashcan::config::{self, Config};
use trashcan::db::migrate::{self, MigrationSet};
use trashcan::db::{Backend, DbPool, DbTarget, SessionSettings};
use trashcan::error::UserError;
use trashcan::tui::{self, app::App, panes::status::StatusBar, theme::Theme};
use trashcan::{demo, headless, worker};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = color_eyre::install() {
        eprintln!("trashcan: cannot install error reporting: {e}");
    }
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("trashcan: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::User(e)) => {
            eprintln!("trashcan: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(report)) => {
            eprintln!("trashcan: {report:?}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    /// Something the operator can fix: printed as one short message.
    User(UserError),
    Internal(color_eyre::Report),
}

impl From<UserError> for Failure {
    fn from(e: UserError) -> Self {
        Failure::User(e)
    }
}

impl From<color_eyre::Report> for Failure {
    fn from(e: color_eyre::Report) -> Self {
        Failure::Internal(e)
    }
}

/// Runs the command; returns the exit code.
async fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Some(Command::Demo(args)) => run_demo(&cli.connection, &args).await.map(|()| 0),
        Some(Command::Tables(args)) => {
            let session = open(&cli.connection, false).await?;
            if args.explain {
                headless::explain_tables(&session.pool, &session.config, &args).await?;
            } else {
                headless::print_tables(&session.pool, &session.config).await?;
            }
            Ok(0)
        }
        Some(Command::Purge(args)) => {
            let session = open(&cli.connection, false).await?;
            let outcome = headless::purge(&session.pool, &session.config, &args).await?;
            Ok(outcome as u8)
        }
        Some(Command::Jobs(args)) => {
            let session = open(&cli.connection, false).await?;
            let outcome = headless::jobs(&session.pool, &session.config, &args).await?;
            Ok(outcome as u8)
        }
        Some(Command::Approve(args)) => {
            let session = open(&cli.connection, false).await?;
            let outcome = headless::approve(&session.pool, &session.config, &args).await?;
            Ok(outcome as u8)
        }
        Some(Command::Orphans(args)) => {
            let session = open(&cli.connection, false).await?;
            let outcome = headless::orphans(&session.pool, &session.config, &args).await?;
            Ok(outcome as u8)
        }
        Some(Command::Relations(args)) => {
            let session = open(&cli.connection, false).await?;
            headless::relations(&session.pool, &session.config, &args).await?;
            Ok(0)
        }
        Some(Command::Audit(args)) => {
            let session = open(&cli.connection, false).await?;
            headless::audit(&session.pool, &args).await?;
            Ok(0)
        }
        Some(Command::Restore(args)) => {
            let session = open(&cli.connection, false).await?;
            let outcome = headless::restore(&session.pool, &session.config, &args).await?;
            Ok(outcome as u8)
        }
        None => {
            let session = open(&cli.connection, true).await?;
            let theme = Theme::from_env();
            let database = session.config.database(&session.target.display);
            let production = database.filter(|d| d.production).map(|d| {
                d.name
                    .clone()
                    .unwrap_or_else(|| session.target.display.clone())
            });
            let status = StatusBar {
                backend: session.target.backend.label().to_string(),
                database: session.target.display.clone(),
                read_only: session.read_only,
                production,
                last_error: None,
                notice: session.notice.clone(),
                link: None,
                who: Some(who_am_i(&session.pool).await),
            };
            let page_size = session.config.console.page_size;
            let retention = session.config.console.default_retention_days;
            let (handle, responses) = worker::spawn(session.pool, Arc::new(session.config));
            let mut app = App::new(handle, status, theme, page_size);
            app.default_retention_days = retention;
            tui::run(app, responses).await?;
            Ok(0)
        }
    }
}

struct Session {
    target: DbTarget,
    pool: DbPool,
    config: Config,
    read_only: bool,
    notice: Option<String>,
}

/// `interactive`: whether a prompt may be shown (the TUI) or not (headless commands).
async fn open(args: &ConnectionArgs, interactive: bool) -> Result<Session, Failure> {
    let loaded = config::load(args.config.as_deref())?;
    for w in &loaded.warnings {
        tracing::warn!("{w}");
        eprintln!("trashcan: warning: {w}");
    }
    let mut config = loaded.config;
    let (target, is_demo) = match &args.database_url {
        Some(url) => (DbTarget::parse(url)?, false),
        None => {
            let path = demo::default_sqlite_path()?;
            if !path.exists() {
                eprintln!(
                    "trashcan: creating the demo database at {} ...",
                    path.display()
                );
            }
            demo::ensure_sqlite(&path, 1, false).await?;
            (DbTarget::sqlite(path), true)
        }
    };
    if is_demo {
        let (demo_config, _) = Config::parse(demo::DEMO_CONFIG, "demo config")?;
        config.relations.extend(demo_config.relations);
        for (table, o) in demo_config.tables {
            config.tables.entry(table).or_insert(o);
        }
    }
    // A viewer's session is read-only on the server, like --read-only.
    let person = trashcan::engine::audit::Actor::from_env();
    let viewer = config.role_of(person.person()) == trashcan::config::Role::Viewer;
    let listed_read_only = config
        .database(&target.display)
        .is_some_and(|d| d.read_only);
    let read_only = args.read_only || config.console.read_only || listed_read_only || viewer;
    if viewer && !interactive {
        eprintln!(
            "trashcan: {} is a viewer ([supervision.roles]): this session is read-only",
            person.person()
        );
    }
    let settings = SessionSettings {
        statement_timeout: config.statement_timeout(),
        lock_timeout: config.lock_timeout(),
        read_only,
        ..SessionSettings::default()
    };
    let pool = DbPool::connect(&target, &settings).await?;
    let notice = ensure_console_tables(&target, &pool, args, read_only, interactive)
        .await?
        .or_else(|| {
            viewer.then(|| {
                format!(
                    "{} is a viewer ([supervision.roles]): this session is read-only",
                    person.person()
                )
            })
        });
    Ok(Session {
        target,
        pool,
        config,
        read_only,
        notice,
    })
}

/// The console's bookkeeping tables are installed only with consent: `--init`, or a yes
/// at a prompt. Without them the console still browses; later writes will need them.
async fn ensure_console_tables(
    target: &DbTarget,
    pool: &DbPool,
    args: &ConnectionArgs,
    read_only: bool,
    interactive: bool,
) -> Result<Option<String>, Failure> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let installed = migrate::console_installed(&mut conn).await.map_err(|e| {
        UserError::new(format!(
            "cannot read the catalog of {}: {e}",
            target.display
        ))
    })?;
    if installed {
        // Installed by an earlier version: bring the bookkeeping tables up to date (only
        // the console's own tables change, never the application's). Only when there is
        // something to do: a role that may only read must still get in.
        let pending = migrate::console_pending(&mut conn).await;
        drop(conn);
        if !read_only && pending != Some(0) {
            migrate::run(target, MigrationSet::Console)
                .await
                .map_err(|e| {
                    e.hint(
                        "the console's bookkeeping tables are older than this trashcan; run it \
                     once as a role that may change them (their owner), or use --read-only",
                    )
                })?;
        }
        return Ok(None);
    }
    drop(conn);
    let where_ = match target.backend {
        Backend::Postgres => "schema \"trashcan\"",
        Backend::Sqlite => "tables named trashcan_*",
    };
    let consent = if args.init {
        true
    } else if interactive
        && !read_only
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        eprint!(
            "trashcan keeps an audit log in its own bookkeeping tables ({where_}) in {}.\n\
             They are not installed. Install them now? [y/N] ",
            target.display
        );
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| UserError::new(e.to_string()))?;
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    } else {
        false
    };
    if !consent || read_only {
        return Ok(Some(
            "browse only: bookkeeping tables not installed (run with --init)".into(),
        ));
    }
    migrate::run(target, MigrationSet::Console).await?;
    Ok(None)
}

async fn run_demo(args: &ConnectionArgs, demo_args: &DemoArgs) -> Result<(), Failure> {
    let target = match &args.database_url {
        Some(url) => DbTarget::parse(url)?,
        None => DbTarget::sqlite(demo::default_sqlite_path()?),
    };
    let started = std::time::Instant::now();
    match target.backend {
        Backend::Sqlite => {
            let path = target.sqlite_path.clone().unwrap_or_default();
            if !demo::ensure_sqlite(&path, demo_args.scale, demo_args.reset).await? {
                return Err(UserError::new(format!(
                    "a demo database already exists at {}",
                    path.display()
                ))
                .hint("add --reset to re-create it")
                .into());
            }
        }
        Backend::Postgres => {
            if demo_args.reset {
                demo::reset_postgres(&target).await?;
            }
            demo::seed_target(&target, demo_args.scale).await?;
        }
    }
    eprintln!(
        "trashcan: demo seeded at scale {} in {} in {:.1}s",
        demo_args.scale,
        target.display,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Logs go to a file (the terminal belongs to the UI), only when TRASHCAN_LOG is set.
fn init_logging() {
    let Ok(filter) = std::env::var("TRASHCAN_LOG") else {
        return;
    };
    let Some(dirs) = directories::ProjectDirs::from("", "", "trashcan") else {
        return;
    };
    let dir = dirs.data_local_dir();
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("trashcan.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
}

/// Who the console acts as, for the status bar: the role the server authenticated (on
/// PostgreSQL) and the OS account of the real uid.
async fn who_am_i(pool: &DbPool) -> String {
    let os = trashcan::engine::audit::os_account();
    let role = match pool.get().await {
        Ok(mut conn) => trashcan::engine::audit::session_role(&mut conn).await,
        Err(_) => None,
    };
    match role {
        Some(role) => format!("as {role} (os {os})"),
        None => format!("os {os}"),
    }
}
