//! Hash-partitioned records on disk, for the rules whose state would otherwise grow with the
//! corpus (`consistent`: one entry per distinct statement; `unique`: one per distinct key;
//! `sum`: one per group).
//!
//! A [`SpillMap`] is a hash map of mergeable values that, once they weigh `spill_after` (one
//! per entry, or per row an entry lists: [`Merge::weight`]), moves them all to a [`Spill`]: one anonymous temporary file (in `TMPDIR`, removed by the
//! system when it is closed, also when the process dies), where each round appends one block per
//! partition of the keys' hashes. [`SpillMap::for_each`] then visits every key once, merged,
//! reading one partition at a time: all records of a key are in one partition.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::hash::Hash;
use std::io::{self, Read, Seek, SeekFrom, Write};

use chiso_model::fast_hash::FastHash;

/// The weight of the entries a [`SpillMap`] of a run holds in memory before it moves them to
/// disk: entries, or the rows they list (≈ 1 KB each with their evidence).
pub const SPILL_AFTER: usize = 1 << 14;

/// What a [`SpillMap`] stores: written to and read back from a spill.
pub trait Record: Sized {
    fn encode(&self, e: &mut Encoder<'_>);
    fn decode(d: &mut Decoder<'_>) -> io::Result<Self>;
}

/// A value that takes in another of the same key (a later part of the input's rows).
pub trait Merge {
    fn merge(&mut self, later: Self);

    /// What the value counts for against [`SPILL_AFTER`]: 1, or the rows it lists (a key of
    /// `unique` or a group of `sum` lists up to twice
    /// [`ROWS_LISTED`](super::rowwise::ROWS_LISTED) rows, so that counting entries alone would
    /// not bound memory).
    fn weight(&self) -> usize {
        1
    }
}

/// A hash map of mergeable values that moves to disk past a size (see the module).
pub struct SpillMap<K, V> {
    /// Entries in memory, in no order (FxHash: the keys are short strings).
    map: HashMap<K, V, FastHash>,
    /// Entries moved to disk.
    spill: Option<Spill>,
    spill_after: usize,
    /// The weight of the entries in memory.
    held: usize,
    /// The encoded entries of a round, by partition (kept for the next round).
    parts: Vec<Vec<u8>>,
}

impl<K, V> Default for SpillMap<K, V> {
    fn default() -> SpillMap<K, V> {
        SpillMap {
            map: HashMap::default(),
            spill: None,
            spill_after: spill_after(),
            held: 0,
            parts: Vec::new(),
        }
    }
}

#[cfg(not(test))]
fn spill_after() -> usize {
    SPILL_AFTER
}

#[cfg(test)]
thread_local! {
    /// Tests set a smaller threshold on their thread to exercise the spill.
    pub(crate) static TEST_SPILL_AFTER: std::cell::Cell<usize> = const { std::cell::Cell::new(SPILL_AFTER) };
    /// How often entries were moved to disk on this thread.
    pub(crate) static TEST_SPILLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn spill_after() -> usize {
    TEST_SPILL_AFTER.with(std::cell::Cell::get)
}

impl<K: Record + Hash + Eq + Clone, V: Record + Merge + Clone> SpillMap<K, V> {
    /// An empty map with room for `n` entries (a chunk's map, sized by its selected rows so that
    /// it does not grow and re-hash its keys on the way).
    pub fn with_capacity(n: usize) -> SpillMap<K, V> {
        let mut map = SpillMap::default();
        map.reserve(n);
        map
    }

    /// Room for `n` more entries in memory (at most the entries held before a spill).
    pub fn reserve(&mut self, n: usize) {
        self.map.reserve(n.min(self.spill_after));
    }

    /// The entry of `key` in memory (a spilled entry of the same key is merged at the end).
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        self.map.entry(key)
    }

    /// Adds `value` under `key`, merged with the value in memory.
    pub fn add(&mut self, key: K, value: V) {
        match self.map.entry(key) {
            Entry::Vacant(v) => {
                self.held += value.weight();
                v.insert(value);
            }
            Entry::Occupied(mut o) => {
                let before = o.get().weight();
                o.get_mut().merge(value);
                self.held = (self.held + o.get().weight()).saturating_sub(before);
            }
        }
    }

    /// Adds the entries in memory of a later map (a chunk's, which never spills).
    pub fn add_all(&mut self, later: SpillMap<K, V>) {
        for (key, value) in later.map {
            self.add(key, value);
        }
    }

    /// Takes in the map of a later chunk (its row positions already made the input's) unless
    /// the result is an error already (`error`, or the chunk's `later_error`), then spills if
    /// full. A spill that fails makes the result an error naming the temporary directory.
    pub fn absorb(
        &mut self,
        later: SpillMap<K, V>,
        later_error: Option<String>,
        error: &mut Option<String>,
        what: &str,
    ) {
        if error.is_none() {
            *error = later_error;
        }
        if error.is_some() {
            // The result is an error whatever comes next: keep nothing.
            self.clear();
            return;
        }
        self.add_all(later);
        if let Err(e) = self.spill_if_full() {
            *error = Some(format!(
                "cannot move {what} to a temporary file in {} (TMPDIR): {e}",
                std::env::temp_dir().display()
            ));
            self.clear();
        }
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.map.values_mut()
    }

    /// The entries in memory, keys with their values.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.map.iter_mut()
    }

    /// The value of `key` in memory (one spilled is not looked up).
    pub fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }

