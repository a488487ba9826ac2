//! Where the pre-built flows come from: the catalog built in, or the folder `FLOW_CATALOG`
//! names, read again whenever the flows are shown or changed, so a new version put there is
//! offered at once. A folder that stops reading keeps the last catalog read from it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

pub struct CatalogSource {
    folder: Option<PathBuf>,
    last: Mutex<Arc<Vec<catalog::Flow>>>,
}

impl CatalogSource {
    pub fn new(folder: Option<PathBuf>) -> CatalogSource {
        let first = match &folder {
            Some(dir) => catalog::read_dir(dir).unwrap_or_default(),
            None => catalog::flows().to_vec(),
        };
        CatalogSource {
            folder,
            last: Mutex::new(Arc::new(first)),
        }
    }

    /// The catalog's pre-built flows, in folder order.
    pub fn prebuilt(&self) -> Vec<catalog::Flow> {
        self.flows()
            .iter()
            .filter(|f| f.is(catalog::Use::Prebuilt))
            .cloned()
            .collect()
    }

    /// The pre-built flow `id`.
    pub fn find(&self, id: &str) -> Option<catalog::Flow> {
        self.prebuilt()
            .into_iter()
            .find(|f| f.meta.id.eq_ignore_ascii_case(id))
    }

    fn flows(&self) -> Arc<Vec<catalog::Flow>> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(dir) = &self.folder {
            match catalog::read_dir(dir) {
                Ok(read) => *last = Arc::new(read),
                Err(why) => {
                    tracing::warn!(%why, "FLOW_CATALOG no longer reads; the last catalog read stays");
                }
            }
        }
        last.clone()
    }
}
