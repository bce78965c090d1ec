//! The records of a delimited file, as the `csv` crate's `Reader` returns them (flexible rows,
//! `"` quoting, `\n`, `\r` and `\r\n` line ends, blank lines skipped, a leading byte-order
//! mark dropped, fields checked to be UTF-8), with the same positions and error messages, but
//! several times faster on the lines a batch is made of.
//!
//! A line that is whole in the buffer, ends in `\n` and holds only ASCII without `"` or `\r`
//! is split at the delimiter directly. Every other record (the header, quoted fields, other
//! line ends, text that is not ASCII, a line across the end of the buffer) goes through
//! `csv_core`, the parser under the `csv` crate, exactly as that crate drives it. The direct
//! path is taken only where `csv_core` is between records, so the two agree; a test compares
//! records, positions and errors with the `csv` crate on random input. One difference: a read
//! of the input that is interrupted (`ErrorKind::Interrupted`) is tried again rather than
//! ending the file with an error.

use std::io::Read;

/// Bytes read from the input at a time.
const BUFFER: usize = 1 << 16;

/// One record: its fields, and where it starts (as the `csv` crate counts: the line and byte
/// after the previous record, and the records before it).
#[derive(Debug, Default, Clone)]
pub(crate) struct Record {
    text: String,
    bounds: Vec<(usize, usize)>,
    /// Line (from 1) where reading the record began.
    pub line: u64,
}

impl Record {
    /// Field `i`, if the record has that many.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.bounds.get(i).map(|&(a, b)| &self.text[a..b])
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.bounds.iter().map(|&(a, b)| &self.text[a..b])
    }
}

/// Why a record could not be read: the input failed, or a field is not UTF-8 (with the
/// message the `csv` crate gives, and the line of the record).
#[derive(Debug)]
pub(crate) enum RecordError {
    Io(std::io::Error),
    Utf8 { line: u64, message: String },
}

/// What a byte is to the direct path: part of a field, the delimiter, the end of the line,
/// or something only `core` reads (`"`, `\r`, a byte that is not ASCII).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    Delimiter,
    LineFeed,
    Other,
}

/// The class of every byte. A delimiter that is not ASCII, or is `"`, `\r` or `\n`, leaves
/// every line to `core`.
fn classes(delimiter: u8) -> [Class; 256] {
    let mut class = [Class::Other; 256];
    for b in 0..128u8 {
        class[b as usize] = match b {
            b'"' | b'\r' => Class::Other,
            b'\n' => Class::LineFeed,
            _ => Class::Plain,
        };
    }
    if delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\r' | b'\n') {
        class[delimiter as usize] = Class::Delimiter;
    } else {
        class[b'\n' as usize] = Class::Other;
    }
    class
}

