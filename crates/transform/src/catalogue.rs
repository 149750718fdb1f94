//! The indicator catalogue: every indicator chiso can produce, with its labels, units, the
//! measures a value of it may have, and the Vietnamese phrases ("cues") that name it.
//!
//! The data is `data/catalogue.toml`, embedded at build time; a pipeline adds indicators or
//! cues with [`Catalogue::extend_from_str`]:
//!
//! ```toml
//! version = 1
//! [[indicator]]
//! id = "gdp_growth"
//! label_vi = "Tốc độ tăng trưởng kinh tế (GRDP/GDP)"
//! label_en = "Economic growth rate (GRDP/GDP)"
//! unit = "percent"              # default unit (chiso_model::Unit spelling)
//! units = ["percent"]           # units a value may have
//! measures = ["level", "change", "rank"]
//! growth = true                 # optional: the level is itself a growth rate
//! # index = true                # optional: "tăng X%" of this index is a change (IIP, CPI)
//! # change_as = "gdp_growth"    # optional: a change of this is stated as another's level
//! # counted_nouns = ["chỉ tiêu"] # optional: counts must count one of these nouns
//! # share_as = "poverty_rate"    # optional: "… hộ nghèo, chiếm tỷ lệ 3,14%" is that indicator
//! # remaining_as = "poverty_rate" # optional: "giảm 1,2 điểm phần trăm, còn 2,5%" is that indicator
//! # part_of = "gdp_growth"     # optional: a part of that indicator ("trong đó khu vực dịch vụ …")
//! # sub_groups = { "đô thị" = "urban_clean_water_rate" } # optional: a value of this one for
//! #                             # that sub-group (linking.toml's `breakdown`) is that indicator
//! cues = ["tăng trưởng kinh tế", "tăng trưởng grdp"]
//!
//! [[cues]]                      # more cues for an indicator defined earlier
//! indicator = "cpi"
//! cues = ["lạm phát"]
//! ```
//!
//! and phrases that name a subject outside the catalogue, written before the `[[indicator]]`
//! tables (`outside = ["tăng trưởng tín dụng", "lạm phát cơ bản"]`): where one is the longest
//! match it hides the shorter cues inside it ("tăng trưởng" of `gdp_growth`), and the values it
//! names take no indicator.
//!
//! [`Catalogue::find_cues`] finds every cue in a text: case-insensitive (Vietnamese capitals
//! too), any tone-mark placement ("hoá"/"hóa"), hyphens, commas and spaces alike, whole words,
//! leftmost-longest, with byte spans into the text.
//!
//! ```
//! use chiso_transform::catalogue::Catalogue;
//! let c = Catalogue::builtin();
//! let text = "Tỷ lệ hộ nghèo giảm còn 2,1%; số hộ nghèo còn 1.200 hộ.";
//! let ids: Vec<&str> = c.find_cues(text).iter().map(|m| c.indicator_of(m).id.as_str()).collect();
//! assert_eq!(ids, ["poverty_reduction", "poor_households"]);
//! ```

use std::collections::HashMap;

use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;
use chiso_model::{Measure, Span, Unit};
use serde::Deserialize;

use crate::gazetteer::{Error, FoldedText, Result, fold, line_of, tone_key};
use crate::lexicon::{Found, build_dfa, fold_case, is_alphabetic, overlapping_found};

