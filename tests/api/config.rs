//! Client setup: base URL from the account, auth schemes, environment variables, bad input.

use httpmock::prelude::*;
use mocoapp::{AuthScheme, Client, Error, RateLimit};
use serde_json::json;

use crate::support::*;

#[test]
fn the_account_becomes_the_mocoapp_url() {
    for account in ["example", "Example", "example.mocoapp.com", "https://example.mocoapp.com/"] {
        let client = Client::builder().account(account).api_key(KEY).build().unwrap();
        assert_eq!(client.base_url(), "https://example.mocoapp.com/api/v1", "{account}");
    }
}

#[test]
fn bad_setup_is_a_config_error() {
    let cases = [
        Client::builder().api_key(KEY).build(),
        Client::builder().account("example").build(),
        Client::builder().account("exa mple").api_key(KEY).build(),
        Client::builder().account("example").api_key("  ").build(),
        Client::builder().base_url("ftp://example.com").api_key(KEY).build(),
        Client::builder().base_url("not a url").api_key(KEY).build(),
    ];
    for result in cases {
        assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    }
}

#[tokio::test]
async fn bearer_scheme_and_user_agent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/session")
                .header("authorization", format!("Bearer {KEY}"))
                .header("user-agent", "my-app/1.0")
                .header_missing("api-version");
            then.status(200).json_body(json!({"id": 1}));
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/v1"))
        .api_key(KEY)
        .auth_scheme(AuthScheme::Bearer)
        .user_agent("my-app/1.0")
        .rate_limit(RateLimit::off())
        .build()
        .unwrap();
    client.verify_key().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn gzip_answers_are_decoded() {
    use std::io::Write;
    let mut encoder = flate2_free_gzip::Encoder::new();
    encoder.write_all(br#"{"id": 5, "uuid": null}"#).unwrap();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/session").header_includes("accept-encoding", "gzip");
            then.status(200).header("content-type", "application/json").header("content-encoding", "gzip").body(encoder.finish());
        })
        .await;
    assert_eq!(client(&server).verify_key().await.unwrap().id, 5);
}

/// A minimal gzip writer (stored, uncompressed deflate blocks), so the test needs no extra crate.
mod flate2_free_gzip {
    pub struct Encoder(Vec<u8>);

    impl Encoder {
        pub fn new() -> Self {
            Encoder(Vec::new())
        }

        pub fn finish(self) -> Vec<u8> {
            let data = self.0;
            let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
            let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[][..]] } else { data.chunks(65535).collect() };
            for (i, chunk) in chunks.iter().enumerate() {
                out.push(u8::from(i == chunks.len() - 1));
                let len = chunk.len() as u16;
                out.extend_from_slice(&len.to_le_bytes());
                out.extend_from_slice(&(!len).to_le_bytes());
                out.extend_from_slice(chunk);
            }
            out.extend_from_slice(&crc32(&data).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out
        }
    }

    impl std::io::Write for Encoder {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}

#[test]
fn from_env_explains_what_to_set() {
    // One test touches the environment, so there is no race with other tests reading it.
    // SAFETY: no other test in this binary reads or writes these variables.
    unsafe {
        std::env::remove_var(mocoapp::ENV_ACCOUNT);
        std::env::remove_var(mocoapp::ENV_BASE_URL);
        std::env::remove_var(mocoapp::ENV_API_KEY);
    }
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("MOCO_ACCOUNT"), "{err}");
    unsafe { std::env::set_var(mocoapp::ENV_ACCOUNT, "example") };
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("MOCO_API_KEY"), "{err}");
    unsafe { std::env::set_var(mocoapp::ENV_API_KEY, KEY) };
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://example.mocoapp.com/api/v1");
    unsafe { std::env::set_var(mocoapp::ENV_BASE_URL, "http://127.0.0.1:9/api/v1") };
    assert_eq!(Client::from_env().unwrap().base_url(), "http://127.0.0.1:9/api/v1");
    unsafe {
        std::env::remove_var(mocoapp::ENV_ACCOUNT);
        std::env::remove_var(mocoapp::ENV_BASE_URL);
        std::env::remove_var(mocoapp::ENV_API_KEY);
    }
}

#[test]
fn client_and_error_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    assert_send_sync::<mocoapp::Page<mocoapp::types::Project>>();
}

#[tokio::test]
async fn requests_and_streams_run_in_spawned_tasks() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects");
            then.status(200).json_body(json!([{"id": 1, "name": "P"}]));
        })
        .await;
    let client = client(&server);
    let one = tokio::spawn({
        let client = client.clone();
        async move { client.list_projects().send().await.map(|r| r.len()) }
    });
    let all = tokio::spawn({
        let client = client.clone();
        async move { client.list_projects().collect_all().await.map(|p| p.len()) }
    });
    let streamed = tokio::spawn(async move {
        use futures::TryStreamExt;
        let mut ids = Vec::new();
        let colleague = client.impersonate(3);
        let mut projects = colleague.list_projects().stream();
        while let Some(project) = projects.try_next().await? {
            ids.push(project.id);
        }
        Ok::<_, Error>(ids)
    });
    assert_eq!(one.await.unwrap().unwrap(), 1);
    assert_eq!(all.await.unwrap().unwrap(), 1);
    assert_eq!(streamed.await.unwrap().unwrap(), vec![1]);
}

#[tokio::test]
async fn https_uses_the_ring_provider_and_a_refused_connection_is_a_transport_error() {
    // Nothing listens on port 9 of the loopback: the TLS client must be set up (ring provider)
    // and the failure must arrive as a typed error, not a panic.
    let no_retries = mocoapp::RetryPolicy::default().max_retries(0);
    let client = mocoapp::Client::builder().base_url("https://127.0.0.1:9/api/v1").api_key(KEY).retry(no_retries).build().unwrap();
    let err = client.get_session().send().await.unwrap_err();
    assert!(matches!(err, mocoapp::Error::Transport(_)), "{err:?}");
}

#[test]
fn plain_http_is_refused_unless_the_host_is_loopback() {
    // https anywhere, http only to this machine: the key must not cross a network in clear text.
    for url in [
        "https://example.com/api/v1",
        "https://10.0.0.1/api/v1",
        "http://localhost/api/v1",
        "http://LOCALHOST:8080/api/v1",
        "http://127.0.0.1:9/api/v1",
        "http://127.1.2.3/api/v1",
        "http://[::1]:8080/api/v1",
    ] {
        let client = Client::builder().base_url(url).api_key(KEY).build();
        assert!(client.is_ok(), "{url}: {client:?}");
    }
    for url in [
        "http://example.com/api/v1",
        "http://10.0.0.1/api/v1",
        "http://192.168.1.10:8080/api/v1",
        "http://localhost.evil.com/api/v1",
        "http://127.0.0.1.evil.com/api/v1",
        "http://127.0.0.1@evil.com/api/v1",
        "http://[::ffff:10.0.0.1]/api/v1",
        "http://0.0.0.0:8080/api/v1",
    ] {
        match Client::builder().base_url(url).api_key(KEY).build() {
            Err(Error::Config(reason)) => {
                assert!(reason.contains("plain http") && reason.contains("unencrypted"), "{url}: {reason}");
                assert!(reason.contains(url), "the message names the URL: {reason}");
            }
            other => panic!("{url} must be refused, got {other:?}"),
        }
    }
}
