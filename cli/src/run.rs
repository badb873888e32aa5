//! Running a parsed command line: the client (from the environment, or the built-in fake),
//! the output (JSON, JSON lines, files), the progress bar and the errors.

use std::{
    io::{self, IsTerminal, Write},
    path::PathBuf,
};

use clap::ArgMatches;
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mocoapp::{
    pagination::{PageFuture, PagedRequest},
    Client, ClientBuilder, CustomFields, Error,
};
use serde::Serialize;

use crate::exit;

/// Why a command failed, and its exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The client's error (its exit code tells the kind, see `exit.rs`).
    Api(Error),
    /// Bad input: arguments, files, configuration.
    Usage(String),
    /// The output could not be written; a closed pipe (`| head`) is no failure.
    Output(io::Error),
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    /// Prints the message to stderr and returns the exit code.
    pub(crate) fn report(self) -> u8 {
        match self {
            Failure::Api(error) => {
                eprintln!("moco: {error}");
                if let Error::Unprocessable { errors: Some(errors), .. } = &error {
                    eprintln!("moco: the fields MOCO rejected: {errors}");
                }
                if let Some(hint) = hint(&error) {
                    eprintln!("moco: {hint}");
                }
                exit::of(&error)
            }
            Failure::Usage(message) => {
                eprintln!("moco: {message}");
                exit::USAGE
            }
            Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::OK,
            Failure::Output(e) => {
                eprintln!("moco: cannot write the output: {e}");
                exit::OTHER
            }
        }
    }
}

fn hint(error: &Error) -> Option<&'static str> {
    match error {
        Error::Unauthorized { .. } => Some("check MOCO_API_KEY (your key is on your MOCO profile's Integrations tab)"),
        Error::Forbidden { .. } => Some("the key's owner lacks the permission for this (impersonation needs the Staff permission)"),
        Error::Config(_) => Some("or try any command on the built-in fake MOCO: moco --fake list-projects"),
        _ => None,
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Api(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        match error.io_error_kind() {
            Some(kind) => Failure::Output(io::Error::new(kind, error)),
            None => Failure::Output(io::Error::other(error)),
        }
    }
}

/// What every command runs with.
pub(crate) struct Ctx {
    pub(crate) client: Client,
    /// The built-in fake, while `--fake` runs.
    #[cfg(feature = "fake")]
    _fake: Option<moco_fake::FakeMoco>,
}

impl Ctx {
    /// The client from `MOCO_ACCOUNT`/`MOCO_BASE_URL` and `MOCO_API_KEY` (as
    /// `mocoapp::ClientBuilder::from_env` reads them), or the built-in fake's; impersonating
    /// `--impersonate`.
    pub(crate) async fn new(m: &ArgMatches) -> Result<Ctx, Failure> {
        let fake = m.get_flag("fake");
        #[cfg(feature = "fake")]
        let (builder, fake) = if fake {
            let fake = moco_fake::FakeMoco::start(moco_fake::FakeConfig::default())
                .await
                .map_err(|e| Failure::usage(format!("cannot start the built-in fake MOCO: {e}")))?;
            (fake.client_builder(), Some(fake))
        } else {
            (ClientBuilder::from_env()?, None)
        };
        #[cfg(not(feature = "fake"))]
        let builder = if fake {
            return Err(Failure::usage("this moco was built without the built-in fake (cargo feature `fake`)"));
        } else {
            ClientBuilder::from_env()?
        };
        let builder = match m.get_one::<i64>("impersonate") {
            Some(user) => builder.impersonate(*user),
            None => builder,
        };
        Ok(Ctx {
            client: builder.build()?,
            #[cfg(feature = "fake")]
            _fake: fake,
        })
    }

