//! Receiving web hooks (webhooks.md): signature verification with the docs' published key,
//! payload and signature; parsing a delivery into a typed event; and the example receiver
//! (examples/webhook_receiver.rs) answering a signed, a tampered and an unsigned delivery;
//! malformed signatures (missing, short, long, non-hex) and the timestamp tolerance (too old, too
//! far in the future). The comparison's constant time is `hmac`'s `verify_slice` (see
//! `WebhookVerifier::verify`): a test cannot show timing.

use std::time::{Duration, SystemTime};

use mocoapp::{
    types,
    webhooks::{WebhookError, WebhookPayload, WebhookVerifier},
};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use crate::support::*;

#[path = "../../examples/webhook_receiver.rs"]
mod receiver;

/// The docs' example: key, body and the signature OpenSSL, Ruby and Node compute for them.
const KEY: &str = "1d608b9d72219b90ff2393a1d3ee0ac0";
const BODY: &[u8] = br#"{"id":111,"description":"a description"}"#;
const SIGNATURE: &str = "bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1";
/// 2018-05-24T14:00:10.463Z, the docs' `X-Moco-Timestamp`.
const TIMESTAMP_MS: u64 = 1527170410463;

fn sign(body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn delivery(target: &str, event: &str, signature: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("X-Moco-Target", HeaderValue::from_str(target).unwrap());
    headers.insert("X-Moco-Event", HeaderValue::from_str(event).unwrap());
    headers.insert("X-Moco-Timestamp", HeaderValue::from(TIMESTAMP_MS));
    headers.insert("X-Moco-User-Id", HeaderValue::from_static("933613686"));
    headers.insert("X-Moco-Account-Url", HeaderValue::from_static("https://example.mocoapp.com"));
    if let Some(signature) = signature {
        headers.insert("X-Moco-Signature", HeaderValue::from_str(signature).unwrap());
    }
    headers
}

fn at_delivery_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(TIMESTAMP_MS)
}

#[test]
fn the_docs_signature_verifies() {
    let verifier = WebhookVerifier::new(KEY);
    verifier.verify(SIGNATURE, BODY).unwrap();
    verifier.verify(&SIGNATURE.to_uppercase(), BODY).unwrap();
    assert_eq!(sign(BODY), SIGNATURE, "the test's own signer agrees with the docs");
}

#[test]
fn wrong_short_non_hex_and_tampered_signatures_are_rejected() {
    let verifier = WebhookVerifier::new(KEY);
    let tampered = br#"{"id":112,"description":"a description"}"#;
    assert!(matches!(verifier.verify(SIGNATURE, tampered), Err(WebhookError::WrongSignature)));
    assert!(matches!(WebhookVerifier::new("another key").verify(SIGNATURE, BODY), Err(WebhookError::WrongSignature)));
    let flipped = format!("{}0", &SIGNATURE[..63]);
    assert!(matches!(verifier.verify(&flipped, BODY), Err(WebhookError::WrongSignature)));
    assert!(matches!(verifier.verify(&SIGNATURE[..32], BODY), Err(WebhookError::MalformedSignature)));
    assert!(matches!(verifier.verify("", BODY), Err(WebhookError::MalformedSignature)));
    let not_hex = format!("zz{}", &SIGNATURE[2..]);
    assert!(matches!(verifier.verify(&not_hex, BODY), Err(WebhookError::MalformedSignature)));
}

#[test]
fn a_delivery_parses_into_a_typed_event() {
    let activity = example("Activity");
    let body = serde_json::to_vec(&activity).unwrap();
    let headers = delivery("Activity", "create", Some(&sign(&body)));
    let event = WebhookVerifier::new(KEY).parse_at(&headers, &body, at_delivery_time()).unwrap();
    assert_eq!((event.target.as_str(), event.event.as_str()), ("Activity", "create"));
    assert_eq!(event.timestamp.to_rfc3339(), "2018-05-24T14:00:10.463+00:00");
    assert_eq!(event.user_id, Some(933613686));
    assert_eq!(event.account_url.as_deref(), Some("https://example.mocoapp.com"));
    match event.payload {
        WebhookPayload::Activity(decoded) => {
            assert_eq!(decoded.id, activity["id"].as_i64().unwrap());
            assert_decoded(&decoded, &activity);
        }
        other => panic!("expected an Activity, got {other:?}"),
    }
}

