//! One cap on what an input may cost: its name, its value and the unit counted, and the
//! message when it is exceeded. Only the type: the caps themselves are in
//! [`crate::bilaga::limits`], so that a module given caps (the Markdown converter) needs
//! nothing of the readers that set them.

/// One cap: its name in messages and the README, its value and the unit counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    /// As the README's "Limits" table names it, e.g. `text length`.
    pub name: &'static str,
    pub value: u64,
    /// What is counted, plural, e.g. `characters`.
    pub(crate) unit: &'static str,
}

impl Cap {
    /// "more than the 1,000,000 characters allowed (cap: text length)".
    pub fn exceeded(&self) -> String {
        format!(
            "more than the {} {} allowed (cap: {})",
            thousands(self.value),
            self.unit,
            self.name
        )
    }

    /// Whether `n` is over the cap.
    pub fn over(&self, n: u64) -> bool {
        n > self.value
    }
}

/// `1000000` → `1,000,000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
