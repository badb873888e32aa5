//! `moco-fake`: the fake MOCO server as a program.
//!
//! ```sh
//! moco-fake --port 8080 --api-key KEY --seed 1 --projects 250 --activities 2000
//! MOCO_BASE_URL=http://127.0.0.1:8080/api/v1 MOCO_API_KEY=KEY cargo run --example quickstart
//! ```

use std::{process::ExitCode, time::Duration};

use moco_fake::{AnswerStyle, FakeConfig, FakeMoco, Faults, RateLimit, RateRule, WebhookRetry};

const HELP: &str = "\
moco-fake: a fake MOCO API server built from openapi/moco.yaml

USAGE: moco-fake [OPTIONS]

  --host ADDR              address to listen on (default 127.0.0.1)
  --port N                 port (default 8080; 0 for any free port)
  --api-key KEY            the owner's API key (default fake-api-key); every other user
                           has a personal key, which POST /session hands out
  --password PASSWORD      every user's password for POST /session (default
                           moco-fake-password; a user created or updated with a
                           \"password\" has that one); a wrong one gets MOCO's 401
  --seed N                 dataset seed (default 1)
  --users N, --units N, --companies N, --contacts N, --projects N, --tasks-per-project N,
  --contracts-per-project N, --activities N, --deals N, --invoices N, --offers N,
  --schedules N, --presences N, --purchases N, --tags N, --others N
                           dataset sizes
  --rate-limit N/SECONDS   answer 429 beyond N requests per SECONDS (e.g. 120/120)
  --rate-rule RULE         how --rate-limit counts (per API key; Retry-After on every 429):
                             sliding-window          at most N in any span of SECONDS (default)
                             fixed-window            at most N per fixed period of SECONDS, as
                                                     Rails' rack-attack counts (refusals count)
                             token-bucket[:CAPACITY] a bucket of CAPACITY (default N/10) refilled
                                                     at N per SECONDS
                             strict-pace             one request per SECONDS/N, no burst
  --latency-ms N           delay every answer
  --server-errors RATE     answer this fraction of requests with 500
  --connection-resets RATE reset the connection for this fraction of requests
  --malformed-json RATE    answer this fraction with a body that is not JSON
  --truncated-body RATE    cut this fraction of bodies short
  --html-error-page RATE   answer this fraction with an HTML page and status 200
  --rate-limited RATE:S    answer this fraction with 429 and Retry-After: S (a 429 storm)
  --resets-after-processing RATE
                           carry out this fraction of requests, then reset the connection
  --stalls RATE:MS         carry out this fraction, then hold the answer back MS milliseconds
  --oversized-body RATE:BYTES
                           pad this fraction of JSON bodies to BYTES (no Content-Length)
  --webhook-key KEY        sign every web hook delivery with this key
  --webhook-backoff-ms FIRST:MAX
                           wait FIRST ms before retrying a failed delivery, doubling up to
                           MAX ms (default 10000:3600000; MOCO publishes no schedule)
  --webhook-disable-after N
                           disable a hook after N failed attempts in a row (default 500, as
                           MOCO does; a delivery fails on a non-2xx answer, no answer within
                           10 s, or a connection error)
  --strict                 answer 400 to query parameters the spec does not declare for the
                           operation (a typo shows), instead of ignoring them as MOCO does
  --max-request-body BYTES answer 413 to request bodies over BYTES (default 67108864)
  --docs-answers           answer in the docs' clean form. By default answers have the habits
                           of MOCO's servers: some decimals as strings (\"17999.00\"), some
                           integers as integral floats (10.0, never `id`), some absent dates
                           as \"\" and some absent nested objects as {} (each field always the
                           same way; the spec's response schemas admit all of these)
  --no-request-log         do not keep requests in memory
  -h, --help               this help
";

/// `RATE:N` (a fraction from 0 to 1, and a whole number).
fn pair(flag: &str, value: &str) -> Result<(f64, u64), String> {
    let (rate, n) = value.split_once(':').ok_or_else(|| format!("{flag} takes RATE:N, e.g. 0.1:5"))?;
    let rate: f64 =
        rate.parse().ok().filter(|r| (0.0..=1.0).contains(r)).ok_or_else(|| format!("{flag}: {rate:?} is not a rate from 0 to 1"))?;
    let n = n.parse().map_err(|_| format!("{flag}: {n:?} is not a whole number"))?;
    Ok((rate, n))
}

