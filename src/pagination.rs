//! Streams over MOCO's paginated lists.
//!
//! MOCO pages with a `page` query parameter and tells where it stands in response headers:
//! `X-Page`, `X-Per-Page`, `X-Total`, and `Link: <...?page=N>; rel="next"` while more pages follow.
//! The codegen implements `PagedRequest` for every generated builder that has a `page` parameter
//! and returns a list, and gives those builders `stream()`, `pages()` and `collect_all()` (and
//! `stream_concurrent(n)`, `pages_concurrent(n)`, `collect_all_concurrent(n)`).
//! Each page is requested from a clone of the caller's builder, so every filter is kept.
//!
//! **Concurrency.** Once the first page reveals `X-Total` and `X-Per-Page`, the remaining pages
//! are known and fetched concurrently; items still come in page order. `stream_concurrent(n)`,
//! `pages_concurrent(n)` and `collect_all_concurrent(n)` keep at most `n` pages in flight.
//! `stream()`, `pages()` and `collect_all()` follow the client's rate limiter instead: as many
//! pages as the window has room for right now, at least [`DEFAULT_CONCURRENCY`] and at most
//! [`MAX_CONCURRENCY`] (re-assessed whenever a page is taken from the stream). So a sync that
//! starts with an empty window sends up to [`MAX_CONCURRENCY`] pages at once instead of being
//! bound by the round trip, and one whose window is full keeps only [`DEFAULT_CONCURRENCY`]
//! waiting, which is enough to take each place as it frees. Without a client-side limit
//! ([`crate::RateLimit::off`]), or once the client paces after a 429, they keep
//! [`DEFAULT_CONCURRENCY`]. Every request goes through the client's rate limiter, so
//! concurrency never exceeds the plan's allowance: it only stops a long sync from being bound
//! by the round trip. The server's `Link` header
//! still has the last word: a page without `rel="next"` ends the list (it shrank meanwhile), and
//! a `rel="next"` on the last page `X-Total` announced is followed (it grew). Without those
//! headers, or with `n = 1`, pages are fetched one after the other, following `rel="next"`.
//!
//! **Integrity.** MOCO pages by number, so a record created or deleted while a list is read
//! shifts the records behind it from one page to the next: one may be read twice, another not
//! at all. The item streams (`stream()`, `stream_concurrent(n)`, `collect_all()`, ...) guard
//! against both:
//!
//! - **never twice**: an item whose `id` was already yielded is dropped, across pages and passes;
//! - **a change is noticed**: by a page whose `X-Total` differs from the one of the first page
//!   of the pass, or by an `id` that comes twice within one pass;
//! - **recovered by another pass**: after a pass that noticed a change, the list is read again
//!   from the start, yielding only what was not yielded yet; up to [`MAX_PASSES`] passes;
//! - **or reported**: if the list still changed in the last pass, the stream ends with
//!   [`Error::Pagination`] after the items it got (so `collect_all()` fails), since items may be
//!   missing.
//!
//! So a stream that ends without an error yielded every record that existed throughout its last
//! pass exactly once; records created or deleted meanwhile may or may not be among them. What
//! page numbers cannot reveal is a change that leaves `X-Total` as it was between two page
//! requests (as many records created behind the position as deleted before it, or an update
//! that moves a record across it in a `sort_by` order): stream a slice that does not change
//! while it is read (e.g. activities `from`/`to` a past date) for a guarantee without that gap.
//! Items without an integer `id` are never dropped; for them only `X-Total` is watched.
//! The builders' `pages()` hand out MOCO's pages as they come, without these checks (each
//! [`Page`] carries its `X-Total` to compare).

use std::{collections::HashMap, future::Future, pin::Pin};

use std::task::{Context, Poll};

use futures::{
    future::{BoxFuture, FutureExt},
    stream::{self, BoxStream, FuturesOrdered, Stream},
    StreamExt, TryStreamExt,
};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, LINK};

use crate::Error;

pub use mocoapp_types::ListItem;

