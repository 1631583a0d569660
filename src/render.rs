//! Model → Typst source, through minijinja templates.
//!
//! Templates only map data to calls of the Typst library (`protokoll.typ`); they do no
//! layout. Every `{{ value }}` in a `.typ.j2` template is escaped as Typst markup unless it is
//! [`Markup`](crate::meeting::model::Markup) from the Markdown converter; values used in Typst
//! code go through the `lit` filter, which writes a Typst literal.
//!
//! The templates are built into the binary; `--templates DIR` overrides them file by file.
//! Each § and bilaga of a rendered document is a known range of its source ([`Rendered`],
//! found by [`parts`]), where Typst's problems are placed.

mod parts;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Value};

use crate::diag::{Diagnostic, SourceFile};
use crate::escape;
use crate::meeting::Protocol;
use crate::meeting::model::FvgMeeting;
use crate::meeting::model::namnd::NamndMeeting;
use crate::typeset::Part;

use parts::Marks;

/// A rendered document: its Typst source, and the ranges of it its § and bilagor became.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub source: String,
    pub parts: Vec<Part>,
}

/// The built-in templates: (file name, text).
const BUILT_IN: &[(&str, &str)] = &[
    ("protokoll.typ", include_str!("../templates/protokoll.typ")),
    ("fvg.typ.j2", include_str!("../templates/fvg.typ.j2")),
    ("namnd.typ.j2", include_str!("../templates/namnd.typ.j2")),
    ("anslag.typ.j2", include_str!("../templates/anslag.typ.j2")),
    (
        "kallelse.typ.j2",
        include_str!("../templates/kallelse.typ.j2"),
    ),
    (
        "bilagor.typ.j2",
        include_str!("../templates/bilagor.typ.j2"),
    ),
];

/// What a nämnd document is besides the meeting: the protocol itself or an extract of one §.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct NamndView {
    /// The § of a protokollsutdrag; `None` for the whole protocol.
    pub utdrag: Option<u32>,
    /// The page header's first line: "Protokoll AMN 2020-04-21".
    pub header: String,
    /// The PDF title.
    pub title: String,
    pub draft: bool,
    /// An extract's justering: "Paragrafen justerades omedelbart."
    pub(crate) justering_statement: Option<String>,
    /// Under an extract's heading: "Utdrag ur protokoll från …".
    pub(crate) subtitle: Option<String>,
}

impl NamndView {
    /// The whole protocol.
    pub fn protocol(m: &NamndMeeting) -> Self {
        Self {
            utdrag: None,
            header: crate::documents::phrases::header(m),
            title: crate::documents::phrases::title(m),
            draft: m.is_draft(),
            justering_statement: None,
            subtitle: None,
        }
    }
}

/// What page 1 of a web edition says: the wording (a default the meeting file can replace)
/// and the reasons material was removed for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WebNotice {
    pub text: String,
    pub reasons: Vec<String>,
    /// The record (JSON) to attach as the document's data (`--embed-data`), or none.
    pub data: Option<crate::meeting::model::Attachment>,
}

/// The Typst library every generated document imports.
pub(crate) const LIBRARY: &str = "protokoll.typ";

/// The templates in use: the built-in ones, each replaced by a file of the same name in the
/// override folder if there is one.
#[derive(Debug, Clone)]
pub struct Templates {
    files: Vec<(String, SourceFile)>,
}

impl Templates {
    pub fn load(overrides: Option<&Path>) -> Result<Self, Vec<Diagnostic>> {
        if let Some(dir) = overrides
            && !dir.is_dir()
        {
            return Err(vec![Diagnostic::error(format!(
                "template folder `{}` does not exist",
                dir.display()
            ))]);
        }
        let mut files = Vec::new();
        for (name, text) in BUILT_IN {
            // Anything by a template's name overrides it, and must be a regular file: a FIFO
            // is refused, not read (it would block) nor passed over for the built-in one.
            let file = match overrides
                .map(|dir| dir.join(name))
                .filter(|p| p.symlink_metadata().is_ok())
            {
                Some(path) => {
                    let text = crate::sandbox::read_text(&path).map_err(|e| {
                        vec![Diagnostic::error(format!(
                            "cannot read template `{}`: {}",
                            path.display(),
                            crate::sandbox::io_reason(&e)
                        ))]
                    })?;
                    SourceFile::new(path, text)
                }
                None => SourceFile::new(PathBuf::from(format!("<built-in>/{name}")), *text),
            };
            files.push((name.to_string(), file));
        }
        Ok(Self { files })
    }

