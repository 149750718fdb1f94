//! From numbers to indicator statements.
//!
//! For each value the grammar found in a kept sentence, the linker decides:
//! - **indicator**: the nearest catalogue cue before it in the sentence (or "về <cue>" right
//!   after a rank), whose units fit the value;
//! - **measure**: rank for ranks; plan share for a percent followed by "kế hoạch", "dự toán";
//!   change for a percent of an amount or a value followed by "so với cùng kỳ"; else level;
//! - **kind**: estimate / target / forecast words earlier in the clause (`;`-delimited), else
//!   actual; a future period with no word is a target;
//! - **period**: the nearest period before it in the clause, else in the sentence, else after it
//!   in the sentence, else earlier in the paragraph, else "hiện nay" words (the publication
//!   year), else the title's period; bases of comparisons ("so với năm 2021") are skipped;
//! - **place**: a place right before it in its comma-delimited chunk, else a place opening the
//!   sentence, else the source's place, else the place the document is about;
//! - **one row per fact**: repeated sentences were merged by [`crate::segment`]; statements with
//!   the same indicator, place, period, measure, kind and values are merged here.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::{Arc, LazyLock, OnceLock};

use chiso_model::{
    Base, Comparator, Document, IndicatorRecord, Kind, Measure, Mention, MentionKind, Period,
    PeriodRef, Span, Unit,
};
use hashbrown::HashTable;
use serde::Deserialize;

use crate::catalogue::{Catalogue, Indicator};
use crate::gazetteer::{FoldedText, Gazetteer, PlaceKind};
use crate::lexicon::{JointSearch, Lexicon};
use crate::segment::{Segmented, segment_folded};
use chiso_model::fast_hash::FastHash;

/// Mentions of one sentence beyond this many are kept in the mentions but not linked: real
/// sentences hold a few dozen numbers, and linking looks back over a sentence's earlier values,
/// so a pathological "sentence" of 100 000 numbers would cost quadratic time.
pub const MAX_LINKED_MENTIONS_PER_SENTENCE: usize = 1000;

/// Statement keys a document's table has room for before it grows.
const RECORD_KEYS_RESERVED: usize = 4096;

/// The ids of the indicators a document's mentions were linked to, each made once and shared
/// by all its mentions (a handful per article, a few dozen in a long report).
#[derive(Default)]
struct LinkedIds(Vec<Arc<str>>);

impl LinkedIds {
    /// The shared id equal to `id`.
    fn get(&mut self, id: &str) -> Arc<str> {
        if let Some(shared) = self.0.iter().find(|s| s.as_ref() == id) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(id);
        self.0.push(Arc::clone(&shared));
        shared
    }
}

/// A sentence up to this many characters is quoted whole; a longer one (a flattened table, a
/// scraped page without full stops) is quoted as a window around the number, so quotes stay
/// readable and memory does not grow with the square of a sentence's numbers.
pub const MAX_QUOTE_CHARS: usize = 1000;
/// Characters kept on either side of the number in a windowed quote.
pub const QUOTE_WINDOW_CHARS: usize = 300;

/// How far after a rank (in bytes) the linker looks for the ranking group it is in.
const RANK_GROUP_WINDOW: usize = 120;
/// How far after a value (in bytes) measure words ("kế hoạch", "so với cùng kỳ") may start.
const MEASURE_WINDOW: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Estimate,
    Target,
    Forecast,
    TargetAttached,
    PlanShareAfter,
    ChangeAfter,
    Increase,
    Decrease,
    Share,
    Exceed,
    Remaining,
    Ratio,
    MovedBy,
    Subtotal,
    Parts,
    Respectively,
    GapAfter,
    GapBefore,
    OwnSubject,
    Cumulative,
    AsOf,
    PastTerm,
    Now,
    WholeYear,
    NotNow,
    AnnualAverage,
    RestOfTerm,
    YearToDate,
    Season,
    BaseBefore,
    TermBefore,
    AllProvinces,
    NotSubject,
    National,
    Provincial,
    District,
    City,
    ResultOf,
    /// A phrase that holds one of the other words and means something else (linking.toml's
    /// `not_kind`, `not_event`): it only hides them.
    Inert,
    LastYear,
    NextYear,
    PastYear,
    Uncarried,
    Compared,
    Recalled,
    /// Words of a list's intro that make its lines results, not goals (linking.toml's
    /// `results_intro`).
    ResultsIntro,
    Event,
    /// A standard whose period a period names (linking.toml's `standard`: "theo chuẩn nghèo
    /// giai đoạn 2022 - 2025").
    Standard,
    /// Words opening a sentence that go on with the previous one's subject (linking.toml's
    /// `continuing`).
    Continuing,
    /// Words naming a sub-group of what an indicator counts (linking.toml's `breakdown`).
    Breakdown,
}

impl Tag {
    /// The last tag: [`TagSet`] must have a bit for it.
    const LAST: Tag = Tag::Breakdown;
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkingFile {
    #[allow(dead_code)]
    version: u32,
    kind: KindWords,
    measure: MeasureWords,
    period: PeriodWords,
    rank: RankWords,
    place: PlaceWords,
    base: BaseWords,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceWords {
    not_subject_after: Vec<String>,
    national: Vec<String>,
    provincial: Vec<String>,
    district: Vec<String>,
    counted_places: Vec<String>,
    city: Vec<String>,
    municipal_nicknames: Vec<String>,
    former_marks: Vec<String>,
    new_marks: Vec<String>,
    unit_words: Vec<String>,
}

/// The words after "so với" that name a change's base ([`base_of`]), each list matched at the
/// start of those words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseWords {
    year_ago: Vec<String>,
    previous_period: Vec<String>,
    year_start: Vec<String>,
    same_period: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindWords {
    estimate: Vec<String>,
    target: Vec<String>,
    forecast: Vec<String>,
    target_attached: Vec<String>,
    target_after: Vec<String>,
    not_kind: Vec<String>,
    recalled_after: Vec<String>,
    results_intro: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureWords {
    plan_share_after: Vec<String>,
    change_after: Vec<String>,
    increase_before: Vec<String>,
    decrease_before: Vec<String>,
    share_before: Vec<String>,
    exceed_before: Vec<String>,
    remaining_before: Vec<String>,
    ratio_before: Vec<String>,
    moved_by_before: Vec<String>,
    average_between: Vec<String>,
    continuing: Vec<String>,
    continuing_words: Vec<String>,
    continuing_after: Vec<String>,
    subtotal: Vec<String>,
    subtotal_over_clause: Vec<String>,
    breakdown: Vec<String>,
    breakdown_opening: Vec<String>,
    breakdown_after: Vec<String>,
    breakdown_joining: Vec<String>,
    not_breakdown: Vec<String>,
    place_groups: Vec<String>,
    parts: Vec<String>,
    respectively: Vec<String>,
    verb_cues: Vec<String>,
    gap_after: Vec<String>,
    gap_before: Vec<String>,
    own_subject: Vec<String>,
    own_subject_after: Vec<String>,
    own_subject_not_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodWords {
    now: Vec<String>,
    whole_year: Vec<String>,
    not_now: Vec<String>,
    annual_average: Vec<String>,
    rest_of_term: Vec<String>,
    year_to_date: Vec<String>,
    season: Vec<String>,
    base_before: Vec<String>,
    cumulative_before: Vec<String>,
    as_of_before: Vec<String>,
    as_of_not_after: Vec<String>,
    past_term: Vec<String>,
    term_before: Vec<String>,
    last_year: Vec<String>,
    next_year: Vec<String>,
    past_year: Vec<String>,
    year_word_lead: Vec<String>,
    year_again: Vec<String>,
    set_apart: Vec<String>,
    same_period_opening: Vec<String>,
    uncarried_after: Vec<String>,
    compared_clause: Vec<String>,
    event: Vec<String>,
    event_lead: Vec<String>,
    not_event: Vec<String>,
    standard: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RankWords {
    all_provinces: Vec<String>,
    result_of: Vec<String>,
    ranks_on: Vec<String>,
}

/// The embedded `linking.toml`.
fn linking_file() -> &'static LinkingFile {
    static CELL: OnceLock<LinkingFile> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../data/linking.toml"))
            .expect("embedded linking.toml parses: tested by linking_data_parses")
    })
}

fn words() -> &'static Lexicon<Tag> {
    static CELL: OnceLock<Lexicon<Tag>> = OnceLock::new();
    CELL.get_or_init(|| {
        let f = linking_file();
        let lists: [(&Vec<String>, Tag); 41] = [
            (&f.kind.estimate, Tag::Estimate),
            (&f.kind.target, Tag::Target),
            (&f.kind.forecast, Tag::Forecast),
            (&f.kind.target_attached, Tag::TargetAttached),
            (&f.kind.not_kind, Tag::Inert),
            (&f.kind.recalled_after, Tag::Recalled),
            (&f.kind.results_intro, Tag::ResultsIntro),
            (&f.measure.plan_share_after, Tag::PlanShareAfter),
            (&f.measure.change_after, Tag::ChangeAfter),
            (&f.measure.increase_before, Tag::Increase),
            (&f.measure.decrease_before, Tag::Decrease),
            (&f.measure.share_before, Tag::Share),
            (&f.measure.exceed_before, Tag::Exceed),
            (&f.measure.remaining_before, Tag::Remaining),
            (&f.measure.ratio_before, Tag::Ratio),
            (&f.measure.moved_by_before, Tag::MovedBy),
            (&f.measure.subtotal, Tag::Subtotal),
            (&f.measure.parts, Tag::Parts),
            (&f.measure.respectively, Tag::Respectively),
            (&f.measure.gap_after, Tag::GapAfter),
            (&f.measure.gap_before, Tag::GapBefore),
            (&f.measure.own_subject, Tag::OwnSubject),
            (&f.measure.continuing, Tag::Continuing),
            (&f.period.cumulative_before, Tag::Cumulative),
            (&f.period.as_of_before, Tag::AsOf),
            (&f.period.past_term, Tag::PastTerm),
            (&f.period.now, Tag::Now),
            (&f.period.whole_year, Tag::WholeYear),
            (&f.period.not_now, Tag::NotNow),
            (&f.period.annual_average, Tag::AnnualAverage),
            (&f.period.rest_of_term, Tag::RestOfTerm),
            (&f.period.year_to_date, Tag::YearToDate),
            (&f.period.season, Tag::Season),
            (&f.period.base_before, Tag::BaseBefore),
            (&f.period.term_before, Tag::TermBefore),
            (&f.period.event, Tag::Event),
            (&f.period.not_event, Tag::Inert),
            (&f.rank.all_provinces, Tag::AllProvinces),
            (&f.rank.result_of, Tag::ResultOf),
            (&f.place.not_subject_after, Tag::NotSubject),
            (&f.place.national, Tag::National),
        ];
        Lexicon::new(
            lists
                .into_iter()
                .flat_map(|(l, t)| l.iter().map(move |p| (p.clone(), t))),
        )
    })
}

/// linking.toml's `breakdown` words, and the `not_breakdown` phrases that hide them, looked for
/// apart from [`words`] and only around a linked value ([`Linker::sub_group`]).
fn breakdown_words() -> &'static Lexicon<Tag> {
    static CELL: OnceLock<Lexicon<Tag>> = OnceLock::new();
    CELL.get_or_init(|| {
        let m = &linking_file().measure;
        lexicon_of(&[
            (&m.breakdown, Tag::Breakdown),
            (&m.not_breakdown, Tag::Inert),
        ])
    })
}

/// linking.toml's `[place] provincial` words ("tỉnh", "địa bàn"), looked for apart from
/// [`words`] and only where a place is in question: they are among the commonest words of a
/// text.
fn provincial_words() -> &'static Lexicon<Tag> {
    static CELL: OnceLock<Lexicon<Tag>> = OnceLock::new();
    CELL.get_or_init(|| {
        Lexicon::new(
            linking_file()
                .place
                .provincial
                .iter()
                .map(|w| (w.clone(), Tag::Provincial)),
        )
    })
}

/// linking.toml's `[place] district` words ("huyện", "thị xã"), searched once per sentence that
/// states a value ([`Carry::districts`]).
fn district_words() -> &'static Lexicon<Tag> {
    static CELL: OnceLock<Lexicon<Tag>> = OnceLock::new();
    CELL.get_or_init(|| {
        let place = &linking_file().place;
        Lexicon::new(
            place
                .district
                .iter()
                .map(|w| (w.clone(), Tag::District))
                .chain(place.city.iter().map(|w| (w.clone(), Tag::City))),
        )
    })
}

/// The cue before cue `c` when the two are subjects joined by "và" in `clause` (another
/// indicator's, no value right before it): "kim ngạch xuất khẩu và nhập khẩu".
fn joined_subjects<'c>(
    st: &DocState<'_>,
    cues: &'c [crate::catalogue::CueMatch],
    ms: &[Mention],
    c: &crate::catalogue::CueMatch,
    clause: Span,
) -> Option<&'c crate::catalogue::CueMatch> {
    let p = cues
        .iter()
        .rfind(|p| p.span.end <= c.span.start && p.span.start >= clause.start)?;
    (p.indicator != c.indicator
        && p.indicator != crate::catalogue::OUTSIDE
        && st.folded[p.span.end..c.span.start].trim() == "và"
        && !ms
            .iter()
            .take_while(|m| m.bytes.start < p.span.start)
            .any(|m| {
                // (Or holds it in its unit: "12 bác sĩ/vạn dân và tỷ lệ …".)
                m.kind.is_value()
                    && (m.bytes.end > p.span.start
                        || st.folded[m.bytes.end..p.span.start].trim().is_empty())
            }))
    .then_some(p)
}

/// The year a word of linking.toml's `last_year`, `next_year`, `past_year` or "năm nay" (hit
/// `h` of `folded`) names from the publication's: "năm ngoái" the year before it, "năm tới" the
/// year after, "năm qua" the year just ended in January to April and the publication's own in
/// November and December. `None` for other words, in other months for "năm qua", and before
/// "đó" or "nữa" ("năm trước đó" counts from another year, "năm trước nữa" two back).
fn year_named_from_publication(
    folded: &str,
    h: &crate::lexicon::Hit<'_, Tag>,
    published: chiso_model::PartialDate,
) -> Option<i32> {
    let y = published.year();
    let year = if h.tags.contains(&Tag::LastYear) {
        y - 1
    } else if h.tags.contains(&Tag::NextYear) {
        y + 1
    } else if h.tags.contains(&Tag::PastYear) {
        match published.month()? {
            1..=4 => y - 1,
            11 | 12 => y,
            _ => return None,
        }
    } else if h.tags.contains(&Tag::Now) && folded[h.start..h.end].starts_with("năm") {
        y
    } else {
        return None;
    };
    let next = folded[h.end..]
        .split_whitespace()
        .next()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    (!matches!(next, Some("đó" | "nữa"))).then_some(year)
}

/// A lexicon of some of linking.toml's lists, each phrase tagged with its list's tag: searched
/// apart from [`words`] where only these are in question, over fewer states.
fn lexicon_of(lists: &[(&Vec<String>, Tag)]) -> Lexicon<Tag> {
    Lexicon::new(
        lists
            .iter()
            .flat_map(|&(l, t)| l.iter().map(move |w| (w.clone(), t))),
    )
}

/// Small lexicons of some of linking.toml's lists, searched apart from [`words`] where only
/// they are in question (over fewer states, before each period mention).
struct SmallWords {
    /// `last_year`, `next_year`, `past_year` and `now` ("năm ngoái", "năm tới", "năm qua", "năm
    /// nay"; [`year_named_from_publication`] takes of `now` only what starts with "năm").
    years: Lexicon<Tag>,
    /// `event` (and `not_event`, which hides them) and `standard`, for [`names_event_time`].
    events: Lexicon<Tag>,
    /// The words that make a period's clause a comparing one: `uncarried_after`,
    /// `compared_clause`, `base_before`.
    compares: Lexicon<Tag>,
}

fn small_words() -> &'static SmallWords {
    static CELL: OnceLock<SmallWords> = OnceLock::new();
    CELL.get_or_init(|| {
        let p = &linking_file().period;
        SmallWords {
            years: lexicon_of(&[
                (&p.last_year, Tag::LastYear),
                (&p.next_year, Tag::NextYear),
                (&p.past_year, Tag::PastYear),
                (&p.now, Tag::Now),
            ]),
            events: lexicon_of(&[
                (&p.event, Tag::Event),
                (&p.not_event, Tag::Inert),
                (&p.standard, Tag::Standard),
            ]),
            compares: lexicon_of(&[
                (&p.uncarried_after, Tag::Uncarried),
                (&p.compared_clause, Tag::Compared),
                (&p.base_before, Tag::BaseBefore),
            ]),
        }
    })
}

/// The year a word of [`SmallWords::years`] at byte `from` of `folded` (after spaces at most) names
/// from the publication's ([`year_named_from_publication`]), and the word's bytes.
fn year_word_at(
    folded: &str,
    from: usize,
    published: chiso_model::PartialDate,
) -> Option<(i32, Span)> {
    let window = &folded[from..floor_char(folded, (from + 32).min(folded.len()))];
    let h = small_words().years.hits(window).next()?;
    if !window[..h.start].trim().is_empty() {
        return None;
    }
    let h = crate::lexicon::Hit {
        start: from + h.start,
        end: from + h.end,
        tags: h.tags,
    };
    year_named_from_publication(folded, &h, published).map(|y| (y, Span::new(h.start, h.end)))
}

/// The years `folded` names from the publication's ([`year_word_at`]) where the words open
/// their chunk, alone or after one of linking.toml's `year_word_lead` ("Năm qua, …", "Trong năm
/// qua, …"; not "3 năm trước", "những năm qua", "so với cùng thời điểm năm trước", "Kể từ năm
/// trước", "giảm từ 3,2% năm trước xuống …"): periods stated as a year is, in text order. Each
/// phrase of the lists starts with "năm", which is searched for first.
fn years_named(folded: &str, published: chiso_model::PartialDate) -> Vec<Stated> {
    static NAM: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("năm"));
    let leads = &linking_file().period.year_word_lead;
    NAM.find_iter(folded.as_bytes())
        .filter_map(|at| {
            // The words before it in its chunk: a few bytes are enough to tell.
            let (lead, mark) = chunk_lead(folded, at, 16);
            let lead = lead.trim();
            if mark.is_none() || !(lead.is_empty() || leads.iter().any(|w| w == lead)) {
                return None;
            }
            let (year, bytes) = year_word_at(folded, at, published)?;
            Some(Stated {
                carries: false,
                ..Stated::new(bytes, PeriodRef::Fixed(Period::Year(year)), false)
            })
        })
        .collect()
}

/// Whether the period mention at byte `at` of `folded` is an event's, named right after it
/// with no mark between (linking.toml's `event`: "Tết Nguyên đán Giáp Thìn 2024", "Lễ hội Hoa
/// hồng Sa Pa năm 2024", "nghỉ lễ Quốc khánh 2/9 năm 2024"; five words at most between), or a
/// standard's in brackets (`standard`: "(theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025)"; not
/// outside them, where the standard's period is most often the goals' too, "Tỷ lệ hộ nghèo theo
/// chuẩn nghèo đa chiều giai đoạn 2026-2030 giảm bình quân 1-1,5%/năm"): no value's time.
fn names_event_time(folded: &str, at: usize) -> bool {
    // A standard's bracket that ends its sentence, after the value, is the value's only word
    // of its period: "Tỷ lệ hộ nghèo giảm bình quân 1,2%/năm (theo chuẩn nghèo đa chiều giai
    // đoạn 2022-2025)." keeps 2022/2025.
    let closes_sentence = |rest: &str| {
        rest.find(')').is_some_and(|close| {
            let after = rest[close + 1..].trim_start_matches([' ', '\u{a0}']);
            after.is_empty() || after.starts_with(['.', ';', '\n'])
        })
    };
    let window = &folded[floor_char(folded, at.saturating_sub(64))..at];
    small_words().events.hits(window).any(|h| {
        (h.tags.contains(&Tag::Event)
            || (h.tags.contains(&Tag::Standard)
                && window[..h.start].rfind('(') > window[..h.start].rfind(')')
                && !closes_sentence(&folded[at..])))
            && !window[h.end..].contains([',', ';', ':', '.', '!', '?', '(', ')'])
            && window[h.end..]
                .split_whitespace()
                .filter(|w| *w != "năm" && w.chars().any(char::is_alphanumeric))
                .count()
                <= 5
    })
}

/// Whether season hit `h` is alone in its chunk `season_chunk` but for its year ("Vụ Hè Thu
/// 2024,", "Vụ Đông Xuân 2023-2024,") and no period stands between it and value `m`.
fn season_alone(
    st: &DocState<'_>,
    season_chunk: Span,
    h: &crate::lexicon::Hit<'_, Tag>,
    m: &Mention,
) -> bool {
    let rest = &st.folded[h.end..season_chunk.end.min(m.bytes.start).max(h.end)];
    rest.split(|c: char| !c.is_alphanumeric())
        .all(|w| w.is_empty() || w == "năm" || w.bytes().all(|b| b.is_ascii_digit()))
        && st
            .periods_within(Span::new(h.end, m.bytes.start))
            .iter()
            .filter(|s| s.bytes.end <= m.bytes.start)
            .all(|s| s.bytes.end <= season_chunk.end)
        && !st.folded[season_chunk.end.min(m.bytes.start)..m.bytes.start].contains("cả năm")
}

/// Whether event hit `h` (linking.toml's `event`) names the time of the clause starting at
/// `clause_start`: it opens the clause, or follows one of linking.toml's `event_lead` ("Trong 7
/// ngày nghỉ Tết …", "Lượng khách du lịch dịp Tết …"; not "Do ảnh hưởng của Tết …", "Sau Tết,
/// …").
fn event_opens(folded: &str, clause_start: usize, h: &crate::lexicon::Hit<'_, Tag>) -> bool {
    let lead = folded[clause_start..h.start].trim();
    lead.is_empty()
        || lead
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| linking_file().period.event_lead.iter().any(|l| l == w))
}

/// The year a word right after the period mention at `bytes` names from the publication's
/// ([`year_word_at`]): "Quý IV năm trước", "6 tháng đầu năm ngoái" (the mention ends with its
/// "năm"), "7 tháng năm nay" (the mention holds the word); the year and the end of the word.
fn year_word_after(
    folded: &str,
    bytes: Span,
    published: chiso_model::PartialDate,
) -> Option<(i32, usize)> {
    let mention = &folded[bytes.start..bytes.end];
    let from = match mention.rfind("năm") {
        // The last "năm" of the mention, when only letters follow it there.
        Some(i) if !mention[i..].contains(|c: char| c.is_ascii_digit()) => bytes.start + i,
        _ => bytes.end,
    };
    year_word_at(folded, from, published).map(|(y, b)| (y, b.end.max(bytes.end)))
}

/// The words before a year that make it the start of a run to a day ("từ đầu năm 2024 đến nay").
const YEAR_START: &str = "từ đầu năm";

/// The period from 1 January of the publication's year to its day ("từ đầu năm đến nay"), or to
/// the end of its month when only the month is known; `None` for a year alone.
fn year_to_date(published: chiso_model::PartialDate) -> Option<Period> {
    match published {
        // On 1 January nothing of the year has passed.
        chiso_model::PartialDate::Day(d) if d.month == 1 && d.day == 1 => None,
        chiso_model::PartialDate::Day(d) => Some(Period::to_day(d.year, d.month, d.day)),
        chiso_model::PartialDate::Month { year, month } => Some(Period::months(year, 1, month)),
        chiso_model::PartialDate::Year(_) => None,
    }
}

/// Whether the word at `at` of `text` follows "nhất" or "đầu": the group something is first or
/// last in ("cao nhất tỉnh", "đứng đầu tỉnh", "dẫn đầu toàn tỉnh"), not its subject.
fn after_superlative(text: &str, at: usize) -> bool {
    let lead = text[..at].trim_end();
    let lead = lead.strip_suffix("toàn").unwrap_or(lead).trim_end();
    lead.ends_with("nhất") || lead.ends_with("đầu")
}

/// Whether value `m` is a district's: "huyện Bát Xát còn 4.120 hộ nghèo", "Thị xã Sa Pa đón 2,1
/// triệu lượt khách". A district word of the sentence ([`Carry::districts`]) stands before it
/// in its clause, or in an earlier one that states a value of the district's and before any
/// other value of the sentence `ms` ("10 tháng, thị xã Sa Pa đón 2,5 triệu lượt khách; doanh
/// thu du lịch ước đạt …"; not "GRDP của tỉnh tăng 8%, trong đó thị xã Sa Pa đóng góp lớn; thu
/// ngân sách …", nor "Huyện Mường Khương hoàn thành mục tiêu thoát huyện nghèo; tỷ lệ hộ nghèo
/// chung …"), with no province and no word for the province ("tỉnh", "trên địa bàn") after it.
fn district_subject(
    st: &DocState<'_>,
    districts: &[usize],
    clause: Span,
    ms: &[Mention],
    m: &Mention,
) -> bool {
    // (Only the values before `m`: a sentence may hold thousands after it.)
    let before = &ms[..ms.partition_point(|p| p.bytes.start < m.bytes.start)];
    let value_within = |from: usize, to: usize| {
        before
            .iter()
            .any(|p| p.kind.is_value() && p.bytes.start >= from && p.bytes.start < to)
    };
    let Some(&after) = districts.iter().rfind(|&&end| {
        end <= m.bytes.start
            && (end > clause.start || (!value_within(0, end) && value_within(end, clause.start)))
    }) else {
        return false;
    };
    let rest = &st.folded[after..m.bytes.start];
    !provincial_words()
        .hits(rest)
        .any(|h| h.tags.contains(&Tag::Provincial) && !after_superlative(rest, h.start))
        && !st
            .places_within(Span::new(after, m.bytes.start))
            .iter()
            .any(|p| p.code.is_some() && p.start > after && p.end <= m.bytes.start)
}

/// Whether a count of places (linking.toml's `counted_places`: "12 tỉnh, thành phố", "4 địa
/// phương") is the subject of value `m`: before it in its clause, with no chunk between them
/// but the names of more kinds of places ("12 tỉnh, thành phố đạt tốc độ tăng trưởng GRDP trên
/// 10%"; not "trên địa bàn 27 huyện, thị xã, thành phố, tỷ lệ hộ nghèo còn dưới 2%"). A bound
/// after it is the mark those places passed, no place's value.
fn counts_places(folded: &str, ms: &[Mention], clause: Span, m: &Mention) -> bool {
    let places = &linking_file().place.counted_places;
    ms[..ms.partition_point(|p| p.bytes.start < m.bytes.start)]
        .iter()
        .rev()
        .take_while(|p| p.bytes.start >= clause.start)
        .any(|p| {
            p.kind == MentionKind::Count
                && p.counted_noun
                    .as_deref()
                    .is_some_and(|n| opens_with(&n.to_lowercase(), places).is_some())
                // ", thành phố", ", thị xã" after the count name more places; any other comma
                // or semicolon starts another chunk.
                && folded[p.bytes.end..m.bytes.start]
                    .split([',', ';'])
                    .skip(1)
                    .all(|c| opens_with(c, places).is_some())
        })
}

/// Whether a value is the figure of the same period a year before, given to compare with, by
/// the words of its chunk before it (`lead`) and after it (`after`). Such a value gives no row:
/// - in a bracket it opens, or after "trong khi", "còn": "tăng 8,6% (cùng kỳ năm 2023 tăng
///   11,5%)", "…, trong khi cùng kỳ năm trước chỉ đạt 7,9%";
/// - in brackets right after a year or "cùng kỳ" that a comparison word (linking.toml's
///   `base_before`) names: "…, cao hơn năm 2023 (6,9%)", "thấp hơn cùng kỳ năm trước (9,03%)";
/// - before "(của) cùng kỳ": "thấp hơn mức tăng 10,5% của cùng kỳ năm ngoái".
fn year_ago_figure(lead: &str, after: &str) -> bool {
    let base = &linking_file().base;
    let same_period = |s: &str| base.same_period.iter().any(|w| s.starts_with(w.as_str()));
    let after = after.trim_start();
    if same_period(after.strip_prefix("của").unwrap_or(after).trim_start()) {
        return true;
    }
    // From a bracket still open ("… (cùng kỳ năm 2022 đạt 11,5%) và đứng thứ 5/63" is not).
    let lead = match lead.rfind('(') {
        Some(i) if lead[i + 1..].trim().is_empty() => {
            let named = lead[..i].trim_end();
            let tail = &named[floor_char(named, named.len().saturating_sub(40))..];
            return (named.ends_with(|c: char| c.is_ascii_digit())
                || (base.year_ago.iter().chain(&base.same_period))
                    .any(|w| named.ends_with(w.as_str())))
                && small_words()
                    .compares
                    .hits(tail)
                    .any(|h| h.tags.contains(&Tag::BaseBefore));
        }
        Some(i) if !lead[i..].contains(')') => &lead[i + 1..],
        Some(_) => return false,
        None => lead,
    }
    .trim_start();
    let lead = ["trong khi đó", "trong khi", "còn"]
        .iter()
        .find_map(|w| lead.strip_prefix(w))
        .unwrap_or(lead)
        .trim_start();
    same_period(lead)
}

/// Whether `lead` (a clause up to a value) names a time already begun or an event rather than
/// a whole period: "Từ đầu năm 2024", "Những ngày đầu năm", "Trong kỳ nghỉ Tết Nguyên đán Giáp
/// Thìn 2024", "Dịp lễ …": what it gives was achieved, early in the period as it is.
fn event_so_far(lead: &str) -> bool {
    let words: Vec<&str> = lead
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let before = |k: usize| k.checked_sub(1).map(|b| words[b]);
    words.iter().enumerate().any(|(k, &w)| match w {
        "tết" | "dịp" => true,
        // "kỳ nghỉ", "nghỉ lễ" (not "nghỉ dưỡng").
        "nghỉ" => before(k) == Some("kỳ") || words.get(k + 1) == Some(&"lễ"),
        // "đầu năm" after "từ", "ngày", "tuần", or "tháng" with no count ("6 tháng đầu năm" is
        // the half).
        "đầu" if words.get(k + 1) == Some(&"năm") => match before(k) {
            Some("từ" | "ngày" | "tuần") => true,
            Some("tháng") => {
                before(k - 1).is_none_or(|n| !n.starts_with(|c: char| c.is_ascii_digit()))
            }
            _ => false,
        },
        // A lunar year's name: "Giáp Thìn" (not "dần phục hồi").
        "tý" | "sửu" | "dần" | "mão" | "thìn" | "tỵ" | "ngọ" | "mùi" | "thân" | "dậu" | "tuất"
        | "hợi" => matches!(
            before(k),
            Some("giáp" | "ất" | "bính" | "đinh" | "mậu" | "kỷ" | "canh" | "tân" | "nhâm" | "quý")
        ),
        _ => false,
    })
}

/// Whether `after` (the folded words after "thành phố") starts with one of linking.toml's
/// `municipal_nicknames` ("Cảng", "Tây Đô"), a centrally-run city's, not a city of a province.
fn municipal_nickname(after: &str) -> bool {
    let after = after.trim_start();
    linking_file().place.municipal_nicknames.iter().any(|n| {
        after
            .strip_prefix(n.as_str())
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// Whether value `ms[mi]` is where a movement started: "giảm từ 10,5% xuống còn 8,2%", "tăng từ
/// 45 triệu đồng lên 52 triệu đồng", and whether it has a period of its own before the value it
/// moved to ("giảm từ 18,66% năm 2021 xuống còn 8,46% năm 2023": a level of 2021; with none, its
/// time is not said and the value after is the level).
fn movement_start(folded: &str, ms: &[Mention], mi: usize, chunk: Span) -> Option<bool> {
    let m = &ms[mi];
    if folded
        .get(chunk.start..m.bytes.start)?
        .split_whitespace()
        .next_back()
        != Some("từ")
    {
        return None;
    }
    let next = ms[mi + 1..]
        .iter()
        .find(|n| n.kind.is_value())
        .filter(|n| n.bytes.start <= chunk.end && n.bytes.start >= m.bytes.end)?;
    let between = &folded[m.bytes.end..next.bytes.start];
    let to = between
        .split_whitespace()
        .position(|w| w == "xuống" || w == "lên")?;
    // (Not "đầu năm" alone: "giảm từ 4,5% đầu năm xuống còn 2,9%" is where the year started.)
    let words: Vec<&str> = between.split_whitespace().take(to).collect();
    Some(words.iter().enumerate().any(|(i, w)| {
        w.starts_with(|c: char| c.is_ascii_digit())
            || (matches!(*w, "năm" | "quý" | "tháng") && (i == 0 || words[i - 1] != "đầu"))
    }))
}

/// The movement whose end is value `m` of the sentence's mentions `ms`: the index of the value
/// before it when that is where the movement started ([`movement_start`]), and whether it has a
/// period of its own ("từ 10,5% năm 2022 xuống còn 8,4%").
fn movement_before(
    folded: &str,
    ms: &[Mention],
    m: &Mention,
    chunk: Span,
) -> Option<(usize, bool)> {
    let before = ms.partition_point(|p| p.bytes.start < m.bytes.start);
    let pi = ms[..before].iter().rposition(|p| p.kind.is_value())?;
    movement_start(folded, ms, pi, chunk).map(|dated| (pi, dated))
}

/// Whether `m` is a pace in percent a year ("giảm bình quân 3,5%/năm"), which is over more than
/// one year.
fn yearly_pace(folded: &str, m: &Mention) -> bool {
    m.unit == Some(Unit::Percent) && folded[m.bytes.start..m.bytes.end].ends_with("/năm")
}

/// Whether cue `c` is the economy's size alone, GDP or GRDP, right after a percent of sentence
/// `sb`, as the ratio's denominator: "bội chi ngân sách khoảng 3,1% GDP", "nợ công tăng lên 36%
/// GRDP" name no value, and no later value either (a cue before the percent may: "tăng trưởng
/// kinh tế đạt 9,01% GRDP"). Not "9,01% GRDP bình quân đầu người", a longer cue, nor growth said
/// in the order of speech: "Hà Nội tăng 6,52% GRDP".
fn ratio_to_economy(
    st: &DocState<'_>,
    ms: &[Mention],
    sb: Span,
    c: &crate::catalogue::CueMatch,
) -> bool {
    matches!(st.folded[c.span.start..c.span.end].trim(), "gdp" | "grdp")
        && ms.iter().any(|p| {
            matches!(p.unit, Some(Unit::Percent | Unit::PercentPerYear))
                && p.bytes.end <= c.span.start
                && st.folded[p.bytes.end..c.span.start].trim().is_empty()
                && st.folded[sb.start..p.bytes.start].split_whitespace().last() != Some("tăng")
        })
}

/// Whether `after` (the words after a value) opens with a goal's words that name the value
/// as that goal (linking.toml's `target_after`: "8% đề ra", "8% đặt ra cho năm 2025"), ending
/// its chunk or followed by what the goal was set for or in ("cho", "trong", "tại", …; not
/// "6,2% đặt ra áp lực lớn", which poses it).
fn goal_named_after(after: &str) -> bool {
    opens_with(after, &linking_file().kind.target_after).is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty()
            || rest.starts_with([',', '.', ';', ':', ')', '('])
            || rest.split_whitespace().next().is_some_and(|next| {
                matches!(
                    next,
                    "cho" | "trong" | "tại" | "từ" | "của" | "theo" | "năm" | "là"
                )
            })
    })
}

/// Whether the words after value `m` give it to the whole province, "của" and the province's own
/// words (linking.toml's `provincial`, after "toàn" or not) with no name after them: "… 12,16%
/// của toàn tỉnh" (a name after them is a place, [`Linker::owner_after`]'s).
fn of_whole_province(folded: &str, m: &Mention) -> bool {
    folded[past_value(folded, m)..]
        .trim_start()
        .strip_prefix("của ")
        .map(|rest| rest.trim_start())
        .map(|rest| rest.strip_prefix("toàn ").unwrap_or(rest))
        .and_then(|rest| opens_with(rest, &linking_file().place.provincial))
        .is_some_and(|rest| !rest.trim_start().starts_with(char::is_alphanumeric))
}

/// Where the words after value `m` start in the folded text: past the noun it counts, which
/// its span leaves out ("vượt 2 triệu lượt khách đã đề ra": "đã đề ra").
fn past_value(folded: &str, m: &Mention) -> usize {
    let end = m.bytes.end;
    let rest = &folded[end..];
    let after = rest.trim_start();
    m.counted_noun
        .as_deref()
        .and_then(|n| after.strip_prefix(n))
        .map_or(end, |r| end + rest.len() - r.len())
}

/// The change, in per cent, a ratio to its base in per cent states ("bằng 110,2% so với năm
/// 2023": 10,2), without the binary remainder of the subtraction (10.200000000000003): the
/// digits the text gives, at most nine after the point.
fn change_of_ratio(percent: f64) -> f64 {
    ((percent - 100.0) * 1e9).round() / 1e9
}

/// Whether `m` counts goals ("16 chỉ tiêu", "22/23 chỉ tiêu", "3 mục tiêu").
fn counts_goals(m: &Mention) -> bool {
    matches!(m.kind, MentionKind::Count | MentionKind::SlashPair)
        && m.counted_noun
            .as_deref()
            .is_some_and(|n| matches!(n, "chỉ tiêu" | "mục tiêu"))
}

/// Whether `text` has `word` among its whitespace-separated words.
fn has_word(text: &str, word: &str) -> bool {
    text.split_whitespace().any(|w| w == word)
}

/// Whether `phrase` (folded) is one of linking.toml's `breakdown` words, whole: what a
/// catalogue's `sub_groups` may name.
pub(crate) fn is_sub_group(phrase: &str) -> bool {
    breakdown_words()
        .hits(phrase)
        .any(|h| h.start == 0 && h.end == phrase.len() && h.tags.contains(&Tag::Breakdown))
}

/// Whether the words before byte `at` end with "cả": what follows is the whole with its parts
/// ("kể cả học sinh", "ở cả khu vực thành thị và nông thôn").
fn after_ca(folded: &str, at: usize) -> bool {
    folded[..at].trim_end().ends_with(" cả")
}

/// Whether `between` (the words from a part of a total or a sub-group to a value) name the whole
/// province again ("… các huyện miền núi còn 12% và toàn tỉnh còn 3,1%": "toàn" or "cả" right
/// before one of linking.toml's `provincial` words), or the average of all ("bình quân chung").
fn names_whole(between: &str) -> bool {
    between.contains("bình quân chung")
        || ["toàn ", "cả "].iter().any(|w| {
            between.match_indices(w).any(|(i, w)| {
                (i == 0 || between[..i].ends_with(' '))
                    && opens_with(&between[i + w.len()..], &linking_file().place.provincial)
                        .is_some()
            })
        })
}

/// Whether `between` (the words from a goal's or an estimate's value to a later value) says the
/// later one is a result: "đã", or "mới" or "chỉ" before its verb when `own_period` (a period of
/// the later value's stands between: "trong khi quý I chỉ đạt 7,5%"; not the "chỉ" of "chỉ
/// tiêu").
fn states_a_result(between: &str, own_period: impl Fn() -> bool) -> bool {
    let mut words = between.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "đã" {
            return true;
        }
        if matches!(w, "mới" | "chỉ")
            && words.peek().is_some_and(|v| {
                matches!(
                    *v,
                    "đạt" | "tăng" | "thu" | "đón" | "giảm" | "giải" | "xuất"
                )
            })
            && own_period()
        {
            return true;
        }
    }
    false
}