/// An item that is `pub` with the `unstable-internals` feature (the fuzz targets, the property
/// tests and the `moco` command line drive the page streams themselves) and crate-private
/// otherwise: the builders' `stream()`, `pages()` and `collect_all()` are the API.
macro_rules! internal {
    ($(#[$meta:meta])* $kind:ident $($rest:tt)*) => {
        #[cfg(feature = "unstable-internals")]
        $(#[$meta])* pub $kind $($rest)*
        #[cfg(not(feature = "unstable-internals"))]
        $(#[$meta])* pub(crate) $kind $($rest)*
    };
}

/// How many pages `stream()`, `pages()` and `collect_all()` keep in flight at least once
/// `X-Total` is known (and at most, without a client-side rate limit).
pub const DEFAULT_CONCURRENCY: usize = 4;

/// How many pages `stream()`, `pages()` and `collect_all()` keep in flight at most, while the
/// rate limiter's window has room for them (see the module docs). 32 pages in flight at a round
/// trip of 250 ms fill MOCO's unlimited plan's window (1,200 requests) in under 10 s.
pub const MAX_CONCURRENCY: usize = 32;

/// How many pages a stream keeps in flight.
#[derive(Clone, Copy, Debug)]
enum Concurrency {
    /// At most this many.
    Fixed(usize),
    /// As many as the client's rate limiter has room for, within `DEFAULT_CONCURRENCY ..=
    /// MAX_CONCURRENCY`.
    FollowLimiter,
}

impl Concurrency {
    fn sequential(self) -> bool {
        matches!(self, Concurrency::Fixed(n) if n <= 1)
    }

    /// How many pages to keep in flight, `in_flight` being in flight now.
    fn target(self, client: Option<&crate::Client>, in_flight: usize) -> usize {
        match (self, client.and_then(crate::Client::limiter_room)) {
            (Concurrency::Fixed(n), _) => n.max(1),
            (Concurrency::FollowLimiter, None) => DEFAULT_CONCURRENCY,
            (Concurrency::FollowLimiter, Some(room)) => (in_flight + room).clamp(DEFAULT_CONCURRENCY, MAX_CONCURRENCY),
        }
    }
}

/// How many times an item stream reads a list that changes while it is read before it ends with
/// [`Error::Pagination`] (see the module docs).
pub const MAX_PASSES: u32 = 3;

/// One page of a list, with MOCO's pagination metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The entries of this page.
    pub items: Vec<T>,
    /// `X-Page`: this page's number.
    pub page: Option<i64>,
    /// `X-Per-Page`: entries per page.
    pub per_page: Option<i64>,
    /// `X-Total`: entries across all pages.
    pub total: Option<i64>,
    /// The page the `Link: rel="next"` header points at; `None` on the last page.
    pub next_page: Option<i64>,
}

impl<T> Page<T> {
    /// Reads the items and the pagination headers of a list response.
    pub fn from_response(response: ResponseValue<Vec<T>>) -> Result<Self, Error> {
        let headers = response.headers().clone();
        Ok(Page {
            page: header_number(&headers, "x-page"),
            per_page: header_number(&headers, "x-per-page"),
            total: header_number(&headers, "x-total"),
            next_page: next_page(&headers)?,
            items: response.into_inner(),
        })
    }

    /// Whether MOCO announced a further page.
    pub fn has_next(&self) -> bool {
        self.next_page.is_some()
    }

    /// The last page number `X-Total` and `X-Per-Page` imply, if both were sent.
    pub(crate) fn last_page(&self) -> Option<i64> {
        let (total, per_page) = (self.total?, self.per_page?);
        // Rounded up without `total + per_page - 1`, which overflows for an `X-Total` near
        // i64::MAX (found by tests/properties.rs).
        (per_page > 0 && total >= 0).then(|| (total / per_page + i64::from(total % per_page != 0)).max(1))
    }

    /// The next page to follow: `Link: rel="next"`, which must point forward from `current`.
    pub(crate) fn follow(&self, current: i64) -> Result<Option<i64>, Error> {
        match self.next_page {
            Some(next) if next > current => Ok(Some(next)),
            Some(next) => Err(Error::Pagination(format!("page {current} links to page {next} as the next one"))),
            None => Ok(None),
        }
    }
}

internal! {
    /// The future a paged request returns.
    type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<ResponseValue<Vec<T>>, Error>> + Send + 'a>>;
}

internal! {
/// A list request that can be sent for any page. Implemented by the codegen for every generated
/// list builder with a `page` parameter; you normally use the builders' `stream()`.
trait PagedRequest<'a>: Clone + Send + 'a {
    /// The entity listed (the codegen's [`ListItem`] implementation tells its `id`).
    type Item: Send + ListItem + 'a;
    /// The same request for another page.
    fn with_page(self, page: i64) -> Self;
    /// Sends the request.
    fn fetch(self) -> PageFuture<'a, Self::Item>;
    /// The client the request is sent through, whose rate limiter `stream()`, `pages()` and
    /// `collect_all()` size their concurrency by; `None` (the default) keeps
    /// [`DEFAULT_CONCURRENCY`].
    fn client(&self) -> Option<&'a crate::Client> {
        None
    }
}
}

internal! {
/// Pages in order, starting with the page the builder asks for (the first unless `.page(n)` was
/// set), as a boxed, `Unpin` stream (so `try_next()` works directly); once the first page
/// reveals `X-Total` and `X-Per-Page` the remaining ones are fetched `concurrency` at a time
/// (see the module docs). The stream ends after the first error, which it yields.
fn stream_pages_concurrent<'a, R: PagedRequest<'a>>(request: R, concurrency: usize) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    pages_with(request, Concurrency::Fixed(concurrency.max(1)))
}
}

