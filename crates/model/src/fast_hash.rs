//! FxHash, a fast hasher for chiso's short-lived tables with short keys: the lexicon, the
//! per-document tables of the transform stage (sentence keys, statement keys) and the row
//! builders' tables of the load stage (source ids, period labels, indicator ids).
//!
//! It is not flooding-resistant as the standard SipHash is: a document written to collide its
//! sentence keys would make its own deduplication slow (the cap on a document's size bounds
//! it), and a corpus whose ids collide would slow the lookups of the batch holding them. No
//! table outlives its document or batch, and no table's iteration order reaches the output.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: one rotate, xor and multiply per eight bytes.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = self.hash;
        for_each_word(bytes, |word| {
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED)
        });
        self.hash = hash;
    }

    fn write_u8(&mut self, i: u8) {
        self.hash = (self.hash.rotate_left(5) ^ u64::from(i)).wrapping_mul(SEED);
    }

    fn write_u16(&mut self, i: u16) {
        self.hash = (self.hash.rotate_left(5) ^ u64::from(i)).wrapping_mul(SEED);
    }

    fn write_usize(&mut self, i: usize) {
        self.hash = (self.hash.rotate_left(5) ^ i as u64).wrapping_mul(SEED);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Calls `add` with `bytes` as little-endian words of eight bytes, the last one padded with
/// zeros (read without copying into a buffer, which costs a `memcpy` call per key).
#[inline]
fn for_each_word(bytes: &[u8], mut add: impl FnMut(u64)) {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        add(u64::from_le_bytes(
            c.try_into().expect("chunks_exact gives eight bytes"),
        ));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        add(rest
            .iter()
            .rev()
            .fold(0u64, |word, &b| word << 8 | u64::from(b)));
    }
}

/// A `HashMap` hasher of [`FxHasher`]s.
pub type FastHash = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_bytes_padded_with_zeros() {
        let bytes: Vec<u8> = (1..=19).collect();
        for n in 0..=bytes.len() {
            let padded: Vec<u64> = bytes[..n]
                .chunks(8)
                .map(|c| {
                    let mut buf = [0u8; 8];
                    buf[..c.len()].copy_from_slice(c);
                    u64::from_le_bytes(buf)
                })
                .collect();
            let mut words = Vec::new();
            for_each_word(&bytes[..n], |w| words.push(w));
            assert_eq!(words, padded, "{n} bytes");
        }
    }
}