/// Whether cue `c` is one of linking.toml's `verb_cues` ("tăng trưởng").
fn is_verb_cue(c: &crate::catalogue::CueMatch) -> bool {
    linking_file().measure.verb_cues.contains(&c.cue)
}

/// Whether cue `c` is one of linking.toml's `verb_cues` after another indicator's cue in
/// `clause` ("Kim ngạch xuất khẩu … đạt 15,2 tỷ USD, tăng trưởng 12%", "Lượng khách du lịch
/// tăng trưởng 14%", "Tổng mức bán lẻ … tiếp tục tăng trưởng khá, ước đạt …"): a verb, not a
/// cue. Not after a subject of its own in its chunk ("…, kinh tế Thanh Hóa tăng trưởng
/// 12,16%", "…, tỉnh vẫn tăng trưởng …", "…, Lào Cai tăng trưởng 8,1%"), nor before "chung"
/// ("tăng trưởng chung của tỉnh đạt 8,2%"): the economy's.
fn verb_after_subject(
    st: &DocState<'_>,
    p: &crate::catalogue::CueMatch,
    c: &crate::catalogue::CueMatch,
    chunk: Span,
) -> bool {
    if !is_verb_cue(c) {
        return false;
    }
    let from = p.span.end.max(chunk.start).min(c.span.start);
    let lead = &st.folded[from..c.span.start];
    let own_subject = lead.contains("kinh tế")
        || lead
            .split_whitespace()
            .any(|w| matches!(w, "tỉnh" | "thành" | "huyện" | "thủ" | "đô"))
        || st
            .places_within(Span::new(from, c.span.start))
            .iter()
            .any(|q| q.code.is_some() && q.start >= from && q.end <= c.span.start);
    !own_subject
        && st.folded[c.span.end..]
            .split_whitespace()
            .next()
            .is_none_or(|w| w != "chung")
}

/// Whether a plan word ("dự toán HĐND tỉnh giao") followed by `between` names the value after
/// it: five words at most, not past "và" ("vượt 13,6% dự toán HĐND tỉnh giao và tăng 8% so với
/// cùng kỳ"; "kế hoạch giảm 3%" is the plan's).
fn attached_to_value(between: &str) -> bool {
    between.split_whitespace().count() <= 5 && !has_word(between, "và")
}

/// Whether plan word `h` opens the chunk of value `m` right before a cue: the plan is the
/// subject ("Dự toán thu ngân sách năm 2024 của An Giang là 7.500 tỷ đồng", "Chỉ tiêu thu ngân
/// sách năm 2024 là 35.000 tỷ đồng"), not past "và".
fn plan_subject(
    st: &DocState<'_>,
    cues: &[crate::catalogue::CueMatch],
    chunk: Span,
    h: &crate::lexicon::Hit<'_, Tag>,
    m: &Mention,
) -> bool {
    st.folded[chunk.start..h.start].trim().is_empty()
        && cues.iter().any(|c| {
            c.span.start >= h.end
                && c.span.end <= m.bytes.start
                && st.folded[h.end..c.span.start].trim().is_empty()
        })
        && !has_word(&st.folded[h.end..m.bytes.start], "và")
}

/// Whether the nearest place before value `m` in its chunk is a region, not named as what is
/// compared with or as the top of a ranking ("tốc độ tăng trưởng GRDP của vùng Đồng bằng sông
/// Hồng đạt 6,1%", "Vùng trung du … tăng trưởng 5,53%"): a region's value is no province's.
/// With no place in the chunk, the nearest in an earlier chunk of its `clause`, when no value
/// stands between ("Xét theo vùng, Đồng bằng sông Hồng có tốc độ tăng GRDP 9 tháng cao nhất,
/// ước đạt 9,6%").
fn region_subject(
    st: &DocState<'_>,
    gazetteer: &Gazetteer,
    ms: &[Mention],
    clause: Span,
    chunk: Span,
    m: &Mention,
) -> bool {
    let nearest = |from: usize| {
        st.places_within(Span::new(from, m.bytes.start))
            .iter()
            .rfind(|p| p.start >= from && p.end <= m.bytes.start)
    };
    let Some(p) = nearest(chunk.start).or_else(|| {
        // (A count of months is a time: "… GRDP 9 tháng cao nhất, ước đạt 9,6%". Not a region
        // in passing, after a province or inside its chunk: "Hà Nội, trung tâm của vùng Đồng bằng
        // sông Hồng, có GRDP tăng 6,52%", "Theo Trường Đại học Tây Nguyên, …".)
        nearest(clause.start.min(chunk.start)).filter(|p| {
            let opens = |lead: &str| {
                let bare = gazetteer.without_trailing_prefix(lead).trim();
                let lead = lead.trim();
                !lead.contains('(')
                    && (bare.is_empty() || bare.ends_with(',') || lead.ends_with(','))
            };
            opens(&st.folded[clause.start.min(p.start)..p.start])
                && !st
                    .places_within(Span::new(clause.start, p.start))
                    .iter()
                    .any(|q| q.code.is_some() && q.start >= clause.start && q.end <= p.start)
                && !ms.iter().any(|v| {
                    v.kind.is_value()
                        && !(v.kind == MentionKind::Count
                            && v.counted_noun
                                .as_deref()
                                .is_some_and(|n| matches!(n, "tháng" | "năm" | "quý" | "ngày")))
                        && v.bytes.start >= p.end
                        && v.bytes.start < m.bytes.start
                })
        })
    }) else {
        return false;
    };
    let chunk = if p.start >= chunk.start {
        chunk
    } else {
        Span::new(clause.start, chunk.end)
    };
    // A region after a value is its ranking group ("xếp thứ tư các tỉnh trung du miền núi Bắc
    // Bộ và đứng thứ 22/63").
    if p.code.is_some()
        || p.group.is_none()
        || ms
            .iter()
            .take_while(|v| v.bytes.start < p.start)
            .any(|v| v.kind.is_value() && v.bytes.start >= chunk.start && v.bytes.end <= p.start)
    {
        return false;
    }
    // "cao nhất vùng", "đứng đầu khu vực": where something ranks.
    let lead = gazetteer.without_trailing_prefix(&st.folded[chunk.start..p.start]);
    !after_superlative(lead, lead.len())
        && !words().find(lead).iter().any(|h| {
            h.tags
                .iter()
                .any(|t| matches!(t, Tag::BaseBefore | Tag::NotSubject | Tag::GapBefore))
        })
}

/// What the linker made of a mention ([`Transformed::links`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MentionLink {
    /// The indicator it was linked to, if any (shared by the document's mentions of it: a
    /// long document links hundreds of thousands).
    pub indicator: Option<Arc<str>>,
    /// Index of its sentence in [`Transformed::sentences`].
    pub sentence: usize,
}

/// A mention with what the linker made of it ([`Transformed::linked`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkedMention<'a> {
    /// The mention.
    pub mention: &'a Mention,
    /// The indicator it was linked to, if any.
    pub indicator: Option<&'a str>,
    /// Index of its sentence in [`Transformed::sentences`].
    pub sentence: usize,
}

/// Everything the transform stage makes of one document.
#[derive(Debug, Clone, Default)]
pub struct Transformed {
    /// Kept sentences' text, in order (repeats removed), shared with the quotes of their
    /// statements.
    pub sentences: Vec<Arc<str>>,
    /// Byte offset of each kept sentence in the document's text.
    pub sentence_starts: Vec<usize>,
    /// Every numeric expression of the kept sentences, in text order.
    pub mentions: Vec<Mention>,
    /// What the linker made of each of [`Transformed::mentions`], at the same index. Apart, so
    /// that the grammar's mentions are kept where they are instead of copied beside what was
    /// made of them (a long document's are tens of megabytes).
    pub links: Vec<MentionLink>,
    /// One row per indicator statement.
    pub records: Vec<IndicatorRecord>,
    /// How many repeated sentences were merged.
    pub repeats_dropped: usize,
    /// Mentions left unlinked because their sentence held more than
    /// [`MAX_LINKED_MENTIONS_PER_SENTENCE`] numbers.
    pub unlinked_overflow: usize,
}

/// The linker: catalogue, gazetteer and word lists, built once and shared by all documents.
#[derive(Debug, Clone)]
pub struct Linker {
    catalogue: Catalogue,
    gazetteer: Gazetteer,
    /// The catalogue's cues and the gazetteer's spellings in one automaton, so that a
    /// document's folded text is walked once for both (`None` if it could not be built: each
    /// then walks the text with its own).
    cues_and_places: Option<JointSearch>,
}

/// The place of a statement: its code, its unit of the map (`IndicatorRecord::geo_id`) and its
/// name.
#[derive(Debug, Clone, PartialEq)]
struct Geo {
    code: String,
    id: String,
    name: String,
}

impl Geo {
    fn of(place: &crate::gazetteer::Place) -> Geo {
        Geo {
            code: place.code.clone(),
            id: place.id.clone(),
            name: place.name.clone(),
        }
    }
}

/// A place found in the text, reduced to what linking needs.
#[derive(Debug, Clone)]
struct PlaceHit {
    start: usize,
    end: usize,
    code: Option<String>,
    /// The unit of the map: the one in force at publication, or the one the text names as the
    /// former or the new ("Lào Cai (cũ)", "(mới)").
    id: String,
    /// Written as a former unit ("Lào Cai (cũ)").
    former: bool,
    name: String,
    /// Region or ranking group id, for ranking groups.
    group: Option<(String, Option<u32>)>,
    /// A centrally-run city ("thành phố Hà Nội" is no city of a province).
    municipal: bool,
}

impl PlaceHit {
    /// A province or a city with a code, not the country.
    fn is_province(&self) -> bool {
        self.code.as_deref().is_some_and(|c| c != "VN")
    }

    /// The place a statement takes from this one: none for a region or a ranking group.
    fn geo(&self) -> Option<Geo> {
        Some(Geo {
            code: self.code.clone()?,
            id: self.id.clone(),
            name: self.name.clone(),
        })
    }
}

/// What carries from one statement to the next while a document is read.
#[derive(Default)]
struct Carry {
    /// The period of the last statement: "Trong đó, ..." sentences inherit it.
    period: Option<Period>,
    /// The sentence of that statement.
    period_sentence: Span,
    /// The period of a statement set apart after it ("Riêng tháng 7, …"), which a value
    /// compared with the period before takes ("Doanh thu … tăng 18% so với tháng trước").
    apart: Option<Period>,
    /// The indicator each mention of the current sentence was linked to, in order.
    links: Vec<Option<Arc<str>>>,
    /// The indicators the previous sentence's mentions were linked to.
    last_sentence_links: Vec<Arc<str>>,
    /// The indicator the previous sentence went on with when it named none ("… tháng 11 ước
    /// đạt 14.250 tỷ đồng. Tính chung 11 tháng, ước đạt …"), which the next may go on with in
    /// turn ("Dự kiến cả năm đạt …").
    continued: Option<Arc<str>>,
    /// Whether the current sentence has given a statement yet.
    sentence_has_record: bool,
    /// The kind of the current sentence's first statement.
    sentence_kind: Option<Kind>,
    /// The period of the current sentence's first statement.
    sentence_period: Option<Period>,
    /// The indicators stated by the line that introduced the list the current line is an item
    /// of ("…, trong đó:").
    list_parent: Vec<Arc<str>>,
    /// Whether the current sentence is an item of a list ("- Khu vực dịch vụ tăng 6,8%;").
    list_item: bool,
    /// Whether the last sentence that was not a list item introduced the parts of its
    /// statement ("…, trong đó:"), so the list items after it are those parts.
    parts_listed: bool,
    /// Whether the last sentence that was not a list item introduced a list of goals
    /// ([`introduces_goals`]).
    goals_listed: bool,
    /// The current paragraph: its index, where it starts and whether its sentences so far state
    /// a value.
    paragraph: (usize, usize, bool),
    /// Where the last sentence that states a value, not on a line of a list, ends.
    valued_at: usize,
    /// Whether the current sentence is on a line of a list, marked or numbered.
    item: bool,
    /// The current sentence's clause and chunk ends.
    delims: Delims,
    /// The kind of the last sentence's main statement: "Trong đó, ..." parts inherit it.
    kind: Option<Kind>,
    /// The linking words of the current sentence, searched when a value first needs them.
    hits: std::cell::OnceCell<Vec<crate::lexicon::Hit<'static, Tag>>>,
    /// The sub-groups' words of the current sentence (linking.toml's `breakdown`), searched
    /// when a linked value first needs them.
    breakdowns: std::cell::OnceCell<Vec<Span>>,
    /// Where the district words of the current sentence that open a chunk and that a name
    /// follows end.
    districts: std::cell::OnceCell<Vec<usize>>,
    /// The current sentence's text: the quote of its statements, shared.
    sentence: Arc<str>,
    /// Whether the last statement's period is the year to date ("từ đầu năm đến nay").
    to_date: std::cell::Cell<bool>,
    /// Which of the current sentence's cues are verbs ([`verb_after_subject`]), found when a
    /// value first needs them.
    verbs: std::cell::OnceCell<Vec<bool>>,
}

/// Characters no linking phrase holds (`linking_phrases_cannot_cross_a_sentence_start`): the
/// line breaks ([`crate::segment::is_line_break`]) and those a sentence ends with
/// ([`SENTENCE_ENDS`]). No phrase occurrence crosses one of them.
fn not_in_phrases(c: char) -> bool {
    crate::segment::is_line_break(c) || SENTENCE_ENDS.contains(&c)
}

/// The marks a line of a list starts with.
const LIST_MARKS: [char; 5] = ['-', '+', '•', '*', '–'];

/// The characters a sentence can end with.
const SENTENCE_ENDS: [char; 8] = ['.', '!', '?', '…', '"', '”', '\'', ')'];

impl Carry {
    /// The linking words starting in sentence `sb` of the document folded by
    /// [`crate::lexicon::fold_case`]: the hits of `words().find(folded)` there, searched in the
    /// sentence's stretch only. That is the same search because no phrase occurrence crosses
    /// either end of the stretch: a kept sentence starts at the start of the text or of a line,
    /// or after whitespace that follows one of those or a sentence end ('.', '!', '?', '…', a
    /// closing quote or bracket) (phrases hold no whitespace at their ends), and the stretch
    /// ends at the sentence's end when that is such a character, else at the end of its line
    /// ([`crate::segment::is_line_break`]; so the whole-word test of a phrase ending there sees
    /// no letter either way).
    /// The ends of the current sentence's district words that open a chunk or follow "của" or
    /// "địa bàn" (the subject of what follows: "huyện Bát Xát còn …", "Kinh tế của thị xã Sa Pa
    /// …", not "… tại huyện Văn Bàn, …" or "Cùng với thị xã Sa Pa, …") and are followed by a
    /// name, or need none ("Toàn thị xã …"), found when a value first needs them.
    /// A city named with "thành phố" or "TP" ("Thành phố Lào Cai có thu ngân sách …", "TP Thủ
    /// Dầu Một …") is such a subject too, unless it is a centrally-run city ("Thành phố Hà Nội"):
    /// the end of its name when the gazetteer knows it.
    fn districts(
        &self,
        st: &DocState<'_>,
        cues: &[crate::catalogue::CueMatch],
        sb: Span,
    ) -> &[usize] {
        self.districts.get_or_init(|| {
            let sentence = &st.folded[sb.start..sb.end];
            // The words of its chunk before the district word at `at`.
            let lead = |at: usize| {
                let lead = &sentence[..at];
                lead[lead.rfind([',', ';', ':']).map_or(0, |i| i + 1)..].trim()
            };
            // Opening its chunk, alone or after a word that sets it apart or takes it whole, or
            // contrasts it ("…, trong khi huyện Mường Lát chỉ có 2,8 bác sĩ/vạn dân").
            let opens = |lead: &str| {
                matches!(
                    lead,
                    "" | "riêng"
                        | "riêng các"
                        | "còn"
                        | "trong đó"
                        | "đối với"
                        | "toàn"
                        | "trong khi"
                )
            };
            // After "của" or "trên địa bàn" that follow an indicator's cue or "kinh tế": whose
            // figure it is ("Kinh tế của thị xã Sa Pa …", "Thu ngân sách trên địa bàn huyện …";
            // not "Nhờ sự đóng góp của thị xã Sa Pa …", "Các dự án trên địa bàn huyện …").
            let owner = |lead: &str| {
                let head = lead
                    .strip_suffix("của")
                    .or_else(|| {
                        lead.strip_suffix("địa bàn")
                            .map(|l| l.trim_end().strip_suffix("trên").unwrap_or(l))
                    })
                    .map(str::trim_end);
                let end = |s: &str| {
                    sb.start + (s.as_ptr() as usize - sentence.as_ptr() as usize) + s.len()
                };
                // (A cue may hold the words: "thu ngân sách trên địa bàn".) Right after a cue, too:
                // "tỷ lệ hộ nghèo huyện Mường Lát là 30%".
                head.is_some_and(|head| {
                    head.ends_with("kinh tế")
                        || cues
                            .iter()
                            .any(|c| c.span.end == end(head) || c.span.end == end(lead))
                }) || (!lead.is_empty() && cues.iter().any(|c| c.span.end == end(lead)))
            };
            // A name, then more in its chunk: "thị xã Sa Pa đón …", not the list item "Bên cạnh
            // các huyện Bát Xát, Mường Khương, thị xã Sa Pa, tỷ lệ …"; a name set apart
            // ("Riêng huyện Đam Rông, tỷ lệ hộ nghèo …") or heading its line ("Huyện Quỳnh Lưu:
            // …") is said more of after its chunk.
            let says_more = |from: usize, named: bool, lead: &str| {
                // (After an abbreviation's dot: "TP. Đà Lạt đón …".)
                let rest = &st.text[from..sb.end];
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                let cut = rest.find([',', ';', ':']).unwrap_or(rest.len());
                let chunk = &rest[..cut];
                let mut words = chunk.split_whitespace().peekable();
                let named = named
                    || words
                        .peek()
                        .and_then(|w| w.chars().next())
                        .is_some_and(char::is_uppercase);
                named
                    && (words.any(|w| !w.chars().next().is_some_and(char::is_uppercase))
                        || matches!(lead, "riêng" | "riêng các" | "đối với")
                        || (lead.is_empty() && rest[cut..].starts_with(':')))
            };
            // No name: "Toàn thị xã hiện còn …", "Thu ngân sách trên địa bàn huyện …", or the
            // word opening its sentence in capitals and a verb after it ("Huyện hiện có 1.200
            // hộ nghèo"): the district the text is about.
            let unnamed = |h: &crate::lexicon::Hit<'_, Tag>, lead: &str| {
                lead == "toàn"
                    || owner(lead)
                    || (h.start == 0
                        && st.text[sb.start..].starts_with(char::is_uppercase)
                        && st.text[sb.start + h.end..sb.end]
                            .split_whitespace()
                            .next()
                            .is_some_and(|w| w.starts_with(char::is_lowercase)))
            };
            district_words()
                .hits(sentence)
                .filter_map(|h| {
                    // ("Xã hội hóa …", "toàn xã hội": society, no commune.)
                    if sentence[h.end..].starts_with(" hội") {
                        return None;
                    }
                    let lead = lead(h.start);
                    if !opens(lead) && !owner(lead) {
                        return None;
                    }
                    let end = sb.start + h.end;
                    if !h.tags.contains(&Tag::City) {
                        return (unnamed(&h, lead) || says_more(end, false, lead)).then_some(end);
                    }
                    let named = st
                        .places_within(Span::new(sb.start + h.start, end + 2))
                        .iter()
                        .find(|p| p.start <= end + 2 && p.end > end && p.end <= sb.end);
                    match named {
                        Some(p) if p.municipal => None,
                        Some(p) => says_more(p.end, true, lead).then_some(p.end),
                        // "Thành phố Cảng", "Thành phố Tây Đô": a centrally-run city's nickname.
                        None if municipal_nickname(&sentence[h.end..]) => None,
                        None => says_more(end, false, lead).then_some(end),
                    }
                })
                .collect()
        })
    }

    /// Whether cue `c` of the current sentence's cues `cues` is a verb ([`verb_after_subject`]),
    /// all of them decided in one pass over the sentence's cues.
    fn verb(
        &self,
        st: &DocState<'_>,
        cues: &[crate::catalogue::CueMatch],
        c: &crate::catalogue::CueMatch,
    ) -> bool {
        let verbs = self.verbs.get_or_init(|| {
            // The nearest cue before each one, and the nearest of another indicator than that.
            let (mut last, mut other): (Option<usize>, Option<usize>) = (None, None);
            cues.iter()
                .enumerate()
                .map(|(i, c)| {
                    let p = match last {
                        Some(l) if cues[l].indicator != c.indicator => Some(l),
                        _ => other,
                    };
                    let verb = p.is_some_and(|p| {
                        let (clause, chunk) = (
                            self.delims.clause(c.span.start),
                            self.delims.chunk(c.span.start),
                        );
                        cues[p].span.start >= clause.start
                            && verb_after_subject(st, &cues[p], c, chunk)
                    });
                    if c.indicator != crate::catalogue::OUTSIDE {
                        if last.is_some_and(|l| cues[l].indicator != c.indicator) {
                            other = last;
                        }
                        last = Some(i);
                    }
                    verb
                })
                .collect()
        });
        let i = cues.partition_point(|x| x.span.start < c.span.start);
        verbs.get(i).copied().unwrap_or(false)
    }

    fn sentence_hits(&self, folded: &str, sb: Span) -> &[crate::lexicon::Hit<'static, Tag>] {
        self.hits.get_or_init(|| {
            let ends_stretch = folded[..sb.end]
                .chars()
                .next_back()
                .is_some_and(not_in_phrases);
            // A sentence without an end mark is the last of its line: the stretch to the line's
            // end is the furniture or space after it.
            let stretch_end = if ends_stretch {
                sb.end
            } else {
                folded[sb.end..]
                    .find(crate::segment::is_line_break)
                    .map_or(folded.len(), |k| sb.end + k)
            };
            words()
                .hits_from(&folded[..stretch_end], sb.start)
                .take_while(|h| h.start < sb.end)
                .collect()
        })
    }
}

/// How many of the periods stated before a value its year is looked for among.
const PERIODS_LOOKED_BACK: usize = 64;

/// A period the document names.
#[derive(Clone, Copy, Debug)]
struct Stated {
    bytes: Span,
    period: PeriodRef,
    /// The base of a comparison ("so với cùng kỳ năm 2023"), not the time of a value.
    base: bool,
    /// Whether its year dates the periods named without one in the sentences after its own: a
    /// year written in digits does ("Năm 2023, … Quý IV, …"), one named from the
    /// publication's does not ("Năm ngoái, … 6 tháng đầu năm …": of its own sentence only).
    carries: bool,
    /// The paragraph (line) of its sentence.
    paragraph: usize,
    /// Whether its sentence states a value (is no heading).
    with_value: bool,
    /// Whether its line reads as a heading ([`heading_line`]).
    heading: bool,
}

impl Stated {
    fn new(bytes: Span, period: PeriodRef, base: bool) -> Stated {
        Stated {
            bytes,
            period,
            base,
            carries: true,
            paragraph: 0,
            with_value: false,
            heading: false,
        }
    }
}

/// What the linker knows about one document while it works.
struct DocState<'a> {
    text: &'a str,
    folded: String,
    published_year: Option<i32>,
    published: Option<chiso_model::PartialDate>,
    default_geo: Option<Geo>,
    /// Whether `default_geo` is the country, read from the document's opening (not given).
    national_default: bool,
    places: Vec<PlaceHit>,
    periods: Vec<Stated>,
    terms: Vec<(i32, i32)>,
    /// In a document with no publication date: the year its "so với cùng kỳ năm N" bases imply
    /// for the text, the latest N + 1 (a change on the same period of 2022 is of 2023; "bằng
    /// 85% so với cùng kỳ năm 2019" beside it compares with the years before the pandemic).
    same_period_year: Option<i32>,
    title_period: Option<Period>,
    headings: Vec<Heading>,
}

/// A line that names an indicator and states no value: the heading of a list or flattened table
/// below it ("QUY MÔ GRDP (Tỷ đồng)" over "1) TP. Hồ Chí Minh 1.298.791").
#[derive(Debug, Clone)]
struct Heading {
    /// Paragraph (line) index.
    paragraph: usize,
    /// The indicator its last cue names.
    indicator: usize,
    /// The unit of bare numbers below it, from a parenthesised unit: "(Tỷ đồng)" is 1e9 vnd.
    unit: Option<(Unit, f64)>,
}

impl Transformed {
    /// The mentions with what the linker made of them, in text order.
    pub fn linked(&self) -> impl ExactSizeIterator<Item = LinkedMention<'_>> {
        self.mentions
            .iter()
            .zip(&self.links)
            .map(|(mention, link)| LinkedMention {
                mention,
                indicator: link.indicator.as_deref(),
                sentence: link.sentence,
            })
    }

    /// The quote for a mention: its sentence, or for a sentence over [`MAX_QUOTE_CHARS`]
    /// characters a window of [`QUOTE_WINDOW_CHARS`] either side of the number, marked with "…".
    pub fn quote(&self, lm: &LinkedMention<'_>) -> String {
        self.quote_ref(lm).into_owned()
    }

    /// The expression of a mention as written, from its sentence.
    pub fn mention_text(&self, lm: &LinkedMention<'_>) -> &str {
        let start = self.sentence_starts[lm.sentence];
        &self.sentences[lm.sentence][lm.mention.bytes.start - start..lm.mention.bytes.end - start]
    }

    /// [`Transformed::quote`], borrowing the sentence when it is quoted whole (the usual case).
    pub fn quote_ref(&self, lm: &LinkedMention<'_>) -> Cow<'_, str> {
        quote_around(
            &self.sentences[lm.sentence],
            self.sentence_starts[lm.sentence],
            lm.mention.bytes,
        )
    }
}

/// See [`Transformed::quote`]: `sentence` starts at byte `start` of the text; `number` is the
/// number's byte span in the text.
fn quote_around(sentence: &str, start: usize, number: Span) -> Cow<'_, str> {
    // Characters counted only up to the limit: a "sentence" of a megabyte (a table without
    // full stops) holds thousands of values, and each asks for its quote.
    if sentence.len() <= MAX_QUOTE_CHARS || sentence.chars().nth(MAX_QUOTE_CHARS).is_none() {
        return Cow::Borrowed(sentence);
    }
    let (from, to) = (
        number.start.saturating_sub(start).min(sentence.len()),
        number.end.saturating_sub(start).min(sentence.len()),
    );
    let left = sentence[..floor_char(sentence, from)]
        .char_indices()
        .rev()
        .nth(QUOTE_WINDOW_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let to = floor_char(sentence, to);
    let right = sentence[to..]
        .char_indices()
        .nth(QUOTE_WINDOW_CHARS)
        .map_or(sentence.len(), |(i, _)| to + i);
    let mut q = String::with_capacity(right - left + 8);
    if left > 0 {
        q.push('…');
    }
    q.push_str(&sentence[left..right]);
    if right < sentence.len() {
        q.push('…');
    }
    Cow::Owned(q)
}

impl Linker {
    /// A linker with the built-in catalogue and gazetteer.
    pub fn builtin() -> Linker {
        Linker::new(Catalogue::builtin(), Gazetteer::builtin())
    }

    /// A linker with the given catalogue and gazetteer (a pipeline may extend both).
    pub fn new(catalogue: Catalogue, gazetteer: Gazetteer) -> Linker {
        let cues_and_places = JointSearch::new(catalogue.keys(), gazetteer.keys()).ok();
        Linker {
            catalogue,
            gazetteer,
            cues_and_places,
        }
    }

    /// The catalogue in use.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The place a document with no place of its own is about, from its text (`folded`, whose
    /// `places` were found; its title and the sentence after end at `lead_end`), and whether it
    /// is the country read from its opening:
    /// - the place most of its names point at ([`dominant_place`]), not counting those compared
    ///   with ("chỉ sau Quảng Ninh", "cao hơn Khánh Hòa", "vượt Khánh Hòa"); or one named once,
    ///   when no other is, as a subject in the title or the sentence after ("GRDP 6 tháng đầu năm
    ///   2026 của Hà Nội …", "Hà Nội: …", "kinh tế tỉnh Cà Mau"; not "họp báo tại Hà Nội", "phóng
    ///   viên Báo Lào Cai", "trong đó Bắc Ninh dẫn đầu"), in a text that does not open on the
    ///   country's economy;
    /// - else the country, when the title or the sentence after names its economy or the whole
    ///   country as a subject (linking.toml's `national`, "cả nước", "toàn quốc", "Việt Nam":
    ///   "Tổng sản phẩm trong nước (GDP) quý III/2025 ước tính tăng 8,23%", "Kinh tế cả nước 10
    ///   tháng", "Kinh tế Việt Nam 9 tháng năm 2025"; not after
    ///   a share, a comparison or a rank, "đóng góp hơn 2% GDP cả nước", "dẫn đầu cả nước") and
    ///   names no province and no province's words ("tỉnh", "trên địa bàn").
    fn text_place(
        &self,
        folded: &str,
        places: &[PlaceHit],
        cues: &[crate::catalogue::CueMatch],
        lead_end: usize,
    ) -> Option<(Geo, bool)> {
        // The words of its chunk before `at` (without a unit prefix: "tỉnh"), and the mark the
        // chunk opens after.
        let words_before = |at: usize| {
            let (lead, mark) = chunk_lead(folded, at, 120);
            (lead, self.gazetteer.without_trailing_prefix(lead), mark)
        };
        let compared_alone = |p: &PlaceHit| {
            let (_, lead, _) = words_before(p.start);
            lead.ends_with("vượt")
                || words().find(lead).last().is_some_and(|h| {
                    lead[h.end..].trim().is_empty()
                        && (h.tags.contains(&Tag::BaseBefore)
                            || h.tags.contains(&Tag::GapBefore)
                            || (h.tags.contains(&Tag::NotSubject)
                                && matches!(
                                    &lead[h.start..h.end],
                                    "sau" | "chỉ sau" | "trước" | "như" | "hơn" | "với"
                                )))
                })
        };
        // (And those listed after it, ending the comparison: "chỉ sau Bắc Ninh và TP. Hồ Chí
        // Minh."; not "vượt Bắc Giang và Thái Nguyên vươn lên đứng thứ hai".)
        let compared = |p: &PlaceHit| {
            if compared_alone(p) {
                return true;
            }
            let rest = folded[p.end..].trim_start();
            if !(rest.is_empty() || rest.starts_with([',', '.', ';', ':', ')'])) {
                return false;
            }
            let mut p = p;
            for _ in 0..8 {
                let Some(q) = places.iter().rfind(|q| q.end <= p.start) else {
                    return false;
                };
                let between = self
                    .gazetteer
                    .without_trailing_prefix(&folded[q.end..p.start]);
                // (Not after a comma, which may end the comparison: "đứng sau TP. Hồ Chí Minh,
                // Bắc Ninh thu hút …".)
                if between.trim() != "và" {
                    return false;
                }
                if compared_alone(q) {
                    return true;
                }
                p = q;
            }
            false
        };
        let lead = &folded[..lead_end.min(folded.len())];
        let national_lead = words().contains_tag(lead, Tag::National);
        let named_once = |p: &PlaceHit| {
            if national_lead || p.start >= lead_end {
                return false;
            }
            let (raw, stripped, mark) = words_before(p.start);
            let raw = raw.trim();
            let opens_sentence = matches!(mark, Some(b'.' | b'\n' | b'!' | b'?'));
            let last = stripped.split_whitespace().next_back().unwrap_or("");
            !has_word(stripped, "trong")
                && !words().find(stripped).last().is_some_and(|h| {
                    h.tags.contains(&Tag::NotSubject) && stripped[h.end..].trim().is_empty()
                })
                && ((stripped.is_empty() && opens_sentence)
                    || last == "của"
                    // ("Tổng mức bán lẻ trên địa bàn Hà Nội", after an indicator's cue, not "họp
                    // báo trên địa bàn Hà Nội"; "Kinh tế Nghệ An tháng 7".)
                    || stripped.strip_suffix("địa bàn").is_some_and(|before| {
                        let before = before.trim_end();
                        let before = before.strip_suffix("trên").unwrap_or(before).trim_end();
                        let end = before.as_ptr() as usize - folded.as_ptr() as usize + before.len();
                        cues.iter().any(|c| {
                            c.indicator != crate::catalogue::OUTSIDE && c.span.end == end
                        })
                    })
                    || stripped == "kinh tế"
                    || stripped.len() < raw.len())
        };
        let part_of = |p: &PlaceHit| {
            p.former
                .then(|| self.gazetteer.successor(&p.id))
                .flatten()
                .map(|s| s.code.as_str())
        };
        if let Some(g) = dominant_place(places, |p| !compared(p), named_once, part_of) {
            return Some((g, false));
        }
        // Named as a subject: not after a share, a comparison or a rank ("đóng góp hơn 2% GDP cả
        // nước", "cao hơn mức tăng của cả nước", "lọt top 10 cả nước", "dẫn đầu cả nước").
        let as_subject = |at: usize| {
            let (_, before, _) = words_before(at);
            !["thứ", "top", "đầu", "vượt", "đứng", "xếp"]
                .iter()
                .any(|w| has_word(before, w))
                && !words().hits(before).any(|h| {
                    h.tags.iter().any(|t| {
                        matches!(
                            t,
                            Tag::BaseBefore | Tag::GapBefore | Tag::NotSubject | Tag::Share
                        )
                    })
                })
        };
        // (Or the country by its name: "Kinh tế Việt Nam 9 tháng năm 2025".)
        let national = words().hits(lead).any(|h| {
            (h.tags.contains(&Tag::National)
                || matches!(&lead[h.start..h.end], "cả nước" | "toàn quốc"))
                && as_subject(h.start)
        }) || places.iter().any(|p| {
            p.start < lead_end
                && p.code.as_deref() == Some("VN")
                && as_subject(p.start)
                // (Its economy: not "Việt Nam theo dõi … kinh tế Trung Quốc", "Xuất khẩu gạo của
                // Việt Nam sang Philippines".)
                && words_before(p.start).1.trim_end().ends_with("kinh tế")
        });
        (national
            && !places.iter().any(|p| p.is_province() && p.start < lead_end)
            && !provincial_words().contains_tag(lead, Tag::Provincial))
        .then(|| {
            self.gazetteer
                .resolve("VN", None)
                .map(|g| (Geo::of(g), true))
        })
        .flatten()
    }