internal! {
/// Pages in order, like [`stream_pages_concurrent`], with as many pages in flight as the
/// client's rate limiter has room for (see the module docs): what the builders' `pages()` does.
fn stream_pages_auto<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    pages_with(request, Concurrency::FollowLimiter)
}
}

fn pages_with<'a, R: PagedRequest<'a>>(request: R, concurrency: Concurrency) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    stream::unfold(Phase::First(request), move |phase| phase.step(concurrency)).boxed()
}

/// Where a page stream stands.
enum Phase<'a, R: PagedRequest<'a>> {
    /// Nothing fetched yet: the builder's own page comes first.
    First(R),
    /// Following `rel="next"` one page at a time; `page` is the next one to fetch.
    Sequential {
        request: R,
        page: i64,
    },
    /// Pages up to `last` requested ahead, answers in page order.
    Concurrent {
        request: R,
        last: i64,
        fetched: Ahead<'a, R>,
    },
    Done,
}

/// Pages `next..=last` fetched ahead, answered in page order with the number each was
/// requested as; how many are in flight follows its [`Concurrency`].
struct Ahead<'a, R: PagedRequest<'a>> {
    request: Box<R>,
    next: i64,
    last: i64,
    concurrency: Concurrency,
    in_flight: FuturesOrdered<BoxFuture<'a, Numbered<R::Item>>>,
}

/// A page's answer with the number it was requested as.
type Numbered<T> = (i64, Result<Page<T>, Error>);

impl<'a, R: PagedRequest<'a>> Stream for Ahead<'a, R> {
    type Item = Numbered<R::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let target = this.concurrency.target(this.request.client(), this.in_flight.len());
        while this.in_flight.len() < target && this.next <= this.last {
            let n = this.next;
            this.in_flight.push_back(fetch((*this.request).clone().with_page(n)).map(move |page| (n, page)).boxed());
            this.next += 1;
        }
        this.in_flight.poll_next_unpin(cx)
    }
}

type Step<'a, R> = Option<(Result<Page<<R as PagedRequest<'a>>::Item>, Error>, Phase<'a, R>)>;

impl<'a, R: PagedRequest<'a>> Phase<'a, R> {
    async fn step(self, concurrency: Concurrency) -> Step<'a, R> {
        match self {
            Phase::Done => None,
            Phase::First(request) => {
                let page = match fetch(request.clone()).await {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), Phase::Done)),
                };
                let current = page.page.unwrap_or(1);
                let next = match page.follow(current) {
                    Ok(Some(next)) => next,
                    Ok(None) => return Some((Ok(page), Phase::Done)),
                    Err(e) => return Some((Err(e), Phase::Done)),
                };
                let phase = match page.last_page() {
                    Some(last) if !concurrency.sequential() && last > next => {
                        let fetched =
                            Ahead { request: Box::new(request.clone()), next, last, concurrency, in_flight: FuturesOrdered::new() };
                        Phase::Concurrent { request, last, fetched }
                    }
                    _ => Phase::Sequential { request, page: next },
                };
                Some((Ok(page), phase))
            }
            Phase::Sequential { request, page: number } => {
                let page = match fetch(request.clone().with_page(number)).await {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), Phase::Done)),
                };
                match page.follow(page.page.unwrap_or(number)) {
                    Ok(Some(next)) => Some((Ok(page), Phase::Sequential { request, page: next })),
                    Ok(None) => Some((Ok(page), Phase::Done)),
                    Err(e) => Some((Err(e), Phase::Done)),
                }
            }
            Phase::Concurrent { request, last, mut fetched } => {
                let (number, page) = fetched.next().await?;
                let page = match page {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), Phase::Done)),
                };
                let next = match page.follow(number) {
                    Ok(next) => next,
                    Err(e) => return Some((Err(e), Phase::Done)),
                };
                let phase = match next {
                    // The list ended earlier than X-Total said: the pages still in flight are dropped.
                    None => Phase::Done,
                    Some(_) if number < last => Phase::Concurrent { request, last, fetched },
                    // More pages than X-Total said: follow them.
                    Some(next) => Phase::Sequential { request, page: next },
                };
                Some((Ok(page), phase))
            }
        }
    }
}

