//! Documents that repeat a text read before them in the run: the same article twice in a crawl,
//! syndicated to several portals, or in two corpora. With `duplicates = "skip"` (the default)
//! only the first copy is transformed; the others get a row of `sources.parquet` with status
//! `duplicate` and give no rows, so an analyst does not count one statement several times.
//!
//! Which copy is first must not depend on timing, yet units are transformed in parallel. Each
//! unit with documents therefore takes a *turn*, numbered by the reader in input order: its
//! worker extracts and hashes its documents, waits until every unit before it has taken its
//! turn, then learns which of its documents were seen before and records the new ones. The
//! units before it were taken from the queue earlier (it is first in, first out), so their
//! workers are extracting or hashing them, never waiting for a later unit: the wait is short
//! and cannot deadlock. A turn is taken also when its worker returns early or unwinds
//! ([`Turn`]'s `Drop`); units without documents (the end of a corpus) take none.
//!
//! The first copy's place and publication date apply: a copy's own `geo` and `published` are
//! in its row of `sources.parquet`, not in rows of its own.
//!
//! A text is known by the first 128 bits of its SHA-256: two texts of a run collide with a
//! probability far below one in 10^20. The set holds at most [`MAX_KEYS`] of them (16 bytes
//! and a control byte each, about 71 MB at most), so memory stays bounded whatever the corpus
//! size; past that, documents are compared with the texts already held, and a warning says so.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Condvar, Mutex};

use sha2::{Digest, Sha256};

/// Keys a [`Seen`] holds at most (distinct texts, or source ids): the largest number a table of
/// 2^22 slots holds.
pub const MAX_KEYS: usize = (1 << 22) / 8 * 7;

/// A document's text as the run knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDigest {
    /// Hex SHA-256 of the text (`text_sha256` in sources.parquet).
    pub hex: String,
    /// The first 128 bits of the SHA-256.
    key: u128,
}

impl TextDigest {
    /// The digest of `text` trimmed of surrounding whitespace (a copy saved with other line
    /// ends around it is a copy); `None` when that leaves nothing (a table file's text is
    /// empty: it is no copy of another).
    pub fn of(text: &str) -> Option<TextDigest> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let d = Sha256::digest(text.as_bytes());
        Some(TextDigest {
            hex: chiso_model::hex::lower_hex(&d),
            key: key_of(&d),
        })
    }
}

/// The keys are SHA-256 bits already: they are their own hash.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u128 keys are hashed (`write_u128`); fold anything else in.
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(b);
        }
    }

    fn write_u128(&mut self, key: u128) {
        self.0 = key as u64;
    }
}

/// The first 128 bits of a SHA-256 digest.
fn key_of(digest: &[u8]) -> u128 {
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// Keys seen so far, up to a capacity: past it, keys are compared with those held and not
/// added, and a warning (naming `what` the keys are) says so once.
pub struct Seen {
    keys: HashSet<u128, BuildHasherDefault<KeyHasher>>,
    capacity: usize,
    what: &'static str,
    /// Keys looked up once the set was full and not among those held (each time).
    forgotten: u64,
}

impl Seen {
    /// An empty set of at most `capacity` keys of `what` ("distinct texts").
    pub fn new(capacity: usize, what: &'static str) -> Seen {
        Seen {
            keys: HashSet::default(),
            capacity,
            what,
            forgotten: 0,
        }
    }

    /// Whether `bytes` (by the first 128 bits of their SHA-256) were seen before; if not, they
    /// are now, while there is room.
    pub fn repeats(&mut self, bytes: &[u8]) -> bool {
        self.repeats_key(key_of(&Sha256::digest(bytes)))
    }

    /// Keys looked up once the set was full and not among those held, each time (so a key
    /// met three times counts three): repeats of them were not found.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }

    fn repeats_key(&mut self, key: u128) -> bool {
        if self.keys.contains(&key) {
            return true;
        }
        if self.keys.len() < self.capacity {
            self.keys.insert(key);
        } else {
            if self.forgotten == 0 {
                tracing::warn!(
                    remembered = self.capacity,
                    "the run remembers {} {}; later ones are compared with those only",
                    self.capacity,
                    self.what
                );
            }
            self.forgotten += 1;
        }
        false
    }
}

/// The texts seen so far, and whose turn it is.
pub struct Texts {
    state: Mutex<State>,
    turn: Condvar,
}

struct State {
    /// The unit whose turn it is.
    next: u64,
    seen: Seen,
}

impl Default for Texts {
    fn default() -> Texts {
        Texts::remembering(MAX_KEYS)
    }
}

impl Texts {
    /// The texts of a run that remembers `capacity` distinct texts at most.
    fn remembering(capacity: usize) -> Texts {
        Texts {
            state: Mutex::new(State {
                next: 0,
                seen: Seen::new(capacity, "distinct texts to find duplicate documents"),
            }),
            turn: Condvar::new(),
        }
    }

    /// Unit `seq`'s turn, to be taken once its documents are hashed.
    pub fn turn(&self, seq: u64) -> Turn<'_> {
        Turn {
            texts: self,
            seq,
            taken: false,
        }
    }

    /// Documents whose text was not among those held once the set was full (each copy
    /// counts): later copies of those texts were read again.
    pub fn forgotten(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.seen.forgotten())
    }

    /// Waits for unit `seq`'s turn and takes it: for each document, whether its text was seen
    /// before (in an earlier unit or earlier in `keys`). `None` (a document not read, or one
    /// never set aside) is never a duplicate.
    fn take(&self, seq: u64, keys: &[Option<&TextDigest>]) -> Vec<bool> {
        // Whatever happens below, even a panic, the units waiting are woken: after a panic they
        // find the lock poisoned and go on without setting anything aside.
        let _wake = WakeOnDrop(&self.turn);
        let Ok(mut state) = self.state.lock() else {
            // A worker panicked holding the lock: the run fails with its error; nothing more
            // is set aside.
            tracing::error!("duplicate documents: the set of texts was left by a panic");
            return vec![false; keys.len()];
        };
        while state.next < seq {
            state = match self.turn.wait(state) {
                Ok(s) => s,
                Err(_) => return vec![false; keys.len()],
            };
        }
        let duplicates = keys
            .iter()
            .map(|k| k.is_some_and(|k| state.seen.repeats_key(k.key)))
            .collect();
        state.next = seq + 1;
        drop(state);
        duplicates
    }
}

