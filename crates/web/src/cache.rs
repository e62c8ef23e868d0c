//! Rendered pages in memory, bounded by their total size, in front of the store's `pages` table;
//! and the computations in flight, so that requests for the same page share one computation.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::error::AppError;

/// What a computation in flight ends with: the page, or why there is none.
pub type Outcome = Option<Result<Arc<String>, AppError>>;

/// Pages by key, the oldest dropped first once their total size passes the bound.
pub struct Memory {
    inner: Mutex<MemoryInner>,
    max_bytes: usize,
}

struct MemoryInner {
    pages: HashMap<String, Arc<String>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Memory {
    pub fn new(max_bytes: usize) -> Memory {
        Memory {
            inner: Mutex::new(MemoryInner {
                pages: HashMap::new(),
                order: VecDeque::new(),
                bytes: 0,
            }),
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        // Every change below leaves the map, the order and the count consistent before it could
        // panic, so a poisoned lock still guards good data.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, key: &str) -> Option<Arc<String>> {
        self.lock().pages.get(key).cloned()
    }

    pub fn put(&self, key: &str, page: Arc<String>) {
        if page.len() > self.max_bytes {
            return;
        }
        let mut m = self.lock();
        if m.pages.contains_key(key) {
            return;
        }
        m.bytes += page.len();
        m.pages.insert(key.to_string(), page);
        m.order.push_back(key.to_string());
        while m.bytes > self.max_bytes {
            let Some(old) = m.order.pop_front() else {
                break;
            };
            if let Some(p) = m.pages.remove(&old) {
                m.bytes -= p.len();
            }
        }
    }

    /// Pages held and their total size in bytes.
    pub fn size(&self) -> (usize, usize) {
        let m = self.lock();
        (m.pages.len(), m.bytes)
    }
}

/// Computations in flight (and, for a while, those that failed), by key.
#[derive(Default)]
pub struct Flights {
    inner: Mutex<HashMap<String, watch::Receiver<Outcome>>>,
}

impl Flights {
    /// The flight for `key`, or, when there is none, a new one whose sender the caller must
    /// complete (`Err` with the receiver to wait on in both cases).
    pub fn join(
        &self,
        key: &str,
    ) -> Result<watch::Receiver<Outcome>, (watch::Sender<Outcome>, watch::Receiver<Outcome>)> {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rx) = m.get(key) {
            return Ok(rx.clone());
        }
        let (tx, rx) = watch::channel(None);
        m.insert(key.to_string(), rx.clone());
        Err((tx, rx))
    }

    pub fn remove(&self, key: &str) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_drops_the_oldest_pages_beyond_its_bound() {
        let m = Memory::new(10);
        m.put("a", Arc::new("1234".into()));
        m.put("b", Arc::new("1234".into()));
        assert_eq!(m.size(), (2, 8));
        m.put("c", Arc::new("1234".into()));
        assert_eq!(m.size(), (2, 8));
        assert!(m.get("a").is_none() && m.get("b").is_some() && m.get("c").is_some());
        // A page larger than the whole bound is not kept, and drops nothing.
        m.put("d", Arc::new("x".repeat(11)));
        assert_eq!(m.size(), (2, 8));
    }

    #[test]
    fn the_second_request_joins_the_first_flight() {
        let f = Flights::default();
        let (tx, _) = f.join("k").unwrap_err();
        let joined = f.join("k").unwrap();
        tx.send(Some(Ok(Arc::new("page".into())))).unwrap();
        assert_eq!(
            joined.borrow().as_ref().unwrap().as_ref().unwrap().as_str(),
            "page"
        );
        f.remove("k");
        assert!(f.join("k").is_err(), "a new flight after removal");
    }
}
