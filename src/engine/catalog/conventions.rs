//! The names soft-delete conventions use, kept as data in one place: which ORMs and
//! frameworks write them, and the look-alikes that are not trash. The README lists them
//! from here. Names compare after [`normalize`], so `deleted_at`, `deletedAt` and
//! `DeletedAt` are one name.

/// Lower-cases and drops `_` so `deleted_at`, `deletedAt` and `DeletedAt` compare equal.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A family of column names and who writes them.
pub struct NameRule {
    pub names: &'static [&'static str],
    pub source: &'static str,
}

impl NameRule {
    pub fn matches(&self, normalized: &str) -> bool {
        self.names.contains(&normalized)
    }
}

/// Deletion times: a timestamp or date (NULL = live), or an epoch integer (0 or NULL =
/// live). The first rule that names a column wins.
pub const TIME_RULES: &[NameRule] = &[
    NameRule {
        names: &["deletedat"],
        source: "Rails paranoia/acts_as_paranoid, Laravel SoftDeletes, Prisma and \
                 Sequelize deletedAt, Go and Node apps' epoch integers",
    },
    NameRule {
        names: &["discardedat"],
        source: "Rails discard",
    },
    NameRule {
        names: &["deleteat"],
        source: "Go and Node apps' deleteat/delete_at (epoch integers, 0 = live)",
    },
    NameRule {
        names: &[
            "trashedat",
            "deletedon",
            "deletiondate",
            "deletiontime",
            "deletedtime",
        ],
        source: "hand-rolled trashed_at, deleted_on, deletion_date",
    },
    NameRule {
        names: &[
            "deletedatms",
            "deletedms",
            "deletedatmillis",
            "deletedatepoch",
            "deletedatsec",
            "deletedatseconds",
            "deletedatunix",
            "deletedunix",
        ],
        source: "epoch integers named by their unit",
    },
];

/// A column named `deleted` that holds a time: django-safedelete's `deleted` field.
/// (A boolean or 0/1 `deleted` is a flag, below.)
pub const DJANGO_SAFEDELETE: NameRule = NameRule {
    names: &["deleted"],
    source: "django-safedelete's deleted",
};

/// Deletion flags: boolean, or 0/1 integers.
pub const FLAG_RULES: &[NameRule] = &[
    NameRule {
        names: &[
            "isdeleted",
            "deleted",
            "deletedflag",
            "deleteflag",
            "isdelete",
        ],
        source: "is_deleted, isDeleted and deleted flags",
    },
    NameRule {
        names: &["isremoved"],
        source: "django-model-utils SoftDeletableModel",
    },
    NameRule {
        names: &["istrashed", "trashed", "isdiscarded"],
        source: "is_trashed and trashed flags",
    },
];

/// Columns that look like deletion markers and are not: listed with the reason, never
/// treated as trash (the config can still name one).
pub const NEAR_MISSES: &[(&[&str], &str)] = &[
    (
        &["archivedat", "isarchived", "archived"],
        "archived, not deleted: applications keep showing archived rows",
    ),
    (
        &[
            "terminatedat",
            "cancelledat",
            "canceledat",
            "endedat",
            "closedat",
        ],
        "a lifecycle time (terminated, cancelled, ended), not a deletion",
    ),
    (
        &["removedat", "isremovedat"],
        "removed_at usually records removal from a list or group, not deletion",
    ),
    (
        &[
            "deleteafter",
            "deletionscheduledat",
            "scheduleddeletionat",
            "scheduledfordeletionat",
            "purgeat",
            "purgeafter",
            "expiresat",
            "expireat",
            "isexpired",
            "expired",
            "expiredat",
            "deletedafter",
            "tobedeletedat",
            "harddeleteat",
        ],
        "a scheduled deletion or expiry time: rows are live until then",
    ),
    (
        &[
            "deactivatedat",
            "disabledat",
            "suspendedat",
            "isactive",
            "active",
        ],
        "deactivation, not deletion: the row is still in use",
    ),
];

/// Deletion-ish names that mark who deleted, why, and which deletion a row belongs to.
pub const DELETED_BY_NAMES: &[&str] = &[
    "deletedby",
    "deletedbyid",
    "deleterid",
    "discardedby",
    "trashedby",
    "removedby",
    "deletedbyuserid",
];
pub const REASON_NAMES: &[&str] = &[
    "deletionreason",
    "deletereason",
    "deletedreason",
    "discardreason",
    "trashreason",
];
pub const TOKEN_NAMES: &[&str] = &[
    "deletiontoken",
    "deletionid",
    "deletionbatch",
    "deletetoken",
    "deletionbatchid",
    "deletiongroup",
];

/// Columns a flag-only table may take its rows' age from, in order of preference, when
/// the operator configures one (`[tables.T] time_column`).
pub const PROXY_TIME_NAMES: &[&str] = &["updatedat", "modifiedat", "changedat", "lastmodified"];

/// Tables that keep snapshots of other rows (versions, history, audits): a deletion
/// flag there is copied from the row it snapshots, not the table's own trash.
pub const HISTORY_SUFFIXES: &[&str] = &[
    "versions",
    "version",
    "history",
    "histories",
    "audits",
    "audit",
    "revisions",
    "snapshots",
];

/// Whether a table keeps snapshots of other rows, by its name: `page_versions`,
/// `user_history`, `post_audits`, `PageVersions`. Returns the suffix that says so.
pub fn is_history_table(table: &str) -> Option<&'static str> {
    let lower = table.to_lowercase();
    // A bare `versions` or `audits` is left alone: a file store's versions are its own
    // rows, and PaperTrail's `versions` keeps no deletion marker to misread anyway.
    HISTORY_SUFFIXES.iter().copied().find(|suffix| {
        lower.ends_with(&format!("_{suffix}"))
            || (table.len() > suffix.len() && table.ends_with(&capitalized(suffix)))
    })
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Columns only a job queue's table has (good_job, solid_queue, delayed_job, que,
/// Sidekiq-style tables): there a `discarded_at` marks jobs given up on, not trash. A
/// job board's `jobs` table has none of them, so its `discarded_at` stays a marker.
const JOB_QUEUE_COLUMNS: &[&str] = &[
    "queuename",
    "queue",
    "activejobid",
    "jobclass",
    "serializedparams",
    "handler",
];

pub fn is_job_queue(normalized_columns: &[String]) -> bool {
    normalized_columns
        .iter()
        .any(|c| JOB_QUEUE_COLUMNS.contains(&c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_tables_by_suffix() {
        assert!(is_history_table("page_versions").is_some());
        assert!(is_history_table("user_history").is_some());
        assert!(
            is_history_table("audits").is_none(),
            "a bare name is no snapshot"
        );
        assert!(is_history_table("post_audits").is_some());
        assert!(is_history_table("PageVersions").is_some());
        assert!(
            is_history_table("conversions").is_none(),
            "a word, not a suffix"
        );
        assert!(is_history_table("versions_x").is_none());
        assert!(is_history_table("users").is_none());
    }

    #[test]
    fn job_queues() {
        let cols = |names: &[&str]| names.iter().map(|n| normalize(n)).collect::<Vec<_>>();
        assert!(is_job_queue(&cols(&["id", "queue_name", "discarded_at"])));
        assert!(is_job_queue(&cols(&["handler", "run_at", "discarded_at"])));
        assert!(
            !is_job_queue(&cols(&["id", "title", "discarded_at"])),
            "a job board's jobs table"
        );
    }
}