fn parse(args: &[String]) -> Result<FakeConfig, String> {
    let mut config = FakeConfig { port: 8080, ..FakeConfig::default() };
    let mut faults = Faults::default();
    // Parsed last: a token bucket's default capacity depends on --rate-limit.
    let mut rule = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "--no-request-log" {
            config.record_requests = false;
            i += 1;
            continue;
        }
        if flag == "--docs-answers" {
            config.answers = AnswerStyle::Docs;
            i += 1;
            continue;
        }
        if flag == "--strict" {
            config.strict = true;
            i += 1;
            continue;
        }
        let value = args.get(i + 1).ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|_| format!("{flag}: {value:?} is not a number"));
        let rate = || value.parse::<f64>().map_err(|_| format!("{flag}: {value:?} is not a rate"));
        match flag {
            "--host" => config.host = value.parse().map_err(|_| format!("--host: {value:?} is not an IP address"))?,
            "--port" => config.port = value.parse().map_err(|_| format!("--port: {value:?} is not a port"))?,
            "--api-key" => config.api_key = value.clone(),
            "--seed" => config.seed = value.parse().map_err(|_| format!("--seed: {value:?} is not a number"))?,
            "--users" => config.users = number()?,
            "--units" => config.units = number()?,
            "--companies" => config.companies = number()?,
            "--contacts" => config.contacts = number()?,
            "--projects" => config.projects = number()?,
            "--tasks-per-project" => config.tasks_per_project = number()?,
            "--contracts-per-project" => config.contracts_per_project = number()?,
            "--activities" => config.activities = number()?,
            "--deals" => config.deals = number()?,
            "--invoices" => config.invoices = number()?,
            "--offers" => config.offers = number()?,
            "--schedules" => config.schedules = number()?,
            "--presences" => config.presences = number()?,
            "--purchases" => config.purchases = number()?,
            "--tags" => config.tags = number()?,
            "--others" => config.others = number()?,
            "--rate-limit" => {
                let (requests, seconds) = value.split_once('/').ok_or("--rate-limit takes N/SECONDS, e.g. 120/120")?;
                config.rate_limit = Some(RateLimit {
                    requests: requests.parse().map_err(|_| "--rate-limit: N is not a number")?,
                    window: Duration::from_secs(seconds.parse().map_err(|_| "--rate-limit: SECONDS is not a number")?),
                });
            }
            "--rate-rule" => rule = Some(value.clone()),
            "--latency-ms" => faults.latency = Duration::from_millis(number()? as u64),
            "--server-errors" => faults.server_errors = rate()?,
            "--connection-resets" => faults.connection_resets = rate()?,
            "--malformed-json" => faults.malformed_json = rate()?,
            "--truncated-body" => faults.truncated_body = rate()?,
            "--html-error-page" => faults.html_error_page = rate()?,
            "--rate-limited" => {
                let (r, seconds) = pair(flag, value)?;
                faults = faults.rate_limited(r, Duration::from_secs(seconds));
            }
            "--resets-after-processing" => faults.resets_after_processing = rate()?,
            "--stalls" => {
                let (r, ms) = pair(flag, value)?;
                faults = faults.stalls(r, Duration::from_millis(ms));
            }
            "--oversized-body" => {
                let (r, bytes) = pair(flag, value)?;
                faults = faults.oversized_body(r, bytes as usize);
            }
            "--webhook-key" => config.webhook_key = Some(value.clone()),
            "--webhook-backoff-ms" => {
                let (first, max) = value.split_once(':').ok_or("--webhook-backoff-ms takes FIRST:MAX, e.g. 100:5000")?;
                let ms = |v: &str| {
                    v.parse::<u64>().map(Duration::from_millis).map_err(|_| format!("--webhook-backoff-ms: {v:?} is not a whole number"))
                };
                config.webhook_retry = WebhookRetry { first_backoff: ms(first)?, max_backoff: ms(max)?, ..config.webhook_retry };
            }
            "--webhook-disable-after" => {
                config.webhook_retry = config.webhook_retry.disable_after(number()?.try_into().unwrap_or(u32::MAX))
            }
            "--password" => config.password = value.clone(),
            "--max-request-body" => config.max_request_body = number()?,
            other => return Err(format!("unknown option {other} (see --help)")),
        }
        i += 2;
    }
    faults.seed = config.seed;
    config.faults = faults;
    if let Some(rule) = rule {
        let requests = config.rate_limit.map_or(RateLimit::standard().requests, |l| l.requests);
        config.rate_rule = RateRule::parse(&rule, requests)?;
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let config = match parse(&args) {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("moco-fake: {problem}");
            return ExitCode::from(2);
        }
    };
    let fake = match FakeMoco::start(config).await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("moco-fake: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Not println!: a parent that read the first line and closed the pipe must not make the
    // server panic (write errors are ignored; the server goes on).
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "moco-fake listening on {}", fake.url());
        let _ = writeln!(out, "  MOCO_BASE_URL={} MOCO_API_KEY={}", fake.url(), fake.api_key());
        let _ = out.flush();
    }
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn options_set_the_config() {
        let config = parse(&args(
            "--port 9000 --api-key K --seed 3 --projects 250 --activities 2000 --rate-limit 120/120 --latency-ms 250 --server-errors 0.1 --no-request-log",
        ))
        .unwrap();
        assert_eq!((config.port, config.api_key.as_str(), config.seed), (9000, "K", 3));
        assert_eq!((config.projects, config.activities), (250, 2000));
        assert_eq!(config.rate_limit, Some(RateLimit::standard()));
        assert_eq!(config.faults.latency, Duration::from_millis(250));
        assert_eq!(config.faults.server_errors, 0.1);
        assert_eq!(config.faults.seed, 3);
        assert!(!config.record_requests);
        assert_eq!(config.answers, AnswerStyle::RealWorld, "real-world answers by default");
        assert_eq!(parse(&args("--docs-answers --seed 2")).unwrap().answers, AnswerStyle::Docs);
        assert!(HELP.contains("--docs-answers"));
    }

    #[test]
    fn strictness_passwords_body_limit_and_web_hook_retries_have_flags() {
        let config =
            parse(&args("--strict --password pw --max-request-body 1024 --webhook-backoff-ms 5:50 --webhook-disable-after 3")).unwrap();
        assert!(config.strict);
        assert_eq!(config.password, "pw");
        assert_eq!(config.max_request_body, 1024);
        assert_eq!(
            config.webhook_retry,
            WebhookRetry::moco().backoff(Duration::from_millis(5), Duration::from_millis(50)).disable_after(3)
        );
        let defaults = parse(&[]).unwrap();
        assert!(!defaults.strict, "unknown query parameters are ignored unless asked");
        assert_eq!(
            (defaults.password.as_str(), defaults.max_request_body),
            (moco_fake::DEFAULT_PASSWORD, moco_fake::DEFAULT_MAX_REQUEST_BODY)
        );
        assert_eq!(defaults.webhook_retry, WebhookRetry::moco());
        assert!(parse(&args("--webhook-backoff-ms 5")).unwrap_err().contains("FIRST:MAX"));
        for flag in ["--strict", "--password", "--max-request-body", "--webhook-backoff-ms", "--webhook-disable-after"] {
            assert!(HELP.contains(flag), "{flag} in --help");
        }
        assert!(HELP.contains(moco_fake::DEFAULT_PASSWORD) && HELP.contains(&moco_fake::DEFAULT_MAX_REQUEST_BODY.to_string()));
    }

    #[test]
    fn the_newer_faults_have_flags() {
        let config =
            parse(&args("--rate-limited 0.5:7 --resets-after-processing 0.25 --stalls 0.1:1500 --oversized-body 0.2:1048576")).unwrap();
        let expected = Faults::default()
            .rate_limited(0.5, Duration::from_secs(7))
            .resets_after_processing(0.25)
            .stalls(0.1, Duration::from_millis(1500))
            .oversized_body(0.2, 1 << 20)
            .seed(config.seed);
        assert_eq!(config.faults, expected);
        assert!(parse(&args("--stalls 0.1")).unwrap_err().contains("RATE:N"));
        assert!(parse(&args("--stalls 2:10")).unwrap_err().contains("rate from 0 to 1"));
        assert!(parse(&args("--oversized-body 0.1:lots")).unwrap_err().contains("whole number"));
    }

    #[test]
    fn the_rate_rules_are_listed_and_chosen() {
        for name in RateRule::NAMES {
            assert!(HELP.contains(name), "--help lists {name}");
        }
        assert_eq!(parse(&args("--rate-limit 120/120")).unwrap().rate_rule, RateRule::SlidingWindow);
        assert_eq!(parse(&args("--rate-rule fixed-window")).unwrap().rate_rule, RateRule::FixedWindow);
        assert_eq!(
            parse(&args("--rate-rule token-bucket --rate-limit 1200/120")).unwrap().rate_rule,
            RateRule::TokenBucket { capacity: 120 }
        );
        assert_eq!(parse(&args("--rate-rule token-bucket:7")).unwrap().rate_rule, RateRule::TokenBucket { capacity: 7 });
        assert_eq!(parse(&args("--rate-rule strict-pace")).unwrap().rate_rule, RateRule::StrictPace);
        assert!(parse(&args("--rate-rule leaky-bucket")).unwrap_err().contains("--rate-rule"));
    }

    #[test]
    fn mistakes_are_named() {
        assert!(parse(&args("--projects many")).unwrap_err().contains("--projects"));
        assert!(parse(&args("--frobnicate 1")).unwrap_err().contains("--frobnicate"));
        assert!(parse(&args("--port")).unwrap_err().contains("needs a value"));
        assert!(parse(&args("--rate-limit 120")).unwrap_err().contains("N/SECONDS"));
    }
}