    /// Whether a statement's unit of the map is in force when its period ends.
    fn in_force(&self, r: &IndicatorRecord) -> bool {
        r.period
            .zip(r.geo_id.as_deref())
            .and_then(|(p, id)| Some(self.gazetteer.place(id)?.in_force(p.end())))
            .unwrap_or(false)
    }

    /// Reads one document.
    pub fn transform(&self, doc: &Document) -> Transformed {
        // Lines wrapped inside a sentence are read as one (same offsets).
        let unwrapped = crate::segment::unwrap_lines(&doc.text);
        let text = unwrapped.as_deref().unwrap_or(&doc.text);
        let (folded_words, folded) = FoldedText::with_case_folded(text);
        let seg = segment_folded(text, &folded);
        // A place is the unit of the map in force when the text was published.
        let on = doc.meta.published.map(|p| p.first_day());
        let (cues, places) = match &self.cues_and_places {
            Some(joint) => {
                let (cues, places) = joint.find(folded_words.folded.as_bytes());
                let cues = self.catalogue.cues_from(text, &folded, &folded_words, cues);
                let places = self.gazetteer.places_from(text, &folded_words, on, places);
                (cues, places)
            }
            None => (
                self.catalogue
                    .find_cues_folded(text, &folded, &folded_words),
                self.gazetteer.find_in_folded(text, &folded_words, on),
            ),
        };
        // The word-folded text and its offset map (4 bytes a byte of an article, about 1.1 of a
        // long text) are done with: freed before the number grammar's tokens are made, so a
        // long document never holds both.
        drop(folded_words);
        let mut all_mentions = crate::numbers::scan_folded(text, &folded);
        let state = self.doc_state(doc, text, folded, &seg, &all_mentions, &cues, places);

        let mut out = Transformed {
            sentences: Vec::with_capacity(seg.sentences.len()),
            sentence_starts: Vec::with_capacity(seg.sentences.len()),
            repeats_dropped: seg.repeats_dropped,
            ..Transformed::default()
        };
        // Each statement's row, found by its key ([`record_key`]): the table holds the row's
        // index only, and a key is read from the row it indexes, so no key is copied (a long
        // document's took 30 MB). At most two statements per value, usually far fewer: sized
        // for a news article's, grown for a long document's.
        let hasher = FastHash::default();
        let mut by_key: HashTable<usize> =
            HashTable::with_capacity(all_mentions.len().min(RECORD_KEYS_RESERVED));
        // The indicators linked so far, each shared by its mentions.
        let mut linked_ids = LinkedIds::default();
        let mut carry = Carry::default();
        // The kept sentences' mentions, as the range of each in `all_mentions` (in order),
        // whose links are `out.links`: the others are taken out of `all_mentions` at the end,
        // which then becomes `out.mentions` without a copy.
        let mut kept: Vec<std::ops::Range<usize>> = Vec::new();
        out.links.reserve(all_mentions.len());
        for (si, sentence) in seg.sentences.iter().enumerate() {
            let sb = sentence.bytes;
            carry.sentence = Arc::from(&text[sb.start..sb.end]);
            out.sentences.push(Arc::clone(&carry.sentence));
            out.sentence_starts.push(sb.start);
            let range = range_by(&all_mentions, sb, |m| m.bytes.start);
            let ms = &all_mentions[range.clone()];
            // "…ước đạt 7,2%, trong đó:" then lines "- Khu vực … tăng 3,1%;": the parts of the
            // statements of the line that lists them.
            let sentence_text = text[sb.start..sb.end].trim();
            let list_item = sentence_text.starts_with(LIST_MARKS);
            if carry.paragraph.0 != sentence.paragraph {
                carry.paragraph = (sentence.paragraph, sb.start, false);
            }
            let valued = ms.iter().any(|m| m.kind.is_value());
            carry.paragraph.2 |= valued;
            let (_, start, with_value) = carry.paragraph;
            let line = Span::new(start, sb.end);
            // A line of a numbered list ("1. Tốc độ tăng trưởng kinh tế đạt từ 7,5% trở lên;",
            // "a) …") is an item under the headings above it too.
            let item = list_item || numbered_item(&text[start..sb.end]);
            if !list_item {
                carry.list_parent.clear();
                let folded = &state.folded[sb.start..sb.end];
                carry.parts_listed =
                    sentence_text.ends_with(':') && words().contains_tag(folded, Tag::Parts);
            }
            // (A list of goals goes on over its numbered lines: "…năm 2025 với các chỉ tiêu chủ
            // yếu sau:" then "1. Tốc độ tăng trưởng GRDP đạt 8% trở lên.")
            if !item || sentence_text.ends_with(':') {
                // (A count of the goals is no value: "…thông qua 16 chỉ tiêu chủ yếu, trong đó:".)
                let valued = if start == sb.start {
                    ms.iter().any(|m| m.kind.is_value() && !counts_goals(m))
                } else {
                    with_value
                };
                carry.goals_listed =
                    sentence_text.ends_with(':') && !valued && introduces_goals(&state, line);
            }
            if !item && valued {
                carry.valued_at = sb.end;
            }
            if list_item && !carry.list_item && carry.parts_listed {
                carry.list_parent = carry.links.iter().flatten().cloned().collect();
            }
            carry.list_item = list_item;
            carry.item = item;
            carry.continued = match si.checked_sub(1) {
                Some(p) if slice_by(&cues, seg.sentences[p].bytes, |c| c.span.start).is_empty() => {
                    carry.links.iter().rev().flatten().next().cloned()
                }
                _ => None,
            };
            carry.last_sentence_links.clear();
            carry
                .last_sentence_links
                .extend(carry.links.iter().flatten().cloned());
            carry.links.clear();
            carry.hits.take();
            carry.breakdowns.take();
            carry.districts.take();
            carry.verbs.take();
            if !ms.is_empty() {
                carry.delims.find(text, sb);
                kept.push(range.clone());
            }
            carry.sentence_has_record = false;
            carry.sentence_kind = None;
            carry.sentence_period = None;
            for (mi, m) in ms.iter().enumerate() {
                let linked = if mi < MAX_LINKED_MENTIONS_PER_SENTENCE {
                    self.link_one(&state, si, sentence, ms, mi, &cues, &seg, &carry)
                } else {
                    out.unlinked_overflow += 1;
                    None
                };
                let indicator = linked.as_ref().map(|r| linked_ids.get(&r.indicator));
                carry.links.push(indicator.clone());
                out.links.push(MentionLink {
                    indicator,
                    sentence: si,
                });
                let Some(mut rec) = linked else { continue };
                // The main statement of a sentence (its first) sets the period that "Trong đó, ..."
                // sentences after it inherit; comparisons later in the sentence do not, nor where
                // a movement started ("Tỷ lệ hộ nghèo giảm từ 1,56% năm 2021 xuống còn 0,87% năm
                // 2023. Tỷ lệ lao động qua đào tạo đạt 69,5%." is 2023's).
                let main = !carry.sentence_has_record
                    && movement_start(&state.folded, ms, mi, carry.delims.chunk(m.bytes.start))
                        .is_none();
                if main && matches!(rec.kind, Kind::Actual | Kind::Estimate) {
                    // Not the year to date ("Từ đầu năm đến nay, … đạt 5.200 tỷ đồng; phấn đấu cả
                    // năm …", "…, nâng tổng số xã đạt chuẩn lên 95 xã"): its statement's own; nor
                    // a part set apart ("Năm qua, … ước đạt 7,5%. Riêng quý IV, GRDP ước tăng 9,2%.
                    // Thu ngân sách … ước đạt …" is the year's revenue).
                    let apart = opens_with(
                        &state.folded[sb.start..sb.end],
                        &linking_file().period.set_apart,
                    )
                    .is_some();
                    // (Nor a yearly pace: "Tỷ lệ hộ nghèo giảm bình quân 3,5%/năm, …. Tỷ lệ lao
                    // động qua đào tạo đạt 62%" is of the year before, not of the term.)
                    if rec.period.is_some()
                        && !carry.to_date.get()
                        && !yearly_pace(&state.folded, m)
                    {
                        if apart {
                            carry.apart = rec.period;
                        } else {
                            carry.period = rec.period;
                            carry.period_sentence = sb;
                            carry.apart = None;
                        }
                    }
                    carry.kind = Some(rec.kind);
                }
                if main {
                    carry.sentence_kind = Some(rec.kind);
                    carry.sentence_period = rec.period;
                }
                carry.sentence_has_record |= main;
                rec.source_id = doc.source_id.clone();
                // The record quotes the whole sentence (`Carry::sentence`); a long one's is cut.
                if let Cow::Owned(cut) = quote_around(&carry.sentence, sb.start, m.bytes) {
                    rec.quote = Arc::from(cut);
                }
                rec.occurrences = sentence.occurrences;
                // "45.799/36.875 tỷ đồng": the achieved value and its target are two statements.
                let target = match (m.kind, rec.of_total, rec.unit) {
                    (MentionKind::SlashPair, Some(of), unit) if unit != Unit::Count => {
                        rec.of_total = None;
                        Some(IndicatorRecord {
                            kind: Kind::Target,
                            value_low: of,
                            value_high: of,
                            ..rec.clone()
                        })
                    }
                    _ => None,
                };
                for r in std::iter::once(rec).chain(target) {
                    let key = record_key(&r);
                    let hash = hasher.hash_one(&key);
                    let records = &out.records;
                    match by_key.find(hash, |&i| {
                        record_key(&records[i]) == key && same_base(&records[i], &r)
                    }) {
                        Some(&i) => {
                            let kept = &mut out.records[i];
                            kept.occurrences += r.occurrences;
                            // One fact stated of two units of one code ("GRDP tỉnh Lào Cai (cũ)
                            // tăng 7,5%. Như vậy, năm 2024 … đạt 7,5%" under the merged Lào Cai
                            // the source names) is the unit's in force when its period ends.
                            if kept.geo_id != r.geo_id && self.in_force(&r) && !self.in_force(kept)
                            {
                                kept.geo_id = r.geo_id.clone();
                                kept.geo_name = r.geo_name.clone();
                            }
                            // The statement that names its base says more.
                            if kept.base.is_none() {
                                kept.base = r.base;
                                kept.base_period = r.base_period;
                            }
                        }
                        None => {
                            by_key.insert_unique(hash, records.len(), |&i| {
                                hasher.hash_one(record_key(&records[i]))
                            });
                            out.records.push(r);
                        }
                    }
                }
            }
        }
        let mut kept = kept.into_iter().peekable();
        let mut i = 0;
        all_mentions.retain(|_| {
            while kept.next_if(|r| r.end <= i).is_some() {}
            let keep = kept.peek().is_some_and(|r| r.contains(&i));
            i += 1;
            keep
        });
        out.mentions = all_mentions;
        // Each link goes with its mention: a kept range out of order would leave some unused
        // and the lengths apart (checked always: it costs nothing, and a link on the wrong
        // mention would be a wrong row, not a missing one).
        assert_eq!(
            out.mentions.len(),
            out.links.len(),
            "kept sentences are in text order"
        );
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn doc_state<'a>(
        &self,
        doc: &Document,
        text: &'a str,
        folded: String,
        seg: &Segmented,
        mentions: &[Mention],
        cues: &[crate::catalogue::CueMatch],
        found: Vec<crate::gazetteer::PlaceMatch<'_>>,
    ) -> DocState<'a> {
        let published = doc.meta.published;
        let mut places = Vec::new();
        // How many mentions start before the place looked at (places come in text order).
        let mut before_place = 0;
        for pm in found {
            // The unit in force at publication, unless written as the former or the new one.
            let mark = written_as(&folded[..pm.span.start], &folded[pm.span.end..]);
            let former = mark == Some(UnitMark::Former);
            let place = match mark {
                Some(UnitMark::Former) => self.gazetteer.former(pm.place),
                Some(UnitMark::New) => self.gazetteer.renewed(pm.place),
                None => pm.place,
            };
            let (code, group) = match place.kind {
                PlaceKind::Region => (
                    None,
                    Some((place.id.clone(), self.gazetteer.region_size(&place.id))),
                ),
                PlaceKind::RankingGroup => (
                    None,
                    Some((place.id.clone(), self.gazetteer.region_size(&place.id))),
                ),
                _ => (Some(place.code.clone()), None),
            };
            // A place right after a rank is the group ranked in ("đứng đầu cả nước", "thứ 5
            // toàn quốc"), not the subject of what follows.
            while mentions
                .get(before_place)
                .is_some_and(|r| r.bytes.start < pm.span.start)
            {
                before_place += 1;
            }
            let after_rank = place.code == "VN"
                && mentions[..before_place]
                    .last()
                    .filter(|r| r.kind == MentionKind::Rank && r.bytes.end <= pm.span.start)
                    .is_some_and(|r| {
                        let gap = &folded[r.bytes.end..pm.span.start];
                        !gap.contains(crate::segment::is_line_break)
                            && matches!(gap.trim(), "" | "trong" | "của")
                    });
            let code = code.filter(|_| !after_rank);
            places.push(PlaceHit {
                start: pm.span.start,
                end: pm.span.end,
                code,
                id: place.id.clone(),
                former,
                name: place.name.clone(),
                group,
                municipal: place.kind == PlaceKind::City,
            });
        }
        // A date is a period only after words that make it one ("tính đến ngày 15/11/2023"):
        // [`date_period`].
        let names_period = |m: &Mention| {
            matches!(
                m.kind,
                MentionKind::Year | MentionKind::Period | MentionKind::Date
            )
        };
        // Sized for every one that can be: a long document has hundreds of thousands.
        let mut periods = Vec::with_capacity(
            mentions
                .iter()
                .filter(|m| m.period.is_some() && names_period(m))
                .count(),
        );
        let mut terms = Vec::new();
        let mut same_period_year = None;
        for (k, m) in mentions.iter().enumerate() {
            let Some(p) = m.period else { continue };
            if !names_period(m) {
                continue;
            }
            if m.kind == MentionKind::Date {
                if let Some(p) = date_period(&folded, &seg.sentences, mentions, k) {
                    periods.push(Stated::new(m.bytes, p, false));
                }
                continue;
            }
            let before =
                &folded[floor_char(&folded, m.bytes.start.saturating_sub(24))..m.bytes.start];
            if names_event_time(&folded, m.bytes.start) {
                continue;
            }
            let tags_before = words().find(before);
            // A base word just before the period, in its clause: "…tăng 7,68% so cùng kỳ.
            // Năm 2019, GRDP …" opens a sentence with its own year; or before a multiple ("gấp
            // 1,5 lần năm 2020").
            let times = |gap: &str| {
                // (A year's mention leaves its "năm" out.)
                let gap = gap.strip_suffix("năm").map_or(gap, str::trim_end);
                // A number, after a comparator's word or two at most ("gấp gần 1,5 lần",
                // "gấp xấp xỉ 2 lần").
                gap.strip_suffix("lần").is_some_and(|n| {
                    let mut words = n.split_whitespace().rev();
                    words.next().is_some_and(|n| {
                        n.bytes()
                            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
                    }) && words.count() <= 2
                })
            };
            // ("so với cuối năm 2022", "so với thời điểm đầu năm 2023": the end of a year.)
            let year_end = |gap: &str| {
                let gap = gap.strip_suffix("năm").map_or(gap, str::trim_end);
                let gap = gap
                    .strip_suffix("cuối")
                    .or_else(|| gap.strip_suffix("đầu"))
                    .map(str::trim_end);
                gap.is_some_and(|g| g.is_empty() || g == "thời điểm")
            };
            let ends_base = |before: &str, hits: &[crate::lexicon::Hit<'_, Tag>]| {
                hits.iter().any(|h| {
                    h.tags.contains(&Tag::BaseBefore)
                        && ((h.end + 8 >= before.len()
                            && !before[h.end..].contains(['.', ',', ';', ':', '\n', '!', '?']))
                            || times(before[h.end..].trim())
                            || year_end(before[h.end..].trim()))
                })
            };
            // "so với cùng thời kỳ năm 2022", "gấp gần 1,5 lần năm 2020" run past the window:
            // looked at again, wider.
            let is_base = ends_base(before, &tags_before)
                || ((before.contains("cùng") || before.contains("lần")) && {
                    let wide = &folded
                        [floor_char(&folded, m.bytes.start.saturating_sub(40))..m.bytes.start];
                    ends_base(wide, &words().find(wide))
                });
            let cumulative = tags_before.iter().any(|h| {
                h.tags.contains(&Tag::Cumulative) && matches!(before[h.end..].trim(), "" | "tháng")
            });
            let p = match p {
                PeriodRef::Month(month) if cumulative => PeriodRef::Months { from: 1, to: month },
                PeriodRef::Fixed(Period::Month { year, month }) if cumulative => {
                    PeriodRef::Fixed(Period::months(year, 1, month))
                }
                other => other,
            };
            // "Từ đầu năm 2024 đến nay": from 1 January to the publication, in its year, when
            // the words around the year are one of linking.toml's `year_to_date` ("từ đầu năm
            // đến nay"); "đến nay" is the period's, no `now` word.
            let to_date = match (p, published) {
                (PeriodRef::Fixed(Period::Year(y)), Some(published))
                    if y == published.year() && before.trim_end().ends_with(YEAR_START) =>
                {
                    let after = &folded[m.bytes.end..];
                    let rest = after.trim_start();
                    let joined = format!(
                        "{YEAR_START} {}",
                        &rest[..floor_char(rest, rest.len().min(40))]
                    );
                    words()
                        .hits(&joined)
                        .next()
                        .filter(|h| {
                            h.start == 0
                                && h.end > YEAR_START.len() + 1
                                && h.tags.contains(&Tag::YearToDate)
                        })
                        .zip(year_to_date(published))
                        .map(|(h, p)| {
                            let end = m.bytes.end + (after.len() - rest.len()) + h.end
                                - (YEAR_START.len() + 1);
                            (PeriodRef::Fixed(p), Span::new(m.bytes.start, end))
                        })
                }
                _ => None,
            };
            // "Quý IV năm trước", "6 tháng đầu năm ngoái", "tháng 6 năm nay": the year named
            // from the publication's, and the words are the period's.
            let (p, bytes, carries) = match (p, published) {
                _ if let Some((p, bytes)) = to_date => (p, bytes, true),
                // (Not a base's: "so với 6 tháng năm trước" after "Năm 2023, …" counts from the
                // value's year.)
                (PeriodRef::Fixed(_), _) | (_, None) => (p, m.bytes, true),
                _ if is_base => (p, m.bytes, true),
                (p, Some(published)) => match year_word_after(&folded, m.bytes, published) {
                    Some((year, end)) => (
                        PeriodRef::Fixed(p.resolve(year)),
                        Span::new(m.bytes.start, end),
                        false,
                    ),
                    None => (p, m.bytes, true),
                },
            };
            if let PeriodRef::Fixed(Period::Years { from, to }) = p
                && tags_before
                    .iter()
                    .any(|h| h.tags.contains(&Tag::TermBefore))
            {
                terms.push((from, to));
            }
            if is_base
                && published.is_none()
                && let PeriodRef::Fixed(Period::Year(y)) = p
                && names_same_period(before)
            {
                same_period_year = same_period_year.max(Some(y + 1));
            }
            // A period of a clause that compares (linking.toml's `compared_clause`,
            // `uncarried_after`: "…, trong khi quý I/2023 chỉ tăng 1,8%", "cao hơn mức tăng
            // 4,24% của 9 tháng năm 2023", "cao nhất kể từ năm 2019") dates that clause, not the
            // sentences after it; a sentence's first chunk is its statement ("Trong khi năm
            // 2021 cả nước chỉ tăng 2,58%, Bắc Giang vẫn đạt 7,82%", "Trong khi đó, năm 2021,
            // tỉnh chỉ đón …" state 2021's results).
            let compared = || {
                let (lead, mark) = chunk_lead(&folded, m.bytes.start, 64);
                let has = |tags: &[Tag]| {
                    small_words()
                        .compares
                        .hits(lead)
                        .any(|h| tags.iter().any(|t| h.tags.contains(t)))
                };
                match mark {
                    Some(b',' | b';' | b'(') => {
                        has(&[Tag::Compared, Tag::BaseBefore, Tag::Uncarried])
                    }
                    _ => has(&[Tag::Uncarried]),
                }
            };
            periods.push(Stated {
                carries: carries && !is_base && !compared(),
                ..Stated::new(bytes, p, is_base)
            });
        }
        // "Năm qua, …", "Năm ngoái, …": years named from the publication's, stated as years are
        // (not inside a period's words: "Quý IV năm trước").
        if let Some(published) = published {
            let named = years_named(&folded, published);
            if !named.is_empty() {
                let inside = |b: Span| {
                    let k = periods.partition_point(|s| s.bytes.start <= b.start);
                    k > 0 && periods[k - 1].bytes.end >= b.end
                };
                // "Năm qua" before any other period is the year a review is about, and carries
                // as a year in digits does ("Năm qua, … . Quý I, tỷ lệ thất nghiệp … là 3,4%" in
                // January 2025 is 2024's); not after one ("Quý I/2024, … . Năm qua, … . Kim
                // ngạch xuất khẩu quý I …"), nor "năm ngoái", "năm trước", given to compare.
                let first = periods.iter().find(|s| !s.base).map(|s| s.bytes.start);
                let past = &linking_file().period.past_year;
                let named: Vec<_> = named
                    .into_iter()
                    .filter(|s| !inside(s.bytes))
                    .map(|s| Stated {
                        carries: first.is_none_or(|f| f > s.bytes.start)
                            && past
                                .iter()
                                .any(|w| *w == folded[s.bytes.start..s.bytes.end]),
                        ..s
                    })
                    .collect();
                periods.extend(named);
                periods.sort_by_key(|s| s.bytes.start);
            }
        }
        // Where each is: its sentence's paragraph, whether the sentence states a value, and
        // whether its line reads as a heading.
        for s in &mut periods {
            let k = seg
                .sentences
                .partition_point(|x| x.bytes.start <= s.bytes.start);
            let mut in_valued_sentence = false;
            if let Some(sentence) = k.checked_sub(1).map(|k| &seg.sentences[k]) {
                s.paragraph = sentence.paragraph;
                let from = mentions.partition_point(|m| m.bytes.start < sentence.bytes.start);
                s.with_value = mentions[from..]
                    .iter()
                    .take_while(|m| m.bytes.start < sentence.bytes.end)
                    .any(|m| m.kind.is_value());
                in_valued_sentence = s.with_value && sentence.bytes.contains(s.bytes);
            }
            // (A sentence that states a value is on no heading's line: most periods are, and
            // their lines are not looked for.)
            s.heading = !in_valued_sentence && heading_line(text, mentions, s.bytes.start);
        }
        let title_period = seg.sentences.first().and_then(|s| {
            periods
                .iter()
                .find(|p| !p.base && s.bytes.contains(p.bytes) && p.period.fixed().is_some())
                .and_then(|p| p.period.fixed())
        });
        // The source's place, as the unit in force at publication.
        let default_geo = doc
            .meta
            .geo
            .as_deref()
            .and_then(|code| {
                self.gazetteer
                    .resolve(code, published.map(|p| p.first_day()))
                    .map(Geo::of)
            })
            .or_else(|| {
                doc.meta.geo.clone().map(|c| Geo {
                    code: c.clone(),
                    id: c.clone(),
                    name: c,
                })
            })
            .map(|g| (g, false))
            .or_else(|| {
                // (The title and the first sentence after it.)
                let lead_end = seg
                    .sentences
                    .get(1)
                    .or(seg.sentences.first())
                    .map_or(0, |s| s.bytes.end);
                self.text_place(&folded, &places, cues, lead_end)
            });
        let (default_geo, national_default) = match default_geo {
            Some((g, national)) => (Some(g), national),
            None => (None, false),
        };
        let headings: Vec<Heading> = seg
            .sentences
            .iter()
            .filter_map(|s| {
                let cue = slice_by(cues, s.bytes, |c| c.span.start)
                    .last()
                    .filter(|c| c.indicator != crate::catalogue::OUTSIDE)?;
                let states_value = slice_by(mentions, s.bytes, |m| m.bytes.start)
                    .iter()
                    .any(|m| {
                        m.kind.is_value()
                            && !matches!(m.kind, MentionKind::Count | MentionKind::Number)
                    });
                if states_value || s.bytes.len() > 240 {
                    return None;
                }
                Some(Heading {
                    paragraph: s.paragraph,
                    indicator: cue.indicator,
                    unit: heading_unit(&text[s.bytes.start..s.bytes.end]),
                })
            })
            .collect();
        // In text order: a value looks up its document's places, periods and headings by
        // binary search (`DocState::places_within`, …).
        debug_assert!(places.is_sorted_by_key(|p| p.start));
        debug_assert!(periods.is_sorted_by_key(|s| s.bytes.start));
        debug_assert!(headings.is_sorted_by_key(|h| h.paragraph));
        DocState {
            headings,
            text,
            folded,
            published_year: published.map(|p| p.year()),
            published,
            default_geo,
            national_default,
            places,
            periods,
            terms,
            same_period_year,
            title_period,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn link_one(
        &self,
        st: &DocState<'_>,
        si: usize,
        sentence: &crate::segment::Sentence,
        ms: &[Mention],
        mi: usize,
        cues: &[crate::catalogue::CueMatch],
        seg: &Segmented,
        carry: &Carry,
    ) -> Option<IndicatorRecord> {
        let m = &ms[mi];
        if !m.kind.is_value() || matches!(m.kind, MentionKind::Multiplier | MentionKind::RankChange)
        {
            return None;
        }
        let sb = sentence.bytes;
        let clause = carry.delims.clause(m.bytes.start);
        let chunk = carry.delims.chunk(m.bytes.start);

        // Indicator: candidate cues, nearest first: a cue right after the value ("500 doanh
        // nghiệp thành lập mới", "đứng thứ 2 về kim ngạch xuất khẩu"), then the cues before it in
        // the sentence, then, when the sentence names none, the previous sentence's last cue.
        let sentence_cues = slice_by(cues, sb, |c| c.span.start);
        // A number inside an indicator's name is no value: "số giường bệnh trên 1 vạn dân".
        if sentence_cues
            .iter()
            .any(|c| c.span.start <= m.bytes.start && m.bytes.end <= c.span.end)
        {
            return None;
        }
        // "Vận tải hành khách 9 tháng ước đạt 8,4 triệu lượt khách": the value's subject, the
        // nearest cue before it in its chunk with no value between, is outside the catalogue,
        // whatever its unit's words name.
        if let Some(c) = sentence_cues
            .iter()
            .rfind(|c| c.span.end <= m.bytes.start && c.span.start >= chunk.start)
            && c.indicator == crate::catalogue::OUTSIDE
            && !ms[..mi]
                .iter()
                .any(|p| p.kind.is_value() && p.bytes.start >= c.span.end)
        {
            return None;
        }
        let mut candidates: Vec<&Indicator> = Vec::new();
        // A cue within the value's own unit names it: "11,5 bác sĩ/vạn dân và 32 giường bệnh/vạn
        // dân".
        if let Some(c) = sentence_cues
            .iter()
            .find(|c| c.span.start > m.bytes.start && c.span.start < m.bytes.end)
        {
            candidates.push(self.catalogue.named(c)?);
        } else if let Some(c) = sentence_cues
            .iter()
            .find(|c| c.span.start >= m.bytes.end && c.span.start < clause.end)
        {
            let between = &st.folded[m.bytes.end..c.span.start];
            let adjacent = between.trim().is_empty();
            let about = m.kind == MentionKind::Rank && has_word(between, "về");
            if (adjacent || about) && !ratio_to_economy(st, ms, sb, c) {
                // "96 doanh nghiệp quay trở lại hoạt động": named, but outside the catalogue.
                candidates.push(self.catalogue.named(c)?);
            }
        }
        // The indicator named right after the value, if any.
        let named_after = candidates.first().map(|ind| ind.id.as_str());
        // "12 bác sĩ và 35 giường bệnh trên vạn dân": a count of doctors listed before a rate per
        // 10 000 people is the rate whose cue is the noun with the same words.
        if candidates.is_empty()
            && m.unit == Some(Unit::Count)
            && let Some(noun) = m.counted_noun.as_deref()
            && let Some(next) = ms.get(mi + 1)
            && next.unit == Some(Unit::Per10kPeople)
            && m.value_low.is_some_and(|v| v <= PER_10K_MAX)
            && listed_before_rate(&st.folded, m, &noun.to_lowercase(), next.bytes.start)
            && let cue = format!("{} trên vạn dân", noun.to_lowercase())
            && let Some(ind) = self
                .catalogue
                .indicators()
                .iter()
                .find(|ind| ind.cues.contains(&cue))
        {
            candidates.push(ind);
        }
        // The nearest cue before the value is authoritative when no other value stands between
        // them ("…, hộ cận nghèo là 6.943 hộ": not the "hộ nghèo" named earlier); otherwise older
        // cues are tried too ("Thu ngân sách đạt và vượt dự toán, đạt 12.000 tỷ đồng").
        // A subject of its own no cue covers, opening a chunk of the value's clause ("…; sản
        // lượng khai thác đạt 12.000 tấn, bằng 102% kế hoạch" after aquaculture): the values
        // after it take no indicator from before it.
        let own_subject = || {
            carry
                .sentence_hits(&st.folded, sb)
                .iter()
                .filter(|h| {
                    h.tags.contains(&Tag::OwnSubject)
                        && h.start >= clause.start
                        && h.end <= m.bytes.start
                        && starts_chunk(&st.folded[carry.delims.chunk(h.start).start..h.start])
                        && names_own_subject(&st.folded[h.end..m.bytes.start])
                        && !sentence_cues
                            .iter()
                            .any(|c| c.span.start <= h.start && c.span.end >= h.end)
                })
                .map(|h| h.start)
                .next_back()
        };
        // What a sentence lists after "trong đó" is a part of what came before ("Tỷ lệ lao động
        // qua đào tạo đạt 70,5%, trong đó có bằng cấp, chứng chỉ đạt 28%"): a cue after it names
        // the part ("trong đó khu vực dịch vụ tăng 6,4%"), one before does not, unless the part
        // is a period of its own ("…, trong đó quý IV tăng 8%").
        // Its scope is the rest of the sentence, up to a closing bracket ("… đạt 3,5 triệu lượt
        // (trong đó khách lưu trú đạt 1,2 triệu lượt), tăng 18%": the 18 % is the total's), and
        // a later clause with a period of its own ("; ước cả năm đạt 2,6 tỷ USD") is the total's.
        // (Parts of a total: what follows the words of parts that end at `end` names no period,
        // no place and no time of its own.)
        let parts_of_total = |end: usize| {
            let own_period = st
                .periods_within(Span::new(end, m.bytes.start))
                .iter()
                .any(|s| !s.base && s.bytes.start >= end && s.bytes.end <= m.bytes.start);
            // "…, trong đó Bắc Giang 13,45%": a province's part is the province's value.
            let own_place = st
                .places_within(Span::new(end, m.bytes.start))
                .iter()
                .any(|p| p.code.is_some() && p.start >= end && p.end <= m.bytes.start);
            let tags = tag_bits(words().hits(&st.folded[end..m.bytes.start]));
            !own_period
                && !own_place
                && tags & (Tag::Now.bit() | Tag::WholeYear.bit() | Tag::YearToDate.bit()) == 0
        };
        let parts_from = || {
            let hits = carry.sentence_hits(&st.folded, sb);
            parts_after(&st.folded, hits, sb, m.bytes.start)
                .filter(|&(_, end)| parts_of_total(end))
                .map(|(i, _)| i)
        };
        // Cues before this point do not name the value's indicator: looked for only when a cue
        // before the value or a carried one could name it (the sentence's linking words are
        // searched once, when first needed).
        let floor = std::cell::OnceCell::new();
        let cue_floor = || *floor.get_or_init(|| own_subject().max(parts_from()));
        // An outside subject reaches no further than its chunk: "tỷ lệ giải ngân vốn đầu tư công,
        // kể cả vốn vay nước ngoài, đạt 95,2% kế hoạch" is the disbursement's.
        let before = sentence_cues
            .iter()
            .rev()
            .filter(|c| c.span.end <= m.bytes.start)
            .filter(|c| c.indicator != crate::catalogue::OUTSIDE || c.span.end > chunk.start)
            .filter(|c| !(is_verb_cue(c) && carry.verb(st, sentence_cues, c)))
            // (Nor the denominator of a ratio before: "bội chi 3,1% GDP, nợ công 36% GDP".)
            .filter(|c| !ratio_to_economy(st, ms, sb, c))
            .filter(|c| cue_floor().is_none_or(|f| c.span.start >= f));
        let value_between = |c: &crate::catalogue::CueMatch| {
            ms[..mi]
                .iter()
                .any(|p| p.kind.is_value() && p.bytes.start >= c.span.end)
        };
        // (An outside subject in the value's chunk is its subject, whatever lies between: "nâng
        // tổng số dự án FDI còn hiệu lực lên 1.260 dự án với tổng vốn 11,8 tỷ USD".)
        let take = match before.clone().next() {
            Some(c) if c.indicator == crate::catalogue::OUTSIDE || !value_between(c) => 1,
            _ => 3,
        };
        // "GRDP năm 2022 tăng 9,02%, xếp thứ 4/14": a rank after a value ranks what the value
        // was read as (the growth), not the amount its cue names.
        let about_topic = || {
            let end = floor_char(st.text, (m.bytes.end + RANK_GROUP_WINDOW).min(clause.end));
            st.folded[m.bytes.end..end]
                .split([',', ';'])
                .next()
                .is_some_and(|w| has_word(w, "về"))
        };
        if m.kind == MentionKind::Rank
            && candidates.is_empty()
            && !about_topic()
            && let Some(c) = before.clone().next()
            && let Some(ranked) = ms[..mi]
                .iter()
                .zip(&carry.links)
                .rev()
                .take_while(|(p, _)| p.bytes.start >= c.span.end)
                .find_map(|(p, link)| link.as_deref().filter(|_| p.kind.is_value()))
            && let Some(ind) = self.catalogue.get(ranked)
        {
            candidates.push(ind);
        }
        // "Kim ngạch xuất khẩu và kim ngạch nhập khẩu lần lượt đạt 2,1 tỷ USD và 1,5 tỷ USD": the
        // values after "lần lượt" take the cues before it in order, and past them none, unless
        // one cue or a list of places is shared.
        let respective = before
            .clone()
            .next()
            .and_then(|_| self.respective_cue(st, carry, sentence_cues, ms, mi, sb, clause));
        // "Kim ngạch xuất khẩu và nhập khẩu 6 tháng đạt 2,7 tỷ USD và 1,9 tỷ USD, tăng 15% và
        // 8%": lists of two values pair with two joined subjects; one value of both is of
        // neither ("kim ngạch xuất khẩu và nhập khẩu đạt 3,6 tỷ USD"; not "500 doanh nghiệp
        // thành lập mới và vốn đăng ký đạt …", whose first cue names the value before it).
        let joined = match respective {
            Some(_) => None,
            None => before.clone().next().and_then(|c| {
                let p = joined_subjects(st, sentence_cues, ms, c, clause)?;
                Some(list_position(&st.folded, ms, mi, clause, 2).map(|pos| [p, c][pos]))
            }),
        };
        let paired = matches!(respective, Some(Some(_))) || matches!(joined, Some(Some(_)));
        // "Sản lượng lúa vụ Đông Xuân năm 2023 đạt 120.500 tấn": a crop season's, right after
        // the value's cue in its clause (not "…, cả năm đạt 180.000 tấn" after it, nor "…; năm
        // 2023 đạt 480.000 tấn"), or opening its chunk ("…, riêng vụ mùa 95.000 tấn").
        if let Some(c) = before.clone().next()
            && c.span.end < m.bytes.start
            && let hits = carry.sentence_hits(&st.folded, sb)
            && hits.iter().any(|h| {
                h.tags.contains(&Tag::Season)
                    && h.start >= clause.start
                    && h.end <= m.bytes.start
                    && ((h.start >= c.span.end && st.folded[c.span.end..h.start].trim().is_empty())
                        || (h.start >= chunk.start.max(c.span.end)
                            && matches!(
                                st.folded[chunk.start..h.start].trim(),
                                "" | "riêng" | "còn" | "trong đó"
                            ))
                        // "Vụ Hè Thu 2024, sản lượng lúa … đạt 1,6 triệu tấn": opening the
                        // clause before the cue, alone in its chunk with its year, and no other
                        // period up to the value ("Vụ Đông Xuân thắng lợi lớn, sản lượng … 6
                        // tháng đầu năm đạt …" is the half-year's).
                        || (h.end <= c.span.start
                            && matches!(
                                st.folded[clause.start..h.start].trim(),
                                "" | "riêng" | "còn" | "trong" | "trong đó"
                            )
                            && season_alone(st, carry.delims.chunk(h.start), h, m)))
            })
            && !hits.iter().any(|h| {
                h.tags.contains(&Tag::WholeYear)
                    && h.start >= chunk.start.max(c.span.end)
                    && h.end <= m.bytes.start
            })
        {
            return None;
        }
        match respective {
            Some(cue) => candidates.extend(cue.and_then(|c| self.catalogue.named(c))),
            None => match joined {
                Some(cue) => candidates.extend(self.catalogue.named(cue?)),
                None => {
                    candidates.extend(before.take(take).filter_map(|c| self.catalogue.named(c)));
                }
            },
        }
        // A sentence without cues continues the indicator its earlier values were linked to.
        if sentence_cues.is_empty()
            && let Some(id) = carry.links.iter().rev().flatten().next()
            && let Some(ind) = self.catalogue.get(id)
            && cue_floor().is_none()
        {
            candidates.push(ind);
        }
        // A sentence that continues the previous one's subject ("Năm 2019 tăng 1,31%; 2020 tăng
        // 3,32%") has few words before its first value besides its periods, or, besides those and
        // words of time, kind or going on, only verbs ("Tính chung 11 tháng, ước đạt 149.870 tỷ
        // đồng", "Dự kiến cả năm đạt …"; not "Tính chung 11 tháng, nhập khẩu ước đạt …", "Ước
        // cả năm, vốn nhà nước 8.000 tỷ đồng").
        let continues = || {
            const NOT_COUNTED: TagSet = Tag::Continuing.bit()
                | Tag::Parts.bit()
                | Tag::Estimate.bit()
                | Tag::Forecast.bit()
                | Tag::WholeYear.bit()
                | Tag::YearToDate.bit()
                | Tag::Now.bit();
            let lead = &st.folded[sb.start..m.bytes.start];
            // The lead's words that are not in the sentence's mentions, with where they start.
            let words = || {
                lead.split_whitespace().filter_map(|w| {
                    let at = sb.start + (w.as_ptr() as usize - lead.as_ptr() as usize);
                    (!ms[..mi]
                        .iter()
                        .any(|p| p.bytes.start <= at && at < p.bytes.end))
                    .then_some((at, w))
                })
            };
            // Only a value followed by nothing but punctuation or linking.toml's
            // `continuing_after` (a base, a plan, a rank, a period): not by what it counts
            // ("Tỉnh Cao Bằng với 95% dân số là người dân tộc thiểu số", "… với 5.000 tỷ đồng nợ
            // xây dựng cơ bản").
            let after = st.folded[past_value(&st.folded, m)..sb.end.max(m.bytes.end)].trim_start();
            let goes_on = after.is_empty()
                || after.starts_with(['.', ',', ';', ':', '(', ')', '-', '–'])
                || linking_file().measure.continuing_after.iter().any(|w| {
                    after.strip_prefix(w.as_str()).is_some_and(|rest| {
                        rest.is_empty() || rest.starts_with([' ', ',', '.', ';', ':'])
                    })
                });
            // (A rank names its place after it: "Xếp thứ hai là Bình Dương với 199,4 triệu đồng".)
            if !goes_on && m.kind != MentionKind::Rank {
                return false;
            }
            if words().count() <= 3 {
                return true;
            }
            let hits = carry.sentence_hits(&st.folded, sb);
            // (A province or a city named is its subject: "Thủ đô Hà Nội đứng thứ hai với
            // 650.000 tỷ đồng", "Trong đó, tỉnh Hà Nam (cũ) tăng 10,83%"; not the country, whose
            // total may be of something else: "Tính chung 11 tháng, cả nước ước đạt …".)
            let places = st.places_within(Span::new(sb.start, m.bytes.start));
            words().all(|(at, w)| {
                // (linking.toml's `continuing_words`: "Tính chung 7 tháng, thành phố đón 6,1
                // triệu lượt".)
                let w = w.trim_matches([',', ';', ':', '.', '(', ')', '"', '-']);
                w.is_empty()
                    || places
                        .iter()
                        .any(|p| p.is_province() && p.start <= at && at < p.end)
                    || linking_file()
                        .measure
                        .continuing_words
                        .iter()
                        .any(|c| c == w)
                    || hits.iter().any(|h| {
                        h.start <= at
                            && at < h.end
                            && h.tags.iter().any(|t| t.bit() & NOT_COUNTED != 0)
                    })
            })
        };
        // So does a rank in a sentence that opens with the result before it ("…GRDP … đạt
        // 8,72%. Với kết quả này, Lào Cai xếp thứ 3/14"; not "Chỉ số PAPI của tỉnh xếp thứ 7").
        let result_of = || {
            carry
                .sentence_hits(&st.folded, sb)
                .first()
                .is_some_and(|h| h.tags.contains(&Tag::ResultOf) && h.start == sb.start)
        };
        // (In its paragraph; or opening the line after, when it names a province: the next line
        // of a ranking copied one paragraph a line, "Hải Phòng thu 145.300 tỷ đồng, xếp thứ ba".
        // Not a line of a list, which its heading names: "9. Bà Rịa - Vũng Tàu 994,5 triệu đồng";
        // nor one that ranks nothing: "Quảng Ninh thu 7.000 tỷ đồng từ hoạt động du lịch".)
        // (The next line, or the one after a blank line.)
        let next_line = || {
            let prev = seg.sentences[si - 1].paragraph;
            prev < sentence.paragraph && sentence.paragraph <= prev + 2
        };
        let next_line_of_province = || {
            !carry.item
                && next_line()
                && (ms.iter().any(|p| p.kind == MentionKind::Rank)
                    || linking_file()
                        .rank
                        .ranks_on
                        .iter()
                        .any(|w| st.folded[sb.start..sb.end].contains(w.as_str())))
                // (A rank names it after itself: "Xếp thứ ba là Hải Phòng với 142.600 tỷ đồng".)
                && st.names_province(Span::new(
                    sb.start,
                    if m.kind == MentionKind::Rank {
                        chunk.end.max(m.bytes.start)
                    } else {
                        m.bytes.start
                    },
                ))
        };
        // Nor a line that opens with "Trong đó" and names a province: the parts of the
        // statement of the line before ("Tăng trưởng kinh tế 6 tháng đầu năm 2025 của TP.HCM ước
        // đạt 7,49%." then the line "Trong đó, Bình Dương (cũ) tăng 8,02%.").
        let parts_line = || {
            !carry.item
                && next_line()
                && opens_with(&st.folded[sb.start..sb.end], &linking_file().measure.parts).is_some()
                && st.names_province(Span::new(sb.start, m.bytes.start))
        };
        if sentence_cues.is_empty()
            && si > 0
            && (seg.sentences[si - 1].paragraph == sentence.paragraph
                || next_line_of_province()
                || parts_line())
            && ((m.kind == MentionKind::Rank && result_of()) || continues())
            && cue_floor().is_none()
        {
            let prev = seg.sentences[si - 1].bytes;
            // Its statement's, not a part's after "trong đó" ("GRDP 9 tháng tăng 7,2%, trong đó
            // khu vực công nghiệp - xây dựng tăng 10,5%. Dự kiến cả năm tăng 7,5%.").
            let parts = words()
                .hits(&st.folded[prev.start..prev.end])
                .find(|h| h.tags.contains(&Tag::Parts))
                .map_or(prev.end, |h| prev.start + h.start);
            let prev_cues = slice_by(cues, prev, |c| c.span.start);
            match prev_cues
                .iter()
                .rfind(|c| c.span.start < parts)
                .or(prev_cues.last())
            {
                Some(c) => candidates.extend(self.catalogue.named(c)),
                None => candidates.extend(
                    carry
                        .continued
                        .as_deref()
                        .and_then(|id| self.catalogue.get(id)),
                ),
            }
        }
        // A line of a list or flattened table under a heading: "1) TP. Hồ Chí Minh 1.298.791"
        // under "QUY MÔ GRDP (Tỷ đồng)". It names a place before its value and no indicator.
        let mut scaled = None;
        if candidates.is_empty()
            && st
                .places_within(Span::new(chunk.start, m.bytes.start))
                .iter()
                .any(|p| p.code.is_some() && p.start >= chunk.start && p.end <= m.bytes.start)
            && let Some(h) = st.headings_above(sentence.paragraph).last()
        {
            candidates.push(&self.catalogue.indicators()[h.indicator]);
            if m.kind == MentionKind::Number {
                scaled = h.unit;
            }
        }
        let m_scaled;
        let m = match scaled {
            Some((unit, scale)) => {
                m_scaled = Mention {
                    kind: if matches!(unit, Unit::Vnd | Unit::Usd) {
                        MentionKind::Money
                    } else {
                        MentionKind::Quantity
                    },
                    value_low: m.value_low.map(|v| v * scale),
                    value_high: m.value_high.map(|v| v * scale),
                    unit: Some(unit),
                    ..m.clone()
                };
                &m_scaled
            }
            None => m,
        };
        // "lần lượt tăng 5%, 7% và 8%": a value listed right after another takes the words
        // before the list's first.
        let lead = list_lead(&st.folded, ms, mi, clause);
        let lead = if lead == mi {
            (m, chunk)
        } else {
            (&ms[lead], carry.delims.chunk(ms[lead].bytes.start))
        };
        // A movement's start with no time of its own is not a statement of any period.
        let start = movement_start(&st.folded, ms, mi, chunk);
        if start == Some(false) {
            return None;
        }
        let mut near = NearWords::new(st, m, sb, chunk, lead).with_next_value(
            ms[mi + 1..]
                .iter()
                .find(|p| p.kind.is_value())
                .map(|p| (p.bytes.start, p.unit)),
        );
        // And where it ended ("từ 6,5% năm 2022 xuống 4,1% năm 2023"), in percent when it
        // started in percent (not "từ 2,5%/năm xuống 1,2%/năm", a pace).
        let in_percent =
            |p: &Mention| p.unit == Some(Unit::Percent) && !p.text_in(st.text).contains('/');
        let started = if start.is_some() {
            Some(&ms[mi])
        } else {
            movement_before(&st.folded, ms, m, chunk).map(|(pi, _)| &ms[pi])
        };
        near.in_movement = started.is_some();
        near.movement_in_percent = started.is_some_and(in_percent);
        // A count of a rate's things is a value of it only when the rate's words name them
        // right after it: "có 512 trường đạt chuẩn quốc gia", not "xây mới 15 trường học" after
        // the rate's sentence.
        let counted_of_rate = |ind: &Indicator| {
            m.unit == Some(Unit::Count)
                && ind.unit == Unit::Percent
                && named_after != Some(ind.id.as_str())
        };
        let (indicator, measure, unit) = candidates
            .into_iter()
            .filter(|ind| !counted_of_rate(ind))
            .find_map(|ind| self.measure_for(&near, ind, m))?;
        // A sub-group's value is not the indicator's; it is the value of the indicator the
        // catalogue names for the sub-group, if any.
        // (Not a rank among provinces: "… thứ 4/14 tỉnh khu vực trung du, miền núi Bắc Bộ và thứ
        // 26/63 tỉnh, thành phố".)
        let group = (measure != Measure::Rank)
            .then(|| self.sub_group(st, carry, sentence_cues, indicator, ms, mi))
            .flatten();
        let (indicator, measure, unit) = match group {
            None => (indicator, measure, unit),
            Some((_, group)) => {
                let group = group?;
                // (The towns' rate the indicator holds when the text gives no other: not after the
                // whole province's, "đạt 92% (đô thị 98%, nông thôn 80%)".)
                if group.id == indicator.id
                    && carry
                        .links
                        .iter()
                        .any(|l| l.as_deref() == Some(group.id.as_str()))
                {
                    return None;
                }
                self.measure_for(&near, group, m)?
            }
        };
        // (The sub-group's words, when they named the indicator, are no sub-total.)
        let group_words = group.map(|(words, _)| words);
        // (The words a few dozen characters back are enough: "(cùng kỳ năm 2023 tăng 11,5%)".)
        let near_start = floor_char(st.text, m.bytes.start.saturating_sub(120).max(chunk.start));
        if year_ago_figure(
            &st.folded[near_start..m.bytes.start],
            &st.folded[m.bytes.end..chunk.end.max(m.bytes.end)],
        ) {
            return None;
        }
        // "đón 5,2 triệu lượt khách du lịch, trong đó khách du lịch quốc tế đạt 1,05 triệu
        // lượt": a part named with its total's own cue, in the clause of the "trong đó", is a
        // part of that total, not the total stated again (nor is a period's or a province's
        // part: "trong đó quý IV …" keeps its row; nor the total named again: "…, tổng lượt
        // khách tăng 27%", "; thu ngân sách tăng 12%"). So is one in a sentence that opens with
        // "Trong đó" after the total's: "…đã giải ngân 3.215 tỷ đồng vốn đầu tư công, đạt 56,2% kế
        // hoạch. Trong đó, nguồn vốn ngân sách địa phương giải ngân 2.140 tỷ đồng, đạt 61%."
        let is_indicator = |l: &Arc<str>| l.as_ref() == indicator.id.as_str();
        let own_cue_after = |from: usize| {
            sentence_cues
                .iter()
                // (Or in its unit: "…, trong đó giường bệnh tư nhân đạt 3,2 giường/vạn dân".)
                .rfind(|c| {
                    c.span.start >= from
                        && (c.span.end <= m.bytes.start
                            || (c.span.start > m.bytes.start && c.span.start < m.bytes.end))
                })
                .is_some_and(|c| !st.folded[c.span.start..c.span.end].starts_with("tổng"))
        };
        // (Its total's row looked for first: the cheaper test.)
        let after_total = || {
            carry.links.iter().flatten().any(is_indicator)
                && parts_from().is_some_and(|from| {
                    from >= clause.start
                        && own_cue_after(from)
                        && ms[..mi].iter().zip(&carry.links).any(|(p, l)| {
                            p.bytes.end <= from && l.as_ref().is_some_and(is_indicator)
                        })
                })
        };
        // (Not the province's own figure, "Trong đó, tỉnh giải ngân …" after the country's, nor
        // a line whose first value is a rate, which restates the total's: "Trong đó, tỷ lệ giải
        // ngân … đạt 56,2% kế hoạch", "Trong đó, lượng khách du lịch tăng 15%".)
        let after_total_line = || {
            carry.last_sentence_links.iter().any(is_indicator)
                && ms
                    .iter()
                    .find(|p| p.kind.is_value())
                    .is_some_and(|first| first.unit != Some(Unit::Percent))
                && opens_with(
                    &st.folded[sb.start..m.bytes.start],
                    &linking_file().measure.parts,
                )
                .map(|rest| m.bytes.start - rest.len())
                .is_some_and(|end| {
                    let subject = st.folded[end..m.bytes.start]
                        .trim_start_matches(|c: char| !c.is_alphanumeric());
                    let subject = subject.strip_prefix("toàn ").unwrap_or(subject);
                    parts_of_total(end)
                        && own_cue_after(end)
                        && opens_with(subject, &linking_file().place.provincial).is_none()
                })
        };
        if after_total() || after_total_line() {
            return None;
        }
        let sentence_hits = carry.sentence_hits(&st.folded, sb);
        // A part of a total ("kim ngạch xuất khẩu (trừ dầu thô)", "thị trường châu Á") is not the
        // total: before the value in its clause, or after it in its chunk ("đạt 300 triệu USD
        // sang thị trường Mỹ"), unless it names the next value, right before it ("1.156 doanh
        // nghiệp thành lập mới với tổng vốn đăng ký 12.340 tỷ đồng").
        let next_in_chunk = ms[mi + 1..]
            .iter()
            .find(|p| p.kind.is_value())
            .filter(|p| p.bytes.start < chunk.end);
        let names_next = |h: &crate::lexicon::Hit<'_, Tag>| {
            next_in_chunk.is_some_and(|p| {
                h.end <= p.bytes.start
                    && st.folded[h.end..p.bytes.start].split_whitespace().count() <= 1
            })
        };
        // Not words within a longer cue ("chỉ số sản xuất toàn ngành công nghiệp", "ngành dịch
        // vụ tăng", "dự án FDI với tổng vốn đăng ký"): the cue names what they are. A cue that
        // is the part's words and no more ("thu nội địa") stays a part.
        let in_own_cue = |h: &crate::lexicon::Hit<'_, Tag>| {
            // "…, trong đó ngành nông nghiệp tăng 3,2%" is a part; but a cue of a part the
            // catalogue knows ("part_of": "GRDP … tăng 8%. Trong đó, ngành dịch vụ tăng 7,1%")
            // names it after "trong đó" too.
            let after_parts = sentence_hits
                .iter()
                .any(|p| p.tags.contains(&Tag::Parts) && p.end <= h.start);
            sentence_cues.iter().any(|c| {
                c.span.start <= h.start
                    && h.end <= c.span.end
                    && c.span.end - c.span.start > h.end - h.start
                    && self.catalogue.named(c).is_some_and(|i| {
                        !after_parts
                            || i.part_of.as_deref().is_some_and(|total| {
                                // (Its total stated before, in this sentence or the one before:
                                // not "Giá trị sản xuất nông, lâm nghiệp … tăng 3,5%, trong đó
                                // ngành nông nghiệp tăng 3,2%".)
                                carry
                                    .links
                                    .iter()
                                    .flatten()
                                    .chain(&carry.last_sentence_links)
                                    .any(|l| l.as_ref() == total)
                            })
                    })
            })
        };
        // Before the value in its clause, or in its chunk when the chunk names the value's subject
        // after words that state nothing ("Nhờ đơn hàng xuất khẩu sang Mỹ phục hồi, kim ngạch
        // xuất khẩu … đạt 33 tỷ USD" is the total; "nhóm hàng CN-TTCN … với kim ngạch xuất khẩu
        // …" and "kim ngạch xuất khẩu (trừ dầu thô) … đạt 3,26 tỷ USD, …, vượt tốc độ tăng
        // trưởng theo kế hoạch … là 8,42%" are not). A chunk that names the province as its
        // subject goes on with no earlier statement unless one was of an indicator: "tỉnh còn 5
        // huyện nghèo, tỷ lệ hộ nghèo toàn tỉnh giảm còn 3%" is the province's rate ("tại 5
        // huyện nghèo có 1.200 hộ thoát nghèo, tỷ lệ hộ nghèo giảm còn 25%" is not).
        let provincial_chunk = || {
            provincial_words().contains_tag(
                &st.folded[chunk.start..m.bytes.start.max(chunk.start)],
                Tag::Provincial,
            )
        };
        let subject_start = if sentence_cues.iter().any(|c| {
            c.span.start >= chunk.start
                && c.span.end <= m.bytes.start
                && c.indicator != crate::catalogue::OUTSIDE
        }) && !ms[..mi].iter().zip(&carry.links).any(|(p, l)| {
            p.kind.is_value()
                && p.bytes.start >= clause.start
                && (l.is_some() || !provincial_chunk())
        }) {
            chunk.start
        } else {
            clause.start
        };
        // "915 doanh nghiệp … với tổng vốn đăng ký 9.120 tỷ đồng, tăng 12,4% về số doanh
        // nghiệp": the count's, said after it, not the part's named before it.
        let of_count = {
            let after = st.folded[m.bytes.end..chunk.end.max(m.bytes.end)].trim_start();
            // (Not "tăng 10,3% về số vốn đăng ký".)
            after.starts_with("về số") && !after.starts_with("về số vốn")
        };
        // (A total without a part, "không tính dầu khí", reaches over its clause: "Nếu không
        // tính dầu khí, GRDP của Bà Rịa - Vũng Tàu tăng 7,6%".)
        let leaves_out = |h: &crate::lexicon::Hit<'_, Tag>| {
            let phrase = &st.folded[h.start..h.end];
            linking_file()
                .measure
                .subtotal_over_clause
                .iter()
                .any(|w| phrase.starts_with(w.as_str()))
        };
        // (Nor a group of places before a province: "Trong nhóm các thành phố trực thuộc Trung
        // ương, Hà Nội tăng 8,16%", "Ở nhóm cuối bảng, Hà Giang có GRDP bình quân đầu người …".)
        let group_of_places = |h: &crate::lexicon::Hit<'_, Tag>| {
            &st.folded[h.start..h.end] == "nhóm"
                && linking_file()
                    .measure
                    .place_groups
                    .iter()
                    .any(|w| st.folded[h.end..].trim_start().starts_with(w.as_str()))
                && st.names_province(Span::new(h.end, m.bytes.start))
        };
        if !of_count
            && sentence_hits.iter().any(|h| {
                h.tags.contains(&Tag::Subtotal)
                    && ((h.start >= subject_start.max(clause.start) && h.end <= m.bytes.start)
                        || (h.start >= clause.start && h.end <= m.bytes.start && leaves_out(h))
                        || (h.start >= m.bytes.end && h.end <= chunk.end && !names_next(h)))
                    && !in_own_cue(h)
                    && !group_of_places(h)
                    // (Nor a part of the population or of the province, a sub-group too, named
                    // before the value's own sub-group, or as the whole: "ở khu vực thành thị đạt
                    // 100%, nông thôn đạt 99,3%" of electricity, "ở cả khu vực thành thị và nông
                    // thôn", "…, toàn tỉnh còn 3,6%"; not "thu nội địa trên địa bàn toàn tỉnh".)
                    && !(is_sub_group(&st.folded[h.start..h.end])
                        && (group_words.is_some_and(|g| h.start < g.end)
                            || after_ca(&st.folded, h.start)
                            || (h.end <= m.bytes.start
                                && names_whole(&st.folded[h.end..m.bytes.start]))))
            })
        {
            return None;
        }
        // "đạt 6,5%, thấp hơn kế hoạch 1,5%": how far from the plan, not the plan, when the value
        // is below the level before it (above it, "thấp hơn mục tiêu 8,5%" is the goal); after
        // "cao hơn", when it is under half of that level.
        // "vượt" as "cao hơn": "đạt 12.500 tỷ đồng, vượt dự toán HĐND tỉnh giao 1.500 tỷ đồng" is
        // by how much, "tăng 7,2%, vượt mục tiêu 7%" the goal. Points after a value in another
        // unit are how far ("đạt 8,2%, vượt nghị quyết 1,5 điểm phần trăm"; not "giảm 2,5 điểm
        // phần trăm, vượt kế hoạch đề ra là 2 điểm phần trăm").
        if (near.right_before(Tag::Target) || near.right_before(Tag::TargetAttached))
            && let Some(lower) = st.compared_with_plan(m, chunk)
            && match ms[..mi]
                .iter()
                .rev()
                .find(|p| p.kind.is_value() && p.unit == m.unit && p.bytes.start >= clause.start)
            {
                Some(prev) => match (m.value_low, prev.value_low) {
                    (Some(v), Some(pv)) => {
                        if lower {
                            v <= pv
                        } else {
                            v < pv / 2.0
                        }
                    }
                    _ => false,
                },
                None => m.unit == Some(Unit::Pp),
            }
        {
            return None;
        }
        // "tổng vốn đăng ký là 5.125 tỷ đồng, tăng 9,5%": a change belongs to the amount before it.
        // (Not one paired with its cue after "lần lượt": "… lần lượt đạt 2,1 tỷ USD và 1,5 tỷ
        // USD, tăng 12% và 8%".)
        if measure == Measure::Change && unit == Unit::Percent && !paired {
            // Not one in a bracket closed before the value ("đạt 3,5 triệu lượt (trong đó khách
            // lưu trú đạt 1,2 triệu lượt), tăng 18%" is the 3,5 million's change).
            let prev_amount = ms[..mi].iter().zip(&carry.links).rev().find(|(p, _)| {
                p.bytes.start >= clause.start
                    && (p.bytes.end > m.bytes.start
                        || !st.folded[p.bytes.end..m.bytes.start].contains(')'))
                    && if of_count {
                        p.kind == MentionKind::Count
                    } else {
                        matches!(
                            p.kind,
                            MentionKind::Money
                                | MentionKind::Count
                                | MentionKind::Quantity
                                | MentionKind::SlashPair
                        )
                    }
            });
            // (Nor one whose own cue opens its chunk, after the amount's: "…đạt 5,2 tỷ USD,
            // trong đó kim ngạch xuất khẩu tăng 16%"; not the amount's counted noun, "8,4 triệu
            // lượt khách", nor a cue of an earlier chunk, "trong đó xuất khẩu tăng mạnh, đưa
            // tổng kim ngạch tăng 15%".)
            if let Some((p, link)) = prev_amount
                && link.as_deref() != Some(indicator.id.as_str())
                && !sentence_cues.iter().any(|c| {
                    c.span.start >= carry.delims.chunk(p.bytes.start).end
                        && c.span.start >= chunk.start
                        && c.span.end <= m.bytes.start
                        && self
                            .catalogue
                            .named(c)
                            .is_some_and(|i| i.id == indicator.id)
                })
            {
                return None;
            }
        }

        // Sign: "giảm 0,4%" of a change or a growth rate is negative; not where a movement
        // started ("tăng trưởng GRDP giảm từ 8,5% năm 2023 xuống 6,2%": 2023's rate was 8,5 %).
        let (mut low, mut high) = (m.value_low?, m.value_high?);
        let signed = start.is_none()
            && (measure == Measure::Change || (measure == Measure::Level && indicator.growth));
        if signed && near.right_before(Tag::Decrease) && low >= 0.0 {
            (low, high) = (-high, -low);
        }
        // "bằng 85% so với cùng kỳ năm 2019": the value is 85 % of its base, a change of -15 %;
        // but "giảm 1.000 tỷ đồng, tương đương 9% so với năm 2022" restates the change of the
        // amount before it, with its sign.
        if measure == Measure::Change && unit == Unit::Percent && near.right_before(Tag::Ratio) {
            let restated = ms[..mi]
                .iter()
                .rev()
                .find(|p| p.kind.is_value() && p.bytes.start >= clause.start)
                .filter(|p| p.kind != MentionKind::Percent)
                .map(|p| {
                    let chunk = carry.delims.chunk(p.bytes.start);
                    NearWords::new(st, p, sb, chunk, (p, chunk))
                });
            match restated {
                Some(amount) if amount.right_before(Tag::Decrease) && low >= 0.0 => {
                    (low, high) = (-high, -low);
                }
                Some(amount) if amount.right_before(Tag::Decrease) => {}
                Some(amount) if amount.right_before(Tag::Increase) => {}
                _ if !near.right_before(Tag::Increase) && !near.right_before(Tag::Decrease) => {
                    (low, high) = (change_of_ratio(low), change_of_ratio(high));
                }
                _ => {}
            }
        } else if measure == Measure::Change
            && unit == Unit::Percent
            // (Not a rate's level: "tỷ lệ che phủ rừng đạt 54% so với năm 2023 …".)
            && (indicator.index || indicator.unit != Unit::Percent)
            && low >= 50.0
            && !near.right_before(Tag::Increase)
            && !near.right_before(Tag::Decrease)
        {
            // A value against its base, as the statistics office writes it: "IIP ước đạt 110,2%
            // so với năm 2023", "Kim ngạch xuất khẩu đạt 110,5% so với năm 2023" are changes of
            // 10,2 % and 10,5 % (no amount or index changes by half without a verb saying so).
            (low, high) = (change_of_ratio(low), change_of_ratio(high));
        }

        // Kind.
        let clause_hits = sentence_hits
            .iter()
            .filter(|h| h.start >= clause.start && h.end <= m.bytes.start);
        let prev_value_end = ms[..mi]
            .iter()
            .rev()
            .find(|p| p.kind.is_value() && p.bytes.start >= clause.start)
            .map_or(clause.start, |p| p.bytes.end);
        let mut kind = Kind::Actual;
        // Where the word that gave the kind ends.
        let mut kind_word_end = clause.start;
        for h in clause_hits.clone() {
            if h.tags.contains(&Tag::Estimate) {
                kind = Kind::Estimate;
                kind_word_end = h.end;
            } else if h.tags.contains(&Tag::Forecast) {
                kind = Kind::Forecast;
                kind_word_end = h.end;
            } else if h.tags.contains(&Tag::Target)
                || (h.tags.contains(&Tag::TargetAttached)
                    && h.start >= prev_value_end.max(chunk.start)
                    && (attached_to_value(&st.folded[h.end..m.bytes.start])
                        || plan_subject(st, sentence_cues, chunk, h, m)))
            {
                kind = Kind::Target;
                kind_word_end = h.end;
            } else if h.tags.contains(&Tag::YearToDate)
                && kind_word_end <= prev_value_end
                && h.start >= prev_value_end
            {
                // "Phấn đấu … đạt 5.000 tỷ đồng, từ đầu năm đến nay đã thu được 3.500 tỷ đồng",
                // "…ước đạt 52.000 tỷ đồng, trong đó từ đầu năm đến nay đã thu …": the kind word
                // was an earlier value's (not "Ước tính từ đầu năm đến nay, …", an estimate).
                kind = Kind::Actual;
            }
        }
        // A level a goal's words follow is the goal, with no bound of its own: "tăng trưởng
        // đạt 8,2%, vượt mức 8% đề ra" (linking.toml's `target_after`).
        let mut comparator = m.comparator;
        // (Nor does the bound before a value another place owns, when it compares the two:
        // "tăng 6,5%, không cao hơn mức 7,09% của cả nước" is the country's 7,09 %; "thấp hơn
        // mức trên 114 triệu đồng của cả nước" keeps the country's own bound.)
        if matches!(
            comparator,
            Comparator::Gt | Comparator::Ge | Comparator::Lt | Comparator::Le
        ) && st.folded[chunk.start..m.bytes.start]
            .trim_end()
            .ends_with("mức")
            && self.owner_after(st, chunk, m).is_some()
        {
            comparator = Comparator::Eq;
        }
        // (Not a count of goals, which the words are of: "đạt và vượt 22/23 chỉ tiêu đề ra".)
        if measure == Measure::Level
            && !counts_goals(m)
            && goal_named_after(&st.folded[past_value(&st.folded, m)..sb.end.max(m.bytes.end)])
        {
            kind = Kind::Target;
            kind_word_end = m.bytes.end;
            // (The bound before it compares the result with the goal: "dưới mức 8% đề ra".)
            if matches!(
                comparator,
                Comparator::Gt | Comparator::Ge | Comparator::Lt | Comparator::Le
            ) {
                comparator = Comparator::Eq;
            }
        }
        // "…phấn đấu đón 7 triệu lượt khách, trong đó 6 tháng đầu năm đã đón 3,9 triệu lượt",
        // "…đặt mục tiêu tăng trưởng 6,5-7%, trong khi 6 tháng đầu năm mới đạt 5,8%": "đã", or
        // "mới" or "chỉ" before the verb after a period of its own, after the value the kind
        // word was for ("ước đạt 260.000 tỷ đồng, chỉ đạt 55% dự toán" is the estimate's; an
        // estimate's parts stay estimates, "…, trong đó quý II mới tăng 6,1%"); or a word that
        // recalls a goal's result (linking.toml's `recalled_after`: "…, nhưng thực tế chỉ đạt
        // 5,5%", "thực tế tăng 5,5%", "song kết quả chỉ tăng …").
        if kind != Kind::Actual
            && kind_word_end <= prev_value_end
            && prev_value_end > clause.start
            && st
                .folded
                .get(prev_value_end..m.bytes.start)
                .is_some_and(|between| {
                    states_a_result(between, || {
                        kind != Kind::Estimate
                            && (st
                                .periods_within(Span::new(prev_value_end, m.bytes.start))
                                .iter()
                                .any(|s| !s.base && s.bytes.end <= m.bytes.start)
                                || has_word(between, "nay"))
                    }) || (kind != Kind::Estimate && words().contains_tag(between, Tag::Recalled))
                })
        {
            kind = Kind::Actual;
        }
        // "Trong đó, khu vực dịch vụ tăng 6,79%": the parts of an estimate are estimates.
        let explicit_kind = clause_hits.clone().any(|h| {
            h.tags
                .iter()
                .any(|t| matches!(t, Tag::Estimate | Tag::Forecast | Tag::Target))
        });
        let part_of_listed = || {
            carry.list_item
                && carry.parts_listed
                && indicator
                    .part_of
                    .as_deref()
                    .is_some_and(|whole| carry.list_parent.iter().any(|l| l.as_ref() == whole))
        };
        if kind == Kind::Actual
            && !explicit_kind
            && (st.folded[sb.start..].starts_with("trong đó") || part_of_listed())
            && let Some(k) = carry.kind
        {
            kind = k;
        }

        // Period, as a value of a kind has it.
        let period_as = |kind: Kind| {
            self.period_for(
                st,
                si,
                sentence,
                ms,
                m,
                clause,
                chunk,
                sentence_hits,
                seg,
                carry,
                kind,
            )
        };
        let mut period = period_as(kind);
        // Nothing is achieved for a period that starts in or after the year the text was
        // published in and ends after it: "giai đoạn 2020-2025 đưa tốc độ tăng trưởng … đạt
        // 6,5-7%" in 2020 is a target. One that started before is a term under way, whose
        // results so far a mid-term report states ("Sau 3 năm thực hiện Kế hoạch 5 năm giai
        // đoạn 2021-2025, … đạt 7,2%" in 2024).
        let period_stated_here = period.is_some() && period != carry.period;
        // "GRDP … ước tăng 6,8%, trong đó khu vực nông … tăng 3,2%; khu vực công nghiệp … tăng
        // 9,1%": the parts an estimate lists after its "trong đó" are estimates, in the clauses
        // after the first too, unless one names a period of its own.
        if kind == Kind::Actual
            && !explicit_kind
            && !period_stated_here
            && carry.sentence_kind == Some(Kind::Estimate)
            && indicator
                .part_of
                .as_deref()
                .is_some_and(|whole| carry.links.iter().flatten().any(|l| l.as_ref() == whole))
            && sentence_hits
                .iter()
                .any(|h| h.tags.contains(&Tag::Parts) && h.end <= m.bytes.start)
        {
            kind = Kind::Estimate;
        }
        // A sentence that opens with an estimate's word frames all its clauses: "Ước đến cuối năm
        // 2025, tỷ lệ che phủ rừng đạt 52,5%; tỷ lệ lao động qua đào tạo đạt 58%" (not one with
        // a period, a plan or a time of its own, nor a result so far: "; hiện toàn tỉnh còn
        // 5.200 hộ nghèo", "; đến nay đã thu được …", "; kế hoạch năm là …").
        let own_time_or_plan = || {
            clause_hits.clone().any(|h| {
                h.tags.iter().any(|t| {
                    matches!(
                        t,
                        Tag::Now | Tag::YearToDate | Tag::TargetAttached | Tag::Recalled
                    )
                })
            }) || ["đã", "hiện"]
                .iter()
                .any(|w| has_word(&st.folded[clause.start..m.bytes.start], w))
        };
        if kind == Kind::Actual
            && !explicit_kind
            && !period_stated_here
            && sentence_hits.first().is_some_and(|h| {
                h.tags.contains(&Tag::Estimate)
                    && h.end <= clause.start
                    && st.folded[sb.start..h.start].trim().is_empty()
            })
            && !own_time_or_plan()
        {
            kind = Kind::Estimate;
        }
        // Nor for a quarter or longer that had barely begun: published in its first sixth, "Năm
        // 2024, thu ngân sách … đạt 47.630 tỷ đồng" on 10 January 2024 (not a result so far:
        // "đến nay đã thu được …").
        // A result so far: "đến nay", "từ đầu năm đến nay", "đã" in the value's clause.
        let so_far = || {
            clause_hits.clone().any(|h| {
                h.tags
                    .iter()
                    .any(|t| matches!(t, Tag::Now | Tag::NotNow | Tag::YearToDate))
            }) || has_word(&st.folded[clause.start..m.bytes.start], "đã")
                // "riêng tháng 12 vừa qua, thu ngân sách đạt …".
                || st.folded[clause.start..m.bytes.start].contains("vừa qua")
        };
        let days = |p: Period| p.end().days_since_epoch() - p.start().days_since_epoch();
        if kind == Kind::Actual
            && period_stated_here
            && let (Some(p), Some(pubd)) = (period, st.published)
            && p.start().year >= pubd.year()
            && (p.end().year > pubd.year()
                || (days(p) >= 85
                    && 6 * (pubd.last_day().days_since_epoch() - p.start().days_since_epoch())
                        < days(p)
                    && !so_far()
                    && !event_so_far(&st.folded[clause.start..m.bytes.start])))
        {
            kind = Kind::Target;
        }
        // "Năm 2024, tỉnh phấn đấu tốc độ tăng trưởng GRDP đạt 10%; thu ngân sách … đạt 10.120
        // tỷ đồng": a goal word before a sentence's first value governs the clauses after the
        // first that name no kind of their own and the goal's period, not over when the text
        // was published; not a result so far ("; đến nay đã thu được 5.230 tỷ đồng", "; 6 tháng
        // đầu năm thu được …"), nor a plan share. (An estimate does not: "…ước đạt 30.000 tỷ
        // đồng; kim ngạch xuất khẩu đạt 2 tỷ USD" may state a figure known.)
        // So does a clause naming a period not yet begun, read as the goal's ("Phấn đấu tăng
        // trưởng GRDP cả năm đạt 10% trở lên; quý III tăng 11,5%, …; thu ngân sách cả năm đạt
        // 53.600 tỷ đồng" in June: 2024's third quarter and year, not 2023's results).
        // The lines of a list of goals are goals ("Một số chỉ tiêu chủ yếu:" after "mục tiêu đến
        // năm 2030": "- Tỷ lệ che phủ rừng đạt 40%;"), each of the period it names, else of the
        // intro's.
        // (Not a line's value of a year not after the publication's: "3. Năm 2024, tỷ lệ hộ
        // nghèo còn 5,2%." under "Chỉ tiêu kế hoạch năm 2025:" in December 2024 is a result.)
        let listed_goal = carry.item
            && carry.goals_listed
            && !st
                .periods_within(Span::new(sb.start, m.bytes.start))
                .iter()
                .any(|s| {
                    !s.base
                        && s.bytes.start >= sb.start
                        && s.bytes.end <= m.bytes.start
                        && s.period
                            .fixed()
                            .zip(st.published_year)
                            .is_some_and(|(p, y)| p.last_year() <= y)
                });
        if kind == Kind::Actual
            && !explicit_kind
            && measure != Measure::PlanShare
            && !so_far()
            && (listed_goal
                || (clause.start > sb.start
                    && carry.sentence_kind == Some(Kind::Target)
                    && ms.iter().find(|p| p.kind.is_value()).is_some_and(|first| {
                        sentence_hits
                            .iter()
                            .any(|h| h.end <= first.bytes.start && h.tags.contains(&Tag::Target))
                    })))
        {
            let not_over = |p: Option<Period>| {
                p.zip(st.published)
                    .is_none_or(|(p, pubd)| p.end() >= pubd.first_day())
            };
            if period == carry.sentence_period && not_over(period) {
                kind = Kind::Target;
            } else {
                let goal = period_as(Kind::Target);
                let to_come = |p: Option<Period>| p.is_some_and(|p| st.not_begun(p));
                // A whole year ("cả năm") far from over at publication is no result either:
                // "Quý IV, tỉnh phấn đấu tăng trưởng GRDP đạt 9,5% …; thu ngân sách cả năm vượt
                // 15.000 tỷ đồng" in October is the year's goal. Not the year named otherwise,
                // which a report may give so far ("…; thu ngân sách năm 2025 đạt 12.350 tỷ đồng,
                // bằng 82% dự toán"), nor one ending within a month of publication; counted from
                // the publication's last day when only its year or month is known.
                let own_not_over = clause_hits
                    .clone()
                    .any(|h| h.tags.contains(&Tag::WholeYear) && h.end <= m.bytes.start)
                    && goal.zip(st.published).is_some_and(|(p, pubd)| {
                        p.end().days_since_epoch() - pubd.last_day().days_since_epoch() > 31
                    });
                // Nor a part, after "trong đó", of a period still running at publication:
                // "Năm 2026, thành phố phấn đấu tăng trưởng GRDP đạt trên 11%; trong đó quý I tăng
                // 9,5%" in February.
                let running_part = sentence_hits
                    .iter()
                    .any(|h| h.tags.contains(&Tag::Parts) && h.end <= m.bytes.start)
                    && goal
                        .zip(st.published)
                        .is_some_and(|(p, pubd)| p.end() > pubd.last_day());
                if (listed_goal && not_over(goal))
                    || (goal == carry.sentence_period && not_over(goal))
                    || own_not_over
                    || running_part
                    || to_come(goal)
                {
                    kind = Kind::Target;
                    period = goal;
                }
            }
        }
        // Nor estimated for one that ended more than a year before: "GDP quý I/2023 ước tính
        // tăng 3,32%, chỉ cao hơn tốc độ tăng 3,21% của quý I/2020" compares with a figure known.
        if kind == Kind::Estimate
            && period_stated_here
            && let (Some(p), Some(pubd)) = (period, st.published)
            && p.end().year < pubd.year() - 1
        {
            kind = Kind::Actual;
        }

        // Place. A district's value is no province's, nor a region's; a figure compared with
        // it (after a value of its clause) that names its owner is that owner's ("tỷ lệ hộ
        // nghèo huyện Mường Lát còn 35,5%, cao hơn nhiều so với mức 1,93% của cả nước", "…
        // 12,16% của toàn tỉnh").
        if (district_subject(st, carry.districts(st, sentence_cues, sb), clause, ms, m)
            && (m.kind == MentionKind::Rank
                || !ms[..mi]
                    .iter()
                    .any(|p| p.kind.is_value() && p.bytes.start >= clause.start)
                || (self.owner_after(st, chunk, m).is_none() && !of_whole_province(&st.folded, m))))
            || (measure != Measure::Rank
                && region_subject(st, &self.gazetteer, ms, clause, chunk, m))
        {
            return None;
        }
        // Nor is a mark that places counted before it passed ("12 tỉnh, thành phố tăng
        // trưởng trên 10%").
        if matches!(
            m.comparator,
            Comparator::Gt | Comparator::Ge | Comparator::Lt | Comparator::Le
        ) && counts_places(&st.folded, ms, clause, m)
        {
            return None;
        }
        // The country is not ranked among provinces: a rank takes a province.
        let mut place = respective_place(st, sentence_hits, ms, mi, clause)
            .or_else(|| {
                if measure == Measure::Rank {
                    ranked_place(st, chunk, m)
                } else {
                    None
                }
            })
            .or_else(|| self.place_for(st, sentence_hits, sentence_cues, sb, clause, chunk, m));
        if measure == Measure::Rank && place.as_ref().is_some_and(|g| g.code == "VN") {
            place = st.default_geo.clone().filter(|g| g.code != "VN");
        }
        // Nor among the world's economies ("Quy mô nền kinh tế … vươn lên thứ 32 thế giới"): a
        // rank of no province.
        if measure == Measure::Rank
            && st.folded[m.bytes.end..sb.end.max(m.bytes.end)]
                .trim_start()
                .starts_with("thế giới")
        {
            return None;
        }
        let (geo_code, geo_id, geo_name) = match place {
            Some(g) => (Some(g.code), Some(g.id), Some(g.name)),
            None => (None, None, None),
        };

        // Ranking group.
        let mut rank_total = m.rank_total;
        let mut rank_group = None;
        if measure == Measure::Rank {
            let window_end = floor_char(st.text, (m.bytes.end + RANK_GROUP_WINDOW).min(sb.end));
            let next_value = ms[mi + 1..]
                .iter()
                .find(|n| n.kind.is_value())
                .map_or(window_end, |n| n.bytes.start.min(window_end))
                // A value that starts inside this one (mentions may overlap) leaves no window.
                .max(m.bytes.end);
            if let Some(g) = st
                .places_within(Span::new(m.bytes.end, next_value))
                .iter()
                .find(|p| p.start >= m.bytes.end && p.end <= next_value && p.group.is_some())
            {
                let (id, size) = g.group.clone().unwrap_or_default();
                if rank_total.is_none() {
                    // The group's size when the ranked period ends: a region has fewer
                    // provinces from 2025-07-01.
                    rank_total = match period {
                        Some(p) => self.gazetteer.group_size_on(&id, p.end()),
                        None => size,
                    };
                }
                rank_group = Some(id);
            } else {
                let after = &st.folded[m.bytes.end..next_value];
                if words().contains_tag(after, Tag::AllProvinces) || rank_total == Some(63) {
                    rank_group = Some("VN-provinces".to_owned());
                    // "xếp thứ 2 cả nước": among the provinces of the map in force when the
                    // ranked period ends ("thứ 5/34 cả nước" of 2025 is VN-provinces-2025).
                    if let Some(p) = period
                        && let Some((id, size)) = self.gazetteer.all_provinces_on(p.end())
                        && (rank_total.is_none() || rank_total == size)
                    {
                        rank_group = Some(id.to_owned());
                        rank_total = size;
                    }
                }
            }
        }

        // Base: what a change or a growth rate is measured against.
        let (base, base_period) =
            if measure == Measure::Change || (measure == Measure::Level && indicator.growth) {
                st.base_for(ms, mi, sb, period).unzip()
            } else {
                (None, None)
            };

        Some(IndicatorRecord {
            source_id: String::new(),
            indicator: indicator.id.clone(),
            geo_code,
            geo_id,
            geo_name,
            period,
            measure,
            base,
            base_period: base_period.flatten(),
            kind,
            comparator,
            value_low: low,
            value_high: high,
            unit,
            rank_total,
            rank_group,
            of_total: m.of_total,
            quote: Arc::clone(&carry.sentence),
            span: m.span,
            occurrences: 1,
        })
    }

    /// How a value measures `ind`, if it can be a value of it at all: the indicator (which may
    /// be another one, see [`Indicator::change_as`]), the measure and the unit.
    fn measure_for<'c>(
        &'c self,
        near: &NearWords<'_>,
        ind: &'c Indicator,
        m: &Mention,
    ) -> Option<(&'c Indicator, Measure, Unit)> {
        // "Số bác sĩ/vạn dân đạt 12", "số giường bệnh trên 1 vạn dân đạt 35 giường": a bare
        // number or a count of doctors or beds after a rate per 10 000 people is that rate.
        let per_10k = ind.unit == Unit::Per10kPeople;
        let mut unit = match m.unit {
            None if per_10k && m.kind == MentionKind::Number => Unit::Count,
            u => u?,
        };
        if per_10k && unit == Unit::Count {
            if !per_10k_count(near, m) {
                return None;
            }
            unit = Unit::Per10kPeople;
        }
        if !ind.counted_nouns.is_empty() && matches!(unit, Unit::Count) {
            let noun = m
                .counted_noun
                .as_deref()
                .map(str::to_lowercase)
                .unwrap_or_default();
            if !ind.counted_nouns.iter().any(|n| noun.contains(n.as_str())) {
                return None;
            }
        }
        let pct = matches!(unit, Unit::Percent | Unit::PercentPerYear);
        // "thấp hơn 2 điểm phần trăm so với mục tiêu": a gap, not a value of the indicator.
        if (pct || unit == Unit::Pp) && near.gap_right_after() {
            return None;
        }
        let moved = near.right_before(Tag::Increase) || near.right_before(Tag::Decrease);
        let (ind, measure, unit) = if m.kind == MentionKind::Rank {
            (ind, Measure::Rank, Unit::Rank)
        } else if pct && near.plan_share_after() {
            // "vượt 47% kế hoạch", "tăng 10% so với kế hoạch": the excess, not the share reached.
            if near.right_before(Tag::Exceed) {
                return None;
            }
            (ind, Measure::PlanShare, Unit::Percent)
        } else if pct && near.right_before(Tag::Share) {
            // "9.604 hộ nghèo, chiếm tỷ lệ 3,14%": the rate of the group counted, when the
            // catalogue says which; any other share is not a value of the indicator.
            let target = ind
                .share_as
                .as_deref()
                .and_then(|id| self.catalogue.get(id))?;
            // A rate that is its own count's share ("có 512 trường đạt chuẩn quốc gia, chiếm tỷ
            // lệ 53,2%") only right after that count, not after the rate itself ("…, trong đó
            // trường mầm non chiếm 30%").
            if target.id == ind.id && !after_own_count(near, ind) {
                return None;
            }
            (target, Measure::Level, Unit::Percent)
        } else if pct
            && (near.right_before(Tag::Remaining)
                || (near.movement_in_percent && unit == Unit::Percent))
            && ind.remaining_as.is_some()
        {
            // "Tỷ lệ hộ nghèo giảm 1,2 điểm phần trăm, còn 2,5%": what remains is the rate itself,
            // and so is where it fell from ("giảm từ 18,66% năm 2021 xuống còn 8,46%").
            let target = ind
                .remaining_as
                .as_deref()
                .and_then(|id| self.catalogue.get(id))?;
            (target, Measure::Level, Unit::Percent)
        } else if pct && ind.units.contains(&Unit::Percent) {
            // An index moves ("CPI tăng 0,3%"); a growth rate's level is a move already ("GRDP
            // tăng 7,39%"), and so is a reduction measured in points ("giảm nghèo 4,24%"); a rate
            // moved by what follows a verb right before it ("tỷ lệ thất nghiệp … giảm 0,2%",
            // not "tăng lên 25%") or by a base after it.
            let change = if ind.index {
                moved || near.starts_after(Tag::ChangeAfter)
            } else if ind.growth || ind.unit == Unit::Pp || near.in_movement {
                false
            } else {
                near.starts_after(Tag::ChangeAfter) || near.just_before(Tag::MovedBy)
            };
            (
                ind,
                if change {
                    Measure::Change
                } else {
                    Measure::Level
                },
                Unit::Percent,
            )
        } else if pct {
            // A percent of an amount: its change ("tăng 12%"), or, for an amount whose change is
            // another indicator's level ("GRDP … đạt 9,02%", "GRDP tăng 6%"), that level.
            match ind
                .change_as
                .as_deref()
                .and_then(|id| self.catalogue.get(id))
            {
                Some(target) => (target, Measure::Level, Unit::Percent),
                None if moved || near.starts_after(Tag::ChangeAfter) => {
                    (ind, Measure::Change, Unit::Percent)
                }
                None => return None,
            }
        } else if unit == Unit::Pp {
            // "vượt 0,5 điểm phần trăm kế hoạch": the excess over a plan; "thấp hơn mức bình quân
            // cả nước 0,8 điểm phần trăm": a gap.
            if near.right_before(Tag::Share)
                || near.plan_share_after()
                || words().contains_tag(
                    &near.st.folded[near.chunk.start..m.bytes.start.max(near.chunk.start)],
                    Tag::GapBefore,
                )
            {
                return None;
            }
            // Points are the level of an indicator measured in them ("giảm nghèo 1,2 điểm phần
            // trăm"), else how far a rate moved: "tỷ lệ hộ nghèo … giảm 2,3 điểm phần trăm" is a
            // change of -2.3 pp, not a rate of 2.3.
            if ind.unit == Unit::Pp {
                (ind, Measure::Level, Unit::Pp)
            } else if ind.units.contains(&Unit::Percent) {
                (ind, Measure::Change, Unit::Pp)
            } else if ind.units.contains(&Unit::Pp) {
                (ind, Measure::Level, Unit::Pp)
            } else {
                return None;
            }
        } else if ind.units.contains(&unit) {
            let written = &near.st.text[m.bytes.start..m.bytes.end];
            let sentence = &near.st.folded[near.sb.start..near.sb.end];
            // "tăng 5 tỷ USD", "giảm 1.000 tỷ đồng": the amount the indicator moved by, a change
            // in its unit, not its level ("cao hơn 60 triệu đồng" is a level above 60 million,
            // "tăng lên 5 tỷ USD" the level reached).
            (
                ind,
                if near.just_before(Tag::MovedBy) {
                    Measure::Change
                } else {
                    Measure::Level
                },
                per_person(ind, unit, written, sentence),
            )
        } else {
            return None;
        };
        if measure != Measure::Rank && !ind.measures.contains(&measure) {
            return None;
        }
        Some((ind, measure, unit))
    }

    #[allow(clippy::too_many_arguments)]
    fn period_for(
        &self,
        st: &DocState<'_>,
        si: usize,
        sentence: &crate::segment::Sentence,
        ms: &[Mention],
        m: &Mention,
        clause: Span,
        chunk: Span,
        sentence_hits: &[crate::lexicon::Hit<'_, Tag>],
        seg: &Segmented,
        carry: &Carry,
        kind: Kind,
    ) -> Option<Period> {
        let achieved = !matches!(kind, Kind::Target | Kind::Forecast);
        // A goal already over when the text came out is for the publication's year unless the
        // text recalls it with its result ("Thành phố đặt mục tiêu tăng trưởng 6,5% nhưng không
        // đạt", "… và đã vượt 3%").
        // (After the value, "…, nhưng thực tế chỉ đạt 5,5%", or right before its goal word:
        // "Ngay từ đầu năm, tỉnh đã đặt mục tiêu …"; not "các giải pháp đã đề ra …".)
        // So does a plan in brackets right after its result ("Năm 2024, … . Tỷ lệ lao động qua
        // đào tạo đạt 72,5% (kế hoạch 72%)" in January 2025 is 2024's plan).
        let beside_result = || {
            let before = ms.partition_point(|p| p.bytes.start < m.bytes.start);
            ms[..before]
                .iter()
                .rfind(|p| p.kind.is_value())
                .is_some_and(|p| {
                    p.bytes.end <= m.bytes.start
                        && st.folded[p.bytes.end..m.bytes.start]
                            .trim_start()
                            .starts_with('(')
                        && !st.folded[p.bytes.end..m.bytes.start].contains(')')
                        && sentence_hits.iter().any(|h| {
                            (h.tags.contains(&Tag::TargetAttached) || h.tags.contains(&Tag::Target))
                                && h.start >= p.bytes.end
                                && h.end <= m.bytes.start
                        })
                })
        };
        // (Or a result compared with its goal right before the goal word: "CPI bình quân tăng
        // khoảng 3,3%, thấp hơn mục tiêu 4,5%" in January 2026 is 2025's goal.)
        let recalled = || {
            // (A plan's word, "vượt chỉ tiêu …", when `attached` words count.)
            let goal_word_after = |h: &crate::lexicon::Hit<'_, Tag>, attached: bool| {
                sentence_hits.iter().any(|t| {
                    (t.tags.contains(&Tag::Target)
                        || (attached && t.tags.contains(&Tag::TargetAttached)))
                        && t.start >= h.end
                        && t.end <= m.bytes.start
                        && st.folded[h.end..t.start].trim().is_empty()
                })
            };
            // (Not in a forecast's sentence: "Các tổ chức quốc tế dự báo tăng trưởng … thấp hơn
            // mục tiêu 10%" in January 2026 is the new year's goal.)
            let forecast = || {
                sentence_hits
                    .iter()
                    .any(|h| h.tags.contains(&Tag::Forecast))
            };
            // (Or a result that passed it: "Tỷ lệ bao phủ bảo hiểm y tế đạt 95,15%, vượt chỉ tiêu
            // Chính phủ giao (94,8%)".)
            let result_before = |h: &crate::lexicon::Hit<'_, Tag>| {
                ms.iter()
                    .any(|p| p.kind.is_value() && p.bytes.end <= h.start)
            };
            beside_result()
                || sentence_hits.iter().any(|h| {
                    (h.tags.contains(&Tag::Recalled)
                        && (h.start >= m.bytes.end || goal_word_after(h, false)))
                        || (h.tags.contains(&Tag::BaseBefore)
                            && h.end <= m.bytes.start
                            && goal_word_after(h, false)
                            && !forecast())
                        || (h.tags.contains(&Tag::Exceed)
                            && st.folded[h.start..h.end].starts_with("vượt")
                            && h.end <= m.bytes.start
                            && goal_word_after(h, true)
                            && result_before(h)
                            && !forecast())
                })
        };
        let goal_over = |p: Period, published: chiso_model::PartialDate| {
            p.end() < published.first_day() && !recalled()
        };
        let sb = sentence.bytes;
        carry.to_date.set(false);
        let resolve = |p: PeriodRef, at: usize| -> Option<Period> {
            let other = match p {
                PeriodRef::Fixed(f) => return Some(f),
                other => other,
            };
            // The last period stated before, when it dates this one: it is in the value's
            // sentence, or carries its year past its own ([`Stated::carries`]: "Năm ngoái, … 6
            // tháng đầu năm …" dates only its own sentence, and "… Thu ngân sách 6 tháng đạt …"
            // after it is of the publication's year), or names a year to come for a goal
            // ("Năm tới, tỉnh phấn đấu …. Quý I, tỉnh phấn đấu …").
            // One that does not carry stops only older years before it ("Năm 2023, … .
            // Bước sang năm nay, …"; not "GDP năm 2024 tăng 7,09%. Năm qua, …" in January).
            let last_year = |s: &Stated| s.period.fixed().map(|p| p.last_year());
            // (A bounded look back: a long text of comparing clauses would otherwise walk all
            // its periods for each value.)
            let mut before = st
                .periods_before(at)
                .iter()
                .rev()
                .take(PERIODS_LOOKED_BACK)
                .filter(|s| !s.base && s.period.fixed().is_some());
            let dates = |s: &Stated| {
                s.carries
                    || s.bytes.start >= sb.start
                    || (!achieved
                        && st
                            .published_year
                            .is_some_and(|y| last_year(s).is_some_and(|l| l > y)))
            };
            let last = before.next();
            let stated = last.and_then(|last| {
                if dates(last) {
                    return Some(last);
                }
                before
                    .find(|s| s.carries)
                    .filter(|s| last_year(s) >= last_year(last))
            });
            // A sentence of parts ("Trong đó, …") is of its statement's year ("Năm ngoái, … .
            // Trong đó, quý I đạt …").
            if let Some(p) = carry.period
                && opens_with(&st.folded[sb.start..sb.end], &linking_file().measure.parts).is_some()
            {
                return Some(other.resolve(p.last_year()));
            }
            let Some(published) = st.published else {
                // No publication date: "so với cùng kỳ năm 2022" dates the text in 2023.
                return match stated.and_then(last_year) {
                    Some(y) => Some(other.resolve(y)),
                    None => st.same_period_year.map(|y| other.resolve(y)),
                };
            };
            // A goal or forecast of a period over when the text came out, by a goal or forecast
            // word (not a plan's: "UBND tỉnh giao chỉ tiêu giải ngân 25% …"), is of next year's
            // when that begins within three months and is much the nearer ("Dự báo tháng 1, chỉ
            // số giá tiêu dùng sẽ tăng …", "Quý I, thành phố phấn đấu giải ngân 20% …" late in
            // December; not "6 tháng đầu năm, thành phố phấn đấu giải ngân 40% …" in October),
            // unless recalled with its result or its sentence names another period ("…cả năm đạt
            // 40.000 tỷ đồng, trong đó quý I thu 11.000 tỷ đồng, quý II …", "… năm 2024 …; riêng
            // quý I …": this year's). A forecast after a year stated is not: "Năm 2024, GDP ước
            // tăng 7%. Hồi quý I, nhiều tổ chức dự báo GDP chỉ tăng 5,5%" recalls one.
            let by_publication = |after_year: bool| {
                if achieved {
                    nearest_to(other, published, kind == Kind::Actual)
                } else {
                    let this = other.resolve(published.year());
                    let next = other.resolve(published.year() + 1);
                    let alone = || {
                        st.periods_within(sb)
                            .iter()
                            .filter(|s| !s.base && sb.contains(s.bytes))
                            .all(|s| s.bytes.start == at)
                    };
                    let goal_word = || {
                        sentence_hits.iter().any(|h| {
                            h.end <= m.bytes.start
                                && (h.tags.contains(&Tag::Target)
                                    || (!after_year && h.tags.contains(&Tag::Forecast)))
                        })
                    };
                    let behind =
                        published.first_day().days_since_epoch() - this.end().days_since_epoch();
                    let ahead =
                        next.start().days_since_epoch() - published.last_day().days_since_epoch();
                    if goal_over(this, published)
                        && 2 * ahead < behind
                        && ahead <= 92
                        && alone()
                        && goal_word()
                    {
                        next
                    } else {
                        this
                    }
                }
            };
            let Some(s) = stated else {
                return Some(by_publication(false));
            };
            // The year of the last statement when it came after every period stated ("Năm
            // 2023, … . [¶] Quý I, toàn tỉnh đón … [2024]. Trong đó, tháng 3 đón …").
            let year = match carry.period {
                Some(p) if last.is_some_and(|l| carry.period_sentence.start > l.bytes.start) => {
                    p.last_year()
                }
                _ => last_year(s).unwrap_or(published.year()),
            };
            let p = other.resolve(year);
            // What is achieved is of no period not yet begun when the text came out, and a
            // goal of none already over ("Năm 2025, … đặt mục tiêu …. Quý IV, GRDP ước tăng
            // 7,8%" in January 2025 is 2024's quarter; "Năm 2023, GRDP quý IV … Tỉnh phấn đấu
            // quý IV …" in October 2024 is 2024's goal).
            let publication = by_publication(true);
            let impossible = if achieved {
                p.start() > published.last_day()
            } else {
                goal_over(p, published)
            };
            // A year older than the publication's, stated with a value in an earlier paragraph
            // ("Năm 2023, toàn tỉnh đón 15,8 triệu lượt khách." then "Tháng 7 vừa qua, …" in
            // August 2024), does not date a period of the publication's year that is over or
            // nearly ([`mostly_over`]), nor an estimate's: news tells the latest. A heading's
            // year does ("Kết quả năm 2023" over its paragraphs), and so does one in its own
            // paragraph ("Năm 2020, … . Quý II, …") or over list lines ("…:\n- Quý I, …"), or
            // named again ("Trong quý IV năm đó").
            let yields = || {
                year < published.year()
                    && s.bytes.start < sb.start
                    && s.with_value
                    && s.paragraph != sentence.paragraph
                    && !opens_with_list_mark(&st.folded[sb.start..sb.end])
                    && (kind == Kind::Estimate || mostly_over(publication, published))
                    && !refers_back(&st.folded, at)
            };
            if impossible || yields() {
                Some(publication)
            } else {
                Some(p)
            }
        };
        // "Năm 2023, … từ 10,5% năm 2022 xuống còn 8,4%": the period of where a movement started
        // is not where it ended.
        let start_own = movement_before(&st.folded, ms, m, chunk)
            .filter(|&(_, dated)| dated)
            .map(|(pi, _)| Span::new(ms[pi].bytes.end, m.bytes.start));
        let candidates = move |range: Span| {
            st.periods_within(range).iter().filter(move |s| {
                !s.base
                    && range.contains(s.bytes)
                    && !start_own.is_some_and(|own| own.contains(s.bytes))
            })
        };
        // Words in the clause before the value.
        let mut words_before = sentence_hits
            .iter()
            .filter(|h| h.start >= clause.start && h.end <= m.bytes.start);
        let term = st
            .terms
            .iter()
            .copied()
            .find(|&(from, to)| st.published_year.is_some_and(|y| from <= y && y <= to));
        // A result's yearly average is over the years of the term so far; in its first two
        // years, those of the term before ("Đại hội … nhiệm kỳ 2025-2030. Nhiệm kỳ qua, tỷ lệ hộ
        // nghèo mỗi năm giảm 1,8%" is 2021/2025's, in 2025 and in 2026).
        let term_so_far = |y: i32| {
            term.map(|(from, to)| {
                if from + 1 < y {
                    Period::Years {
                        from: from + 1,
                        to: y,
                    }
                } else {
                    Period::Years {
                        from: from - (to - from) + 1,
                        to: from,
                    }
                }
            })
        };
        let pace = achieved && yearly_pace(&st.folded, m);
        // "Kim ngạch xuất khẩu tháng 10, 10 tháng và cả năm lần lượt tăng 5%, 7% và 8%": the
        // values after "lần lượt" take the periods listed right before it, in order.
        if let Some(p) =
            respective_period(st, &self.gazetteer, sentence_hits, ms, m, clause, resolve)
        {
            return Some(p);
        }
        // 0. "tốc độ tăng 3,21% của quý I/2020": a period right after the value names its time.
        if let Some(&Stated {
            bytes: b,
            period: p,
            ..
        }) = candidates(Span::new(m.bytes.end, chunk.end)).next()
        {
            let between = st.folded[m.bytes.end..b.start].trim();
            // "xuống còn 8,46% (năm 2023)": in brackets of its own, closed right after it.
            let between = match between.strip_prefix('(') {
                Some(inner) if st.folded[b.end..].trim_start().starts_with(')') => {
                    inner.trim_start()
                }
                _ => between,
            };
            // "còn 8,46% cuối năm 2023", "… vào cuối năm 2023": a level at the end of the year.
            let between = between
                .strip_suffix("cuối năm")
                .map_or(between, |lead| lead.trim_end());
            if between.is_empty()
                // A year's mention leaves its "năm" out: "6,9% của năm 2022".
                || matches!(
                    between,
                    "của" | "trong" | "vào" | "trong năm" | "năm" | "của năm" | "vào năm" | "đến"
                )
            {
                return resolve(p, b.start);
            }
        }
        // "kim ngạch xuất khẩu 5 năm đạt 5,2 tỷ USD": a run of years, the nearest span of years
        // stated before it, else the current term.
        let years_count = ms
            .iter()
            .filter(|p| p.bytes.start >= clause.start && p.bytes.end <= m.bytes.start)
            .find(|p| {
                p.kind == MentionKind::Count
                    && p.counted_noun
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case("năm"))
            });
        if let Some(count) = years_count {
            let span = st
                .periods_within(Span::new(sb.start, m.bytes.start))
                .iter()
                .rev()
                .find(|s| {
                    !s.base
                        && s.bytes.end <= m.bytes.start
                        && s.bytes.start >= sb.start
                        && matches!(s.period, PeriodRef::Fixed(Period::Years { .. }))
                })
                .and_then(|s| s.period.fixed());
            // Else the last run of that many years stated before ("… kế hoạch 5 năm 2021-2025
            // … . Tổng thu ngân sách 5 năm ước đạt …"), else the current term.
            let run_of_as_many = || {
                st.periods_before(sb.start)
                    .iter()
                    .rev()
                    .take(PERIODS_LOOKED_BACK)
                    .find_map(|s| match s.period {
                        // One not over, or just over, when the text came out ("So với giai đoạn
                        // 2016-2020, …" in 2025 is no such run). A term is named from the year
                        // of its congress: "nhiệm kỳ 2020 – 2025" is five years.
                        PeriodRef::Fixed(p @ Period::Years { from, to })
                            if !s.base
                                && (count.value_low == Some(f64::from(to - from + 1))
                                    || (count.value_low == Some(f64::from(to - from))
                                        && st.terms.contains(&(from, to))))
                                && st.published_year.is_none_or(|y| y <= to + 1) =>
                        {
                            Some(p)
                        }
                        _ => None,
                    })
            };
            if let Some(p) = span
                .or_else(run_of_as_many)
                .or_else(|| term.map(|(from, to)| Period::Years { from, to }))
            {
                return Some(p);
            }
        }
        let past_term = sentence_hits
            .iter()
            .rev()
            .find(|h| h.tags.contains(&Tag::PastTerm) && h.end <= m.bytes.start);
        let stated_in_sentence = candidates(Span::new(sb.start, m.bytes.start)).next_back();
        if past_term.is_some_and(|h| stated_in_sentence.is_none_or(|s| h.start > s.bytes.start))
            && let Some(y) = st.published_year
            && let Some(&(from, to)) = st
                .terms
                .iter()
                .filter(|(_, to)| *to <= y)
                .max_by_key(|(_, to)| *to)
        {
            return Some(Period::Years { from, to });
        }
        // "Từ đầu năm đến nay, thu ngân sách … đạt 3.500 tỷ đồng": from 1 January to the day
        // the text was published (its months, when only its month is known), when no period
        // is named between.
        // Not a stock raised to or left at a level ("nâng tổng số xã đạt chuẩn lên 95 xã",
        // "lũy kế", "; hiện còn 9.200 hộ nghèo"): in the value's clause, with no such word
        // between.
        if achieved
            && let Some(h) = sentence_hits.iter().rfind(|h| {
                h.tags.contains(&Tag::YearToDate)
                    && h.start >= clause.start
                    && h.end <= m.bytes.start
            })
            && candidates(Span::new(h.end, m.bytes.start)).next().is_none()
            && !sentence_hits.iter().any(|w| {
                w.start >= h.end
                    && w.end <= m.bytes.start
                    && w.tags
                        .iter()
                        .any(|t| matches!(t, Tag::Now | Tag::Cumulative))
            })
            && !st.folded[h.end..m.bytes.start]
                .split_whitespace()
                .any(|w| matches!(w, "nâng" | "lũy" | "luỹ" | "hiện"))
            && let Some(p) = st.published.and_then(year_to_date)
        {
            carry.to_date.set(true);
            return Some(p);
        }
        // "Trong kỳ nghỉ Tết Nguyên đán Giáp Thìn 2024, … đón 350.000 lượt khách": a holiday or
        // an event that is the time of the clause ([`event_opens`]; its own year is no period,
        // [`names_event_time`]) is the value's, which is no period chiso has, unless the clause
        // names one ("…, đón 650.000 lượt khách trong tháng 2").
        if sentence_hits.iter().any(|h| {
            h.tags.contains(&Tag::Event)
                && h.start >= clause.start
                && h.end <= m.bytes.start
                && event_opens(&st.folded, clause.start, h)
        }) && candidates(clause).next().is_none()
        {
            return None;
        }
        // 1. The nearest of: a period before the value in its clause, or a word that dates it
        //    from the publication ("hiện còn", "bình quân hằng năm", "nửa nhiệm kỳ còn lại").
        //    Or "cả năm" right after the value: "mục tiêu tăng trưởng 8% cả năm".
        let word = words_before
            .rfind(|h| {
                h.tags.iter().any(|t| {
                    matches!(t, Tag::Now | Tag::AnnualAverage | Tag::RestOfTerm)
                    // "bằng 85% dự toán cả năm" names the plan's year, not the value's; a
                    // goal's value is of it ("phấn đấu cả năm thu hút 2 tỷ USD").
                    || (*t == Tag::WholeYear
                        && (!achieved || !after_plan_word(&st.folded, sentence_hits, h)))
                })
            })
            .or_else(|| {
                // (A goal's: "Quý I, thu ngân sách đạt 1.500/6.000 tỷ đồng cả năm" is the
                // quarter's.)
                sentence_hits.iter().find(|h| {
                    !achieved
                        && h.start >= m.bytes.end
                        && h.tags.contains(&Tag::WholeYear)
                        && st.folded[m.bytes.end..h.start].trim().is_empty()
                })
            });
        let stated = candidates(Span::new(clause.start, m.bytes.start)).next_back();
        // A word within the period's span is the period's ("Quý III năm nay").
        let word_is_nearer = match (word, stated) {
            (Some(w), Some(s)) => w.start >= s.bytes.end,
            (Some(_), None) => true,
            _ => false,
        };
        if let (true, Some(w), Some(y)) = (word_is_nearer, word, st.published_year) {
            let from_word = if w.tags.contains(&Tag::RestOfTerm) {
                term.map(|(_, to)| Period::Years { from: y, to })
            } else if w.tags.contains(&Tag::AnnualAverage) && achieved {
                term_so_far(y)
            } else if w.tags.contains(&Tag::AnnualAverage) {
                // A goal's average is over the run of years its sentence names last ("Mục tiêu
                // giai đoạn 2026-2030: …; mỗi năm giảm tỷ lệ hộ nghèo 1-1,5%"), else the term's
                // years after the one it was set in.
                candidates(Span::new(sb.start, m.bytes.start))
                    .rev()
                    .find_map(|s| match s.period {
                        // Not a run over ("So với giai đoạn 2021-2025, … mục tiêu …" in 2025).
                        PeriodRef::Fixed(p @ Period::Years { to, .. }) if to > y => Some(p),
                        _ => None,
                    })
                    .or_else(|| term.map(|(from, to)| Period::Years { from: from + 1, to }))
            } else if w.tags.contains(&Tag::WholeYear) {
                // "Kim ngạch xuất khẩu 10 tháng đạt …; dự kiến cả năm đạt …": the year of the
                // months before, else of the statement before, else the publication's.
                let before = candidates(Span::new(sb.start, m.bytes.start))
                    .next_back()
                    .and_then(|s| resolve(s.period, s.bytes.start))
                    .or(carry.period);
                // An achieved whole year in a text of January to March is last year's
                // ("Sản lượng lúa vụ mùa đạt 95.000 tấn, cả năm đạt 180.000 tấn" in January).
                let early =
                    achieved && st.published.and_then(|p| p.month()).is_some_and(|m| m <= 3);
                let year = before.map_or(if early { y - 1 } else { y }, |p| p.last_year());
                // A goal or a forecast is for no year already over ("Năm ngoái, … 6 tháng đầu
                // năm … giảm 10,1%. Dự báo cả năm, … có thể đạt 5,5-6%").
                Some(Period::Year(if achieved { year } else { year.max(y) }))
            } else {
                Some(Period::Year(y))
            };
            if from_word.is_some() {
                return from_word;
            }
        }
        if let Some(&Stated {
            bytes: b,
            period: p,
            ..
        }) = stated
        {
            return resolve(p, b.start);
        }
        // 2. before the value in the sentence; 3. after it in its clause.
        if let Some(&Stated {
            bytes: b,
            period: p,
            ..
        }) = candidates(Span::new(sb.start, m.bytes.start)).next_back()
        {
            return resolve(p, b.start);
        }
        // (Not past "trong khi": "… đạt 8,2%, trong khi năm 2023 giảm 3,5%" compares with
        // another time; nor one year after a result's yearly average: "giảm bình quân 3,5%/năm,
        // đến cuối năm 2024 còn 19,6%" dates what remains.)
        if let Some(&Stated {
            bytes: b,
            period: p,
            ..
        }) = candidates(Span::new(m.bytes.end, clause.end)).next()
            && !small_words()
                .compares
                .hits(&st.folded[m.bytes.end..b.start])
                .any(|h| h.tags.contains(&Tag::Compared))
        {
            if !(pace && matches!(p, PeriodRef::Fixed(Period::Year(_)))) {
                return resolve(p, b.start);
            }
            // (A result's yearly pace before one year is over the term so far, or no period.)
            if let Some(so_far) = st.published_year.and_then(term_so_far) {
                return Some(so_far);
            }
        }
        // 4. the period of the last statement ("Trong đó, ..."), else the nearest one stated
        //    earlier in the document, else the title's.
        let _ = (si, seg);
        let earlier = carry
            .apart
            .filter(|_| {
                let sentence = &st.folded[sb.start..sb.end];
                let words = linking_file();
                opens_with(sentence, &words.measure.parts).is_some()
                    || opens_with(sentence, &words.period.same_period_opening)
                        .is_some_and(|rest| !starts_with_number(rest))
                    || compared_with_period_before(
                        &st.folded[m.bytes.end..clause.end.max(m.bytes.end)],
                    )
            })
            .or_else(|| {
                // The last period stated; for a goal, even when the last statement came
                // after it ("2. Nhiệm vụ năm 2024" over a goal is later than "Tháng 12, tỉnh
                // đón …").
                // For an estimate, not one that had not begun when the text was published: a
                // half-year report titled "… 6 tháng đầu năm 2024; nhiệm vụ, giải pháp 6 tháng
                // cuối năm 2024" states its estimates for the first half. (Not any result: a
                // value of a list under "Các chỉ tiêu chủ yếu năm 2025:" is a goal by that.)
                let not_begun = |s: &Stated| {
                    kind == Kind::Estimate && s.period.fixed().is_some_and(|p| st.not_begun(p))
                };
                // (When there is no other: "Các chỉ tiêu chủ yếu năm 2025:" then "- Thu ngân
                // sách ước đạt 25.000 tỷ đồng.")
                let before = || {
                    st.periods_before(sb.start)
                        .iter()
                        .rev()
                        .filter(|s| !s.base && s.bytes.end <= sb.start)
                };
                let stated = before().find(|s| !not_begun(s)).or_else(|| before().next());
                // A heading after the last statement dates what is under it, achieved or not
                // ("Năm 2024, … ước đạt 8,5%. [¶] Các chỉ tiêu chủ yếu năm 2025: [¶] - Tốc độ
                // tăng trưởng GRDP đạt 9% trở lên;" in December 2024 is 2025's goal).
                let heading_after = |s: &Stated| {
                    carry.item
                        && s.heading
                        && s.carries
                        && s.bytes.start >= carry.period_sentence.end.max(carry.valued_at)
                };
                match (carry.period, stated) {
                    (Some(p), Some(s))
                        if (achieved && !heading_after(s))
                            || s.bytes.start < carry.period_sentence.end
                            || !s.carries =>
                    {
                        Some(p)
                    }
                    (p, s) => s.and_then(|s| resolve(s.period, s.bytes.start)).or(p),
                }
            })
            .or(st.title_period);
        // A goal that names no period is for a whole year, and none already over unless
        // recalled ("6 tháng đầu năm, … đạt …. Tỉnh phấn đấu thu …"; "Năm 2021, tỷ lệ hộ nghèo
        // là 18,5%. [¶] Tỉnh phấn đấu đến cuối năm … còn 6,9%" in 2024 is 2024's).
        match earlier {
            Some(p) if !achieved && p.start().year == p.end().year => {
                let year = Period::Year(p.last_year());
                Some(match st.published {
                    Some(published) if goal_over(year, published) => Period::Year(published.year()),
                    _ => year,
                })
            }
            // Nor is a result's yearly pace of one year ("Tỷ lệ che phủ rừng năm 2024 đạt 56,3%.
            // Tỷ lệ hộ nghèo giảm bình quân 3,5%/năm, …"), nor of a term not begun (a report to
            // the congress of the term 2025 – 2030, titled with it).
            // (Without a term, the period before it: a goal list's future year makes its lines
            // goals.)
            Some(p) if pace && (matches!(p, Period::Year(_)) || st.not_begun(p)) => {
                st.published_year.and_then(term_so_far).or(earlier)
            }
            other => other,
        }
    }

    /// The sub-group a value of `ind` is stated for: linking.toml's `breakdown` words where they
    /// qualify the value's subject, not a cause or an event named around it:
    /// - right after the indicator's cue, with only `breakdown_joining` words between (and
    ///   years), and no value between the cue and this one ("tỷ lệ hộ nghèo ở các huyện miền núi
    ///   còn 12%", "Tỷ lệ trường đạt chuẩn quốc gia: mầm non 62%", "số giường bệnh/vạn dân tuyến
    ///   tỉnh đạt 20"; not "… tăng nhờ đào tạo nghề cho lao động nông thôn, năm 2024 đạt 68,5%");
    /// - opening the value's chunk, as its label, at most two words before it ("…, đô thị đạt
    ///   98%", "khách Trung Quốc gần 400.000 lượt") or right before the cue ("vốn ngân sách trung
    ///   ương giải ngân đạt 97,1%");
    /// - as the topic of a chunk of its clause before the cue: after one of `breakdown_opening`
    ///   ("Năm 2024, tại các huyện nghèo, tỷ lệ hộ nghèo còn 18,7%"), or alone ("Vùng đồng bào
    ///   dân tộc thiểu số, tỷ lệ hộ nghèo còn 12%");
    /// - listed after one of these ("ở khu vực đô thị và nông thôn lần lượt đạt 98% và 75%").
    ///
    /// A value listed right after another ("lần lượt đạt 60%, 85% và 78%") is looked for from
    /// the list's first, and after "lần lượt" the groups pair with the values in order. Not
    /// words inside a cue or a place, nor before a place named after them (a district's), nor
    /// after "cả" ("kể cả học sinh", "ở cả khu vực thành thị và nông thôn": the whole), nor
    /// before the whole province named again ("… các huyện miền núi còn 12% và toàn tỉnh còn
    /// 3,1%").
    ///
    /// `None` when there is none; otherwise the words' span and the indicator the catalogue
    /// names for the sub-group (`sub_groups`), if any.
    fn sub_group<'c>(
        &'c self,
        st: &DocState<'_>,
        carry: &Carry,
        sentence_cues: &[crate::catalogue::CueMatch],
        ind: &Indicator,
        ms: &[Mention],
        mi: usize,
    ) -> Option<(Span, Option<&'c Indicator>)> {
        let m = &ms[mi];
        let clause = carry.delims.clause(m.bytes.start);
        let at = &ms[list_lead(&st.folded, ms, mi, clause)];
        let chunk = carry.delims.chunk(at.bytes.start);
        let sb = carry.delims.sentence;
        let all = carry.breakdowns.get_or_init(|| {
            breakdown_words()
                .hits(&st.folded[sb.start..sb.end])
                .filter(|h| h.tags.contains(&Tag::Breakdown))
                .map(|h| Span::new(sb.start + h.start, sb.start + h.end))
                .collect()
        });
        let hits = all
            .iter()
            .filter(|h| h.start >= clause.start && h.end <= at.bytes.start)
            .map(|h| (h.start, h.end));
        let own_cue = sentence_cues.iter().rfind(|c| {
            c.span.end <= at.bytes.start && self.catalogue.named(c).is_some_and(|i| i.id == ind.id)
        });
        let words = &linking_file().measure;
        // Only joining words, years and marks.
        let joining = |between: &str| {
            let ws: Vec<&str> = between
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .collect();
            let mut rest = &ws[..];
            while let Some(&w) = rest.first() {
                if w == "năm" || w.bytes().all(|b| b.is_ascii_digit()) {
                    rest = &rest[1..];
                    continue;
                }
                // (The longest joining phrase the words start with.)
                let Some(n) = words
                    .breakdown_joining
                    .iter()
                    .map(|j| j.split_whitespace().collect::<Vec<_>>())
                    .filter(|j| rest.starts_with(j))
                    .map(|j| j.len())
                    .max()
                else {
                    return false;
                };
                rest = &rest[n..];
            }
            true
        };
        let value_between = |from: usize, to: usize| {
            ms[..mi]
                .iter()
                .any(|p| p.kind.is_value() && p.bytes.start >= from && p.bytes.end <= to)
        };
        // (Not another subject joined to the cue's: "…, phần lớn là khách nội địa và khách Trung
        // Quốc, đạt 7,2 triệu lượt".)
        let after_cue = |(start, _): (usize, usize)| {
            own_cue.is_some_and(|c| {
                c.span.end <= start
                    && joining(&st.folded[c.span.end..start])
                    && !has_word(&st.folded[c.span.end..start], "và")
                    && !value_between(c.span.end, start)
            })
        };
        // A bracket open at the value opens its label's chunk: "đạt 2,5% (thành thị 0,9%, …)",
        // "(riêng đồng bào DTTS còn 9,8%)".
        // So does "và" after a value: "còn 3,3% và riêng các xã biên giới còn 10,7%".
        let label_from = st.folded[chunk.start..at.bytes.start]
            .rfind(['(', ')'])
            .filter(|&i| st.folded.as_bytes()[chunk.start + i] == b'(')
            .map_or(chunk.start, |i| chunk.start + i + 1);
        let label_from = ms[..mi]
            .iter()
            .rfind(|p| {
                p.kind.is_value() && p.bytes.start >= label_from && p.bytes.end <= at.bytes.start
            })
            .and_then(|p| {
                let end = past_value(&st.folded, p);
                let rest = st.folded.get(end..at.bytes.start)?;
                let after = rest.trim_start().strip_prefix("và ")?;
                Some(at.bytes.start - after.len())
            })
            .unwrap_or(label_from);
        // (A few words of the chunk's subject may come first: "…; giường bệnh tư nhân đạt 2,1
        // giường/vạn dân".)
        // (Or the indicator named again as "this": "…, trong khi tỷ lệ này ở lao động DTTS chỉ
        // 35%".)
        let after_this = |lead: &str| {
            lead.rsplit_once(" này ")
                .or_else(|| lead.strip_prefix("này ").map(|rest| ("", rest)))
                .is_some_and(|(_, rest)| joining(rest))
        };
        let label = |(start, end): (usize, usize)| {
            start >= label_from
                && (joining(&st.folded[label_from..start])
                    || st.folded[label_from..start].split_whitespace().nth(2).is_none()
                    || (after_this(&st.folded[label_from..start])
                        && !value_between(label_from, start)))
                // (Not in a bracket closed before the value: "(bao gồm cả học sinh, sinh viên)
                // đạt 94%".)
                && !st.folded[end..at.bytes.start].contains(')')
                && (st.folded[end..at.bytes.start].split_whitespace().nth(2).is_none()
                    || own_cue.is_some_and(|c| {
                        c.span.start >= end
                            && st.folded[end..c.span.start].split_whitespace().nth(1).is_none()
                    }))
        };
        let topic = |(start, end): (usize, usize)| {
            own_cue.is_some_and(|c| {
                let ch = carry.delims.chunk(start);
                ch.end <= c.span.start
                    && ch.end <= chunk.start
                    && match opens_with(&st.folded[ch.start..start], &words.breakdown_opening) {
                        Some(rest) => joining(rest),
                        // (Alone, it opens its clause, after its time at most: not the end of a
                        // list of places helped, "Nhờ hỗ trợ … ở vùng sâu, vùng xa, tỷ lệ …".)
                        // ("Khu vực nông thôn: năm 2024, …": a colon and its time may follow.)
                        None => {
                            let time = |s: &str| {
                                s.split_whitespace().all(|w| {
                                    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                                    w.is_empty()
                                        || matches!(w, "năm" | "tháng" | "quý")
                                        || w.bytes().all(|b| b.is_ascii_digit())
                                })
                            };
                            let after = st.folded[end..ch.end].trim();
                            joining(&st.folded[ch.start..start])
                                && (after.is_empty() || after.strip_prefix(':').is_some_and(time))
                                && time(&st.folded[clause.start..ch.start])
                        }
                    }
            })
        };
        // (An `outside` phrase that holds the words does not hide them: "Tại các xã khu vực III,
        // …".)
        let in_cue = |(start, end): (usize, usize)| {
            sentence_cues.iter().any(|c| {
                c.indicator != crate::catalogue::OUTSIDE
                    && c.span.start <= start
                    && end <= c.span.end
            })
        };
        let counts = |(start, end): (usize, usize)| {
            !in_cue((start, end))
                && !st
                    .places_within(Span::new(start, at.bytes.start))
                    .iter()
                    .any(|p| {
                        (p.start <= start && end <= p.end)
                            || (p.code.is_some() && p.start >= end && p.end <= at.bytes.start)
                    })
                && !names_whole(&st.folded[end..at.bytes.start])
        };
        // (Groups listed after "cả" are the whole too: "bao gồm cả học sinh, sinh viên".)
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut previous: Option<((usize, usize), bool)> = None;
        for h in hits {
            let listed_after = |p: (usize, usize)| joins_list(&st.folded[p.1..h.0]);
            let whole = after_ca(&st.folded, h.0)
                || previous.is_some_and(|(p, whole)| whole && listed_after(p));
            let listed = groups.last().is_some_and(|&p| listed_after(p));
            if !whole && (listed || after_cue(h) || label(h) || topic(h)) && counts(h) {
                groups.push(h);
            }
            previous = Some((h, whole));
        }
        // Else after the value in its chunk, right after one of `breakdown_after` and joining
        // words: "đạt 62% đối với bậc mầm non", "còn 25% tại các xã đặc biệt khó khăn" (not a
        // cause, "đạt 55,5% nhờ trồng rừng ở các xã vùng cao", nor a place's group: "… tại các
        // huyện miền núi của tỉnh Hà Giang" is the province's).
        let trailing = || {
            let from = past_value(&st.folded, m);
            let own = carry.delims.chunk(m.bytes.start);
            let h = all.iter().find(|h| h.start >= from && h.end <= own.end)?;
            let h = (h.start, h.end);
            (opens_with(&st.folded[from..h.0], &words.breakdown_after).is_some_and(joining)
                && !in_cue(h)
                && !st
                    .places_within(Span::new(h.0, own.end))
                    .iter()
                    .any(|p| p.start < h.1 && p.end > h.0))
            .then_some(h)
        };
        let last = match groups.last() {
            Some(&last) => last,
            None => trailing()?,
        };
        let respective = carry
            .sentence_hits(&st.folded, carry.delims.sentence)
            .iter()
            .any(|h| {
                h.tags.contains(&Tag::Respectively) && h.start >= last.1 && h.end <= at.bytes.start
            });
        let (start, end) = if groups.len() > 1 && respective {
            list_position(&st.folded, ms, mi, clause, groups.len()).map_or(last, |i| groups[i])
        } else {
            last
        };
        let words = st.folded[start..end].split_whitespace();
        Some((
            Span::new(start, end),
            ind.sub_groups
                .iter()
                .find(|(group, _)| group.split_whitespace().eq(words.clone()))
                .and_then(|(_, id)| self.catalogue.get(id)),
        ))
    }

    /// For value `ms[mi]` after "lần lượt" in `clause`, when the cues before the "lần lượt" pair
    /// with the values after it (two or more; or one followed by "và" and words that name no
    /// period): the cue in its position (`Some(None)` past the last), or `None` when there is
    /// no such list, or its places or periods pair with the values instead.
    #[allow(clippy::too_many_arguments)]
    fn respective_cue<'c>(
        &self,
        st: &DocState<'_>,
        carry: &Carry,
        sentence_cues: &'c [crate::catalogue::CueMatch],
        ms: &[Mention],
        mi: usize,
        sb: Span,
        clause: Span,
    ) -> Option<Option<&'c crate::catalogue::CueMatch>> {
        let m = &ms[mi];
        let h = carry.sentence_hits(&st.folded, sb).iter().find(|h| {
            h.tags.contains(&Tag::Respectively) && h.start >= clause.start && h.end <= m.bytes.start
        })?;
        let cues: Vec<&crate::catalogue::CueMatch> = sentence_cues
            .iter()
            .filter(|c| c.span.start >= clause.start && c.span.end <= h.start)
            .collect();
        let places = st
            .places_within(Span::new(clause.start, h.start))
            .iter()
            .filter(|p| p.code.is_some() && p.start >= clause.start && p.end <= h.start)
            .count();
        // Counted no further than one past the cues and the places.
        let (i, values) = values_after(ms, mi, h.end, clause, cues.len().max(places) + 1)?;
        if values < 2 || (cues.len() < values && places == values) {
            return None;
        }
        // One cue before a list is shared by its values when they are of periods ("Kim ngạch
        // xuất khẩu tháng 10, 10 tháng và cả năm lần lượt tăng …"); followed by "và" before any
        // period ("kim ngạch xuất khẩu và nhập khẩu [năm 2023] lần lượt đạt …"), it names the
        // first value only, the second's subject being no cue.
        if let [cue] = cues[..] {
            // The words up to the first period between ("kim ngạch xuất khẩu và nhập khẩu năm
            // 2023 lần lượt …": the "và" joins subjects, not periods).
            let first_period = ms[..mi]
                .iter()
                .find(|p| {
                    matches!(p.kind, MentionKind::Period | MentionKind::Year)
                        && p.bytes.start >= cue.span.end
                        && p.bytes.end <= h.start
                })
                .map_or(h.start, |p| p.bytes.start);
            let gap = &st.folded[cue.span.end..first_period];
            if !has_word(gap, "và") {
                return None;
            }
        } else if cues.is_empty() {
            return None;
        }
        // "… lần lượt đạt 2,1 tỷ USD và 1,5 tỷ USD, tăng 12% và 8%": a later list of as many
        // values pairs with the cues too.
        if i >= cues.len()
            && cues.len() >= 2
            && let Some(pos) = list_position(&st.folded, ms, mi, clause, cues.len())
        {
            return Some(cues.get(pos).copied());
        }
        Some(cues.get(i).copied())
    }

    /// The place that owns value `m`, named right after it in its chunk: "thấp hơn mức 7,09%
    /// của cả nước", "7,1% bình quân của cả nước".
    fn owner_after<'s>(
        &self,
        st: &'s DocState<'_>,
        chunk: Span,
        m: &Mention,
    ) -> Option<&'s PlaceHit> {
        // (Not a gap: "cao hơn 1,4 điểm phần trăm bình quân chung của cả nước".)
        if m.unit == Some(Unit::Pp)
            || st.folded[chunk.start..m.bytes.start]
                .trim_end()
                .ends_with("hơn")
        {
            return None;
        }
        let end = past_value(&st.folded, m);
        let p = st
            .places_within(Span::new(end, chunk.end))
            .iter()
            .find(|p| p.code.is_some() && p.start >= end && p.end <= chunk.end)?;
        let lead = self
            .gazetteer
            .without_trailing_prefix(&st.folded[end..p.start]);
        matches!(
            lead.trim_start(),
            "của"
                | "của toàn"
                | "chung của"
                | "bình quân của"
                | "bình quân chung của"
                | "trung bình của"
        )
        .then_some(p)
    }

    #[allow(clippy::too_many_arguments)]
    fn place_for(
        &self,
        st: &DocState<'_>,
        hits: &[crate::lexicon::Hit<'_, Tag>],
        sentence_cues: &[crate::catalogue::CueMatch],
        sb: Span,
        clause: Span,
        chunk: Span,
        m: &Mention,
    ) -> Option<Geo> {
        let usable = |p: &&PlaceHit| p.code.is_some();
        if let Some(p) = self.owner_after(st, chunk, m) {
            return p.geo();
        }
        // Right before the value in its chunk.
        if let Some(p) = st
            .places_within(Span::new(chunk.start, m.bytes.start))
            .iter()
            .filter(usable)
            .rfind(|p| p.start >= chunk.start && p.end <= m.bytes.start)
        {
            return p.geo();
        }
        // The subject of the clause: its first place before the value that is not the base of a
        // comparison ("Kim ngạch xuất khẩu của tỉnh Bình Dương đạt …, tăng 13,2%": Bình Dương;
        // "… so với mức tăng trưởng chung toàn quốc (3,32%), xếp thứ tư": not the country).
        let subject = st
            .places_within(Span::new(clause.start, m.bytes.start))
            .iter()
            .filter(usable)
            .find(|p| p.start >= clause.start && p.end <= m.bytes.start);
        if let Some(p) = subject {
            let lead = &st.folded[clause.start..p.start];
            // "Phát biểu tại hội nghị … ở Hà Nội, Chủ tịch UBND tỉnh cho biết … GRDP của tỉnh
            // đạt 6,21%": a place where something happens, followed by the source province's
            // own words before the value, is not the subject.
            let chunk_lead = &st.folded[st.folded[..p.start]
                .rfind([',', ';', ':'])
                .map_or(clause.start, |i| (i + 1).max(clause.start))
                ..p.start];
            // An event before the place, not an opening "Tại Hà Nội,", whose later "thành phố"
            // is Hà Nội.
            let where_it_is = chunk_lead.split_whitespace().count() >= 3
                && words()
                    .find(chunk_lead)
                    .iter()
                    .any(|h| h.tags.contains(&Tag::NotSubject));
            let own_words_after = where_it_is && st.default_geo.is_some() && {
                let rest = &st.folded[p.end..m.bytes.start];
                provincial_words().find(rest).iter().any(|h| {
                    h.tags.contains(&Tag::Provincial) && !after_superlative(rest, h.start) && {
                        let at = p.end + h.end;
                        !st.places_within(Span::new(at, m.bytes.start))
                            .iter()
                            .any(|q| q.start >= at && q.start <= at + 1)
                    }
                })
            };
            if where_it_is && own_words_after {
                return st.default_geo.clone();
            }
            if !words().contains_tag(lead, Tag::BaseBefore) {
                return p.geo();
            }
        }
        // In a document about no place the source or the text makes clear, the subject of an
        // earlier clause, when the sentence names one province before the value other than as a
        // base of comparison or the country: "Năm 2023, sản lượng … của tỉnh Cà Mau đạt 567.000
        // tấn; sản lượng lương thực đạt 1,1 triệu tấn" (both Cà Mau's). Where the source gives
        // a place, a province named in passing ("dự án … tại Bình Dương; vốn FDI đạt …") is not
        // taken over it.
        let mut subjects = st
            .places_within(Span::new(sb.start, clause.start))
            .iter()
            .filter(usable)
            .filter(|p| p.start >= sb.start && p.end <= clause.start)
            .filter(|p| p.code.as_deref() != Some("VN"))
            .filter(|p| {
                // Not a place where something is ("dự án … tại Bình Dương"), one compared with
                // ("chỉ sau tỉnh Bắc Ninh") or a base; the subject ("của tỉnh Cà Mau", "trên
                // địa bàn tỉnh Cà Mau", "kinh tế tỉnh Cà Mau", "Cục Thống kê tỉnh Cà Mau").
                let clause_start = st.folded[sb.start..p.start]
                    .rfind([',', ';', ':'])
                    .map_or(sb.start, |i| sb.start + i + 1);
                let lead = self
                    .gazetteer
                    .without_trailing_prefix(&st.folded[clause_start..p.start]);
                let hits = words().find(lead);
                let ends_not_subject = hits.last().is_some_and(|h| {
                    h.tags.contains(&Tag::NotSubject) && lead[h.end..].trim().is_empty()
                });
                !ends_not_subject && !hits.iter().any(|h| h.tags.contains(&Tag::BaseBefore))
            });
        // (Where the source gives a place, the earlier subject of its code still says which
        // unit: "Năm 2024, GRDP của tỉnh Lào Cai (cũ) tăng 7,5%; tỷ lệ hộ nghèo còn 10,5%" in
        // October 2025 is the former Lào Cai's, not the merged one's the source names. Looked
        // for only when the sentence names another unit of the source's code before the clause.)
        let other_unit = |g: &Geo| {
            st.places_within(Span::new(sb.start, clause.start))
                .iter()
                .any(|p| p.code.as_ref() == Some(&g.code) && p.id != g.id)
        };
        let mut earlier_unit = None;
        if st.default_geo.as_ref().is_none_or(other_unit)
            && let Some(first) = subjects.next()
            && subjects.all(|p| p.code == first.code)
        {
            match &st.default_geo {
                None => return first.geo(),
                Some(g) if first.code.as_ref() == Some(&g.code) => earlier_unit = first.geo(),
                Some(_) => {}
            }
        }
        // A place opening the sentence ("Tại Bắc Ninh, ...", "Lào Cai đã ...").
        let opening_end = st.text[sb.start..m.bytes.start]
            .char_indices()
            .filter(|(_, c)| c.is_whitespace())
            .nth(5)
            .map_or(m.bytes.start, |(i, _)| sb.start + i);
        if let Some(p) = st
            .places_within(Span::new(sb.start, opening_end))
            .iter()
            .filter(usable)
            .find(|p| p.start >= sb.start && p.end <= opening_end)
        {
            return p.geo();
        }
        // "Theo Tổng cục Thống kê, GDP quý III/2023 ước tính tăng 5,33%": the country's.
        // The words must be the value's own subject: nothing that names another between them
        // and the value (no cue, no "GRDP"), and nothing provincial in the clause.
        let national = hits
            .iter()
            .rfind(|h| {
                h.tags.contains(&Tag::National) && h.start >= clause.start && h.end <= m.bytes.start
            })
            .is_some_and(|h| {
                let between = &st.folded[h.end..m.bytes.start];
                !between.contains("grdp")
                    && !sentence_cues.iter().any(|c| {
                        // "tổng sản phẩm trong nước (GDP) …": its own abbreviation.
                        c.span.start >= h.end
                            && c.span.end <= m.bytes.start
                            && &st.folded[c.span.start..c.span.end] != "gdp"
                    })
            });
        if national
            && !provincial_words()
                .contains_tag(&st.folded[clause.start..m.bytes.start], Tag::Provincial)
        {
            return self.gazetteer.resolve("VN", None).map(Geo::of);
        }
        // (The country read from a document's opening is not the place of a clause that says
        // it is a province's: "Thu ngân sách trên địa bàn đạt 17.000 tỷ đồng" after "Tại Hà
        // Tĩnh, …".)
        if earlier_unit.is_none()
            && st.national_default
            && provincial_words()
                .contains_tag(&st.folded[clause.start..m.bytes.start], Tag::Provincial)
        {
            return None;
        }
        earlier_unit.or_else(|| st.default_geo.clone())
    }
}

