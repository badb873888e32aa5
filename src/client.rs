//! Setting up a [`Client`]: account or base URL, API key, timeouts, rate limit, retries and
//! impersonation. The generated `Client` carries a [`ClientState`] that the request hooks
//! (`hooks.rs`) read on every request.

use std::{fmt, sync::Arc, time::Duration};

use crate::{
    auth::{ApiKey, AuthScheme},
    rate_limit::{Limiter, RateLimit},
    retry::RetryPolicy,
    types, Client, Error,
};

/// Environment variable naming the account subdomain (`example` for example.mocoapp.com).
pub const ENV_ACCOUNT: &str = "MOCO_ACCOUNT";
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "MOCO_API_KEY";
/// Environment variable overriding the base URL (e.g. a local stand-in); wins over the account.
pub const ENV_BASE_URL: &str = "MOCO_BASE_URL";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer body the client reads by default: 64 MiB.
const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

/// Per-client state the generated code hands to the request hooks. Clones share the rate limiter.
#[derive(Clone)]
pub(crate) struct ClientState {
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) impersonate: Option<i64>,
    pub(crate) limiter: Arc<Limiter>,
    pub(crate) retry: RetryPolicy,
    /// The largest answer body read (`None`: no limit).
    pub(crate) max_response_size: Option<usize>,
    /// Extra query parameters for GET requests (the custom field filter).
    pub(crate) extra_query: Arc<Vec<(String, String)>>,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("impersonate", &self.impersonate)
            .field("rate_limit", &self.limiter.limit)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("extra_query", &self.extra_query)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), mocoapp::Error> {
    /// let client = mocoapp::Client::builder()
    ///     .account("example")            // https://example.mocoapp.com/api/v1
    ///     .api_key("YOUR_API_KEY")
    ///     .rate_limit(mocoapp::RateLimit::unlimited_plan())
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// How many requests the rate limiter would admit right now (`None`: no client-side limit);
    /// page streams size their concurrency by it.
    pub(crate) fn limiter_room(&self) -> Option<usize> {
        self.inner.limiter.room()
    }

    /// A client for the account in `MOCO_ACCOUNT` (or the URL in `MOCO_BASE_URL`) with the key in
    /// `MOCO_API_KEY`, and default settings otherwise.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// A client that acts on behalf of another user: every request carries
    /// `X-IMPERSONATE-USER-ID`. It shares the connection pool and the rate limiter with `self`.
    /// The key's owner needs the Staff permission.
    pub fn impersonate(&self, user_id: i64) -> Self {
        let mut state = self.inner.clone();
        state.impersonate = Some(user_id);
        Client::new_with_client(&self.baseurl, self.client.clone(), state)
    }

    /// A client whose list requests (GET) also filter by custom field values, MOCO's global
    /// `custom_properties[Name]=value` filter (multiple-choice: `custom_properties[Name][]=a&...`,
    /// matching entities that hold all the values). MOCO's docs filter Yes/No fields with
    /// `"true"`/`"false"` and dates as `YYYY-MM-DD`; give those as text. It shares the connection
    /// pool and the rate limiter with `self`.
    ///
    /// ```no_run
    /// # async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    /// use mocoapp::CustomFields;
    /// let pharma = client.filter_custom_fields(&CustomFields::new().with("Sector", ["Pharma", "Chemistry"]));
    /// let projects = pharma.list_projects().collect_all().await?;
    /// # Ok(()) }
    /// ```
    pub fn filter_custom_fields(&self, filter: &crate::CustomFields) -> Self {
        let mut state = self.inner.clone();
        let mut query: Vec<(String, String)> = state.extra_query.iter().cloned().collect();
        for (name, value) in filter.iter() {
            match value {
                crate::CustomFieldValue::Text(text) => query.push((format!("custom_properties[{name}]"), text.clone())),
                crate::CustomFieldValue::List(values) => {
                    query.extend(values.iter().map(|v| (format!("custom_properties[{name}][]"), v.clone())))
                }
                crate::CustomFieldValue::Other(other) => {
                    query.push((format!("custom_properties[{name}]"), other.to_string().trim_matches('"').to_string()))
                }
            }
        }
        state.extra_query = Arc::new(query);
        Client::new_with_client(&self.baseurl, self.client.clone(), state)
    }

    /// The base URL requests go to, e.g. `https://example.mocoapp.com/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// The user this client impersonates, if any.
    pub fn impersonated_user(&self) -> Option<i64> {
        self.inner.impersonate
    }

    /// Checks that the API key is valid (`GET /session`) and returns its owner.
    /// An invalid key gives [`Error::Unauthorized`].
    pub async fn verify_key(&self) -> Result<types::Session, Error> {
        self.get_session().send().await
    }
}

