//! The gazetteer: Việt Nam, its provinces and centrally-run cities (the 63 of 2008-08-01 to
//! 2025-06-30, the 34 from 2025-07-01, and a few older units), the six socio-economic regions
//! and the ranking groups ("63 tỉnh, thành phố").
//!
//! The data lives in `data/gazetteer/` (`units.csv`, `places.toml`, `table-variants.toml`),
//! embedded at build time; a pipeline adds places or spellings with
//! [`Gazetteer::extend_from_str`].
//!
//! Two lookups:
//! - [`Gazetteer::resolve`] takes a name from a table or a pipeline ("TP.HCM", "THUA THIEN HUE",
//!   "tỉnh Khánh Hoà", "VN-44") and finds the unit in force on a date. It compares names after
//!   [`fold`] (no case, no diacritics, punctuation as space) and strips prefixes such as "tỉnh".
//! - [`Gazetteer::find_in`] finds every place named in running text, whole words only, longest
//!   match first. A name matches with any tone-mark placement ("Hoà"/"Hòa"), in upper case or
//!   without diacritics, but not in lower case where the name is capitalised ("hòa bình" is
//!   peace, not the province), not right after a surname ("Nguyễn Thái Bình") and not inside a
//!   blocker phrase ("Thái Bình Dương"). Regions, the country ("cả nước") and ranking groups
//!   ("tỉnh, thành phố") are found too, so a caller can read a ranking group after a rank;
//!   [`Gazetteer::ranking_group_for`] does that for the words after "thứ 4/14".
//!
//! ```
//! use chiso_transform::gazetteer::{Gazetteer, PlaceKind};
//! let g = Gazetteer::builtin();
//! assert_eq!(g.resolve("TP.HCM", None).map(|p| p.code.as_str()), Some("VN-SG"));
//! let found = g.find_in("Lào Cai đứng thứ 4/14 tỉnh khu vực trung du, miền núi Bắc Bộ.");
//! assert_eq!(found[0].place.code, "VN-02");
//! assert_eq!(found[1].place.kind, PlaceKind::Region);
//! ```

use std::collections::{HashMap, HashSet};

use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;
use chiso_model::{Date, Span};

use crate::lexicon::{
    Found, build_dfa, eq_fold_case, fold_case, is_alphabetic, is_alphanumeric, lower_in_place,
    overlapping_found,
};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{canonical_combining_class, is_combining_mark};

/// Errors of the gazetteer and catalogue loaders.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A data file that does not parse, or an entry that is not valid.
    #[error("{origin}{}: {message}", on_line(*line))]
    Data {
        /// The file or pipeline the text came from.
        origin: String,
        /// 1-based line of the offending entry (0 when the problem is not on one line).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// `:<line>` after an origin, nothing when the problem is not on one line (0).
fn on_line(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// Result alias of the gazetteer and catalogue loaders.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn data(origin: &str, line: usize, message: impl Into<String>) -> Error {
        Error::Data {
            origin: origin.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// An error from a `toml` parse, with the line of its span.
    pub(crate) fn toml(origin: &str, text: &str, err: &toml::de::Error) -> Error {
        let line = err.span().map_or(0, |s| line_of(text, s.start));
        Error::data(origin, line, err.message().to_owned())
    }
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The last day of the 63-province map; what [`Gazetteer::resolve`] assumes without a date.
pub const DEFAULT_DATE: Date = Date {
    year: 2025,
    month: 6,
    day: 30,
};

/// The first day of the 34-province map (the day after [`DEFAULT_DATE`]).
const MAP_2025: Date = Date {
    year: 2025,
    month: 7,
    day: 1,
};

const UNITS_CSV: &str = include_str!("../data/gazetteer/units.csv");
const PLACES_TOML: &str = include_str!("../data/gazetteer/places.toml");
const TABLE_VARIANTS_TOML: &str = include_str!("../data/gazetteer/table-variants.toml");

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlaceKind {
    /// The whole country (`VN`).
    Country,
    /// A province (tỉnh).
    Province,
    /// A centrally-run city (thành phố trực thuộc trung ương).
    City,
    /// A socio-economic region (vùng kinh tế - xã hội).
    Region,
    /// A set of units a rank is counted in ("63 tỉnh, thành phố").
    RankingGroup,
}

impl PlaceKind {
    /// The spelling used in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Province => "province",
            PlaceKind::City => "city",
            PlaceKind::Region => "region",
            PlaceKind::RankingGroup => "ranking_group",
        }
    }

    fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "country" => PlaceKind::Country,
            "province" | "tỉnh" => PlaceKind::Province,
            "city" | "thành phố trực thuộc trung ương" => PlaceKind::City,
            "region" => PlaceKind::Region,
            "ranking_group" => PlaceKind::RankingGroup,
            _ => return None,
        })
    }

    /// Whether the kind is a provincial administrative unit (province or city).
    pub fn is_unit(self) -> bool {
        matches!(self, PlaceKind::Province | PlaceKind::City)
    }
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Internal id, unique: the ISO code for the units of 2008-2025 (`VN-44`), the ISO code with
    /// `-2025` for units formed on 2025-07-01 (`VN-44-2025`), `VN-R-…` for regions.
    pub id: String,
    /// ISO 3166-2:VN code (`VN-44`, `VN` for the country). A unit formed in 2025 keeps the code
    /// of the old unit whose name it keeps. Regions and groups, which have none, repeat the id.
    pub code: String,
    /// General Statistics Office code (`89` for An Giang), for units.
    pub gso_code: Option<String>,
    /// Official name without "tỉnh"/"thành phố": "An Giang", "Hồ Chí Minh".
    pub name: String,
    /// What it is.
    pub kind: PlaceKind,
    /// Id of the socio-economic region of a unit.
    pub region: Option<String>,
    /// Ids of the members of a region or ranking group.
    pub members: Vec<String>,
    /// First day in force, when known.
    pub valid_from: Option<Date>,
    /// Last day in force; `None` while in force.
    pub valid_to: Option<Date>,
    /// Ids of the units merged into this one.
    pub took_in: Vec<String>,
}

impl Place {
    /// Whether the place is in force on `on`.
    pub fn in_force(&self, on: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= on) && self.valid_to.is_none_or(|t| on <= t)
    }

    /// Days between `on` and the validity interval (0 when in force).
    fn distance(&self, on: Date) -> i32 {
        let d = on.days_since_epoch();
        if let Some(f) = self.valid_from.filter(|f| on < *f) {
            return f.days_since_epoch() - d;
        }
        if let Some(t) = self.valid_to.filter(|t| on > *t) {
            return d - t.days_since_epoch();
        }
        0
    }
}

/// A place named in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMatch<'g> {
    /// The place (for a name shared across the 2025 merger, the unit in force on the date asked).
    pub place: &'g Place,
    /// Byte offsets into the text.
    pub span: Span,
    /// The text as written.
    pub matched: String,
}

/// The gazetteer: places, their names, and the indexes built from them.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    rules: Vec<PlaceRules>,
    by_id: HashMap<String, usize>,
    /// Folded names, codes and ids to places, for `resolve`.
    by_key: HashMap<String, Vec<usize>>,
    prefixes: Vec<String>,
    person_words: HashSet<String>,
    blockers: Vec<String>,
    matcher: TextMatcher,
}

/// Matching data of a place that the public [`Place`] does not carry.
#[derive(Debug, Clone, Default)]
struct PlaceRules {
    /// Names found in running text.
    variants: Vec<String>,
    /// Names only `resolve` knows (table spellings, ambiguous bare names).
    resolve_only: Vec<String>,
    /// Names only [`Gazetteer::ranking_group_for`] reads ("địa phương").
    context_variants: Vec<String>,
    /// The bare name is a common word in upper case ("HÒA BÌNH" is peace): an all-capitals
    /// match is not taken.
    common_word: bool,
}

