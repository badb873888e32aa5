//! The checks behind both the fuzz targets (`fuzz/fuzz_targets/*.rs`, which include this file)
//! and the property tests (`tests/properties.rs`). Each takes arbitrary bytes, feeds them to a
//! decoder of the crate and panics only when a guarantee is broken; a panic inside the crate is
//! a broken guarantee too. Input formats (also what `tools/fuzz_seeds.py` writes):
//!
//! - [`decode_response`]: the first byte selects an entry of [`RESPONSE_TYPES`] (modulo its
//!   length + 1; the extra slot is the client's error-body decoding, with the next byte picking
//!   the status), the rest is the response body.
//! - [`pagination`]: byte 0 the concurrency, byte 1 the items per page, then responses
//!   separated by an empty line, each a list of `Name: value` header lines.
//! - [`webhook`]: byte 0 the target, byte 1 the event, byte 2 flags (how the signature is made,
//!   a tolerance), byte 3 how late the delivery is checked, then `Name: value` header lines
//!   (overriding the defaults; `key:` sets the hook's key), an empty line, and the body.

#![allow(dead_code)]

use std::{
    fmt::Debug,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, SystemTime},
};

use futures::{executor::block_on, StreamExt};
use mocoapp::{
    pagination::{stream_items_concurrent, stream_pages_concurrent, PageFuture, PagedRequest},
    types,
    webhooks::{WebhookError, WebhookPayload, WebhookVerifier},
    ResponseValue,
};
use reqwest::{
    header::{HeaderMap, HeaderName, HeaderValue},
    StatusCode,
};
use serde::{de::DeserializeOwned, Serialize};

/// One schema that is the body of a 2xx JSON response in openapi/moco.yaml.
pub struct ResponseType {
    /// Its name under `components/schemas`, or `operationId[]` for the items of an inline list.
    pub schema: &'static str,
    /// The generated type in `mocoapp::types`.
    pub rust: &'static str,
    /// Decodes bytes as the type and as a list of it, checking that whatever decodes survives
    /// a round trip; `(single, list)` tell which decoded.
    pub decode: fn(&[u8]) -> (bool, bool),
    /// Decodes bytes as the type, which must succeed, and checks the round trip; returns the
    /// value re-encoded as JSON.
    pub reencode: fn(&[u8]) -> Result<serde_json::Value, String>,
}

macro_rules! response_types {
    ($($schema:literal => $rust:ident,)*) => {
        /// Every schema that is the body of a 2xx JSON response of the spec (as one entity or as
        /// a list of them), with its generated type. `tests/properties.rs` checks this list
        /// against openapi/moco.yaml, so it cannot go stale; the index is the first byte of a
        /// `decode_responses` input (`tools/fuzz_seeds.py` reads the list from this file).
        pub const RESPONSE_TYPES: &[ResponseType] = &[$(ResponseType {
            schema: $schema,
            rust: stringify!($rust),
            decode: decode_both::<types::$rust>,
            reencode: reencode::<types::$rust>,
        },)*];
    };
}

