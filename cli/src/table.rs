//! What the generated table says about an operation, and the clap subcommand made of it.

use clap::{
    builder::{PossibleValuesParser, TypedValueParser},
    value_parser, Arg, ArgAction, Command,
};

/// One operation of the spec (see `generated.rs`).
#[derive(Debug)]
pub(crate) struct Op {
    /// The `operationId` (the client's method).
    pub(crate) id: &'static str,
    /// The subcommand: the `operationId` in kebab case.
    pub(crate) name: &'static str,
    /// The PUT/PATCH variants of an update (`update-project-via-patch`): the client sends the
    /// update one way, so they name the same subcommand.
    pub(crate) aliases: &'static [&'static str],
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) tag: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) description: &'static str,
    pub(crate) params: &'static [Param],
    pub(crate) body: Body,
    pub(crate) output: Output,
    /// Whether it takes MOCO's `custom_properties[Name]=value` filter (`--custom-field`).
    pub(crate) custom_fields: bool,
}

/// A path parameter (positional) or a query parameter (a flag).
#[derive(Debug)]
pub(crate) struct Param {
    /// The wire name, also the clap id.
    pub(crate) id: &'static str,
    /// The flag (`--company-id`); for a positional, its value name.
    pub(crate) flag: &'static str,
    pub(crate) positional: bool,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
    pub(crate) help: &'static str,
    /// The spec's values of an enum (strings, or integer codes).
    pub(crate) values: &'static [&'static str],
}

/// How a value is parsed; the generated code reads it as the matching Rust type
/// (`args::opt_value::<i64>`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `i64`
    Int,
    /// `i64`s, comma-separated or repeated.
    IntList,
    /// `bool`: `--flag` (true) or `--flag=false`.
    Bool,
    /// `String`
    Text,
    /// `String`s, comma-separated or repeated.
    TextList,
    /// `chrono::NaiveDate`
    Date,
    /// `chrono::DateTime<Utc>`
    DateTime,
    /// One of the spec's values (`String`, turned into the client's enum).
    Enum,
    /// Several of them.
    EnumList,
}

/// The request body.
#[derive(Debug)]
pub(crate) enum Body {
    None,
    /// `--json-body FILE`, read into the client's request type `schema`.
    Json {
        required: bool,
        schema: &'static str,
    },
    /// `--<field> FILE`: a multipart upload.
    File {
        field: &'static str,
    },
}

/// What the answer is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Output {
    /// JSON, printed as it decoded.
    Json,
    /// A list MOCO pages: one page (`--page`), or every item with `--all`.
    Paged,
    /// A file (PDF): `--output FILE` or standard output.
    Download,
}

impl Op {
    pub(crate) fn subcommand(&'static self) -> Command {
        let mut long = format!("{}\n\n", self.summary);
        if !self.description.is_empty() {
            long.push_str(self.description);
            long.push_str("\n\n");
        }
        long.push_str(&format!("Sends {} {} (operation `{}`, {}).", self.method, self.path, self.id, self.tag));
        if !self.aliases.is_empty() {
            long.push_str(&format!(
                "\n\nAlso named {}: the spec's variants of this update with another HTTP method, which MOCO \
                 accepts too; the client, and so this command, sends {}.",
                self.aliases.join(", "),
                self.method
            ));
        }
        let mut command = Command::new(self.name).about(self.summary).long_about(long).visible_aliases(self.aliases);
        for param in self.params {
            command = command.arg(param.arg());
        }
        match self.body {
            Body::None => {}
            Body::Json { required, schema } => {
                command = command.arg(
                    Arg::new("json-body")
                        .long("json-body")
                        .value_name("FILE")
                        .required(required)
                        .value_parser(value_parser!(std::path::PathBuf))
                        .help(format!("The request body: a JSON file holding a {schema} (`-`: standard input)")),
                );
            }
            Body::File { field } => {
                command = command.arg(
                    Arg::new(field)
                        .long(field)
                        .value_name("FILE")
                        .required(true)
                        .value_parser(value_parser!(std::path::PathBuf))
                        .help("The file to upload"),
                );
            }
        }
        match self.output {
            Output::Json => {}
            Output::Paged => {
                command = command.arg(
                    Arg::new("all")
                        .long("all")
                        .action(ArgAction::SetTrue)
                        .help("Every item of every page, one JSON object per line (default: one page, as a JSON array)"),
                );
            }
            Output::Download => {
                command = command.arg(
                    Arg::new("output")
                        .long("output")
                        .short('o')
                        .value_name("FILE")
                        .value_parser(value_parser!(std::path::PathBuf))
                        .help("Write the file here (default: standard output, unless it is a terminal)"),
                );
            }
        }
        if self.custom_fields {
            command = command.arg(
                Arg::new("custom-field")
                    .long("custom-field")
                    .value_name("NAME=VALUE")
                    .action(ArgAction::Append)
                    .help("Only entities whose custom field NAME has VALUE (repeat NAME for a multiple-choice field)"),
            );
        }
        command
    }
}

impl Param {
    fn arg(&self) -> Arg {
        let mut arg = Arg::new(self.id).required(self.required);
        let mut help = self.help.to_string();
        arg = if self.positional { arg.value_name(self.flag.to_ascii_uppercase()) } else { arg.long(self.flag) };
        let codes = || PossibleValuesParser::new(self.values).try_map(|code| code.parse::<i64>());
        arg = match self.kind {
            Kind::Int | Kind::IntList if !self.values.is_empty() => arg.value_parser(codes()),
            Kind::Text | Kind::TextList if !self.values.is_empty() => arg.value_parser(PossibleValuesParser::new(self.values)),
            Kind::Int => arg.value_parser(value_parser!(i64)).value_name(self.value_name("INT")),
            Kind::IntList => arg.value_parser(value_parser!(i64)).value_name("INT,..."),
            Kind::Bool => arg
                .value_parser(value_parser!(bool))
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .value_name("true|false"),
            Kind::Text => arg.value_parser(value_parser!(String)).value_name("TEXT"),
            Kind::TextList => arg.value_parser(value_parser!(String)).value_name("TEXT,..."),
            Kind::Date => arg.value_parser(value_parser!(chrono::NaiveDate)).value_name("YYYY-MM-DD"),
            Kind::DateTime => arg.value_parser(value_parser!(chrono::DateTime<chrono::Utc>)).value_name("TIMESTAMP"),
            Kind::Enum => arg.value_parser(PossibleValuesParser::new(self.values)),
            Kind::EnumList => arg.value_parser(PossibleValuesParser::new(self.values)),
        };
        if matches!(self.kind, Kind::IntList | Kind::TextList | Kind::EnumList) {
            arg = arg.action(ArgAction::Append).value_delimiter(',');
            help.push_str(if help.is_empty() { "Comma-separated or repeated" } else { " (comma-separated or repeated)" });
        }
        if self.kind == Kind::DateTime {
            help.push_str(" (RFC 3339, e.g. 2024-05-31T12:00:00Z)");
        }
        arg.help(help)
    }

    fn value_name(&self, default: &str) -> String {
        if self.positional {
            self.flag.to_ascii_uppercase()
        } else {
            default.to_string()
        }
    }
}