    pub fn get(&self, name: &str) -> &SourceFile {
        &self
            .files
            .iter()
            .find(|(n, _)| n == name)
            .expect("a built-in template name")
            .1
    }

    /// Every template in use (built-in or overriding), for the incremental build key.
    pub fn all(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(|(_, f)| f)
    }

    /// The Typst library source.
    pub fn library(&self) -> &SourceFile {
        self.get(LIBRARY)
    }

    fn text(&self, name: &str) -> Cow<'_, str> {
        Cow::Borrowed(&self.get(name).text)
    }
}

/// Renders meetings to Typst source. Built once and shared by every meeting of a run, it
/// also carries how the run typesets what it renders ([`crate::typeset::Options`], set by
/// the command).
pub struct Renderer {
    env: Environment<'static>,
    templates: Templates,
    typeset: crate::typeset::Options,
}

impl Renderer {
    pub fn new(templates: Templates) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax.keep_trailing_newline(true);
        env.set_syntax(syntax.build().expect("default syntax is valid"));
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") {
                AutoEscape::Custom("typst".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(typst_formatter);
        env.add_filter("lit", lit);
        for (name, _) in BUILT_IN.iter().filter(|(n, _)| n.ends_with(".j2")) {
            let source = templates.text(name).into_owned();
            if let Err(e) = env.add_template_owned(name.to_string(), source) {
                return Err(vec![template_error(&templates, &e)]);
            }
        }
        Ok(Self {
            env,
            templates,
            typeset: crate::typeset::Options::default(),
        })
    }

    /// The renderer, its documents typeset with `options`.
    pub fn with_typeset(self, options: crate::typeset::Options) -> Self {
        Self {
            typeset: options,
            ..self
        }
    }

    /// How the run typesets (see [`Renderer::with_typeset`]).
    pub fn typeset_options(&self) -> crate::typeset::Options {
        self.typeset
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The Typst source of one meeting's protocol, by the template of its kind. `ph`: what
    /// the document words from the model (`documents::phrases::of`).
    pub fn render(
        &self,
        protocol: &Protocol,
        ph: Option<Value>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        match protocol {
            Protocol::Fvg(m) => self.render_fvg(m, ph.unwrap_or_default()),
            Protocol::Namnd(m) => {
                self.render_namnd(m, &NamndView::protocol(m), ph.unwrap_or_default())
            }
        }
    }

    /// The Typst source of an FVG protocol; `ph`: its lines (`documents::fvg`).
    pub(crate) fn render_fvg(
        &self,
        meeting: &FvgMeeting,
        ph: Value,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let mut marks = Marks::default();
        let m = fvg_value(&mut marks, meeting);
        self.render_template(
            "fvg.typ.j2",
            minijinja::context! { m => m, ph => ph },
            &marks,
        )
    }
}

/// The FVG meeting as its template gets it, its § and bilagor marked.
fn fvg_value(marks: &mut Marks, m: &FvgMeeting) -> Value {
    let paragrafer = m.paragrafer.iter().map(|p| (p.number, p.place.clone()));
    marked(marks, m, paragrafer.collect(), &m.bilagor)
}

/// The nämnd meeting as its template gets it, its § and bilagor marked.
fn namnd_value(marks: &mut Marks, m: &NamndMeeting) -> Value {
    let paragrafer = m.paragrafer.iter().map(|p| (p.number, p.place.clone()));
    marked(marks, m, paragrafer.collect(), &m.bilagor)
}

/// A meeting of either kind as its template gets it: `paragrafer` are its § numbers and
/// places, in order.
fn marked<M: serde::Serialize>(
    marks: &mut Marks,
    m: &M,
    paragrafer: Vec<(u32, Option<crate::meeting::model::Place>)>,
    bilagor: &[crate::meeting::model::Bilaga],
) -> Value {
    marks.meeting(
        Value::from(minijinja::value::Serde(m)),
        &paragrafer,
        bilagor,
    )
}

impl Renderer {
    /// The Typst source of a nämnd protocol, or of an extract of one of its §: the model
    /// `m`, the document `view`, and the phrases the document words (`ph`,
    /// `documents::phrases`).
    pub(crate) fn render_namnd(
        &self,
        m: &NamndMeeting,
        view: &NamndView,
        ph: Value,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let mut marks = Marks::default();
        let value = namnd_value(&mut marks, m);
        self.render_template(
            "namnd.typ.j2",
            minijinja::context! {
                m => value,
                ph => ph,
                clock => Value::from(minijinja::value::Serde(m.clock_date())),
                ..Value::from(minijinja::value::Serde(view))
            },
            &marks,
        )
    }

