//! Streams over MOCO's paginated lists.
//!
//! MOCO pages with a `page` query parameter and tells where it stands in response headers:
//! `X-Page`, `X-Per-Page`, `X-Total`, and `Link: <...?page=N>; rel="next"` while more pages follow.
//! build.rs implements [`PagedRequest`] for every generated builder that has a `page` parameter
//! and returns a list, and gives those builders `stream()`, `pages()` and `collect_all()`.
//! Each page is requested from a clone of the caller's builder, so every filter is kept.

use std::{future::Future, pin::Pin};

use futures::{
    future::{BoxFuture, FutureExt},
    stream::{self, BoxStream},
    StreamExt, TryStreamExt,
};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, LINK};

use crate::Error;

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

/// Pages in order (as a boxed, `Unpin` stream, so `try_next()` works directly), starting with the page the builder asks for (the first unless `.page(n)` was
/// set), until a page has no `rel="next"` link.
pub fn stream_pages<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<Page<R::Item>, Error>> {
    stream::try_unfold(Some((request, None::<i64>)), |state| async move {
        let Some((request, page_number)) = state else { return Ok(None) };
        let this = match page_number {
            Some(n) => request.clone().with_page(n),
            None => request.clone(),
        };
        let page = Page::from_response(this.fetch().await?)?;
        let current = page.page.or(page_number).unwrap_or(1);
        let next = match page.next_page {
            Some(next) if next > current => Some((request, Some(next))),
            Some(next) => {
                return Err(Error::Pagination(format!("page {current} links to page {next} as the next one")));
            }
            None => None,
        };
        Ok(Some((page, next)))
    })
    .boxed()
}

/// Every item of every page, in order.
pub fn stream_items<'a, R: PagedRequest<'a>>(request: R) -> BoxStream<'a, Result<R::Item, Error>> {
    stream_pages(request)
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// All items of all pages. Boxed, like the streams: a future generic over `PagedRequest<'a>`
/// would trip rustc's `Send` check when spawned ("implementation is not general enough").
pub fn collect_all<'a, R: PagedRequest<'a>>(request: R) -> BoxFuture<'a, Result<Vec<R::Item>, Error>> {
    stream_items(request).try_collect().boxed()
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