// BEGIN RESPONSE TYPES (one `"schema" => RustType,` per line; read by tools/fuzz_seeds.py)
response_types! {
    "AbsenceRequest" => AbsenceRequest,
    "Approval" => Approval,
    "Activity" => Activity,
    "AssignedProject" => AssignedProject,
    "CatalogService" => CatalogService,
    "CatalogServiceItem" => CatalogServiceItem,
    "Comment" => Comment,
    "Company" => Company,
    "Contact" => Contact,
    "CustomPropertyDefinition" => CustomPropertyDefinition,
    "Deal" => Deal,
    "DisregardedActivity" => DisregardedActivity,
    "DealCategory" => DealCategory,
    "Employment" => Employment,
    "ExpenseTemplate" => ExpenseTemplate,
    "FixedCost" => FixedCost,
    "HourlyRates" => HourlyRates,
    "list_invoice_expenses[]" => ListInvoiceExpensesResponseItem,
    "InternalHourlyRateUser" => InternalHourlyRateUser,
    "Invoice" => Invoice,
    "InvoiceAttachment" => InvoiceAttachment,
    "InvoiceBookkeepingExport" => InvoiceBookkeepingExport,
    "InvoiceEmailRecipients" => InvoiceEmailRecipients,
    "InvoicePayment" => InvoicePayment,
    "InvoiceReminder" => InvoiceReminder,
    "InvoiceSummary" => InvoiceSummary,
    "LetterPaper" => LetterPaper,
    "Offer" => Offer,
    "OfferAttachment" => OfferAttachment,
    "OfferConfirmationDetail" => OfferConfirmationDetail,
    "OfferCustomerApproval" => OfferCustomerApproval,
    "OfferEmailRecipients" => OfferEmailRecipients,
    "PlanningEntry" => PlanningEntry,
    "PlannedPurchase" => PlannedPurchase,
    "Presence" => Presence,
    "Profile" => Profile,
    "Project" => Project,
    "ProjectContract" => ProjectContract,
    "ProjectExpense" => ProjectExpense,
    "ProjectGroup" => ProjectGroup,
    "ProjectPaymentSchedule" => ProjectPaymentSchedule,
    "ProjectRecurringExpense" => ProjectRecurringExpense,
    "ProjectReport" => ProjectReport,
    "ProjectShare" => ProjectShare,
    "ProjectTask" => ProjectTask,
    "Purchase" => Purchase,
    "PurchaseBookkeepingExport" => PurchaseBookkeepingExport,
    "PurchaseBudget" => PurchaseBudget,
    "PurchaseCategory" => PurchaseCategory,
    "PurchaseDraft" => PurchaseDraft,
    "PurchasePayment" => PurchasePayment,
    "Receipt" => Receipt,
    "ReportAbsencesEntry" => ReportAbsencesEntry,
    "ReportCashflowEntry" => ReportCashflowEntry,
    "ReportFinanceEntry" => ReportFinanceEntry,
    "ReportPlannedVsTrackedEntry" => ReportPlannedVsTrackedEntry,
    "ReportUtilizationEntry" => ReportUtilizationEntry,
    "RevenueCategory" => RevenueCategory,
    "Schedule" => Schedule,
    "Session" => Session,
    "SessionKey" => SessionKey,
    "Tag" => Tag,
    "TagNames" => TagNames,
    "TaskTemplate" => TaskTemplate,
    "Todo" => Todo,
    "Unit" => Unit,
    "User" => User,
    "UserHoliday" => UserHoliday,
    "UserPerformanceReport" => UserPerformanceReport,
    "UserRole" => UserRole,
    "VatCodePurchase" => VatCodePurchase,
    "VatCodeSale" => VatCodeSale,
    "WebHook" => WebHook,
    "WorkTimeAdjustment" => WorkTimeAdjustment,
}
// END RESPONSE TYPES

/// The key the decoding paths are given, which must never appear in what they return.
const KEY: &str = "0123456789abcdef0123456789abcdef";

/// Decodes `bytes` as `T` through the client's own answer path (`mocoapp::__fuzz::decode_answer`,
/// what every generated call does with a 200 body); if that works, encoding and decoding again
/// must give an equal value. If it does not, the error must be a `Decode` error that keeps its
/// promises (no key, a short excerpt), and plain serde_json must not have decoded it either.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(bytes: &[u8]) -> Option<Result<T, String>> {
    match mocoapp::__fuzz::decode_answer::<T>(bytes, Some(KEY)) {
        Ok(first) => Some(check_round_trip(first)),
        Err(error) => {
            match &error {
                mocoapp::Error::Decode { excerpt, status, .. } => {
                    assert_eq!(status.as_u16(), 200, "{error:?}");
                    assert!(excerpt.chars().count() <= 301, "the body excerpt is not cut: {} chars", excerpt.chars().count());
                }
                other => {
                    panic!("a 200 body that does not decode must be Error::Decode, not {other:?}")
                }
            }
            let message = error.to_string();
            assert!(!message.contains(KEY), "the API key leaked into the decode error: {message}");
            let plain = if bytes.iter().all(u8::is_ascii_whitespace) { &b"null"[..] } else { bytes };
            assert!(serde_json::from_slice::<T>(plain).is_err(), "the client refused what serde_json decodes: {message}");
            None
        }
    }
}