const CATALOGUE_TOML: &str = include_str!("../data/catalogue.toml");

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Stable id, e.g. `gdp_growth`.
    pub id: String,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Default unit.
    pub unit: Unit,
    /// Units a value of this indicator may have (contains `unit`).
    pub units: Vec<Unit>,
    /// Measures a value may have (level, change, plan share, rank).
    pub measures: Vec<Measure>,
    /// Whether the level is itself a growth rate ("GRDP tăng 7,39%" is the level of
    /// `gdp_growth`, not a change of it).
    pub growth: bool,
    /// Whether the indicator is an index whose "tăng X%" is a change against a base
    /// ("Chỉ số sản xuất công nghiệp ước tăng 7,5%"), not its level (which would be 107,5%).
    pub index: bool,
    /// The indicator whose level a percent change of this one is ("GRDP đạt 53.500 tỷ đồng,
    /// tăng 6%" states `gdp_growth` 6%, not a change of `gdp_value`).
    pub change_as: Option<String>,
    /// For count indicators: the counted nouns a count must have ("24/25 chỉ tiêu").
    pub counted_nouns: Vec<String>,
    /// The indicator a share introduced by "chiếm (tỷ lệ)" is the level of ("9.604 hộ nghèo,
    /// chiếm tỷ lệ 3,14%" states `poverty_rate`).
    pub share_as: Option<String>,
    /// The indicator whose level "còn X%" after a fall of this one is ("Tỷ lệ hộ nghèo giảm 1,2
    /// điểm phần trăm, còn 2,5%" states `poverty_rate` 2,5%).
    pub remaining_as: Option<String>,
    /// The indicator this one is a part of (a sector's growth of the economy's): listed after
    /// "trong đó", it shares that statement's kind.
    pub part_of: Option<String>,
    /// Sub-groups (linking.toml's `breakdown` words, lower-case) and the indicator a value of
    /// each is, this one or another: "tỷ lệ dân cư nông thôn sử dụng nước sạch đạt 60%, đô thị
    /// đạt 98%" states `urban_clean_water_rate` 98 %. A value of any other sub-group is no value
    /// of this one.
    pub sub_groups: Vec<(String, String)>,
    /// Lower-case NFC phrases that name the indicator.
    pub cues: Vec<String>,
}

/// [`CueMatch::indicator`] of a phrase that names a subject outside the catalogue.
pub const OUTSIDE: usize = usize::MAX;

/// A cue found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueMatch {
    /// Index of the indicator in [`Catalogue::indicators`]; [`OUTSIDE`] for a phrase that
    /// names a subject outside the catalogue (never returned by [`Catalogue::find_cues`]).
    pub indicator: usize,
    /// Byte offsets into the text.
    pub span: Span,
    /// The catalogue's cue (lower-case), not the text as written.
    pub cue: String,
}

/// The catalogue: indicators and one automaton over all their cues.
#[derive(Debug, Clone)]
pub struct Catalogue {
    indicators: Vec<Indicator>,
    by_id: HashMap<String, usize>,
    /// Built when first searched ([`Catalogue::find_cues`]): a run's linker searches the cues
    /// and the places in one automaton of its own, so this one is only for lone searches.
    automaton: std::sync::OnceLock<Option<DFA>>,
    /// The automaton's patterns: the folded cues.
    keys: Vec<String>,
    /// Per automaton pattern: the cues (indicator, cue, tone key) that fold to it.
    entries: Vec<Vec<(usize, String, String)>>,
    /// Folded cue to its slot in `entries`: the cues joined to another by "và".
    slots: HashMap<String, usize>,
    /// Phrases that name subjects outside the catalogue.
    outside: Vec<String>,
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::builtin()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    version: u32,
    #[serde(default)]
    indicator: Vec<toml::Spanned<RawIndicator>>,
    #[serde(default)]
    cues: Vec<toml::Spanned<RawCues>>,
    #[serde(default)]
    outside: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    label_vi: String,
    label_en: String,
    unit: String,
    #[serde(default)]
    units: Vec<String>,
    measures: Vec<String>,
    #[serde(default)]
    growth: bool,
    #[serde(default)]
    index: bool,
    #[serde(default)]
    change_as: Option<String>,
    #[serde(default)]
    counted_nouns: Vec<String>,
    #[serde(default)]
    share_as: Option<String>,
    #[serde(default)]
    remaining_as: Option<String>,
    #[serde(default)]
    part_of: Option<String>,
    #[serde(default)]
    sub_groups: std::collections::BTreeMap<String, String>,
    cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    indicator: String,
    cues: Vec<String>,
}

