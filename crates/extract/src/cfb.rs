//! The compound file (OLE2, [MS-CFB]) around an Excel 97-2003 workbook, checked before calamine
//! reads it.
//!
//! A compound file is a small file system: a header, then sectors of 512 or 4096 bytes. The
//! FAT says, for each sector, which sector follows it in its stream; the DIFAT lists the FAT's
//! own sectors; the directory names the streams and gives each its first sector and its size;
//! streams under 4096 bytes live in 64-byte mini sectors inside the mini stream, chained by the
//! mini FAT.
//!
//! calamine (0.38, `cfb.rs`) follows these chains with no bound of its own: a chain that loops,
//! under a declared size of gigabytes, makes it allocate until memory runs out (found by the
//! `tables` fuzz target: 2 GiB asked for by a 75 KB file). [`workbook_stream`] walks every chain
//! calamine walks when it opens an `.xls`, the way calamine walks it, and refuses a file in which
//! one loops, leaves the file, or holds less than the size it declares. On a file that passes,
//! calamine visits each sector at most once per chain, so what it allocates is bounded by the
//! size of the file. It gives the workbook stream, whose records [`crate::xls_grid`] measures.
//!
//! What calamine reads, in order (`Cfb::new`, then `Xls::parse_workbook`):
//! 1. the header (512 bytes, or 4096 with 4096-byte sectors) and its 109 DIFAT entries;
//! 2. the DIFAT chain from the header, the last entry of each DIFAT sector naming the next one;
//! 3. every FAT sector the DIFAT lists, concatenated into the FAT;
//! 4. the directory's chain, to its end (no size bounds it);
//! 5. when the header declares mini FAT sectors: the mini stream (the root entry's chain, up to
//!    the root entry's size) and the mini FAT's chain (up to the declared sectors);
//! 6. the stream `Workbook`, or `Book` when there is none: through the mini FAT when its
//!    declared size is under 4096 bytes, through the FAT otherwise, up to that size.
//!
//! [MS-CFB]: https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-cfb/

use std::fmt;

/// The first eight bytes of every compound file.
const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The header's own length; with 4096-byte sectors the header fills a whole sector.
const HEADER_LEN: usize = 512;
/// Sector numbers from here up are markers, not sectors: calamine's DIFAT walk stops at them.
const FIRST_MARKER: u32 = 0xFFFF_FFFA;
/// Marks a DIFAT sector in the FAT; calamine takes DIFAT entries below it as FAT sectors.
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
/// Marks the end of a chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Bytes of one directory entry.
const ENTRY_LEN: usize = 128;
/// Bytes of one mini sector.
const MINI_SECTOR_LEN: u64 = 64;
/// Streams whose declared size is under this live in the mini stream.
const MINI_STREAM_CUTOFF: u64 = 4096;
/// The streams calamine's XLS reader opens: the BIFF8 workbook stream, else the BIFF5 one.
const WORKBOOK_STREAMS: [&str; 2] = ["Workbook", "Book"];

/// A chain of sectors (or mini sectors) calamine follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Chain {
    /// The DIFAT sectors, from the header.
    Difat,
    /// The FAT sectors the DIFAT lists.
    FatSectors,
    /// The directory's sectors.
    Directory,
    /// The mini FAT's sectors.
    MiniFat,
    /// The mini stream: the root entry's sectors.
    MiniStream,
    /// A stream's sectors, through the FAT.
    Stream(String),
    /// A small stream's mini sectors, through the mini FAT.
    SmallStream(String),
}

impl Chain {
    /// What one link of the chain is.
    fn unit(&self) -> &'static str {
        match self {
            Chain::SmallStream(_) => "mini sector",
            _ => "sector",
        }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chain::Difat => write!(f, "DIFAT chain"),
            Chain::FatSectors => write!(f, "list of FAT sectors"),
            Chain::Directory => write!(f, "FAT chain of the directory"),
            Chain::MiniFat => write!(f, "FAT chain of the mini FAT"),
            Chain::MiniStream => write!(f, "FAT chain of the mini stream"),
            Chain::Stream(name) => write!(f, "FAT chain of the stream {name:?}"),
            Chain::SmallStream(name) => write!(f, "mini FAT chain of the stream {name:?}"),
        }
    }
}

