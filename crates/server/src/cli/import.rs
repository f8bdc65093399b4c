//! `pundit import PATH...`: load football-data.co.uk and international results CSV files.

use std::{path::PathBuf, time::Instant};

use anyhow::Context;
use serde_json::json;

use super::progress;
use crate::{config::Config, db, matches};

pub async fn run(config: &Config, paths: &[PathBuf], as_json: bool) -> anyhow::Result<()> {
    let files = matches::sources::expand(paths).context("cannot list the import paths")?;
    anyhow::ensure!(!files.is_empty(), "no CSV files found in {}", display(paths));
    let started = Instant::now();

    let reading = progress::bar(files.len() as u64, "reading", as_json);
    let loaded = matches::sources::load(&files, |_| reading.inc(1));
    reading.finish_and_clear();

    let db = db::connect(config).await?;
    db::migrate(&db, config).await?;
    let writing = progress::bar(loaded.rows.len() as u64, "importing", as_json);
    let counts = matches::import::import(&db, &loaded.rows, &|n| writing.set_position(n)).await?;
    writing.finish_and_clear();
    db.close().await.ok();

    if as_json {
        let summary = json!({
            "inserted": counts.inserted,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "rejected": loaded.rejected.len(),
            "rejections": loaded.rejected,
            "skipped_files": loaded.failed_files,
            "files": files.len(),
            "seconds": started.elapsed().as_secs_f64(),
        });
        println!("{summary}");
        return Ok(());
    }
    println!(
        "{} files, {} rows in {:.2} s: {} inserted, {} updated, {} unchanged, {} rejected",
        files.len(),
        loaded.rows.len() + loaded.rejected.len(),
        started.elapsed().as_secs_f64(),
        counts.inserted,
        counts.updated,
        counts.unchanged,
        loaded.rejected.len()
    );
    for r in loaded.rejected.iter().take(50) {
        println!("  rejected {}:{}: {}", r.file, r.line, r.reason);
    }
    if loaded.rejected.len() > 50 {
        println!(
            "  ... and {} more (use --json for all)",
            loaded.rejected.len() - 50
        );
    }
    for f in &loaded.failed_files {
        println!("  skipped {f}");
    }
    Ok(())
}

fn display(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