async fn fetch<'a, R: PagedRequest<'a>>(request: R) -> Result<Page<R::Item>, Error> {
    Page::from_response(request.fetch().await?)
}

internal! {
/// Every item of every page, in order, with up to `concurrency` pages fetched at a time once
/// `X-Total` is known; each `id` once, and a list that changes meanwhile is read again or
/// reported (see the module docs).
fn stream_items_concurrent<'a, R: PagedRequest<'a>>(request: R, concurrency: usize) -> BoxStream<'a, Result<R::Item, Error>> {
    items_with(request, Concurrency::Fixed(concurrency.max(1)))
}
}

internal! {
/// Every item of every page, like [`stream_items_concurrent`], with as many pages in flight as
/// the client's rate limiter has room for (see the module docs): what the builders' `stream()`
/// does.
fn stream_items_auto<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<R::Item, Error>> {
    items_with(request, Concurrency::FollowLimiter)
}
}

fn items_with<'a, R: PagedRequest<'a>>(request: R, concurrency: Concurrency) -> BoxStream<'a, Result<R::Item, Error>> {
    let passes = Passes {
        pages: pages_with(request.clone(), concurrency),
        request,
        concurrency,
        pass: 1,
        pass_total: None,
        change: None,
        yielded: HashMap::new(),
    };
    stream::unfold(Some(passes), |passes| async move {
        let mut passes = passes?;
        loop {
            match passes.pages.next().await {
                Some(Ok(page)) => {
                    let items = passes.admit(page);
                    return Some((Ok(items), Some(passes)));
                }
                Some(Err(e)) => return Some((Err(e), None)),
                None => match passes.change.take() {
                    None => return None,
                    Some(_) if passes.pass < MAX_PASSES => passes.next_pass(),
                    Some(change) => {
                        let message =
                            format!("the list changed while it was read ({change}), in each of {MAX_PASSES} passes: items may be missing");
                        return Some((Err(Error::Pagination(message)), None));
                    }
                },
            }
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// The bookkeeping of an item stream: which ids it yielded (and in which pass it last saw them),
/// and whether the current pass noticed a change.
struct Passes<'a, R: PagedRequest<'a>> {
    request: R,
    concurrency: Concurrency,
    pages: BoxStream<'a, Result<Page<R::Item>, Error>>,
    pass: u32,
    /// `X-Total` of the pass's first page.
    pass_total: Option<i64>,
    /// What the pass noticed first.
    change: Option<String>,
    yielded: HashMap<i64, u32>,
}

impl<'a, R: PagedRequest<'a>> Passes<'a, R> {
    /// The page's items not yielded before; notes a changed `X-Total` or an id seen twice.
    fn admit(&mut self, page: Page<R::Item>) -> Vec<R::Item> {
        if let Some(total) = page.total {
            match self.pass_total {
                None => self.pass_total = Some(total),
                Some(first) if first != total => self.notice(|| format!("X-Total went from {first} to {total}")),
                Some(_) => {}
            }
        }
        let pass = self.pass;
        let mut twice = None;
        let items = page
            .items
            .into_iter()
            .filter(|item| {
                let Some(id) = item.item_id() else { return true };
                match self.yielded.insert(id, pass) {
                    None => true,
                    Some(seen) => {
                        if seen == pass {
                            twice.get_or_insert(id);
                        }
                        false
                    }
                }
            })
            .collect();
        if let Some(id) = twice {
            self.notice(|| format!("id {id} came twice"));
        }
        items
    }

    fn notice(&mut self, change: impl FnOnce() -> String) {
        if self.change.is_none() {
            self.change = Some(change());
        }
    }

    fn next_pass(&mut self) {
        tracing::debug!(pass = self.pass + 1, "the list changed while it was read: reading it again");
        self.pass += 1;
        self.pass_total = None;
        self.pages = pages_with(self.request.clone(), self.concurrency);
    }
}

internal! {
/// All items of all pages, with up to `concurrency` pages fetched at a time once `X-Total` is
/// known. Boxed, like the streams: a future generic over `PagedRequest<'a>` would trip rustc's
/// `Send` check when spawned ("implementation is not general enough").
fn collect_all_concurrent<'a, R: PagedRequest<'a>>(request: R, concurrency: usize) -> BoxFuture<'a, Result<Vec<R::Item>, Error>> {
    stream_items_concurrent(request, concurrency).try_collect().boxed()
}
}

internal! {
/// All items of all pages, with as many pages in flight as the client's rate limiter has room
/// for (see the module docs): what the builders' `collect_all()` does.
fn collect_all_auto<'a, R: PagedRequest<'a>>(request: R) -> BoxFuture<'a, Result<Vec<R::Item>, Error>> {
    stream_items_auto(request).try_collect().boxed()
}
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The page number in the `Link` header's `rel="next"` target.
fn next_page(headers: &HeaderMap) -> Result<Option<i64>, Error> {
    for value in headers.get_all(LINK) {
        let Ok(value) = value.to_str() else { continue };
        if let Some(url) = links(value).find(|(_, params)| is_rel_next(params)).map(|(url, _)| url) {
            let parsed = reqwest::Url::parse(url)
                .or_else(|_| reqwest::Url::parse("http://relative.invalid").and_then(|base| base.join(url)))
                .map_err(|e| Error::Pagination(format!("the next-page link {url:?} is not a URL: {e}")))?;
            let page = parsed
                .query_pairs()
                .find(|(k, _)| k == "page")
                .and_then(|(_, v)| v.parse::<i64>().ok())
                .ok_or_else(|| Error::Pagination(format!("the next-page link {url:?} has no page number")))?;
            return Ok(Some(page));
        }
    }
    Ok(None)
}

/// `(target, parameters)` of each link in a `Link` header value. Targets are taken between
/// `<` and `>`, so commas inside them (MOCO keeps `ids=1,2` in the link) do no harm.
fn links(value: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = value;
    std::iter::from_fn(move || {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let after = &rest[end + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = &after[..params_end];
        rest = &after[params_end..];
        Some((target, params))
    })
}

fn is_rel_next(params: &str) -> bool {
    params.split(';').any(|p| {
        let p = p.trim().trim_end_matches(',').trim();
        p.strip_prefix("rel=").map(|rel| rel.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next"))).unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn finds_the_next_link_among_others() {
        let headers = link(
            r#"<https://x.mocoapp.com/api/v1/projects?page=1>; rel="prev", <https://x.mocoapp.com/api/v1/projects?page=3&tags=a>; rel="next""#,
        );
        assert_eq!(next_page(&headers).unwrap(), Some(3));
    }

    #[test]
    fn last_page_rounds_up_and_survives_a_huge_total() {
        let page =
            |total, per_page| Page::<()> { items: vec![], page: Some(1), per_page: Some(per_page), total: Some(total), next_page: None };
        assert_eq!(page(0, 100).last_page(), Some(1));
        assert_eq!(page(200, 100).last_page(), Some(2));
        assert_eq!(page(201, 100).last_page(), Some(3));
        assert_eq!(page(i64::MAX, 100).last_page(), Some(i64::MAX / 100 + 1));
        assert_eq!(page(i64::MAX, i64::MAX).last_page(), Some(1));
        assert_eq!(page(-1, 100).last_page(), None);
    }

    #[test]
    fn no_next_link_means_last_page() {
        assert_eq!(next_page(&link(r#"<https://x/api/v1/projects?page=1>; rel="prev""#)).unwrap(), None);
        assert_eq!(next_page(&HeaderMap::new()).unwrap(), None);
    }

    #[test]
    fn commas_inside_the_target_are_kept() {
        let headers =
            link(r#"<https://x/api/v1/projects?ids=1,2,3&page=2>; rel="next", <https://x/api/v1/projects?ids=1,2,3&page=9>; rel="last""#);
        assert_eq!(next_page(&headers).unwrap(), Some(2));
    }

    #[test]
    fn relative_link_is_understood() {
        assert_eq!(next_page(&link(r#"</api/v1/projects.json?page=4>; rel="next""#)).unwrap(), Some(4));
    }

    #[test]
    fn next_link_without_page_is_an_error() {
        let err = next_page(&link(r#"<https://x/api/v1/projects>; rel="next""#)).unwrap_err();
        assert!(matches!(err, Error::Pagination(_)), "{err}");
    }
}
