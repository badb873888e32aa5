//! Streams over MOCO's paginated lists.
//!
//! MOCO pages with a `page` query parameter and tells where it stands in response headers:
//! `X-Page`, `X-Per-Page`, `X-Total`, and `Link: <...?page=N>; rel="next"` while more pages follow.
//! build.rs implements [`PagedRequest`] for every generated builder that has a `page` parameter
//! and returns a list, and gives those builders `stream()`, `pages()` and `collect_all()` (and
//! `stream_concurrent(n)`, `pages_concurrent(n)`, `collect_all_concurrent(n)`).
//! Each page is requested from a clone of the caller's builder, so every filter is kept.
//!
//! **Concurrency.** Once the first page reveals `X-Total` and `X-Per-Page`, the remaining pages
//! are known and fetched concurrently, at most `n` at a time ([`DEFAULT_CONCURRENCY`] for
//! `stream()`, `pages()` and `collect_all()`); items still come in page order. Every request
//! goes through the client's rate limiter, so concurrency never exceeds the plan's allowance:
//! it only stops a long sync from being bound by the round trip. The server's `Link` header
//! still has the last word: a page without `rel="next"` ends the list (it shrank meanwhile), and
//! a `rel="next"` on the last page `X-Total` announced is followed (it grew). Without those
//! headers, or with `n = 1`, pages are fetched one after the other, following `rel="next"`.

use std::{future::Future, pin::Pin};

use futures::{
    future::{BoxFuture, FutureExt},
    stream::{self, BoxStream},
    StreamExt, TryStreamExt,
};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, LINK};

use crate::Error;

/// How many pages `stream()`, `pages()` and `collect_all()` fetch at a time once `X-Total` is
/// known.
pub const DEFAULT_CONCURRENCY: usize = 4;

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
    fn last_page(&self) -> Option<i64> {
        let (total, per_page) = (self.total?, self.per_page?);
        (per_page > 0 && total >= 0).then(|| ((total + per_page - 1) / per_page).max(1))
    }

    /// The next page to follow: `Link: rel="next"`, which must point forward from `current`.
    fn follow(&self, current: i64) -> Result<Option<i64>, Error> {
        match self.next_page {
            Some(next) if next > current => Ok(Some(next)),
            Some(next) => Err(Error::Pagination(format!("page {current} links to page {next} as the next one"))),
            None => Ok(None),
        }
    }
}

/// The future a paged request returns.
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<ResponseValue<Vec<T>>, Error>> + Send + 'a>>;

/// A list request that can be sent for any page. Implemented by build.rs for every generated
/// list builder with a `page` parameter; you normally use the builders' `stream()`.
pub trait PagedRequest<'a>: Clone + Send + 'a {
    /// The entity listed.
    type Item: Send + 'a;
    /// The same request for another page.
    fn with_page(self, page: i64) -> Self;
    /// Sends the request.
    fn fetch(self) -> PageFuture<'a, Self::Item>;
}

/// Pages in order (as a boxed, `Unpin` stream, so `try_next()` works directly), starting with
/// the page the builder asks for (the first unless `.page(n)` was set), one request at a time,
/// until a page has no `rel="next"` link.
pub fn stream_pages<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    stream_pages_concurrent(request, 1)
}

/// Pages in order, like [`stream_pages`], but once the first page reveals `X-Total` and
/// `X-Per-Page` the remaining ones are fetched `concurrency` at a time (see the module docs).
/// The stream ends after the first error, which it yields.
pub fn stream_pages_concurrent<'a, R: PagedRequest<'a>>(
    request: R,
    concurrency: usize,
) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    let concurrency = concurrency.max(1);
    stream::unfold(Phase::First(request), move |phase| phase.step(concurrency)).boxed()
}

/// Where a page stream stands.
enum Phase<'a, R: PagedRequest<'a>> {
    /// Nothing fetched yet: the builder's own page comes first.
    First(R),
    /// Following `rel="next"` one page at a time; `page` is the next one to fetch.
    Sequential { request: R, page: i64 },
    /// Pages up to `last` requested ahead, answers in page order.
    Concurrent { request: R, last: i64, fetched: Numbered<'a, R::Item> },
    Done,
}

/// Pages fetched ahead, with the number each was requested as.
type Numbered<'a, T> = BoxStream<'a, (i64, Result<Page<T>, Error>)>;

type Step<'a, R> = Option<(Result<Page<<R as PagedRequest<'a>>::Item>, Error>, Phase<'a, R>)>;

impl<'a, R: PagedRequest<'a>> Phase<'a, R> {
    async fn step(self, concurrency: usize) -> Step<'a, R> {
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
                    Some(last) if concurrency > 1 && last > next => {
                        let fetched = stream::iter(next..=last)
                            .map({
                                let request = request.clone();
                                move |n| fetch(request.clone().with_page(n)).map(move |page| (n, page))
                            })
                            .buffered(concurrency)
                            .boxed();
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

/// Every item of every page, in order, one request at a time.
pub fn stream_items<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<R::Item, Error>> {
    stream_items_concurrent(request, 1)
}

/// Every item of every page, in order, with up to `concurrency` pages fetched at a time once
/// `X-Total` is known.
pub fn stream_items_concurrent<'a, R: PagedRequest<'a>>(
    request: R,
    concurrency: usize,
) -> BoxStream<'a, Result<R::Item, Error>> {
    stream_pages_concurrent(request, concurrency)
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// All items of all pages, one request at a time. Boxed, like the streams: a future generic over
/// `PagedRequest<'a>` would trip rustc's `Send` check when spawned ("implementation is not
/// general enough").
pub fn collect_all<'a, R: PagedRequest<'a>>(request: R) -> BoxFuture<'a, Result<Vec<R::Item>, Error>> {
    collect_all_concurrent(request, 1)
}

/// All items of all pages, with up to `concurrency` pages fetched at a time once `X-Total` is
/// known.
pub fn collect_all_concurrent<'a, R: PagedRequest<'a>>(
    request: R,
    concurrency: usize,
) -> BoxFuture<'a, Result<Vec<R::Item>, Error>> {
    stream_items_concurrent(request, concurrency).try_collect().boxed()
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
        p.strip_prefix("rel=")
            .map(|rel| rel.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
            .unwrap_or(false)
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
        let headers = link(r#"<https://x.mocoapp.com/api/v1/projects?page=1>; rel="prev", <https://x.mocoapp.com/api/v1/projects?page=3&tags=a>; rel="next""#);
        assert_eq!(next_page(&headers).unwrap(), Some(3));
    }

    #[test]
    fn no_next_link_means_last_page() {
        assert_eq!(next_page(&link(r#"<https://x/api/v1/projects?page=1>; rel="prev""#)).unwrap(), None);
        assert_eq!(next_page(&HeaderMap::new()).unwrap(), None);
    }

    #[test]
    fn commas_inside_the_target_are_kept() {
        let headers = link(r#"<https://x/api/v1/projects?ids=1,2,3&page=2>; rel="next", <https://x/api/v1/projects?ids=1,2,3&page=9>; rel="last""#);
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
