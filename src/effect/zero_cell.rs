//! Zero cells in 2×2 tables: the continuity correction rule.
//!
//! # Rule
//! metafor's `escalc()` default (`add = 1/2, to = "only0", drop00 = FALSE`): a table
//! with a zero cell gets `add` added to each of its four cells; tables without a zero are
//! left alone. `to = "all"` adds to every table, `"if0all"` to every table when any table
//! has a zero, `"none"` never adds. With `drop00`, tables with no events in both arms (or
//! only events in both arms) are dropped.
//!
//! # References
//! - Cochrane Handbook for Systematic Reviews of Interventions, version 6.4 (2023),
//!   section 10.4.4.2 (meta-analysis of rare events; 0.5 correction).
//! - Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
//!   J Stat Softw 36(3). Documentation of `escalc()` arguments `add`, `to`, `drop00`.

/// The four cells of a 2×2 table: `a` events and `b` non-events in the treatment arm,
/// `c` events and `d` non-events in the control arm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Table {
    /// Events, treatment arm.
    pub a: f64,
    /// Non-events, treatment arm.
    pub b: f64,
    /// Events, control arm.
    pub c: f64,
    /// Non-events, control arm.
    pub d: f64,
}

impl Table {
    /// Builds the table from events and totals per arm.
    pub fn from_arms(events_t: f64, n_t: f64, events_c: f64, n_c: f64) -> Table {
        Table {
            a: events_t,
            b: n_t - events_t,
            c: events_c,
            d: n_c - events_c,
        }
    }

    /// Total of the treatment arm.
    pub fn n1(&self) -> f64 {
        self.a + self.b
    }

    /// Total of the control arm.
    pub fn n2(&self) -> f64 {
        self.c + self.d
    }

    /// Whether any cell is zero.
    pub fn has_zero(&self) -> bool {
        self.a == 0.0 || self.b == 0.0 || self.c == 0.0 || self.d == 0.0
    }

    /// Whether both arms have no events, or both arms have only events.
    pub fn is_double_zero(&self) -> bool {
        (self.a == 0.0 && self.c == 0.0) || (self.b == 0.0 && self.d == 0.0)
    }

    fn plus(&self, x: f64) -> Table {
        Table {
            a: self.a + x,
            b: self.b + x,
            c: self.c + x,
            d: self.d + x,
        }
    }
}

/// To which tables the constant is added (metafor's `to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CcTo {
    /// Only tables with a zero cell (metafor default).
    Only0,
    /// Every table.
    All,
    /// Every table, when any table of the analysis has a zero cell.
    If0All,
    /// Never.
    None,
}

impl CcTo {
    /// The metafor spelling.
    pub fn code(self) -> &'static str {
        match self {
            CcTo::Only0 => "only0",
            CcTo::All => "all",
            CcTo::If0All => "if0all",
            CcTo::None => "none",
        }
    }
}

/// The zero-cell rule: what to add, to which tables, and whether double-zero tables are dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZeroCellRule {
    /// The constant added to each cell (metafor `add`, default 1/2).
    pub add: f64,
    /// Which tables get it (metafor `to`, default `only0`).
    pub to: CcTo,
    /// Drop tables without events in both arms (metafor `drop00`, default false).
    pub drop_double_zero: bool,
}

impl Default for ZeroCellRule {
    fn default() -> Self {
        ZeroCellRule {
            add: 0.5,
            to: CcTo::Only0,
            drop_double_zero: false,
        }
    }
}

impl ZeroCellRule {
    /// Applies the rule to one table. Returns `None` when the table is dropped, else the
    /// (possibly corrected) table and whether a constant was added.
    pub fn apply(&self, table: Table, any_zero_in_analysis: bool) -> Option<(Table, bool)> {
        if self.drop_double_zero && table.is_double_zero() {
            return None;
        }
        let add = match self.to {
            CcTo::Only0 => table.has_zero(),
            CcTo::All => true,
            CcTo::If0All => any_zero_in_analysis,
            CcTo::None => false,
        };
        if add && self.add != 0.0 {
            Some((table.plus(self.add), true))
        } else {
            Some((table, false))
        }
    }
}
