//! The bulk-SMS file (`/kenh/sms.csv`) for the operators' systems: one row per article and
//! leaflet with its key, the text without diacritics, its length in GSM 7-bit characters and
//! the number of messages it is sent as. RFC 4180: a header row, CRLF line ends, text always
//! quoted (a `"` doubled), UTF-8 without byte-order mark.

use super::Item;
use super::sms::Sms;

/// The CSV of `items` and their SMS (in the same order).
pub fn bulk_sms(items: &[Item], sms: &[&Sms]) -> String {
    let mut out = String::from("key,text,length,segments\r\n");
    for (item, s) in items.iter().zip(sms) {
        out.push_str(&format!("{},{},{},{}\r\n", quote(item.key()), quote(&s.gsm), s.septets, s.segments));
    }
    out
}

/// A quoted field. A text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first)
/// is left as it is: operators' systems read the file as data, and the SMS must stay exact.
fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_issue_12() {
        assert_eq!(quote("a \"b\", c"), "\"a \"\"b\"\", c\"");
    }
}