impl Catalogue {
    /// The catalogue from the embedded `data/catalogue.toml`.
    pub fn builtin() -> Catalogue {
        let mut c = Catalogue::empty();
        c.extend_from_str(CATALOGUE_TOML, "data/catalogue.toml")
            .expect("embedded catalogue parses: tested by builtin_parses");
        c
    }

    /// A catalogue with no indicators.
    pub fn empty() -> Catalogue {
        Catalogue {
            indicators: Vec::new(),
            by_id: HashMap::new(),
            automaton: std::sync::OnceLock::new(),
            keys: Vec::new(),
            entries: Vec::new(),
            slots: HashMap::new(),
            outside: Vec::new(),
        }
    }

    /// Adds indicators (`[[indicator]]`) and cues for known indicators (`[[cues]]`) from a TOML
    /// text. Unknown keys, unknown unit or measure spellings, duplicate ids, empty or
    /// non-lower-case cues, and a cue already used by another indicator are errors naming
    /// `origin`, the line and the key. On error the catalogue is unchanged.
    pub fn extend_from_str(&mut self, toml_text: &str, origin: &str) -> Result<()> {
        let raw: RawCatalogue =
            toml::from_str(toml_text).map_err(|e| Error::toml(origin, toml_text, &e))?;
        if raw.version != 1 {
            return Err(Error::data(
                origin,
                1,
                format!("version: expected 1, got {}", raw.version),
            ));
        }
        let mut next = self.clone();
        for spanned in raw.indicator {
            let line = line_of(toml_text, spanned.span().start);
            let r = spanned.into_inner();
            let err = |key: &str, msg: String| {
                Error::data(origin, line, format!("indicator {:?}: {key}: {msg}", r.id))
            };
            if r.id.trim().is_empty() {
                return Err(err("id", "empty".into()));
            }
            if next.by_id.contains_key(&r.id) {
                return Err(err("id", "duplicate id".into()));
            }
            let unit: Unit = r
                .unit
                .parse()
                .map_err(|e: chiso_model::Error| err("unit", e.to_string()))?;
            let mut units = Vec::new();
            for u in &r.units {
                units.push(u.parse::<Unit>().map_err(|e| err("units", e.to_string()))?);
            }
            if !units.contains(&unit) {
                units.insert(0, unit);
            }
            let mut measures = Vec::new();
            for m in &r.measures {
                measures.push(
                    m.parse::<Measure>()
                        .map_err(|e| err("measures", e.to_string()))?,
                );
            }
            if measures.is_empty() {
                return Err(err("measures", "empty".into()));
            }
            if r.cues.is_empty() {
                return Err(err("cues", "empty".into()));
            }
            check_cues(&r.cues).map_err(|m| err("cues", m))?;
            let groups: Vec<String> = r.sub_groups.keys().cloned().collect();
            check_cues(&groups).map_err(|m| err("sub_groups", m))?;
            // (A group the linker never reads would be silently ignored.)
            if let Some(g) = groups
                .iter()
                .find(|g| !crate::link::is_sub_group(&crate::lexicon::fold_case(g)))
            {
                return Err(err(
                    "sub_groups",
                    format!("{g:?} is not one of linking.toml's `breakdown` words"),
                ));
            }
            next.by_id.insert(r.id.clone(), next.indicators.len());
            next.indicators.push(Indicator {
                id: r.id,
                label_vi: r.label_vi,
                label_en: r.label_en,
                unit,
                units,
                measures,
                growth: r.growth,
                index: r.index,
                change_as: r.change_as,
                counted_nouns: r.counted_nouns.iter().map(|n| n.to_lowercase()).collect(),
                share_as: r.share_as,
                remaining_as: r.remaining_as,
                part_of: r.part_of,
                sub_groups: r.sub_groups.into_iter().collect(),
                cues: dedup(r.cues),
            });
        }
        for ind in &next.indicators {
            let groups = ind
                .sub_groups
                .iter()
                .map(|(_, id)| ("sub_groups", Some(id)));
            for (key, target) in [
                ("change_as", ind.change_as.as_ref()),
                ("share_as", ind.share_as.as_ref()),
                ("remaining_as", ind.remaining_as.as_ref()),
                ("part_of", ind.part_of.as_ref()),
            ]
            .into_iter()
            .chain(groups)
            {
                if let Some(target) = target
                    && !next.by_id.contains_key(target)
                {
                    return Err(Error::data(
                        origin,
                        0,
                        format!(
                            "indicator {:?}: {key}: unknown indicator {target:?}",
                            ind.id
                        ),
                    ));
                }
            }
        }
        for spanned in raw.cues {
            let line = line_of(toml_text, spanned.span().start);
            let r = spanned.into_inner();
            let Some(&i) = next.by_id.get(&r.indicator) else {
                return Err(Error::data(
                    origin,
                    line,
                    format!("cues: indicator: unknown indicator {:?}", r.indicator),
                ));
            };
            check_cues(&r.cues).map_err(|m| {
                Error::data(
                    origin,
                    line,
                    format!("cues for {:?}: cues: {m}", r.indicator),
                )
            })?;
            let mut all = std::mem::take(&mut next.indicators[i].cues);
            all.extend(r.cues);
            next.indicators[i].cues = dedup(all);
        }
        check_cues(&raw.outside).map_err(|m| Error::data(origin, 0, format!("outside: {m}")))?;
        let mut outside = std::mem::take(&mut next.outside);
        // A subject kept outside before that the extension names (an indicator of rice exports
        // cued "xuất khẩu gạo") is the extension's: the phrases holding its cue ("kim ngạch xuất
        // khẩu gạo") leave the outside list.
        let added: Vec<String> = next
            .indicators
            .iter()
            .zip(&self.indicators)
            .flat_map(|(new, old)| new.cues.iter().filter(|c| !old.cues.contains(c)))
            .chain(
                next.indicators[self.indicators.len()..]
                    .iter()
                    .flat_map(|i| &i.cues),
            )
            .map(|c| format!(" {} ", tone_key(c)))
            .collect();
        outside.retain(|p| {
            let p = format!(" {} ", tone_key(p));
            !added.iter().any(|c| p.contains(c.as_str()))
        });
        outside.extend(raw.outside);
        next.outside = dedup(outside);
        next.rebuild(origin)?;
        *self = next;
        Ok(())
    }

