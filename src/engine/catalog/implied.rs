//! Relations a schema implies by naming and never declares: `user_id`, `userid` or
//! `userId` beside a `users` table (or `user`, `spree_users`…) with a key of the same
//! type. Older Rails, Go and Node applications keep many keys this way. They are
//! suggestions, not edges: nothing is traversed along them until the config declares
//! them, and a purge or move to trash that could orphan rows along one refuses until
//! each is declared, ignored, or overridden for the run.

use std::collections::BTreeSet;

use super::conventions::normalize;
use super::model::{ColumnKind, FkAction, Relation, TableInfo};
use crate::db::Backend;

/// Column stems that point at a row of the same table: trees and threads.
const SELF_STEMS: &[&str] = &["parent"];

/// The parent table names a stem may be written as: singular and plural forms.
fn table_forms(stem: &str) -> Vec<String> {
    let mut forms = vec![stem.to_owned(), format!("{stem}s"), format!("{stem}es")];
    if let Some(base) = stem.strip_suffix('y') {
        forms.push(format!("{base}ies"));
    }
    if let Some(base) = stem.strip_suffix("ies") {
        forms.push(format!("{base}y"));
    }
    forms
}

/// The stem of a column named like a key: `user_id`, `userId`, `userid` → `user`.
fn stem(column: &str) -> Option<String> {
    let n = normalize(column);
    let stem = n.strip_suffix("id")?;
    (stem.len() >= 2).then(|| stem.to_owned())
}

/// A table's name without the prefix an application gives all its tables
/// (`spree_products` → `products`), for matching against stems.
fn unprefixed(table: &str) -> Vec<String> {
    let lower = table.to_lowercase();
    let mut names = vec![normalize(&lower)];
    if let Some((_, rest)) = lower.split_once('_') {
        names.push(normalize(rest));
    }
    names
}

fn prefix(table: &str) -> Option<String> {
    table
        .to_lowercase()
        .split_once('_')
        .map(|(p, _)| p.to_owned())
}

/// Whether a column of kind `a` can hold keys of kind `b`: the same kind, as a foreign
/// key would need on PostgreSQL (a varchar `provider_customer_id` beside a uuid `id` is
/// some other system's key); SQLite declares types loosely, so any text-like pair.
fn compatible(a: ColumnKind, b: ColumnKind, backend: Backend) -> bool {
    let texty = |k| {
        matches!(
            k,
            ColumnKind::Text | ColumnKind::Uuid | ColumnKind::Numeric | ColumnKind::Other
        )
    };
    match backend {
        Backend::Postgres => {
            a == b && matches!(a, ColumnKind::Integer | ColumnKind::Text | ColumnKind::Uuid)
        }
        Backend::Sqlite => {
            (a == ColumnKind::Integer && b == ColumnKind::Integer) || (texty(a) && texty(b))
        }
    }
}

/// Relations implied by names that no declared key or config relation covers, minus
/// those the config ignores (`child.column`, as written in `[implied] ignore`).
pub fn infer(
    tables: &[TableInfo],
    relations: &[Relation],
    ignored: &[String],
    backend: Backend,
) -> Vec<Relation> {
    let covered: BTreeSet<(String, String)> = relations
        .iter()
        .filter(|r| r.child_columns.len() == 1)
        .map(|r| (r.child.to_string(), r.child_columns[0].clone()))
        .collect();
    let mut found = Vec::new();
    for child in tables {
        for column in &child.columns {
            if covered.contains(&(child.name.to_string(), column.name.clone()))
                || child.primary_key == [column.name.clone()] && column.name == "id"
                || ignored.iter().any(|i| {
                    i.rsplit_once('.')
                        .is_some_and(|(t, c)| c == column.name && child.name.matches(t))
                })
            {
                continue;
            }
            let Some(stem) = stem(&column.name) else {
                continue;
            };
            let Some(parent) = parent_for(tables, child, &stem) else {
                continue;
            };
            let [key] = parent.primary_key.as_slice() else {
                continue;
            };
            let Some(key_column) = parent.column(key) else {
                continue;
            };
            if !compatible(column.kind, key_column.kind, backend) {
                continue;
            }
            found.push(Relation {
                name: format!("implied:{}.{}", child.name, column.name),
                child: child.name.clone(),
                child_columns: vec![column.name.clone()],
                parent: parent.name.clone(),
                parent_columns: vec![key.clone()],
                on_delete: FkAction::NoAction,
                deferrable: false,
                declared: false,
            });
        }
    }
    found
}

