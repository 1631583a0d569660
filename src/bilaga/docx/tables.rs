//! Tables: rows of cells, each cell's paragraphs and lists walked like the body. Merged
//! cells are flattened: a spanned cell is followed by empty ones so the columns stay aligned.

use super::Error;
use super::body::Walker;
use super::xml::Element;
use crate::markdown::Extra;

/// Wider tables cannot be read on a page (and padding their rows could blow up).
const MAX_COLUMNS: usize = 64;

fn cells_of(tr: &Element) -> Vec<&Element> {
    tr.elements().filter(|e| e.name == "w:tc").collect()
}

impl Walker<'_, '_> {
    pub(super) fn table(&mut self, tbl: &Element) -> Result<(), Error> {
        self.close_lists(0);
        let rows: Vec<&Element> = tbl.elements().filter(|e| e.name == "w:tr").collect();
        let span = |tc: &Element| {
            tc.child("w:tcPr")
                .and_then(|p| p.child_val("w:gridSpan"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64)
        };
        let columns = rows
            .iter()
            .map(|tr| cells_of(tr).iter().map(|tc| span(tc)).sum::<usize>())
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return Ok(());
        }
        if columns > MAX_COLUMNS {
            return Err(Error::new(format!(
                "paragraph {}: a table with {columns} columns is more than {MAX_COLUMNS}, which no page can show",
                self.state.paragraph
            )));
        }
        self.driver.extra(Extra::TableStart { columns });
        let saved = std::mem::take(&mut self.state.lists);
        for tr in rows {
            let mut used = 0;
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