    /// Forgets every entry (the result is an error anyway).
    pub fn clear(&mut self) {
        self.map.clear();
        self.held = 0;
        self.spill = None;
    }

    /// Moves the entries in memory to disk once they weigh `spill_after`.
    pub fn spill_if_full(&mut self) -> io::Result<()> {
        if self.held < self.spill_after {
            return Ok(());
        }
        let spill = match &mut self.spill {
            Some(spill) => spill,
            None => self.spill.insert(Spill::new()?),
        };
        // The buffers and `drain` keep their capacity for the next round.
        let parts = &mut self.parts;
        parts.resize_with(PARTITIONS, Vec::new);
        parts.iter_mut().for_each(Vec::clear);
        let mut key_bytes = Vec::new();
        self.held = 0;
        for (key, value) in self.map.drain() {
            key_bytes.clear();
            key.encode(&mut Encoder(&mut key_bytes));
            let part = &mut parts[partition_of(&key_bytes)];
            part.extend_from_slice(&key_bytes);
            value.encode(&mut Encoder(part));
        }
        spill.write_round(parts)?;
        #[cfg(test)]
        TEST_SPILLS.with(|n| n.set(n.get() + 1));
        tracing::debug!(
            bytes = spill.bytes(),
            record_bytes = spill.raw_bytes(),
            "rule state moved to a temporary file"
        );
        Ok(())
    }

    /// Calls `f` once for every key with its value merged from memory and disk, in no order.
    pub fn for_each(&self, mut f: impl FnMut(&K, &V)) -> io::Result<()> {
        let Some(spill) = &self.spill else {
            self.map.iter().for_each(|(k, v)| f(k, v));
            return Ok(());
        };
        let mut in_memory: Vec<Vec<(&K, &V)>> = vec![Vec::new(); PARTITIONS];
        let mut key_bytes = Vec::new();
        for (key, value) in &self.map {
            key_bytes.clear();
            key.encode(&mut Encoder(&mut key_bytes));
            in_memory[partition_of(&key_bytes)].push((key, value));
        }
        for (p, held) in in_memory.into_iter().enumerate() {
            // Block by block (one per round): a key written in every round (a large group of
            // `sum`, a frequent key of `unique`) is merged, and so trimmed, as it is read.
            let mut merged = SpillMap::<K, V>::default();
            spill.for_each_block(p, |bytes| {
                let mut decoder = Decoder::new(bytes);
                while !decoder.is_empty() {
                    let key = K::decode(&mut decoder)?;
                    let value = V::decode(&mut decoder)?;
                    merged.add(key, value);
                }
                Ok(())
            })?;
            // Memory holds the latest rows: merged after the disk's.
            for (key, value) in held {
                merged.add(key.clone(), value.clone());
            }
            merged.map.iter().for_each(|(k, v)| f(k, v));
        }
        Ok(())
    }
}

/// Partitions of a spill: at the end of a run one of them is in memory at a time.
pub const PARTITIONS: usize = 256;

/// Where a block of a partition is in the file.
#[derive(Clone, Copy)]
struct Block {
    offset: u64,
    /// Compressed length.
    len: u64,
    /// Length of the records it holds.
    raw: usize,
}

