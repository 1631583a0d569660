//! The dates of an anslag (KL 8 kap. 12 §, 13 kap. 5 §): when the notice of justering goes
//! up, when it may come down (after the three weeks in which the decisions can be appealed),
//! and whether it went up in time (at the latest the second day after justering).
//!
//! Pure date arithmetic, kept apart from the checks so each rule is tested on its own.

use time::{Date, Duration};

/// The appeal period the notice must stay up for: three weeks.
pub(crate) const ANSLAGSTID_DAYS: i64 = 21;

/// The justering must be announced at the latest on this many days after it.
pub(crate) const SENAST_DAGAR: i64 = 2;

/// The day the notice comes down: three weeks after the day it went up.
pub(crate) fn nedtas(uppsatt: Date) -> Option<Date> {
    uppsatt.checked_add(Duration::days(ANSLAGSTID_DAYS))
}

/// The last day the notice may go up: the second day after justering.
pub(crate) fn senast_uppsatt(justerad: Date) -> Option<Date> {
    justerad.checked_add(Duration::days(SENAST_DAGAR))
}

/// How a chosen posting day stands against the justering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timing {
    /// On the day of justering or within two days after.
    InTime,
    /// Before the protocol was justerat: impossible, the notice announces the justering.
    BeforeJustering,
    /// Later than KL 8 kap. 12 § allows, by this many days.
    Late(i64),
}

pub fn timing(justerad: Date, uppsatt: Date) -> Timing {
    let after = (uppsatt - justerad).whole_days();
    if after < 0 {
        Timing::BeforeJustering
    } else if after > SENAST_DAGAR {
        Timing::Late(after - SENAST_DAGAR)
    } else {
        Timing::InTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn nedtas_is_three_weeks_after_uppsatt() {
        assert_eq!(nedtas(date!(2020 - 04 - 24)), Some(date!(2020 - 05 - 15)));
    }

    #[test]
    fn nedtas_crosses_the_year_boundary() {
        assert_eq!(nedtas(date!(2020 - 12 - 22)), Some(date!(2021 - 01 - 12)));
    }

    #[test]
    fn nedtas_crosses_month_ends_of_every_length() {
        // 31-day, 30-day, leap and common February.
        assert_eq!(nedtas(date!(2021 - 01 - 31)), Some(date!(2021 - 02 - 21)));
        assert_eq!(nedtas(date!(2021 - 04 - 30)), Some(date!(2021 - 05 - 21)));
        assert_eq!(nedtas(date!(2020 - 02 - 15)), Some(date!(2020 - 03 - 07)));
        assert_eq!(nedtas(date!(2021 - 02 - 15)), Some(date!(2021 - 03 - 08)));
    }

    #[test]
    fn nedtas_at_the_end_of_time_is_none_not_a_panic() {
        assert_eq!(nedtas(Date::MAX), None);
    }

    #[test]
    fn senast_uppsatt_is_the_second_day_after() {
        assert_eq!(
            senast_uppsatt(date!(2020 - 12 - 30)),
            Some(date!(2021 - 01 - 01))
        );
    }

    #[test]
    fn timing_accepts_the_day_of_justering_and_two_after() {
        let j = date!(2020 - 04 - 24);
        assert_eq!(timing(j, j), Timing::InTime);
        assert_eq!(timing(j, date!(2020 - 04 - 26)), Timing::InTime);
    }

    #[test]
    fn timing_flags_late_and_early_postings() {
        let j = date!(2020 - 04 - 24);
        assert_eq!(timing(j, date!(2020 - 04 - 28)), Timing::Late(2));
        assert_eq!(timing(j, date!(2020 - 04 - 23)), Timing::BeforeJustering);
    }
}
