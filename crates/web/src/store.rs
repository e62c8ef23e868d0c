//! Saved scenarios and cached results in one SQLite file.
//!
//! The file is created on first start, in WAL mode with `synchronous=FULL`: a save that has been
//! acknowledged is on disk, and a killed server loses nothing that was saved. A saved scenario's id
//! is a digest of its canonical JSON, so saving the same thing twice gives the same short link.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// Two different scenarios with the same short id (50 bits of a digest: it should never happen).
    #[error("saved id {0} already names a different scenario")]
    Collision(String),
}

/// Cached results kept, newest first; older ones are dropped (they can always be recomputed), so the
/// file does not grow without bound under many distinct requests.
pub const CACHE_ROWS: i64 = 2000;

/// Rendered pages kept, newest first. A results page is about 0.6 MB, so this bounds the file's
/// pages to roughly 120 MB; a page that fell out is recomputed when asked for.
pub const PAGE_ROWS: i64 = 200;

/// The database: one connection behind a mutex (every statement is short).
pub struct Store {
    conn: Mutex<Connection>,
}

/// Characters of a saved id: lowercase letters and digits without the look-alikes 0, 1, l and o
/// (Crockford-like base 32), so that a link read aloud or typed is hard to get wrong.
const ALPHABET: &[u8; 32] = b"23456789abcdefghijkmnpqrstuvwxyz";

/// Length of a saved id: 50 bits of the digest.
pub const ID_LEN: usize = 10;

/// The id of a canonical JSON text: the first 50 bits of its SHA-256, in base 32.
pub fn id_of(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    let mut bits: u64 = 0;
    for byte in &digest[..8] {
        bits = (bits << 8) | *byte as u64;
    }
    (0..ID_LEN)
        .map(|i| ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect()
}

/// Whether `id` could be a saved id (its length and alphabet), before asking the database.
pub fn plausible_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| ALPHABET.contains(&b))
}

impl Store {
    /// Opens (creating if need be) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             PRAGMA busy_timeout=5000;
             CREATE TABLE IF NOT EXISTS saved (id TEXT PRIMARY KEY, params TEXT NOT NULL, created TEXT);
             CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, json TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, html TEXT NOT NULL);",
        )
        .map_err(open)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave a statement half done: SQLite's own
        // transaction either committed or not, so the connection is still good.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves `canonical` (the canonical JSON of a scenario's parameters) and returns its id. Saving
    /// the same text again returns the same id and keeps the first row.
    pub fn save(&self, canonical: &str) -> Result<String, StoreError> {
        let id = id_of(canonical);
        let conn = self.conn();
        conn.execute(
            "INSERT OR IGNORE INTO saved (id, params, created) VALUES (?1, ?2, datetime('now'))",
            params![id, canonical],
        )?;
        // The row under this id must be this scenario: never hand out a link to another one.
        let stored: String =
            conn.query_row("SELECT params FROM saved WHERE id = ?1", [&id], |r| {
                r.get(0)
            })?;
        if stored != canonical {
            return Err(StoreError::Collision(id));
        }
        Ok(id)
    }

    /// The parameters saved under `id`, if any.
    pub fn load(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT params FROM saved WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// A cached result.
    pub fn cached(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT json FROM cache WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Caches a result (results are deterministic, so a key's value never changes).
    pub fn cache(&self, key: &str, json: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT OR REPLACE INTO cache (key, json) VALUES (?1, ?2)",
            params![key, json],
        )?;
        conn.execute(
            "DELETE FROM cache WHERE rowid <= (SELECT max(rowid) FROM cache) - ?1",
            [CACHE_ROWS],
        )?;
        Ok(())
    }

    /// A cached rendered page.
    pub fn page(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT html FROM pages WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a rendered page (pages are deterministic in their key), dropping the oldest beyond
    /// [`PAGE_ROWS`].
    pub fn keep_page(&self, key: &str, html: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT OR REPLACE INTO pages (key, html) VALUES (?1, ?2)",
            params![key, html],
        )?;
        conn.execute(
            "DELETE FROM pages WHERE rowid <= (SELECT max(rowid) FROM pages) - ?1",
            [PAGE_ROWS],
        )?;
        Ok(())
    }

    /// The journal mode in force (`wal` once opened).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db")).unwrap();
        let params = r#"{"runs":100,"scenario":"stalin-expelled","seed":4}"#;
        let id = store.save(params).unwrap();
        assert!(plausible_id(&id), "{id}");
        assert_eq!(store.load(&id).unwrap().as_deref(), Some(params));
        assert_eq!(store.load("zzzzzzzzzz").unwrap(), None);
    }

    #[test]
    fn the_same_params_get_the_same_id_and_others_another() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db")).unwrap();
        let a = store.save(r#"{"runs":100,"seed":1}"#).unwrap();
        let b = store.save(r#"{"runs":100,"seed":1}"#).unwrap();
        let c = store.save(r#"{"runs":100,"seed":2}"#).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM saved", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    #[test]
    fn rows_survive_closing_and_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let id = {
            let store = Store::open(&path).unwrap();
            store.cache("k", "[1,2]").unwrap();
            store.save(r#"{"kept":true}"#).unwrap()
        };
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.load(&id).unwrap().as_deref(),
            Some(r#"{"kept":true}"#)
        );
        assert_eq!(store.cached("k").unwrap().as_deref(), Some("[1,2]"));
    }

    #[test]
    fn the_database_is_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db")).unwrap();
        assert_eq!(store.journal_mode().unwrap(), "wal");
        assert!(dir.path().join("x.db-wal").exists());
    }

    #[test]
    fn a_link_never_names_another_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db")).unwrap();
        let id = id_of("mine");
        store
            .conn()
            .execute(
                "INSERT INTO saved (id, params) VALUES (?1, 'someone else''s')",
                [&id],
            )
            .unwrap();
        assert!(matches!(store.save("mine"), Err(StoreError::Collision(i)) if i == id));
    }

    #[test]
    fn the_cache_keeps_only_the_newest_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("x.db")).unwrap();
        for k in 0..CACHE_ROWS + 10 {
            store.cache(&format!("k{k}"), "[]").unwrap();
        }
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM cache", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, CACHE_ROWS);
        assert_eq!(store.cached("k0").unwrap(), None);
        assert!(store
            .cached(&format!("k{}", CACHE_ROWS + 9))
            .unwrap()
            .is_some());
    }

    #[test]
    fn pages_are_kept_across_a_restart_and_only_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        {
            let store = Store::open(&path).unwrap();
            for k in 0..PAGE_ROWS + 3 {
                store.keep_page(&format!("p{k}"), "<p>").unwrap();
            }
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.page("p0").unwrap(), None);
        assert_eq!(
            store
                .page(&format!("p{}", PAGE_ROWS + 2))
                .unwrap()
                .as_deref(),
            Some("<p>")
        );
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM pages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, PAGE_ROWS);
    }

    #[test]
    fn ids_are_short_and_use_the_alphabet() {
        let id = id_of("anything");
        assert_eq!(id.len(), ID_LEN);
        assert!(plausible_id(&id));
        assert!(!plausible_id("../etc/pa"));
        assert!(!plausible_id("ABCDEFGHIJ"));
    }
}