/// Records on disk, by partition. Each block is compressed with zstd (level 1): the records
/// are mostly text (quotes, ids), which it makes 3.7–6.3 times smaller on the bench corpus
/// (docs/performance.md) for about half a CPU-second per 100 MB of records.
pub struct Spill {
    file: File,
    /// Per partition, its blocks in the order written.
    blocks: Vec<Vec<Block>>,
    end: u64,
    /// Bytes of records written (before compression).
    raw: u64,
    compressor: zstd::bulk::Compressor<'static>,
    compressed: Vec<u8>,
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            blocks: vec![Vec::new(); PARTITIONS],
            end: 0,
            raw: 0,
            compressor: zstd::bulk::Compressor::new(1)?,
            compressed: Vec::new(),
        })
    }

    /// Appends one round: `parts[p]` (encoded records) to partition `p`; empty parts take no
    /// block.
    pub fn write_round(&mut self, parts: &[Vec<u8>]) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(self.end))?;
        let mut out = io::BufWriter::with_capacity(1 << 20, &self.file);
        for (p, bytes) in parts.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
            self.compressed.clear();
            self.compressed
                .reserve(zstd::zstd_safe::compress_bound(bytes.len()));
            self.compressor
                .compress_to_buffer(bytes.as_slice(), &mut self.compressed)?;
            out.write_all(&self.compressed)?;
            let len = self.compressed.len() as u64;
            if let Some(blocks) = self.blocks.get_mut(p) {
                blocks.push(Block {
                    offset: self.end,
                    len,
                    raw: bytes.len(),
                });
            }
            self.end += len;
            self.raw += bytes.len() as u64;
        }
        out.flush()
    }

    /// Calls `f` with each block of partition `p` (the records one round wrote to it), in the
    /// order they were written.
    pub fn for_each_block(
        &self,
        p: usize,
        mut f: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let blocks = self.blocks.get(p).map(Vec::as_slice).unwrap_or_default();
        let mut compressed = Vec::new();
        let mut bytes = Vec::new();
        let mut decompressor = zstd::bulk::Decompressor::new()?;
        let mut file = &self.file;
        for block in blocks {
            file.seek(SeekFrom::Start(block.offset))?;
            compressed.resize(block.len as usize, 0);
            file.read_exact(&mut compressed)?;
            bytes.clear();
            bytes.reserve(block.raw);
            let n = decompressor.decompress_to_buffer(compressed.as_slice(), &mut bytes)?;
            if n != block.raw {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("spilled block: {n} bytes where {} were written", block.raw),
                ));
            }
            f(&bytes)?;
        }
        Ok(())
    }

    /// Bytes written to the file so far.
    pub fn bytes(&self) -> u64 {
        self.end
    }

    /// Bytes of records written so far, before compression.
    pub fn raw_bytes(&self) -> u64 {
        self.raw
    }
}

impl Record for chiso_model::ConcernedRow {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.str(&self.source_id);
        e.str(&self.indicator);
        e.opt_str(self.geo_code.as_deref());
        e.opt_str(self.period_label.as_deref());
        e.f64(self.value_low);
        e.f64(self.value_high);
        e.str(&self.quote);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<chiso_model::ConcernedRow> {
        Ok(chiso_model::ConcernedRow {
            source_id: d.str()?.to_owned(),
            indicator: d.str()?.to_owned(),
            geo_code: d.opt_str()?.map(str::to_owned),
            period_label: d.opt_str()?.map(str::to_owned),
            value_low: d.f64()?,
            value_high: d.f64()?,
            quote: d.str()?.to_owned(),
        })
    }
}

