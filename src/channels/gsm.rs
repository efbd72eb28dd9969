//! SMS lengths as the operators count them. A message in the GSM 7-bit alphabet (3GPP TS 23.038)
//! holds 160 characters, or 153 per part when it is split; a message with any other character
//! (Vietnamese with diacritics) is sent in UCS-2: 70 characters, or 67 per part. Operators send
//! Vietnamese warnings without diacritics (đ → d) to stay in one 7-bit message: [`to_gsm`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters of one GSM 7-bit message.
pub const GSM_SINGLE: usize = 160;
/// Characters of each part of a split GSM 7-bit message (7 go to the concatenation header).
pub const GSM_PART: usize = 153;
/// Characters of one UCS-2 message.
pub const UCS2_SINGLE: usize = 70;
/// Characters of each part of a split UCS-2 message.
pub const UCS2_PART: usize = 67;

/// The GSM 7-bit default alphabet (one septet each). Line feed and carriage return included.
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡\
ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: each costs two septets (an escape, then the character).
const EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// Septets of each ASCII character (0: none), from [`BASIC`] and [`EXTENSION`]: most of a
/// message is ASCII, looked up here instead of searched for in the alphabet (issue 10).
const ASCII_SEPTETS: [u8; 128] = {
    let mut table = [0u8; 128];
    let (basic, extension) = (BASIC.as_bytes(), EXTENSION.as_bytes());
    let mut i = 0;
    while i < extension.len() {
        if extension[i] < 128 {
            table[extension[i] as usize] = 2;
        }
        i += 1;
    }
    // The basic alphabet wins where a character would be in both.
    i = 0;
    while i < basic.len() {
        if basic[i] < 128 {
            table[basic[i] as usize] = 1;
        }
        i += 1;
    }
    table
};

/// Septets a character takes in a GSM 7-bit message, or None when it has none.
fn septets_of(c: char) -> Option<usize> {
    if c.is_ascii() {
        return match ASCII_SEPTETS[c as usize] {
            0 => None,
            n => Some(usize::from(n)),
        };
    }
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether every character of `text` is in the GSM 7-bit alphabet (basic or extension).
pub fn is_gsm(text: &str) -> bool {
    text.chars().all(|c| septets_of(c).is_some())
}

/// Length of `text` in a GSM 7-bit message: septets, an extension character counting two.
/// A character outside the alphabet counts one (see [`is_gsm`]).
pub fn septets(text: &str) -> usize {
    text.chars().map(|c| septets_of(c).unwrap_or(1)).sum()
}

/// Messages a GSM 7-bit text of `septets` is sent as (0 for an empty text).
pub fn gsm_segments(septets: usize) -> usize {
    segments(septets, GSM_SINGLE, GSM_PART)
}

/// Length of `text` in a UCS-2 message: UTF-16 code units (an emoji counts two).
pub fn ucs2_units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Messages a UCS-2 text of `units` is sent as (0 for an empty text).
pub fn ucs2_segments(units: usize) -> usize {
    segments(units, UCS2_SINGLE, UCS2_PART)
}

fn segments(length: usize, single: usize, part: usize) -> usize {
    match length {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    }
}

/// `text` as operators send Vietnamese: diacritics removed (`Lừa đảo` → `Lua dao`, case kept),
/// typographic quotes and dashes made plain, anything else outside the GSM 7-bit alphabet
/// transliterated or left out (emoji), runs of spaces made one.
pub fn to_gsm(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let plain: &str = match c {
            'đ' => "d",
            'Đ' => "D",
            '‘' | '’' | '‚' | '′' | '`' => "'",
            '“' | '”' | '„' | '″' | '«' | '»' => "\"",
            '–' | '—' | '‒' | '−' | '•' | '·' => "-",
            '…' => "...",
            '\t' | '\u{a0}' | '\u{202f}' | '\u{2009}' => " ",
            '₫' => "d",
            c if septets_of(c).is_some() => {
                out.push(c);
                continue;
            }
            // Letters and digits of other scripts are transliterated; symbols and emoji left out.
            c if c.is_alphanumeric() => deunicode::deunicode_char(c).unwrap_or(""),
            c if c.is_whitespace() => " ",
            _ => "",
        };
        out.extend(plain.chars().filter(|c| septets_of(*c).is_some()));
    }
    collapse_spaces(&out)
}

/// Runs of spaces as one, no space at either end (line breaks are kept).
pub fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&line.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_table_agrees_with_the_alphabet() {
        for c in (0..128u8).map(char::from) {
            let searched = if BASIC.contains(c) {
                Some(1)
            } else if EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            };
            assert_eq!(septets_of(c), searched, "{c:?}");
        }
        assert_eq!(
            (septets_of('A'), septets_of('€'), septets_of('['), septets_of('ư')),
            (Some(1), Some(2), Some(2), None)
        );
    }

    #[test]
    fn vietnamese_is_sent_without_diacritics_issue_12() {
        assert_eq!(to_gsm("Lừa ĐẢO qua điện thoại"), "Lua DAO qua dien thoai");
        assert_eq!(to_gsm("“Chứng minh trong sạch” – gọi 113…"), "\"Chung minh trong sach\" - goi 113...");
        assert_eq!(to_gsm("Cảnh báo ⚠️  khẩn"), "Canh bao khan");
        assert_eq!(to_gsm("500.000₫"), "500.000d");
        assert!(is_gsm(&to_gsm("Ứng dụng giả mạo, tiền ảo, “việc nhẹ lương cao” ½ €")));
        assert!(!is_gsm("Lừa đảo"));
        assert!(is_gsm("Lua dao {x} €"));
    }

    proptest::proptest! {
        /// Whatever is written, what is sent is GSM 7-bit.
        #[test]
        fn what_is_sent_is_always_gsm_issue_12(text in "\\PC{0,80}") {
            proptest::prop_assert!(is_gsm(&to_gsm(&text)), "{text:?}");
        }
    }

    #[test]
    fn septets_count_extension_characters_twice_issue_12() {
        assert_eq!(septets("abc"), 3);
        assert_eq!(septets("a€b"), 4);
        assert_eq!(septets("[x]"), 5);
        assert_eq!(septets(""), 0);
    }

    #[test]
    fn segments_issue_12() {
        assert_eq!(gsm_segments(0), 0);
        assert_eq!(gsm_segments(1), 1);
        assert_eq!(gsm_segments(160), 1);
        assert_eq!(gsm_segments(161), 2);
        assert_eq!(gsm_segments(306), 2);
        assert_eq!(gsm_segments(307), 3);
        assert_eq!(ucs2_segments(70), 1);
        assert_eq!(ucs2_segments(71), 2);
        assert_eq!(ucs2_segments(134), 2);
        assert_eq!(ucs2_segments(135), 3);
        // Accented Vietnamese is UCS-2: one code unit a letter (NFC), two for an emoji.
        assert_eq!(ucs2_units("Lừa đảo"), 7);
        assert_eq!(ucs2_units("⚠️"), 2);
        assert_eq!(ucs2_units("😀"), 2);
    }
}
