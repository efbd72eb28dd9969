//! Vietnamese text handling shared by the whole generator.
//!
//! Campaign content is written by volunteers on many machines: Windows
//! Vietnamese keyboards (Unikey, VNI) often emit decomposed (NFD) text, editors
//! add BOMs and CRLF line endings, and some files are not UTF-8 at all. Every
//! source file goes through [`decode_source`] so that the rest of the code only
//! ever sees clean NFC text with `\n` line endings. This module also holds the
//! language-specific helpers that must agree everywhere: URL slugs, search
//! folding, long dates, Vietnamese alphabetical order and reading time.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Decoding error of a source file: where the first invalid UTF-8 byte is (1-based line/column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not valid UTF-8 (line {}, column {}); save the file as UTF-8", self.line, self.column)
    }
}

impl std::error::Error for DecodeError {}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes of a source file -> text: must be UTF-8; strips one leading BOM; CRLF and lone CR -> LF;
/// NFC-normalised (Windows Vietnamese keyboards produce NFD). Only one `String` is allocated when
/// the text is already NFC with `\n` line endings.
pub fn decode_source(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        // The prefix up to `valid_up_to` is valid UTF-8 by definition.
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        locate(valid)
    })?;
    Ok(nfc(&normalise_newlines(text)))
}

/// CRLF and lone CR -> LF, borrowing when there is no CR at all.
fn normalise_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') { Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")) } else { Cow::Borrowed(text) }
}

/// Position just after `valid`, counting lines like [`decode_source`] does and columns in chars.
fn locate(valid: &str) -> DecodeError {
    let valid = normalise_newlines(valid);
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    DecodeError { line: valid.matches('\n').count() + 1, column: valid[line_start..].chars().count() + 1 }
}

/// `char::is_alphanumeric`, answered at once for ASCII and the Latin letters Vietnamese is
/// written with (issue 10: the Unicode table lookup for every other character of a Vietnamese
/// text was a tenth of the search index's time and of the autolinker's). U+00C0..U+024F are
/// letters but for `×` and `÷`, U+1E00..U+1EFF all letters.
pub fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => c != '×' && c != '÷',
        0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// NFC normalisation (fast path when already NFC).
///
/// The quick check only looks at characters from U+0300 on: everything below is NFC-stable
/// with combining class 0. Leaving those out can only make the check more cautious (two marks
/// of different letters side by side), never let a non-NFC text through; it makes the check of
/// a typical Vietnamese article three times cheaper.
pub fn nfc(s: &str) -> String {
    match is_nfc_quick(s.chars().filter(|c| *c >= '\u{300}')) {
        IsNormalized::Yes => s.to_owned(),
        IsNormalized::No | IsNormalized::Maybe => s.nfc().collect(),
    }
}

/// URL slug: NFC, lower case, "đ"/"Đ" -> "d", other letters transliterated with deunicode,
/// every run of non [a-z0-9] chars -> one "-", no leading/trailing "-".
/// May return "" (the caller decides what to do then).
pub fn slugify(s: &str) -> String {
    let mut slug = String::with_capacity(s.len());
    let mut pending_dash = false;
    let mut push = |c: char, slug: &mut String| {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else {
            pending_dash = true;
        }
    };
    for c in nfc(s).chars() {
        match c {
            'đ' | 'Đ' => push('d', &mut slug),
            c if c.is_ascii() => push(c, &mut slug),
            // Only letters and digits are transliterated: emoji and symbols separate words.
            c if c.is_alphanumeric() => {
                for t in deunicode::deunicode_char(c).unwrap_or("-").chars() {
                    push(t, &mut slug);
                }
            }
            _ => push('-', &mut slug),
        }
    }
    slug
}

/// Folding for search matching: NFD, remove combining marks, "đ"/"Đ" -> "d", lower case.
/// "Lừa ĐẢO" -> "lua dao". Spaces and punctuation are kept as they are.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .filter(|&c| !is_combining_mark(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Vietnamese long date: "ngày 08 tháng 5 năm 2024" (day always two digits, month without zero).
pub fn date_vi(date: jiff::civil::Date) -> String {
    format!("ngày {:02} tháng {} năm {}", date.day(), date.month(), date.year())
}

/// Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
/// tones are secondary: letters first, then tones), backed by icu_collator with the `vi` locale.
pub struct ViCollator {
    collator: CollatorBorrowed<'static>,
}

impl std::fmt::Debug for ViCollator {
    // The derived form would print the whole collation tables.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViCollator").finish_non_exhaustive()
    }
}

impl ViCollator {
    /// Builds the collator from the data compiled into the binary.
    pub fn new() -> Self {
        let options = CollatorOptions::default();
        // `Locale` is not named here (icu_locale_core is not a direct dependency):
        // `from_locale_strict(&Locale)` pins the type `parse` produces.
        let vi = match "vi".parse() {
            // Err only reports unknown -u- keywords; the preferences are usable either way.
            Ok(locale) => CollatorPreferences::from_locale_strict(&locale).unwrap_or_else(|p| p),
            Err(_) => CollatorPreferences::default(),
        };
        let collator = Collator::try_new(vi, options)
            .or_else(|_| Collator::try_new(CollatorPreferences::default(), options))
            .expect("root collation data is compiled into icu_collator");
        ViCollator { collator }
    }

