//! The client leaves rustls' process-wide default provider to the application: it neither
//! installs one (an application that installs aws-lc-rs afterwards succeeds) nor needs one (it
//! works before the application installs any, and keeps using ring after the application
//! installed aws-lc-rs). A test binary of its own, since the default provider is process-global
//! and can be installed once per process.
//!
//! A local HTTPS server (tokio-rustls, ring) with a certificate for `localhost` signed by a test
//! CA (`tests/tls/`); the client trusts that CA through `SSL_CERT_FILE`, which the platform
//! verifier reads on Linux, so the client's own certificate checking is what is exercised.

use std::{path::Path, sync::Arc};

use rustls::{
    crypto::CryptoProvider,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer, ServerName},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

const SESSION: &str = r#"{"id": 933590696, "uuid": "123e4567-e89b-12d3-a456-426614174000"}"#;

#[test]
fn the_client_neither_installs_nor_needs_a_process_default_provider() {
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
    // Before any thread starts: the platform verifier reads it when a client is built.
    std::env::set_var("SSL_CERT_FILE", tls.join("ca.pem"));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let url = serve(&tls).await;

        // 1. No default provider in the process: the client still does HTTPS, and installs none.
        assert!(CryptoProvider::get_default().is_none(), "nothing installed a provider yet");
        let before = mocoapp::Client::builder().base_url(&url).api_key("KEY").build().unwrap();
        assert_eq!(before.verify_key().await.expect("HTTPS without a default provider").id, 933590696);
        let custom = mocoapp::ClientBuilder::http_client_builder().build().unwrap();
        let with_custom = mocoapp::Client::builder().base_url(&url).api_key("KEY").http_client(custom).build().unwrap();
        assert_eq!(with_custom.verify_key().await.expect("HTTPS through http_client_builder").id, 933590696);
        assert!(CryptoProvider::get_default().is_none(), "the client installed a process default provider");

        // 2. The application now installs aws-lc-rs as its default: that succeeds.
        rustls::crypto::aws_lc_rs::default_provider()
            .install_default()
            .expect("the application's own install of aws-lc-rs failed: someone installed a default before it");

        // 3. Clients built before and after keep working, and the default stays the application's.
        let after = mocoapp::Client::builder().base_url(&url).api_key("KEY").build().unwrap();
        assert_eq!(after.verify_key().await.expect("HTTPS after aws-lc-rs was installed").id, 933590696);
        assert_eq!(before.verify_key().await.expect("an earlier client after aws-lc-rs was installed").id, 933590696);
        let default = CryptoProvider::get_default().expect("the application's default");
        let aws_lc = rustls::crypto::aws_lc_rs::default_provider();
        assert_eq!(
            format!("{:?}", default.cipher_suites),
            format!("{:?}", aws_lc.cipher_suites),
            "the process default is no longer the application's aws-lc-rs"
        );

        // 4. And the application's own TLS, on that default, works beside it.
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from_pem_file(tls.join("ca.pem")).unwrap()).unwrap();
        let config = rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = TcpStream::connect(url.trim_start_matches("https://").trim_end_matches("/api/v1")).await.unwrap();
        let mut stream = connector.connect(ServerName::try_from("localhost").unwrap(), tcp).await.expect("the application's own TLS");
        stream.write_all(b"GET /api/v1/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with(SESSION), "{answer}");
    });
}

/// An HTTPS server on 127.0.0.1 (TLS through ring, given explicitly) that answers every request
/// with the session; returns the base URL, by the name its certificate is for.
async fn serve(tls: &Path) -> String {
    let cert = CertificateDer::from_pem_file(tls.join("localhost.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(tls.join("localhost.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(tcp).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{SESSION}",
                    SESSION.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}/api/v1")
}