fn check_round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(first: T) -> Result<T, String> {
    let encoded = serde_json::to_vec(&first).map_err(|e| format!("a decoded value does not encode: {e}\n{first:?}"))?;
    let second: T = serde_json::from_slice(&encoded)
        .map_err(|e| format!("a decoded value, encoded, does not decode again: {e}\nencoded: {}", String::from_utf8_lossy(&encoded)))?;
    // A nested object with nothing in it (`{"user_id": null}`) is written as `{}`, which reads
    // back as absent (openapi/CONVENTIONS.md): the same on the wire, so equal up to that.
    if first != second
        && without_empty_objects(serde_json::to_value(&first).ok()) != without_empty_objects(serde_json::to_value(&second).ok())
    {
        return Err(format!("the round trip changed the value:\nfirst:  {first:?}\nsecond: {second:?}"));
    }
    Ok(second)
}

/// The JSON with every field whose value is `{}` (after the same cleaning inside it) left out.
fn without_empty_objects(value: Option<serde_json::Value>) -> Option<serde_json::Value> {
    fn clean(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.into_iter().map(|(k, v)| (k, clean(v))).filter(|(_, v)| !v.as_object().is_some_and(|o| o.is_empty())).collect(),
            ),
            serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(clean).collect()),
            other => other,
        }
    }
    value.map(clean)
}

fn decode_both<T: DeserializeOwned + Serialize + PartialEq + Debug>(bytes: &[u8]) -> (bool, bool) {
    let single = round_trip::<T>(bytes).map(|r| r.unwrap_or_else(|e| panic!("{} {e}", std::any::type_name::<T>()))).is_some();
    let list = round_trip::<Vec<T>>(bytes).map(|r| r.unwrap_or_else(|e| panic!("{} {e}", std::any::type_name::<T>()))).is_some();
    (single, list)
}

fn reencode<T: DeserializeOwned + Serialize + PartialEq + Debug>(bytes: &[u8]) -> Result<serde_json::Value, String> {
    let first: T = mocoapp::__fuzz::decode_answer(bytes, None).map_err(|e| format!("does not decode: {e}"))?;
    let second = check_round_trip(first)?;
    serde_json::to_value(&second).map_err(|e| format!("does not encode: {e}"))
}

/// Statuses the error-body decoding is tried with (the second input byte picks one).
const ERROR_STATUSES: [u16; 8] = [400, 401, 403, 404, 422, 429, 500, 503];

/// `decode_responses`: one response type (or the error body) fed arbitrary bytes.
pub fn decode_response(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else { return };
    let index = selector as usize % (RESPONSE_TYPES.len() + 1);
    match RESPONSE_TYPES.get(index) {
        Some(response) => {
            (response.decode)(body);
        }
        None => error_body(body),
    }
}

/// The client's error mapping for a non-success answer: never panics, keeps its promises
/// (the key never in the message, excerpts cut short).
fn error_body(data: &[u8]) {
    let Some((&status, body)) = data.split_first() else { return };
    let status = StatusCode::from_u16(ERROR_STATUSES[status as usize % ERROR_STATUSES.len()]).unwrap();
    // MOCO's error body decodes and round-trips like every other type.
    if let Some(result) = round_trip::<types::Error>(body) {
        result.unwrap_or_else(|e| panic!("types::Error {e}"));
    }
    let error = mocoapp::__fuzz::error_from_body(status, body, Some(KEY));
    let message = error.to_string();
    assert!(!message.contains(KEY), "the API key leaked into the error message: {message}");
    assert_eq!(error.status(), Some(status), "{error:?}");
    if let mocoapp::Error::Http { body: excerpt, .. } = &error {
        assert!(excerpt.chars().count() <= 301, "the body excerpt is not cut: {} chars", excerpt.chars().count());
    }
}