    /// Compares two strings in Vietnamese order (canonically equivalent strings are equal).
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }
}

impl Default for ViCollator {
    fn default() -> Self {
        Self::new()
    }
}

static VI_COLLATOR: LazyLock<ViCollator> = LazyLock::new(ViCollator::new);

/// Sorts in place by a string key, Vietnamese order, ties broken by plain byte order of the key (deterministic).
pub fn sort_vi<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    let collator = &*VI_COLLATOR;
    items.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        collator.compare(a, b).then_with(|| a.cmp(b))
    });
}

/// The words of `s` (split at any Unicode white space) joined by single spaces: one line, no
/// space at either end.
pub fn one_line(s: &str) -> String {
    if is_one_line(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `s` is already what [`one_line`] makes of it: no white space but single spaces
/// between words (issue 10: most texts are, and reading their bytes is quicker than splitting).
/// Every non-ASCII white space character starts with one of the bytes 0xC2, 0xE1, 0xE2, 0xE3
/// (lead bytes, so at a character boundary): only those characters are decoded.
fn is_one_line(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if after_space => return false,
            b' ' => {
                after_space = true;
                continue;
            }
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3 if s[i..].chars().next().is_some_and(char::is_whitespace) => return false,
            _ => {}
        }
        after_space = false;
    }
    true
}