    /// The Typst source of a web edition (`assemble publish`): the template of the kind with
    /// `webb` set, which heads page 1 with `webb.text` and turns marked spans into notices.
    /// `view` is the nämnd document (protocol or extract); FVG has only the protocol.
    pub(crate) fn render_web(
        &self,
        protocol: &Protocol,
        view: Option<&NamndView>,
        ph: Option<Value>,
        webb: &WebNotice,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let webb = Value::from(minijinja::value::Serde(webb));
        let mut marks = Marks::default();
        match protocol {
            Protocol::Fvg(m) => {
                let value = fvg_value(&mut marks, m);
                self.render_template(
                    "fvg.typ.j2",
                    minijinja::context! { m => value, ph => ph.unwrap_or_default(), webb => webb },
                    &marks,
                )
            }
            Protocol::Namnd(m) => {
                let own;
                let view = match view {
                    Some(v) => v,
                    None => {
                        own = NamndView::protocol(m);
                        &own
                    }
                };
                let value = namnd_value(&mut marks, m);
                self.render_template(
                    "namnd.typ.j2",
                    minijinja::context! {
                        m => value,
                        ph => ph.unwrap_or_default(),
                        clock => Value::from(minijinja::value::Serde(m.clock_date())),
                        webb => webb,
                        ..Value::from(minijinja::value::Serde(view))
                    },
                    &marks,
                )
            }
        }
    }

    /// The Typst source of an anslagsbevis (it has no § or bilaga of its own).
    pub(crate) fn render_anslag(
        &self,
        m: &NamndMeeting,
        anslag: &impl serde::Serialize,
        header: &str,
        title: &str,
        footer: &[String],
    ) -> Result<Rendered, Vec<Diagnostic>> {
        self.render_template(
            "anslag.typ.j2",
            minijinja::context! {
                m => Value::from(minijinja::value::Serde(m)),
                a => Value::from(minijinja::value::Serde(anslag)),
                header => header,
                title => title,
                footer => footer.to_vec(),
                clock => Value::from(minijinja::value::Serde(m.clock_date())),
            },
            &Marks::default(),
        )
    }

    /// The Typst source of a kallelse or meeting pack (`documents::kallelse`): `view` is
    /// what it prints; its handlingar are rendered by `bilagor.typ.j2`'s readers' markup.
    pub(crate) fn render_kallelse(
        &self,
        m: &NamndMeeting,
        view: &impl serde::Serialize,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        self.render_template(
            "kallelse.typ.j2",
            minijinja::context! {
                m => Value::from(minijinja::value::Serde(m)),
                k => Value::from(minijinja::value::Serde(view)),
                clock => Value::from(minijinja::value::Serde(m.clock_date())),
            },
            &Marks::default(),
        )
    }