impl Default for Gazetteer {
    fn default() -> Self {
        Gazetteer::builtin()
    }
}

impl Gazetteer {
    /// The gazetteer from the embedded data files.
    pub fn builtin() -> Gazetteer {
        Gazetteer::from_sources(&[
            (UNITS_CSV, "data/gazetteer/units.csv"),
            (PLACES_TOML, "data/gazetteer/places.toml"),
            (TABLE_VARIANTS_TOML, "data/gazetteer/table-variants.toml"),
        ])
        .expect("embedded gazetteer parses: tested by builtin_parses")
    }

    /// A gazetteer from several data texts `(text, origin)` that may refer to each other's
    /// places (units name their region, regions list their units).
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Gazetteer> {
        let mut g = Gazetteer::empty();
        for (text, origin) in sources {
            g.load(text, origin)?;
        }
        let origin = sources
            .iter()
            .map(|(_, o)| *o)
            .collect::<Vec<_>>()
            .join(", ");
        g.check(&origin)?;
        g.rebuild();
        Ok(g)
    }

    /// A gazetteer with no places.
    pub fn empty() -> Gazetteer {
        Gazetteer {
            places: Vec::new(),
            rules: Vec::new(),
            by_id: HashMap::new(),
            by_key: HashMap::new(),
            prefixes: Vec::new(),
            person_words: HashSet::new(),
            blockers: Vec::new(),
            matcher: TextMatcher::default(),
        }
    }

    /// Adds places, spellings or matching rules from a data text: a CSV with the header of
    /// `units.csv` (`id,code,gso_code,name,kind,region,valid_from,valid_to,took_in,common_word,
    /// variants,resolve_only`, lists separated by `|`), or a TOML file shaped like
    /// `places.toml` (`version = 1`, `prefixes`, `person_name_words`, `blockers`, `[[place]]`)
    /// and `table-variants.toml` (`[[alias]]` with `place` and `variants`/`resolve_only`).
    ///
    /// Errors name `origin` and the line. On error the gazetteer is unchanged.
    pub fn extend_from_str(&mut self, text: &str, origin: &str) -> Result<()> {
        let mut next = self.clone();
        next.load(text, origin)?;
        next.check(origin)?;
        next.rebuild();
        *self = next;
        Ok(())
    }

    /// Reads a CSV or TOML data text, without checking references.
    fn load(&mut self, text: &str, origin: &str) -> Result<()> {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        if first.is_some_and(|l| l.starts_with("id,")) {
            self.load_csv(text, origin)
        } else {
            self.load_toml(text, origin)
        }
    }

    fn add_place(
        &mut self,
        place: Place,
        rules: PlaceRules,
        origin: &str,
        line: usize,
    ) -> Result<()> {
        if place.id.trim().is_empty() {
            return Err(Error::data(origin, line, "empty place id"));
        }
        if self.by_id.contains_key(&place.id) {
            return Err(Error::data(
                origin,
                line,
                format!("duplicate place id {:?}", place.id),
            ));
        }
        if let (Some(f), Some(t)) = (place.valid_from, place.valid_to)
            && t < f
        {
            return Err(Error::data(
                origin,
                line,
                format!("{}: valid_to {t} before valid_from {f}", place.id),
            ));
        }
        self.by_id.insert(place.id.clone(), self.places.len());
        self.places.push(place);
        self.rules.push(rules);
        Ok(())
    }

