//! Tables: rows of cells, each cell's paragraphs and lists walked like the body. Merged
//! cells are flattened: a spanned cell is followed by empty ones so the columns stay aligned.
//! Rows and cells inside content controls (`w:sdt`) or custom XML are the table's own;
//! deleted rows (`w:trPr/w:del`) and cells (`w:tcPr/w:cellDel`) are not shown, as Word
//! shows the accepted state; the header rows Word repeats (`w:tblHeader`, from the top) are
//! the table's header: repeated on every page and tagged as header cells (issue 12 kind 4).
//! A row that starts or ends short of the grid (`w:gridBefore`, `w:gridAfter`) gets empty
//! cells there, so its cells stand under the columns Word shows them under.

use super::Error;
use super::body::Walker;
use super::xml::Element;
use crate::markdown::Extra;

use crate::bilaga::limits::TABLE_COLUMNS;

/// The children called `name` (`w:tr` of a table, `w:tc` of a row), also those wrapped in a
/// content control, custom XML or a tracked insertion, in document order.
fn wrapped<'e>(parent: &'e Element, name: &str, out: &mut Vec<&'e Element>) {
    for e in parent.elements() {
        match e.name.as_str() {
            n if n == name => out.push(e),
            "w:sdt" => {
                if let Some(c) = e.child("w:sdtContent") {
                    wrapped(c, name, out);
                }
            }
            "w:customXml" | "w:ins" | "w:sdtContent" => wrapped(e, name, out),
            _ => {}
        }
    }
}

fn cells_of(tr: &Element) -> Vec<&Element> {
    let mut cells = Vec::new();
    wrapped(tr, "w:tc", &mut cells);
    cells.retain(|tc| {
        tc.child("w:tcPr")
            .is_none_or(|p| p.child("w:cellDel").is_none())
    });
    cells
}

fn rows_of(tbl: &Element) -> Vec<&Element> {
    let mut rows = Vec::new();
    wrapped(tbl, "w:tr", &mut rows);
    rows.retain(|tr| {
        tr.child("w:trPr")
            .is_none_or(|p| p.child("w:del").is_none())
    });
    rows
}

/// Grid columns row `tr` leaves empty before its first cell (`w:gridBefore`) or after its
/// last (`w:gridAfter`).
fn grid_skip(tr: &Element, name: &str) -> usize {
    tr.child("w:trPr")
        .and_then(|p| p.child_val(name))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(64)
}

/// Whether row `tr` is marked to repeat as a header row.
fn is_header(tr: &Element) -> bool {
    tr.child("w:trPr")
        .is_some_and(|p| super::runs::toggle(p, "w:tblHeader"))
}

impl Walker<'_, '_> {
    pub(super) fn table(&mut self, tbl: &Element) -> Result<(), Error> {
        self.close_lists(0);
        let rows = rows_of(tbl);
        let span = |tc: &Element| {
            tc.child("w:tcPr")
                .and_then(|p| p.child_val("w:gridSpan"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64)
        };
        let columns = rows
            .iter()
            .map(|tr| {
                grid_skip(tr, "w:gridBefore")
                    + cells_of(tr).iter().map(|tc| span(tc)).sum::<usize>()
                    + grid_skip(tr, "w:gridAfter")
            })
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return Ok(());
        }
        if TABLE_COLUMNS.over(columns as u64) {
            return Err(Error::new(format!(
                "paragraph {}: a table with {columns} columns has {}, which no page can show",
                self.state.paragraph,
                TABLE_COLUMNS.exceeded()
            )));
        }
        self.driver.extra(Extra::TableStart {
            columns,
            align: Vec::new(),
        });
        let saved = std::mem::take(&mut self.state.lists);
        // Only the rows at the top repeat (Word ignores the mark further down).
        let headers = rows.iter().take_while(|tr| is_header(tr)).count();
        if headers > 0 && headers < rows.len() {
            self.driver.extra(Extra::TableHeaderStart);
        }
        for (i, tr) in rows.into_iter().enumerate() {
            if i == headers && i > 0 {
                self.driver.extra(Extra::TableHeaderEnd);
            }
            let before = grid_skip(tr, "w:gridBefore");
            for _ in 0..before {
                self.driver.extra(Extra::CellStart);
                self.driver.extra(Extra::CellEnd);
            }
            let mut used = before;
            for tc in cells_of(tr) {
                self.driver.extra(Extra::CellStart);
                self.blocks(tc)?;
                self.close_lists(0);
                self.driver.extra(Extra::CellEnd);
                // A merged cell is flattened: its extra columns stay empty.
                let s = span(tc);
                for _ in 1..s {
                    self.driver.extra(Extra::CellStart);
                    self.driver.extra(Extra::CellEnd);
                }
                used += s;
            }
            for _ in used..columns {
                self.driver.extra(Extra::CellStart);
                self.driver.extra(Extra::CellEnd);
            }
        }
        self.state.lists = saved;
        self.driver.extra(Extra::TableEnd);
        Ok(())
    }
}
