//! SQL for one related path: a join chain from the selected rows down to the path's
//! table, so one statement counts a path for any number of selected rows. Names come
//! from the catalog and are quoted; keys and the recovery window are bound.

use super::paths::RelatedPath;
use crate::db::Backend;
use crate::engine::catalog::{
    Catalog, ColumnInfo, ColumnKind, Convention, Relation, SoftDelete, TableInfo,
};
use crate::engine::error::EngineError;
use crate::engine::expr;
use crate::engine::sql::{Binds, quote_ident};

/// The selected rows a preview starts from.
pub struct Roots<'a> {
    pub table: &'a TableInfo,
    pub key_columns: Vec<ColumnInfo>,
    pub keys: &'a [Vec<String>],
}

/// Builds the statements for the paths of one preview.
pub struct PathSql<'a> {
    pub catalog: &'a Catalog,
    pub backend: Backend,
    pub roots: Roots<'a>,
    pub window_seconds: f64,
}

/// A statement and its bound values.
pub struct Statement {
    pub sql: String,
    pub binds: Vec<String>,
}

impl PathSql<'_> {
    fn table(&self, relation: &Relation) -> Result<&TableInfo, EngineError> {
        self.catalog
            .table(&relation.child)
            .ok_or_else(|| EngineError::other(format!("unknown table {}", relation.child)))
    }

    /// `lhs IN (selected keys)`, with the keys bound once per statement.
    fn in_roots(&self, lhs: &[String], roots_list: &RootsList) -> String {
        if lhs.len() == 1 {
            format!("{} IN ({})", lhs[0], roots_list.0)
        } else {
            format!("({}) IN (VALUES {})", lhs.join(", "), roots_list.0)
        }
    }

    fn bind_roots(&self, binds: &mut Binds) -> RootsList {
        let single = self.roots.key_columns.len() == 1;
        let tuples: Vec<String> = padded(self.roots.keys)
            .map(|key| {
                let values: Vec<String> = self
                    .roots
                    .key_columns
                    .iter()
                    .zip(key)
                    .map(|(col, v)| col.cast_bind(self.backend, &binds.push(v.clone())))
                    .collect();
                if single {
                    values.join(", ")
                } else {
                    format!("({})", values.join(", "))
                }
            })
            .collect();
        RootsList(tuples.join(", "))
    }

    /// The rows of `path` that no path in `earlier` reaches, as `FROM … WHERE …`, and
    /// the per-row flags "trashed" and "in the selected row's deletion group".
    fn bind_shared(&self, binds: &mut Binds) -> Shared {
        let roots_list = self.bind_roots(binds);
        Shared {
            roots_list,
            window: self.window(),
        }
    }

    /// The recovery window in seconds, as [`PathSql::same_group`] takes it. A number
    /// from the config, written as a literal: a bound value that no hop happens to use
    /// would leave SQLite with a placeholder gap it refuses to bind.
    pub fn window(&self) -> String {
        format!("{:.3}", self.window_seconds.max(0.0))
    }

    fn body(
        &self,
        path: &RelatedPath,
        earlier: &[&RelatedPath],
        shared: &Shared,
    ) -> Result<Body, EngineError> {
        let (roots_list, window) = (&shared.roots_list, &shared.window);
        let root = self.roots.table;
        let mut from = format!("{} AS t0", root.name.quoted());
        let root_keys: Vec<String> = self
            .roots
            .key_columns
            .iter()
            .map(|c| expr::column_in(c, Some("t0")))
            .collect();
        let mut conditions = vec![self.in_roots(&root_keys, roots_list)];
        // In the group: trashed, and trashed together with the row above it on the path.
        let mut group = match &root.soft_delete {
            Some(sd) => vec![expr::trashed_in(sd, self.backend, Some("t0"))],
            None => vec!["1 = 0".to_owned()],
        };
        let mut parent = root;
        for (depth, &index) in path.relations.iter().enumerate() {
            let relation = &self.catalog.relations[index];
            let child = self.table(relation)?;
            let (p, c) = (format!("t{depth}"), format!("t{}", depth + 1));
            from.push_str(&format!(
                " JOIN {} AS {c} ON {}",
                child.name.quoted(),
                join_on(relation, &c, &p)
            ));
            group.push(self.same_group(parent, &p, child, &c, window));
            parent = child;
        }
        let end = format!("t{}", path.depth());
        let trashed = match &parent.soft_delete {
            Some(sd) => expr::trashed_in(sd, self.backend, Some(&end)),
            None => "1 = 0".to_owned(),
        };
        if path.table == root.name {
            // A cycle back to the selected table: the selected rows are not their own
            // dependents.
            let end_keys: Vec<String> = self
                .roots
                .key_columns
                .iter()
                .map(|c| expr::column_in(c, Some(&end)))
                .collect();
            conditions.push(format!(
                "NOT COALESCE({}, FALSE)",
                self.in_roots(&end_keys, roots_list)
            ));
        }
        for (n, other) in earlier.iter().enumerate() {
            conditions.push(format!(
                "NOT {}",
                self.reached_by(other, &end, n, roots_list)?
            ));
        }
        Ok(Body {
            from_where: format!("{from} WHERE {}", conditions.join(" AND ")),
            trashed,
            group,
        })
    }

    /// Whether the row `row` (of the path's table) is reached by `path`: a walk up its
    /// relations to the selected rows, one key lookup per hop.
    fn reached_by(
        &self,
        path: &RelatedPath,
        row: &str,
        n: usize,
        roots_list: &RootsList,
    ) -> Result<String, EngineError> {
        let Some((&last, above)) = path.relations.split_last() else {
            return Ok("FALSE".into());
        };
        let last = &self.catalog.relations[last];
        let child_cols: Vec<String> = last
            .child_columns
            .iter()
            .map(|c| format!("{row}.{}", quote_ident(c)))
            .collect();
        let root_key_names: Vec<&str> = self
            .roots
            .key_columns
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        if above.is_empty() && last.parent_columns == root_key_names {
            return Ok(format!(
                "COALESCE({}, FALSE)",
                self.in_roots(&child_cols, roots_list)
            ));
        }
        // u<n>_<depth>: the row at that depth of the earlier path, walked upward.
        let alias = |depth: usize| format!("u{n}_{depth}");
        let top = above.len();
        let table_at = |depth: usize| -> Result<String, EngineError> {
            Ok(match depth {
                0 => self.roots.table.name.quoted(),
                d => self
                    .table(&self.catalog.relations[path.relations[d - 1]])?
                    .name
                    .quoted(),
            })
        };
        let mut from = format!("{} AS {}", table_at(top)?, alias(top));
        for depth in (0..top).rev() {
            let relation = &self.catalog.relations[path.relations[depth]];
            from.push_str(&format!(
                " JOIN {} AS {} ON {}",
                table_at(depth)?,
                alias(depth),
                join_on(relation, &alias(depth + 1), &alias(depth))
            ));
        }
        let hook: Vec<String> = last
            .parent_columns
            .iter()
            .zip(&child_cols)
            .map(|(p, c)| format!("{}.{} = {c}", alias(top), quote_ident(p)))
            .collect();
        let root_keys: Vec<String> = self
            .roots
            .key_columns
            .iter()
            .map(|c| expr::column_in(c, Some(&alias(0))))
            .collect();
        Ok(format!(
            "EXISTS (SELECT 1 FROM {from} WHERE {} AND {})",
            hook.join(" AND "),
            self.in_roots(&root_keys, roots_list)
        ))
    }

    /// Child `c` was trashed together with parent `p`: the same deletion token when both
    /// tables keep one, else deletion times within the recovery window.
    pub fn same_group(
        &self,
        parent: &TableInfo,
        p: &str,
        child: &TableInfo,
        c: &str,
        window: &str,
    ) -> String {
        let (Some(psd), Some(csd)) = (&parent.soft_delete, &child.soft_delete) else {
            return "1 = 0".into();
        };
        let trashed = expr::trashed_in(csd, self.backend, Some(c));
        if let (Some(pt), Some(ct)) = (&psd.token, &csd.token) {
            let text = |alias: &str, col: &str| {
                expr::cast_text(&format!("{alias}.{}", quote_ident(col)), self.backend)
            };
            return format!("{trashed} AND {} = {}", text(p, pt), text(c, ct));
        }
        if psd.time.is_none() || csd.time.is_none() {
            return "1 = 0".into();
        }
        format!(
            "{trashed} AND {}",
            self.within_window(psd, p, csd, c, window)
        )
    }

    /// Deletion times of `c` and `p` at most `window` seconds apart. Compared in the
    /// columns' own type where both agree (a timestamp range, or integer epochs), which
    /// costs a fraction of converting every row to epoch seconds.
    fn within_window(
        &self,
        psd: &SoftDelete,
        p: &str,
        csd: &SoftDelete,
        c: &str,
        window: &str,
    ) -> String {
        let (Some(ptime), Some(ctime)) = (&psd.time, &csd.time) else {
            return "1 = 0".into();
        };
        let (pt, ct) = (
            expr::column_in(ptime, Some(p)),
            expr::column_in(ctime, Some(c)),
        );
        let timestamps = match (ptime.kind, ctime.kind) {
            (ColumnKind::Timestamp { with_tz: a }, ColumnKind::Timestamp { with_tz: b }) => {
                Some(a == b)
            }
            _ => None,
        };
        match (self.backend, psd.convention, csd.convention) {
            (Backend::Postgres, _, _) if timestamps == Some(true) => format!(
                "{ct} BETWEEN {pt} - interval '{window} seconds' AND {pt} + interval '{window} seconds'"
            ),
            // One with a time zone, one without: a time without a zone counts as UTC (as
            // its epoch seconds do), so the parent's is turned into the child's type.
            (Backend::Postgres, _, _) if timestamps == Some(false) => {
                let pt = format!("({pt} AT TIME ZONE 'UTC')");
                format!(
                    "{ct} BETWEEN {pt} - interval '{window} seconds' AND {pt} + interval '{window} seconds'"
                )
            }
            (_, Convention::EpochMillis, Convention::EpochMillis) => {
                format!("abs({ct} - {pt}) <= {window} * 1000")
            }
            (_, Convention::EpochSeconds, Convention::EpochSeconds) => {
                format!("abs({ct} - {pt}) <= {window}")
            }
            _ => {
                let pe = expr::deleted_epoch_in(psd, self.backend, Some(p));
                let ce = expr::deleted_epoch_in(csd, self.backend, Some(c));
                format!("abs({ce} - {pe}) <= {window}")
            }
        }
    }

    /// Counts each path's rows (live, trashed, in the group) in one statement, a row per
    /// path tagged with its position in `paths`. With `cap`, each path stops after that
    /// many rows, so a preview never scans more than its budget per path.
    pub fn count(
        &self,
        paths: &[(usize, &RelatedPath, Vec<&RelatedPath>)],
        cap: Option<u64>,
    ) -> Result<Statement, EngineError> {
        let mut binds = Binds::new(self.backend);
        let shared = self.bind_shared(&mut binds);
        let limit = cap.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        let text = |e: &str| expr::cast_text(e, self.backend);
        let mut branches = Vec::with_capacity(paths.len());
        for (tag, path, earlier) in paths {
            let Body {
                from_where: body,
                trashed,
                group,
            } = self.body(path, earlier, &shared)?;
            let group = group.join(" AND ");
            branches.push(format!(
                "SELECT {}, {}, {}, {} FROM (SELECT CASE WHEN {trashed} THEN 1 ELSE 0 END AS tr, \
                 CASE WHEN {group} THEN 1 ELSE 0 END AS gr FROM {body}{limit}) AS q",
                text(&tag.to_string()),
                text("count(*)"),
                text("COALESCE(sum(q.tr), 0)"),
                text("COALESCE(sum(q.gr), 0)"),
            ));
        }
        Ok(Statement {
            sql: branches.join(" UNION ALL "),
            binds: binds.into_values(),
        })
    }

    /// The row under `alias` is live; rows of tables that do not soft-delete always are.
    pub fn live(&self, table: &TableInfo, alias: &str) -> String {
        match &table.soft_delete {
            Some(sd) => format!(
                "NOT COALESCE({}, FALSE)",
                expr::trashed_in(sd, self.backend, Some(alias))
            ),
            None => "1 = 1".to_owned(),
        }
    }

    /// The planner's view of the path (PostgreSQL): `EXPLAIN (FORMAT JSON)`, whose top
    /// node's row estimate is the figure shown with `~`.
    pub fn explain(
        &self,
        path: &RelatedPath,
        earlier: &[&RelatedPath],
    ) -> Result<Statement, EngineError> {
        let mut binds = Binds::new(self.backend);
        let shared = self.bind_shared(&mut binds);
        let body = self.body(path, earlier, &shared)?;
        Ok(Statement {
            sql: format!("EXPLAIN (FORMAT JSON) SELECT 1 FROM {}", body.from_where),
            binds: binds.into_values(),
        })
    }
}