#[test]
fn deletes_and_targets_without_a_model_keep_the_json() {
    let verifier = WebhookVerifier::new(KEY);
    let deleted = verifier.parse_at(&delivery("Project", "delete", Some(SIGNATURE)), BODY, at_delivery_time()).unwrap();
    assert_eq!(deleted.payload, WebhookPayload::Deleted { id: 111 });
    let body = br#"{"id":5,"amount":12.5}"#;
    let other = verifier.parse_at(&delivery("Invoice::Payment", "create", Some(&sign(body))), body, at_delivery_time()).unwrap();
    assert_eq!(other.payload, WebhookPayload::Other(json!({"id": 5, "amount": 12.5})));
    // A project body that does not match the model is kept as JSON rather than lost.
    let odd = br#"{"unexpected":true}"#;
    let kept = verifier.parse_at(&delivery("Project", "update", Some(&sign(odd))), odd, at_delivery_time()).unwrap();
    assert_eq!(kept.payload, WebhookPayload::Other(json!({"unexpected": true})));
    let project = example("Project");
    let body = serde_json::to_vec(&project).unwrap();
    let typed = verifier.parse_at(&delivery("Project", "update", Some(&sign(&body))), &body, at_delivery_time()).unwrap();
    assert!(matches!(typed.payload, WebhookPayload::Project(types::Project { id: 1234567, .. })));
}

#[test]
fn missing_headers_bad_timestamps_and_bodies_are_typed_errors() {
    let verifier = WebhookVerifier::new(KEY);
    let unsigned = verifier.parse_at(&delivery("Activity", "create", None), BODY, at_delivery_time()).unwrap_err();
    assert!(matches!(unsigned, WebhookError::MissingHeader("x-moco-signature")), "{unsigned}");
    let mut no_target = delivery("Activity", "create", Some(SIGNATURE));
    no_target.remove("X-Moco-Target");
    assert!(matches!(verifier.parse_at(&no_target, BODY, at_delivery_time()), Err(WebhookError::MissingHeader("x-moco-target"))));
    let mut bad_time = delivery("Activity", "create", Some(SIGNATURE));
    bad_time.insert("X-Moco-Timestamp", HeaderValue::from_static("yesterday"));
    assert!(matches!(
        verifier.parse_at(&bad_time, BODY, at_delivery_time()),
        Err(WebhookError::MalformedHeader { name: "x-moco-timestamp", .. })
    ));
    let not_json = b"<html>";
    let err = verifier.parse_at(&delivery("Activity", "create", Some(&sign(not_json))), not_json, at_delivery_time()).unwrap_err();
    assert!(matches!(err, WebhookError::Payload { .. }), "{err}");
    // The signature is checked before anything else is believed.
    let err = verifier.parse_at(&delivery("Activity", "create", Some(SIGNATURE)), not_json, at_delivery_time()).unwrap_err();
    assert!(matches!(err, WebhookError::WrongSignature), "{err}");
}

#[test]
fn the_tolerance_rejects_old_deliveries_only() {
    let verifier = WebhookVerifier::new(KEY).tolerance(Duration::from_secs(300));
    let headers = delivery("Project", "delete", Some(SIGNATURE));
    let fresh = at_delivery_time() + Duration::from_secs(299);
    assert!(verifier.parse_at(&headers, BODY, fresh).is_ok());
    let late = at_delivery_time() + Duration::from_secs(301);
    match verifier.parse_at(&headers, BODY, late) {
        Err(WebhookError::TooOld { age, tolerance }) => {
            assert_eq!(age, Duration::from_secs(301));
            assert_eq!(tolerance, Duration::from_secs(300));
        }
        other => panic!("expected TooOld, got {other:?}"),
    }
    // Without a tolerance, MOCO's late retries are accepted.
    assert!(WebhookVerifier::new(KEY).parse_at(&headers, BODY, late).is_ok());
}

#[test]
fn the_key_is_not_in_debug_output() {
    assert!(!format!("{:?}", WebhookVerifier::new(KEY)).contains(KEY));
}

#[tokio::test]
async fn the_example_receiver_accepts_signed_deliveries_only() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/moco", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, receiver::app(WebhookVerifier::new(KEY))).await });
    install_tls_provider();
    let http = reqwest::Client::new();
    let post = |headers: HeaderMap, body: &'static [u8]| http.post(&url).headers(headers).body(body).send();

    let signed = post(delivery("Project", "delete", Some(SIGNATURE)), BODY).await.unwrap();
    assert_eq!(signed.status(), 204);
    let tampered = post(delivery("Project", "delete", Some(SIGNATURE)), br#"{"id":112,"description":"a description"}"#).await.unwrap();
    assert_eq!(tampered.status(), 401);
    let unsigned = post(delivery("Project", "delete", None), BODY).await.unwrap();
    assert_eq!(unsigned.status(), 401);
    let mut no_event = delivery("Project", "delete", Some(SIGNATURE));
    no_event.remove("X-Moco-Event");
    assert_eq!(post(no_event, BODY).await.unwrap().status(), 400);
    server.abort();
}

