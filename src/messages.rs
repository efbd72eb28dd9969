//! Every message the library gives an editor, as data: a kind and its arguments, rendered in
//! English or Vietnamese here and only here.
//!
//! Code that finds a problem builds a [`Message`] (and, for a `help:` line, another one) and
//! puts it in a [`crate::Diagnostic`]; the text is made when the diagnostic is printed, in the
//! editor's language ([`Message::text`]). Nothing ever parses a message back: a caller that needs
//! to know what a problem is matches on the variant.
//!
//! Text from a parser we do not own (serde-saphyr's YAML errors, Tera's template errors) is
//! carried as an argument of one of our variants ([`Message::Yaml`], [`Message::Template`]).
//!
//! # Escaping and caps
//!
//! Arguments are passed as they were found (a URL as written, a parser's text as it is):
//! [`Message::text`], and nothing else, makes them fit to show. Control characters are shown
//! escaped (`\u{1b}`, `\t`), never sent to the terminal; a line break is kept (a template
//! error has one per cause) except in a quoted URL. The caps, by kind of argument:
//!
//! | Arguments | Line breaks | Cap |
//! |---|---|---|
//! | URLs and markup quoted from a file: `BadScheme.url`, `ScamLink.url`, `RawHtml.html`, `BadScamDomain.value`, `HeadingAttribute.name`, `BadOfficialSite.value` | escaped | [`MAX_QUOTE_CHARS`], cut at the end with `…` |
//! | a parser's text: `Yaml.detail`, `YamlBudget.limit`, `Template.detail`, `UnknownField.field`, `UnknownChoice.value`, `DuplicateKey.key` | kept | [`MAX_FOREIGN_CHARS`], cut at the end with `…` |
//! | URLs and markup quoted from a file: `BadScheme.url`, `ScamLink.url`, `RawHtml.html`, `BadScamDomain.value`, `HeadingAttribute.name` | escaped | [`MAX_QUOTE_CHARS`], cut at the end with `…` |
//! | a parser's text: `Yaml.detail`, `YamlBudget.limit`, `Template.detail`, `UnknownField.field`, `UnknownChoice.value`, `DuplicateKey.key`, `ImportBadXml.detail`, `ImportBadToml.detail`, `ImportFetchFailed.error` | kept | [`MAX_FOREIGN_CHARS`], cut at the end with `…` |
//! | every other argument (a value echoed from a file) | kept | none of its own |
//! | the whole message | | [`MAX_MESSAGE_CHARS`], cut in the middle with ` … ` |
//!
//! A new variant whose argument is a URL or a parser's text adds its arm to
//! `Message::with_capped_arguments`. Text that is not a message (an error of the system) is
//! made safe by [`escaped`] where it is printed ([`crate::report`]).
//!
//! # Adding a message
//!
//! 1. Add a variant with named arguments (`String`, `usize`, `Vec<String>`, or a small enum of
//!    this module such as [`Vocabulary`]); its doc comment says where it is raised.
//! 2. Add its arm to [`Message::text`]: the English sentence and the Vietnamese one side by side,
//!    arguments (paths, keys, values) kept as they are in both.
//! 3. Build it where the problem is found: `Diagnostic::new(path, Message::MyProblem { .. })`,
//!    `.at(line, column)` when the position is known, `.help(Message::MyHelp { .. })`.
//!
//! The unit test `every_message_has_both_languages` walks over every variant, so a variant
//! whose Vietnamese text is missing or left in English fails it.

use std::fmt;
use std::sync::Arc;

use crate::i18n::Lang;
use crate::output::Refusal;
use crate::sanitize;

/// Most characters of a URL or markup quoted in a message (`javascript:…`, raw HTML): enough
/// to recognise it, not a wall of `data:` payload.
pub const MAX_QUOTE_CHARS: usize = 80;

/// Most characters of a foreign message (YAML, templates) shown: a huge or garbled input must
/// not print a screenful.
pub const MAX_FOREIGN_CHARS: usize = 300;

/// Most characters of any message: a value echoed from a file (a 10 MB `slug:`) is cut in the
/// middle beyond this.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// A vocabulary of `site.yaml` that articles refer to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vocabulary {
    #[default]
    Scams,
    Audiences,
}

impl Vocabulary {
    /// The key of the list in site.yaml: `scams`, `audiences`.
    pub fn key(self) -> &'static str {
        match self {
            Vocabulary::Scams => "scams",
            Vocabulary::Audiences => "audiences",
        }
    }

    fn one(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Vocabulary::Scams, Lang::En) => "scam type",
            (Vocabulary::Audiences, Lang::En) => "audience",
            (Vocabulary::Scams, Lang::Vi) => "thủ đoạn",
            (Vocabulary::Audiences, Lang::Vi) => "đối tượng",
        }
    }
}

/// Which picture of a page a message is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageRole {
    /// An image of the Markdown body.
    #[default]
    Image,
    /// The article's `cover:`.
    Cover,
}

impl ImageRole {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ImageRole::Image, Lang::En) => "image",
            (ImageRole::Cover, Lang::En) => "cover image",
            (ImageRole::Image, Lang::Vi) => "ảnh",
            (ImageRole::Cover, Lang::Vi) => "ảnh bìa",
        }
    }
}

/// Where a URL with a forbidden scheme was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UrlPlace {
    /// A link of a Markdown body.
    #[default]
    Link,
    /// An image of a Markdown body.
    Image,
    /// An article's `cover:`.
    Cover,
    /// A leaflet's `target:`.
    Target,
    /// A `menu:` URL of site.yaml.
    MenuUrl,
    /// An entry of `aliases:`.
    Alias,
}

impl UrlPlace {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UrlPlace::Link, Lang::En) => "link",
            (UrlPlace::Image, Lang::En) => "image",
            (UrlPlace::Cover, Lang::En) => "cover",
            (UrlPlace::Target, Lang::En) => "target",
            (UrlPlace::MenuUrl, Lang::En) => "menu URL",
            (UrlPlace::Alias, Lang::En) => "alias",
            (UrlPlace::Link, Lang::Vi) => "liên kết",
            (UrlPlace::Image, Lang::Vi) => "ảnh",
            (UrlPlace::Cover, Lang::Vi) => "ảnh bìa (cover)",
            (UrlPlace::Target, Lang::Vi) => "đích (target)",
            (UrlPlace::MenuUrl, Lang::Vi) => "địa chỉ trong menu",
            (UrlPlace::Alias, Lang::Vi) => "địa chỉ cũ (alias)",
        }
    }
}

/// Who claims a file of the output (the route table of [`crate::site`]): a source file, or
/// something canhbao generates. Named in [`Message::UrlTaken`].
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// A source file (`content/x.md`, `static/a.png`), or an alias at its line (`content/x.md:5`).
    Source(Arc<str>),
    /// The home page (or one of its pages).
    #[default]
    HomePage,
    /// The index page of a vocabulary (`/thu-doan/`).
    TermIndex(Vocabulary),
    /// The page (or one of the pages) of a term.
    TermPage(Vocabulary, Arc<str>),
    /// The Atom feed of a term.
    TermFeed(Vocabulary, Arc<str>),
    /// A generated file such as `/404.html` or `/sitemap.xml`.
    Generated(Arc<str>),
    /// [`crate::output::MARKER_FILE`].
    OutputMarker,
    /// The social card of the whole site.
    SiteCard,
    /// The files of the search index.
    SearchIndex,
    /// The index of the leaflets.
    LeafletsIndex,
    /// A QR code of the item of this source file.
    QrCode(Arc<str>),
    /// The social card of the item of this source file.
    CardOf(Arc<str>),
    /// The PDF of the leaflet of this source file.
    PdfOf(Arc<str>),
    /// A re-encoded copy of this image.
    ResizedCopy(Arc<str>),
    /// The channel texts, officials page and SMS short link of the item of this source file
    /// (issue 12).
    ChannelTexts(Arc<str>),
}

impl Owner {
    /// Whether this is the source file `source` itself (not an alias at one of its lines).
    pub fn is_source(&self, source: &str) -> bool {
        matches!(self, Owner::Source(s) if **s == *source)
    }

    /// In Vietnamese, a file in backticks and a description as a phrase (it names its file in
    /// backticks itself).
    fn quoted_vi(&self) -> String {
        match self {
            Owner::Source(source) => format!("`{source}`"),
            owner => owner.text(Lang::Vi),
        }
    }

    fn text(&self, lang: Lang) -> String {
        use Owner::*;
        match lang {
            Lang::En => match self {
                Source(source) => source.to_string(),
                HomePage => "the home page".into(),
                TermIndex(v) => format!("the {} index page", v.one(lang)),
                TermPage(v, key) => format!("the page of {} `{key}`", v.one(lang)),
                TermFeed(v, key) => format!("the feed of {} `{key}`", v.one(lang)),
                Generated(file) => format!("the generated `{file}`"),
                OutputMarker => "the marker of canhbao's output folder".into(),
                SiteCard => "the social card of the site".into(),
                SearchIndex => "the search index".into(),
                LeafletsIndex => "the leaflets index".into(),
                QrCode(source) => format!("the QR code of `{source}`"),
                CardOf(source) => format!("the social card of `{source}`"),
                PdfOf(source) => format!("the PDF of `{source}`"),
                ResizedCopy(source) => format!("a resized copy of `{source}`"),
                ChannelTexts(source) => format!("the channel texts of `{source}`"),
            },
            Lang::Vi => match self {
                Source(source) => source.to_string(),
                HomePage => "trang chủ".into(),
                TermIndex(v) => format!("trang danh sách {}", v.one(lang)),
                TermPage(v, key) => format!("trang của {} `{key}`", v.one(lang)),
                TermFeed(v, key) => format!("nguồn tin (feed) của {} `{key}`", v.one(lang)),
                Generated(file) => format!("tệp `{file}` do canhbao tạo"),
                OutputMarker => "tệp đánh dấu thư mục kết quả của canhbao".into(),
                SiteCard => "ảnh chia sẻ (social card) của trang".into(),
                SearchIndex => "chỉ mục tìm kiếm".into(),
                LeafletsIndex => "trang danh sách tờ rơi".into(),
                QrCode(source) => format!("mã QR của `{source}`"),
                CardOf(source) => format!("ảnh chia sẻ (social card) của `{source}`"),
                PdfOf(source) => format!("tệp PDF của `{source}`"),
                ResizedCopy(source) => format!("bản thu nhỏ của `{source}`"),
                ChannelTexts(source) => format!("văn bản các kênh (SMS, loa, bài đăng) của `{source}`"),
            },
        }
    }
}

