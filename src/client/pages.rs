//! Paging through queryCallDetailRecord for `callRecords`: which page comes after the one answered, so that
//! every record is listed once and the listing ends.

/// The offset of the page after one asked at `offset` that returned `returned` records of `total`, or `None`
/// when there is none: an empty page, the last record reached, or an offset beyond the page's range.
pub fn next_offset(offset: i64, returned: usize, total: i64) -> Option<i64> {
    let returned = i64::try_from(returned).ok().filter(|&n| n > 0)?;
    let next = offset.checked_add(returned)?;
    (next < total && next <= i64::from(i32::MAX)).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::next_offset;

    #[test]
    fn pages_follow_each_other_to_the_total() {
        assert_eq!(next_offset(0, 100, 250), Some(100));
        assert_eq!(next_offset(100, 100, 250), Some(200));
        assert_eq!(next_offset(200, 50, 250), None);
        assert_eq!(next_offset(0, 3, 3), None);
    }

    #[test]
    fn a_listing_always_ends() {
        assert_eq!(next_offset(0, 0, 1000), None, "an empty page while the total says more");
        assert_eq!(next_offset(0, 5, 0), None, "no total");
        assert_eq!(next_offset(i64::from(i32::MAX) - 2, 5, i64::MAX), None, "past the page's offset range");
        assert_eq!(next_offset(i64::MAX, 1, i64::MAX), None);
    }

    #[test]
    fn a_short_page_before_the_total_asks_for_the_rest() {
        assert_eq!(next_offset(0, 40, 100), Some(40));
    }
}