/// Wakes every unit waiting for its turn when dropped.
struct WakeOnDrop<'a>(&'a Condvar);

impl Drop for WakeOnDrop<'_> {
    fn drop(&mut self) {
        self.0.notify_all();
    }
}

/// A unit's turn: taken with [`Turn::take`], or without documents when dropped untaken.
pub struct Turn<'a> {
    texts: &'a Texts,
    seq: u64,
    taken: bool,
}

impl Turn<'_> {
    /// See [`Texts::take`].
    pub fn take(mut self, keys: &[Option<&TextDigest>]) -> Vec<bool> {
        self.taken = true;
        self.texts.take(self.seq, keys)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if !self.taken {
            self.texts.take(self.seq, &[]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digests(texts: &[&str]) -> Vec<TextDigest> {
        texts
            .iter()
            .map(|t| TextDigest::of(t).expect("not blank"))
            .collect()
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_text() {
        let d = TextDigest::of("\n abc\n\n").expect("not blank");
        assert_eq!(
            d.hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(Some(d), TextDigest::of("abd"));
        assert_eq!(TextDigest::of(" \n\t"), None);
    }

    #[test]
    fn the_first_copy_in_input_order_is_kept_whatever_the_order_of_the_turns() {
        let texts = Texts::default();
        let unit0 = digests(&["a", "b", "a"]);
        let unit1 = digests(&["b", "c"]);
        let unit2 = digests(&["c", "a", "d"]);
        let got = std::thread::scope(|s| {
            // Later units ask first: each waits for the ones before it.
            let t2 = s.spawn(|| {
                let keys: Vec<_> = unit2.iter().map(Some).collect();
                texts.turn(2).take(&keys)
            });
            let t1 = s.spawn(|| {
                let mut keys: Vec<_> = unit1.iter().map(Some).collect();
                keys.insert(0, None);
                texts.turn(1).take(&keys)
            });
            std::thread::sleep(std::time::Duration::from_millis(20));
            let keys: Vec<_> = unit0.iter().map(Some).collect();
            let r0 = texts.turn(0).take(&keys);
            (
                r0,
                t1.join().expect("no panic"),
                t2.join().expect("no panic"),
            )
        });
        assert_eq!(got.0, [false, false, true]);
        assert_eq!(got.1, [false, true, false]);
        assert_eq!(got.2, [true, true, false]);
        assert_eq!(texts.forgotten(), 0);
    }

    #[test]
    fn past_its_capacity_the_set_still_finds_the_texts_it_holds() {
        let texts = Texts::remembering(2);
        let d = digests(&["a", "b", "c", "a", "c"]);
        let keys: Vec<_> = d.iter().map(Some).collect();
        assert_eq!(
            texts.turn(0).take(&keys),
            [false, false, false, true, false]
        );
        assert_eq!(texts.forgotten(), 2);
    }

    #[test]
    fn a_turn_given_up_by_a_panic_lets_the_next_unit_go() {
        let texts = Texts::default();
        let d = digests(&["x"]);
        std::thread::scope(|s| {
            let later = s.spawn(|| texts.turn(1).take(&[Some(&d[0])]));
            let failing = s.spawn(|| {
                let _turn = texts.turn(0);
                panic!("a bug while the unit is extracted");
            });
            assert!(failing.join().is_err());
            assert_eq!(later.join().expect("no panic"), [false]);
        });
    }

    #[test]
    fn a_turn_dropped_untaken_lets_the_next_unit_go() {
        let texts = Texts::default();
        let d = digests(&["x"]);
        std::thread::scope(|s| {
            let later = s.spawn(|| texts.turn(1).take(&[Some(&d[0])]));
            drop(texts.turn(0));
            assert_eq!(later.join().expect("no panic"), [false]);
        });
        assert_eq!(texts.turn(2).take(&[Some(&d[0])]), [true]);
    }
}
