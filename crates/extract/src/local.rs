//! Local files, read with a size cap.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// Reads a whole file, refusing one larger than `max_bytes` (checked before reading and while
/// reading, for files that grow).
pub(crate) fn read_capped(source_id: &str, path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let read_err = |cause| Error::Read {
        source_id: source_id.to_owned(),
        path: path.to_owned(),
        cause,
    };
    let too_large = || Error::TooLarge {
        source_id: source_id.to_owned(),
        origin: path.display().to_string(),
        limit: max_bytes,
    };
    let file = File::open(path).map_err(read_err)?;
    let len = file.metadata().map_err(read_err)?.len();
    if len > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}