/// `X-Total`, `X-Page`, `X-Per-Page` and `Link` values, one list response after the other:
/// what the page streams read from them must make sense, and the streams must end (or fail)
/// cleanly whatever the server says.
pub fn pagination(data: &[u8]) {
    let (concurrency, items, rest) = match data {
        [c, i, rest @ ..] => (1 + (*c as usize % 8), *i as usize % 4, rest),
        _ => return,
    };
    let responses: Vec<HeaderMap> = split_responses(rest).into_iter().take(16).map(|lines| headers(&lines)).collect();
    for (index, headers) in responses.iter().enumerate() {
        let current = index as i64 + 1;
        let read = mocoapp::__fuzz::page_headers(headers, current);
        let Ok(page) = &read.page else { continue };
        match (page.total, page.per_page) {
            (Some(total), Some(per_page)) if total >= 0 && per_page > 0 => {
                let expected = ((total as i128 + per_page as i128 - 1) / per_page as i128).max(1);
                assert_eq!(read.last_page.map(i128::from), Some(expected), "last page for X-Total {total}, X-Per-Page {per_page}");
            }
            _ => assert_eq!(read.last_page, None, "a last page without a usable X-Total and X-Per-Page: {page:?}"),
        }
        match (read.follow.expect("follow is computed for readable headers"), page.next_page) {
            (Ok(Some(next)), Some(link)) => assert!(next == link && next > current, "follows page {next} after {current} (link {link})"),
            (Ok(None), None) => {}
            (Err(_), Some(link)) => assert!(link <= current, "refused to follow page {link} after {current}"),
            (follow, link) => panic!("follow {follow:?} for the link {link:?}"),
        }
    }
    if responses.is_empty() {
        return;
    }
    let responses = Arc::new(responses);
    let request = FakeList { responses: responses.clone(), page: 1, items, fetched: Arc::default() };
    let results: Vec<_> = block_on(stream_pages_concurrent(request, concurrency).take(24).collect());
    let results: Vec<Result<mocoapp::Page<serde_json::Value>, mocoapp::Error>> = results;
    if let Some(failed) = results.iter().position(Result::is_err) {
        // The stream ends after the first error, which it yields.
        assert_eq!(failed, results.len() - 1, "the page stream went on after an error: {results:?}");
    }
    for page in results.iter().flatten() {
        assert!(page.items.len() == items, "a page lost items: {page:?}");
    }
    // The item stream: ids (which repeat across pages here) come at most once, and it ends
    // after the first error too.
    let request = FakeList { responses, page: 1, items, fetched: Arc::default() };
    let results: Vec<_> = block_on(stream_items_concurrent(request, concurrency).take(64).collect());
    if let Some(failed) = results.iter().position(Result::is_err) {
        assert_eq!(failed, results.len() - 1, "the item stream went on after an error: {results:?}");
    }
    let mut seen = std::collections::HashSet::new();
    for item in results.iter().flatten() {
        let id = item["id"].as_i64().unwrap();
        assert!(seen.insert(id), "the item stream yielded id {id} twice: {results:?}");
    }
}

/// Blocks separated by an empty line, each a list of non-empty lines.
fn split_responses(data: &[u8]) -> Vec<Vec<&[u8]>> {
    let mut responses = vec![Vec::new()];
    for line in data.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if !responses.last().unwrap().is_empty() {
                responses.push(Vec::new());
            }
        } else {
            responses.last_mut().unwrap().push(line);
        }
    }
    responses.retain(|r| !r.is_empty());
    responses
}

/// `Name: value` lines into headers (lines that are no valid header are left out).
fn headers(lines: &[&[u8]]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) {
            headers.append(name, value);
        }
    }
    headers
}

/// A list endpoint that answers page `n` with the `n`-th header set (cycling) and `items` items.
/// After this many requests it fails (a list whose pages are all duplicates, or whose links
/// go on forever, would otherwise be read forever).
#[derive(Clone)]
struct FakeList {
    responses: Arc<Vec<HeaderMap>>,
    page: i64,
    items: usize,
    fetched: Arc<AtomicUsize>,
}

const MAX_FETCHES: usize = 40;

