//! Where uploaded photos live, through the `object_store` crate: a local folder by default
//! (`SHOPPABLE_MEDIA_DIR`, or next to the SQLite file), or S3-compatible storage with
//! `--media-store s3://bucket/prefix` (credentials, region and endpoint from the usual
//! `AWS_*` variables, e.g. `AWS_ENDPOINT` for MinIO). Several instances share uploads when
//! they share the store: the same folder (a shared volume) or the same bucket.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, PutPayload};
use tokio::sync::OnceCell;

use crate::config::Config;
use crate::error::{AppError, AppResult};

pub const MEDIA_DIR_ENV: &str = "SHOPPABLE_MEDIA_DIR";

pub struct MediaStore {
    /// The folder of the local store, created on the first upload.
    local: Option<PathBuf>,
    store: OnceCell<Arc<dyn ObjectStore>>,
}

impl MediaStore {
    pub fn from_config(config: &Config) -> AppResult<MediaStore> {
        match config.media_store.as_deref().filter(|s| !s.is_empty()) {
            Some(url) if url.starts_with("s3://") => {
                let parsed = url::Url::parse(url).map_err(|e| AppError::internal(format!("--media-store {url}: {e}")))?;
                let s3 = object_store::aws::AmazonS3Builder::from_env()
                    .with_url(url)
                    .build()
                    .map_err(|e| AppError::internal(format!("--media-store {url}: {e}")))?;
                let prefix = parsed.path().trim_matches('/').to_owned();
                let store: Arc<dyn ObjectStore> =
                    if prefix.is_empty() { Arc::new(s3) } else { Arc::new(PrefixStore::new(s3, prefix.as_str())) };
                Ok(MediaStore { local: None, store: OnceCell::from(store) })
            }
            Some(path) => {
                Ok(MediaStore { local: Some(PathBuf::from(path.strip_prefix("file://").unwrap_or(path))), store: OnceCell::new() })
            }
            None => Ok(MediaStore { local: Some(default_dir(config)), store: OnceCell::new() }),
        }
    }

    /// The store; a local folder is made when `create`, and is otherwise None until it exists.
    async fn store(&self, create: bool) -> AppResult<Option<&Arc<dyn ObjectStore>>> {
        if let Some(store) = self.store.get() {
            return Ok(Some(store));
        }
        let Some(dir) = &self.local else {
            return Ok(None);
        };
        if !create && !dir.is_dir() {
            return Ok(None);
        }
        let store = self
            .store
            .get_or_try_init(|| async {
                tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::internal(format!("{}: {e}", dir.display())))?;
                let local = LocalFileSystem::new_with_prefix(dir).map_err(AppError::internal)?;
                Ok::<_, AppError>(Arc::new(local) as Arc<dyn ObjectStore>)
            })
            .await?;
        Ok(Some(store))
    }

    /// Stores `bytes` as `name` (atomically: readers never see half a file), unless present.
    pub async fn put(&self, name: &str, bytes: Bytes) -> AppResult<()> {
        let store = self.store(true).await?.ok_or_else(|| AppError::internal("no media store"))?;
        let path = StorePath::from(name);
        if store.head(&path).await.is_ok() {
            return Ok(());
        }
        store.put(&path, PutPayload::from_bytes(bytes)).await.map_err(|e| AppError::internal(format!("cannot store {name}: {e}")))?;
        Ok(())
    }

    /// The bytes stored as `name`, None when there is no such file.
    pub async fn get(&self, name: &str) -> AppResult<Option<Bytes>> {
        let Some(store) = self.store(false).await? else {
            return Ok(None);
        };
        match store.get(&StorePath::from(name)).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(|e| AppError::internal(format!("cannot read {name}: {e}")))?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::internal(format!("cannot read {name}: {e}"))),
        }
    }
}

/// `SHOPPABLE_MEDIA_DIR`, else `<name>-media/` next to the SQLite file (`.local/demo.sqlite` ->
/// `.local/demo-media/`), or `shoppable-media/` in the working directory on PostgreSQL.
fn default_dir(config: &Config) -> PathBuf {
    if let Some(dir) = std::env::var_os(MEDIA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    config.beside_database("media")
}