/// One message for an editor (a problem, a warning, or the help line under one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum Message {
    // --- Reading source files --------------------------------------------------------------
    /// A file could not be read; `error` names it (from [`crate::fs_util`]).
    ReadFailed {
        error: String,
    },
    /// A file is not UTF-8.
    NotUtf8 {
        line: usize,
        column: usize,
    },

    // --- Front matter and YAML -------------------------------------------------------------
    /// A source the build let go of after reading it (issue 10) read differently the second
    /// time: it was saved while the site was being built.
    ChangedDuringBuild,
    MissingFrontMatter,
    UnclosedFrontMatter,
    EmptyFrontMatter,
    /// A YAML error serde-saphyr reports (its text, capped).
    Yaml {
        detail: String,
    },
    /// A YAML file beyond the parser's limits (size, depth, aliases): `limit` says which.
    YamlBudget {
        limit: String,
    },
    /// A field that the struct does not have; `expected` are the valid ones.
    UnknownField {
        field: String,
        expected: Vec<String>,
    },
    /// A value that is not one of a field's choices (`severity: khan`).
    UnknownChoice {
        value: String,
        expected: Vec<String>,
    },
    /// A field written twice in one mapping; `key` may be empty when it is not text.
    DuplicateKey {
        key: String,
    },
    /// A required field is missing.
    MissingField {
        field: String,
    },
    /// Help: add the missing field.
    AddField {
        field: String,
    },
    /// Help: the nearest valid field.
    DidYouMeanField {
        field: String,
    },
    /// Help: the valid fields.
    ValidFields {
        fields: Vec<String>,
    },

    // --- Articles, pages, leaflets ---------------------------------------------------------
    TitleEmpty,
    /// `field` (`date`, `updated`) is not a date.
    BadDate {
        field: String,
        value: String,
    },
    /// Help under [`Message::BadDate`].
    DateFormat,
    /// A `scams:` or `audiences:` key that site.yaml does not define.
    UnknownTerm {
        vocabulary: Vocabulary,
        key: String,
    },
    /// Help: the nearest defined key.
    DidYouMeanTerm {
        key: String,
    },
    /// Help: site.yaml defines no key of this vocabulary.
    NoTermsYet {
        vocabulary: Vocabulary,
    },
    /// Help: some defined keys.
    KnownTerms {
        vocabulary: Vocabulary,
        keys: Vec<String>,
    },
    /// No URL slug can be made from the `slug:` (or the file name).
    BadSlug {
        wanted: String,
    },
    /// Help under [`Message::BadSlug`].
    SlugHelp,
    /// An alias that is not a path on this site.
    BadAlias {
        url: String,
    },
    TrifoldNeedsA4,
    /// Help under [`Message::TrifoldNeedsA4`].
    SetPaperA4,
    /// A leaflet `target:` that climbs out of `content/`.
    TargetOutsideContent {
        target: String,
    },
    /// A leaflet `target:` that is neither an article nor an https URL.
    BadTarget {
        target: String,
    },
    /// Help under [`Message::BadTarget`].
    TargetExample,
    /// A leaflet `target:` article that does not exist.
    TargetMissing {
        target: String,
    },
    BadVariantId {
        id: String,
    },
    VariantIdTwice {
        id: String,
    },
    BadShortCode {
        code: String,
    },
    /// Help: an example value, `e.g. `x``.
    Example {
        value: String,
    },

    // --- Markdown bodies and images --------------------------------------------------------
    /// A link to a Markdown file that is not there; `target` is `content/…`.
    BrokenLink {
        link: String,
        target: String,
    },
    /// Help: the link's target is a draft.
    TargetIsDraft,
    /// Two headings with the same explicit `{#id}`.
    HeadingIdTwice {
        id: String,
    },
    /// A link to a heading that the target page does not have (`check`).
    BrokenAnchor {
        link: String,
        fragment: String,
        page: String,
    },
    /// Help: the nearest heading id.
    DidYouMeanAnchor {
        id: String,
    },
    /// Help: the target has no headings.
    NoHeadings,
    /// Help: some heading ids of the target.
    HeadingsThere {
        ids: Vec<String>,
    },
    ImageNotFound {
        role: ImageRole,
        dest: String,
        file: String,
    },
    /// Help under [`Message::ImageNotFound`].
    ImageNotFoundHelp,
    ImageOutside {
        role: ImageRole,
        dest: String,
    },
    /// Help under [`Message::ImageOutside`].
    ImageOutsideHelp,
    ImageUnreadable {
        file: String,
        error: String,
    },
    /// Help under [`Message::ImageUnreadable`].
    ImageUnreadableHelp,
    NoAltText {
        dest: String,
    },
    /// Help under [`Message::NoAltText`].
    NoAltTextHelp {
        dest: String,
    },
    CoverWithoutAlt,
    /// Help under [`Message::CoverWithoutAlt`].
    CoverAltHelp,
    /// Two sources claim one URL; `first` and `second` name them (`path` or `path:line`).
    UrlTaken {
        url: String,
        first: Owner,
        second: Owner,
    },
    /// Help under [`Message::UrlTaken`] when the second claim is a page or an alias.
    UrlTakenHelp,
    /// Help under [`Message::UrlTaken`] when the second claim is a file.
    FileTakenHelp,
    /// An image or `cover:` path that climbs out of the site (`/../x.png`).
    PointsOutsideSite {
        role: ImageRole,
        dest: String,
    },
    /// An image or `cover:` that is a symbolic link leading out of the site.
    ImageLinkOutsideSite {
        role: ImageRole,
        dest: String,
        target: String,
    },
    /// A file of `static/` or of an article's folder that is a symbolic link out of the site.
    FileLinkOutsideSite {
        file: String,
        target: String,
    },
    /// Help under the three messages above.
    OutsideSiteHelp,
    /// A file or folder that cannot be read (`static/`, a bundle), with the system's reason.
    FileUnreadable {
        file: String,
        error: String,
    },

    // --- Hostile content (issue 9) ---------------------------------------------------------
    /// A URL whose scheme is not on [`sanitize::ALLOWED_SCHEMES`]; `url` as written.
    BadScheme {
        place: UrlPlace,
        url: String,
        scheme: String,
    },
    /// A control character in a source (`code` is its code point).
    ControlCharacter {
        code: u32,
    },
    /// Help under [`Message::ControlCharacter`].
    ControlCharacterHelp,
    /// A heading attribute other than `{#id}` and `{.class}`.
    HeadingAttribute {
        name: String,
    },
    /// Warning: raw HTML left out of a page; `html` is its first line.
    RawHtml {
        html: String,
    },
    /// Help under [`Message::RawHtml`].
    RawHtmlHelp,
    /// Warning: a live link to a domain of `scam_domains`; `url` as written.
    ScamLink {
        url: String,
        domain: String,
    },
    /// Help under [`Message::ScamLink`]: the defanged way to quote `url`.
    ScamLinkHelp {
        url: String,
    },
    /// Warning: an explicit summary longer than [`sanitize::SUMMARY_WARN_CHARS`].
    LongSummary {
        chars: usize,
    },
    /// Help under [`Message::LongSummary`].
    LongSummaryHelp,

    // --- Output folder (issue 9) -----------------------------------------------------------
    /// The output folder is refused (`--output`, `serve`).
    OutputRefused {
        folder: String,
        refusal: Refusal,
    },
    /// Help under [`Message::OutputRefused`] for a folder canhbao did not write.
    OutputForceHelp,
    /// An output path that is absolute or climbs out of the output folder.
    OutputPathOutside {
        path: String,
    },
    /// Two parts of the site produce the same output file.
    OutputPathTwice {
        path: String,
    },
    /// Warning: a staging folder of a killed build could not be removed.
    LeftoversNotRemoved {
        error: String,
    },
    /// Warning: the previous output could not be removed after the swap.
    OldOutputNotRemoved {
        error: String,
    },
    /// A file of the cache that the model or kept material names was deleted, replaced or
    /// damaged while the site was being built (between the check of the entry and its use).
    CacheFileRemoved {
        name: String,
    },

    // --- site.yaml -------------------------------------------------------------------------
    /// No site.yaml in the folder.
    NoSite {
        dir: String,
    },
    BadBaseUrl {
        base_url: String,
    },
    PaginateByZero,
    /// `sections.<name>` is not a URL segment.
    BadSection {
        name: String,
        segment: String,
        example: String,
    },
    BadTermKey {
        vocabulary: Vocabulary,
        key: String,
        example: String,
    },
    TermKeyTwice {
        vocabulary: Vocabulary,
        key: String,
    },
    HotlineNoDigits {
        number: String,
    },
    /// `theme:` that is a path, not the name of a folder of `themes/`.
    BadThemeName {
        theme: String,
    },
    /// An entry of `scam_domains` that is not a domain name; `value` as written.
    BadScamDomain {
        value: String,
    },
    /// Help under [`Message::BadScamDomain`].
    ScamDomainHelp {
        suggestion: String,
    },
    /// A menu URL that is neither a site path nor an absolute URL (`gioi-thieu/`).
    MenuUrlNotRooted {
        url: String,
    },
    /// Help under [`Message::MenuUrlNotRooted`].
    MenuUrlFromRoot {
        url: String,
    },
    /// A menu URL starting with `/` that no page or file of the site has.
    MenuUrlNoPage {
        url: String,
    },
    /// Help: the nearest URL of the site.
    DidYouMeanUrl {
        url: String,
    },
    /// Help under [`Message::MenuUrlNoPage`] when no URL is near.
    MenuUrlHelp,

    // --- Printed URLs and leaflets ---------------------------------------------------------
    /// A registered printed URL outside base_url; `printed_on` may be empty.
    PrintedUrlNotUnderBase {
        url: String,
        printed_on: String,
        base_url: String,
    },
    /// Help under [`Message::PrintedUrlNotUnderBase`].
    KeepOldBaseUrl,
    PrintedUrlGone {
        url: String,
        printed_on: String,
    },
    /// Help under [`Message::PrintedUrlGone`].
    RestorePrintedUrl,
    /// Chromium found the leaflet too long; `variant` may be empty.
    LeafletOverflow {
        variant: String,
        paper: String,
        areas: Vec<String>,
    },
    /// Help under [`Message::LeafletOverflow`].
    ShortenLeaflet,
    LeafletPageCount {
        variant: String,
        pages: usize,
        expected: usize,
    },
    /// Warning: the word count says the leaflet probably does not fit.
    LeafletFitEstimate {
        paper: String,
        words: usize,
        capacity: usize,
    },
    /// The QR code of a printed leaflet would be too dense to scan.
    QrTooDense {
        module_mm: String,
        min_mm: String,
    },
    /// `--chromium PATH` names no file.
    ChromiumPathMissing {
        path: String,
    },
    /// Warning of `build --pdf`.
    ChromiumNotFound,
    /// Error of `check --pdf`.
    ChromiumNeeded,

    // --- Templates -------------------------------------------------------------------------
    /// A Tera error (its text, with the template file in it).
    Template {
        detail: String,
    },
    ThemeNotFound {
        dir: String,
    },
    /// Context of a template error: which page, with which template.
    RenderFailed {
        path: String,
        template: String,
    },

    // --- canhbao new -----------------------------------------------------------------------
    /// A `--slug` longer than file names may be (a slug made from a title is cut at a word).
    SlugTooLong {
        length: usize,
        max: usize,
    },

    // --- canhbao serve (issue 9) -----------------------------------------------------------
    /// Warning of `serve --bind` with an address other than loopback.
    ServeExposed,
    /// The site's `content/` folder is gone while serving (the preview is not rebuilt).
    ContentMissing {
        dir: String,
    },
    /// The heading of the preview's error overlay, over the last good version of the page.
    OverlayTitle,
    /// The body of the preview's 403 for a `Host` that is not this server (DNS rebinding).
    HostRefused,
    /// The body of the preview's 414 for a request path longer than `max` characters.
    RequestPathTooLong {
        max: usize,
    },
    /// The body of the preview's 400 for a path that is not valid percent-encoded UTF-8.
    RequestPathMalformed,
    /// The body of the preview's 400 for a path that tries to leave the preview folder.
    RequestPathNotAllowed,

    // --- Slugs and aliases too long for a file name (issue 9) ------------------------------
    /// A `slug:` (or a file name, when there is no `slug:`) longer than
    /// [`crate::content::page::MAX_NAME_BYTES`].
    LongSlug {
        length: usize,
        max: usize,
    },
    /// Help under [`Message::LongSlug`] when the slug comes from the file name.
    LongFileNameHelp,
    /// A segment of an alias longer than a file name may be.
    LongAliasSegment {
        length: usize,
        max: usize,
    },

    // --- `canhbao scans`: what reached people (issue 12) -----------------------------------
    /// A log given to `canhbao scans` is a folder.
    LogIsFolder {
        path: String,
    },
    /// `canhbao scans --html FILE` names one of the logs being read.
    ReportWouldOverwriteLog {
        path: String,
    },
    /// A log could not be read to its end (a damaged or truncated gzip file): what was read
    /// before is counted.
    LogDamaged {
        line: u64,
        error: String,
    },
    // --- Phone: official sites linked in text (issue 11) ------------------------------------
    /// An entry of `official_sites` that is not a domain name; `value` as written.
    BadOfficialSite {
        value: String,
    },
    // --- canhbao import (issue 13) ---------------------------------------------------------
    /// `--into` names a folder without site.yaml.
    ImportNoSite {
        root: String,
    },
    /// The source is neither a Blogger or WordPress export nor a Hugo, Jekyll or Zola folder.
    ImportUnknownSource {
        path: String,
    },
    /// An export larger than the import reads.
    ImportTooLarge {
        path: String,
        max_mb: usize,
    },
    /// A malformed XML export (roxmltree's text), at its line and column.
    ImportBadXml {
        detail: String,
    },
    /// Malformed TOML front matter (the toml crate's text), at its line and column.
    ImportBadToml {
        detail: String,
    },
    /// A post without a date (an article needs one): not imported.
    ImportNoDate {
        title: String,
    },
    /// A Markdown file without `title`: not imported.
    ImportNoTitle,
    /// A Hugo or Zola section (`_index.md`): left out.
    ImportSectionSkipped,
    /// A shortcode or template tag of the old generator left in an imported body.
    ImportShortcodeLeft {
        text: String,
    },
    /// A target of the mapping file that is not `scams/KEY`, `audiences/KEY` or `skip`.
    ImportMapBadTarget {
        value: String,
    },
    /// The first line of the report.
    ImportSummary {
        kind: String,
        articles: usize,
        pages: usize,
        drafts: usize,
    },
    /// A dry run: nothing was written.
    ImportDryRun,
    ImportCreated {
        path: String,
    },
    ImportUpdated {
        path: String,
    },
    /// Files the import wrote before and that did not change.
    ImportUnchanged {
        count: usize,
    },
    /// A file the editor changed since the import wrote it: not overwritten.
    ImportKeptEdited {
        path: String,
    },
    /// A file the import did not write: not overwritten.
    ImportKeptExisting {
        path: String,
    },
    /// A label with no scam type or audience.
    ImportUnmapped {
        label: String,
        posts: usize,
    },
    /// Help under the unmapped labels: where to map them.
    ImportMapHelp {
        map: String,
    },
    /// A picture left on another host.
    ImportRemoteImage {
        file: String,
        url: String,
    },
    /// A picture `--fetch-images` could not download.
    ImportFetchFailed {
        file: String,
        url: String,
        error: String,
    },
    /// Help under the remote pictures.
    ImportFetchHelp,
    ImportFetched {
        count: usize,
    },
    /// Old `?p=123` addresses: rules for the server in a file.
    ImportQueryRedirects {
        count: usize,
        file: String,
    },
    /// Posts that could not be imported (each reported above).
    ImportNotImported {
        count: usize,
    },
    /// `canhbao check` found nothing after the import.
    ImportCheckClean,
    /// `canhbao check` found problems after the import (listed after this line).
    ImportCheckProblems {
        count: usize,
    },
    // --- Channel texts (issue 12) ----------------------------------------------------------
    /// `check`: an SMS longer than one GSM 7-bit message (`sms:`, or the derived text).
    SmsTooLong {
        septets: usize,
        max: usize,
    },
    /// Help under [`Message::SmsTooLong`].
    SmsTooLongHelp,
    /// Warning of `check`: a loudspeaker script longer to read than `channels.radio_max_seconds`.
    RadioTooLong {
        seconds: usize,
        max: usize,
    },
    /// Help under [`Message::RadioTooLong`].
    RadioTooLongHelp,
    // --- Leaflets that fill the page and name their issuer (issue 11) ----------------------
    /// `issuer.name` in site.yaml is empty.
    IssuerNameEmpty,
    /// `issuer.logo` names a file of `static/` that does not exist.
    IssuerLogoNotFound {
        logo: String,
        file: String,
    },
    /// `issuer.logo` is not a path of `static/` (a URL elsewhere, a relative path, outside the site).
    IssuerLogoNotStatic {
        logo: String,
    },
    /// Help under the issuer logo messages.
    IssuerLogoHelp,
    /// Chromium found an area of the leaflet too long even at the smallest type size.
    LeafletTooLong {
        variant: String,
        paper: String,
        areas: Vec<String>,
        smallest: String,
    },
    /// The printed short address would not fit on one line.
    ShortUrlWraps {
        variant: String,
        address: String,
        paper: String,
    },
    /// Help under [`Message::ShortUrlWraps`].
    ShortUrlWrapsHelp,
    // --- Slides, posters and handbooks for presenters (issue 14) ---------------------------
    /// An entry of a deck's `articles:` that is not a `.md` file inside `content/`.
    DeckArticleNotMarkdown {
        article: String,
    },
    /// Help under [`Message::DeckArticleNotMarkdown`].
    DeckArticleExample,
    /// An entry of a deck's `articles:` naming no article of this build.
    DeckArticleMissing {
        article: String,
    },
    /// `build --pdf`: Chromium found slides whose text does not fit (by their names, `trang-3`).
    SlidesOverflow {
        slides: Vec<String>,
    },
    /// Help under [`Message::SlidesOverflow`].
    ShortenSlides,
    /// `build --pdf`: a deck's PDF has another number of pages than it has slides.
    SlidesPageCount {
        pages: usize,
        expected: usize,
    },
    /// `build --pdf`: Chromium found areas of an A3 poster whose content does not fit.
    PosterOverflow {
        areas: Vec<String>,
    },
    /// Help under [`Message::PosterOverflow`].
    ShortenPoster,
    /// `build --pdf`: a poster printed on more than one page.
    PosterPageCount {
        pages: usize,
    },
    /// `build --pdf`: pages of a handbook whose content does not fit (`trang-7`, `muc-luc`).
    HandbookOverflow {
        pages: Vec<String>,
    },
    /// `build --pdf`: a handbook printed on a number of pages it should not have.
    HandbookPageCount {
        pages: usize,
        expected: usize,
    },
    // --- Short links of articles in printed-urls.txt (issue 14) ---------------------------
    /// Help under [`Message::PrintedUrlGone`] for a URL an article (not a leaflet) printed.
    RestoreArticleShortLink,

    // --- Instant preview: `serve` renders from the model in memory (issue 10) --------------
    /// The preview's model is loaded: pages are rendered when a browser asks for them.
    PreviewReady {
        articles: usize,
        pages: usize,
        millis: u128,
    },
    /// An edit was taken into the model; `pages` output files will be rendered again.
    PreviewUpdated {
        files: usize,
        millis: u128,
    },
    /// The first line of a failed update of the preview.
    PreviewNotUpdated {
        problems: usize,
    },
}