impl<'a> PagedRequest<'a> for FakeList {
    /// `{"id": n}`, with ids that repeat every few pages (as when a list shifts meanwhile).
    type Item = serde_json::Value;
    fn with_page(mut self, page: i64) -> Self {
        self.page = page;
        self
    }
    fn fetch(self) -> PageFuture<'a, serde_json::Value> {
        let index = (self.page - 1).rem_euclid(self.responses.len() as i64) as usize;
        let headers = self.responses[index].clone();
        let first = self.page.wrapping_mul(self.items as i64);
        let items = (0..self.items as i64).map(|i| serde_json::json!({ "id": first.wrapping_add(i).rem_euclid(23) })).collect();
        if self.fetched.fetch_add(1, Ordering::Relaxed) >= MAX_FETCHES {
            return Box::pin(async { Err(mocoapp::Error::Pagination("the fake list stops answering".into())) });
        }
        Box::pin(async move { Ok(ResponseValue::new(items, StatusCode::OK, headers)) })
    }
}

/// Targets the webhook input's first byte picks from (past the end: the `X-Moco-Target` line,
/// if any).
pub const WEBHOOK_TARGETS: &[&str] = &[
    "Activity",
    "Company",
    "Customer",
    "Contact",
    "Deal",
    "Invoice",
    "Offer",
    "Project",
    "Purchase",
    "User",
    "Comment",
    "Schedule",
    "PlanningEntry",
    "Invoice::Payment",
];
/// Events the second byte picks from (past the end: the `X-Moco-Event` line, if any).
pub const WEBHOOK_EVENTS: &[&str] = &["create", "update", "delete", "archive", "restore"];
/// The docs' example key, used unless a `key:` line gives another.
pub const WEBHOOK_KEY: &str = "1d608b9d72219b90ff2393a1d3ee0ac0";
/// The docs' example time (2018-05-24T14:00:10.463Z), unless an `X-Moco-Timestamp` line
/// gives another.
pub const WEBHOOK_TIMESTAMP_MS: i64 = 1527170410463;

/// Signature modes (flags & 3).
const SIGN_CORRECT: u8 = 0;
const SIGN_TAMPERED: u8 = 1;
const SIGN_UPPER_CASE: u8 = 2;
const SIGN_AS_GIVEN: u8 = 3;

