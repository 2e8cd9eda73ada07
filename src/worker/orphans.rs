//! Orphan scans and their samples, as worker jobs: cancellable between statements and on
//! the server, answered with the request's generation.

use std::sync::Arc;

use super::{JobContext, Response};
use crate::engine::EngineError;
use crate::engine::catalog::Catalog;
use crate::engine::orphans::{self, OrphanKind, OrphanRow, RelationOrphans, ScanOptions};
use crate::engine::related::MAX_SELECTED_ROWS;

/// Orphans listed per kind when the operator opens a relation.
pub const SAMPLE_ROWS: u32 = 50;

/// One relation's samples: hard orphans, then soft ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanSamples {
    pub hard: Vec<OrphanRow>,
    pub soft: Vec<OrphanRow>,
}

impl JobContext {
    pub(super) async fn scan_orphans(&self, generation: u64, catalog: Option<Arc<Catalog>>) {
        let result = match catalog {
            Some(catalog) => {
                let stop = self.stop.clone();
                self.with_conn(async |conn| {
                    orphans::scan(conn, &catalog, &ScanOptions::default(), &stop).await
                })
                .await
            }
            None => Err(EngineError::other("the catalog is still loading")),
        };
        self.reply(Response::Orphans { generation, result });
    }

    pub(super) async fn sample_orphans(
        &self,
        generation: u64,
        relation: usize,
        catalog: Option<Arc<Catalog>>,
    ) {
        let result = match catalog {
            Some(catalog) => {
                self.with_conn(async |conn| {
                    let hard =
                        orphans::sample(conn, &catalog, relation, OrphanKind::Hard, SAMPLE_ROWS)
                            .await?;
                    let soft =
                        orphans::sample(conn, &catalog, relation, OrphanKind::Soft, SAMPLE_ROWS)
                            .await?;
                    Ok(OrphanSamples { hard, soft })
                })
                .await
            }
            None => Err(EngineError::other("the catalog is still loading")),
        };
        self.reply(Response::OrphanSamples {
            generation,
            relation,
            result,
        });
    }

    pub(super) async fn soft_orphan_parents(
        &self,
        generation: u64,
        relation: usize,
        catalog: Option<Arc<Catalog>>,
    ) {
        let result = match catalog {
            Some(catalog) => {
                self.with_conn(async |conn| {
                    orphans::soft_orphan_parents(conn, &catalog, relation, MAX_SELECTED_ROWS).await
                })
                .await
            }
            None => Err(EngineError::other("the catalog is still loading")),
        };
        self.reply(Response::SoftOrphanParents { generation, result });
    }
}

/// What a scan answers.
pub type ScanResult = Result<Vec<RelationOrphans>, EngineError>;
