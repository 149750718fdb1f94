//! Bytes hashed (SHA-256) and counted as they pass: a corpus file as it is read, a corpus
//! download as it is written. The digest is of exactly the bytes that went through.

use std::io::{BufReader, Read, Write};

use sha2::{Digest, Sha256};

/// A reader or writer that hashes and counts what passes through it.
pub(crate) struct Hashed<T> {
    inner: T,
    hasher: Sha256,
    /// Bytes that passed so far.
    pub(crate) bytes: u64,
}

impl<T> Hashed<T> {
    pub(crate) fn new(inner: T) -> Hashed<T> {
        Hashed {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The hex SHA-256 and the count of the bytes that passed, and the inner reader or writer.
    pub(crate) fn finish(self) -> (String, u64, T) {
        (
            chiso_model::hex::lower_hex(&self.hasher.finalize()),
            self.bytes,
            self.inner,
        )
    }
}

impl<T: Read> Read for Hashed<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<T: Write> Write for Hashed<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Reads the rest of `hashed` through, in reads of 1 MiB (`io::copy` alone would read 8 KiB at
/// a time), so that its digest covers the whole input.
pub(crate) fn drain<R: Read>(hashed: &mut Hashed<R>) -> std::io::Result<()> {
    let mut rest = BufReader::with_capacity(1 << 20, hashed);
    std::io::copy(&mut rest, &mut std::io::sink()).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_and_writing_give_the_digest_of_the_bytes_that_passed() {
        let data = "Tỷ lệ hộ nghèo còn 19,3%.\n".repeat(1000);
        let expected = crate::sha256_hex(data.as_bytes());
        let mut reader = Hashed::new(data.as_bytes());
        let mut copy = Vec::new();
        reader.read_to_end(&mut copy).expect("a slice reads");
        let (sha, bytes, _) = reader.finish();
        assert_eq!(
            (sha.as_str(), bytes),
            (expected.as_str(), data.len() as u64)
        );

        let mut writer = Hashed::new(Vec::new());
        for chunk in data.as_bytes().chunks(777) {
            writer.write_all(chunk).expect("a vector takes any bytes");
        }
        let (sha, bytes, written) = writer.finish();
        assert_eq!(
            (sha.as_str(), bytes),
            (expected.as_str(), data.len() as u64)
        );
        assert_eq!(written, data.as_bytes());
    }
}