/// A web hook delivery: verification accepts exactly the deliveries signed with the key, and
/// parsing gives an event that says what the headers and the body say.
pub fn webhook(data: &[u8]) {
    let (target, event, flags, late, rest) = match data {
        [t, e, f, l, rest @ ..] => (*t as usize, *e as usize, *f, *l, rest),
        _ => return,
    };
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&rest[..at], &rest[at + 2..]),
        None => (rest, &[][..]),
    };
    let lines: Vec<&[u8]> = head.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let mut key = WEBHOOK_KEY.to_string();
    let mut headers = HeaderMap::new();
    headers.insert("x-moco-timestamp", HeaderValue::from(WEBHOOK_TIMESTAMP_MS));
    headers.insert("x-moco-user-id", HeaderValue::from_static("933613686"));
    if let Some(target) = WEBHOOK_TARGETS.get(target) {
        headers.insert("x-moco-target", HeaderValue::from_static(target));
    }
    if let Some(event) = WEBHOOK_EVENTS.get(event) {
        headers.insert("x-moco-event", HeaderValue::from_static(event));
    }
    for (name, value) in self::headers(&lines) {
        let Some(name) = name else { continue };
        if name == "key" {
            key = String::from_utf8_lossy(value.as_bytes()).into_owned();
        } else {
            headers.insert(name, value);
        }
    }
    let verifier = WebhookVerifier::new(&key);
    let verifier = if flags & 4 != 0 { verifier.tolerance(Duration::from_secs(3600)) } else { verifier };
    let correct = sign(key.trim().as_bytes(), body);

    // Verification alone: the right digest passes (in either case), any other one fails.
    verifier.verify(&correct, body).expect("the correct signature is accepted");
    verifier.verify(&correct.to_uppercase(), body).expect("the correct signature in upper case is accepted");
    let tampered = tamper(&correct, late);
    assert!(matches!(verifier.verify(&tampered, body), Err(WebhookError::WrongSignature)), "a tampered signature passed");

    match flags & 3 {
        SIGN_CORRECT => headers.insert("x-moco-signature", HeaderValue::from_str(&correct).unwrap()),
        SIGN_TAMPERED => headers.insert("x-moco-signature", HeaderValue::from_str(&tampered).unwrap()),
        SIGN_UPPER_CASE => headers.insert("x-moco-signature", HeaderValue::from_str(&correct.to_uppercase()).unwrap()),
        _ => None,
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_millis(WEBHOOK_TIMESTAMP_MS as u64) + Duration::from_secs(60 * late as u64);
    let result = verifier.parse_at(&headers, body, now);
    let Ok(parsed) = result else {
        if flags & 3 != SIGN_TAMPERED && flags & 3 != SIGN_AS_GIVEN {
            assert!(
                !matches!(result, Err(WebhookError::WrongSignature | WebhookError::MalformedSignature)),
                "a correctly signed delivery was refused for its signature: {result:?}"
            );
        }
        return;
    };
    // Accepted: it must have been signed with the key.
    let given = headers.get("x-moco-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(given.trim().eq_ignore_ascii_case(&correct), "accepted a delivery signed {given:?}, not {correct:?}");
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    assert_eq!(Some(parsed.target.as_str()), header("x-moco-target"));
    assert_eq!(Some(parsed.event.as_str()), header("x-moco-event"));
    assert_eq!(Some(parsed.timestamp.timestamp_millis()), header("x-moco-timestamp").and_then(|t| t.parse().ok()));
    if flags & 4 != 0 {
        let age = now.duration_since(SystemTime::from(parsed.timestamp)).unwrap_or_default();
        assert!(age <= Duration::from_secs(3600), "accepted an event {age:?} old with a tolerance of an hour");
    }
    let json: serde_json::Value = serde_json::from_slice(body).expect("an accepted delivery's body is JSON");
    if parsed.event == "delete" {
        if let Some(id) = json.get("id").and_then(serde_json::Value::as_i64) {
            assert_eq!(parsed.payload, WebhookPayload::Deleted { id });
        }
    }
    fn typed<T: DeserializeOwned + Serialize + PartialEq + Debug>(value: &T, json: &serde_json::Value) {
        let decoded: T = serde_json::from_value(json.clone()).expect("a typed payload is the body decoded");
        assert_eq!(&decoded, value);
        check_round_trip(decoded).unwrap_or_else(|e| panic!("{} {e}", std::any::type_name::<T>()));
    }
    match &parsed.payload {
        WebhookPayload::Activity(v) => typed(v, &json),
        WebhookPayload::Company(v) => typed(v, &json),
        WebhookPayload::Contact(v) => typed(v, &json),
        WebhookPayload::Deal(v) => typed(v, &json),
        WebhookPayload::Invoice(v) => typed(v, &json),
        WebhookPayload::Offer(v) => typed(v, &json),
        WebhookPayload::Project(v) => typed(v, &json),
        WebhookPayload::Purchase(v) => typed(v, &json),
        WebhookPayload::User(v) => typed(v, &json),
        WebhookPayload::Comment(v) => typed(v, &json),
        WebhookPayload::Schedule(v) => typed(v, &json),
        WebhookPayload::PlanningEntry(v) => typed(v, &json),
        WebhookPayload::Deleted { id } => assert_eq!(json.get("id").and_then(serde_json::Value::as_i64), Some(*id)),
        WebhookPayload::Other(v) => assert_eq!(v, &json),
        _ => {}
    }
}

/// Lower-case hex HMAC-SHA256 of `body` with `key`, as MOCO signs.
pub fn sign(key: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The signature with one hex digit changed (which one: `at`).
fn tamper(signature: &str, at: u8) -> String {
    let mut digits: Vec<char> = signature.chars().collect();
    let at = at as usize % digits.len();
    digits[at] = if digits[at] == '0' { '1' } else { '0' };
    digits.into_iter().collect()
}