/// Why a compound file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Defect {
    /// The file ends inside its header.
    Truncated {
        /// Bytes in the file.
        len: usize,
        /// Bytes the header needs.
        header: usize,
    },
    /// The first eight bytes are not the compound-file signature.
    Signature,
    /// The sector size is neither 512 (shift 9) nor 4096 (shift 12) bytes.
    SectorShift(u16),
    /// The mini sector size is not 64 bytes (shift 6).
    MiniSectorShift(u16),
    /// A count in the header is larger than the number of sectors in the file.
    Count {
        /// What the header counts.
        what: &'static str,
        /// The count it declares.
        declared: u32,
        /// Sectors in the file.
        sectors: u32,
    },
    /// A chain reaches a sector that does not exist (past the end of the file, not described
    /// by the FAT, or a marker where a sector is due).
    OutOfRange {
        /// The chain.
        chain: Chain,
        /// The sector it reaches.
        sector: u32,
        /// How many there are.
        count: u32,
    },
    /// A chain comes back to a sector it already went through.
    Loop {
        /// The chain.
        chain: Chain,
        /// The sector visited twice.
        sector: u32,
    },
    /// A DIFAT or FAT sector is cut short by the end of the file.
    CutShort {
        /// The chain it belongs to.
        chain: Chain,
        /// The sector.
        sector: u32,
    },
    /// A size declared for a chain is larger than its sectors hold.
    TooLarge {
        /// The chain.
        chain: Chain,
        /// The declared size in bytes.
        size: u64,
        /// The bytes its sectors hold.
        holds: u64,
    },
    /// The directory has no entry, not even the root.
    EmptyDirectory,
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Defect::Truncated { len, header } => write!(
                f,
                "the file has {len} bytes, fewer than the {header} of its header"
            ),
            Defect::Signature => write!(f, "the compound-file signature is missing"),
            Defect::SectorShift(shift) => write!(
                f,
                "the sector shift is {shift}, not 9 (512-byte sectors) or 12 (4096-byte sectors)"
            ),
            Defect::MiniSectorShift(shift) => {
                write!(
                    f,
                    "the mini sector shift is {shift}, not 6 (64-byte mini sectors)"
                )
            }
            Defect::Count {
                what,
                declared,
                sectors,
            } => write!(
                f,
                "the header declares {declared} {what}, but the file has only {sectors} sectors"
            ),
            Defect::OutOfRange {
                chain,
                sector,
                count,
            } => write!(
                f,
                "{chain} reaches {unit} {sector}, but there are only {count} {unit}s",
                unit = chain.unit()
            ),
            Defect::Loop { chain, sector } => {
                write!(f, "{chain} loops at {unit} {sector}", unit = chain.unit())
            }
            Defect::CutShort { chain, sector } => write!(
                f,
                "sector {sector} of the {chain} is cut short by the end of the file"
            ),
            Defect::TooLarge { chain, size, holds } => write!(
                f,
                "the {chain} holds {holds} bytes, less than the declared size of {size}"
            ),
            Defect::EmptyDirectory => write!(f, "the directory has no entries"),
        }
    }
}

/// The bytes of a compound file, cut into sectors.
struct Sectors<'a> {
    bytes: &'a [u8],
    /// 512 or 4096.
    len: usize,
    /// Sectors that start inside the file (the last may be cut short).
    count: u32,
}

impl<'a> Sectors<'a> {
    /// Sector `id`, which must be below `count`: `len` bytes, fewer for the last one of a file
    /// whose size is not a whole number of sectors.
    fn get(&self, id: u32) -> &'a [u8] {
        let start = (id as usize + 1) * self.len;
        let end = (start + self.len).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or_default()
    }

    /// Sector `id` of a table (DIFAT, FAT, mini FAT) as 32-bit entries; it must be whole.
    fn entries(&self, id: u32, chain: &Chain) -> Result<Vec<u32>, Defect> {
        let sector = self.get(id);
        if sector.len() < self.len {
            return Err(Defect::CutShort {
                chain: chain.clone(),
                sector: id,
            });
        }
        Ok(u32s(sector).collect())
    }
}