    /// The client, filtering by `--custom-field NAME=VALUE` where the operation has the filter.
    pub(crate) fn client_for(&self, m: &ArgMatches) -> Result<Client, Failure> {
        let Ok(Some(filters)) = m.try_get_many::<String>("custom-field") else { return Ok(self.client.clone()) };
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for filter in filters {
            let (name, value) =
                filter.split_once('=').ok_or_else(|| Failure::usage(format!("--custom-field {filter:?}: expected NAME=VALUE")))?;
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value.to_string()),
                None => fields.push((name.to_string(), vec![value.to_string()])),
            }
        }
        let mut custom = CustomFields::new();
        for (name, mut values) in fields {
            custom = if values.len() == 1 { custom.with(name, values.remove(0)) } else { custom.with(name, values) };
        }
        Ok(self.client.filter_custom_fields(&custom))
    }

    /// Prints an answer as JSON (nothing for an empty answer).
    pub(crate) fn print<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        // Written as the client serializes it (field order, exact decimals), not through a
        // `serde_json::Value`.
        let mut text = serde_json::to_vec_pretty(value)?;
        if text == b"null" {
            return Ok(());
        }
        text.push(b'\n');
        let mut out = io::stdout().lock();
        out.write_all(&text)?;
        out.flush()?;
        Ok(())
    }

    /// A downloaded file, to `--output FILE` or to standard output (not to a terminal).
    pub(crate) fn download(&self, bytes: Vec<u8>, m: &ArgMatches) -> Result<(), Failure> {
        match m.get_one::<PathBuf>("output").filter(|p| p.as_os_str() != "-") {
            Some(path) => {
                std::fs::write(path, &bytes).map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
                eprintln!("moco: wrote {} ({} bytes)", path.display(), bytes.len());
            }
            None => {
                let mut out = io::stdout().lock();
                if out.is_terminal() && m.get_one::<PathBuf>("output").is_none() {
                    return Err(Failure::usage("this is a file (PDF): give --output FILE, or redirect standard output"));
                }
                out.write_all(&bytes)?;
                out.flush()?;
            }
        }
        Ok(())
    }

    /// A paged list: one page as a JSON array (the page `--page` asks for), or with `--all`
    /// every item of every page as JSON lines, through the client's item stream (each `id`
    /// once, the list read again if it changed meanwhile).
    pub(crate) async fn paged<'a, R: PagedRequest<'a>>(&self, request: R, m: &ArgMatches) -> Result<(), Failure>
    where
        R::Item: Serialize,
    {
        if !m.get_flag("all") {
            let page = mocoapp::pagination::stream_pages_concurrent(request, 1).try_next().await?;
            let Some(page) = page else { return self.print(&Vec::<()>::new()) };
            self.print(&page.items)?;
            if io::stderr().is_terminal() && page.has_next() {
                let of = page.total.map(|t| format!(" of {t}")).unwrap_or_default();
                eprintln!(
                    "moco: {} items{of} (page {}); --all for every page, --page N for another",
                    page.items.len(),
                    page.page.unwrap_or(1)
                );
            }
            return Ok(());
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} items [{elapsed_precise}] {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let observed = Observed { request, bar: bar.clone(), terminal: io::stderr().is_terminal() };
        // As the builders' `stream()` does: as many pages in flight as the rate limiter has room for.
        let mut items = mocoapp::pagination::stream_items_auto(observed);
        let mut out = io::BufWriter::new(io::stdout());
        let result = async {
            while let Some(item) = items.try_next().await? {
                serde_json::to_writer(&mut out, &item)?;
                out.write_all(b"\n")?;
                bar.inc(1);
            }
            out.flush()?;
            Ok::<(), Failure>(())
        }
        .await;
        bar.finish_and_clear();
        result
    }
}

/// A list request that shows a progress bar on stderr once the first page tells that the list
/// has more than one page (`X-Total` beyond `X-Per-Page`), when stderr is a terminal.
#[derive(Clone)]
struct Observed<R> {
    request: R,
    bar: ProgressBar,
    terminal: bool,
}

impl<'a, R: PagedRequest<'a>> PagedRequest<'a> for Observed<R> {
    type Item = R::Item;

    fn with_page(self, page: i64) -> Self {
        Observed { request: self.request.with_page(page), ..self }
    }

    fn client(&self) -> Option<&'a mocoapp::Client> {
        self.request.client()
    }

    fn fetch(self) -> PageFuture<'a, Self::Item> {
        let Observed { request, bar, terminal } = self;
        Box::pin(async move {
            let answer = request.fetch().await?;
            let number = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
            if let (Some(total), Some(per_page)) = (number("x-total"), number("x-per-page")) {
                if bar.length() != Some(total) {
                    bar.set_length(total);
                }
                if terminal && total > per_page && bar.is_hidden() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            }
            Ok(answer)
        })
    }
}