/// A set of tags, one bit each.
type TagSet = u64;

// Tags are bits of a [`TagSet`]: the last must fit.
const _: () = assert!((Tag::LAST as u32) < TagSet::BITS);

impl Tag {
    /// The tag's bit in a set of tags.
    const fn bit(self) -> TagSet {
        1 << self as u32
    }
}

/// The set of tags of `hits`.
fn tag_bits<'a>(hits: impl Iterator<Item = crate::lexicon::Hit<'a, Tag>>) -> TagSet {
    hits.fold(0, |bits, h| h.tags.iter().fold(bits, |b, t| b | t.bit()))
}

/// Where the word "so" ("so với", "so cùng kỳ") starts in `text` at or after `from`: a whole
/// word followed by a space (any: a double or a non-breaking one), not the "so" of "số" or
/// "soát".
fn find_so(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text.get(at..)?.find("so") {
        let start = at + i;
        if !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && text[start + 2..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace)
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The last [`find_so`] in `text[from..to]`.
fn rfind_so(text: &str, from: usize, to: usize) -> Option<usize> {
    let mut last = None;
    let mut at = from;
    while let Some(found) = find_so(&text[..to], at) {
        last = Some(found);
        at = found + 2;
    }
    last
}

/// Where the words naming a base start after the "so" at `at`: past "so", its spaces and
/// "với".
fn base_words_at(text: &str, at: usize) -> usize {
    let after_so = at + 2;
    let mut rest = text[after_so..].trim_start();
    // "so với", "so sánh với", "so sánh".
    for word in ["sánh", "với"] {
        if let Some(r) = rest.strip_prefix(word)
            && r.chars().next().is_none_or(char::is_whitespace)
        {
            rest = r.trim_start();
        }
    }
    text.len() - rest.len()
}

/// Where the words naming a base end: at a clause's end, or "và" before another statement.
fn base_phrase_end(phrase: &str) -> usize {
    let end = phrase
        .find([',', ';', ':', '(', ')', '.'])
        .unwrap_or(phrase.len());
    phrase[..end]
        .match_indices("và")
        .find(|(i, _)| {
            phrase[..*i].ends_with(char::is_whitespace)
                && phrase[i + "và".len()..].starts_with(char::is_whitespace)
        })
        .map_or(end, |(i, _)| i)
}

/// The province a rank names after itself, when its chunk names none before it: "thứ hai Hà
/// Nội với 3 tỷ USD", "thứ nhất Quảng Ninh với 72,95 điểm", "đứng đầu cả nước là Bình Dương".
fn ranked_place(st: &DocState<'_>, chunk: Span, m: &Mention) -> Option<Geo> {
    let province = |p: &&PlaceHit| p.code.as_deref().is_some_and(|c| c != "VN");
    if st
        .places_within(Span::new(chunk.start, m.bytes.start))
        .iter()
        .any(|p| p.code.is_some() && p.start >= chunk.start && p.end <= m.bytes.start)
    {
        return None;
    }
    let p = st
        .places_within(Span::new(m.bytes.end, chunk.end))
        .iter()
        .filter(|p| p.start >= m.bytes.end && p.end <= chunk.end)
        .find(province)?;
    let gap = st.folded[m.bytes.end..p.start].trim();
    // Nothing between, or the group and "là": "đứng đầu cả nước là …".
    let names = gap.is_empty()
        || gap == "là"
        || (gap.ends_with(" là") && gap.split_whitespace().count() <= 4);
    names.then(|| p.geo()).flatten()
}

/// The place of value `ms[mi]` in a "lần lượt" (respectively) list: "Bình Dương, Đồng Nai, Bà
/// Rịa - Vũng Tàu lần lượt có tốc độ tăng trưởng GRDP là 6,5%, 7,2% và 4,1%" gives each value the
/// place in its position, when the clause names as many places before "lần lượt" as it states
/// values after it.
fn respective_place(
    st: &DocState<'_>,
    hits: &[crate::lexicon::Hit<'_, Tag>],
    ms: &[Mention],
    mi: usize,
    clause: Span,
) -> Option<Geo> {
    let m = &ms[mi];
    let at = hits
        .iter()
        .find(|h| {
            h.tags.contains(&Tag::Respectively) && h.start >= clause.start && h.end <= m.bytes.start
        })?
        .start;
    // Not a place compared with ("So với Đồng Nai, năm 2023 Bình Dương có …").
    let compared = |p: &PlaceHit| {
        hits.iter().any(|h| {
            h.tags.contains(&Tag::BaseBefore)
                && h.end <= p.start
                && h.start >= clause.start
                && !st.folded[h.end..p.start].contains([',', ';'])
        })
    };
    let places: Vec<&PlaceHit> = st
        .places_within(Span::new(clause.start, at))
        .iter()
        .filter(|p| p.code.is_some() && p.start >= clause.start && p.end <= at && !compared(p))
        .collect();
    if places.len() < 2 {
        return None;
    }
    // The values after "lần lượt", counted no further than one past the places (a sentence
    // may list thousands).
    let (i, count) = values_after(ms, mi, at + 1, clause, places.len() + 1)?;
    // (Or its position in the list it is in, when that has as many: a value after the list, not
    // joined to it by "," or "và", is no more of it, "TP. Hồ Chí Minh và Hà Nội lần lượt có
    // 62.800 và 31.800 doanh nghiệp thành lập mới, chiếm 40,5% …".)
    let i = if count == places.len() {
        i
    } else {
        list_position(&st.folded, ms, mi, clause, places.len())?
    };
    places[i].geo()
}

/// A period named without its year ("tháng 12", "quý IV", "tính đến ngày 31/12") and dated by
/// the publication alone, for a value achieved or estimated: in the publication's year, or,
/// for a text of January to March, the year before when that one is nearer to the publication
/// ("Chỉ số giá tiêu dùng tháng 12 tăng 0,3%" published on 5 January 2024 is December 2023, not
/// eleven months ahead), and later in the year, for an `actual` value, when this year's has not
/// begun ("Chỉ số giá tháng 12 tăng 0,3%" in August 2024 is December 2023; "quý IV GDP ước tăng
/// 7,6%" in September is a projection of this year's). Goals are the publication year's.
fn nearest_to(p: PeriodRef, published: chiso_model::PartialDate, actual: bool) -> Period {
    let this = p.resolve(published.year());
    let Some(month) = published.month() else {
        return this;
    };
    let (first, last) = (published.first_day(), published.last_day());
    // A day, or the days counted to it, stands at that day; other periods at their start.
    let at = match p {
        PeriodRef::Day { .. } | PeriodRef::ToDay { .. } => this.end(),
        _ => this.start(),
    };
    if at <= last {
        return this;
    }
    let before = p.resolve(published.year() - 1);
    if month > 3 {
        return if actual { before } else { this };
    }
    let ahead = at.days_since_epoch() - last.days_since_epoch();
    let behind = first.days_since_epoch() - before.end().days_since_epoch();
    if behind < ahead { before } else { this }
}

/// The first value of the list that value `ms[mi]` is in: values of `clause` joined by "," or
/// "và" and nothing else ("tăng 5%, 7% và 8%"); `mi` itself when no value stands right before
/// it.
fn list_lead(folded: &str, ms: &[Mention], mi: usize, clause: Span) -> usize {
    let mut lead = mi;
    while let Some(k) = lead.checked_sub(1) {
        let (p, v) = (&ms[k], &ms[lead]);
        if !p.kind.is_value() || p.bytes.start < clause.start || p.bytes.end > v.bytes.start {
            break;
        }
        if !joins_list(&folded[p.bytes.end..v.bytes.start]) {
            break;
        }
        lead = k;
    }
    lead
}

/// Whether the words between two items of a list join them: ",", "và", ", và".
fn joins_list(between: &str) -> bool {
    matches!(between.trim(), "," | "và" | ", và")
}

/// Where value `ms[mi]` stands in the list of values it is listed in ("2,1 tỷ USD và 1,5 tỷ
/// USD", "tăng 12% và 8%": joined by ",", "và"), when the list has exactly `len` values.
fn list_position(
    folded: &str,
    ms: &[Mention],
    mi: usize,
    clause: Span,
    len: usize,
) -> Option<usize> {
    let lead = list_lead(folded, ms, mi, clause);
    let mut n = mi - lead + 1;
    let mut last = mi;
    while n <= len
        && let Some(next) = ms.get(last + 1)
        && next.kind.is_value()
        && next.bytes.end <= clause.end
        && next.bytes.start >= ms[last].bytes.end
        && joins_list(&folded[ms[last].bytes.end..next.bytes.start])
    {
        n += 1;
        last += 1;
    }
    (n == len).then_some(mi - lead)
}

/// The mentions on each side of a value that [`DocState::base_for`] looks at for the list it is
/// in.
const BASE_LIST: usize = 64;

/// Where value `ms[mi]` stands among the values of `clause` that start at or after byte `from`,
/// and how many there are, counted up to `cap`; `None` when it is not one of them. Linear in
/// `mi` and `cap`, not in the sentence: a sentence may list thousands of values.
fn values_after(
    ms: &[Mention],
    mi: usize,
    from: usize,
    clause: Span,
    cap: usize,
) -> Option<(usize, usize)> {
    let m = &ms[mi];
    if m.bytes.start < from || !m.kind.is_value() || m.bytes.end > clause.end {
        return None;
    }
    let first = ms.partition_point(|v| v.bytes.start < from);
    let is_value = |v: &&Mention| v.kind.is_value() && v.bytes.end <= clause.end;
    let i = ms[first..mi].iter().filter(is_value).count();
    let count = ms[first..]
        .iter()
        .filter(is_value)
        .take(cap.max(i + 1))
        .count();
    Some((i, count.min(cap)))
}

/// The period of value `m` in a "lần lượt" (respectively) list of periods: "Kim ngạch xuất
/// khẩu tháng 10, 10 tháng và cả năm lần lượt tăng 5%, 7% và 8%" gives each value the period in
/// its position, when the periods (and "cả năm", the year of the period before it) are joined by
/// "," or "và", the last right before "lần lượt", and are as many as the values after it in
/// `clause`. `resolve` gives a period reference its year.
fn respective_period(
    st: &DocState<'_>,
    gazetteer: &Gazetteer,
    hits: &[crate::lexicon::Hit<'_, Tag>],
    ms: &[Mention],
    m: &Mention,
    clause: Span,
    resolve: impl Fn(PeriodRef, usize) -> Option<Period>,
) -> Option<Period> {
    let h = hits.iter().find(|h| {
        h.tags.contains(&Tag::Respectively) && h.start >= clause.start && h.end <= m.bytes.start
    })?;
    let before = Span::new(clause.start, h.start);
    let mut items: Vec<(Span, Option<PeriodRef>)> = st
        .periods_within(before)
        .iter()
        .filter(|s| !s.base && before.contains(s.bytes))
        .map(|s| (s.bytes, Some(s.period)))
        .collect();
    if items.is_empty() {
        return None;
    }
    items.extend(
        hits.iter()
            .filter(|w| {
                w.tags.contains(&Tag::WholeYear) && w.start >= before.start && w.end <= h.start
            })
            .map(|w| (Span::new(w.start, w.end), None)),
    );
    items.sort_by_key(|(s, _)| s.start);
    // The list, from its end back: the last item within two words of "lần lượt", the others
    // joined by "," or "và".
    let mut end = h.start;
    let mut list = Vec::new();
    for &(s, p) in items.iter().rev() {
        if s.end > end {
            continue;
        }
        let gap = &st.folded[s.end..end];
        let joined = if list.is_empty() {
            (gap.split_whitespace().count() <= 2 && !gap.contains([',', ';']))
                // (Or the place whose periods they are: "tháng 10 và 10 tháng năm 2025 của tỉnh
                // Hưng Yên lần lượt tăng 11,2% và 10,5%".)
                || st
                    .places_within(Span::new(s.end, end))
                    .iter()
                    .find(|p| p.start >= s.end && p.end <= end)
                    .is_some_and(|p| {
                        st.folded[p.end..end].trim().is_empty()
                            && matches!(
                                gazetteer
                                    .without_trailing_prefix(&st.folded[s.end..p.start])
                                    .trim(),
                                "" | "của"
                            )
                    })
        } else {
            // "năm 2022 và năm 2023": a year's mention leaves its "năm" out.
            joins_list(gap.trim().strip_suffix("năm").unwrap_or(gap))
        };
        if !joined {
            break;
        }
        list.push((s, p));
        end = s.start;
    }
    if list.len() < 2 {
        return None;
    }
    // As many values after "lần lượt" as periods: counted no further than one past them (a
    // sentence may list thousands).
    let first = ms.partition_point(|v| v.bytes.start < h.end);
    let values = ms[first..]
        .iter()
        .filter(|v| v.kind.is_value() && v.bytes.end <= clause.end)
        .take(list.len() + 1);
    let i = values.clone().position(|v| std::ptr::eq(v, m))?;
    if values.count() != list.len() {
        return None;
    }
    list.reverse();
    // A year stated later in the list is the list's ("quý III và 9 tháng năm 2024").
    let later_year = |k: usize| {
        list[k + 1..]
            .iter()
            .find_map(|(_, p)| p.and_then(|p| p.fixed()))
            .map(|p| (p.last_year(), p))
    };
    let mut year = st.published_year;
    let mut period = None;
    for (k, &(s, p)) in list[..=i].iter().enumerate() {
        period = match p {
            Some(PeriodRef::Fixed(f)) => Some(f),
            Some(p) => match later_year(k) {
                // "tháng 12 và tháng 1 năm 2024": a period ending after the later one is of the
                // year before.
                Some((y, later)) => {
                    let this = p.resolve(y);
                    Some(if this.end() > later.end() {
                        p.resolve(y - 1)
                    } else {
                        this
                    })
                }
                None => resolve(p, s.start),
            },
            None => later_year(k).map(|(y, _)| y).or(year).map(Period::Year),
        };
        year = period.map(|p| p.last_year()).or(year);
    }
    period
}

/// The period date mention `mentions[k]` gives the statements around it: from 1 January to
/// its day ([`PeriodRef::to_day`]) when linking.toml's `cumulative_before` or `as_of_before`
/// words stand before it in its chunk ("tính đến ngày 15/11/2023", "lũy kế đến cuối ngày
/// 20/10", "tại thời điểm 17 giờ ngày 30/6/2023") and its clause states a value. Not a day after
/// "từ", "sau" or "trước" ("kể từ thời điểm 1/7"), the end of a span of days ("diễn ra từ ngày
/// 28 (cho) đến ngày 9/7", unless it starts on 1 January), a base ("so với số thu đến ngày
/// 31/10/2022", read with its base by [`day_named`]), nor a day in a clause without a value
/// ("Thời hạn nộp hồ sơ đến ngày 15/1/2024."): those are when something happens.
fn date_period(
    folded: &str,
    sentences: &[crate::segment::Sentence],
    mentions: &[Mention],
    k: usize,
) -> Option<PeriodRef> {
    let m = &mentions[k];
    let p = m.period?;
    let at = m.bytes.start;
    let sentence = sentences[..sentences.partition_point(|s| s.bytes.start <= at)]
        .last()
        .filter(|s| s.bytes.end >= m.bytes.end)?
        .bytes;
    let mut delims = Delims::default();
    delims.find(folded, sentence);
    let (chunk, clause) = (delims.chunk(at), delims.clause(at));
    let lead = &folded[chunk.start..at];
    let hits = words().find(lead);
    let as_of = hits.iter().rev().find(|h| {
        (h.tags.contains(&Tag::Cumulative) || h.tags.contains(&Tag::AsOf))
            && day_lead(&lead[h.end..])
    })?;
    // "tính đến", "lũy kế đến" say so themselves; a bare "đến", "thời điểm" may end a span or
    // a deadline, or follow a base.
    let counted = as_of.tags.contains(&Tag::Cumulative);
    let word_before = lead[..as_of.start].split_whitespace().next_back();
    if word_before.is_some_and(|w| linking_file().period.as_of_not_after.iter().any(|n| n == w)) {
        return None;
    }
    // "so với số thu đến ngày 31/10/2022" is a base (read with it by [`day_named`]); "so với
    // cùng kỳ (tính đến ngày 15/11/2023)" is not.
    let opened = lead[..as_of.start].rfind('(').map_or(0, |i| i + 1);
    if !counted
        && hits
            .iter()
            .any(|h| h.tags.contains(&Tag::BaseBefore) && h.start >= opened)
    {
        return None;
    }
    // "từ ngày 28 (cho) đến ngày 9/7", "Từ 15 tháng 3 đến 30 tháng 6 năm 2023": the end of a
    // span of days, unless it starts on 1 January ("từ ngày 1/1 đến ngày 30/6/2023").
    let starts_year = |d: &Mention| {
        matches!(
            d.period,
            Some(
                PeriodRef::Day { month: 1, day: 1 }
                    | PeriodRef::Fixed(Period::Day {
                        month: 1,
                        day: 1,
                        ..
                    })
            )
        )
    };
    let from = lead[..as_of.start]
        .rmatch_indices("từ")
        .map(|(i, _)| chunk.start + i)
        .find(|&i| {
            let rest = &folded[i + "từ".len()..];
            // "từ ngày 28", "từ 15 tháng 3", "từ đầu năm"; not "vốn từ ngân sách".
            !folded[..i].ends_with(char::is_alphanumeric)
                && !rest.starts_with(char::is_alphanumeric)
                && rest.split_whitespace().next().is_some_and(|w| {
                    w == "ngày" || w == "đầu" || w.starts_with(|c: char| c.is_ascii_digit())
                })
        });
    if !counted && let Some(from) = from {
        let span_from = mentions[..k]
            .iter()
            .rev()
            .take_while(|d| d.bytes.start >= from)
            .find(|d| d.kind == MentionKind::Date);
        let from_year_start = folded[from..chunk.start + as_of.start].contains("đầu năm");
        if !from_year_start && !span_from.is_some_and(starts_year) {
            return None;
        }
    }
    // A value the day dates: in its clause, or, after a bare "đến" ("thời gian thực hiện đến
    // ngày 31/12/2025" is a deadline), after it or in its chunk.
    let dated = |d: &&Mention| {
        d.kind.is_value()
            && d.bytes.start >= clause.start
            && d.bytes.end <= clause.end
            && (counted || d.bytes.start > at || d.bytes.start >= chunk.start)
    };
    let value_near = mentions[..k]
        .iter()
        .rev()
        .take_while(|d| d.bytes.start >= clause.start)
        .chain(
            mentions[k + 1..]
                .iter()
                .take_while(|d| d.bytes.start < clause.end),
        );
    if !value_near.into_iter().any(|d| dated(&d)) {
        return None;
    }
    Some(p.to_day())
}

/// Whether `rest`, the words between an as-of word and a date, lets the date be the day counted
/// to: nothing, "ngày", or a time of that day ("cuối ngày", "hết ngày", "17 giờ ngày", "17h").
fn day_lead(rest: &str) -> bool {
    let mut words = rest.split_whitespace().peekable();
    if words.next_if(|w| matches!(*w, "cuối" | "hết")).is_some() {
        // "cuối ngày", "hết ngày"
    } else if words
        .next_if(|w| {
            let digits = w.trim_end_matches(|c: char| c == 'h' || c.is_ascii_digit());
            digits.is_empty() && w.starts_with(|c: char| c.is_ascii_digit())
        })
        .is_some()
    {
        words.next_if(|w| matches!(*w, "giờ" | "h"));
    }
    words.next_if(|w| *w == "ngày");
    words.next().is_none()
}

/// The month a base named as a day ends ("thời điểm 31/12/2022", "ngày 30/6/2023", "ngày 31
/// tháng 12 năm 2022"): the day's month, or the month before when it is the first
/// ("01/01/2023" is December 2022); and whether the words are the day alone.
fn day_named(words: &str) -> Option<(Period, bool)> {
    let words = words.strip_prefix("thời điểm ").unwrap_or(words);
    let words = words.strip_prefix("ngày ").unwrap_or(words);
    let number = |n: &str| n.parse::<u16>().ok();
    let (day, month, year, after) = if let Some((day, rest)) = words.split_once(" tháng ") {
        // In words: "31 tháng 12 năm 2022".
        let (month, rest) = rest.split_once(" năm ")?;
        let (year, after) = rest.split_once(' ').unwrap_or((rest, ""));
        (number(day)?, number(month)?, number(year)?, after)
    } else {
        let (date, after) = words.split_once(' ').unwrap_or((words, ""));
        let mut parts = date.split(['/', '-']);
        let mut next = || number(parts.next()?);
        let (day, month, year) = (next()?, next()?, next()?);
        if parts.next().is_some() {
            return None;
        }
        (day, month, year, after)
    };
    if year < 1900 {
        return None;
    }
    let (day, month, year) = (
        u8::try_from(day).ok()?,
        u8::try_from(month).ok()?,
        i32::from(year),
    );
    chiso_model::Date::new(year, month, day)?;
    let month = match (day, month) {
        (1, 1) => Period::Month {
            year: year - 1,
            month: 12,
        },
        (1, m) => Period::Month { year, month: m - 1 },
        (_, m) => Period::Month { year, month: m },
    };
    Some((month, after.is_empty()))
}

/// Whether the case-folded text `before` a year ends with the words of a same-period base and
/// "năm": "so với cùng kỳ năm" (before "2022"), "cùng tháng năm".
fn names_same_period(before: &str) -> bool {
    let Some(words) = before.trim_end().strip_suffix("năm") else {
        return false;
    };
    let words = words.trim_end();
    linking_file().base.same_period.iter().any(|w| {
        words
            .strip_suffix(w.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
    })
}

/// Whether `words` (case-folded, spaces collapsed) are the words of a base and nothing more
/// ("cùng kỳ năm trước", "tháng trước").
fn is_base_words(words: &str) -> bool {
    let words = words.strip_prefix("thời điểm ").unwrap_or(words);
    let lists = &linking_file().base;
    [
        &lists.same_period,
        &lists.year_ago,
        &lists.previous_period,
        &lists.year_start,
    ]
    .iter()
    .any(|list| list.iter().any(|w| w == words))
}

/// What a change is measured against, from `words`, the case-folded words after "so với" up to
/// the end of their clause, spaces collapsed; `named` is the period they name and the words
/// before it, and `period` the value's own period. The base's period is given when it is known;
/// when it is, it decides the base (so December of the year before is `year_ago` of a December
/// and `previous_period` of a January however the text words it).
fn base_of(
    words: &str,
    named: Option<(&str, PeriodRef)>,
    period: Option<Period>,
) -> Option<(Base, Option<Period>)> {
    let lists = &linking_file().base;
    // "so với thời điểm cuối năm 2022" is "so với cuối năm 2022".
    let words = words.strip_prefix("thời điểm ").unwrap_or(words);
    let starts = |list: &[String]| list.iter().any(|w| words.starts_with(w.as_str()));
    // A run of years has no "same period" a year or N years before, nor a December before it.
    let within_year = period.filter(|p| !matches!(p, Period::Years { .. }));
    let year_ago = within_year.map(|p| p.shifted(-1));
    let december = |year: i32| Period::Month { year, month: 12 };
    let december_before = within_year.map(|p| december(p.start().year - 1));
    let named_year = match named {
        Some((_, PeriodRef::Fixed(Period::Year(y)))) => Some(y),
        _ => None,
    };
    let (base, base_period) = if starts(&lists.year_start) {
        // "đầu năm 2020" is the end of 2019, "cuối năm 2022" the end of 2022.
        let at = match named_year {
            Some(y) if words.starts_with("đầu năm") => Some(december(y - 1)),
            Some(y) => Some(december(y)),
            None => december_before,
        };
        (Base::YearStart, at)
    } else if starts(&lists.year_ago) {
        (Base::YearAgo, year_ago)
    } else if starts(&lists.previous_period) {
        // "quý trước" of a quarter, "tháng trước" of a month ("kỳ trước" of any): the period
        // before of another length is not known, and the base stays `previous_period`.
        let fits = match period {
            Some(Period::Month { .. }) => words.starts_with("tháng") || words.starts_with("k"),
            Some(Period::Quarter { .. }) => {
                words.starts_with("quý") || words.starts_with("quí") || words.starts_with("k")
            }
            Some(Period::Year(_)) => words.starts_with("năm") || words.starts_with("k"),
            _ => true,
        };
        if !fits {
            return Some((Base::PreviousPeriod, None));
        }
        (Base::PreviousPeriod, period.and_then(|p| p.previous()))
    } else if starts(&lists.same_period) {
        // "cùng kỳ năm 2019": the value's period in 2019.
        match (named_year, within_year) {
            (None, _) => (Base::YearAgo, year_ago),
            (Some(y), Some(p)) => (Base::OtherPeriod, Some(p.shifted(y - p.start().year))),
            (Some(_), None) => (Base::OtherPeriod, None),
        }
    } else {
        // A period named at the start: "so với năm 2015", "so với tháng 9", "so với quý IV/2022",
        // "so với giai đoạn 2016-2020".
        let (before, named) = named?;
        if !matches!(
            before,
            "" | "năm"
                | "tháng"
                | "quý"
                | "quí"
                | "kỳ"
                | "giai đoạn"
                | "thời kỳ"
                | "cả năm"
                | "bình quân"
                | "bình quân giai đoạn"
                | "bình quân cả giai đoạn"
                | "bình quân thời kỳ"
                | "bình quân năm"
                | "bình quân cả năm"
                | "mức bình quân năm"
        ) {
            return None;
        }
        let base = match (named, period) {
            (PeriodRef::Fixed(b), _) => Some(b),
            // A month or quarter without its year: the latest one before the value's period.
            (other, Some(p)) => {
                let b = other.resolve(p.start().year);
                let later = b.start() > p.start() || (b.start() == p.start() && b.end() >= p.end());
                Some(if later {
                    other.resolve(p.start().year - 1)
                } else {
                    b
                })
            }
            (_, None) => None,
        };
        (Base::OtherPeriod, base)
    };
    // The base's period, when known with the value's, decides which base it is.
    let base = match (base_period, period) {
        (Some(b), Some(_)) if Some(b) == year_ago => Base::YearAgo,
        (Some(b), Some(p)) if Some(b) == p.previous() => Base::PreviousPeriod,
        (Some(b), Some(_)) if Some(b) == december_before => Base::YearStart,
        (Some(_), Some(_)) => Base::OtherPeriod,
        _ => base,
    };
    Some((base, base_period))
}

impl DocState<'_> {
    /// The periods that start before byte `at` (periods are in text order, so a value's search
    /// never walks the rest of a long document).
    fn periods_before(&self, at: usize) -> &[Stated] {
        &self.periods[..self.periods.partition_point(|s| s.bytes.start < at)]
    }

    /// What value `ms[mi]` (of `period`, in sentence `sb`) is measured against, when the text
    /// says, from the nearest "so với": right after the value, in its clause ("tăng 0,08% so
    /// với tháng trước"); else before it with no other value between, unless that is the base
    /// of the value before ("CPI tháng 10 so với tháng trước tăng 0,08%", "…, so với cùng kỳ
    /// năm trước tăng 3,59%"); else a "So với …," heading its part of the sentence (up to a
    /// semicolon), for each of its values ("So với cùng kỳ năm trước, CPI tăng 3,16%, lạm phát
    /// cơ bản tăng 4,49%").
    fn base_for(
        &self,
        ms: &[Mention],
        mi: usize,
        sb: Span,
        period: Option<Period>,
    ) -> Option<(Base, Option<Period>)> {
        let m = &ms[mi];
        let sentence = &self.folded[..sb.end];
        let delimiter = |c: char| matches!(c, ',' | ';' | ':');
        // Whether the "so" at `at` is the base of a value ending at `end`: right after it, in
        // its clause.
        let trails = |end: usize, at: usize| {
            let gap = &sentence[end..at];
            !gap.contains(delimiter)
                && gap
                    .trim_matches(|c: char| c.is_whitespace() || c == '(' || c == ')')
                    .chars()
                    .count()
                    <= 12
        };
        // The value after `from` (an index into `ms`) starting at or after byte `at`.
        let value_after = |from: usize, at: usize| {
            ms[from..]
                .iter()
                .find(|n| n.kind.is_value() && n.bytes.start >= at)
        };
        // The sentence's values near the value, and where the value is among them: lists of more
        // than `BASE_LIST` values share no base (a sentence may list thousands).
        let window = &ms[mi.saturating_sub(BASE_LIST)..(mi + BASE_LIST + 1).min(ms.len())];
        let values: Vec<&Mention> = window
            .iter()
            .filter(|v| v.kind.is_value() && sb.contains(v.bytes))
            .collect();
        let k = values.iter().position(|v| std::ptr::eq(*v, m));
        let prev = k.and_then(|k| k.checked_sub(1)).map(|i| values[i]);
        // The "so" of a base right after the value `v`, before the value after it.
        let trailing_of = |v: &Mention| {
            let before_next = value_after(mi + 1, v.bytes.end).map_or(sb.end, |n| n.bytes.start);
            find_so(&sentence[..before_next], v.bytes.end).filter(|&at| trails(v.bytes.end, at))
        };
        let trailing = trailing_of(m);
        // Values listed with nothing but commas and "và" between them share the "so với" after
        // the last, each its own base when it names one per value: "tăng 10,5% và 12,1% so với
        // tháng trước và cùng kỳ năm trước", "lần lượt tăng 5,2%, 6,1% và 7,3% so với cùng kỳ".
        let joined = |a: &Mention, b: &Mention| {
            a.bytes.end <= b.bytes.start
                && matches!(
                    sentence[a.bytes.end..b.bytes.start].trim(),
                    "và" | "," | ", và"
                )
        };
        let (list, place) = match k {
            Some(k) => {
                let first = (0..k)
                    .rev()
                    .take_while(|&i| joined(values[i], values[i + 1]))
                    .last()
                    .unwrap_or(k);
                let last = (k + 1..values.len())
                    .take_while(|&i| joined(values[i - 1], values[i]))
                    .last()
                    .unwrap_or(k);
                (&values[first..=last], k - first)
            }
            None => (&values[..0], 0),
        };
        let paired = match list.last() {
            Some(last) if trailing.is_none() && list.len() > 1 => trailing_of(last),
            _ => None,
        };
        let before = || {
            let prev_value_end = prev.map(|p| p.bytes.end.min(m.bytes.start));
            let from = prev_value_end.unwrap_or(sb.start);
            rfind_so(sentence, from, m.bytes.start)
                .filter(|&at| prev_value_end.is_none_or(|end| !trails(end, at)))
        };
        // A heading "So với …," of the value's part of the sentence (from its last semicolon).
        let heading = || {
            let part = sentence[sb.start..m.bytes.start]
                .rfind(';')
                .map_or(sb.start, |i| sb.start + i + 1);
            let mut found = None;
            let mut at = part;
            while let Some(so) = find_so(&sentence[..m.bytes.start], at) {
                at = so + 2;
                let opens = sentence[part..so]
                    .trim_end()
                    .chars()
                    .next_back()
                    .is_none_or(delimiter);
                let words_at = base_words_at(sentence, so);
                let end = words_at + base_phrase_end(&sentence[words_at..m.bytes.start]);
                if opens && sentence[end..].starts_with(',') {
                    found = Some(so);
                }
            }
            found
        };
        // A value's own "so với" before it comes first: "CPI so với tháng trước tăng 0,08%, 3,59%
        // so với cùng kỳ" is a list only for the "so với" after it.
        let at = trailing.or_else(before).or(paired).or_else(heading)?;
        let limit = if at > m.bytes.start {
            sb.end
        } else {
            m.bytes.start
        };
        let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        // The base named by the words from `words_at`, up to their end; where they end; and
        // whether the words are the base alone (a period with nothing after it, or the words of
        // a base), not the start of a clause ("năm 2022 đạt 10 tỷ USD").
        let base_at = |words_at: usize| {
            let words_end = words_at + base_phrase_end(&sentence[words_at..limit]);
            let words = collapse(&sentence[words_at..words_end]);
            let (named, alone) = match self
                .periods_within(Span::new(words_at, words_end))
                .iter()
                .find(|s| s.bytes.start >= words_at && s.bytes.end <= words_end)
            {
                Some(&Stated {
                    bytes: b,
                    period: p,
                    ..
                }) => (
                    Some((collapse(&sentence[words_at..b.start]), p)),
                    sentence[b.end..words_end].trim().is_empty(),
                ),
                None => match day_named(&words) {
                    Some((day, alone)) => (Some((String::new(), PeriodRef::Fixed(day))), alone),
                    None => (None, false),
                },
            };
            let base = base_of(
                &words,
                named.as_ref().map(|(w, p)| (w.as_str(), *p)),
                period,
            );
            let alone = alone || is_base_words(&words);
            (base, words_end, alone && base.is_some())
        };
        let (first, mut end, alone) = base_at(base_words_at(sentence, at));
        // A list's values take the bases its words name in turn, when they name one each, each
        // alone: "so với tháng trước và cùng kỳ năm trước", not "so với cùng kỳ năm trước, năm
        // 2022 đạt …" nor three bases for two values.
        if list.len() > 1 && at > m.bytes.start && alone {
            let next_base = |end: usize| {
                let rest = sentence[end..limit].trim_start();
                let after = rest.strip_prefix("và").or_else(|| rest.strip_prefix(','))?;
                let (base, next_end, alone) = base_at(limit - after.trim_start().len());
                alone.then_some((base, next_end))
            };
            let mut named = vec![first];
            while let Some((base, next_end)) = next_base(end) {
                named.push(base);
                end = next_end;
            }
            if named.len() == list.len() {
                return named[place];
            }
        }
        first
    }

    /// The periods that start within `span` (its end included): every one `span` can contain.
    fn periods_within(&self, span: Span) -> &[Stated] {
        within_by(&self.periods, span, |s| s.bytes.start)
    }

    /// The places that start within `span` (its end included): every one `span` can contain.
    fn places_within(&self, span: Span) -> &[PlaceHit] {
        within_by(&self.places, span, |p| p.start)
    }

    /// Whether a province or a city (not the country) is named within `span`.
    fn names_province(&self, span: Span) -> bool {
        self.places_within(span)
            .iter()
            .any(|p| p.is_province() && p.start >= span.start && p.end <= span.end)
    }

    /// Whether `p` had not begun when the text was published (never, when that is not known).
    fn not_begun(&self, p: Period) -> bool {
        self.published.is_some_and(|d| p.start() > d.last_day())
    }

    /// The headings of the lines above `paragraph`, in order.
    fn headings_above(&self, paragraph: usize) -> &[Heading] {
        &self.headings[..self.headings.partition_point(|h| h.paragraph < paragraph)]
    }

    /// The tags of the words that end at most two words before the value, within its chunk.
    fn tags_right_before(&self, m: &Mention, chunk: Span) -> (TagSet, TagSet) {
        let start = floor_char(self.text, m.bytes.start.saturating_sub(30).max(chunk.start));
        let before = &self.folded[start..m.bytes.start];
        let (mut near, mut next) = (0, 0);
        // A plan word between a movement and the value states the plan's value: "thấp hơn mục
        // tiêu 8,5%" is a goal of 8,5 %, not a fall.
        let moves = Tag::Increase.bit() | Tag::Decrease.bit() | Tag::MovedBy.bit();
        let plan = Tag::Target.bit() | Tag::TargetAttached.bit();
        // "giảm bình quân 1,5%": averaging words between a word and the value leave it next to it.
        let averaging = |gap: &str| {
            let words = linking_file();
            words.measure.average_between.iter().any(|w| w == gap)
                || words.period.annual_average.iter().any(|w| w == gap)
        };
        // "tăng gần 1.700 USD": the word of a comparator the number grammar read before the
        // value ("gần", "hơn", "khoảng"; not "lên" of "tăng lên trên 5 tỷ USD") leaves it next
        // to it.
        let comparator =
            |gap: &str| m.comparator != Comparator::Eq && !matches!(gap, "lên" | "xuống");
        for h in words().hits(before) {
            if tag_bits(std::iter::once(h)) & plan != 0 {
                near &= !moves;
            }
            let gap = before[h.end..].trim();
            match gap.split_whitespace().count() {
                // (The longest averaging phrase has four words.)
                n if n == 0 || (n == 1 && comparator(gap)) || (n <= 4 && averaging(gap)) => {
                    near |= tag_bits(std::iter::once(h));
                    next |= tag_bits(std::iter::once(h));
                }
                1 | 2 => near |= tag_bits(std::iter::once(h)),
                // "tăng không vượt quá 4%", "tăng chưa vượt ngưỡng 4%": a longer comparator phrase
                // (numbers/comparators.toml) leaves the movement next to the value too.
                _ if comparator(gap)
                    && crate::numbers::lexicon::get().is_comparator_before(gap) =>
                {
                    near |= tag_bits(std::iter::once(h));
                }
                _ => {}
            }
        }
        (near, next)
    }

    /// Whether "cao hơn", "thấp hơn" or "vượt" and a plan word stand right before value `m` in
    /// `chunk` ("thấp hơn kế hoạch 1,5%", "cao hơn mục tiêu 7%", "vượt dự toán giao 1.500 tỷ
    /// đồng"): `Some(true)` for lower.
    fn compared_with_plan(&self, m: &Mention, chunk: Span) -> Option<bool> {
        // Wide enough for "vượt dự toán hội đồng nhân dân tỉnh giao".
        let start = floor_char(self.text, m.bytes.start.saturating_sub(64).max(chunk.start));
        let before = &self.folded[start..m.bytes.start];
        let hits: Vec<_> = words().hits(before).collect();
        let plan = hits.iter().rev().find(|h| {
            h.tags
                .iter()
                .any(|t| matches!(t, Tag::Target | Tag::TargetAttached))
                && before[h.end..].split_whitespace().count() <= 2
        })?;
        hits.iter()
            .find(|h| h.end <= plan.start && before[h.end..plan.start].trim().is_empty())
            .and_then(|h| {
                let moved = |t: Tag| h.tags.contains(&t);
                match (
                    moved(Tag::Increase),
                    moved(Tag::Decrease),
                    moved(Tag::Exceed),
                ) {
                    (_, true, _) => Some(true),
                    (true, _, _) | (_, _, true) => Some(false),
                    _ => None,
                }
            })
    }

    /// The tags of the words that start within a few characters after the value, in its
    /// sentence.
    /// Whether a `gap_after` phrase follows value `m` with nothing between ("thấp hơn 2 điểm
    /// phần trăm so với mục tiêu"; not "đạt 7,5%, cao hơn so với cả nước", whose 7,5 % is a
    /// value).
    fn gap_right_after(&self, m: &Mention, sb: Span) -> bool {
        let end = floor_char(self.text, (m.bytes.end + MEASURE_WINDOW).min(sb.end));
        let after = &self.folded[m.bytes.end..end];
        words()
            .hits(after)
            .next()
            .is_some_and(|h| h.tags.contains(&Tag::GapAfter) && after[..h.start].trim().is_empty())
    }

    fn tags_starting_after(&self, m: &Mention, sb: Span) -> TagSet {
        let end = floor_char(self.text, (m.bytes.end + MEASURE_WINDOW).min(sb.end));
        let after = &self.folded[m.bytes.end..end];
        // Up to the next number: "đạt 60,2%, tăng 0,5% so với năm 2022" compares the 0,5 %.
        let after = &after[..after
            .bytes()
            .position(|b| b.is_ascii_digit())
            .unwrap_or(after.len())];
        tag_bits(words().hits(after).filter(|h| {
            after[..h.start]
                .trim_matches(|c: char| c.is_whitespace() || c == ')' || c == '(')
                .chars()
                .count()
                <= 12
        }))
    }
}

/// The words around one value that decide its measure and sign, each side searched once
/// when first asked about (every candidate indicator asks about the same words).
struct NearWords<'a> {
    st: &'a DocState<'a>,
    m: &'a Mention,
    sb: Span,
    chunk: Span,
    /// The first value of the list the value ends ("tăng 5%, 7% và 8%": the 5 %), and its
    /// chunk: the words before it are the list's.
    lead: (&'a Mention, Span),
    /// Where the next value of the sentence starts, and its unit.
    next_value: Option<(usize, Option<Unit>)>,
    /// Whether the value is where a movement started, at a time of its own ("giảm từ 18,66% năm
    /// 2021 xuống còn 8,46%"), or where one ended: a level, even after a verb or a reduction's
    /// cue.
    in_movement: bool,
    /// Whether that movement started at a value in percent.
    movement_in_percent: bool,
    /// The tags of the words at most two words before the value, and of the word right before.
    before: std::cell::OnceCell<(TagSet, TagSet)>,
    after: std::cell::OnceCell<TagSet>,
}

impl<'a> NearWords<'a> {
    fn new(
        st: &'a DocState<'a>,
        m: &'a Mention,
        sb: Span,
        chunk: Span,
        lead: (&'a Mention, Span),
    ) -> NearWords<'a> {
        NearWords {
            st,
            m,
            sb,
            chunk,
            lead,
            next_value: None,
            in_movement: false,
            movement_in_percent: false,
            before: std::cell::OnceCell::new(),
            after: std::cell::OnceCell::new(),
        }
    }

    /// Whether a word with `tag` ends at most two words before the value, within its chunk.
    fn right_before(&self, tag: Tag) -> bool {
        self.before_bits().0 & tag.bit() != 0
    }

    /// Whether a word with `tag` ends right before the value, no word between.
    fn just_before(&self, tag: Tag) -> bool {
        self.before_bits().1 & tag.bit() != 0
    }

    /// [`DocState::gap_right_after`] for this value.
    fn gap_right_after(&self) -> bool {
        self.starts_after(Tag::GapAfter) && self.st.gap_right_after(self.m, self.sb)
    }

    fn before_bits(&self) -> (TagSet, TagSet) {
        *self
            .before
            .get_or_init(|| self.st.tags_right_before(self.lead.0, self.lead.1))
    }

    /// The same, knowing where the next value starts.
    fn with_next_value(mut self, next: Option<(usize, Option<Unit>)>) -> NearWords<'a> {
        self.next_value = next;
        self
    }

    /// Whether a plan word right after the value makes it the share of the plan reached ("đạt
    /// 83,2% kế hoạch", "bằng 85% so với dự toán"): not past a comma ("đạt 7,85%, kế hoạch đề ra
    /// 8,5%", "tăng 9,1%, vượt kế hoạch đề ra"), nor when the plan's own value in the same
    /// unit follows it ("7,85% (kế hoạch 8,5%)"; not "bằng 98,5% dự toán (5.000 tỷ đồng)").
    fn plan_share_after(&self) -> bool {
        if !self.starts_after(Tag::PlanShareAfter) {
            return false;
        }
        let (text, folded) = (self.st.text, &self.st.folded);
        let end = floor_char(text, (self.m.bytes.end + MEASURE_WINDOW).min(self.sb.end));
        let after = &folded[self.m.bytes.end..end];
        let Some(h) = words()
            .hits(after)
            .find(|h| h.tags.contains(&Tag::PlanShareAfter))
        else {
            return false;
        };
        // Not past a comma, nor out of the brackets the value stands in ("(đạt 92,5%/KH 95%)
        // không đạt kế hoạch").
        if after[..h.start].contains([',', ';', ')']) {
            return false;
        }
        let plan_end = self.m.bytes.end + h.end;
        !self.next_value.is_some_and(|(v, unit)| {
            v >= plan_end && unit == self.m.unit && {
                // Not another statement joined by "và" ("bằng 62% dự toán và tăng 15,3% so với
                // cùng kỳ").
                let between = &folded[plan_end..v];
                !between.contains([',', ';', ')', '.'])
                    && between.split_whitespace().count() <= 3
                    && !has_word(between, "và")
            }
        })
    }

    /// Whether a word with `tag` starts within a few characters after the value, in its sentence.
    fn starts_after(&self, tag: Tag) -> bool {
        let bits = self
            .after
            .get_or_init(|| self.st.tags_starting_after(self.m, self.sb));
        bits & tag.bit() != 0
    }
}

/// The unit a heading gives the bare numbers below it: the parenthesised "(Tỷ đồng)",
/// "(triệu USD)", "(tấn)", read by the number grammar as if it followed a one.
fn heading_unit(line: &str) -> Option<(Unit, f64)> {
    let open = line.rfind('(')?;
    let close = open + line[open..].find(')')?;
    let inner = line[open + 1..close].trim();
    if inner.is_empty() || inner.len() > 40 || inner.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let probe = format!("1 {inner}");
    match crate::numbers::scan(&probe).as_slice() {
        [one] if one.bytes.start == 0 && one.bytes.end == probe.len() => Some((
            one.unit?,
            one.value_low.filter(|v| v.is_finite() && *v > 0.0)?,
        )),
        _ => None,
    }
}

/// How a text marks a place's name as a unit of one side of the 2025 merger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitMark {
    /// "tỉnh Lào Cai (cũ)": the unit before.
    Former,
    /// "tỉnh Ninh Bình (mới)": the unit the merger formed.
    New,
}

/// How the words around a place's name (`before` it and `after` it, folded) mark it: a bracket
/// right after it that opens with one of linking.toml's `former_marks` or `new_marks` (read up to
/// its first comma: "(cũ, trước sáp nhập)"), or a bare "cũ" after it when a `unit_words` word
/// stands before it ("tỉnh Lào Cai cũ"; not "nhà ga Lào Cai cũ"; a bare "mới" is also "only
/// just": "Lào Cai mới đạt …").
fn written_as(before: &str, after: &str) -> Option<UnitMark> {
    let words = &linking_file().place;
    let after = after.trim_start_matches([' ', '\u{a0}']);
    if let Some(inner) = after.strip_prefix('(') {
        let inner = &inner[..inner.find(')')?];
        let first = inner.split(',').next().unwrap_or("").trim();
        let is = |marks: &[String]| marks.iter().any(|m| m == first);
        return if is(&words.former_marks) {
            Some(UnitMark::Former)
        } else if is(&words.new_marks) {
            Some(UnitMark::New)
        } else {
            None
        };
    }
    let bare = after
        .strip_prefix("cũ")
        .is_some_and(|rest| !rest.starts_with(crate::lexicon::is_alphanumeric));
    if !bare {
        return None;
    }
    // ("TP. Lào Cai cũ": the abbreviation's point.)
    let before = before.trim_end_matches([' ', '\u{a0}', '.']);
    let after_unit_word = words.unit_words.iter().any(|w| {
        before.strip_suffix(w.as_str()).is_some_and(|lead| {
            lead.is_empty() || lead.ends_with(|c: char| !crate::lexicon::is_alphanumeric(c))
        })
    });
    after_unit_word.then_some(UnitMark::Former)
}

/// The place most of the document's place names point at, when one clearly dominates: by
/// code, so "Lào Cai" and "Lào Cai (cũ)" count as one place, of the unit named most often (the
/// one not written as the former on a tie), with more than half of the names and twice or more.
/// Only the names `counts` keeps count, unless it keeps none. A place named once dominates when
/// it is the only one and `named_once` takes it.
fn dominant_place<'p>(
    places: &'p [PlaceHit],
    counts: impl Fn(&PlaceHit) -> bool,
    named_once: impl Fn(&PlaceHit) -> bool,
    part_of: impl Fn(&PlaceHit) -> Option<&'p str>,
) -> Option<Geo> {
    /// A code's count, and each of its units' counts.
    type Counts<'p> = (usize, Vec<(&'p PlaceHit, usize)>);
    let named = |p: &&PlaceHit| p.is_province();
    let kept: Vec<&PlaceHit> = places.iter().filter(named).filter(|p| counts(p)).collect();
    let counted = if kept.is_empty() {
        places.iter().filter(named).collect()
    } else {
        kept
    };
    let mut counts: HashMap<&str, Counts<'_>> = HashMap::new();
    for p in counted.iter().copied() {
        if let Some(code) = p.code.as_deref() {
            let (n, units) = counts.entry(code).or_default();
            *n += 1;
            match units.iter_mut().find(|(u, _)| u.id == p.id) {
                Some((_, k)) => *k += 1,
                None => units.push((p, 1)),
            }
        }
    }
    // A former unit named as a part of the unit the merger made of it counts for that unit's
    // code, when the document names it: "GRDP tỉnh Ninh Bình … Trong đó, khu vực Nam Định cũ
    // …, khu vực Hà Nam cũ …".
    for p in counted.iter().copied() {
        if let (Some(own), Some(merged)) = (p.code.as_deref(), part_of(p))
            && own != merged
            && counts
                .get(merged)
                .is_some_and(|(_, units)| !units.is_empty())
            && let Some((n, _)) = counts.get_mut(own)
        {
            *n -= 1;
            if let Some((m, _)) = counts.get_mut(merged) {
                *m += 1;
            }
        }
    }
    counts.retain(|_, (n, _)| *n > 0);
    let total: usize = counts.values().map(|c| c.0).sum();
    let (_, (n, units)) = counts
        .into_iter()
        .max_by_key(|(code, (n, _))| (*n, std::cmp::Reverse(*code)))?;
    let unit = units
        .iter()
        .max_by_key(|(u, k)| (*k, !u.former))
        .map(|(u, _)| *u)?;
    (n * 2 > total && (n >= 2 || (total == 1 && named_once(unit))))
        .then(|| unit.geo())
        .flatten()
}