/// Little-endian 32-bit words.
fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Follows a chain from `start` through `next` as calamine's `Sectors::get_chain` does: until
/// the end-of-chain marker, or (with a `size`) until `size` bytes are covered. Each link must be
/// below `count` and below `next.len()`, and visited once. `bytes_of` gives a link's bytes.
/// Returns the links, in order; with a `size`, refuses a chain that ends before covering it.
fn walk(
    chain: Chain,
    start: u32,
    next: &[u32],
    count: u32,
    size: Option<u64>,
    bytes_of: impl Fn(u32) -> u64,
) -> Result<Vec<u32>, Defect> {
    let count = count.min(u32::try_from(next.len()).unwrap_or(u32::MAX));
    let mut visited = vec![false; count as usize];
    let mut links = Vec::new();
    let mut covered = 0u64;
    let mut id = start;
    while id != END_OF_CHAIN {
        let Some(seen) = visited.get_mut(id as usize) else {
            return Err(Defect::OutOfRange {
                chain,
                sector: id,
                count,
            });
        };
        if *seen {
            return Err(Defect::Loop { chain, sector: id });
        }
        *seen = true;
        links.push(id);
        covered += bytes_of(id);
        if size.is_some_and(|size| covered >= size) {
            return Ok(links);
        }
        // `id < count <= next.len()`, checked by `visited.get_mut` above.
        id = next[id as usize];
    }
    match size {
        Some(size) if covered < size => Err(Defect::TooLarge {
            chain,
            size,
            holds: covered,
        }),
        _ => Ok(links),
    }
}

/// A directory entry, read as calamine reads it.
struct Entry {
    name: String,
    start: u32,
    size: u64,
}

impl Entry {
    fn parse(raw: &[u8], sector_len: usize) -> Entry {
        // calamine decodes the 64-byte name with encoding_rs (which honours a byte order mark)
        // and cuts it at the first NUL; the same here, so that names match as they match there.
        let mut name = encoding_rs::UTF_16LE.decode(&raw[..64]).0.into_owned();
        if let Some(nul) = name.bytes().position(|b| b == 0) {
            name.truncate(nul);
        }
        let size = if sector_len == 512 {
            u64::from(u32_at(raw, 120))
        } else {
            u64::from(u32_at(raw, 120)) | u64::from(u32_at(raw, 124)) << 32
        };
        Entry {
            name,
            start: u32_at(raw, 116),
            size,
        }
    }
}