impl Record for super::Listed {
    fn encode(&self, e: &mut Encoder<'_>) {
        encode_listed(self, None, e);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<super::Listed> {
        decode_listed(None, d)
    }
}

// Which text fields of a listed row repeat the row before it ([`encode_rows`]).
const SAME_SOURCE: u8 = 1;
const SAME_INDICATOR: u8 = 2;
const SAME_GEO: u8 = 4;
const SAME_PERIOD: u8 = 8;
const SAME_QUOTE: u8 = 16;
const SAME_ANY: u8 = SAME_SOURCE | SAME_INDICATOR | SAME_GEO | SAME_PERIOD | SAME_QUOTE;

/// Writes the rows a group or key lists (`sum`, `unique`), each text field that repeats the row
/// before it as a bit instead of again: such rows mostly share their source, indicator, place
/// and period, and the numbers of one sentence share its quote, the longest field.
pub(crate) fn encode_rows(rows: &[super::Listed], e: &mut Encoder<'_>) {
    e.u64(rows.len() as u64);
    let mut before = None;
    for l in rows {
        encode_listed(l, before, e);
        before = Some(&l.row);
    }
}

/// Reads back what [`encode_rows`] wrote.
pub(crate) fn decode_rows(d: &mut Decoder<'_>) -> io::Result<Vec<super::Listed>> {
    let n = d.u64()?;
    let mut rows: Vec<super::Listed> = Vec::new();
    for _ in 0..n {
        let row = decode_listed(rows.last().map(|l| &l.row), d)?;
        rows.push(row);
    }
    Ok(rows)
}

/// One listed row: a byte of the text fields equal to `before`'s, the others, then its
/// values and positions.
fn encode_listed(
    l: &super::Listed,
    before: Option<&chiso_model::ConcernedRow>,
    e: &mut Encoder<'_>,
) {
    let r = &l.row;
    let mut same = 0;
    if let Some(b) = before {
        for (bit, repeated) in [
            (SAME_SOURCE, b.source_id == r.source_id),
            (SAME_INDICATOR, b.indicator == r.indicator),
            (SAME_GEO, b.geo_code == r.geo_code),
            (SAME_PERIOD, b.period_label == r.period_label),
            (SAME_QUOTE, b.quote == r.quote),
        ] {
            if repeated {
                same |= bit;
            }
        }
    }
    e.u8(same);
    if same & SAME_SOURCE == 0 {
        e.str(&r.source_id);
    }
    if same & SAME_INDICATOR == 0 {
        e.str(&r.indicator);
    }
    if same & SAME_GEO == 0 {
        e.opt_str(r.geo_code.as_deref());
    }
    if same & SAME_PERIOD == 0 {
        e.opt_str(r.period_label.as_deref());
    }
    if same & SAME_QUOTE == 0 {
        e.str(&r.quote);
    }
    e.f64(r.value_low);
    e.f64(r.value_high);
    e.u64(l.start as u64);
    e.u64(l.seq);
}

/// Reads back what [`encode_listed`] wrote after `before`.
fn decode_listed(
    before: Option<&chiso_model::ConcernedRow>,
    d: &mut Decoder<'_>,
) -> io::Result<super::Listed> {
    let same = d.u8()?;
    if same & !SAME_ANY != 0 {
        return Err(corrupt("row mask"));
    }
    let before = match before {
        Some(b) => Some(b),
        None if same == 0 => None,
        None => return Err(corrupt("first row")),
    };
    // `before` is `Some` whenever a bit is set.
    let text =
        |bit: u8, d: &mut Decoder<'_>, of: fn(&chiso_model::ConcernedRow) -> &str| match before {
            Some(b) if same & bit != 0 => Ok(of(b).to_owned()),
            _ => d.str().map(str::to_owned),
        };
    let opt_text =
        |bit: u8, d: &mut Decoder<'_>, of: fn(&chiso_model::ConcernedRow) -> &Option<String>| {
            match before {
                Some(b) if same & bit != 0 => Ok(of(b).clone()),
                _ => d.opt_str().map(|s| s.map(str::to_owned)),
            }
        };
    let source_id = text(SAME_SOURCE, d, |r| &r.source_id)?;
    let indicator = text(SAME_INDICATOR, d, |r| &r.indicator)?;
    let geo_code = opt_text(SAME_GEO, d, |r| &r.geo_code)?;
    let period_label = opt_text(SAME_PERIOD, d, |r| &r.period_label)?;
    let quote = text(SAME_QUOTE, d, |r| &r.quote)?;
    let row = chiso_model::ConcernedRow {
        source_id,
        indicator,
        geo_code,
        period_label,
        value_low: d.f64()?,
        value_high: d.f64()?,
        quote,
    };
    Ok(super::Listed {
        row,
        start: d.u64()? as i64,
        seq: d.u64()?,
    })
}

/// The partition of a key's bytes (FxHash: the same on every run and machine).
pub fn partition_of(key: &[u8]) -> usize {
    use std::hash::Hasher;
    let mut h = chiso_model::fast_hash::FxHasher::default();
    h.write(key);
    // The high bits mix best.
    (h.finish() >> 56) as usize % PARTITIONS
}

/// Appends values to a record buffer: integers as LEB128 varints (seven bits a byte, low
/// first: counts, positions and lengths are mostly small), `f64` as its eight little-endian
/// bytes, strings length-prefixed.
pub struct Encoder<'a>(pub &'a mut Vec<u8>);

impl Encoder<'_> {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    pub fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }

    pub fn opt_u32(&mut self, v: Option<u32>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.u64(u64::from(v));
            }
        }
    }
}