    fn load_csv(&mut self, text: &str, origin: &str) -> Result<()> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::data(origin, 1, e.to_string()))?
            .clone();
        const EXPECTED: [&str; 12] = [
            "id",
            "code",
            "gso_code",
            "name",
            "kind",
            "region",
            "valid_from",
            "valid_to",
            "took_in",
            "common_word",
            "variants",
            "resolve_only",
        ];
        if headers.iter().ne(EXPECTED) {
            return Err(Error::data(
                origin,
                1,
                format!("expected the header {}", EXPECTED.join(",")),
            ));
        }
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                Error::data(origin, line, e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let opt = |i: usize| Some(field(i)).filter(|s| !s.is_empty()).map(str::to_owned);
            let list = |i: usize| -> Vec<String> {
                field(i)
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            let date = |i: usize, key: &str| -> Result<Option<Date>> {
                opt(i)
                    .map(|s| {
                        s.parse::<Date>()
                            .map_err(|e| Error::data(origin, line, format!("{key}: {e}")))
                    })
                    .transpose()
            };
            let kind = PlaceKind::parse(field(4)).ok_or_else(|| {
                Error::data(
                    origin,
                    line,
                    format!("kind: unknown place kind {:?}", field(4)),
                )
            })?;
            let common_word = match field(9) {
                "" | "false" => false,
                "true" => true,
                other => {
                    return Err(Error::data(
                        origin,
                        line,
                        format!("common_word: expected true or false, got {other:?}"),
                    ));
                }
            };
            let place = Place {
                id: field(0).to_owned(),
                code: opt(1).unwrap_or_else(|| field(0).to_owned()),
                gso_code: opt(2),
                name: field(3).to_owned(),
                kind,
                region: opt(5),
                members: Vec::new(),
                valid_from: date(6, "valid_from")?,
                valid_to: date(7, "valid_to")?,
                took_in: list(8),
            };
            let rules = PlaceRules {
                variants: list(10),
                resolve_only: list(11),
                context_variants: Vec::new(),
                common_word,
            };
            self.add_place(place, rules, origin, line)?;
        }
        Ok(())
    }

    fn load_toml(&mut self, text: &str, origin: &str) -> Result<()> {
        let raw: RawFile = toml::from_str(text).map_err(|e| Error::toml(origin, text, &e))?;
        if raw.version != 1 {
            return Err(Error::data(
                origin,
                1,
                format!("version: expected 1, got {}", raw.version),
            ));
        }
        self.prefixes.extend(raw.prefixes);
        self.person_words.extend(raw.person_name_words);
        self.blockers.extend(raw.blockers);
        for p in raw.place {
            let line = line_of(text, p.span().start);
            let raw = p.into_inner();
            let kind = PlaceKind::parse(&raw.kind).ok_or_else(|| {
                Error::data(
                    origin,
                    line,
                    format!("kind: unknown place kind {:?}", raw.kind),
                )
            })?;
            let date = |s: Option<String>, key: &str| -> Result<Option<Date>> {
                s.map(|s| {
                    s.parse::<Date>()
                        .map_err(|e| Error::data(origin, line, format!("{key}: {e}")))
                })
                .transpose()
            };
            let place = Place {
                code: raw.code.unwrap_or_else(|| raw.id.clone()),
                id: raw.id,
                gso_code: raw.gso_code,
                name: raw.name,
                kind,
                region: raw.region,
                members: raw.members,
                valid_from: date(raw.valid_from, "valid_from")?,
                valid_to: date(raw.valid_to, "valid_to")?,
                took_in: raw.took_in,
            };
            let rules = PlaceRules {
                variants: raw.variants,
                resolve_only: raw.resolve_only,
                context_variants: raw.context_variants,
                common_word: raw.common_word,
            };
            self.add_place(place, rules, origin, line)?;
        }
        for a in raw.alias {
            let line = line_of(text, a.span().start);
            let a = a.into_inner();
            let Some(&i) = self.by_id.get(&a.place) else {
                return Err(Error::data(
                    origin,
                    line,
                    format!("alias: unknown place {:?}", a.place),
                ));
            };
            self.rules[i].variants.extend(a.variants);
            self.rules[i].resolve_only.extend(a.resolve_only);
        }
        Ok(())
    }

    /// Checks that every id a place refers to exists.
    fn check(&self, origin: &str) -> Result<()> {
        for p in &self.places {
            let refs = p.members.iter().chain(&p.took_in).chain(p.region.iter());
            for r in refs {
                if !self.by_id.contains_key(r) {
                    return Err(Error::data(
                        origin,
                        0,
                        format!("{}: refers to unknown place {r:?}", p.id),
                    ));
                }
            }
            if p.name.trim().is_empty() {
                return Err(Error::data(origin, 0, format!("{}: empty name", p.id)));
            }
        }
        Ok(())
    }

    /// Rebuilds the lookup indexes and the text automaton.
    fn rebuild(&mut self) {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (p, r)) in self.places.iter().zip(&self.rules).enumerate() {
            let names = [&p.id, &p.code, &p.name]
                .into_iter()
                .chain(&r.variants)
                .chain(&r.resolve_only);
            for name in names {
                let key = fold_keeping_lost(&decode_r_escapes(name));
                if key.is_empty() {
                    continue;
                }
                let slot = by_key.entry(key).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        self.by_key = by_key;
        let mut prefixes: Vec<String> = self
            .prefixes
            .iter()
            .map(|p| fold(p))
            .filter(|p| !p.is_empty())
            .collect();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        prefixes.dedup();
        self.prefixes = prefixes;

        let mut patterns: Vec<(String, Target)> = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            for v in &r.variants {
                patterns.push((v.clone(), Target::Place(i)));
            }
        }
        for b in &self.blockers {
            patterns.push((b.clone(), Target::Blocker));
        }
        self.matcher = TextMatcher::new(patterns);
    }

    /// Every place, in data order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// Number of members of a region or ranking group (14 for `VN-R-TDMNPB`, 63 for
    /// `VN-provinces`); `None` for an unknown id or a place without members.
    pub fn region_size(&self, id: &str) -> Option<u32> {
        let p = self.place(id)?;
        (!p.members.is_empty()).then(|| u32::try_from(p.members.len()).unwrap_or(u32::MAX))
    }

    /// The ranking group of every province on `on` ("xếp thứ 2 cả nước") and its size:
    /// `VN-provinces` (63) before the 2025 merger, `VN-provinces-2025` (34) from 2025-07-01.
    pub fn all_provinces_on(&self, on: Date) -> Option<(&str, Option<u32>)> {
        let id = if on < MAP_2025 {
            "VN-provinces"
        } else {
            "VN-provinces-2025"
        };
        let p = self.place(id)?;
        Some((p.id.as_str(), self.region_size(id)))
    }

    /// The size of a region or ranking group on `on`: a region's members on the map of
    /// 2008-2025 (14 for `VN-R-TDMNPB`); a ranking group is one map's (`VN-provinces` 63,
    /// `VN-provinces-2025` 34). A region's size after the 2025 merger is `None`: several units
    /// formed then span two regions, and the gazetteer gives them none until the regions are
    /// redrawn, so no region's count of provinces can be told.
    pub fn group_size_on(&self, id: &str, on: Date) -> Option<u32> {
        let p = self.place(id)?;
        if p.kind != PlaceKind::Region || on < MAP_2025 {
            return self.region_size(id);
        }
        let units = self
            .places
            .iter()
            .filter(|u| matches!(u.kind, PlaceKind::Province | PlaceKind::City) && u.in_force(on));
        if units.clone().any(|u| u.region.is_none()) {
            return None;
        }
        let n = units.filter(|u| u.region.as_deref() == Some(id)).count();
        u32::try_from(n).ok().filter(|&n| n > 0)
    }

    /// Sizes of every ranking group and region, by id, for rank rules: the size since the map
    /// of 2008 (from `None`), then a later size, known or not, with the day it holds from
    /// (`VN-R-TDMNPB`: 14, then unknown from 2025-07-01; see [`Gazetteer::group_size_on`]).
    #[allow(clippy::type_complexity)] // one map of eras, as the rules read it
    pub fn group_sizes(
        &self,
    ) -> std::collections::BTreeMap<String, Vec<(Option<Date>, Option<u32>)>> {
        self.places
            .iter()
            .filter_map(|p| {
                let before = self.region_size(&p.id)?;
                let mut sizes = vec![(None, Some(before))];
                let after = self.group_size_on(&p.id, MAP_2025);
                if after != Some(before) {
                    sizes.push((Some(MAP_2025), after));
                }
                Some((p.id.clone(), sizes))
            })
            .collect()
    }

    /// Provinces and cities in force on `on`.
    pub fn units_on(&self, on: Date) -> impl Iterator<Item = &Place> {
        self.places
            .iter()
            .filter(move |p| p.kind.is_unit() && p.in_force(on))
    }

    /// The unit that took `id` in (the 2025 merger, or Hà Nội for Hà Tây).
    pub fn successor(&self, id: &str) -> Option<&Place> {
        self.places
            .iter()
            .find(|p| p.took_in.iter().any(|t| t == id))
    }

    /// The unit a text means by `place`'s name written as the former one ("tỉnh Lào Cai (cũ)"):
    /// for a unit formed by the 2025 merger, the one it took in whose name it keeps (the Lào Cai
    /// of 2008 to 2025); else `place` itself.
    pub fn former<'p>(&'p self, place: &'p Place) -> &'p Place {
        place
            .took_in
            .iter()
            .filter_map(|id| self.by_id.get(id).map(|&i| &self.places[i]))
            .find(|p| p.name == place.name && p.valid_to.is_some())
            .unwrap_or(place)
    }

    /// The unit a text means by `place`'s name written as the new one ("tỉnh Lào Cai (mới)"):
    /// the unit that took `place` in and keeps its name (the Lào Cai of 2025, Lào Cai with Yên
    /// Bái); else `place` itself.
    pub fn renewed<'p>(&'p self, place: &'p Place) -> &'p Place {
        self.successor(&place.id)
            .filter(|p| p.name == place.name)
            .unwrap_or(place)
    }

    /// The unit with this General Statistics Office code in force on `on` (default
    /// [`DEFAULT_DATE`]). Leading zeros do not matter ("1" and "01" are Hà Nội).
    pub fn by_gso_code(&self, gso: &str, on: Option<Date>) -> Option<&Place> {
        let want = gso.trim().trim_start_matches('0');
        let on = on.unwrap_or(DEFAULT_DATE);
        self.places
            .iter()
            .filter(|p| {
                p.gso_code
                    .as_deref()
                    .is_some_and(|c| c.trim_start_matches('0') == want)
            })
            .min_by_key(|p| p.distance(on))
    }

    /// The code of the place `name` (a code, a name, "tỉnh Lào Cai") denotes, as rows and
    /// sources hold it, or why there is none, as a person is told it: every place a pipeline,
    /// a corpus document, a rule or `chiso extract --geo` names goes through here.
    pub fn code_of(&self, name: &str) -> std::result::Result<&str, String> {
        self.resolve(name, None)
            .map(|p| p.code.as_str())
            .ok_or_else(|| {
                format!(
                    "{name:?} is not a place chiso knows: use an ISO 3166-2:VN code such as \"VN-02\", or \"VN\""
                )
            })
    }

    /// The place a name, code or id denotes, tolerant of case, diacritics, tone-mark placement,
    /// punctuation and prefixes ("tỉnh", "TP."). A name shared across the 2025 merger
    /// ("Lào Cai") gives the unit in force on `on`; without a date, on [`DEFAULT_DATE`] (the
    /// 63-province map). When no candidate is in force on the date, the nearest in time wins
    /// ("Hà Tây" in 2020 is still Hà Tây; see [`Gazetteer::successor`]).
    ///
    /// R's `<U+1EAF>` escapes, which tables exported from R on Windows contain, are decoded.
    pub fn resolve(&self, name: &str, on: Option<Date>) -> Option<&Place> {
        let on = on.unwrap_or(DEFAULT_DATE);
        let decoded = decode_r_escapes(name);
        if decoded.contains(LOST) {
            return self.resolve_lost(&decoded, on);
        }
        let mut key = fold(&decoded);
        loop {
            if let Some(found) = self.by_key.get(&key) {
                return found
                    .iter()
                    .map(|&i| &self.places[i])
                    .min_by_key(|p| p.distance(on));
            }
            key = self.strip_prefix(&key)?;
        }
    }

    /// `text` (the words before a place name) without a unit prefix it ends with, and without
    /// trailing spaces: "sản lượng của tỉnh " gives "sản lượng của", "chỉ sau thành phố"
    /// "chỉ sau".
    pub fn without_trailing_prefix<'t>(&self, text: &'t str) -> &'t str {
        let text = text.trim_end();
        for p in &self.prefixes {
            // Where the prefix's first word would start: its word count from the end.
            let words = p.split(' ').count();
            let Some(first) = text.split_whitespace().rev().nth(words - 1) else {
                continue;
            };
            let at = first.as_ptr() as usize - text.as_ptr() as usize;
            if fold(&text[at..]) == *p {
                return text[..at].trim_end();
            }
        }
        text
    }

    /// The key without its leading prefix ("tinh lao cai" gives "lao cai").
    fn strip_prefix(&self, key: &str) -> Option<String> {
        self.prefixes.iter().find_map(|p| {
            key.strip_prefix(p.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
                .map(str::to_owned)
        })
    }

    /// `resolve` for a name with U+FFFD replacement characters, which re-encoding leaves where
    /// letters were lost ("B\u{FFFD}NH DUONG"): a run of them stands for up to two letters or
    /// spaces more than its length. Only a name that fits the places of one key resolves.
    fn resolve_lost(&self, decoded: &str, on: Date) -> Option<&Place> {
        let mut pattern = fold_keeping_lost(decoded);
        if let Some(found) = self.by_key.get(&pattern) {
            return found
                .iter()
                .map(|&i| &self.places[i])
                .min_by_key(|p| p.distance(on));
        }
        loop {
            let mut hits = self
                .by_key
                .iter()
                .filter(|(k, _)| lost_matches(&pattern, k));
            if let Some((_, first)) = hits.next() {
                if hits.any(|(_, other)| other != first) {
                    return None;
                }
                return first
                    .iter()
                    .map(|&i| &self.places[i])
                    .min_by_key(|p| p.distance(on));
            }
            pattern = self.strip_prefix(&pattern)?;
        }
    }

    /// Every place named in `text` (NFC, as written), in text order, reading names shared across
    /// the 2025 merger on [`DEFAULT_DATE`]. See [`Gazetteer::find_in_on`].
    pub fn find_in(&self, text: &str) -> Vec<PlaceMatch<'_>> {
        self.find_in_on(text, None)
    }

    /// Every place named in `text`: whole words, longest match first, no overlaps, spans in
    /// bytes. A name shared by several places gives the one in force on `on` (default
    /// [`DEFAULT_DATE`]).
    pub fn find_in_on(&self, text: &str, on: Option<Date>) -> Vec<PlaceMatch<'_>> {
        self.find_in_folded(text, &FoldedText::new(text), on)
    }

    /// [`Gazetteer::find_in_on`] with `text` already folded (the linker folds a document once
    /// for places and cues).
    pub(crate) fn find_in_folded(
        &self,
        text: &str,
        folded: &FoldedText,
        on: Option<Date>,
    ) -> Vec<PlaceMatch<'_>> {
        self.places_from(text, folded, on, self.matcher.matches(folded))
    }

    /// The folded spellings the text automaton searches for, in pattern order.
    pub(crate) fn keys(&self) -> &[String] {
        &self.matcher.keys
    }

    /// [`Gazetteer::find_in_folded`] from the occurrences of [`Gazetteer::keys`] in `folded`
    /// (every one, overlapping, in any order), found by the caller.
    pub(crate) fn places_from(
        &self,
        text: &str,
        folded: &FoldedText,
        on: Option<Date>,
        matches: impl IntoIterator<Item = Found>,
    ) -> Vec<PlaceMatch<'_>> {
        let on = on.unwrap_or(DEFAULT_DATE);
        let mut found: Vec<(Span, Option<usize>)> = Vec::new();
        for (span, entries) in self.matcher.candidates(folded, matches) {
            let slice = &text[span.start..span.end];
            let mut best: Option<Option<usize>> = None;
            for e in entries {
                if !e.accepts(slice) {
                    continue;
                }
                match e.target {
                    Target::Blocker => best = Some(None),
                    Target::Place(i) => {
                        if !self.place_accepts(i, text, span, e) {
                            continue;
                        }
                        let better = match best {
                            Some(Some(j)) => {
                                self.places[i].distance(on) < self.places[j].distance(on)
                            }
                            Some(None) => false,
                            None => true,
                        };
                        if better {
                            best = Some(Some(i));
                        }
                    }
                }
            }
            if let Some(b) = best {
                found.push((span, b));
            }
        }
        // Leftmost-longest among the accepted candidates.
        found.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
        let mut out: Vec<PlaceMatch<'_>> = Vec::new();
        let mut taken_to = 0;
        for (span, target) in found {
            if span.start < taken_to {
                continue;
            }
            taken_to = span.end;
            if let Some(i) = target {
                out.push(PlaceMatch {
                    place: &self.places[i],
                    span,
                    matched: text[span.start..span.end].to_owned(),
                });
            }
        }
        out
    }

    /// Rules a unit match must pass besides spelling: not part of a person's name, and not an
    /// all-capitals common word.
    fn place_accepts(&self, i: usize, text: &str, span: Span, entry: &Entry) -> bool {
        let place = &self.places[i];
        if !place.kind.is_unit() {
            return true;
        }
        let before = text[..span.start].trim_end_matches([' ', '\u{a0}']);
        if before.len() < span.start {
            let prev_word = before
                .rsplit(|c: char| !is_alphanumeric(c))
                .next()
                .unwrap_or("");
            if self.person_words.contains(prev_word) {
                return false;
            }
        }
        let slice = &text[span.start..span.end];
        let all_caps = slice
            .chars()
            .filter(|&c| is_alphabetic(c))
            .all(char::is_uppercase);
        !(self.rules[i].common_word && all_caps && !entry.all_caps)
    }

    /// The ranking group the words after a rank name ("tỉnh khu vực trung du, miền núi Bắc Bộ"
    /// gives the region; "tỉnh, thành phố", "cả nước" or "địa phương" give `VN-provinces`). Takes
    /// the first region or group named; if none, a context word ("địa phương", "cả nước") at the
    /// start. Groups are read on [`DEFAULT_DATE`]; use [`Gazetteer::ranking_group_for_total`]
    /// when the rank's total is known.
    pub fn ranking_group_for(&self, text_after_rank: &str) -> Option<&Place> {
        self.ranking_group_for_total(text_after_rank, None)
    }

    /// As [`Gazetteer::ranking_group_for`], preferring the group whose size is `total`
    /// ("thứ 5/34" after the merger is `VN-provinces-2025`).
    pub fn ranking_group_for_total(
        &self,
        text_after_rank: &str,
        total: Option<u32>,
    ) -> Option<&Place> {
        let size_ok = |p: &Place| total.is_none_or(|t| self.region_size(&p.id) == Some(t));
        for m in self.find_in(text_after_rank) {
            match m.place.kind {
                PlaceKind::Region => return Some(m.place),
                PlaceKind::RankingGroup | PlaceKind::Country => {
                    let key = fold(&m.matched);
                    return self.group_named(&key, total).or_else(|| {
                        (m.place.kind == PlaceKind::RankingGroup && size_ok(m.place))
                            .then_some(m.place)
                    });
                }
                _ => {}
            }
        }
        let folded = fold(text_after_rank);
        let mut best: Option<(usize, &Place)> = None;
        for (p, r) in self.places.iter().zip(&self.rules) {
            if p.kind != PlaceKind::RankingGroup || !size_ok(p) {
                continue;
            }
            for v in &r.context_variants {
                let key = fold(v);
                let starts = folded
                    .strip_prefix(key.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
                if starts && best.is_none_or(|(len, _)| key.len() > len) {
                    best = Some((key.len(), p));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// A ranking group one of whose names or context words folds to `key`, of size `total`
    /// when given, in force on [`DEFAULT_DATE`] when the size does not decide.
    fn group_named(&self, key: &str, total: Option<u32>) -> Option<&Place> {
        self.places
            .iter()
            .zip(&self.rules)
            .filter(|(p, _)| p.kind == PlaceKind::RankingGroup)
            .filter(|(p, _)| total.is_none_or(|t| self.region_size(&p.id) == Some(t)))
            .filter(|(_, r)| {
                r.variants
                    .iter()
                    .chain(&r.context_variants)
                    .any(|v| fold(v) == key)
            })
            .map(|(p, _)| p)
            .min_by_key(|p| p.distance(DEFAULT_DATE))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    person_name_words: Vec<String>,
    #[serde(default)]
    blockers: Vec<String>,
    #[serde(default)]
    place: Vec<toml::Spanned<RawPlace>>,
    #[serde(default)]
    alias: Vec<toml::Spanned<RawAlias>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    id: String,
    code: Option<String>,
    gso_code: Option<String>,
    name: String,
    kind: String,
    region: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    #[serde(default)]
    took_in: Vec<String>,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    resolve_only: Vec<String>,
    #[serde(default)]
    context_variants: Vec<String>,
    #[serde(default)]
    common_word: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    place: String,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    resolve_only: Vec<String>,
}

/// Folds a name for comparison: NFD, combining marks removed, đ → d, lower case, every run of
/// characters that are not letters or digits turned into one space, trimmed.
/// `fold("Thừa Thiên – Huế")` is `"thua thien hue"`; `fold("TP.HCM")` is `"tp hcm"`.
pub fn fold(s: &str) -> String {
    fold_words(s, char::is_alphanumeric)
}

/// [`fold`] with `is_word` saying which characters (after NFD, marks dropped) make words.
fn fold_words(s: &str, is_word: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd().filter(|&c| !is_combining_mark(c)) {
        if is_word(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            push_folded_char(&mut out, c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The replacement character lossy decoders leave for a lost letter.
const LOST: char = '\u{FFFD}';

/// [`fold`], keeping U+FFFD as a letter.
fn fold_keeping_lost(s: &str) -> String {
    fold_words(s, |c| c.is_alphanumeric() || c == LOST)
}

/// Whether `key` fits `pattern`, where a run of k U+FFFD stands for 0..=k+2 characters and
/// a space after such a run may be missing (a lost non-breaking space before a name).
fn lost_matches(pattern: &str, key: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let k: Vec<char> = key.chars().collect();
    // reachable[j]: the pattern read so far can end at key position j.
    let mut reachable = vec![false; k.len() + 1];
    reachable[0] = true;
    let mut i = 0;
    while i < p.len() {
        let mut next = vec![false; k.len() + 1];
        if p[i] == LOST {
            let run = p[i..].iter().take_while(|&&c| c == LOST).count();
            for j in (0..=k.len()).filter(|&j| reachable[j]) {
                for n in 0..=(run + 2).min(k.len() - j) {
                    next[j + n] = true;
                }
            }
            i += run;
        } else {
            for j in (0..k.len()).filter(|&j| reachable[j] && k[j] == p[i]) {
                next[j + 1] = true;
            }
            if p[i] == ' ' && i > 0 && p[i - 1] == LOST {
                for (j, r) in reachable.iter().enumerate() {
                    next[j] |= *r;
                }
            }
            i += 1;
        }
        reachable = next;
    }
    reachable[k.len()]
}

fn push_folded_char(out: &mut String, c: char) {
    match c {
        'đ' | 'Đ' => out.push('d'),
        c => out.extend(c.to_lowercase()),
    }
}

/// [`fold`]'s rules for one character of a word: its decomposition without marks, folded.
fn push_folded_word_char(out: &mut String, c: char) {
    for d in std::iter::once(c).nfd() {
        if !is_combining_mark(d) {
            push_folded_char(out, d);
        }
    }
}

/// How [`FoldedText`] reads one character. Looked up in a table for the first 0x2000 code
/// points (ASCII, the Latin blocks, combining marks and Latin Extended Additional: every
/// character of Vietnamese), built once from the same rules as [`fold`], so the hot loop does no
/// Unicode decomposition or property lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharFold {
    /// Not a letter, digit or mark: a word boundary.
    Space,
    /// Part of a word that folds to nothing (a combining mark).
    Mark,
    /// Part of a word that folds to one ASCII byte ("Ắ" → `a`, "Đ" → `d`).
    Ascii(u8),
    /// Part of a word that folds to something else: [`push_folded_word_char`].
    Other,
}

impl CharFold {
    const TABLE_LEN: usize = 0x2000;

    const fn of_ascii(b: u8) -> CharFold {
        match b {
            b'A'..=b'Z' => CharFold::Ascii(b.to_ascii_lowercase()),
            b'a'..=b'z' | b'0'..=b'9' => CharFold::Ascii(b),
            _ => CharFold::Space,
        }
    }

    /// [`CharFold::of_ascii`] of every ASCII byte: the hot loop reads it instead of testing
    /// ranges for each byte.
    const ASCII: [CharFold; 128] = {
        let mut table = [CharFold::Space; 128];
        let mut b = 0;
        while b < 128 {
            table[b] = CharFold::of_ascii(b as u8);
            b += 1;
        }
        table
    };

    fn table() -> &'static [CharFold] {
        static TABLE: std::sync::OnceLock<Vec<CharFold>> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            (0..Self::TABLE_LEN as u32)
                .map(|cp| char::from_u32(cp).map_or(CharFold::Space, Self::compute))
                .collect()
        })
    }

    fn compute(c: char) -> CharFold {
        if is_combining_mark(c) {
            return CharFold::Mark;
        }
        if !c.is_alphanumeric() {
            return CharFold::Space;
        }
        let mut s = String::new();
        push_folded_word_char(&mut s, c);
        match s.as_bytes() {
            [] => CharFold::Mark,
            [b] if b.is_ascii() => CharFold::Ascii(*b),
            _ => CharFold::Other,
        }
    }
}

/// Decodes R's `<U+1EAF>` escapes into the characters they stand for.
fn decode_r_escapes(s: &str) -> String {
    if !s.contains("<U+") {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("<U+") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 3..];
        let decoded = tail.find('>').and_then(|end| {
            let hex = &tail[..end];
            let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push_str("<U+");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The five Vietnamese tone marks (huyền, sắc, hỏi, ngã, nặng) in NFD.
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{309}' | '\u{303}' | '\u{323}')
}

/// A spelling key that ignores case, tone-mark placement and punctuation but keeps every
/// letter and mark: "Hoà Bình" and "HÒA BÌNH" share a key; "Huế" and "Huệ" do not.
pub(crate) fn tone_key(s: &str) -> String {
    // Names are matched in every document: decompose character by character from a table
    // when that is the text's NFD, else with the full algorithm.
    if s.chars().all(|c| starter_decomposition(c).is_some()) {
        let decomposed = s
            .chars()
            .flat_map(|c| starter_decomposition(c).unwrap_or_default().chars());
        tone_key_of(decomposed, s.len() + 4)
    } else {
        tone_key_of(s.nfd(), s.len() + 4)
    }
}

/// A character's canonical decomposition (NFD) when it starts with a starter (canonical
/// combining class 0), from a table of the Latin blocks Vietnamese is written in (ASCII to Latin
/// Extended-B, and Latin Extended Additional), built once. In a text of such characters no run
/// of marks crosses a character, so the NFD of the text is the NFD of each character in turn
/// (canonical reordering only sorts a run of marks). `None` for a character outside the table
/// or whose decomposition starts with a mark.
fn starter_decomposition(c: char) -> Option<&'static str> {
    const LATIN: std::ops::Range<u32> = 0..0x250;
    const LATIN_ADDITIONAL: std::ops::Range<u32> = 0x1E00..0x1F00;
    static TABLE: std::sync::OnceLock<Vec<Option<Box<str>>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        LATIN
            .chain(LATIN_ADDITIONAL)
            .map(|cp| {
                let c = char::from_u32(cp)?;
                let d: String = std::iter::once(c).nfd().collect();
                let first = d.chars().next()?;
                (canonical_combining_class(first) == 0).then(|| d.into_boxed_str())
            })
            .collect()
    });
    let cp = c as u32;
    let index = if LATIN.contains(&cp) {
        cp
    } else if LATIN_ADDITIONAL.contains(&cp) {
        LATIN.end + (cp - LATIN_ADDITIONAL.start)
    } else {
        return None;
    };
    table.get(index as usize)?.as_deref()
}

/// [`tone_key`] of a text given as its NFD characters, with room for `capacity` bytes.
fn tone_key_of(decomposed: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut tones: Vec<char> = Vec::new();
    let mut in_word = false;
    let flush = |out: &mut String, tones: &mut Vec<char>| {
        tones.sort_unstable();
        out.extend(tones.drain(..));
    };
    for c in decomposed {
        if c.is_alphanumeric() {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            in_word = true;
            out.extend(c.to_lowercase());
        } else if is_combining_mark(c) {
            if is_tone_mark(c) {
                tones.push(c);
            } else {
                out.push(c);
            }
        } else if in_word {
            flush(&mut out, &mut tones);
            in_word = false;
        }
    }
    flush(&mut out, &mut tones);
    out
}

/// A text folded with [`fold`]'s rules (runs of non-word characters become one space, kept at
/// the ends) with a map from folded byte offsets back to the original's.
#[derive(Debug)]
pub(crate) struct FoldedText {
    /// The folded text.
    pub folded: String,
    /// `map[i]`: byte offset in the original text of folded byte `i`'s token start; for the
    /// offset just past a token, the original offset just past it. Length `folded.len() + 1`.
    map: OffsetMap,
}

/// The map of a [`FoldedText`]: a `u32` per folded byte for a text under
/// [`OffsetMap::COMPACT_FROM`] bytes (the fastest to build; an article's is a few kilobytes),
/// a [`CompactMap`] for a longer one (a 66 MB document's: 75 MB instead of 264 as `u32`s).
#[derive(Debug, Clone, PartialEq)]
enum OffsetMap {
    Plain(Vec<u32>),
    Compact(CompactMap),
}

impl OffsetMap {
    /// Texts this long or longer get a [`CompactMap`].
    const COMPACT_FROM: usize = 1 << 20;

    fn get(&self, i: usize) -> usize {
        match self {
            OffsetMap::Plain(m) => m[i] as usize,
            OffsetMap::Compact(m) => m.get(i),
        }
    }

    /// Every offset.
    #[cfg(test)]
    fn to_vec(&self) -> Vec<usize> {
        match self {
            OffsetMap::Plain(m) => m.iter().map(|&o| o as usize).collect(),
            OffsetMap::Compact(m) => m.to_vec(),
        }
    }
}

/// Where [`FoldedText::build_with`] puts the offsets, in order (they never decrease).
trait MapSink {
    fn push(&mut self, offset: usize);
    fn push_n(&mut self, offset: usize, n: usize);
}

impl MapSink for Vec<u32> {
    fn push(&mut self, offset: usize) {
        debug_assert!(
            u32::try_from(offset).is_ok(),
            "a plain map's text is under OffsetMap::COMPACT_FROM"
        );
        Vec::push(self, offset as u32);
    }

    fn push_n(&mut self, offset: usize, n: usize) {
        self.extend(std::iter::repeat_n(offset as u32, n));
    }
}

/// Offsets that never decrease, in about 1.1 bytes each: within a block of
/// [`CompactMap::BLOCK`] they seldom spread over more than 255 bytes of the original, so a
/// block is its first offset and a byte for each. A block whose offsets spread further (a long
/// run of dots or spaces folds to one byte) keeps them whole (8 bytes each), which at most one
/// block in 256 bytes of the original can need: text made of dotted leaders takes about 2
/// bytes a byte of the original, and up to about 4 while `whole` grows.
#[derive(Debug, Clone, PartialEq, Default)]
struct CompactMap {
    /// The first offset of each block.
    bases: Vec<usize>,
    /// Each offset less its block's base; 0 in a block kept whole.
    deltas: Vec<u8>,
    /// The blocks kept whole, in order: their index and where their offsets start in `whole`.
    wide: Vec<(usize, usize)>,
    /// The offsets of the blocks kept whole, [`CompactMap::BLOCK`] for each but maybe the last.
    whole: Vec<usize>,
    /// The base of the last block, and whether it is kept whole.
    base: usize,
    whole_block: bool,
}

impl CompactMap {
    /// Offsets per block.
    const BLOCK: usize = 64;

    /// A map with room for `n` offsets.
    fn with_capacity(n: usize) -> CompactMap {
        CompactMap {
            bases: Vec::with_capacity(n / Self::BLOCK + 1),
            deltas: Vec::with_capacity(n),
            ..CompactMap::default()
        }
    }

    /// `offset` in a block that is or becomes whole: the block's offsets so far are copied out
    /// the first time.
    #[cold]
    fn push_whole(&mut self, offset: usize) {
        let i = self.deltas.len();
        if !self.whole_block {
            self.whole_block = true;
            let block = i / Self::BLOCK;
            self.wide.push((block, self.whole.len()));
            for k in block * Self::BLOCK..i {
                self.whole.push(self.base + usize::from(self.deltas[k]));
                self.deltas[k] = 0;
            }
        }
        self.whole.push(offset);
        self.deltas.push(0);
    }

    fn get(&self, i: usize) -> usize {
        let block = i / Self::BLOCK;
        if !self.wide.is_empty()
            && let Ok(w) = self.wide.binary_search_by_key(&block, |&(b, _)| b)
        {
            return self.whole[self.wide[w].1 + i % Self::BLOCK];
        }
        self.bases[block] + usize::from(self.deltas[i])
    }

    /// Every offset.
    #[cfg(test)]
    fn to_vec(&self) -> Vec<usize> {
        (0..self.deltas.len()).map(|i| self.get(i)).collect()
    }
}

impl MapSink for CompactMap {
    fn push(&mut self, offset: usize) {
        if self.deltas.len().is_multiple_of(Self::BLOCK) {
            self.base = offset;
            self.whole_block = false;
            self.bases.push(offset);
            self.deltas.push(0);
            return;
        }
        debug_assert!(offset >= self.base, "offsets never decrease");
        match offset - self.base {
            delta if delta <= usize::from(u8::MAX) && !self.whole_block => {
                self.deltas.push(delta as u8);
            }
            _ => self.push_whole(offset),
        }
    }

    fn push_n(&mut self, offset: usize, n: usize) {
        // Within the last block, and as a delta, the offsets go in at once.
        let room = Self::BLOCK - self.deltas.len() % Self::BLOCK;
        match offset.checked_sub(self.base) {
            Some(delta)
                if n <= room
                    && delta <= usize::from(u8::MAX)
                    && !self.whole_block
                    && !self.deltas.len().is_multiple_of(Self::BLOCK) =>
            {
                self.deltas.resize(self.deltas.len() + n, delta as u8);
            }
            _ => {
                for _ in 0..n {
                    self.push(offset);
                }
            }
        }
    }
}

impl FoldedText {
    pub fn new(text: &str) -> FoldedText {
        Self::build(text, None)
    }

    /// [`FoldedText::new`] of `text` and its [`fold_case`], in one walk over its characters:
    /// the linker needs both for every document, and each non-ASCII character is then decoded
    /// once for the two.
    pub(crate) fn with_case_folded(text: &str) -> (FoldedText, String) {
        // As `fold_case`: ASCII in one vectorised pass, then the non-ASCII characters that change
        // rewritten in place, at the same length.
        let mut lower = text.to_ascii_lowercase();
        let folded = Self::build(text, Some(&mut lower));
        (folded, lower)
    }

    /// [`FoldedText::new`], lower-casing the non-ASCII characters of `lower` (`text` with its
    /// ASCII already lower-cased) on the way when given.
    fn build(text: &str, lower: Option<&mut String>) -> FoldedText {
        if text.len() < OffsetMap::COMPACT_FROM {
            let (folded, map) = Self::build_with(text, lower, Vec::with_capacity(text.len() + 1));
            FoldedText {
                folded,
                map: OffsetMap::Plain(map),
            }
        } else {
            let map = CompactMap::with_capacity(text.len() + 1);
            let (folded, map) = Self::build_with(text, lower, map);
            FoldedText {
                folded,
                map: OffsetMap::Compact(map),
            }
        }
    }

    /// [`FoldedText::build`], the offsets into `map`.
    fn build_with<M: MapSink>(
        text: &str,
        mut lower: Option<&mut String>,
        mut map: M,
    ) -> (String, M) {
        let table = CharFold::table();
        let bytes = text.as_bytes();
        let mut folded: Vec<u8> = Vec::with_capacity(text.len() + 1);
        let mut other = String::new();
        // The token being read: its start and whether it is a word (letters, digits, marks);
        // `kind` is 0 before the first token, 1 in a run of non-word characters, 2 in a word.
        let mut start = 0;
        let mut kind = 0u8;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (c, fold) = if b < 0x80 {
                (char::from(b), CharFold::ASCII[usize::from(b & 0x7F)])
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                let fold = match table.get(c as usize) {
                    Some(&f) => f,
                    None => CharFold::compute(c),
                };
                if let Some(lower) = lower.as_deref_mut() {
                    lower_in_place(lower, i, c);
                }
                (c, fold)
            };
            let word = if matches!(fold, CharFold::Space) {
                1
            } else {
                2
            };
            if word != kind {
                kind = word;
                start = i;
                if word == 1 {
                    folded.push(b' ');
                    map.push(i);
                }
            }
            // Every byte of a folded word maps to the word's start; the offset just past it is
            // the next token's start, which is this word's original end.
            match fold {
                CharFold::Space | CharFold::Mark => {}
                CharFold::Ascii(b) => {
                    folded.push(b);
                    map.push(start);
                    // The rest of the word's run of ASCII letters and digits, without the
                    // dispatch above: most bytes of a text are such runs. (Copied in bulk, a
                    // run took more time: runs of Vietnamese words are a few bytes long.)
                    i += c.len_utf8();
                    while let Some(&CharFold::Ascii(b)) = bytes
                        .get(i)
                        .and_then(|&b| CharFold::ASCII.get(usize::from(b)))
                    {
                        folded.push(b);
                        map.push(start);
                        i += 1;
                    }
                    continue;
                }
                CharFold::Other => {
                    other.clear();
                    push_folded_word_char(&mut other, c);
                    folded.extend_from_slice(other.as_bytes());
                    map.push_n(start, other.len());
                }
            }
            i += c.len_utf8();
        }
        map.push(text.len());
        let folded = String::from_utf8(folded)
            .expect("folded text is ASCII bytes and whole folded characters: valid UTF-8");
        (folded, map)
    }

    /// The original byte span of folded `[start, end)`, both token boundaries.
    pub fn original(&self, start: usize, end: usize) -> Span {
        Span::new(self.map.get(start), self.map.get(end))
    }

    /// Whether folded `[start, end)` is whole words: nothing alphanumeric touches it.
    pub fn whole_words(&self, start: usize, end: usize) -> bool {
        let before = self.folded[..start].chars().next_back();
        let after = self.folded[end..].chars().next();
        !before.is_some_and(is_alphanumeric) && !after.is_some_and(is_alphanumeric)
    }
}

/// What a text pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Place(usize),
    Blocker,
}

/// One spelling behind a folded pattern.
#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    /// [`tone_key`] of the spelling.
    tone_key: String,
    /// The spelling lower-cased ([`fold_case`]): text written so has the same tone key.
    lower: String,
    /// For each word: whether it is capitalised in the spelling (then the text must be too).
    capitalised: Vec<bool>,
    /// The spelling is all capitals ("HCM", "BR-VT").
    all_caps: bool,
}

impl Entry {
    fn new(spelling: &str, target: Target) -> Entry {
        let capitalised = words(spelling)
            .map(|w| w.chars().next().is_some_and(char::is_uppercase))
            .collect();
        let all_caps = spelling
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        Entry {
            target,
            tone_key: tone_key(spelling),
            lower: fold_case(spelling),
            capitalised,
            all_caps,
        }
    }

    /// Whether the text as written is this spelling: same letters and marks (any tone
    /// placement and case) or no diacritics at all, and capitalised where the spelling is.
    fn accepts(&self, written: &str) -> bool {
        let plain = written.chars().all(|c| c.is_ascii() || !is_alphabetic(c));
        if !plain && !eq_fold_case(written, &self.lower) && tone_key(written) != self.tone_key {
            return false;
        }
        let mut ws = words(written);
        for &cap in &self.capitalised {
            let Some(w) = ws.next() else { return false };
            let first = w.chars().next();
            if cap && !first.is_some_and(|c| c.is_uppercase() || c.is_numeric()) {
                return false;
            }
        }
        ws.next().is_none()
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(is_alphanumeric(c) || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
}

/// One automaton over the folded spellings of every name and blocker.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextMatcher {
    automaton: Option<DFA>,
    /// The automaton's patterns: folded spellings.
    keys: Vec<String>,
    entries: Vec<Vec<Entry>>,
}

impl TextMatcher {
    fn new(spellings: Vec<(String, Target)>) -> TextMatcher {
        let mut keys: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        for (spelling, target) in spellings {
            let key = fold(&spelling);
            if key.is_empty() {
                continue;
            }
            let at = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                entries.push(Vec::new());
                entries.len() - 1
            });
            entries[at].push(Entry::new(&spelling, target));
        }
        // Standard semantics so every overlapping candidate is seen; the caller picks the
        // leftmost-longest among those that pass the spelling checks.
        // Built once, searched in every document.
        let automaton = build_dfa(&keys, MatchKind::Standard).ok();
        TextMatcher {
            automaton,
            keys,
            entries,
        }
    }

    /// Every occurrence of a folded pattern in `text`, overlapping, in text order.
    fn matches<'a>(&'a self, text: &'a FoldedText) -> impl Iterator<Item = Found> + 'a {
        self.automaton
            .iter()
            .flat_map(move |dfa| overlapping_found(dfa, text.folded.as_bytes()))
    }

    /// The whole-word ones among `matches` (occurrences of the patterns, [`TextMatcher::keys`]):
    /// their original spans and spellings.
    fn candidates<'a>(
        &'a self,
        text: &'a FoldedText,
        matches: impl IntoIterator<Item = Found> + 'a,
    ) -> impl Iterator<Item = (Span, &'a [Entry])> + 'a {
        matches
            .into_iter()
            .filter(move |&(start, end, _)| text.whole_words(start, end))
            .filter_map(move |(start, end, pattern)| {
                let entries = self.entries.get(pattern)?;
                Some((text.original(start, end), entries.as_slice()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let g = Gazetteer::builtin();
        assert!(g.places().len() > 90, "{}", g.places().len());
    }

    #[test]
    fn a_unit_prefix_is_taken_off_the_words_before_a_name() {
        let g = Gazetteer::builtin();
        assert_eq!(
            g.without_trailing_prefix("sản lượng của tỉnh "),
            "sản lượng của"
        );
        assert_eq!(g.without_trailing_prefix("chỉ sau thành phố"), "chỉ sau");
        assert_eq!(g.without_trailing_prefix("dự án  tại  TP. "), "dự án  tại");
        assert_eq!(g.without_trailing_prefix("trên địa bàn"), "trên địa bàn");
        assert_eq!(g.without_trailing_prefix("tỉnh"), "");
        assert_eq!(g.without_trailing_prefix(""), "");
    }

    #[test]
    fn fold_normalises_names() {
        assert_eq!(fold("Thừa Thiên – Huế"), "thua thien hue");
        assert_eq!(fold("  TP.HCM "), "tp hcm");
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(fold("Khánh Hoà"), fold("Khánh Hòa"));
        assert_eq!(decode_r_escapes("B<U+1EAF>c Ninh"), "Bắc Ninh");
        assert_eq!(decode_r_escapes("x<U+zz>y"), "x<U+zz>y");
        assert!(lost_matches("b\u{FFFD}nh duong", "binh duong"));
        assert!(lost_matches("\u{FFFD}\u{FFFD} nang", "da nang"));
        assert!(!lost_matches("b\u{FFFD}nh duong", "binh dinh"));
    }

    /// The previous [`tone_key`]: the whole text through NFD. The oracle of the table path.
    fn tone_key_nfd(s: &str) -> String {
        tone_key_of(s.nfd(), s.len() + 4)
    }

    #[test]
    fn tone_key_of_each_character_matches_nfd() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            // Without a mark in the text (the table path when `c` is in the table), and with one.
            for s in [format!("Ha{c}b {c}"), format!("a{c}\u{301}b {c}")] {
                assert_eq!(tone_key(&s), tone_key_nfd(&s), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn tone_key_matches_nfd(text in "[a-zA-Z0-9 ,.\\-À-ỹ\u{300}-\u{36f}\u{a0}ĐđİẞΣǄ\u{344}\u{f73}가\u{1F600}]{0,30}") {
            proptest::prop_assert_eq!(tone_key(&text), tone_key_nfd(&text));
        }

        /// Texts of the table's characters only (names as written): the table path.
        #[test]
        fn tone_key_of_table_characters_matches_nfd(text in "[a-zA-Z0-9 ,.\\-À-ɏḀ-ỹ]{0,30}") {
            proptest::prop_assert_eq!(tone_key(&text), tone_key_nfd(&text));
        }
    }

    #[test]
    fn tone_key_ignores_placement_not_letters() {
        assert_eq!(tone_key("Hoà Bình"), tone_key("HÒA BÌNH"));
        assert_eq!(tone_key("thuỷ sản"), tone_key("thủy sản"));
        assert_ne!(tone_key("Huế"), tone_key("Huệ"));
        assert_ne!(tone_key("Nam"), tone_key("Năm"));
    }

    /// The rules of [`FoldedText`] written plainly (decompose each word, drop the marks): the
    /// table-driven version must give the same text and map.
    fn folded_text_reference(text: &str) -> (String, Vec<usize>) {
        let (mut folded, mut map) = (String::new(), Vec::new());
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let word = c.is_alphanumeric() || is_combining_mark(c);
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if (d.is_alphanumeric() || is_combining_mark(d)) != word {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let mut buf = String::new();
            if word {
                for d in text[start..end].nfd().filter(|d| !is_combining_mark(*d)) {
                    push_folded_char(&mut buf, d);
                }
            } else {
                buf.push(' ');
            }
            map.extend(std::iter::repeat_n(start, buf.len()));
            folded.push_str(&buf);
        }
        map.push(text.len());
        (folded, map)
    }

    proptest::proptest! {
        #[test]
        fn folded_text_matches_its_reference(text in "[a-zA-Z0-9 ,.%À-ỹ\u{300}-\u{36f}\u{a0}İẞΣσ가-각\u{1F600}-]{0,40}") {
            let fast = FoldedText::new(&text);
            let (folded, map) = folded_text_reference(&text);
            proptest::prop_assert_eq!(&fast.folded, &folded);
            proptest::prop_assert_eq!(&fast.map.to_vec(), &map);
            // A long text's map is compact, and gives the same offsets.
            let (compact_folded, compact) =
                FoldedText::build_with(&text, None, CompactMap::with_capacity(0));
            proptest::prop_assert_eq!(&compact_folded, &folded);
            proptest::prop_assert_eq!(&compact.to_vec(), &map);
        }
    }

    proptest::proptest! {
        /// The compact map gives back every offset pushed, whatever their gaps: blocks whose
        /// offsets spread past a byte are kept whole, from their first offset.
        #[test]
        fn offset_map_gives_back_every_offset(
            start in 0usize..1 << 40,
            gaps in proptest::collection::vec(
                (
                    proptest::prop_oneof![8 => 0usize..4, 2 => 0usize..300, 1 => 0usize..1 << 33],
                    proptest::prop_oneof![8 => 1usize..2, 2 => 0usize..20, 1 => 0usize..600],
                ),
                0..700,
            ),
        ) {
            let mut map = CompactMap::with_capacity(0);
            let mut offsets = Vec::with_capacity(gaps.len());
            let mut at = start;
            for (gap, times) in gaps {
                at += gap;
                if times == 1 {
                    map.push(at);
                } else {
                    map.push_n(at, times);
                }
                offsets.extend(std::iter::repeat_n(at, times));
            }
            proptest::prop_assert_eq!(map.to_vec(), offsets);
        }
    }

    /// A long run of what folds to one space (a table's dotted leaders) spreads a block's
    /// offsets past a byte: the map still points back into the text.
    #[test]
    fn long_runs_that_fold_to_a_space_map_back() {
        let text = format!(
            "{}Thu ngân sách{}đạt 5.125 tỷ đồng{}Hà Nội",
            "Lào Cai ".repeat(9),
            ".".repeat(300),
            " -".repeat(5000)
        );
        let (folded, map) = folded_text_reference(&text);
        let (fast_folded, compact) =
            FoldedText::build_with(&text, None, CompactMap::with_capacity(0));
        assert_eq!(fast_folded, folded);
        assert_eq!(compact.to_vec(), map);
        assert!(!compact.wide.is_empty(), "some block is kept whole");
        // Past the length where maps are compact, the text's map is one.
        let long = text.repeat(OffsetMap::COMPACT_FROM / text.len() + 1);
        let fast = FoldedText::new(&long);
        assert!(matches!(fast.map, OffsetMap::Compact(_)));
        assert_eq!(fast.map.to_vec(), folded_text_reference(&long).1);
        let at = fast.folded.rfind("ha noi").expect("folded");
        let span = fast.original(at, at + "ha noi".len());
        assert_eq!(&long[span.start..span.end], "Hà Nội");
    }

    proptest::proptest! {
        #[test]
        fn case_folded_with_folded_text_is_both(text in "[a-zA-Z0-9 ,.%À-ỹ\u{300}-\u{36f}\u{a0}İẞΣσǄ가-각\u{10400}\u{1F600}-]{0,40}") {
            let (words, lower) = FoldedText::with_case_folded(&text);
            let alone = FoldedText::new(&text);
            proptest::prop_assert_eq!(&words.folded, &alone.folded);
            proptest::prop_assert_eq!(&words.map, &alone.map);
            proptest::prop_assert_eq!(lower, fold_case(&text));
        }
    }

    #[test]
    fn folded_text_maps_back_to_bytes() {
        let text = "Ở  Đắk Lắk, “Huế”.";
        let f = FoldedText::new(text);
        assert_eq!(f.folded, "o dak lak hue ");
        let at = f.folded.find("dak lak").unwrap_or(0);
        let span = f.original(at, at + "dak lak".len());
        assert_eq!(&text[span.start..span.end], "Đắk Lắk");
        let at = f.folded.find("hue").unwrap_or(0);
        let span = f.original(at, at + 3);
        assert_eq!(&text[span.start..span.end], "Huế");
    }
}