    /// Builds the automaton; a folded cue shared by two indicators is an error.
    fn rebuild(&mut self, origin: &str) -> Result<()> {
        let mut keys: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Vec<(usize, String, String)>> = Vec::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            for cue in &ind.cues {
                let key = fold(cue);
                let at = *index.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    entries.push(Vec::new());
                    entries.len() - 1
                });
                let tk = tone_key(cue);
                if let Some((other, c, _)) =
                    entries[at].iter().find(|(j, _, t)| *j != i && *t == tk)
                {
                    return Err(Error::data(
                        origin,
                        0,
                        format!(
                            "cue {cue:?} of {:?} is also {c:?} of {:?}",
                            ind.id, self.indicators[*other].id
                        ),
                    ));
                }
                entries[at].push((i, cue.clone(), tk));
            }
        }
        for phrase in &self.outside {
            let key = fold(phrase);
            let at = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                entries.push(Vec::new());
                entries.len() - 1
            });
            let tk = tone_key(phrase);
            if let Some((other, c, _)) = entries[at]
                .iter()
                .find(|(j, _, t)| *j != OUTSIDE && *t == tk)
            {
                return Err(Error::data(
                    origin,
                    0,
                    format!(
                        "outside phrase {phrase:?} is also the cue {c:?} of {:?}",
                        self.indicators[*other].id
                    ),
                ));
            }
            entries[at].push((OUTSIDE, phrase.clone(), tk));
        }
        self.automaton = std::sync::OnceLock::new();
        self.keys = keys;
        self.entries = entries;
        self.slots = index;
        Ok(())
    }

    /// Every indicator, in catalogue order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// The indicator with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.by_id.get(id).map(|&i| &self.indicators[i])
    }

    /// The indicator a cue match names.
    ///
    /// # Panics
    /// If `m` comes from another catalogue with more indicators.
    pub fn indicator_of(&self, m: &CueMatch) -> &Indicator {
        &self.indicators[m.indicator]
    }

    /// The indicator a cue names; `None` for a phrase outside the catalogue.
    pub fn named(&self, m: &CueMatch) -> Option<&Indicator> {
        self.indicators.get(m.indicator)
    }

    /// Every cue in `text` (NFC), in text order: case-insensitive, any tone-mark placement,
    /// whole words, the longest cue at the leftmost position winning, no overlaps. A text
    /// written without diacritics ("ty le ho ngheo") matches too.
    pub fn find_cues(&self, text: &str) -> Vec<CueMatch> {
        let mut cues = self.find_cues_folded(text, &fold_case(text), &FoldedText::new(text));
        cues.retain(|c| c.indicator != OUTSIDE);
        cues
    }

    /// [`Catalogue::find_cues`] with `text` already folded: `lower` is it through [`fold_case`]
    /// (to compare with the cues as written), `folded` is it folded for the search.
    pub(crate) fn find_cues_folded(
        &self,
        text: &str,
        lower: &str,
        folded: &FoldedText,
    ) -> Vec<CueMatch> {
        let automaton = self.automaton.get_or_init(|| {
            build_dfa(&self.keys, MatchKind::Standard)
                .inspect_err(|e| tracing::error!("the catalogue's cue automaton: {e}"))
                .ok()
        });
        let Some(ac) = automaton else {
            return Vec::new();
        };
        self.cues_from(
            text,
            lower,
            folded,
            overlapping_found(ac, folded.folded.as_bytes()),
        )
    }

    /// The folded cues the automaton searches for, in pattern order.
    pub(crate) fn keys(&self) -> &[String] {
        &self.keys
    }

    /// [`Catalogue::find_cues_folded`] from the occurrences of [`Catalogue::keys`] in
    /// `folded` (every one, overlapping, in any order), found by the caller.
    pub(crate) fn cues_from(
        &self,
        text: &str,
        lower: &str,
        folded: &FoldedText,
        matches: impl IntoIterator<Item = Found>,
    ) -> Vec<CueMatch> {
        let mut found: Vec<(Span, usize, &str)> = Vec::new();
        for (start, end, pattern) in matches {
            if !folded.whole_words(start, end) {
                continue;
            }
            let Some(entries) = self.entries.get(pattern) else {
                continue;
            };
            let span = folded.original(start, end);
            let written = &text[span.start..span.end];
            // No cue spans lines: "3. Chỉ số giá tiêu dùng\nCPI tháng 3 …" is a heading, then a
            // sentence with its own cue (lines wrapped inside a sentence are joined before).
            if written.contains(crate::segment::is_line_break) {
                continue;
            }
            let plain = written.chars().all(|c| c.is_ascii() || !is_alphabetic(c));
            // Written as a cue is spelled (the usual case): its tone key is that cue's. Cues are
            // lower case, so that is the text through `fold_case` being the cue.
            let written_lower = &lower[span.start..span.end];
            let key = if plain {
                None
            } else if let Some((_, _, tk)) = entries.iter().find(|(_, cue, _)| written_lower == cue)
            {
                Some(std::borrow::Cow::Borrowed(tk.as_str()))
            } else {
                Some(std::borrow::Cow::Owned(tone_key(written)))
            };
            let hit = entries
                .iter()
                .find(|(_, _, tk)| key.as_deref().is_none_or(|k| k == tk));
            if let Some((i, cue, _)) = hit {
                found.push((span, *i, cue));
            }
        }
        found.sort_by_key(|(s, _, _)| (s.start, std::cmp::Reverse(s.end)));
        let mut out = Vec::new();
        let mut taken_to = 0;
        for (span, indicator, cue) in found {
            // A phrase outside the catalogue that starts inside a cue and goes on past it names
            // the subject instead: "tỷ lệ hộ sử dụng điện thoại" is no "tỷ lệ hộ sử dụng điện".
            let outside_past = span.start < taken_to
                && span.end > taken_to
                && indicator == OUTSIDE
                && out
                    .last()
                    .is_some_and(|c: &CueMatch| c.indicator != OUTSIDE);
            if outside_past {
                out.pop();
            }
            if span.start >= taken_to || outside_past {
                taken_to = span.end;
                out.push(CueMatch {
                    indicator,
                    span,
                    cue: cue.to_owned(),
                });
            }
        }
        let joined: Vec<CueMatch> = out
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let next = out.get(k + 1).map_or(text.len(), |n| n.span.start);
                self.joined_to(c, lower, next)
            })
            .collect();
        if !joined.is_empty() {
            out.extend(joined);
            out.sort_by_key(|c| c.span.start);
        }
        out
    }

    /// The cue that the words after "và" following cue `c` make with `c`'s first words, when
    /// they name another indicator: "kim ngạch xuất khẩu và nhập khẩu" names imports with
    /// "nhập khẩu" ("kim ngạch nhập khẩu"), "tỷ lệ hộ nghèo và cận nghèo" the near-poor rate.
    /// The words end before `next` (the next cue's start) and at a punctuation mark; `lower` is
    /// the text through [`fold_case`].
    fn joined_to(&self, c: &CueMatch, lower: &str, next: usize) -> Option<CueMatch> {
        if c.indicator == OUTSIDE {
            return None;
        }
        let from = c.span.end + lower[c.span.end..next].strip_prefix(" và ").map(|_| 5)?;
        // Up to three words of letters, in the same stretch.
        let mut ends = Vec::with_capacity(3);
        let mut at = from;
        for w in lower[from..next].split(' ').take(3) {
            let word = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() || !word.chars().all(char::is_alphanumeric) {
                break;
            }
            ends.push(at + word.len());
            if word.len() < w.len() {
                break;
            }
            at += w.len() + 1;
        }
        let head: Vec<&str> = c.cue.split(' ').collect();
        ends.iter().rev().find_map(|&end| {
            let tail = &lower[from..end];
            // The fewest words kept first: "kim ngạch" + "nhập khẩu" before "kim ngạch xuất" +
            // "nhập khẩu" (trade, not imports).
            (1..head.len()).find_map(|h| {
                let slot = *self
                    .slots
                    .get(&fold(&format!("{} {tail}", head[..h].join(" "))))?;
                let (i, cue, _) = self.entries[slot]
                    .iter()
                    .find(|(i, _, _)| *i != OUTSIDE && *i != c.indicator)?;
                Some(CueMatch {
                    indicator: *i,
                    span: Span::new(from, end),
                    cue: cue.clone(),
                })
            })
        })
    }
}