/// Reading time in minutes of whitespace-separated words at 200 words a minute, at least 1.
pub fn reading_minutes(text: &str) -> usize {
    text.split_whitespace().count().div_ceil(200).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_joins_the_words_with_single_spaces() {
        for s in ["", "  ", "a", " Lừa  đảo\n\tqua\u{a0}mạng \r\n", "x\u{2003}y  z "] {
            assert_eq!(one_line(s), s.split_whitespace().collect::<Vec<_>>().join(" "), "{s:?}");
        }
        assert_eq!(one_line(" Lừa  đảo\n\tqua mạng "), "Lừa đảo qua mạng");
    }

    /// The quick answer for text already on one line is the answer of splitting it: every white
    /// space character of Unicode, alone or doubled, at the start, the middle and the end.
    #[test]
    fn text_already_on_one_line_is_recognised_exactly_issue_10() {
        let spaces = (0..=0x3000u32).filter_map(char::from_u32).filter(|c| c.is_whitespace());
        let others = ['a', 'đ', 'ừ', '“', '—', '\u{1e00}', '\u{1680}', '\u{2000}', '\u{3001}', '\u{a1}', '\u{85}'];
        let mut n = 0;
        for space in spaces.chain(others) {
            for form in ["{}x y", "x{}y", "x {}y", "x{} y", "x{}{}y", "x y{}", "{}", "Lừa đảo{}qua mạng"] {
                let s = form.replace("{}", &space.to_string());
                let split = s.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(one_line(&s), split, "{s:?}");
                assert_eq!(is_one_line(&s), s == split, "{s:?}");
                n += 1;
            }
        }
        assert!(n > 200, "{n} texts");
    }

    const NFD: &str = "Lu\u{031b}\u{0300}a đa\u{0309}o";
    const NFC: &str = "Lừa đảo";

    /// The fast answer for Vietnamese letters is `char::is_alphanumeric`'s, for every character
    /// up to U+2FFF (Latin, Greek, Cyrillic, punctuation, combining marks...).
    #[test]
    fn alphanumerics_are_those_of_the_standard_library() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn decode_strips_bom_and_normalises_newlines() {
        assert_eq!(decode_source(b"\xEF\xBB\xBFxin ch\xC3\xA0o").unwrap(), "xin chào");
        // Only one BOM is stripped.
        assert_eq!(decode_source(b"\xEF\xBB\xBF\xEF\xBB\xBFa").unwrap(), "\u{feff}a");
        assert_eq!(decode_source(b"a\r\nb\rc\n\r\nd").unwrap(), "a\nb\nc\n\nd");
        assert_eq!(decode_source(b"").unwrap(), "");
    }

    #[test]
    fn decode_normalises_nfd_to_nfc() {
        assert_ne!(NFD, NFC);
        assert_eq!(decode_source(NFD.as_bytes()).unwrap(), NFC);
        assert_eq!(nfc(NFD), NFC);
        assert_eq!(nfc(NFC), NFC);
        let crlf = format!("{NFD}\r\n");
        assert_eq!(decode_source(crlf.as_bytes()).unwrap(), format!("{NFC}\n"));
        assert_eq!(slugify(NFD), slugify(NFC));
        assert_eq!(slugify(NFD), "lua-dao");
    }

    #[test]
    fn decode_reports_first_invalid_byte() {
        let err = decode_source(b"ok\nd\xC3\xB2ng 2\n\xC4\x91\xE1\xBA\xA3o \xFF!").unwrap_err();
        assert_eq!(err, DecodeError { line: 3, column: 5 });
        assert_eq!(err.to_string(), "not valid UTF-8 (line 3, column 5); save the file as UTF-8");
        // Windows-1258 "à" (0xE0) on the first line, after a BOM and CRLF counted as one break.
        let err = decode_source(b"\xEF\xBB\xBFabc\r\nx\r\xE0").unwrap_err();
        assert_eq!(err, DecodeError { line: 3, column: 1 });
        // Truncated multi-byte sequence at the end.
        let err = decode_source(b"\xE1\xBA").unwrap_err();
        assert_eq!(err, DecodeError { line: 1, column: 1 });
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Lừa đảo qua mạng"), "lua-dao-qua-mang");
        assert_eq!(slugify("ĐƯỜNG DÂY NÓNG 113"), "duong-day-nong-113");
        assert_eq!(slugify("  Cảnh báo!!! -- Giả danh công an?  "), "canh-bao-gia-danh-cong-an");
        assert_eq!(slugify("🚨 Cảnh báo 🚨 khẩn"), "canh-bao-khan");
        assert_eq!(slugify("SMS/Zalo: \"trúng thưởng\" 100%"), "sms-zalo-trung-thuong-100");
        assert_eq!(slugify("Ngân hàng & ví điện tử"), "ngan-hang-vi-dien-tu");
        assert_eq!(slugify("Straße Æsir"), "strasse-aesir");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("!!! 🚨 ---"), "");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Lừa ĐẢO"), "lua dao");
        assert_eq!(fold("Đường"), "duong");
        assert_eq!(fold("dương"), "duong");
        assert_eq!(fold(NFD), "lua dao");
        assert_eq!(fold("Ơi, Ư-Ớ! (Ấy)"), "oi, u-o! (ay)");
    }

    #[test]
    fn vietnamese_dates() {
        use jiff::civil::date;
        assert_eq!(date_vi(date(2024, 5, 8)), "ngày 08 tháng 5 năm 2024");
        assert_eq!(date_vi(date(2023, 12, 25)), "ngày 25 tháng 12 năm 2023");
    }

    #[test]
    fn vietnamese_alphabet_order() {
        let mut letters = ["đ", "d", "e", "a", "â", "ă", "b", "ê", "o", "ơ", "ô", "u", "ư"];
        sort_vi(&mut letters, |s| s);
        assert_eq!(letters, ["a", "ă", "â", "b", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]);
        let c = ViCollator::new();
        assert_eq!(c.compare("Đối tượng", "Doanh nghiệp"), Ordering::Greater);
        assert_eq!(c.compare("Học sinh", "Ích"), Ordering::Less);
        assert_eq!(c.compare("Đà Nẵng", "Dzung"), Ordering::Greater);
        // ă, â, ê, ô, ơ, ư are letters of their own (in root collation they are a, e, o, u + accent).
        assert_eq!(c.compare("ăb", "ac"), Ordering::Greater);
        assert_eq!(c.compare("ưa", "ub"), Ordering::Greater);
        // Canonically equivalent spellings are equal; sort_vi then breaks the tie by bytes.
        assert_eq!(c.compare(NFD, NFC), Ordering::Equal);
        let mut tied = [NFD, NFC];
        sort_vi(&mut tied, |s| s);
        assert_eq!(tied, [NFD, NFC]);
    }

    #[test]
    fn tones_are_secondary() {
        let c = ViCollator::default();
        // CLDR `vi` order: no tone, huyền, hỏi, ngã, sắc, nặng.
        let tones = ["ma", "mà", "mả", "mã", "má", "mạ"];
        for pair in tones.windows(2) {
            assert_eq!(c.compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
        let mut shuffled = ["mạ", "mb", "má", "ma", "mã", "mà", "mả", "m"];
        sort_vi(&mut shuffled, |s| s);
        assert_eq!(shuffled, ["m", "ma", "mà", "mả", "mã", "má", "mạ", "mb"]);
        // The letter difference dominates the tone difference.
        assert_eq!(c.compare("mà", "mb"), Ordering::Less);
        assert_eq!(c.compare("mạ", "mă"), Ordering::Less);
        assert_eq!(c.compare("mạnh", "manh"), Ordering::Greater);
    }

    #[test]
    fn reading_time() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes("một hai ba"), 1);
        assert_eq!(reading_minutes(&"từ ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"từ\n\t".repeat(201)), 2);
        assert_eq!(reading_minutes(&"từ ".repeat(1000)), 5);
    }

    #[test]
    fn collator_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ViCollator>();
        assert_eq!(format!("{:?}", ViCollator::new()), "ViCollator { .. }");
    }
}