/// The items of a sorted list whose start lies in `span`.
fn slice_by<T>(items: &[T], span: Span, start: impl Fn(&T) -> usize) -> &[T] {
    &items[range_by(items, span, start)]
}

/// The items of a sorted list whose start lies in `span`, its end included: every item `span`
/// can contain, empty ones at its end too.
fn within_by<T>(items: &[T], span: Span, start: impl Fn(&T) -> usize) -> &[T] {
    slice_by(
        items,
        Span::new(span.start, span.end.saturating_add(1)),
        start,
    )
}

/// Where [`slice_by`]'s items are in `items`.
fn range_by<T>(items: &[T], span: Span, start: impl Fn(&T) -> usize) -> std::ops::Range<usize> {
    let lo = items.partition_point(|x| start(x) < span.start);
    let hi = items.partition_point(|x| start(x) < span.end);
    lo..hi.max(lo)
}

/// Where the "trong đó" (linking.toml's `parts`) before byte `at` in sentence `sb` starts and
/// ends, among the sentence's linking words `hits`, when its scope reaches `at`: the rest of
/// the sentence (its parts are often listed clause by clause: "…, trong đó vốn nhà nước đạt …;
/// vốn ngoài nhà nước đạt …"), unless a ")" closes it before `at`; not one opening the sentence
/// ("Trong đó, …" sentences are read as a whole).
fn parts_after(
    folded: &str,
    hits: &[crate::lexicon::Hit<'_, Tag>],
    sb: Span,
    at: usize,
) -> Option<(usize, usize)> {
    let h = hits
        .iter()
        .rev()
        .filter(|h| h.start >= sb.start && h.end <= at)
        .find(|h| h.tags.contains(&Tag::Parts))?;
    (h.start > sb.start && !folded[h.end..at].contains(')')).then_some((h.start, h.end))
}

/// Whether hit `h` of the sentence's linking words `hits` comes right after a word that names
/// a plan or a goal (linking.toml's `target_attached`, `target`: "dự toán", "kế hoạch", "mục
/// tiêu"): "dự toán cả năm" is the plan's year.
fn after_plan_word(
    folded: &str,
    hits: &[crate::lexicon::Hit<'_, Tag>],
    h: &crate::lexicon::Hit<'_, Tag>,
) -> bool {
    hits.iter()
        .rev()
        .find(|p| p.end <= h.start)
        .is_some_and(|p| {
            (p.tags.contains(&Tag::TargetAttached) || p.tags.contains(&Tag::Target))
                && folded[p.end..h.start].trim().is_empty()
        })
}

/// Whether the words after a head word of `own_subject` ("sản lượng"), up to the value, qualify
/// it ("khai thác đạt"): they do not start with a number or one of linking.toml's
/// `own_subject_not_before` ("kim ngạch tăng 10%", "tỷ lệ 62%" go on with the subject before).
fn names_own_subject(after: &str) -> bool {
    let after = after.trim_start();
    if after.is_empty() || after.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    !linking_file()
        .measure
        .own_subject_not_before
        .iter()
        .any(|w| {
            after
                .strip_prefix(w.as_str())
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
}

/// Whether a phrase after `lead` (a chunk's words before it, folded) starts its chunk: `lead` is
/// empty, a list mark ("-", "+") or one of linking.toml's `own_subject_after` ("còn", "riêng").
fn starts_chunk(lead: &str) -> bool {
    let lead = lead.trim().trim_start_matches(LIST_MARKS).trim();
    lead.is_empty()
        || linking_file()
            .measure
            .own_subject_after
            .iter()
            .any(|w| w == lead)
}

/// Where a sentence's clauses (`;`) and chunks (`,` or `;`, not a decimal comma as in "9,02")
/// end: found once per sentence, so each value finds its clause by binary search.
#[derive(Debug, Clone, Default)]
struct Delims {
    sentence: Span,
    semicolons: Vec<usize>,
    chunk_ends: Vec<usize>,
}

impl Delims {
    #[cfg(test)]
    fn new(text: &str, sb: Span) -> Delims {
        let mut d = Delims::default();
        d.find(text, sb);
        d
    }

    /// Finds the delimiters of sentence `sb`, in place of the previous sentence's.
    fn find(&mut self, text: &str, sb: Span) {
        let s = &text[sb.start..sb.end];
        let bytes = s.as_bytes();
        let d = self;
        d.sentence = sb;
        d.semicolons.clear();
        d.chunk_ends.clear();
        for i in memchr::memchr2_iter(b',', b';', bytes) {
            let b = bytes[i];
            let decimal = b == b','
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if b == b';' {
                d.semicolons.push(sb.start + i);
            }
            if b == b';' || (b == b',' && !decimal) {
                d.chunk_ends.push(sb.start + i);
            }
        }
    }

    fn around(&self, positions: &[usize], at: usize) -> Span {
        let k = positions.partition_point(|&p| p < at);
        let start = if k == 0 {
            self.sentence.start
        } else {
            positions[k - 1] + 1
        };
        let end = positions.get(k).copied().unwrap_or(self.sentence.end);
        Span::new(start, end.max(start))
    }

    /// The `;`-delimited clause around byte `at`.
    fn clause(&self, at: usize) -> Span {
        self.around(&self.semicolons, at)
    }

    /// The `,`/`;`-delimited chunk around byte `at`.
    fn chunk(&self, at: usize) -> Span {
        self.around(&self.chunk_ends, at)
    }
}

/// The `;`-delimited clause of the sentence `sb` around byte `at`.
#[cfg(test)]
fn clause_of(text: &str, sb: Span, at: usize) -> Span {
    Delims::new(text, sb).clause(at)
}

/// The `,`/`;`-delimited chunk of the sentence `sb` around byte `at`.
#[cfg(test)]
fn chunk_of(text: &str, sb: Span, at: usize) -> Span {
    Delims::new(text, sb).chunk(at)
}

/// The words of `text` before byte `at` in their chunk, from the last mark (`,` `;` `:` `.`
/// `!` `?` a bracket or a line break, not a decimal comma or point as in "4,24"), at most `max`
/// bytes of them; and the mark, `b'\n'` at the start of the text, `None` when the chunk starts
/// further back.
fn chunk_lead(text: &str, at: usize, max: usize) -> (&str, Option<u8>) {
    let from = floor_char(text, at.saturating_sub(max));
    let near = &text[from..at];
    let bytes = text.as_bytes();
    let mark = near.bytes().enumerate().rev().find(|&(i, b)| {
        let k = from + i;
        let decimal = matches!(b, b',' | b'.')
            && k > 0
            && bytes[k - 1].is_ascii_digit()
            && bytes.get(k + 1).is_some_and(u8::is_ascii_digit);
        matches!(
            b,
            b',' | b';' | b':' | b'.' | b'!' | b'?' | b'\n' | b'(' | b')'
        ) && !decimal
    });
    match mark {
        Some((i, b)) => (&near[i + 1..], Some(b)),
        None => (near, (from == 0).then_some(b'\n')),
    }
}

/// Whether `line` (a line up to a sentence that ends with ':' and no value) introduces a list of
/// goals: it names a goal or a plan ("Nghị quyết về kế hoạch … năm 2025 với các chỉ tiêu chủ
/// yếu sau:"), and years after the publication's only, and none of linking.toml's
/// `results_intro` ("Theo Quy hoạch, mục tiêu đến năm 2030, … . Một số chỉ tiêu chủ yếu:"; not
/// "Để đạt mục tiêu trên, năm qua tỉnh đã:", "Hướng tới mục tiêu năm 2025, năm 2024 tỉnh đạt
/// nhiều chỉ tiêu quan trọng:", "Kết quả thực hiện các mục tiêu năm 2024:").
fn introduces_goals(st: &DocState<'_>, line: Span) -> bool {
    let Some(y) = st.published_year else {
        return false;
    };
    // A line that names no period goes with a heading right above it that does ("MỤC TIÊU,
    // NHIỆM VỤ NHIỆM KỲ 2025 – 2030" over "Các chỉ tiêu chủ yếu:").
    let line = match st.periods_before(line.start).last() {
        Some(h)
            if h.heading
                && h.bytes.end <= line.start
                && !st
                    .periods_within(line)
                    .iter()
                    .any(|s| line.contains(s.bytes))
                && st.text[h.bytes.end..line.start].matches('\n').count() == 1 =>
        {
            let from = st.text[..h.bytes.start].rfind('\n').map_or(0, |i| i + 1);
            Span::new(from, line.end)
        }
        _ => line,
    };
    let tags = tag_bits(words().hits(&st.folded[line.start..line.end]));
    let mut years = st
        .periods_within(line)
        .iter()
        .filter(|s| !s.base && line.contains(s.bytes))
        .map(|s| s.period.fixed().map(|p| p.last_year()))
        .peekable();
    tags & (Tag::Target.bit() | Tag::TargetAttached.bit()) != 0
        && tags & Tag::ResultsIntro.bit() == 0
        && years.peek().is_some()
        && years.all(|l| l.is_some_and(|l| l > y))
}

/// Whether `line` opens as a line of a numbered list: "1. …", "12) …", "a) …".
fn numbered_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        &line[digits..]
    } else {
        line.get(1..)
            .filter(|_| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .unwrap_or("")
    };
    (rest.starts_with(". ") && digits > 0) || rest.starts_with(") ")
}

/// How many words a heading holds at most ("Điều 2. Mục tiêu, chỉ tiêu chủ yếu năm 2025").
const HEADING_WORDS: usize = 12;

/// Whether the period mention at `at` of `text` is on a line that reads as a heading: a few
/// words ([`HEADING_WORDS`]), no value but its numbering (`mentions`, in text order), not a line
/// of a list, not ending as a sentence does ("Điều 2. Mục tiêu, chỉ tiêu chủ yếu năm 2025", "Các chỉ tiêu chủ
/// yếu năm 2025:"; not "Kỳ họp sẽ xem xét kế hoạch … năm 2025.", "- Chuẩn bị … cho năm 2025;").
/// Looked for within [`HEADING_BYTES`] of it either way: a longer line is no heading.
fn heading_line(text: &str, mentions: &[Mention], at: usize) -> bool {
    // Line breaks other than '\n' are rare: a line they end reads as longer, so as no heading.
    let bytes = text.as_bytes();
    let from = at.saturating_sub(HEADING_BYTES);
    let to = (at + HEADING_BYTES).min(bytes.len());
    let start = match memchr::memrchr(b'\n', &bytes[from..at]) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let end = match memchr::memchr(b'\n', &bytes[at..to]) {
        Some(i) => at + i,
        None if to == bytes.len() => to,
        None => return false,
    };
    let line = text[start..end].trim();
    if line.ends_with(SENTENCE_ENDS)
        || line.starts_with(LIST_MARKS)
        || numbered_item(line)
        || line.split_whitespace().nth(HEADING_WORDS).is_some()
    {
        return false;
    }
    // Its numbering is no value: "Điều 2. …", "II. …".
    let numbering_end = text[start..end]
        .find(". ")
        .filter(|&i| text[start..start + i].split_whitespace().count() <= 2)
        .map_or(start, |i| start + i);
    let k = mentions.partition_point(|m| m.bytes.start < numbering_end);
    !mentions[k..]
        .iter()
        .take_while(|m| m.bytes.start < end)
        .any(|m| m.kind.is_value())
}

/// How far from a period its line is looked for ([`heading_line`]).
const HEADING_BYTES: usize = 200;

/// Whether `text` compares with the period before ("so với tháng trước", linking.toml's `[base]
/// previous_period`).
fn compared_with_period_before(text: &str) -> bool {
    text.match_indices("so với").any(|(i, w)| {
        let rest = text[i + w.len()..].trim_start();
        linking_file()
            .base
            .previous_period
            .iter()
            .any(|p| rest.starts_with(p.as_str()))
    })
}

/// Whether the period mention at byte `at` of `folded` names its year as the one spoken of
/// before (linking.toml's `year_again`: "Trong quý IV năm đó").
fn refers_back(folded: &str, at: usize) -> bool {
    let after = &folded[at..floor_char(folded, (at + 40).min(folded.len()))];
    let after = &after[..after.find([',', ';', '.', ':']).unwrap_or(after.len())];
    linking_file()
        .period
        .year_again
        .iter()
        .any(|w| after.contains(w.as_str()))
}

/// Whether three quarters of period `p` had passed by the day `published` (the last of its
/// month when only the month is known): statistics give a quarter's or a month's estimates in
/// its last days ("Quý I, GRDP ước tăng 6,54%" on 30 March).
fn mostly_over(p: Period, published: chiso_model::PartialDate) -> bool {
    let (start, end) = (p.start().days_since_epoch(), p.end().days_since_epoch());
    let on = published.last_day().days_since_epoch();
    on >= start && 4 * (on - start + 1) >= 3 * (end - start + 1)
}

/// The words of `sentence` after one of `words` it opens with as a whole word ("Trong đó, …",
/// "Riêng tháng 7, …").
fn opens_with<'s>(sentence: &'s str, words: &[String]) -> Option<&'s str> {
    let sentence = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    words.iter().find_map(|w| {
        sentence
            .strip_prefix(w.as_str())
            .filter(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// Whether `words` start with a number, Arabic or Roman ("8", "IV" folded to "iv").
fn starts_with_number(words: &str) -> bool {
    let next = words
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    next.starts_with(|c: char| c.is_ascii_digit())
        || (!next.is_empty() && next.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

/// Whether `sentence` opens with a list mark ("- Quý I, thu ngân sách đạt …"): a line of a list,
/// which goes on with the line that introduced it.
fn opens_with_list_mark(sentence: &str) -> bool {
    sentence.trim_start().starts_with(LIST_MARKS)
}

/// The largest char boundary of `text` at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What makes two statements of a document the same fact: indicator, place, period, measure,
/// kind, values and unit, and bases that do not differ ([`same_base`]). Values compare by their bits (every NaN as one), so two keys are equal
/// exactly when the fields print the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RecordKey<'a> {
    indicator: &'a str,
    geo_code: Option<&'a str>,
    period: Option<Period>,
    measure: Measure,
    kind: Kind,
    value_low: u64,
    value_high: u64,
    unit: Unit,
}

impl std::hash::Hash for RecordKey<'_> {
    /// Three writes where the derived hash makes a dozen: the strings, then every other field
    /// packed into one word. Equal keys hash alike, which is all a hash must do.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.indicator.as_bytes());
        state.write(self.geo_code.unwrap_or("\u{0}").as_bytes());
        let period = match self.period {
            None => 0,
            Some(Period::Year(y)) => 1 << 56 | u64::from(y as u32),
            Some(Period::Quarter { year, q }) => {
                2 << 56 | u64::from(year as u32) | u64::from(q) << 32
            }
            Some(Period::Month { year, month }) => {
                3 << 56 | u64::from(year as u32) | u64::from(month) << 32
            }
            Some(Period::Months { year, from, to }) => {
                4 << 56 | u64::from(year as u32) | u64::from(from) << 32 | u64::from(to) << 40
            }
            Some(Period::Years { from, to }) => {
                5 << 56 | u64::from(from as u32) | u64::from(to as u32).rotate_left(24)
            }
            Some(Period::Day { year, month, day }) => {
                6 << 56 | u64::from(year as u32) | u64::from(month) << 32 | u64::from(day) << 40
            }
            Some(Period::ToDay { year, month, day }) => {
                7 << 56 | u64::from(year as u32) | u64::from(month) << 32 | u64::from(day) << 40
            }
        };
        let words = (self.measure as u64) | (self.kind as u64) << 8 | (self.unit as u64) << 16;
        state.write_u64(
            period ^ words.rotate_left(40) ^ self.value_low ^ self.value_high.rotate_left(32),
        );
    }
}

/// Whether two statements of the same key are one fact: their bases are the same, or one names
/// none ("tăng 3,59% so với cùng kỳ năm trước" and, later, "CPI tháng 10 tăng 3,59%"). A change
/// on the month before and one on the year before are two, even of the same value.
fn same_base(a: &IndicatorRecord, b: &IndicatorRecord) -> bool {
    a.base.is_none() || b.base.is_none() || (a.base, a.base_period) == (b.base, b.base_period)
}

fn value_bits(v: f64) -> u64 {
    if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        v.to_bits()
    }
}

fn record_key(r: &IndicatorRecord) -> RecordKey<'_> {
    RecordKey {
        indicator: &r.indicator,
        geo_code: r.geo_code.as_deref(),
        period: r.period,
        measure: r.measure,
        kind: r.kind,
        value_low: value_bits(r.value_low),
        value_high: value_bits(r.value_high),
        unit: r.unit,
    }
}

/// Whether the number before the value, in its sentence, counts what indicator `ind` counts
/// ("có 512 trường đạt chuẩn quốc gia, chiếm tỷ lệ 53,2%": "512 trường"); true for an
/// indicator that names no counted noun ("hộ cận nghèo là 2.585 hộ, chiếm tỷ lệ 5,65%").
fn after_own_count(near: &NearWords<'_>, ind: &Indicator) -> bool {
    if ind.counted_nouns.is_empty() {
        return true;
    }
    let before = &near.st.folded[near.sb.start..near.m.bytes.start.max(near.sb.start)];
    let Some(last_digit) = before.rfind(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let after =
        before[last_digit + 1..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let after = after.trim_start();
    ind.counted_nouns
        .iter()
        .any(|n| after.starts_with(n.as_str()))
}

/// Whether count `m` of a rate per 10 000 people is a value of it: a bare number or a count of
/// doctors or beds stated by a verb after the rate's words in its chunk ("Số bác sĩ/vạn dân đạt
/// 12", "số giường bệnh trên 1 vạn dân năm 2024 đạt 35 giường"; not "… đạt 12 nhờ tuyển dụng
/// thêm 45 bác sĩ"), doctors or beds followed by the rate's words ("12,6 bác sĩ/10.000
/// dân", "… trên 1 vạn dân"), or listed before a value of the rate that counts another
/// noun ("12 bác sĩ và 35 giường bệnh trên vạn dân"; not "2.350 bác sĩ và 12 bác sĩ/vạn dân");
/// not "Bệnh viện … có quy mô 2.500 giường bệnh". A rate above [`PER_10K_MAX`] is a count.
fn per_10k_count(near: &NearWords<'_>, m: &Mention) -> bool {
    if m.value_high.or(m.value_low).is_none_or(|v| v > PER_10K_MAX) {
        return false;
    }
    let folded = &near.st.folded;
    // The rate's words before it in its chunk, then a verb that states it right before the
    // value: "Số bác sĩ/vạn dân năm 2024 đạt 11,2" (not "… tỉnh đã bổ sung 300 giường bệnh").
    let lead = &folded[near.chunk.start..m.bytes.start.max(near.chunk.start)];
    let after_rate = PER_10K_WORDS
        .iter()
        .filter_map(|w| lead.rfind(w).map(|i| i + w.len()))
        .max()
        .is_some_and(|end| stated_by_verb(&lead[end..]));
    let Some(noun) = m.counted_noun.as_deref().map(str::to_lowercase) else {
        return after_rate;
    };
    if !matches!(noun.as_str(), "bác sĩ" | "giường" | "giường bệnh") {
        return false;
    }
    // The rate's words right after the noun: "12,6 bác sĩ/10.000 dân", "… trên 1 vạn dân".
    let rest = folded[m.bytes.end..]
        .trim_start()
        .strip_prefix(noun.as_str())
        .map(str::trim_start);
    let per_after = rest
        .and_then(|rest| {
            rest.strip_prefix('/')
                .or_else(|| rest.strip_prefix("trên "))
        })
        .is_some_and(|rest| {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("1 ")
                .or_else(|| rest.strip_prefix("một "))
                .unwrap_or(rest);
            PER_10K_WORDS.iter().any(|w| rest.starts_with(w))
        });
    per_after
        || after_rate
        || near.next_value.is_some_and(|(next, unit)| {
            unit == Some(Unit::Per10kPeople) && listed_before_rate(folded, m, &noun, next)
        })
}

/// Whether count `m` of `noun` (lower case) is listed right before the value starting at
/// `next`, a rate per 10 000 people of another noun: "12 bác sĩ và 35 giường bệnh trên vạn
/// dân", not "2.350 bác sĩ và 12 bác sĩ/vạn dân".
fn listed_before_rate(folded: &str, m: &Mention, noun: &str, next: usize) -> bool {
    folded
        .get(m.bytes.end..next)
        .and_then(|between| between.trim().strip_prefix(noun))
        .is_some_and(joins_list)
        && !folded[next..]
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .starts_with(noun)
}

/// Whether `words` (before a value) end with a verb that states it ("năm 2024 đạt", "là", ":",
/// "ở mức", "bằng"), also before the words of the value's comparator (numbers/comparators.toml's
/// `before`: "đạt khoảng", "đạt không dưới", "ở mức trên") or "tương ứng" ("đạt tương ứng").
fn stated_by_verb(words: &str) -> bool {
    const VERBS: [&str; 9] = [
        "đạt",
        "là",
        ":",
        "ở mức",
        "đạt mức",
        "đạt bình quân",
        "còn",
        "lên",
        "bằng",
    ];
    let words = words.trim_end();
    if VERBS.iter().any(|v| strip_last_word(words, v).is_some()) {
        return true;
    }
    // The last one to four words, when they are a comparator's or "lần lượt", "tương ứng".
    let respectively = &linking_file().measure.respectively;
    let starts: Vec<usize> = words
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || words[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i)
        .collect();
    starts.iter().rev().take(4).any(|&at| {
        let tail = &words[at..];
        (crate::numbers::lexicon::get().is_comparator_before(tail)
            || respectively.iter().any(|w| w == tail))
            && stated_by_verb(&words[..at])
    })
}

/// The words of a rate per 10 000 people after its noun ("bác sĩ/vạn dân").
const PER_10K_WORDS: [&str; 4] = ["vạn dân", "10.000 dân", "vạn người", "10.000 người"];

/// `text` without its last word or words `word`, when they are whole words: "năm 2024 đạt"
/// without "đạt" is "năm 2024 "; "khoảng" does not end with the word "oảng".
fn strip_last_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    text.strip_suffix(word)
        .filter(|b| b.is_empty() || b.ends_with(|c: char| !crate::lexicon::is_alphanumeric(c)))
}

/// The largest value read as a rate per 10 000 people from a count: more doctors or hospital
/// beds than that per 10 000 people is a count of them ("2.350 bác sĩ").
const PER_10K_MAX: f64 = 150.0;

/// An amount of a per-person indicator ("thu nhập bình quân đầu người") written per year or per
/// month ("45 triệu đồng/năm", "4,5 triệu đồng/tháng", "3.500 USD/năm") in a sentence about
/// people ("đầu người", "/người") is per person, in the catalogue's unit for that: so that a
/// year's and a month's income are not one unit (`sentence` is the case-folded sentence).
/// Without "/năm" or "/tháng", or in a sentence about something else ("thu nhập bình quân của
/// hợp tác xã"), the amount keeps the unit it was written in.
fn per_person(ind: &Indicator, unit: Unit, written: &str, sentence: &str) -> Unit {
    let Some((_, per)) = written.rsplit_once('/') else {
        return unit;
    };
    let per = per.trim().to_lowercase();
    let person = match (unit, per.as_str()) {
        (Unit::Vnd, "năm") => Unit::VndPerPersonYear,
        (Unit::Vnd, "tháng") => Unit::VndPerPersonMonth,
        (Unit::Usd, "năm") => Unit::UsdPerPerson,
        _ => return unit,
    };
    // The sentence (case-folded) is searched only for such an amount, not for every one.
    if ind.units.contains(&person) && sentence.contains("người") {
        person
    } else {
        unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::fold_case;

    /// The cues and places of one joint walk equal those of the catalogue's and the gazetteer's
    /// own automata: on the bench texts, and on texts made of cue and place spellings run
    /// together, in and out of case, where their matches overlap most.
    #[test]
    fn one_walk_for_cues_and_places_finds_what_two_do() {
        let linker = Linker::builtin();
        let joint = linker
            .cues_and_places
            .as_ref()
            .expect("the joint automaton builds");
        let check = |text: &str| {
            let (folded, lower) = FoldedText::with_case_folded(text);
            let (cue_found, place_found) = joint.find(folded.folded.as_bytes());
            assert_eq!(
                linker.catalogue.cues_from(text, &lower, &folded, cue_found),
                linker.catalogue.find_cues_folded(text, &lower, &folded),
                "{text}"
            );
            let from = |found: Vec<crate::gazetteer::PlaceMatch<'_>>| {
                found
                    .iter()
                    .map(|p| (p.span, p.place.id.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                from(
                    linker
                        .gazetteer
                        .places_from(text, &folded, None, place_found)
                ),
                from(linker.gazetteer.find_in_folded(text, &folded, None)),
                "{text}"
            );
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data");
        let mut texts = 0;
        for entry in std::fs::read_dir(dir).expect("the bench texts") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                check(&std::fs::read_to_string(&path).expect("a text"));
                texts += 1;
            }
        }
        assert!(texts >= 13, "{texts}");
        let words: Vec<String> = linker
            .catalogue
            .keys()
            .iter()
            .chain(linker.gazetteer.keys())
            .cloned()
            .collect();
        let mut seed = 7u64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let w = &words[(seed >> 33) as usize % words.len()];
                text.push_str(if seed & 1 == 0 { w } else { &w[..w.len() / 2] });
                text.push_str([" ", "", ", ", " TỈNH ", "\n"][(seed >> 8) as usize % 5]);
            }
            check(&text);
            check(&text.to_uppercase());
        }
    }

    #[test]
    fn long_sentences_are_quoted_around_the_number() {
        let sentence = format!("{}GRDP tăng 9,02%{}", "a ".repeat(800), " b".repeat(800));
        let at = sentence.find("9,02").unwrap();
        let q = quote_around(&sentence, 10, Span::new(10 + at, 10 + at + 5));
        assert!(
            q.starts_with('…') && q.ends_with('…') && q.contains("GRDP tăng 9,02%"),
            "{q}"
        );
        assert!(
            q.chars().count() <= 2 * QUOTE_WINDOW_CHARS + 10,
            "{}",
            q.chars().count()
        );
        assert_eq!(
            quote_around("Ngắn 9,02%.", 0, Span::new(5, 10)),
            "Ngắn 9,02%."
        );
        // The limit is in characters: a sentence of exactly that many two-byte letters is
        // quoted whole, one more is cut.
        let value = "9,02%";
        let at_limit = format!("{value}{}", "ă".repeat(MAX_QUOTE_CHARS - value.len()));
        assert!(at_limit.len() > MAX_QUOTE_CHARS);
        let number = Span::new(0, value.len());
        assert_eq!(quote_around(&at_limit, 0, number), at_limit.as_str());
        let over = format!("{at_limit}ă");
        assert!(quote_around(&over, 0, number).ends_with('…'));
    }

    #[test]
    fn a_base_and_its_period_from_the_words_after_so_voi() {
        let label = |b: Option<(Base, Option<Period>)>| {
            b.map(|(b, p)| format!("{b} {}", p.map_or("-".into(), |p| p.label())))
        };
        let q1 = Some(Period::Quarter { year: 2023, q: 1 });
        let jan = Some(Period::Month {
            year: 2023,
            month: 1,
        });
        let term = Some(Period::Years {
            from: 2021,
            to: 2025,
        });
        let year = |y| Some(("năm", PeriodRef::Fixed(Period::Year(y))));
        let after_cung_ky = |y| Some(("cùng kỳ năm", PeriodRef::Fixed(Period::Year(y))));
        let nine_months = Some(Period::Months {
            year: 2023,
            from: 1,
            to: 9,
        });
        let oct = Some(Period::Month {
            year: 2023,
            month: 10,
        });
        // The words, the period they name and the words before it, the value's period, and
        // the base and its period.
        type Case<'a> = (
            &'a str,
            Option<(&'a str, PeriodRef)>,
            Option<Period>,
            Option<&'a str>,
        );
        let cases: [Case<'_>; 24] = [
            ("cùng kỳ", None, q1, Some("year_ago 2022-Q1")),
            ("cùng kỳ năm trước", None, q1, Some("year_ago 2022-Q1")),
            ("cùng tháng năm trước", None, oct, Some("year_ago 2022-10")),
            (
                "cùng kỳ năm 2022",
                after_cung_ky(2022),
                q1,
                Some("year_ago 2022-Q1"),
            ),
            (
                "cùng kỳ năm 2019",
                after_cung_ky(2019),
                q1,
                Some("other_period 2019-Q1"),
            ),
            (
                "cùng kỳ năm 2019",
                after_cung_ky(2019),
                term,
                Some("other_period -"),
            ),
            ("cùng kỳ", None, term, Some("year_ago -")),
            ("cùng kỳ", None, None, Some("year_ago -")),
            ("quý trước", None, q1, Some("previous_period 2022-Q4")),
            ("quí trước", None, q1, Some("previous_period 2022-Q4")),
            ("quý trước", None, oct, Some("previous_period -")),
            (
                "quý iv",
                Some(("quý", PeriodRef::Quarter(4))),
                q1,
                Some("previous_period 2022-Q4"),
            ),
            (
                "tháng 12",
                Some(("tháng", PeriodRef::Month(12))),
                jan,
                Some("previous_period 2022-12"),
            ),
            (
                "tháng 12 năm trước",
                Some(("tháng", PeriodRef::Month(12))),
                jan,
                Some("previous_period 2022-12"),
            ),
            (
                "tháng 12 năm trước",
                Some(("tháng", PeriodRef::Month(12))),
                oct,
                Some("year_start 2022-12"),
            ),
            ("đầu năm", None, oct, Some("year_start 2022-12")),
            (
                "đầu năm 2020",
                year(2020),
                oct,
                Some("other_period 2019-12"),
            ),
            ("cuối năm 2022", year(2022), oct, Some("year_start 2022-12")),
            ("đầu năm", None, term, Some("year_start -")),
            (
                "6 tháng đầu năm",
                Some(("", PeriodRef::Months { from: 1, to: 6 })),
                nine_months,
                Some("other_period 2023-01/2023-06"),
            ),
            (
                "giai đoạn 2016-2020",
                Some((
                    "giai đoạn",
                    PeriodRef::Fixed(Period::Years {
                        from: 2016,
                        to: 2020,
                    }),
                )),
                term,
                Some("previous_period 2016/2020"),
            ),
            (
                "năm 2015",
                year(2015),
                Some(Period::Year(2023)),
                Some("other_period 2015"),
            ),
            ("kế hoạch", None, q1, None),
            ("bình quân cả nước", None, q1, None),
        ];
        for (words, named, period, want) in cases {
            assert_eq!(
                label(base_of(words, named, period)).as_deref(),
                want,
                "{words:?} of {period:?}"
            );
        }
        assert_eq!(find_so("tăng 5% so với", 0), Some("tăng 5% ".len()));
        assert_eq!(
            find_so("số so với", 0),
            Some("số ".len()),
            "not the so of số"
        );
        assert_eq!(
            find_so("soát so", 0),
            None,
            "a whole word followed by a space"
        );
        assert_eq!(
            base_phrase_end("cùng kỳ năm trước và đạt 80% kế hoạch"),
            "cùng kỳ năm trước ".len()
        );
        assert_eq!(
            base_phrase_end("cùng kỳ năm trước vào"),
            "cùng kỳ năm trước vào".len()
        );
        assert_eq!(find_so("x so\u{a0}với", 0), Some(2), "a non-breaking space");
        assert_eq!(
            rfind_so("so với a, so với b", 0, 20),
            Some("so với a, ".len())
        );
        assert_eq!(base_words_at("so  với  cùng kỳ", 0), "so  với  ".len());
        assert_eq!(base_words_at("so cùng kỳ", 0), "so ".len());
        assert_eq!(base_words_at("so vớicùng", 0), "so ".len());
        assert_eq!(base_phrase_end("tháng trước, tăng 2%"), "tháng trước".len());
    }

    #[test]
    fn linking_data_parses() {
        assert!(!words().find("ước đạt").is_empty());
    }

    /// What [`Carry::sentence_hits`] relies on: no linking phrase holds a line break or a
    /// character a sentence can end with.
    #[test]
    fn linking_phrases_cannot_cross_a_sentence_start() {
        fn strings(v: &toml::Value, out: &mut Vec<String>) {
            match v {
                toml::Value::String(s) => out.push(s.clone()),
                toml::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
                toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
                _ => {}
            }
        }
        let data: toml::Value = toml::from_str(include_str!("../data/linking.toml")).unwrap();
        let mut phrases = Vec::new();
        strings(&data, &mut phrases);
        assert!(phrases.len() > 100, "{}", phrases.len());
        for p in phrases {
            assert!(!p.contains(not_in_phrases), "{p:?}");
        }
    }

    /// The linking words of each kept sentence, searched from its start, against the previous
    /// search: the whole document's words, those starting in the sentence.
    fn check_sentence_hits(text: &str) -> usize {
        let folded = fold_case(text);
        let all = words().find(&folded);
        let seg = segment_folded(text, &folded);
        for s in &seg.sentences {
            let carry = Carry::default();
            assert_eq!(
                carry.sentence_hits(&folded, s.bytes),
                slice_by(&all, s.bytes, |h| h.start),
                "{:?}",
                &text[s.bytes.start..s.bytes.end]
            );
        }
        seg.sentences.len()
    }

    #[test]
    fn sentence_hits_are_the_document_hits_in_the_sentence() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data");
        let mut sentences = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                sentences += check_sentence_hits(&std::fs::read_to_string(&path).unwrap());
            }
        }
        assert!(sentences > 100, "{sentences}");
    }

    proptest::proptest! {
        #[test]
        fn sentence_hits_match_document_hits(text in "(tăng|Tăng|so với|cùng kỳ|năm|kế hoạch|còn|giảm còn|ước đạt|Ước|[a-zđ]{1,3}|[A-ZĐ][a-z]{0,2}|[0-9]{1,3}|,|, |\\. |\\.|!|\\?|…|\"|” |\\) |\n|\u{b}|\u{c}|\u{85}|\u{2028}|\u{2029}|  | |\u{a0}|theo dõi trên google news){0,40}") {
            check_sentence_hits(&text);
        }
    }

    #[test]
    fn clauses_and_chunks_respect_decimal_commas() {
        let text = "năm 2022 đạt 9,02%, đứng thứ 4/14; quý I/2023 ước đạt 6,9%";
        let sb = Span::new(0, text.len());
        let at = text.find("9,02").unwrap();
        let chunk = chunk_of(text, sb, at);
        assert_eq!(&text[chunk.start..chunk.end], "năm 2022 đạt 9,02%");
        let at = text.find("6,9").unwrap();
        let clause = clause_of(text, sb, at);
        assert_eq!(&text[clause.start..clause.end], " quý I/2023 ước đạt 6,9%");
    }
}