impl Message {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Message::*;
        let list = |items: &[String]| items.join(", ");
        let capped = self.with_capped_arguments();
        let (en, vi) = match capped.as_ref().unwrap_or(self) {
            ReadFailed { error } => (error.clone(), format!("không đọc được tệp: {error}")),
            NotUtf8 { line, column } => (
                format!("not valid UTF-8 (line {line}, column {column}); save the file as UTF-8"),
                format!("không phải văn bản UTF-8 (dòng {line}, cột {column}); hãy lưu tệp dạng UTF-8"),
            ),
            ChangedDuringBuild => (
                "the file changed while the site was being built: build again".into(),
                "tệp đã thay đổi trong lúc đang dựng trang: hãy dựng (build) lại".into(),
            ),
            MissingFrontMatter => (
                "missing front matter: the file must start with a line `---`, then the YAML fields, then `---`".into(),
                "thiếu phần đầu (front matter): tệp phải bắt đầu bằng một dòng `---`, rồi các trường YAML, rồi một dòng `---`".into(),
            ),
            UnclosedFrontMatter => (
                "front matter is not closed: add a line `---` after the YAML fields".into(),
                "phần đầu (front matter) chưa được đóng: thêm một dòng `---` sau các trường YAML".into(),
            ),
            EmptyFrontMatter => (
                "front matter is empty: `title` and the other fields are missing".into(),
                "phần đầu (front matter) đang trống: thiếu `title` và các trường khác".into(),
            ),
            Yaml { detail } => (detail.clone(), format!("lỗi YAML: {detail}")),
            YamlBudget { limit } => (
                format!("the YAML is too large or too deeply nested to read ({limit}): shorten or simplify it"),
                format!("phần YAML quá lớn hoặc lồng nhau quá sâu ({limit}): hãy rút gọn hoặc đơn giản hoá"),
            ),
            UnknownField { field, expected } => (
                format!("unknown field `{field}`, expected one of {}", list(expected)),
                format!("trường `{field}` không hợp lệ; các trường hợp lệ: {}", list(expected)),
            ),
            UnknownChoice { value, expected } => (
                format!("unknown variant `{value}`, expected one of {}", list(expected)),
                format!("giá trị `{value}` không hợp lệ; các giá trị hợp lệ: {}", list(expected)),
            ),
            DuplicateKey { key } => (
                format!("`{key}` is written twice: keep one"),
                format!("`{key}` được viết hai lần: chỉ giữ một"),
            ),
            MissingField { field } => (format!("missing field `{field}`"), format!("thiếu trường `{field}`")),
            AddField { field } => (
                format!("add a line `{field}: …` with the other fields"),
                format!("thêm một dòng `{field}: …` cùng các trường khác"),
            ),
            DidYouMeanField { field } => (format!("did you mean `{field}`?"), format!("có phải ý bạn là `{field}`?")),
            ValidFields { fields } => {
                (format!("valid fields are: {}", list(fields)), format!("các trường hợp lệ: {}", list(fields)))
            }
            TitleEmpty => ("title is empty".into(), "tiêu đề (title) đang trống".into()),
            BadDate { field, value } => (
                format!("{field} `{value}` is not a valid date"),
                format!("{field} `{value}` không phải là ngày hợp lệ"),
            ),
            DateFormat => (
                "write dates as YYYY-MM-DD, e.g. 2024-05-08, or 2024-05-08T09:30:00+07:00".into(),
                "viết ngày theo dạng năm-tháng-ngày, ví dụ 2024-05-08, hoặc 2024-05-08T09:30:00+07:00".into(),
            ),
            UnknownTerm { vocabulary, key } => (
                format!("unknown {} \"{key}\"", vocabulary.one(Lang::En)),
                format!("{} không có trong site.yaml: \"{key}\"", vocabulary.one(Lang::Vi)),
            ),
            DidYouMeanTerm { key } => (format!("did you mean \"{key}\"?"), format!("có phải ý bạn là \"{key}\"?")),
            NoTermsYet { vocabulary } => (
                format!("site.yaml defines no {}s yet", vocabulary.one(Lang::En)),
                format!("site.yaml chưa khai báo {} nào (mục `{}`)", vocabulary.one(Lang::Vi), vocabulary.key()),
            ),
            KnownTerms { vocabulary, keys } => (
                format!("known {}s: {}", vocabulary.one(Lang::En), list(keys)),
                format!("các {} đã khai báo: {}", vocabulary.one(Lang::Vi), list(keys)),
            ),
            BadSlug { wanted } => (
                format!("cannot make a URL slug from `{wanted}`"),
                format!("không tạo được địa chỉ (slug) từ `{wanted}`"),
            ),
            SlugHelp => (
                "set `slug:` to a few words in Latin letters, e.g. `slug: gia-danh-cong-an`".into(),
                "đặt `slug:` là vài từ bằng chữ Latinh, ví dụ `slug: gia-danh-cong-an`".into(),
            ),
            BadAlias { url } => (
                format!("alias `{url}` must be a path on this site such as /bai-viet/cu.html"),
                format!("địa chỉ cũ (alias) `{url}` phải là một đường dẫn trên trang này, ví dụ /bai-viet/cu.html"),
            ),
            TrifoldNeedsA4 => (
                "a trifold leaflet is printed on A4 landscape".into(),
                "tờ rơi gấp ba (trifold) được in trên khổ A4 nằm ngang".into(),
            ),
            SetPaperA4 => ("set `paper: A4`".into(), "đặt `paper: A4`".into()),
            TargetOutsideContent { target } => (
                format!("target `{target}` is outside the content folder"),
                format!("đích (target) `{target}` nằm ngoài thư mục content"),
            ),
            BadTarget { target } => (
                format!("target `{target}` must be an article's .md file or an https:// URL"),
                format!("đích (target) `{target}` phải là tệp .md của một bài viết hoặc một địa chỉ https://"),
            ),
            TargetExample => (
                "e.g. `target: ../articles/gia-danh-cong-an.md`".into(),
                "ví dụ `target: ../articles/gia-danh-cong-an.md`".into(),
            ),
            TargetMissing { target } => (
                format!("target `{target}` does not exist"),
                format!("đích (target) `{target}` không tồn tại"),
            ),
            BadVariantId { id } => (
                format!("variant id `{id}` must be lower-case letters, digits and -"),
                format!("mã phiên bản (variant id) `{id}` chỉ được gồm chữ thường, chữ số và dấu -"),
            ),
            VariantIdTwice { id } => (
                format!("variant id `{id}` is used twice"),
                format!("mã phiên bản (variant id) `{id}` bị dùng hai lần"),
            ),
            BadShortCode { code } => (
                format!("short-link code `{code}` must be 1 to 32 lower-case letters, digits or -"),
                format!("mã liên kết ngắn `{code}` phải gồm 1 đến 32 chữ thường, chữ số hoặc dấu -"),
            ),
            Example { value } => (format!("e.g. `{value}`"), format!("ví dụ `{value}`")),
            BrokenLink { link, target } => (
                format!("broken link `{link}`: no article or page at `{target}`"),
                format!("liên kết hỏng `{link}`: không có bài viết hay trang nào ở `{target}`"),
            ),
            TargetIsDraft => (
                "the target is a draft: publish it, or build with --drafts".into(),
                "trang đích là bản nháp: hãy đăng nó (draft: false), hoặc build với --drafts".into(),
            ),
            HeadingIdTwice { id } => (
                format!("heading id `{id}` is used twice: give each heading its own {{#id}}"),
                format!("mã tiêu đề mục `{id}` bị dùng hai lần: đặt cho mỗi tiêu đề một {{#id}} riêng"),
            ),
            BrokenAnchor { link, fragment, page } => (
                format!("broken anchor `{link}`: no heading `#{fragment}` in `{page}`"),
                format!("liên kết tới mục không có `{link}`: không có tiêu đề `#{fragment}` trong `{page}`"),
            ),
            DidYouMeanAnchor { id } => (format!("did you mean `#{id}`?"), format!("có phải ý bạn là `#{id}`?")),
            NoHeadings => ("that page has no headings".into(), "trang đó không có tiêu đề mục nào".into()),
            HeadingsThere { ids } => {
                let ids = ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ");
                (format!("headings there: {ids}"), format!("các mục trong trang đó: {ids}"))
            }
            ImageNotFound { role, dest, file } => (
                format!("{} `{dest}` not found: no file `{file}`", role.name(Lang::En)),
                format!("không tìm thấy {} `{dest}`: không có tệp `{file}`", role.name(Lang::Vi)),
            ),
            ImageNotFoundHelp => (
                "check the file name (capital letters and accents count), put the picture next to the article, \
                 or in static/ and write its path from there, e.g. /anh/tin-nhan.png"
                    .into(),
                "kiểm tra tên tệp (chữ hoa và dấu cũng phải đúng), đặt ảnh cạnh bài viết, \
                 hoặc trong static/ và viết đường dẫn từ đó, ví dụ /anh/tin-nhan.png"
                    .into(),
            ),
            ImageOutside { role, dest } => (
                format!("{} `{dest}` is outside the folder of the Markdown file", role.name(Lang::En)),
                format!("{} `{dest}` nằm ngoài thư mục của tệp Markdown", role.name(Lang::Vi)),
            ),
            ImageOutsideHelp => (
                "put the picture next to the file (or in a folder beside it), or in static/ and write its path \
                 from there, e.g. /anh/tin-nhan.png"
                    .into(),
                "đặt ảnh cạnh tệp (hoặc trong một thư mục bên cạnh), hoặc trong static/ và viết đường dẫn từ đó, \
                 ví dụ /anh/tin-nhan.png"
                    .into(),
            ),
            ImageUnreadable { file, error } => (
                format!("cannot read the image `{file}`: {error}"),
                format!("không đọc được ảnh `{file}`: {error}"),
            ),
            ImageUnreadableHelp => (
                "open the file in an image viewer: it may be damaged, or not a JPEG or PNG picture; save it again"
                    .into(),
                "mở tệp bằng trình xem ảnh: tệp có thể bị hỏng, hoặc không phải ảnh JPEG hay PNG; hãy lưu lại".into(),
            ),
            NoAltText { dest } => (
                format!("image `{dest}` has no alt text"),
                format!("ảnh `{dest}` không có lời mô tả (alt)"),
            ),
            NoAltTextHelp { dest } => (
                format!(
                    "describe the picture between the brackets for readers who cannot see it, \
                     e.g. ![Tin nhắn giả mạo ngân hàng]({dest})"
                ),
                format!(
                    "viết lời mô tả ảnh vào giữa hai dấu ngoặc vuông cho người không xem được ảnh, \
                     ví dụ ![Tin nhắn giả mạo ngân hàng]({dest})"
                ),
            ),
            CoverWithoutAlt => (
                "`cover` is set without `cover_alt`".into(),
                "có ảnh bìa (`cover`) nhưng thiếu lời mô tả ảnh (`cover_alt`)".into(),
            ),
            CoverAltHelp => (
                "describe the picture in `cover_alt` for readers who cannot see it".into(),
                "viết lời mô tả ảnh vào `cover_alt` cho người không xem được ảnh".into(),
            ),
            UrlTaken { url, first, second } => (
                format!("URL `{url}` is used by both `{}` and `{}`", first.text(Lang::En), second.text(Lang::En)),
                format!("địa chỉ `{url}` bị dùng cho cả {} và {}", first.quoted_vi(), second.quoted_vi()),
            ),
            UrlTakenHelp => (
                "give one of them another `slug` (or remove the alias)".into(),
                "đặt `slug` khác cho một trong hai (hoặc bỏ địa chỉ cũ trong aliases)".into(),
            ),
            FileTakenHelp => (
                "rename or move one of the files, or give the page another `slug`".into(),
                "đổi tên hoặc chuyển một trong hai tệp đi chỗ khác, hoặc đặt `slug` khác cho trang".into(),
            ),
            PointsOutsideSite { role, dest } => (
                format!("{} `{dest}` points outside the site", role.name(Lang::En)),
                format!("{} `{dest}` trỏ ra ngoài thư mục trang", role.name(Lang::Vi)),
            ),
            ImageLinkOutsideSite { role, dest, target } => (
                format!("{} `{dest}` is a link to `{target}`, outside the site", role.name(Lang::En)),
                format!(
                    "{} `{dest}` là liên kết (symlink) tới `{target}`, nằm ngoài thư mục trang",
                    role.name(Lang::Vi)
                ),
            ),
            FileLinkOutsideSite { file, target } => (
                format!("`{file}` is a link to `{target}`, outside the site"),
                format!("`{file}` là liên kết (symlink) tới `{target}`, nằm ngoài thư mục trang"),
            ),
            OutsideSiteHelp => (
                "only files inside the site folder are published: copy the file into static/ or next to the \
                 article (not a link to it), and write its path without `..`, e.g. /anh/tin-nhan.png"
                    .into(),
                "chỉ các tệp nằm trong thư mục trang mới được đăng: chép tệp vào static/ hoặc đặt cạnh bài viết \
                 (không dùng liên kết tới tệp), và viết đường dẫn không có `..`, ví dụ /anh/tin-nhan.png"
                    .into(),
            ),
            FileUnreadable { file, error } => {
                (format!("cannot read `{file}`: {error}"), format!("không đọc được `{file}`: {error}"))
            }
            BadScheme { place, url, scheme } => (
                format!(
                    "{} `{url}` uses the `{scheme}:` scheme, which is never published: allowed are http:, https:, \
                     mailto:, tel:, sms: and paths on this site",
                    place.name(Lang::En)
                ),
                format!(
                    "{} `{url}` dùng giao thức `{scheme}:` nên sẽ không bao giờ được đăng: chỉ cho phép http:, https:, \
                     mailto:, tel:, sms: và đường dẫn trên trang này",
                    place.name(Lang::Vi)
                ),
            ),
            ControlCharacter { code } => (
                format!(
                    "control character U+{code:04X} is not allowed: delete it (it breaks feeds and social cards)"
                ),
                format!(
                    "không được dùng ký tự điều khiển U+{code:04X}: hãy xoá nó (nó làm hỏng nguồn tin (feed) và ảnh chia sẻ)"
                ),
            ),
            ControlCharacterHelp => (
                "it is usually pasted by accident from a terminal or a document; most editors show it as a box or `^[`"
                    .into(),
                "ký tự này thường bị dán nhầm từ cửa sổ dòng lệnh hoặc từ một văn bản; đa số trình soạn thảo hiện nó \
                 thành một ô vuông hoặc `^[`"
                    .into(),
            ),
            HeadingAttribute { name } => (
                format!("heading attribute `{name}` is not allowed: only {{#id}} and {{.class}}"),
                format!("không được dùng thuộc tính tiêu đề `{name}`: chỉ cho phép {{#id}} và {{.class}}"),
            ),
            RawHtml { html } => (
                format!("raw HTML `{html}` is left out of the page"),
                format!("mã HTML `{html}` bị bỏ khỏi trang"),
            ),
            RawHtmlHelp => (
                "write it in Markdown (to show a `<` as text, write `\\<`); a site that needs HTML can set \
                 `markdown: { raw_html: true }` in site.yaml, and it is then sanitised"
                    .into(),
                "hãy viết bằng Markdown (muốn hiện dấu `<` thì viết `\\<`); trang nào cần HTML có thể đặt \
                 `markdown: { raw_html: true }` trong site.yaml, khi đó HTML được lọc cho an toàn"
                    .into(),
            ),
            ScamLink { url, domain } => (
                format!("live link to `{url}`, a scam domain listed in site.yaml (`{domain}`)"),
                format!("liên kết còn bấm được tới `{url}`, thuộc tên miền lừa đảo đã khai báo trong site.yaml (`{domain}`)"),
            ),
            ScamLinkHelp { url } => (
                format!(
                    "quote a scam's address without linking it: write [[{url}]], shown as {}",
                    sanitize::defang(url)
                ),
                format!(
                    "trích địa chỉ lừa đảo mà không tạo liên kết: viết [[{url}]], sẽ hiện thành {}",
                    sanitize::defang(url)
                ),
            ),
            LongSummary { chars } => (
                format!(
                    "summary has {chars} characters: lists and feeds show only the first {}, link previews about 200",
                    sanitize::SUMMARY_WARN_CHARS
                ),
                format!(
                    "phần tóm tắt (summary) dài {chars} ký tự: danh sách và nguồn tin chỉ hiện {} ký tự đầu, \
                     bản xem trước liên kết khoảng 200",
                    sanitize::SUMMARY_WARN_CHARS
                ),
            ),
            LongSummaryHelp => (
                "write one or two sentences; the article itself holds the details".into(),
                "viết một hai câu thôi; chi tiết đã có trong bài viết".into(),
            ),
            OutputRefused { folder, refusal } => (
                format!(
                    "refusing to use `{folder}` as the output folder: {}; choose an empty or generated folder such as \
                     `public`",
                    refusal.reason(Lang::En)
                ),
                format!(
                    "không dùng `{folder}` làm thư mục kết quả: {}; hãy chọn một thư mục trống hoặc thư mục do canhbao \
                     tạo, ví dụ `public`",
                    refusal.reason(Lang::Vi)
                ),
            ),
            OutputForceHelp => (
                "the build would delete everything in it: pass --force to replace it anyway, or choose another folder"
                    .into(),
                "build sẽ xoá mọi thứ trong đó: dùng --force nếu vẫn muốn thay thế, hoặc chọn thư mục khác".into(),
            ),
            OutputPathOutside { path } => (
                format!(
                    "refusing to write `{path}`: an output path must stay inside the output folder (no `..`, not absolute)"
                ),
                format!(
                    "không ghi `{path}`: đường dẫn kết quả phải nằm trong thư mục kết quả (không có `..`, không phải \
                     đường dẫn tuyệt đối)"
                ),
            ),
            OutputPathTwice { path } => (
                format!("refusing to write `{path}` twice: two parts of the site produce the same output file"),
                format!("không ghi `{path}` hai lần: hai phần của trang cùng tạo ra một tệp kết quả"),
            ),
            LeftoversNotRemoved { error } => (
                format!("could not remove what an earlier build left: {error}"),
                format!("không xoá được những gì một lần build trước để lại: {error}"),
            ),
            OldOutputNotRemoved { error } => (
                format!("the site was built, but the previous output could not be removed: {error}"),
                format!("trang đã được build, nhưng không xoá được bản kết quả cũ: {error}"),
            ),
            CacheFileRemoved { name } => (
                format!("the cache file `.canhbao-cache/{name}` was removed, replaced or damaged while the site was being built: build again"),
                format!("tệp `.canhbao-cache/{name}` của bộ nhớ đệm bị xoá, thay hoặc hỏng trong lúc đang dựng trang: hãy dựng (build) lại"),
            ),
            NoSite { dir } => (
                format!("no site.yaml in `{dir}`: is this a canhbao site? (use --root DIR, or canhbao init)"),
                format!("không có site.yaml trong `{dir}`: đây có phải thư mục trang? (dùng --root DIR, hoặc canhbao init)"),
            ),
            BadBaseUrl { base_url } => (
                format!("base_url `{base_url}` must be an absolute http(s) URL such as https://canhbao.example.vn"),
                format!("base_url `{base_url}` phải là một địa chỉ http(s) đầy đủ, ví dụ https://canhbao.example.vn"),
            ),
            PaginateByZero => ("paginate_by must be at least 1".into(), "paginate_by phải từ 1 trở lên".into()),
            BadSection { name, segment, example } => (
                format!(
                    "sections.{name} `{segment}` must be a URL segment (lower-case letters, digits and -), e.g. `{example}`"
                ),
                format!(
                    "sections.{name} `{segment}` phải là một đoạn địa chỉ (chữ thường, chữ số và dấu -), ví dụ `{example}`"
                ),
            ),
            BadTermKey { vocabulary, key, example } => (
                format!(
                    "{}: key `{key}` must be lower-case ASCII letters, digits and -, e.g. `{example}`",
                    vocabulary.key()
                ),
                format!(
                    "{}: khoá `{key}` chỉ được gồm chữ thường không dấu, chữ số và dấu -, ví dụ `{example}`",
                    vocabulary.key()
                ),
            ),
            TermKeyTwice { vocabulary, key } => (
                format!("{}: key `{key}` is defined twice", vocabulary.key()),
                format!("{}: khoá `{key}` được khai báo hai lần", vocabulary.key()),
            ),
            HotlineNoDigits { number } => (
                format!("hotline.number `{number}` has no digits"),
                format!("hotline.number `{number}` không có chữ số nào"),
            ),
            BadThemeName { theme } => (
                format!("theme `{theme}` must be the name of a folder in themes/ (no `/` or `..`), e.g. `default`"),
                format!(
                    "theme `{theme}` phải là tên một thư mục trong themes/ (không có `/` hay `..`), ví dụ `default`"
                ),
            ),
            BadScamDomain { value } => (
                format!("scam_domains: `{value}` is not a domain name"),
                format!("scam_domains: `{value}` không phải là một tên miền"),
            ),
            ScamDomainHelp { suggestion } => (
                format!("write only the domain, e.g. `{suggestion}`: its subdomains are included"),
                format!("chỉ viết tên miền, ví dụ `{suggestion}`: các tên miền con của nó cũng được tính"),
            ),
            MenuUrlNotRooted { url } => (
                format!("menu URL `{url}` must start with `/` (a page of the site) or `https://`"),
                format!("địa chỉ trong menu `{url}` phải bắt đầu bằng `/` (một trang của trang web) hoặc `https://`"),
            ),
            MenuUrlFromRoot { url } => (
                format!("write it from the site's root, e.g. `/{url}`"),
                format!("viết từ gốc của trang web, ví dụ `/{url}`"),
            ),
            MenuUrlNoPage { url } => (
                format!("menu URL `{url}` leads to no page of the site"),
                format!("địa chỉ trong menu `{url}` không dẫn tới trang nào của trang web"),
            ),
            DidYouMeanUrl { url } => (format!("did you mean `{url}`?"), format!("có phải ý bạn là `{url}`?")),
            MenuUrlHelp => (
                "link to a page of the site (e.g. `/gioi-thieu/`), or to a full https:// address".into(),
                "hãy trỏ tới một trang của trang web (ví dụ `/gioi-thieu/`), hoặc tới một địa chỉ https:// đầy đủ".into(),
            ),
            PrintedUrlNotUnderBase { url, printed_on, base_url } => (
                format!("printed URL `{url}`{} is not under base_url `{base_url}`", printed_on_en(printed_on)),
                format!("địa chỉ đã in `{url}`{} không nằm dưới base_url `{base_url}`", printed_on_vi(printed_on)),
            ),
            KeepOldBaseUrl => (
                "paper with this URL is in circulation: keep the old base_url working (a redirect on the old host), \
                 then remove the line"
                    .into(),
                "giấy in địa chỉ này vẫn đang được phát: giữ base_url cũ hoạt động (chuyển hướng trên máy chủ cũ), \
                 rồi mới xoá dòng này"
                    .into(),
            ),
            PrintedUrlGone { url, printed_on } => (
                format!("printed URL `{url}`{} no longer resolves", printed_on_en(printed_on)),
                format!("địa chỉ đã in `{url}`{} không còn dẫn tới trang nào", printed_on_vi(printed_on)),
            ),
            RestorePrintedUrl => (
                "restore the leaflet, its variant or its `code:`; remove the line only if no printed copy is in \
                 circulation"
                    .into(),
                "khôi phục tờ rơi, phiên bản hoặc `code:` của nó; chỉ xoá dòng này khi không còn bản in nào đang \
                 được phát"
                    .into(),
            ),
            LeafletOverflow { variant, paper, areas } => (
                format!(
                    "the leaflet{} does not fit on {paper}: too much content in {}",
                    variant_en(variant),
                    list(areas)
                ),
                format!(
                    "tờ rơi{} không vừa khổ {paper}: quá nhiều nội dung ở {}",
                    variant_vi(variant),
                    list(areas)
                ),
            ),
            ShortenLeaflet => (
                "shorten the sections, or choose a larger layout (duplex or trifold)".into(),
                "rút gọn các mục, hoặc chọn cách in rộng hơn (duplex hoặc trifold)".into(),
            ),
            LeafletPageCount { variant, pages, expected } => (
                format!("the leaflet{} printed on {pages} pages instead of {expected}", variant_en(variant)),
                format!("tờ rơi{} được in ra {pages} trang thay vì {expected}", variant_vi(variant)),
            ),
            LeafletFitEstimate { paper, words, capacity } => (
                format!(
                    "the leaflet probably does not fit on {paper} (about {words} words where about {capacity} fit); \
                     check it with `canhbao build --pdf` or in its preview"
                ),
                format!(
                    "tờ rơi có lẽ không vừa khổ {paper} (khoảng {words} chữ, trong khi chỉ vừa khoảng {capacity}); \
                     kiểm tra bằng `canhbao build --pdf` hoặc xem bản xem trước"
                ),
            ),
            QrTooDense { module_mm, min_mm } => (
                format!(
                    "the printed QR code would have modules of {module_mm} mm (under {min_mm} mm): \
                     shorten base_url or the short-link code"
                ),
                format!(
                    "mã QR in ra sẽ có ô vuông chỉ {module_mm} mm (dưới {min_mm} mm), khó quét: \
                     rút ngắn base_url hoặc mã liên kết ngắn"
                ),
            ),
            ChromiumPathMissing { path } => (
                format!("--chromium `{path}` does not exist"),
                format!("--chromium `{path}` không tồn tại"),
            ),
            ChromiumNotFound => (
                "Chromium was not found, so the leaflets were not printed to PDF: install chromium, or pass \
                 --chromium PATH"
                    .into(),
                "không tìm thấy Chromium nên tờ rơi chưa được in ra PDF: cài chromium, hoặc dùng --chromium ĐƯỜNG_DẪN"
                    .into(),
            ),
            ChromiumNeeded => (
                "Chromium was not found, so the leaflets cannot be printed: install chromium, or pass --chromium PATH"
                    .into(),
                "không tìm thấy Chromium nên không in thử được tờ rơi: cài chromium, hoặc dùng --chromium ĐƯỜNG_DẪN"
                    .into(),
            ),
            Template { detail } => (format!("template error: {detail}"), format!("lỗi giao diện (template): {detail}")),
            ThemeNotFound { dir } => (
                format!("theme folder `{dir}` not found: check `theme:` in site.yaml, or copy themes/default from canhbao"),
                format!(
                    "không tìm thấy thư mục giao diện `{dir}`: kiểm tra `theme:` trong site.yaml, hoặc chép themes/default từ canhbao"
                ),
            ),
            RenderFailed { path, template } => (
                format!("cannot render `{path}` with `{template}`"),
                format!("không tạo được trang `{path}` bằng giao diện `{template}`"),
            ),
            SlugTooLong { length, max } => (
                format!(
                    "the --slug is {length} characters long, too long for a file name (at most {max}): \
                     pass a shorter one, e.g. --slug lua-dao"
                ),
                format!(
                    "--slug dài {length} ký tự, quá dài để làm tên tệp (tối đa {max}): dùng một slug ngắn hơn, \
                     ví dụ --slug lua-dao"
                ),
            ),
            ServeExposed => (
                "the preview, drafts included, is visible to every device on the network that can reach this \
                 computer; use --bind 127.0.0.1 to keep it to yourself"
                    .into(),
                "bản xem trước, kể cả bản nháp, hiển thị với mọi thiết bị trong mạng truy cập được máy này; \
                 dùng --bind 127.0.0.1 để chỉ mình bạn xem"
                    .into(),
            ),
            ContentMissing { dir } => (
                format!("the content folder `{dir}` is missing: restore it (or create it) to rebuild the preview"),
                format!("thiếu thư mục nội dung `{dir}`: hãy khôi phục (hoặc tạo lại) để build lại bản xem trước"),
            ),
            OverlayTitle => (
                "The site could not be rebuilt. This page is the last good version; fix the file and save.".into(),
                "Không build lại được trang. Đây là phiên bản tốt gần nhất; hãy sửa tệp rồi lưu lại.".into(),
            ),
            HostRefused => (
                "this preview answers only to localhost and IP addresses, not to other host names \
                 (a protection against DNS rebinding)"
                    .into(),
                "bản xem trước chỉ trả lời localhost và địa chỉ IP, không trả lời tên miền khác \
                 (chống tấn công DNS rebinding)"
                    .into(),
            ),
            RequestPathTooLong { max } => (
                format!("this path is longer than {max} characters"),
                format!("đường dẫn này dài hơn {max} ký tự"),
            ),
            RequestPathMalformed => (
                "this path is not valid percent-encoded UTF-8".into(),
                "đường dẫn này không phải UTF-8 được mã hoá phần trăm (percent-encoding) hợp lệ".into(),
            ),
            RequestPathNotAllowed => (
                "this path is not allowed".into(),
                "đường dẫn này không được phép".into(),
            ),
            LongSlug { length, max } => (
                format!("the URL slug is {length} characters long, too long for a file name (at most {max})"),
                format!("địa chỉ (slug) dài {length} ký tự, quá dài để làm tên tệp (tối đa {max})"),
            ),
            LongFileNameHelp => (
                "the slug is made from the file name: rename the file, or set a shorter `slug:`, \
                 e.g. `slug: gia-danh-cong-an`"
                    .into(),
                "slug được tạo từ tên tệp: đổi tên tệp cho ngắn lại, hoặc đặt `slug:` ngắn hơn, \
                 ví dụ `slug: gia-danh-cong-an`"
                    .into(),
            ),
            LongAliasSegment { length, max } => (
                format!(
                    "a part of this alias is {length} characters long, too long for a file name (at most {max}): \
                     shorten it"
                ),
                format!(
                    "một đoạn của địa chỉ cũ (alias) này dài {length} ký tự, quá dài để làm tên tệp (tối đa {max}): \
                     hãy rút ngắn"
                ),
            ),

            // --- `canhbao scans` (issue 12) ---
            LogIsFolder { path } => (
                format!("`{path}` is a folder: give the log files themselves (`{path}/access.log*`)"),
                format!("`{path}` là một thư mục: hãy đưa chính các tệp nhật ký (`{path}/access.log*`)"),
            ),
            ReportWouldOverwriteLog { path } => (
                format!("refusing to write the report over `{path}`, a log being read: choose another file name"),
                format!("không ghi báo cáo đè lên `{path}` vì đó là tệp nhật ký đang đọc: hãy chọn tên tệp khác"),
            ),
            LogDamaged { line, error } => (
                format!("damaged after line {line} ({error}): the lines before are counted, the rest is left out"),
                format!("bị hỏng sau dòng {line} ({error}): các dòng trước đó được đếm, phần còn lại bị bỏ qua"),
            ),
            // Phone: official sites (issue 11)
            BadOfficialSite { value } => (
                format!("official_sites: `{value}` is not a domain name"),
                format!("official_sites: `{value}` không phải là một tên miền"),
            ),
            ImportNoSite { root } => (
                format!("`{root}` holds no site (no site.yaml): create one first with `canhbao init {root}`, then import into it"),
                format!("`{root}` chưa có trang (không có site.yaml): hãy tạo trước bằng `canhbao init {root}`, rồi nhập vào đó"),
            ),
            ImportUnknownSource { path } => (
                format!(
                    "`{path}` is not a Blogger export (Atom .xml), a WordPress export (WXR .xml) or a Hugo, Jekyll or Zola folder"
                ),
                format!(
                    "`{path}` không phải bản sao lưu Blogger (Atom .xml), bản xuất WordPress (WXR .xml) hay thư mục Hugo, Jekyll, Zola"
                ),
            ),
            ImportTooLarge { path, max_mb } => (
                format!("`{path}` is larger than {max_mb} MB: export the posts in parts (by date) and import each"),
                format!("`{path}` lớn hơn {max_mb} MB: hãy xuất bài viết thành nhiều phần (theo ngày) rồi nhập từng phần"),
            ),
            ImportBadXml { detail } => (
                format!("the export is not well-formed XML: {detail}"),
                format!("bản xuất không phải XML hợp lệ: {detail}"),
            ),
            ImportBadToml { detail } => (
                format!("TOML front matter error: {detail}"),
                format!("lỗi phần đầu TOML: {detail}"),
            ),
            ImportNoDate { title } => (
                format!("\"{title}\" has no date (an article needs one): not imported"),
                format!("\"{title}\" không có ngày đăng (bài cảnh báo cần có): không được nhập"),
            ),
            ImportNoTitle => (
                "no `title` in the front matter: not imported".into(),
                "phần đầu không có `title`: không được nhập".into(),
            ),
            ImportSectionSkipped => (
                "a section page (`_index.md`): not imported; canhbao makes its own lists".into(),
                "trang chuyên mục (`_index.md`): không được nhập; canhbao tự tạo các trang danh sách".into(),
            ),
            ImportShortcodeLeft { text } => (
                format!("a shortcode of the old site is left here, rewrite it by hand: {text}"),
                format!("còn sót mã rút gọn (shortcode) của trang cũ, hãy viết lại bằng tay: {text}"),
            ),
            ImportMapBadTarget { value } => (
                format!("`{value}` is not a target: write scams/KEY or audiences/KEY (keys of site.yaml), or skip"),
                format!("`{value}` không hợp lệ: hãy viết scams/KHOÁ hoặc audiences/KHOÁ (khoá trong site.yaml), hoặc skip"),
            ),
            ImportSummary { kind, articles, pages, drafts } => (
                format!("{kind} source: {articles} article(s) and {pages} page(s), {drafts} of them draft(s)"),
                format!("Nguồn {kind}: {articles} bài cảnh báo và {pages} trang, trong đó {drafts} bản nháp"),
            ),
            ImportDryRun => (
                "dry run: nothing was written; this is what the import would do".into(),
                "chạy thử: chưa ghi gì cả; đây là những gì lệnh nhập sẽ làm".into(),
            ),
            ImportCreated { path } => (format!("created   {path}"), format!("tạo mới     {path}")),
            ImportUpdated { path } => (format!("updated   {path}"), format!("cập nhật    {path}")),
            ImportUnchanged { count } => (
                format!("{count} file(s) written by an earlier import are unchanged"),
                format!("{count} tệp do lần nhập trước ghi không thay đổi"),
            ),
            ImportKeptEdited { path } => (
                format!("kept      {path} (changed since the import wrote it; not overwritten)"),
                format!("giữ nguyên {path} (đã được sửa sau lần nhập trước; không ghi đè)"),
            ),
            ImportKeptExisting { path } => (
                format!("kept      {path} (already there, not written by the import; not overwritten)"),
                format!("giữ nguyên {path} (tệp có sẵn, không do lệnh nhập ghi; không ghi đè)"),
            ),
            ImportUnmapped { label, posts } => (
                format!("label \"{label}\" ({posts} post(s)) is not mapped to a scam type or audience"),
                format!("nhãn \"{label}\" ({posts} bài) chưa gắn với thủ đoạn hay đối tượng nào"),
            ),
            ImportMapHelp { map } => (
                format!("write scams/KEY, audiences/KEY or skip for it in `{map}`, then run the import again"),
                format!("hãy ghi scams/KHOÁ, audiences/KHOÁ hoặc skip cho nhãn đó trong `{map}`, rồi chạy lại lệnh nhập"),
            ),
            ImportRemoteImage { file, url } => (
                format!("{file}: picture on another host: {url}"),
                format!("{file}: ảnh nằm ở máy chủ khác: {url}"),
            ),
            ImportFetchFailed { file, url, error } => (
                format!("{file}: could not download {url}: {error}"),
                format!("{file}: không tải được {url}: {error}"),
            ),
            ImportFetchHelp => (
                "the built site must not load pictures from other hosts: run the import again with --fetch-images to download them"
                    .into(),
                "trang không được tải ảnh từ máy chủ khác: chạy lại lệnh nhập với --fetch-images để tải ảnh về".into(),
            ),
            ImportFetched { count } => (
                format!("downloaded {count} picture(s) beside their articles"),
                format!("đã tải {count} ảnh về cạnh bài viết"),
            ),
            ImportQueryRedirects { count, file } => (
                format!(
                    "{count} old address(es) with a query string (/?p=123) cannot be static pages: the rules for your server are in `{file}`"
                ),
                format!(
                    "{count} địa chỉ cũ có dấu hỏi (/?p=123) không thể là trang tĩnh: quy tắc chuyển hướng cho máy chủ nằm trong `{file}`"
                ),
            ),
            ImportNotImported { count } => (
                format!("{count} post(s) could not be imported (see above); the others were"),
                format!("{count} bài không nhập được (xem ở trên); các bài khác đã được nhập"),
            ),
            ImportCheckClean => (
                "canhbao check: no problems, the site builds".into(),
                "canhbao check: không có lỗi, trang build được".into(),
            ),
            ImportCheckProblems { count } => (
                format!("canhbao check: {count} problem(s) left for the editor:"),
                format!("canhbao check: còn {count} lỗi cần biên tập viên sửa:"),
            ),
            // Channel texts (issue 12).
            SmsTooLong { septets, max } => (
                format!(
                    "the SMS is {septets} characters long without diacritics, over the {max} of one message: \
                     cut {} characters",
                    septets.saturating_sub(*max)
                ),
                format!(
                    "tin nhắn SMS dài {septets} ký tự (không dấu), quá {max} ký tự của một tin: cần bớt {} ký tự",
                    septets.saturating_sub(*max)
                ),
            ),
            SmsTooLongHelp => (
                "shorten `sms:` (`{link}` stands for the short link, `{hotline}` for the hotline), or remove it \
                 to use the text derived from the title"
                    .into(),
                "rút gọn `sms:` (`{link}` là đường link rút gọn, `{hotline}` là số đường dây nóng), hoặc bỏ `sms:` \
                 để dùng tin nhắn tạo từ tiêu đề"
                    .into(),
            ),
            RadioTooLong { seconds, max } => (
                format!("the loudspeaker script takes about {seconds} s to read, more than {max} s"),
                format!("bài đọc trên loa mất khoảng {seconds} giây, dài hơn {max} giây"),
            ),
            RadioTooLongHelp => (
                "write a shorter `radio:` (it replaces the derived script), or raise \
                 `channels: { radio_max_seconds: … }` in site.yaml"
                    .into(),
                "viết `radio:` ngắn hơn (thay cho bài đọc tạo tự động), hoặc tăng \
                 `channels: { radio_max_seconds: … }` trong site.yaml"
                    .into(),
            ),
            IssuerNameEmpty => (
                "`issuer.name` is empty: write who issues the leaflets, e.g. `name: \"Công an phường Bến Nghé\"`"
                    .into(),
                "`issuer.name` đang trống: ghi tên cơ quan phát hành tờ rơi, ví dụ `name: \"Công an phường Bến Nghé\"`"
                    .into(),
            ),
            IssuerLogoNotFound { logo, file } => (
                format!("issuer logo `{logo}` not found: no file `{file}`"),
                format!("không tìm thấy biểu trưng `{logo}` của cơ quan phát hành: không có tệp `{file}`"),
            ),
            IssuerLogoNotStatic { logo } => (
                format!("issuer logo `{logo}` must be a file of static/, written from there with a leading `/`"),
                format!(
                    "biểu trưng `{logo}` của cơ quan phát hành phải là một tệp trong static/, ghi từ đó và bắt đầu \
                     bằng `/`"
                ),
            ),
            IssuerLogoHelp => (
                "put the image in static/ (an SVG or PNG, no image from another site) and write e.g. \
                 `logo: /huy-hieu.svg` for static/huy-hieu.svg"
                    .into(),
                "đặt ảnh vào thư mục static/ (SVG hoặc PNG, không dùng ảnh của trang khác) rồi ghi, ví dụ \
                 `logo: /huy-hieu.svg` cho static/huy-hieu.svg"
                    .into(),
            ),
            LeafletTooLong { variant, paper, areas, smallest } => (
                format!(
                    "the leaflet{} does not fit on {paper} even at the smallest type ({smallest} pt): too much \
                     content in {}",
                    variant_en(variant),
                    list(areas)
                ),
                format!(
                    "tờ rơi{} không vừa khổ {paper} kể cả với cỡ chữ nhỏ nhất ({smallest} pt): quá nhiều nội dung \
                     ở {}",
                    variant_vi(variant),
                    list(areas)
                ),
            ),
            ShortUrlWraps { variant, address, paper } => (
                format!(
                    "the short address `{address}` of the leaflet{} does not fit on one line of {paper} at 11 pt",
                    variant_en(variant)
                ),
                format!(
                    "địa chỉ ngắn `{address}` của tờ rơi{} không in vừa một dòng khổ {paper} ở cỡ chữ 11 pt",
                    variant_vi(variant)
                ),
            ),
            ShortUrlWrapsHelp => (
                "shorten `base_url` (a shorter host name), `sections.short_links` or the leaflet's `code:`".into(),
                "rút ngắn `base_url` (tên miền ngắn hơn), `sections.short_links` hoặc `code:` của tờ rơi".into(),
            ),
            DeckArticleNotMarkdown { article } => (
                format!("`{article}` in `articles:` is not a Markdown file of the site"),
                format!("`{article}` trong `articles:` không phải là tệp Markdown của trang"),
            ),
            DeckArticleExample => (
                "name each article by its file, relative to the deck: `../articles/gia-danh-ngan-hang.md`".into(),
                "ghi mỗi bài bằng tên tệp của nó, tính từ tệp bài trình chiếu: `../articles/gia-danh-ngan-hang.md`"
                    .into(),
            ),
            DeckArticleMissing { article } => (
                format!("the deck draws on `{article}`, which is not an article of this build"),
                format!("bài trình chiếu dùng bài `{article}`, nhưng bài này không có trong lần dựng trang này"),
            ),
            SlidesOverflow { slides } => (
                format!("the text of these slides does not fit (it is never made smaller): {}", list(slides)),
                format!("chữ của các trang chiếu này không vừa (chữ không bao giờ bị thu nhỏ): {}", list(slides)),
            ),
            ShortenSlides => (
                "shorten the list items or table rows of these slides, or split a long section in two with a new \
                 `##` heading"
                    .into(),
                "rút gọn các ý hoặc các dòng bảng của những trang này, hoặc tách mục dài thành hai bằng một tiêu đề \
                 `##` mới"
                    .into(),
            ),
            HandbookOverflow { pages } => (
                format!(
                    "the handbook does not fit its A5 pages at {}: a table or a list item taller than a page, or a \
                     table of contents longer than a page",
                    list(pages)
                ),
                format!(
                    "cẩm nang không vừa trang A5 ở {}: một bảng hoặc một ý dài hơn một trang, hoặc mục lục dài hơn \
                     một trang",
                    list(pages)
                ),
            ),
            HandbookPageCount { pages, expected } => (
                format!("the handbook printed on {pages} pages instead of {expected}"),
                format!("cẩm nang được in ra {pages} trang thay vì {expected}"),
            ),
            PosterOverflow { areas } => (
                format!("the A3 poster does not fit its page: too much content in {}", list(areas)),
                format!("áp phích A3 không vừa trang: quá nhiều nội dung ở {}", list(areas)),
            ),
            ShortenPoster => (
                "shorten the title or the first list items of the \"Dấu hiệu\" section (the poster shows three)"
                    .into(),
                "rút gọn tiêu đề hoặc ba ý đầu của mục \"Dấu hiệu\" (áp phích in ba ý)".into(),
            ),
            PosterPageCount { pages } => (
                format!("the A3 poster printed on {pages} pages instead of 1"),
                format!("áp phích A3 được in ra {pages} trang thay vì 1"),
            ),
            SlidesPageCount { pages, expected } => (
                format!("the deck printed on {pages} pages instead of {expected}"),
                format!("bài trình chiếu được in ra {pages} trang thay vì {expected}"),
            ),
            // Short links of articles in printed-urls.txt (issue 14).
            RestoreArticleShortLink => (
                "restore the article's address, or add its old address to `aliases:` (its old short links \
                 follow it), or set the printed code as its `code:`; remove the line only if no printed copy is \
                 in circulation"
                    .into(),
                "khôi phục địa chỉ của bài, hoặc thêm địa chỉ cũ vào `aliases:` (các liên kết ngắn cũ đi theo), \
                 hoặc đặt mã đã in vào `code:`; chỉ xoá dòng này khi không còn bản in nào đang được phát"
                    .into(),
            ),
            // Instant preview (issue 10).
            PreviewReady { articles, pages, millis } => (
                format!(
                    "Preview ready: {articles} article(s) and {pages} page(s) loaded in {millis} ms; \
                     each page is rendered when it is opened"
                ),
                format!(
                    "Bản xem trước đã sẵn sàng: đã nạp {articles} bài cảnh báo và {pages} trang trong {millis} ms; \
                     mỗi trang được tạo khi được mở"
                ),
            ),
            PreviewUpdated { files, millis } => (
                format!("Updated in {millis} ms: {files} file(s) will be rendered again"),
                format!("Đã cập nhật trong {millis} ms: {files} tệp sẽ được tạo lại"),
            ),
            PreviewNotUpdated { problems } => (
                format!("the preview was not updated: {problems} problem(s)"),
                format!("bản xem trước chưa được cập nhật: {problems} lỗi"),
            ),
        };
        let text = match lang {
            Lang::En => en,
            Lang::Vi => vi,
        };
        shorten_middle(escaped(&text), MAX_MESSAGE_CHARS)
    }

    /// This message with its quoted and foreign arguments escaped and capped (the table of the
    /// module's comment), or None when it has no such argument.
    fn with_capped_arguments(&self) -> Option<Message> {
        use Message::*;
        let quote = |text: &str| capped(&escape(text, false), MAX_QUOTE_CHARS);
        let foreign = |text: &str| capped(&escape(text, true), MAX_FOREIGN_CHARS);
        Some(match self {
            BadScheme { place, url, scheme } => BadScheme { place: *place, url: quote(url), scheme: scheme.clone() },
            ScamLink { url, domain } => ScamLink { url: quote(url), domain: domain.clone() },
            RawHtml { html } => RawHtml { html: quote(html) },
            BadScamDomain { value } => BadScamDomain { value: quote(value) },
            HeadingAttribute { name } => HeadingAttribute { name: quote(name) },
            Yaml { detail } => Yaml { detail: foreign(detail) },
            YamlBudget { limit } => YamlBudget { limit: foreign(limit) },
            Template { detail } => Template { detail: foreign(detail) },
            UnknownField { field, expected } => UnknownField { field: foreign(field), expected: expected.clone() },
            UnknownChoice { value, expected } => UnknownChoice { value: foreign(value), expected: expected.clone() },
            DuplicateKey { key } => DuplicateKey { key: foreign(key) },
            // `canhbao scans` (issue 12): the error of a decompressor.
            LogDamaged { line, error } => LogDamaged { line: *line, error: foreign(error) },
            BadOfficialSite { value } => BadOfficialSite { value: quote(value) },
            ImportBadXml { detail } => ImportBadXml { detail: foreign(detail) },
            ImportBadToml { detail } => ImportBadToml { detail: foreign(detail) },
            // The address of a remote picture is shown whole: the editor may fetch it by hand.
            ImportFetchFailed { file, url, error } => {
                ImportFetchFailed { file: file.clone(), url: url.clone(), error: foreign(error) }
            }
            _ => return None,
        })
    }
}