/// Checks the structure of a compound file as calamine will read it (see the module docs) and
/// gives the workbook stream (`Workbook`, else `Book`) as calamine will see it, `None` when
/// there is none. An error when a chain calamine follows loops, leaves the file, or holds less
/// than the size declared for it.
pub(crate) fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, Defect> {
    if bytes.len() < HEADER_LEN {
        return Err(Defect::Truncated {
            len: bytes.len(),
            header: HEADER_LEN,
        });
    }
    if !bytes.starts_with(SIGNATURE) {
        return Err(Defect::Signature);
    }
    let sector_len = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        shift => return Err(Defect::SectorShift(shift)),
    };
    match u16_at(bytes, 32) {
        6 => {}
        shift => return Err(Defect::MiniSectorShift(shift)),
    }
    if bytes.len() < sector_len {
        return Err(Defect::Truncated {
            len: bytes.len(),
            header: sector_len,
        });
    }
    let file = Sectors {
        bytes,
        len: sector_len,
        count: u32::try_from((bytes.len() - sector_len).div_ceil(sector_len))
            .unwrap_or(u32::MAX)
            .min(FIRST_MARKER),
    };
    for (what, at) in [
        ("FAT sectors", 44),
        ("mini FAT sectors", 64),
        ("DIFAT sectors", 72),
    ] {
        let declared = u32_at(bytes, at);
        if declared > file.count {
            return Err(Defect::Count {
                what,
                declared,
                sectors: file.count,
            });
        }
    }

    let fat = read_fat(&file)?;
    let sector_bytes = |id: u32| file.get(id).len() as u64;

    let directory = walk(
        Chain::Directory,
        u32_at(bytes, 48),
        &fat,
        file.count,
        None,
        sector_bytes,
    )?;
    let raw: Vec<u8> = directory
        .iter()
        .flat_map(|&id| file.get(id).iter().copied())
        .collect();
    let entries: Vec<Entry> = raw
        .chunks_exact(ENTRY_LEN)
        .map(|raw| Entry::parse(raw, sector_len))
        .collect();
    let Some(root) = entries.first() else {
        return Err(Defect::EmptyDirectory);
    };

    let mini_fat_sectors = u32_at(bytes, 64);
    let (mini_stream, mini_fat) = if mini_fat_sectors > 0 {
        let links = walk(
            Chain::MiniStream,
            root.start,
            &fat,
            file.count,
            Some(root.size),
            sector_bytes,
        )?;
        // The root's size is at most what its chain holds, so at most the file's size.
        let mut mini_stream: Vec<u8> = links.iter().flat_map(|&id| file.get(id)).copied().collect();
        mini_stream.truncate(usize::try_from(root.size).unwrap_or(usize::MAX));
        let mini_fat_size = u64::from(mini_fat_sectors) * sector_len as u64;
        let links = walk(
            Chain::MiniFat,
            u32_at(bytes, 60),
            &fat,
            file.count,
            Some(mini_fat_size),
            sector_bytes,
        )?;
        let mut mini_fat = Vec::new();
        for id in links {
            mini_fat.extend(file.entries(id, &Chain::MiniFat)?);
        }
        mini_fat.truncate(mini_fat_sectors as usize * sector_len / 4);
        (mini_stream, mini_fat)
    } else {
        (Vec::new(), Vec::new())
    };

    let workbook = WORKBOOK_STREAMS.iter().find_map(|name| {
        entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
    });
    // No workbook stream: calamine says so itself.
    let Some(stream) = workbook else {
        return Ok(None);
    };
    // Both chains hold the size (`walk` checks it), which is thus at most the file's size.
    let size = usize::try_from(stream.size).unwrap_or(usize::MAX);
    let mut bytes: Vec<u8> = if stream.size < MINI_STREAM_CUTOFF {
        let mini_count =
            u32::try_from(mini_stream.len().div_ceil(MINI_SECTOR_LEN as usize)).unwrap_or(u32::MAX);
        let links = walk(
            Chain::SmallStream(stream.name.clone()),
            stream.start,
            &mini_fat,
            mini_count,
            Some(stream.size),
            |_| MINI_SECTOR_LEN,
        )?;
        links
            .iter()
            .flat_map(|&id| {
                let start = id as usize * MINI_SECTOR_LEN as usize;
                let end = (start + MINI_SECTOR_LEN as usize).min(mini_stream.len());
                mini_stream.get(start..end).unwrap_or_default()
            })
            .copied()
            .collect()
    } else {
        let links = walk(
            Chain::Stream(stream.name.clone()),
            stream.start,
            &fat,
            file.count,
            Some(stream.size),
            sector_bytes,
        )?;
        links.iter().flat_map(|&id| file.get(id)).copied().collect()
    };
    bytes.truncate(size);
    Ok(Some(bytes))
}

/// The FAT: the header's 109 DIFAT entries and those of the DIFAT chain name the FAT sectors
/// (each once, inside the file), whose entries are concatenated in that order.
fn read_fat(file: &Sectors<'_>) -> Result<Vec<u32>, Defect> {
    let mut difat: Vec<u32> = u32s(&file.bytes[76..HEADER_LEN]).collect();
    let mut visited = vec![false; file.count as usize];
    let mut id = u32_at(file.bytes, 68);
    while id < FIRST_MARKER {
        let Some(seen) = visited.get_mut(id as usize) else {
            return Err(Defect::OutOfRange {
                chain: Chain::Difat,
                sector: id,
                count: file.count,
            });
        };
        if *seen {
            return Err(Defect::Loop {
                chain: Chain::Difat,
                sector: id,
            });
        }
        *seen = true;
        let mut entries = file.entries(id, &Chain::Difat)?;
        // The last entry of a DIFAT sector names the next one; a whole sector has 128 or 1024.
        id = entries.pop().unwrap_or(END_OF_CHAIN);
        difat.extend(entries);
    }
    let mut is_fat = vec![false; file.count as usize];
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|&id| id < DIFAT_SECTOR) {
        let Some(seen) = is_fat.get_mut(id as usize) else {
            return Err(Defect::OutOfRange {
                chain: Chain::FatSectors,
                sector: id,
                count: file.count,
            });
        };
        if *seen {
            // Listed twice, the FAT would hold the same sector's entries twice: a file of n
            // sectors could list ~128·n FAT sectors and calamine would allocate that many.
            return Err(Defect::Loop {
                chain: Chain::FatSectors,
                sector: id,
            });
        }
        *seen = true;
        fat.extend(file.entries(id, &Chain::FatSectors)?);
    }
    Ok(fat)
}

