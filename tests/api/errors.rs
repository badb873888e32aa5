//! Every error variant from a realistic answer: MOCO's JSON message, JSON validation errors, an
//! HTML page from a proxy, an empty body, malformed and truncated bodies.

use std::io::{Read, Write};

use httpmock::prelude::*;
use mocoapp::{Error, RetryPolicy};
use serde_json::json;

use crate::support::*;

async fn get_project_answering(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(status).header("content-type", content_type).body(body);
        })
        .await;
    let client = builder(&server).retry(RetryPolicy::none()).build().unwrap();
    client.get_project(1).send().await.unwrap_err()
}

#[tokio::test]
async fn unauthorized_with_mocos_message() {
    let err = get_project_answering(401, "application/json", r#"{"message":"API key invalid"}"#).await;
    assert!(matches!(&err, Error::Unauthorized { message: Some(m) } if m == "API key invalid"), "{err:?}");
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(err.to_string(), "MOCO rejected the API key (401 Unauthorized): API key invalid");
}

#[tokio::test]
async fn forbidden_with_mocos_message() {
    let err = get_project_answering(403, "application/json", r#"{"message":"Keine Berechtigung"}"#).await;
    assert!(matches!(&err, Error::Forbidden { message: Some(m) } if m == "Keine Berechtigung"), "{err:?}");
}

#[tokio::test]
async fn not_found_with_an_empty_body() {
    let err = get_project_answering(404, "text/plain", "").await;
    assert!(matches!(err, Error::NotFound { message: None }), "{err:?}");
}

#[tokio::test]
async fn not_found_as_an_html_page() {
    let err = get_project_answering(404, "text/html", "<html><body><h1>Not Found</h1></body></html>").await;
    assert!(matches!(err, Error::NotFound { message: None }), "{err:?}");
}

#[tokio::test]
async fn unprocessable_with_field_errors() {
    let body = r#"{"message":"Validation failed","errors":{"name":["muss ausgefüllt werden"]}}"#;
    let err = get_project_answering(422, "application/json", body).await;
    match &err {
        Error::Unprocessable { message, errors } => {
            assert_eq!(message.as_deref(), Some("Validation failed"));
            assert_eq!(errors.as_ref().unwrap()["name"][0], "muss ausgefüllt werden");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("Validation failed"), "{err}");
}

#[tokio::test]
async fn unprocessable_with_a_plain_message() {
    let err = get_project_answering(422, "application/json", r#"{"message":"Project is archived"}"#).await;
    assert!(matches!(&err, Error::Unprocessable { message: Some(m), errors: None } if m == "Project is archived"), "{err:?}");
}

#[tokio::test]
async fn an_html_502_from_a_proxy() {
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>\n</html>";
    let err = get_project_answering(502, "text/html", page).await;
    match &err {
        Error::Http { status, message, body } => {
            assert_eq!(*status, 502);
            assert_eq!(message, &None);
            assert!(body.starts_with("<html> <head><title>502 Bad Gateway</title>"), "{body}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn a_500_with_an_empty_body() {
    let err = get_project_answering(500, "text/plain", "").await;
    assert!(matches!(&err, Error::Http { status, body, .. } if *status == 500 && body.is_empty()), "{err:?}");
    assert!(err.to_string().ends_with("with an empty body"), "{err}");
}

#[tokio::test]
async fn a_huge_error_page_is_cut_to_an_excerpt() {
    let page = format!("<html>{}</html>", "x".repeat(100_000));
    let err = get_project_answering(503, "text/html", &page).await;
    let Error::Http { body, .. } = &err else { panic!("{err:?}") };
    assert!(body.chars().count() <= 301, "{}", body.len());
    assert!(body.ends_with('…'));
}

#[tokio::test]
async fn malformed_json_in_a_success_is_a_decode_error_naming_the_operation() {
    let err = get_project_answering(200, "application/json", r#"{"id": 1, "name": "Trunc"#).await;
    match &err {
        Error::Decode { operation, status, excerpt, .. } => {
            assert_eq!(*operation, "get_project");
            assert_eq!(*status, 200);
            assert_eq!(excerpt, r#"{"id": 1, "name": "Trunc"#);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("get_project"), "{err}");
}

#[tokio::test]
async fn a_success_with_an_html_body_is_a_decode_error() {
    let err = get_project_answering(200, "text/html", "<html>Maintenance</html>").await;
    assert!(matches!(&err, Error::Decode { operation: "get_project", .. }), "{err:?}");
}

#[tokio::test]
async fn a_wrongly_typed_field_is_a_decode_error() {
    let err = get_project_answering(200, "application/json", r#"{"id": "not a number", "name": "X"}"#).await;
    assert!(matches!(&err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn an_undeclared_status_is_reported_with_its_status() {
    let err = get_project_answering(418, "text/plain", "I'm a teapot").await;
    assert!(matches!(&err, Error::Http { status, body, .. } if *status == 418 && body == "I'm a teapot"), "{err:?}");
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    // A raw server that promises 1000 bytes and closes after 20.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\": 1, \"name\": \"");
        }
    });
    let client = mocoapp::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .api_key(KEY)
        .rate_limit(mocoapp::RateLimit::off())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.get_project(1).send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn an_invalid_parameter_value_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    // A page number that does not fit the parameter's type.
    let err = client(&server).list_projects().page(u64::MAX).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("page")), "{err:?}");
    any.assert_calls_async(0).await;
}

// Answers whose content type does not say what they are. The client reads JSON and text into
// memory and lets other types stream (see `hooks.rs`); the operation then decides what the body
// is, whatever it was labelled.

#[tokio::test]
async fn json_labelled_as_binary_still_decodes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(200).header("content-type", "application/octet-stream").body(r#"{"id": 1, "name": "Website"}"#);
        })
        .await;
    let project = client(&server).get_project(1).send().await.unwrap();
    assert_eq!((project.id, project.name.as_str()), (1, "Website"));
}

#[tokio::test]
async fn binary_that_is_not_json_where_json_was_expected_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(200).header("content-type", "application/pdf").body("%PDF-1.4 not a project");
        })
        .await;
    let err = client(&server).get_project(1).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { operation: "get_project", status, excerpt, .. } if *status == 200 && excerpt.starts_with("%PDF-1.4")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_download_labelled_as_text_or_unlabelled_comes_whole_and_as_a_stream() {
    use futures::TryStreamExt;
    const FILE: &[u8] = b"%PDF-1.4 tiny";
    let server = MockServer::start_async().await;
    for (path, content_type) in [("/invoices/1.pdf", Some("text/plain")), ("/invoices/2.pdf", None)] {
        server
            .mock_async(|when, then| {
                moco(when, GET, path);
                let then = then.status(200).body(FILE);
                if let Some(content_type) = content_type {
                    then.header("content-type", content_type);
                }
            })
            .await;
    }
    let client = client(&server);
    for id in [1, 2] {
        assert_eq!(client.download_invoice_pdf(id).send().await.unwrap(), FILE);
        let response = client.download_invoice_pdf(id).send_with_response().await.unwrap();
        assert_eq!(response.status(), 200);
        let chunks: Vec<bytes::Bytes> = response.into_inner().into_inner().try_collect().await.unwrap();
        assert_eq!(chunks.concat(), FILE);
    }
}

#[tokio::test]
async fn a_download_announced_beyond_the_limit_is_refused_before_its_stream_is_handed_out() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/1.pdf");
            then.status(200).header("content-type", "application/pdf").body(vec![b'%'; 4096]);
        })
        .await;
    let client = builder(&server).max_response_size(Some(1024)).build().unwrap();
    let answer = client.download_invoice_pdf(1).send_with_response().await;
    assert!(matches!(answer, Err(Error::ResponseTooLarge { limit: 1024 })), "{:?}", answer.map(|r| r.status()));
}
