//! Spreadsheet-style exports (CSV and TSV) read row by row with exact physical line numbers: the layer the
//! generic CSV, Shopify, WooCommerce and Merchant TSV importers share.
//!
//! The `csv` crate does the quoting; this layer adds what diagnostics need. Rows are checked against the header's
//! width (a short row is usually a file cut off or a quote left open), and a field's own line and column are
//! worked out only when something is wrong with it, so the fast path builds no strings for messages.

use super::validate::Spot;
use csv::StringRecord;

/// A CSV or TSV text being read one row at a time.
pub struct Sheet<'t> {
    text: &'t str,
    delimiter: u8,
    reader: csv::Reader<&'t [u8]>,
    /// The header's cells, trimmed, as written.
    pub headers: Vec<String>,
    /// Line of the header row.
    pub header_line: usize,
    /// The current row.
    pub record: StringRecord,
    /// Physical line where the current row starts.
    pub line: usize,
    /// Byte offset where the current row starts.
    byte: usize,
}

/// Why a row cannot be read as a whole.
pub struct RowProblem {
    pub at: Spot,
    pub message: String,
}

impl<'t> Sheet<'t> {
    /// Opens the text and reads its header row; `None` when the text has no rows at all.
    pub fn open(text: &'t str, delimiter: u8) -> Option<Sheet<'t>> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut sheet = Sheet {
            text,
            delimiter,
            reader,
            headers: Vec::new(),
            header_line: 1,
            record: StringRecord::new(),
            line: 1,
            byte: 0,
        };
        loop {
            match sheet.advance_raw() {
                Ok(true) if sheet.is_blank() => continue,
                Ok(true) => break,
                Ok(false) | Err(_) => return None,
            }
        }
        sheet.header_line = sheet.line;
        sheet.headers = sheet
            .record
            .iter()
            .map(|h| h.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}').to_string())
            .collect();
        Some(sheet)
    }

    /// The index of the first column whose header matches `name` (ASCII case and surrounding spaces ignored).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Moves to the next row that has any content. `None` at the end; `Some(Err)` for a row whose width does not
    /// match the header (the row is skipped by the caller, the problem reported at its line).
    pub fn next_row(&mut self) -> Option<Result<(), RowProblem>> {
        loop {
            match self.advance_raw() {
                Ok(false) => return None,
                Ok(true) if self.is_blank() => continue,
                Ok(true) => return Some(self.check_width()),
                Err(message) => {
                    return Some(Err(RowProblem { at: Spot::line(self.line), message }));
                }
            }
        }
    }

    fn advance_raw(&mut self) -> Result<bool, String> {
        let more = self.reader.read_record(&mut self.record).map_err(|e| format!("this row cannot be read: {e}"))?;
        if !more {
            return Ok(false);
        }
        // The reader's position is where the previous row ended; step over the line ends and blank lines in
        // between so the line is the one the row really starts on.
        let (mut byte, mut line) = self.record.position().map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(byte) {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            byte += 1;
        }
        self.byte = byte;
        self.line = line;
        Ok(true)
    }

    fn is_blank(&self) -> bool {
        self.record.iter().all(|f| f.trim().is_empty())
    }

    fn check_width(&self) -> Result<(), RowProblem> {
        let have = self.record.len();
        let want = self.headers.len();
        if have == want {
            return Ok(());
        }
        let at = Spot::line(self.line);
        let message = if have < want {
            let last = self.headers.get(have.saturating_sub(1)).map_or("", String::as_str);
            let open_quote = self.record.iter().next_back().is_some_and(|f| f.contains('\n'));
            if open_quote {
                format!(
                    "this row has {have} of the header's {want} columns and its \"{last}\" value runs over several \
                     lines: a quote opened there is probably never closed; close it or remove the stray quote"
                )
            } else {
                format!(
                    "this row has {have} of the header's {want} columns (it stops after \"{last}\"); it looks cut \
                     short: restore the missing values or export the file again"
                )
            }
        } else {
            format!(
                "this row has {have} columns but the header has {want}; put quotes around values that contain a \
                 {}",
                if self.delimiter == b'\t' { "tab" } else { "comma" }
            )
        };
        Err(RowProblem { at, message })
    }

    /// The current row's value in `column`, trimmed; `None` when the column is absent or the cell is empty.
    pub fn get(&self, column: Option<usize>) -> Option<&str> {
        let value = self.record.get(column?)?.trim();
        (!value.is_empty()).then_some(value)
    }

    /// The header name of a column, for messages.
    pub fn name(&self, column: usize) -> &str {
        self.headers.get(column).map_or("", String::as_str)
    }

    /// Where the current row starts.
    pub fn row_spot(&self) -> Spot {
        Spot::line(self.line)
    }

    /// The physical line and character column where `column`'s cell of the current row starts. Worked out by
    /// re-scanning the row's text, so it is only called when there is something to report.
    pub fn spot(&self, column: Option<usize>) -> Spot {
        let Some(column) = column else {
            return self.row_spot();
        };
        let bytes = self.text.as_bytes();
        let mut line = self.line;
        let mut line_start = self.byte;
        let mut field = 0;
        let mut in_quotes = false;
        let mut i = self.byte;
        while field < column {
            let Some(&b) = bytes.get(i) else {
                return self.row_spot();
            };
            match (b, in_quotes) {
                (b'"', _) => in_quotes = !in_quotes,
                (b'\n', true) => {
                    line += 1;
                    line_start = i + 1;
                }
                (b'\n' | b'\r', false) => return self.row_spot(),
                _ if b == self.delimiter && !in_quotes => field += 1,
                _ => {}
            }
            i += 1;
        }
        let col = self.text.get(line_start..i).map_or(1, |s| s.chars().count() + 1);
        Spot { line, col }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_know_their_physical_lines_through_crlf_blank_lines_and_multi_line_values() {
        let text = "id,title,price\r\n\r\na,\"Tea\r\nset\",199\r\nb,Cup,5\r\n";
        let mut sheet = Sheet::open(text, b',').unwrap();
        assert_eq!(sheet.headers, ["id", "title", "price"]);
        assert!(sheet.next_row().unwrap().is_ok());
        assert_eq!((sheet.line, sheet.get(Some(1))), (3, Some("Tea\r\nset")));
        assert_eq!(sheet.spot(Some(2)), Spot { line: 4, col: 6 });
        assert!(sheet.next_row().unwrap().is_ok());
        assert_eq!((sheet.line, sheet.get(Some(0))), (5, Some("b")));
        assert_eq!(sheet.spot(Some(1)), Spot { line: 5, col: 3 });
        assert!(sheet.next_row().is_none());
    }

    #[test]
    fn a_short_row_is_reported_at_its_line() {
        let text = "id,title,price\nx,\"open quote,1\ny,Cup,5\n";
        let mut sheet = Sheet::open(text, b',').unwrap();
        let problem = match sheet.next_row() {
            Some(Err(p)) => p,
            _ => panic!("expected a short row"),
        };
        assert_eq!(problem.at, Spot::line(2));
        assert!(problem.message.contains("never closed"), "{}", problem.message);
        assert!(sheet.next_row().is_none());
    }
}