/// The table a stem names: the same table for `parent_id`; else another table named by
/// a form of the stem, exactly, else after the application prefix the child's own name
/// carries (`spree_variants.product_id` → `spree_products`, but `events.transaction_id`
/// is no key of `wallet_transactions`).
fn parent_for<'a>(
    tables: &'a [TableInfo],
    child: &'a TableInfo,
    stem: &str,
) -> Option<&'a TableInfo> {
    if SELF_STEMS.contains(&stem) {
        return Some(child);
    }
    let forms = table_forms(stem);
    let same_schema = |t: &&TableInfo| t.name.schema == child.name.schema && t.name != child.name;
    let exact: Vec<&TableInfo> = tables
        .iter()
        .filter(same_schema)
        .filter(|t| forms.contains(&normalize(&t.name.name)))
        .collect();
    if let [one] = exact.as_slice() {
        return Some(one);
    }
    let own = prefix(&child.name.name)?;
    let loose: Vec<&TableInfo> = tables
        .iter()
        .filter(same_schema)
        .filter(|t| prefix(&t.name.name).as_ref() == Some(&own))
        .filter(|t| unprefixed(&t.name.name).iter().any(|n| forms.contains(n)))
        .collect();
    match loose.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::catalog::model::ColumnInfo;
    use crate::engine::sql::TableName;

    fn table(name: &str, columns: &[(&str, ColumnKind)]) -> TableInfo {
        TableInfo {
            name: TableName::new(None, name),
            columns: columns
                .iter()
                .map(|(n, k)| ColumnInfo {
                    name: (*n).into(),
                    sql_type: "x".into(),
                    kind: *k,
                    nullable: true,
                })
                .collect(),
            primary_key: vec!["id".into()],
            soft_delete: None,
            estimated_rows: None,
            can_select: true,
            can_modify: true,
            display_columns: Vec::new(),
            retention_days: None,
            indexes: Vec::new(),
            detection: Default::default(),
        }
    }

    const INT: ColumnKind = ColumnKind::Integer;
    const TEXT: ColumnKind = ColumnKind::Text;

    fn described(found: &[Relation]) -> Vec<String> {
        found.iter().map(Relation::describe).collect()
    }

    #[test]
    fn names_in_every_spelling_find_their_table() {
        let tables = [
            table("users", &[("id", TEXT)]),
            table(
                "channels",
                &[("id", TEXT), ("teamid", TEXT), ("creatorid", TEXT)],
            ),
            table("teams", &[("id", TEXT)]),
            table(
                "posts",
                &[
                    ("id", TEXT),
                    ("channelid", TEXT),
                    ("userId", TEXT),
                    ("parent_id", TEXT),
                ],
            ),
            table("categories", &[("id", INT)]),
            table(
                "items",
                &[("id", INT), ("category_id", INT), ("user_id", INT)],
            ),
        ];
        let found = described(&infer(&tables, &[], &[], Backend::Postgres));
        assert_eq!(
            found,
            [
                "channels.teamid → teams.id",
                "posts.channelid → channels.id",
                "posts.userId → users.id",
                "posts.parent_id → posts.id",
                "items.category_id → categories.id",
            ],
            "no `creators` table; items.user_id is an integer, users.id text"
        );
    }

    #[test]
    fn declared_and_ignored_keys_are_not_suggested() {
        let tables = [
            table("users", &[("id", INT)]),
            table(
                "posts",
                &[("id", INT), ("user_id", INT), ("editor_id", INT)],
            ),
            table("editors", &[("id", INT)]),
        ];
        let declared = infer(&tables, &[], &[], Backend::Postgres).remove(0);
        let found = described(&infer(
            &tables,
            &[declared],
            &["posts.editor_id".into()],
            Backend::Postgres,
        ));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn application_prefixes() {
        let tables = [
            table("spree_products", &[("id", INT)]),
            table("spree_variants", &[("id", INT), ("product_id", INT)]),
            table("legacy_products", &[("id", INT)]),
            table("wallet_transactions", &[("id", INT)]),
            table("events", &[("id", INT), ("transaction_id", INT)]),
            table(
                "payment_provider_customers",
                &[("id", INT), ("provider_customer_id", INT)],
            ),
        ];
        assert_eq!(
            described(&infer(&tables, &[], &[], Backend::Postgres)),
            ["spree_variants.product_id → spree_products.id"]
        );
    }
}