/// Reads back what [`Encoder`] wrote; a short or malformed record is an `InvalidData` error.
pub struct Decoder<'a> {
    bytes: &'a [u8],
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("spilled record: bad {what}"),
    )
}

impl<'a> Decoder<'a> {
    pub fn new(bytes: &'a [u8]) -> Decoder<'a> {
        Decoder { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> io::Result<&'a [u8]> {
        self.take(n)
    }

    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(corrupt("length"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    pub fn u64(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7F);
            // The tenth byte holds the top bit only.
            if shift == 63 && bits > 1 {
                return Err(corrupt("integer"));
            }
            v |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt("integer"))
    }

    pub fn f64(&mut self) -> io::Result<f64> {
        let mut word = [0; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(f64::from_bits(u64::from_le_bytes(word)))
    }

    pub fn str(&mut self) -> io::Result<&'a str> {
        let len = usize::try_from(self.u64()?).map_err(|_| corrupt("length"))?;
        std::str::from_utf8(self.take(len)?).map_err(|_| corrupt("string"))
    }

    pub fn opt_str(&mut self) -> io::Result<Option<&'a str>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(corrupt("option")),
        }
    }

    pub fn opt_u32(&mut self) -> io::Result<Option<u32>> {
        match self.u8()? {
            0 => Ok(None),
            1 => u32::try_from(self.u64()?)
                .map(Some)
                .map_err(|_| corrupt("u32")),
            _ => Err(corrupt("option")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_come_back_by_partition_in_order() {
        let mut spill = Spill::new().expect("a temporary file");
        let mut round = vec![Vec::new(); PARTITIONS];
        round[3] = b"abc".to_vec();
        round[200] = b"x".to_vec();
        spill.write_round(&round).expect("written");
        round[3] = b"de".to_vec();
        round[200].clear();
        spill.write_round(&round).expect("written");
        let blocks = |p| {
            let mut blocks = Vec::new();
            spill
                .for_each_block(p, |b| {
                    blocks.push(b.to_vec());
                    Ok(())
                })
                .expect("read");
            blocks
        };
        assert_eq!(blocks(3), [b"abc".to_vec(), b"de".to_vec()]);
        assert_eq!(blocks(200), [b"x".to_vec()]);
        assert!(blocks(0).is_empty());
        assert_eq!(spill.raw_bytes(), 6);
    }

    #[test]
    fn a_damaged_block_is_an_error() {
        use std::os::unix::fs::FileExt;
        let mut spill = Spill::new().expect("a temporary file");
        let mut round = vec![Vec::new(); PARTITIONS];
        round[7] = "Tỷ lệ hộ nghèo còn 19,3%. ".repeat(50).into_bytes();
        spill.write_round(&round).expect("written");
        assert!(spill.bytes() < spill.raw_bytes(), "compressed");
        let read = |spill: &Spill| {
            let mut got = Vec::new();
            spill
                .for_each_block(7, |b| {
                    got.extend_from_slice(b);
                    Ok(())
                })
                .map(|()| got)
        };
        assert_eq!(read(&spill).expect("read"), round[7]);
        spill.file.write_all_at(&[0xAB; 4], 0).expect("overwritten");
        assert!(read(&spill).is_err(), "a block that is not zstd any more");
    }

    #[test]
    fn integers_are_varints_and_a_bad_one_is_an_error() {
        let values = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut bytes = Vec::new();
        for v in values {
            Encoder(&mut bytes).u64(v);
        }
        // 1 + 1 + 1 + 2 + 2 + 2 + 3 + 5 + 10 + 10 bytes.
        assert_eq!(bytes.len(), 37);
        let mut d = Decoder::new(&bytes);
        for v in values {
            assert_eq!(d.u64().expect("varint"), v);
        }
        assert!(d.is_empty());
        // A continuation byte at the end, a tenth byte above the top bit, a tenth byte that
        // would go on.
        for bad in [
            &[0x80][..],
            &[0xFF; 11][..],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81][..],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02][..],
        ] {
            assert_eq!(
                Decoder::new(bad).u64().map_err(|e| e.kind()),
                Err(io::ErrorKind::InvalidData),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn listed_rows_round_trip_with_repeated_fields_written_once() {
        use super::super::Listed;
        use chiso_model::ConcernedRow;
        let row = |source: &str,
                   indicator: &str,
                   geo: Option<&str>,
                   period: Option<&str>,
                   quote: &str,
                   v: f64| {
            ConcernedRow {
                source_id: source.to_owned(),
                indicator: indicator.to_owned(),
                geo_code: geo.map(str::to_owned),
                period_label: period.map(str::to_owned),
                value_low: v,
                value_high: v + 1.0,
                quote: quote.to_owned(),
            }
        };
        let quote = "Tỷ lệ hộ nghèo còn 19,3%, giảm 3,1 điểm phần trăm so với năm 2022.";
        let rows: Vec<Listed> = [
            row(
                "a",
                "poverty_rate",
                Some("VN-02"),
                Some("2023"),
                quote,
                19.3,
            ),
            row("a", "poverty_rate", Some("VN-02"), Some("2023"), quote, 3.1),
            row("a", "poverty_rate", None, Some("2023"), quote, -0.0),
            row("a", "grdp_growth", None, None, "khác", f64::NAN),
            row("b", "grdp_growth", Some("VN-02"), None, "khác", 9.02),
            row("b", "grdp_growth", Some("VN-02"), None, "", 9.02),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, row)| Listed {
            row,
            start: if i == 2 { -1 } else { 40 * i as i64 },
            seq: 1_000_000 + i as u64,
        })
        .collect();
        let mut bytes = Vec::new();
        encode_rows(&rows, &mut Encoder(&mut bytes));
        // The quote the first three rows share, and the one the next two share, are written once.
        let count = |needle: &str| {
            bytes
                .windows(needle.len())
                .filter(|w| *w == needle.as_bytes())
                .count()
        };
        assert_eq!((count(quote), count("khác")), (1, 1));
        let mut d = Decoder::new(&bytes);
        let back = decode_rows(&mut d).expect("rows");
        assert!(d.is_empty());
        assert_eq!(back.len(), rows.len());
        for (a, b) in rows.iter().zip(&back) {
            let (ra, rb) = (&a.row, &b.row);
            assert_eq!(
                (
                    &ra.source_id,
                    &ra.indicator,
                    &ra.geo_code,
                    &ra.period_label,
                    &ra.quote
                ),
                (
                    &rb.source_id,
                    &rb.indicator,
                    &rb.geo_code,
                    &rb.period_label,
                    &rb.quote
                )
            );
            assert_eq!(ra.value_low.to_bits(), rb.value_low.to_bits());
            assert_eq!(ra.value_high.to_bits(), rb.value_high.to_bits());
            assert_eq!((a.start, a.seq), (b.start, b.seq));
        }
        // A first row cannot repeat a row before it.
        let mut first = Vec::new();
        Encoder(&mut first).u64(1);
        first.push(SAME_QUOTE);
        assert_eq!(
            decode_rows(&mut Decoder::new(&first))
                .map(|r| r.len())
                .map_err(|e| e.kind()),
            Err(io::ErrorKind::InvalidData)
        );
        // Nor can a mask hold bits no field has.
        let mut mask = Vec::new();
        Encoder(&mut mask).u64(1);
        mask.push(0x40);
        assert_eq!(
            decode_rows(&mut Decoder::new(&mask))
                .map(|r| r.len())
                .map_err(|e| e.kind()),
            Err(io::ErrorKind::InvalidData)
        );
    }

    #[test]
    fn values_round_trip_and_short_input_is_an_error() {
        let mut bytes = Vec::new();
        let mut e = Encoder(&mut bytes);
        e.str("tỷ lệ hộ nghèo");
        e.opt_str(None);
        e.opt_str(Some(""));
        e.f64(-0.5);
        e.opt_u32(Some(63));
        e.opt_u32(None);
        e.u8(7);
        let mut d = Decoder::new(&bytes);
        assert_eq!(d.str().expect("str"), "tỷ lệ hộ nghèo");
        assert_eq!(d.opt_str().expect("none"), None);
        assert_eq!(d.opt_str().expect("empty"), Some(""));
        assert_eq!(d.f64().expect("f64"), -0.5);
        assert_eq!(d.opt_u32().expect("u32"), Some(63));
        assert_eq!(d.opt_u32().expect("none"), None);
        assert_eq!(d.u8().expect("u8"), 7);
        assert!(d.is_empty());
        let mut short = Decoder::new(&bytes[..bytes.len() - 3]);
        assert!(short.str().is_ok());
        assert!(short.opt_str().is_ok() && short.opt_str().is_ok() && short.f64().is_ok());
        assert_eq!(
            short.opt_u32().map_err(|e| e.kind()),
            Err(io::ErrorKind::InvalidData),
            "the u32 lacks its value"
        );
    }
}
