//! Suggestions for misspelt names: "did you mean \"poverty_rate\"?".

/// The one of `names` nearest `typed` when it is a likely misspelling of it: at most two
/// single-character edits away, and nearer than any other.
pub fn closest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for name in names {
        let d = edit_distance(typed, name);
        match best {
            Some((b, _)) if d > b => {}
            Some((b, _)) if d == b => tied = true,
            _ => {
                best = Some((d, name));
                tied = false;
            }
        }
    }
    best.filter(|&(d, _)| d <= 2 && !tied).map(|(_, name)| name)
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance};

    /// A misspelt name is told the nearest, when one is clearly nearest.
    #[test]
    fn the_nearest_name_is_suggested_only_when_clear() {
        assert_eq!(edit_distance("poverty_rat", "poverty_rate"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("Lào", "Lao"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        let ids = [
            "poverty_rate",
            "near_poverty_rate",
            "gdp_growth",
            "gdp_value",
        ];
        assert_eq!(
            closest("poverty_rat", ids.into_iter()),
            Some("poverty_rate")
        );
        assert_eq!(closest("gdp_grwoth", ids.into_iter()), Some("gdp_growth"));
        assert_eq!(closest("unemployment", ids.into_iter()), None);
        // Two equally near: no guess.
        assert_eq!(closest("ab", ["ax", "ay"].into_iter()), None);
    }
}