/// Configuration for a [`Client`]; see [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    account: Option<String>,
    base_url: Option<String>,
    api_key: Option<String>,
    scheme: AuthScheme,
    user_agent: String,
    timeout: Option<Duration>,
    rate_limit: RateLimit,
    pace_after_refusal: bool,
    retry: RetryPolicy,
    max_response_size: Option<usize>,
    impersonate: Option<i64>,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            account: None,
            base_url: None,
            api_key: None,
            scheme: AuthScheme::Token,
            user_agent: concat!("mocoapp-rust/", env!("CARGO_PKG_VERSION")).into(),
            timeout: Some(DEFAULT_TIMEOUT),
            rate_limit: RateLimit::standard(),
            pace_after_refusal: true,
            retry: RetryPolicy::default(),
            max_response_size: Some(DEFAULT_MAX_RESPONSE_SIZE),
            impersonate: None,
            http: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("account", &self.account)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("scheme", &self.scheme)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("rate_limit", &self.rate_limit)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("impersonate", &self.impersonate)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder filled from `MOCO_ACCOUNT`, `MOCO_API_KEY` and `MOCO_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let builder = Self { account: var(ENV_ACCOUNT), base_url: var(ENV_BASE_URL), api_key: var(ENV_API_KEY), ..Self::default() };
        if builder.account.is_none() && builder.base_url.is_none() {
            return Err(Error::Config(format!("set {ENV_ACCOUNT} (your account's subdomain) or {ENV_BASE_URL}")));
        }
        if builder.api_key.is_none() {
            return Err(Error::Config(format!("set {ENV_API_KEY} to your MOCO API key")));
        }
        Ok(builder)
    }

    /// The account's subdomain: `example` for `https://example.mocoapp.com`. A full host name
    /// (`example.mocoapp.com`) is accepted too.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// A full base URL including `/api/v1`, for tests and stand-ins. Wins over [`Self::account`].
    /// It must use `https`; plain `http` is accepted only for loopback hosts (`localhost`,
    /// 127.0.0.0/8, `[::1]`), since the API key would otherwise travel unencrypted.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key (a user key from the profile's Integrations tab, or an account key).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// `Token token=KEY` (default) or `Bearer KEY`.
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Timeout for each HTTP attempt, from connecting to the last byte of the body (default
    /// 30 s); `None` waits forever. An attempt that times out is an [`Error::Transport`] (its
    /// `is_timeout()` is true); it is retried for idempotent methods only (see
    /// [`RetryPolicy`]), since MOCO may have processed a POST whose answer was slow.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The client-side rate limit (default: MOCO's standard plan, 120 requests per 2 minutes).
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Whether the first 429 switches the client-side limit from bursts to an even pace of one
    /// request per `window / requests` (default `true`; see [`RateLimit`]'s module docs,
    /// "Pacing after a 429"). `false` keeps sending bursts of a whole window's allowance, which
    /// only a server that counts by a window accepts: the choice for a server known to count
    /// that way, where a 429 can only come from someone else using the same key.
    pub fn pace_after_refusal(mut self, pace: bool) -> Self {
        self.pace_after_refusal = pace;
        self
    }

    /// How 429s, 5xx answers and connection failures are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest answer body the client reads (default 64 MiB; `None`: no limit), so that a
    /// proxy streaming garbage cannot exhaust the memory. A larger body is an
    /// [`Error::ResponseTooLarge`]; reading stops at the limit (at once when `Content-Length`
    /// announces more). Applies to downloads too, also with a custom
    /// [`http_client`](Self::http_client).
    pub fn max_response_size(mut self, limit: Option<usize>) -> Self {
        self.max_response_size = limit;
        self
    }

    /// Impersonate this user on every request (see [`Client::impersonate`]).
    pub fn impersonate(mut self, user_id: i64) -> Self {
        self.impersonate = Some(user_id);
        self
    }

    /// Use this reqwest client (proxies, custom TLS roots...). User agent and timeout settings of
    /// this builder are then not applied; gzip should be enabled on it. Start from
    /// [`ClientBuilder::http_client_builder`], which has this crate's TLS set up: the crate
    /// builds reqwest without a TLS crypto provider of its own, so a plain
    /// `reqwest::Client::builder()` can do HTTPS only where the application installed a process
    /// default provider. Do not turn on reqwest's `connection_verbose` on it: that logs the raw
    /// request bytes, `Authorization` header included, at TRACE level (target
    /// `reqwest::connect::verbose`).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A reqwest builder set up as `build` sets up its own: TLS through rustls with the ring
    /// provider and the platform's certificate roots, handed to this client only (nothing is
    /// installed process-wide), and gzip. Add proxies or timeouts, build it and pass it to
    /// [`http_client`](Self::http_client).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let http = mocoapp::ClientBuilder::http_client_builder()
    ///     .proxy(mocoapp::reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .build()?;
    /// let client = mocoapp::Client::builder().account("example").api_key("KEY").http_client(http).build()?;
    /// # Ok(()) }
    /// ```
    pub fn http_client_builder() -> reqwest::ClientBuilder {
        let builder = reqwest::Client::builder().gzip(true);
        match tls_config() {
            Ok(tls) => builder.tls_backend_preconfigured(tls),
            // `build()` reports it: reqwest refuses an unknown preconfigured backend.
            Err(e) => {
                tracing::warn!(error = %e, "cannot set up TLS");
                builder.tls_backend_preconfigured(())
            }
        }
    }

    /// Builds the client. Fails on a missing or malformed account, URL or key.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = match &self.api_key {
            Some(key) => Some(ApiKey::new(key.clone(), self.scheme)?),
            None => return Err(Error::Config("no API key: call .api_key(..) or use ClientBuilder::login".into())),
        };
        self.build_with_key(api_key)
    }

    /// Logs in with a user's email and password (`POST /session`) and builds a client with the
    /// API key MOCO returns. Any key set on the builder is ignored.
    pub async fn login(self, email: &str, password: &str) -> Result<Client, Error> {
        let scheme = self.scheme;
        let anonymous = self.build_with_key(None)?;
        let session =
            anonymous.create_session().body(types::SessionCreate { email: email.into(), password: password.into() }).send().await?;
        let key = session.api_key.ok_or_else(|| Error::Config("MOCO accepted the login but returned no API key".into()))?;
        // The same connection pool and rate limiter, now with the key.
        let mut state = anonymous.inner.clone();
        state.api_key = Some(ApiKey::new(key, scheme)?);
        Ok(Client::new_with_client(&anonymous.baseurl, anonymous.client.clone(), state))
    }

    fn build_with_key(self, api_key: Option<ApiKey>) -> Result<Client, Error> {
        let base_url = self.resolve_base_url()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                // TLS configured for this client alone: the application's process default
                // provider (if any) is neither used nor changed.
                let tls = tls_config().map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?;
                let mut builder = reqwest::Client::builder().user_agent(self.user_agent).gzip(true).tls_backend_preconfigured(tls);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?
            }
        };
        let state = ClientState {
            api_key,
            impersonate: self.impersonate,
            limiter: Arc::new(self.rate_limit.limiter(self.pace_after_refusal)),
            retry: self.retry,
            max_response_size: self.max_response_size,
            extra_query: Arc::default(),
        };
        Ok(Client::new_with_client(&base_url, http, state))
    }

    fn resolve_base_url(&self) -> Result<String, Error> {
        if let Some(url) = &self.base_url {
            let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config(format!("invalid base URL {url:?}: {e}")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::Config(format!("the base URL {url:?} must use http or https")));
            }
            // Plain http would send the API key in clear text: only for this machine (tests, the
            // fake, a local proxy). The host is the parsed one, so `localhost.evil.com` or
            // `127.0.0.1@evil.com` do not pass for loopback.
            if parsed.scheme() == "http" && !is_loopback(&parsed) {
                return Err(Error::Config(format!(
                    "the base URL {url:?} uses plain http, which would send the API key unencrypted: \
                     use https (http is accepted only for loopback hosts: localhost, 127.0.0.0/8, [::1])"
                )));
            }
            return Ok(url.trim_end_matches('/').to_string());
        }
        let account =
            self.account.as_deref().map(str::trim).ok_or_else(|| Error::Config("no account: call .account(..) or .base_url(..)".into()))?;
        let account = account.trim_start_matches("https://").trim_end_matches('/');
        let account = account.strip_suffix(".mocoapp.com").unwrap_or(account);
        let valid = !account.is_empty() && account.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(Error::Config(format!(
                "invalid account {account:?}: expected the subdomain of your MOCO URL, e.g. \"example\" for example.mocoapp.com"
            )));
        }
        Ok(format!("https://{}.mocoapp.com/api/v1", account.to_ascii_lowercase()))
    }
}

/// The rustls configuration of every client this crate builds: the ring provider, given
/// explicitly (never installed as the process default, which belongs to the application), and
/// the platform's certificate verifier, as reqwest would set it up. ALPN offers HTTP/1.1, and
/// h2 first with the `http2` feature.
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") { vec![b"h2".to_vec(), b"http/1.1".to_vec()] } else { vec![b"http/1.1".to_vec()] };
    Ok(config)
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
fn is_loopback(url: &reqwest::Url) -> bool {
    // The parsed host: IPv6 addresses in brackets, IPv4 ones normalised (`0x7f.1` is 127.0.0.1).
    let Some(host) = url.host_str() else { return false };
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