#[test]
fn every_signature_that_is_not_64_hex_digits_is_malformed_before_any_comparison() {
    let verifier = WebhookVerifier::new(KEY);
    let non_ascii = "é".repeat(32); // 64 bytes, 32 characters
    let cases = [
        String::new(),
        "   ".to_string(),
        SIGNATURE[..63].to_string(),                          // one digit short
        format!("{SIGNATURE}0"),                              // one digit long
        SIGNATURE[..62].to_string(),                          // a whole byte short
        format!("sha256={}", &SIGNATURE[..57]),               // 64 characters, prefixed
        format!("{}zz", &SIGNATURE[..62]),                    // non-hex at the end
        format!("{} {}", &SIGNATURE[..31], &SIGNATURE[32..]), // a space inside
        non_ascii,                                            // 64 bytes of non-hex
    ];
    for signature in &cases {
        match verifier.verify(signature, BODY) {
            Err(WebhookError::MalformedSignature) => {}
            other => panic!("{signature:?}: expected MalformedSignature, got {other:?}"),
        }
    }
    // Through a delivery's headers too: missing, empty and non-text signature headers.
    let unsigned = verifier.parse_at(&delivery("Project", "delete", None), BODY, at_delivery_time());
    assert!(matches!(unsigned, Err(WebhookError::MissingHeader("x-moco-signature"))), "{unsigned:?}");
    let mut empty = delivery("Project", "delete", None);
    empty.insert("X-Moco-Signature", HeaderValue::from_static(""));
    assert!(matches!(verifier.parse_at(&empty, BODY, at_delivery_time()), Err(WebhookError::MalformedSignature)));
    let mut binary = delivery("Project", "delete", None);
    binary.insert("X-Moco-Signature", HeaderValue::from_bytes(&[0xe9; 64]).unwrap());
    assert!(matches!(
        verifier.parse_at(&binary, BODY, at_delivery_time()),
        Err(WebhookError::MalformedHeader { name: "x-moco-signature", .. })
    ));
    // Surrounding whitespace is not part of the digest; the right one still verifies.
    verifier.verify(&format!(" {SIGNATURE}\t"), BODY).unwrap();
}

#[test]
fn the_tolerance_also_rejects_events_dated_too_far_in_the_future() {
    // Clock skew is tolerated within the same bound; beyond it the timestamp is not believable.
    let verifier = WebhookVerifier::new(KEY).tolerance(Duration::from_secs(300));
    let headers = delivery("Project", "delete", Some(SIGNATURE));
    let slightly_behind = at_delivery_time() - Duration::from_secs(300);
    assert!(verifier.parse_at(&headers, BODY, slightly_behind).is_ok());
    let far_behind = at_delivery_time() - Duration::from_secs(301);
    match verifier.parse_at(&headers, BODY, far_behind) {
        Err(WebhookError::FromTheFuture { ahead, tolerance }) => {
            assert_eq!(ahead, Duration::from_secs(301));
            assert_eq!(tolerance, Duration::from_secs(300));
        }
        other => panic!("expected FromTheFuture, got {other:?}"),
    }
    // Without a tolerance the timestamp is informational only.
    assert!(WebhookVerifier::new(KEY).parse_at(&headers, BODY, far_behind).is_ok());
}

#[test]
fn with_a_tolerance_the_timestamp_is_checked_only_after_the_signature() {
    // A forged delivery learns nothing from the timestamp check: the signature fails first.
    let verifier = WebhookVerifier::new(KEY).tolerance(Duration::from_secs(300));
    let late = at_delivery_time() + Duration::from_secs(3600);
    let forged = delivery("Project", "delete", Some(&"0".repeat(64)));
    assert!(matches!(verifier.parse_at(&forged, BODY, late), Err(WebhookError::WrongSignature)));
    assert!(matches!(verifier.parse_at(&delivery("Project", "delete", Some(SIGNATURE)), BODY, late), Err(WebhookError::TooOld { .. })));
}