/// `text` with its control characters shown escaped (`\u{1b}`, `\t`), line breaks kept: safe to
/// print on a terminal. Every message goes through it ([`Message::text`]); so does the text of
/// an error that is not a message, where it is printed.
pub fn escaped(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_line_breaks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !(keep_line_breaks && c == '\n') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` if it has at most `max` characters, else its first `max` and `…`.
fn capped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// `text` if it has at most `max` characters, else its start and end around ` … `.
fn shorten_middle(text: String, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text;
    }
    let head: String = text.chars().take(max * 2 / 3).collect();
    let tail: String = text.chars().skip(count - max / 3).collect();
    format!("{head} … {tail}")
}

fn printed_on_en(note: &str) -> String {
    if note.is_empty() { String::new() } else { format!(" (printed on {note})") }
}

fn printed_on_vi(note: &str) -> String {
    if note.is_empty() { String::new() } else { format!(" (in trên {note})") }
}

fn variant_en(variant: &str) -> String {
    if variant.is_empty() { String::new() } else { format!(" (variant {variant})") }
}

fn variant_vi(variant: &str) -> String {
    if variant.is_empty() { String::new() } else { format!(" (phiên bản {variant})") }
}

/// English, as tests and logs see it.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// An error that is one [`Message`], for failures tied to no source position (no site.yaml, a
/// template error). The binary prints it in the editor's language; `Display` is English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageError(pub Message);

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for MessageError {}

impl From<Message> for anyhow::Error {
    fn from(message: Message) -> Self {
        anyhow::Error::new(MessageError(message))
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        let mut count = 0;
        for message in Message::iter() {
            let (en, vi) = (message.text(Lang::En), message.text(Lang::Vi));
            assert!(!vi.trim().is_empty(), "{message:?} has no Vietnamese text");
            // The foreign texts carry their argument; with an empty one only the Vietnamese frame is left.
            let carried = matches!(message, Message::ReadFailed { .. } | Message::Yaml { .. });
            assert!(carried || !en.trim().is_empty(), "{message:?} has no English text");
            assert_ne!(en, vi, "{message:?} is not translated");
            count += 1;
        }
        assert!(count > 60, "{count} variants");
    }

    #[test]
    fn arguments_are_kept_in_both_languages() {
        let m = Message::UnknownTerm { vocabulary: Vocabulary::Scams, key: "gia-danh-cong-ann".into() };
        assert_eq!(m.text(Lang::En), "unknown scam type \"gia-danh-cong-ann\"");
        assert_eq!(m.text(Lang::Vi), "thủ đoạn không có trong site.yaml: \"gia-danh-cong-ann\"");
        let m = Message::BadDate { field: "date".into(), value: "2024-13-01".into() };
        assert_eq!(m.to_string(), "date `2024-13-01` is not a valid date");
        assert_eq!(m.text(Lang::Vi), "date `2024-13-01` không phải là ngày hợp lệ");
        let m =
            Message::LeafletOverflow { variant: "q1".into(), paper: "A5".into(), areas: vec!["a".into(), "b".into()] };
        assert_eq!(m.to_string(), "the leaflet (variant q1) does not fit on A5: too much content in a, b");
        assert_eq!(m.text(Lang::Vi), "tờ rơi (phiên bản q1) không vừa khổ A5: quá nhiều nội dung ở a, b");
    }

    #[test]
    fn issue_9_messages_keep_their_english_and_have_vietnamese() {
        let url = "java\tscript:x".into();
        let m = Message::BadScheme { place: UrlPlace::Link, url, scheme: "javascript".into() };
        assert_eq!(
            m.to_string(),
            "link `java\\tscript:x` uses the `javascript:` scheme, which is never published: allowed are http:, https:, mailto:, tel:, sms: and paths on this site"
        );
        assert!(m.text(Lang::Vi).starts_with("liên kết `java\\tscript:x` dùng giao thức `javascript:` nên"), "{m:?}");
        let m = Message::ControlCharacter { code: 0x1b };
        assert_eq!(
            m.to_string(),
            "control character U+001B is not allowed: delete it (it breaks feeds and social cards)"
        );
        let m = Message::UrlTaken {
            url: "/robots.txt".into(),
            first: Owner::Generated("/robots.txt".into()),
            second: Owner::Source("static/robots.txt".into()),
        };
        assert_eq!(
            m.to_string(),
            "URL `/robots.txt` is used by both `the generated `/robots.txt`` and `static/robots.txt`"
        );
        assert_eq!(
            m.text(Lang::Vi),
            "địa chỉ `/robots.txt` bị dùng cho cả tệp `/robots.txt` do canhbao tạo và `static/robots.txt`"
        );
        let m = Message::UrlTaken {
            url: "/thu-doan/".into(),
            first: Owner::TermIndex(Vocabulary::Scams),
            second: Owner::Source("content/pages/thu-doan.md".into()),
        };
        assert!(m.to_string().contains("`the scam type index page`"), "{m}");
        assert!(m.text(Lang::Vi).contains("cả trang danh sách thủ đoạn và"), "{}", m.text(Lang::Vi));
        let m = Message::ScamLinkHelp { url: "https://fake-bank.example/otp".into() };
        assert!(m.text(Lang::Vi).ends_with("sẽ hiện thành hxxps://fake-bank[.]example/otp"), "{}", m.text(Lang::Vi));
    }

    #[test]
    fn every_refusal_of_the_output_folder_is_translated() {
        use crate::output::Refusal::*;
        for refusal in [FileSystemRoot, Home, HoldsSite, InsideSource, AnotherSite, File, DanglingLink, NotOurs] {
            let m = Message::OutputRefused { folder: "/tmp/x".into(), refusal };
            assert_ne!(refusal.reason(Lang::En), refusal.reason(Lang::Vi));
            assert!(m.text(Lang::Vi).contains(refusal.reason(Lang::Vi)), "{refusal:?}");
            assert!(m.to_string().starts_with("refusing to use `/tmp/x` as the output folder: it "), "{m}");
        }
    }

    #[test]
    fn a_huge_value_is_cut_in_the_middle() {
        let m = Message::BadDate { field: "date".into(), value: "9".repeat(10_000_000) };
        let text = m.text(Lang::Vi);
        assert!(text.chars().count() <= MAX_MESSAGE_CHARS + 3, "{}", text.len());
        assert!(text.starts_with("date `999") && text.ends_with("999` không phải là ngày hợp lệ"), "{text}");
        assert_eq!(shorten_middle("ngắn".into(), 10), "ngắn");
    }

    #[test]
    fn issue_9_arguments_are_escaped_and_capped_where_rendered() {
        // A foreign text: control characters escaped, line breaks kept, 300 characters.
        let m = Message::Yaml { detail: "a\x1b[31m b\0c\nd".into() };
        assert_eq!(m.to_string(), "a\\u{1b}[31m b\\u{0}c\nd");
        let m = Message::Template { detail: "x".repeat(10_000) };
        let text = m.to_string();
        assert_eq!(text, format!("template error: {}…", "x".repeat(MAX_FOREIGN_CHARS)));
        // A quoted URL: line breaks escaped too, 80 characters (counted after escaping).
        let url = format!("java\tscript:\n{}", "a".repeat(200));
        let m = Message::ScamLink { url, domain: "x.example".into() };
        let quoted = format!("java\\tscript:\\n{}…", "a".repeat(MAX_QUOTE_CHARS - 15));
        assert_eq!(m.to_string(), format!("live link to `{quoted}`, a scam domain listed in site.yaml (`x.example`)"));
        // Any other argument: escaped, in both languages.
        let m = Message::BadSlug { wanted: "a\x1b]0;pwned\x07".into() };
        for lang in [Lang::En, Lang::Vi] {
            let text = m.text(lang);
            assert!(text.contains("a\\u{1b}]0;pwned\\u{7}") && !text.chars().any(|c| c.is_control()), "{text}");
        }
        assert_eq!(capped("ngắn", 4), "ngắn");
        assert_eq!(capped("ngắn", 2), "ng…");
    }
}
