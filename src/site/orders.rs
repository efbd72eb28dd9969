//! The order of the site's article lists, a property of the model made once per load: the home
//! pages lead with the urgent warnings changed most recently, each scam-type and audience page
//! lists its urgent warnings first (issue 11). [`ListOrders::page`] is the one answer to "which
//! articles are on page `n` of this list": the route table gives each list page those articles
//! as its inputs ([`super::routes`]) and the renderer shows them, so incremental preview knows
//! exactly which list pages an edit changes (issue 10).

use super::TermIndex;
use crate::content::{Article, Severity, When};
use crate::messages::Vocabulary;

/// At most this many warnings in the home page's urgent box.
pub const URGENT_MAX: usize = 5;

/// A paginated article list of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// The home page and its pages.
    Home,
    /// A scam type's or an audience's pages (index into `Site::scams` or `Site::audiences`).
    Term(Vocabulary, usize),
}

/// What an article's place in the lists depends on, besides its date (the model's order).
#[derive(Debug, Clone, Copy)]
struct Placing {
    urgent: bool,
    /// When it last changed: updated, else published.
    changed: When,
}

/// The order of every article list (indexes into `Site::articles`) and how they are cut into
/// pages. Made once per model, not per list page: issue 10, made per page it cost O(articles)
/// each, and a site's list pages grow with its articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrders {
    per_page: usize,
    /// The home pages' order ([`home_order`]).
    home: Vec<usize>,
    /// How many urgent warnings lead `home` (page 1's urgent box).
    urgent: usize,
    /// Per scam type, in the order of `Site::scams` ([`urgent_first`]).
    scams: Vec<Vec<usize>>,
    /// Per audience, in the order of `Site::audiences`.
    audiences: Vec<Vec<usize>>,
}

impl ListOrders {
    /// The orders of the lists of `articles` (the model's order: newest first) with their term
    /// indexes, `per_page` articles a page.
    pub fn new<'a>(
        articles: impl IntoIterator<Item = &'a Article>,
        (scams, audiences): (&[TermIndex], &[TermIndex]),
        per_page: usize,
    ) -> Self {
        let placings: Vec<Placing> = articles
            .into_iter()
            .map(|a| Placing { urgent: a.severity == Severity::Urgent, changed: a.updated.unwrap_or(a.date) })
            .collect();
        let per_page = per_page.max(1);
        let (home, urgent) = home_order(&placings, per_page);
        let terms = |index: &[TermIndex]| index.iter().map(|t| urgent_first(&placings, &t.articles)).collect();
        ListOrders { per_page, home, urgent, scams: terms(scams), audiences: terms(audiences) }
    }

    /// Every article of `list`, in its order.
    pub fn order(&self, list: List) -> &[usize] {
        match list {
            List::Home => &self.home,
            List::Term(Vocabulary::Scams, t) => &self.scams[t],
            List::Term(Vocabulary::Audiences, t) => &self.audiences[t],
        }
    }

    /// The number of pages of `list` (at least 1: an empty list has an empty page).
    pub fn pages(&self, list: List) -> usize {
        self.order(list).len().div_ceil(self.per_page).max(1)
    }

    /// The articles on page `n` (from 1) of `list`, in the order shown. Page 1 of the home page
    /// starts with its urgent box ([`Self::urgent_box`]).
    pub fn page(&self, list: List, n: usize) -> &[usize] {
        let order = self.order(list);
        let start = n.saturating_sub(1).saturating_mul(self.per_page).min(order.len());
        &order[start..(start + self.per_page).min(order.len())]
    }

    /// The articles of the home page's urgent box: the first ones of its page 1.
    pub fn urgent_box(&self) -> &[usize] {
        &self.home[..self.urgent]
    }
}

/// The order of the home pages (issue 11): the urgent warnings changed most recently (at most
/// [`URGENT_MAX`] and one page), then every other article, newest first. Returns it with the
/// number of urgent ones leading it: page 1 shows those in its urgent box and the rest of its
/// share in the list, so no article is listed twice.
fn home_order(placings: &[Placing], per_page: usize) -> (Vec<usize>, usize) {
    let mut urgent = urgent_changed_first(placings, 0..placings.len());
    urgent.truncate(URGENT_MAX.min(per_page));
    let leading = urgent.len();
    let mut boxed = vec![false; placings.len()];
    for &i in &urgent {
        boxed[i] = true;
    }
    let mut order = urgent;
    order.extend((0..placings.len()).filter(|&i| !boxed[i]));
    (order, leading)
}

/// `items` (indexes of articles, newest first) with the urgent ones first, the most recently
/// changed first (issue 11: scam-type and audience pages).
fn urgent_first(placings: &[Placing], items: &[usize]) -> Vec<usize> {
    let mut order = urgent_changed_first(placings, items.iter().copied());
    order.extend(items.iter().filter(|&&i| !placings[i].urgent));
    order
}

/// The urgent articles of `items`, the most recently changed first.
fn urgent_changed_first(placings: &[Placing], items: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut urgent: Vec<usize> = items.filter(|&i| placings[i].urgent).collect();
    // Stable: articles changed at the same time keep their order (newest published first).
    urgent.sort_by_key(|&i| std::cmp::Reverse(placings[i].changed));
    urgent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(day: &str) -> When {
        When::parse(day).unwrap()
    }

    /// Articles newest first: (urgent, changed).
    fn orders(placings: &[(bool, &str)], terms: &[Vec<usize>], per_page: usize) -> ListOrders {
        let placings: Vec<Placing> = placings.iter().map(|&(urgent, d)| Placing { urgent, changed: when(d) }).collect();
        let (home, urgent) = home_order(&placings, per_page);
        let scams = terms.iter().map(|t| urgent_first(&placings, t)).collect();
        ListOrders { per_page, home, urgent, scams, audiences: Vec::new() }
    }

    #[test]
    fn urgent_warnings_lead_the_lists_most_recently_changed_first_issue_11() {
        // 0 is the newest; 1 and 3 are urgent, 3 changed last.
        let placings = [(false, "2024-05-04"), (true, "2024-05-03"), (false, "2024-05-02"), (true, "2024-06-01")];
        let o = orders(&placings, &[vec![0, 1, 2, 3], vec![0, 2]], 2);
        assert_eq!(o.order(List::Home), [3, 1, 0, 2]);
        assert_eq!(o.urgent_box(), [3, 1]);
        assert_eq!((o.page(List::Home, 1), o.page(List::Home, 2)), (&[3, 1][..], &[0, 2][..]));
        assert!(o.page(List::Home, 3).is_empty());
        assert_eq!(o.pages(List::Home), 2);
        assert_eq!(o.order(List::Term(Vocabulary::Scams, 0)), [3, 1, 0, 2]);
        assert_eq!(o.order(List::Term(Vocabulary::Scams, 1)), [0, 2]);
        // The urgent box takes at most one page: the other urgent warnings keep their date.
        let o = orders(&placings, &[], 1);
        assert_eq!((o.order(List::Home), o.urgent_box()), (&[3, 0, 1, 2][..], &[3][..]));
        assert_eq!(o.pages(List::Home), 4);
        // An empty list has one empty page.
        let o = orders(&[], &[vec![]], 3);
        assert_eq!((o.pages(List::Home), o.page(List::Home, 1)), (1, &[][..]));
        assert_eq!(o.pages(List::Term(Vocabulary::Scams, 0)), 1);
    }
}