/// Up to this many selected rows, the key list is padded to a power of two.
const PADDED_UP_TO: usize = 64;

/// Whether statements for this many selected rows come in few enough shapes to keep
/// prepared for reuse (see [`padded`]).
pub fn reusable(selected: usize) -> bool {
    selected <= PADDED_UP_TO
}

/// The keys, the last one repeated up to the next power of two (up to
/// [`PADDED_UP_TO`]): `IN` ignores repeats, and the statement texts then come in a
/// handful of shapes, so prepared statements can be reused across selections.
fn padded(keys: &[Vec<String>]) -> impl Iterator<Item = &Vec<String>> {
    let len = keys.len();
    let target = if len <= PADDED_UP_TO {
        len.next_power_of_two()
    } else {
        len
    };
    keys.iter()
        .chain(std::iter::repeat_n(keys.last(), target - len).flatten())
}

/// A path's rows as `FROM … WHERE …`, with the per-row conditions a caller combines.
struct Body {
    from_where: String,
    /// The path's last row is trashed.
    trashed: String,
    /// Per hop, root first: the row at that depth is trashed together with the row
    /// above it (for the root: is trashed at all). All of them together: the last row
    /// is in the selected rows' deletion group.
    group: Vec<String>,
}

/// The selected keys as an SQL list (bound placeholders, cast to the key types).
struct RootsList(String);

/// Values bound once per statement and shared by every path in it.
struct Shared {
    roots_list: RootsList,
    window: String,
}

/// `child.fk = parent.key` for every column pair of `relation`.
pub fn join_on(relation: &Relation, child: &str, parent: &str) -> String {
    relation
        .child_columns
        .iter()
        .zip(&relation.parent_columns)
        .map(|(c, p)| format!("{child}.{} = {parent}.{}", quote_ident(c), quote_ident(p)))
        .collect::<Vec<_>>()
        .join(" AND ")
}