/// Cues must be non-empty, lower-case and NFC.
fn check_cues(cues: &[String]) -> std::result::Result<(), String> {
    for c in cues {
        if c.trim().is_empty() || fold(c).is_empty() {
            return Err("empty cue".into());
        }
        if !unicode_normalization::is_nfc(c) || c.chars().any(|ch| ch.to_lowercase().ne([ch])) {
            return Err(format!("cue {c:?} is not lower-case NFC"));
        }
    }
    Ok(())
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for s in v {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let c = Catalogue::builtin();
        assert!(c.indicators().len() >= 35);
        assert!(c.get("gdp_growth").is_some_and(|i| i.growth));
    }

    #[test]
    fn capitals_at_sentence_start_match() {
        let c = Catalogue::builtin();
        let text = "Tỷ lệ hộ nghèo còn 2,1%. TỶ LỆ CHE PHỦ RỪNG đạt 65%.";
        let m = c.find_cues(text);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(&text[m[0].span.start..m[0].span.end], "Tỷ lệ hộ nghèo");
        assert_eq!(c.indicator_of(&m[0]).id, "poverty_rate");
        assert_eq!(&text[m[1].span.start..m[1].span.end], "TỶ LỆ CHE PHỦ RỪNG");
        assert_eq!(c.indicator_of(&m[1]).id, "forest_cover");
    }
}