/// The two real XLS workbooks of the tables pipeline, for tests.
#[cfg(test)]
pub(crate) fn real_workbooks() -> Vec<(&'static str, Vec<u8>)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipelines/tables/sources");
    ["Final_2014.xls", "Plan_2017.xls"]
        .into_iter()
        .map(|name| {
            (
                name,
                std::fs::read(dir.join(name)).expect("the workbook is in the repo"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8]) -> Result<(), Defect> {
        workbook_stream(bytes).map(|_| ())
    }

    const FREE: u32 = 0xFFFF_FFFF;
    const FAT_MARK: u32 = 0xFFFF_FFFD;

    /// A compound file built sector by sector, with 512-byte sectors: sector 0 the FAT,
    /// sector 1 the directory (root entry, a "Workbook" stream, a small "Other" stream), sector
    /// 2 the mini FAT, sector 3 the mini stream, sectors 4-11 the workbook stream (4 096 bytes,
    /// eight sectors).
    struct Builder {
        header: Vec<u8>,
        sectors: Vec<Vec<u8>>,
    }

    const WORKBOOK_FIRST: u32 = 4;
    const WORKBOOK_SECTORS: u32 = 8;

    fn put_u32(buf: &mut [u8], at: usize, v: u32) {
        buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn entry(name: &str, kind: u8, start: u32, size: u32) -> Vec<u8> {
        let mut e = vec![0u8; ENTRY_LEN];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = kind;
        put_u32(&mut e, 68, FREE); // left sibling
        put_u32(&mut e, 72, FREE); // right sibling
        put_u32(&mut e, 76, FREE); // child
        put_u32(&mut e, 116, start);
        put_u32(&mut e, 120, size);
        e
    }

    impl Builder {
        fn valid() -> Builder {
            let mut header = vec![0u8; HEADER_LEN];
            header[..8].copy_from_slice(SIGNATURE);
            header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes()); // minor version
            header[26..28].copy_from_slice(&3u16.to_le_bytes()); // major version
            header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes()); // byte order
            header[30..32].copy_from_slice(&9u16.to_le_bytes());
            header[32..34].copy_from_slice(&6u16.to_le_bytes());
            put_u32(&mut header, 44, 1); // FAT sectors
            put_u32(&mut header, 48, 1); // directory start
            put_u32(&mut header, 56, 4096); // mini stream cutoff
            put_u32(&mut header, 60, 2); // mini FAT start
            put_u32(&mut header, 64, 1); // mini FAT sectors
            put_u32(&mut header, 68, END_OF_CHAIN); // DIFAT start
            put_u32(&mut header, 72, 0); // DIFAT sectors
            for i in 0..109 {
                put_u32(&mut header, 76 + 4 * i, FREE);
            }
            put_u32(&mut header, 76, 0); // the FAT is sector 0

            let mut fat = vec![FREE; 128];
            fat[0] = FAT_MARK;
            fat[1] = END_OF_CHAIN; // directory
            fat[2] = END_OF_CHAIN; // mini FAT
            fat[3] = END_OF_CHAIN; // mini stream
            for s in WORKBOOK_FIRST..WORKBOOK_FIRST + WORKBOOK_SECTORS - 1 {
                fat[s as usize] = s + 1;
            }
            fat[(WORKBOOK_FIRST + WORKBOOK_SECTORS - 1) as usize] = END_OF_CHAIN;

            let mut directory = Vec::new();
            directory.extend(entry("Root Entry", 5, 3, 128));
            directory.extend(entry("Workbook", 2, WORKBOOK_FIRST, 4096));
            directory.extend(entry("Other", 2, 0, 100));
            directory.extend(vec![0u8; ENTRY_LEN]);

            let mut mini_fat = vec![FREE; 128];
            mini_fat[0] = 1;
            mini_fat[1] = END_OF_CHAIN;

            let mut sectors = vec![
                fat.iter().flat_map(|v| v.to_le_bytes()).collect(),
                directory,
                mini_fat.iter().flat_map(|v| v.to_le_bytes()).collect(),
                vec![0xAB; 512],
            ];
            for _ in 0..WORKBOOK_SECTORS {
                sectors.push(vec![0x11; 512]);
            }
            Builder { header, sectors }
        }

        fn bytes(&self) -> Vec<u8> {
            let mut out = self.header.clone();
            for s in &self.sectors {
                out.extend(s);
            }
            out
        }

        fn set_header(mut self, at: usize, v: u32) -> Builder {
            put_u32(&mut self.header, at, v);
            self
        }

        /// Entry `i` of table sector `sector` (the FAT is sector 0, the mini FAT sector 2).
        fn set_entry(mut self, sector: usize, i: usize, v: u32) -> Builder {
            put_u32(&mut self.sectors[sector], 4 * i, v);
            self
        }

        /// Field at `at` of directory entry `i` (116: start, 120: size).
        fn set_dir(mut self, i: usize, at: usize, v: u32) -> Builder {
            put_u32(&mut self.sectors[1], ENTRY_LEN * i + at, v);
            self
        }
    }

    #[test]
    fn a_well_formed_file_passes() {
        assert_eq!(check(&Builder::valid().bytes()), Ok(()));
    }

    #[test]
    fn the_real_workbooks_pass() {
        for (name, bytes) in real_workbooks() {
            assert_eq!(check(&bytes), Ok(()), "{name}");
        }
    }

    #[test]
    fn a_small_workbook_stream_is_followed_through_the_mini_fat() {
        let file = Builder::valid().set_dir(1, 116, 0).set_dir(1, 120, 100);
        assert_eq!(check(&file.bytes()), Ok(()));
        // Mini sector 1 back to 0, under a size the two do not cover (calamine stops following a
        // chain once its size is covered, so a loop after that is never reached).
        let looping = file
            .set_entry(2, 1, 0)
            .set_dir(1, 120, 200)
            .set_dir(0, 120, 256);
        assert_eq!(
            check(&looping.bytes()),
            Err(Defect::Loop {
                chain: Chain::SmallStream("Workbook".into()),
                sector: 0
            })
        );
        let short = Builder::valid()
            .set_dir(1, 116, 0)
            .set_dir(1, 120, 200)
            .set_dir(0, 120, 64);
        assert_eq!(
            check(&short.bytes()),
            Err(Defect::OutOfRange {
                chain: Chain::SmallStream("Workbook".into()),
                sector: 1,
                count: 1
            }),
            "mini sector 1 is past the end of a 64-byte mini stream"
        );
    }

    #[test]
    fn a_looping_directory_chain_is_refused_with_its_sector() {
        let file = Builder::valid().set_entry(0, 1, 1);
        let defect = check(&file.bytes()).unwrap_err();
        assert_eq!(
            defect,
            Defect::Loop {
                chain: Chain::Directory,
                sector: 1
            }
        );
        assert_eq!(
            defect.to_string(),
            "FAT chain of the directory loops at sector 1"
        );
    }

    #[test]
    fn a_looping_stream_chain_is_refused_whatever_its_declared_size() {
        // Sector 11 back to 7: calamine would fill 4 GB going round, as the fuzz input did.
        let file = Builder::valid()
            .set_entry(0, 11, 7)
            .set_dir(1, 120, u32::MAX);
        assert_eq!(
            check(&file.bytes()),
            Err(Defect::Loop {
                chain: Chain::Stream("Workbook".into()),
                sector: 7
            })
        );
        let mini_stream = Builder::valid()
            .set_entry(0, 3, 3)
            .set_dir(0, 120, u32::MAX);
        assert_eq!(
            check(&mini_stream.bytes()),
            Err(Defect::Loop {
                chain: Chain::MiniStream,
                sector: 3
            })
        );
        let mini_fat = Builder::valid()
            .set_entry(0, 2, 2)
            .set_header(64, 3)
            .set_dir(0, 120, 128);
        assert_eq!(
            check(&mini_fat.bytes()),
            Err(Defect::Loop {
                chain: Chain::MiniFat,
                sector: 2
            })
        );
    }

    #[test]
    fn a_chain_leaving_the_file_is_refused() {
        let file = Builder::valid().set_entry(0, 5, 5000);
        let defect = check(&file.bytes()).unwrap_err();
        assert_eq!(
            defect,
            Defect::OutOfRange {
                chain: Chain::Stream("Workbook".into()),
                sector: 5000,
                count: 12
            }
        );
        assert!(
            defect.to_string().contains("reaches sector 5000"),
            "{defect}"
        );
        let free = Builder::valid().set_entry(0, 1, FREE);
        assert!(matches!(
            check(&free.bytes()),
            Err(Defect::OutOfRange {
                chain: Chain::Directory,
                ..
            })
        ));
        let directory = Builder::valid().set_header(48, 12);
        assert!(matches!(
            check(&directory.bytes()),
            Err(Defect::OutOfRange {
                chain: Chain::Directory,
                sector: 12,
                ..
            })
        ));
    }

    #[test]
    fn a_stream_larger_than_its_chain_is_refused() {
        let file = Builder::valid().set_dir(1, 120, 4097);
        let defect = check(&file.bytes()).unwrap_err();
        assert_eq!(
            defect,
            Defect::TooLarge {
                chain: Chain::Stream("Workbook".into()),
                size: 4097,
                holds: 4096
            }
        );
        let root = Builder::valid().set_dir(0, 120, 10_000);
        assert!(matches!(
            check(&root.bytes()),
            Err(Defect::TooLarge {
                chain: Chain::MiniStream,
                ..
            })
        ));
    }

    #[test]
    fn header_counts_beyond_the_file_are_refused() {
        let file = Builder::valid().set_header(64, 1_000_000);
        assert_eq!(
            check(&file.bytes()),
            Err(Defect::Count {
                what: "mini FAT sectors",
                declared: 1_000_000,
                sectors: 12
            })
        );
        let fat = Builder::valid().set_header(44, u32::MAX);
        assert!(matches!(
            check(&fat.bytes()),
            Err(Defect::Count {
                what: "FAT sectors",
                ..
            })
        ));
    }

    #[test]
    fn the_difat_must_list_each_fat_sector_once_inside_the_file() {
        let twice = Builder::valid().set_header(80, 0);
        assert_eq!(
            check(&twice.bytes()),
            Err(Defect::Loop {
                chain: Chain::FatSectors,
                sector: 0
            })
        );
        let outside = Builder::valid().set_header(80, 40);
        assert!(matches!(
            check(&outside.bytes()),
            Err(Defect::OutOfRange {
                chain: Chain::FatSectors,
                sector: 40,
                ..
            })
        ));
        // A DIFAT chain through sector 3 whose last entry points back to sector 3.
        let mut looping = Builder::valid().set_header(68, 3).set_header(72, 1);
        looping.sectors[3] = [FREE; 127]
            .iter()
            .chain(&[3])
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            check(&looping.bytes()),
            Err(Defect::Loop {
                chain: Chain::Difat,
                sector: 3
            })
        );
    }

    #[test]
    fn a_truncated_file_is_refused() {
        let bytes = Builder::valid().bytes();
        assert_eq!(
            check(&bytes[..300]),
            Err(Defect::Truncated {
                len: 300,
                header: 512
            })
        );
        // Cut inside the workbook stream: its chain reaches sectors that are gone.
        let cut = &bytes[..512 * 8];
        assert!(matches!(
            check(cut),
            Err(Defect::OutOfRange {
                chain: Chain::Stream(_),
                sector: 7,
                count: 7
            })
        ));
        // Cut inside the FAT sector.
        assert_eq!(
            check(&bytes[..600]),
            Err(Defect::CutShort {
                chain: Chain::FatSectors,
                sector: 0
            })
        );
    }

    #[test]
    fn bad_header_fields_are_refused() {
        let mut bytes = Builder::valid().bytes();
        bytes[30] = 10;
        assert_eq!(check(&bytes), Err(Defect::SectorShift(10)));
        bytes[30] = 9;
        bytes[32] = 7;
        assert_eq!(check(&bytes), Err(Defect::MiniSectorShift(7)));
        bytes[0] = b'P';
        assert_eq!(check(&bytes), Err(Defect::Signature));
    }

    #[test]
    fn book_is_checked_only_without_a_workbook_stream() {
        // An "Other" stream that loops is never read by calamine: not checked.
        let other = Builder::valid().set_entry(2, 0, 0);
        assert_eq!(check(&other.bytes()), Ok(()));
        // Renamed "Book", the BIFF5 stream is checked like "Workbook".
        let mut book = Builder::valid().set_entry(0, 7, 4);
        book.sectors[1][..ENTRY_LEN].copy_from_slice(&entry("Root Entry", 5, 3, 128));
        book.sectors[1][ENTRY_LEN..2 * ENTRY_LEN].copy_from_slice(&entry(
            "BOOK",
            2,
            WORKBOOK_FIRST,
            4096,
        ));
        assert_eq!(
            check(&book.bytes()),
            Err(Defect::Loop {
                chain: Chain::Stream("BOOK".into()),
                sector: 4
            })
        );
    }
}