    /// Renders template `name`; the source comes back without the `marks` the context's
    /// values carry, and with the ranges they stood around.
    fn render_template(
        &self,
        name: &str,
        context: Value,
        marks: &Marks,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| vec![template_error(&self.templates, &e)])?;
        let context = minijinja::context! {
            library => format!("/{}", library_virtual_name()),
            ..context
        };
        let marked = template
            .render(context)
            .map_err(|e| vec![template_error(&self.templates, &e)])?;
        let (source, parts) = marks.take(marked);
        Ok(Rendered { source, parts })
    }
}

/// Where generated documents find the library (a reserved folder no meeting file can shadow).
pub(crate) fn library_virtual_name() -> &'static str {
    ".protokoll/protokoll.typ"
}

fn template_error(templates: &Templates, e: &Error) -> Diagnostic {
    let mut diag = Diagnostic::error(format!(
        "template: {}",
        e.detail().unwrap_or(&e.kind().to_string())
    ));
    if let Some(name) = e.name() {
        if let (Some(range), Some((_, file))) =
            (e.range(), templates.files.iter().find(|(n, _)| n == name))
        {
            diag = diag.at(file, range);
        } else if let (Some(line), Some((_, file))) =
            (e.line(), templates.files.iter().find(|(n, _)| n == name))
        {
            let start: usize = file
                .text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            diag = diag.at(file, start..start);
        }
    }
    diag.with_hint("the templates are overridable with --templates; check the overriding file")
}

/// Prints values into Typst markup: escaped, unless already markup from the converter.
fn typst_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    if *state.auto_escape() == AutoEscape::None || value.is_safe() {
        return write!(out, "{value}").map_err(Error::from);
    }
    let text = match value.kind() {
        ValueKind::Undefined | ValueKind::None => String::new(),
        ValueKind::Bool => value.is_true().to_string(),
        ValueKind::Number => value.to_string(),
        ValueKind::String => escape::markup(value.as_str().unwrap_or_default()),
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "a list or table cannot be printed into Typst markup; use `|lit` in Typst code",
            ));
        }
    };
    out.write_str(&text).map_err(Error::from)
}

/// `{{ value|lit }}`: the value as a Typst literal (string, number, bool, none, array, dict).
fn lit(value: &Value) -> Result<Value, Error> {
    let mut out = String::new();
    write_literal(&mut out, value)?;
    Ok(Value::from_safe_string(out))
}

fn write_literal(out: &mut String, value: &Value) -> Result<(), Error> {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("none"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => out.push_str(&value.to_string()),
        ValueKind::String => {
            // A part's marks stand outside the literal: escaping would remove them.
            let (open, text, shut) = parts::split_marks(value.as_str().unwrap_or_default());
            out.push_str(open);
            out.push_str(&escape::string_literal(text));
            out.push_str(shut);
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('(');
            for item in value.try_iter()? {
                write_literal(out, &item)?;
                out.push_str(", ");
            }
            out.push(')');
        }
        ValueKind::Map => {
            out.push('(');
            let mut any = false;
            for key in value.try_iter()? {
                any = true;
                out.push_str(&escape::string_literal(&key.to_string()));
                out.push_str(": ");
                write_literal(out, &value.get_item(&key)?)?;
                out.push_str(", ");
            }
            if !any {
                out.push(':');
            }
            out.push(')');
        }
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "this value has no Typst literal",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lit_writes_typst_literals() {
        let v = Value::from(minijinja::value::Serde(serde_json_like()));
        let out = lit(&v).unwrap();
        assert_eq!(
            out.as_str().unwrap(),
            "(\"a\": \"x \\\"y\\\"\", \"b\": (1, true, none, ), )"
        );
    }

    fn serde_json_like() -> std::collections::BTreeMap<&'static str, Value> {
        let mut m = std::collections::BTreeMap::new();
        m.insert("a", Value::from("x \"y\""));
        m.insert(
            "b",
            Value::from(vec![Value::from(1), Value::from(true), Value::from(())]),
        );
        m
    }
}