/// Reads records from `R`.
pub(crate) struct Records<R> {
    input: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..len]`.
    pos: usize,
    len: usize,
    /// Set at the end of the input or after an error: every later read finds no record, as
    /// with the `csv` crate.
    done: bool,
    core: csv_core::Reader,
    /// Whether `core` is between records, so a line may be split directly.
    between: bool,
    /// What each byte is to the direct path.
    class: [Class; 256],
    /// Position after the last record: line (1 + the `\n` read), byte, records read.
    line: u64,
    byte: u64,
    records: u64,
    /// The slow path's output: field bytes and their ends.
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, delimiter: u8) -> Records<R> {
        Records {
            input,
            buf: vec![0; BUFFER],
            pos: 0,
            len: 0,
            done: false,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            class: classes(delimiter),
            // The first record goes through `core`, which drops a byte-order mark.
            between: false,
            line: 1,
            byte: 0,
            records: 0,
            out: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// Reads the next record into `rec`; `false` at the end of the input.
    pub fn read(&mut self, rec: &mut Record) -> Result<bool, RecordError> {
        // A record's position is where reading it began, before any blank lines.
        let start = (self.line, self.byte, self.records);
        rec.line = self.line;
        rec.text.clear();
        rec.bounds.clear();
        if self.done {
            return Ok(false);
        }
        if self.between && self.plain_line(rec) {
            self.records += 1;
            return Ok(true);
        }
        let read = self.through_core(rec, start);
        if !matches!(read, Ok(true)) {
            self.done = true;
            rec.text.clear();
            rec.bounds.clear();
        }
        read
    }

    /// The direct path: splits the next line into `rec` when it is plain (see the module
    /// documentation), skipping blank lines; `false` (nothing consumed but blank lines) when
    /// the next record needs `core`.
    fn plain_line(&mut self, rec: &mut Record) -> bool {
        loop {
            let rest = &self.buf[self.pos..self.len];
            rec.bounds.clear();
            let (mut start, mut end) = (0, None);
            for (i, &b) in rest.iter().enumerate() {
                match self.class[b as usize] {
                    Class::Plain => {}
                    Class::Delimiter => {
                        rec.bounds.push((start, i));
                        start = i + 1;
                    }
                    Class::LineFeed => {
                        end = Some(i);
                        break;
                    }
                    Class::Other => return false,
                }
            }
            let Some(n) = end else { return false };
            self.pos += n + 1;
            self.byte += n as u64 + 1;
            self.line += 1;
            if n == 0 {
                // A blank line, which `core` skips between records.
                continue;
            }
            rec.bounds.push((start, n));
            rec.text.clear();
            // ASCII is UTF-8.
            rec.text
                .push_str(std::str::from_utf8(&rest[..n]).unwrap_or_default());
            return true;
        }
    }

    /// Refills the buffer when it is empty (left empty at the end of the input, where `core`
    /// then ends the record; a later read asks the input again, as the `csv` crate does).
    /// Unlike the `csv` crate, a read that was interrupted is tried again.
    fn fill(&mut self) -> Result<(), RecordError> {
        if self.pos < self.len {
            return Ok(());
        }
        loop {
            match self.input.read(&mut self.buf) {
                Ok(n) => {
                    (self.pos, self.len) = (0, n);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(RecordError::Io(e)),
            }
        }
    }

    /// The general path: `core` reads the record, as `csv::Reader::read_record` has it read.
    fn through_core(
        &mut self,
        rec: &mut Record,
        start: (u64, u64, u64),
    ) -> Result<bool, RecordError> {
        use csv_core::ReadRecordResult as R;
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            self.fill()?;
            let input = &self.buf[self.pos..self.len];
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[outlen..], &mut self.ends[endlen..]);
            let used = &input[..nin];
            self.line += used.iter().filter(|&&b| b == b'\n').count() as u64;
            self.byte += nin as u64;
            let last = used.last().copied();
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                R::InputEmpty => {}
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::End => return Ok(false),
                R::Record => {
                    self.records += 1;
                    self.between = last == Some(b'\n');
                    return self.fields(rec, endlen, start).map(|()| true);
                }
            }
        }
    }

    /// Moves the slow path's fields into `rec`, checked as the `csv` crate checks them.
    fn fields(
        &self,
        rec: &mut Record,
        count: usize,
        (line, byte, records): (u64, u64, u64),
    ) -> Result<(), RecordError> {
        let ends = &self.ends[..count];
        let bytes = &self.out[..ends.last().copied().unwrap_or(0)];
        let utf8 = |field: usize, valid_up_to: usize| RecordError::Utf8 {
            line,
            message: format!(
                "CSV parse error: record {records} (line {line}, field: {field}, byte: \
                 {byte}): invalid utf-8: invalid UTF-8 in field {field} near byte index \
                 {valid_up_to}"
            ),
        };
        rec.text.clear();
        rec.bounds.clear();
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            if let Err(e) = std::str::from_utf8(&bytes[start..end]) {
                return Err(utf8(i, e.valid_up_to()));
            }
            rec.bounds.push((start, end));
            start = end;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => rec.text.push_str(text),
            Err(e) => return Err(utf8(0, e.valid_up_to())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `.1` bytes at a time (so that lines cross the end of
    /// the buffer, as they do when reading from a pipe).
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    type Read_ = Vec<Result<(Vec<String>, u64), (String, u64)>>;

    /// What the `csv` crate reads from `data` (`chunk` bytes at a time): each record's fields
    /// and line, or the error's message and line.
    fn by_csv(data: &[u8], delimiter: u8, chunk: usize) -> Read_ {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(Trickle(data, chunk));
        let mut out = Vec::new();
        let mut rec = csv::StringRecord::new();
        loop {
            match r.read_record(&mut rec) {
                Ok(false) => return out,
                Ok(true) => out.push(Ok((
                    rec.iter().map(str::to_string).collect(),
                    rec.position().map_or(0, |p| p.line()),
                ))),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    out.push(Err((e.to_string(), line)));
                    return out;
                }
            }
        }
    }

    /// The same from [`Records`].
    fn by_records(data: &[u8], delimiter: u8, chunk: usize) -> Read_ {
        let mut r = Records::new(Trickle(data, chunk), delimiter);
        let mut out = Vec::new();
        let mut rec = Record::default();
        loop {
            match r.read(&mut rec) {
                Ok(false) => return out,
                Ok(true) => out.push(Ok((rec.iter().map(str::to_string).collect(), rec.line))),
                Err(RecordError::Utf8 { line, message }) => {
                    out.push(Err((message, line)));
                    return out;
                }
                Err(RecordError::Io(e)) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn records_are_those_of_the_csv_crate() {
        let pieces: [&[u8]; 14] = [
            b"a",
            b"12",
            b"-0.5",
            b",",
            b";",
            b"\"",
            b"\"\"",
            b"\n",
            b"\r",
            b"\r\n",
            b" ",
            "\u{e9}".as_bytes(),
            b"\xff",
            "\u{feff}".as_bytes(),
        ];
        let mut state = 1u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for case in 0..8_000 {
            // Mostly plain lines, with rarer quotes, line ends and bytes that are not ASCII.
            let mut data = Vec::new();
            for _ in 0..next(60) {
                let p = if next(4) == 0 {
                    next(pieces.len())
                } else {
                    next(4)
                };
                data.extend_from_slice(pieces[p]);
                if next(5) == 0 {
                    data.push(b'\n');
                }
            }
            let delimiter = if case % 3 == 0 { b';' } else { b',' };
            for chunk in [1, 3, 7, 1 << 20] {
                let want = by_csv(&data, delimiter, chunk);
                let got = by_records(&data, delimiter, chunk);
                assert_eq!(
                    got,
                    want,
                    "{:?} read {chunk} bytes at a time",
                    String::from_utf8_lossy(&data)
                );
            }
        }
    }

    /// A reader that gives its pieces one per read (an empty piece reads as the end).
    struct Pieces(Vec<&'static [u8]>);
    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let p = self.0.remove(0);
            if p == b"!" {
                return Err(std::io::Error::other("broken"));
            }
            buf[..p.len()].copy_from_slice(p);
            Ok(p.len())
        }
    }

    fn all(mut r: Records<Pieces>) -> Vec<Result<Vec<String>, String>> {
        let mut rec = Record::default();
        let mut out = Vec::new();
        for _ in 0..10 {
            match r.read(&mut rec) {
                Ok(true) => out.push(Ok(rec.iter().map(str::to_string).collect())),
                Ok(false) => return out,
                Err(RecordError::Io(e)) => out.push(Err(e.to_string())),
                Err(RecordError::Utf8 { message, .. }) => out.push(Err(message)),
            }
            if out.last().is_some_and(Result::is_err) {
                // Nothing after an error, and the record is left empty.
                assert!(!r.read(&mut rec).unwrap());
                assert_eq!(rec.len(), 0);
            }
        }
        out
    }

    #[test]
    fn input_after_an_empty_read_is_read_as_the_csv_crate_reads_it() {
        let pieces = vec![&b"h\na"[..], b"", b"b\nc\n"];
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(Pieces(pieces.clone()));
        let want: Vec<Result<Vec<String>, String>> = r
            .records()
            .map(|x| Ok(x.unwrap().iter().map(str::to_string).collect()))
            .collect();
        assert_eq!(all(Records::new(Pieces(pieces), b',')), want);
    }

    #[test]
    fn nothing_is_read_after_an_error() {
        let got = all(Records::new(Pieces(vec![b"h\nabc,", b"!", b"de\n"]), b','));
        assert_eq!(
            got,
            vec![Ok(vec!["h".to_string()]), Err("broken".to_string())]
        );
        let got = all(Records::new(Pieces(vec![b"h\nab,\xff\nc\n"]), b','));
        assert_eq!(got.len(), 2);
        assert!(got[1].as_ref().is_err_and(|m| m.contains("invalid utf-8")));
    }

    #[test]
    fn a_batch_is_read_on_the_direct_path() {
        let mut data = b"analysis,study,x\n".to_vec();
        for i in 0..1000 {
            data.extend_from_slice(format!("a{i},s,{i}\n").as_bytes());
        }
        let mut r = Records::new(&data[..], b',');
        let mut rec = Record::default();
        assert!(r.read(&mut rec).unwrap());
        assert!(r.between, "the header ends in a line feed");
        let mut n = 0;
        while r.read(&mut rec).unwrap() {
            n += 1;
            assert!(r.between);
            assert_eq!(rec.line, n + 1);
        }
        assert_eq!(n, 1000);
    }
}
