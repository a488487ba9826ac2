//! Reads Flowhost's Rust sources for the message ids they name and for text they show
//! without the translations.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::path::{Path, PathBuf};
use syn::visit::{self, Visit};

/// Where a person's words are made: every page, form, message and error page. The terminal
/// messages of start-up configuration, demo data and the seeded widget configuration are the
/// operator's and the ISV's data, not the interface. The sandbox stands in for Microsoft's
/// services, whose API errors are English; only its pages are read.
const SOURCES: [&str; 4] = ["app/src", "server/src", "domain/src", "i18n/src"];
const LEFT_OUT: [&str; 4] = [
    "server/src/config",
    "domain/src/demo.rs",
    "domain/src/placement/seed.rs",
    "server/src/main.rs",
];
const SANDBOX_PAGES: [&str; 7] = [
    "sandbox/src/idp/pages.rs",
    "sandbox/src/idp/authorize.rs",
    "sandbox/src/idp/consent.rs",
    "sandbox/src/idp/logout.rs",
    "sandbox/src/idp/redirect.rs",
    "sandbox/src/flow/pages.rs",
    "sandbox/src/flow/control_page.rs",
];

/// Attributes and properties whose value a person reads or hears.
const TEXT_ATTRIBUTES: [&str; 12] = [
    "title",
    "aria-label",
    "placeholder",
    "alt",
    "text",
    "label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "message",
    "heading",
    "summary",
];

/// Macros whose text is for logs, panics and tests, never for a page.
const NOT_SHOWN: [&str; 16] = [
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "event",
    "span",
    "info_span",
    "panic",
    "unreachable",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "todo",
    "unimplemented",
];

pub fn files(workspace: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = SOURCES
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(workspace.join(dir)))
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter(|path| {
            !LEFT_OUT
                .iter()
                .any(|left| path.starts_with(workspace.join(left)))
                && !path.components().any(|c| c.as_os_str() == "tests")
        })
        .collect();
    files.extend(SANDBOX_PAGES.iter().map(|page| workspace.join(page)));
    files.sort();
    files
}

/// The message ids a file names: `t!(lang, "id", …)` and `Msg::new("id")`.
pub fn named_messages(file: &Path) -> Vec<(String, usize)> {
    scan(file).named
}

/// Text a file shows without the translations: a view's text, a text attribute's value, or a
/// literal that reads as a sentence.
pub fn inline_text(file: &Path) -> Vec<(String, usize)> {
    scan(file).inline
}

#[derive(Default)]
struct Scan {
    named: Vec<(String, usize)>,
    inline: Vec<(String, usize)>,
}

fn scan(file: &Path) -> Scan {
    let text = std::fs::read_to_string(file).unwrap();
    let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut scan = Scan::default();
    scan.visit_file(&syntax);
    scan
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        path.is_ident("test")
            || (path.is_ident("cfg")
                && attr
                    .meta
                    .require_list()
                    .is_ok_and(|l| l.tokens.to_string().contains("test")))
    })
}

impl<'ast> Visit<'ast> for Scan {
    /// Doc comments and attributes (`#[error("…")]`) are for readers of the code and logs.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test(&item.attrs) {
            visit::visit_item_fn(self, item);
        }
    }

    fn visit_expr_lit(&mut self, expr: &'ast syn::ExprLit) {
        if let syn::Lit::Str(s) = &expr.lit {
            self.sentence(&s.value(), s.span().start().line);
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "expect" {
            self.visit_expr(&call.receiver);
        } else {
            visit::visit_expr_method_call(self, call);
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments.ends_with(&["Msg".to_owned(), "new".to_owned()])
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(id),
                    ..
                })) = call.args.first()
            {
                self.named.push((id.value(), id.span().start().line));
                return;
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        self.macro_tokens(&name, mac.tokens.clone());
    }
}

impl Scan {
    fn macro_tokens(&mut self, name: &str, tokens: TokenStream) {
        match name {
            "view" => self.view(tokens),
            "t" => self.t(tokens),
            _ if NOT_SHOWN.contains(&name) => {}
            _ => self.rust(tokens),
        }
    }

    /// `t!(lang, "id", …)`: the first literal after the first comma.
    fn t(&mut self, tokens: TokenStream) {
        let mut after_comma = false;
        for token in tokens {
            match token {
                TokenTree::Punct(p) if p.as_char() == ',' => after_comma = true,
                TokenTree::Literal(lit) if after_comma => {
                    if let Some(id) = string(&lit) {
                        self.named.push((id, lit.span().start().line));
                    }
                    return;
                }
                _ => {}
            }
        }
    }

    /// Rust code inside a macro or a view's braces.
    fn rust(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Ident(ident) if is_bang(tokens.get(i + 1)) => {
                    if let Some(TokenTree::Group(group)) = tokens.get(i + 2) {
                        self.macro_tokens(&ident.to_string(), group.stream());
                        i += 3;
                        continue;
                    }
                }
                TokenTree::Ident(ident)
                    if ident == "Msg" && is_path_to(&tokens[i + 1..], "new") =>
                {
                    if let Some(TokenTree::Group(args)) = tokens.get(i + 4)
                        && let Some(TokenTree::Literal(lit)) = args.stream().into_iter().next()
                        && let Some(id) = string(&lit)
                    {
                        self.named.push((id, lit.span().start().line));
                    }
                }
                // `#[doc = "…"]` and other attributes inside a macro.
                TokenTree::Punct(p) if p.as_char() == '#' && is_bracket(tokens.get(i + 1)) => {
                    i += 2;
                    continue;
                }
                TokenTree::Ident(ident) if ident == "expect" => {
                    i += 2;
                    continue;
                }
                TokenTree::Group(group) => self.rust(group.stream()),
                TokenTree::Literal(lit) => {
                    if let Some(text) = string(lit) {
                        self.sentence(&text, lit.span().start().line);
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// A `view!`: text in child position and text attributes come from the translations;
    /// braces hold Rust code.
    fn view(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Literal(lit) => {
                    let Some(text) = string(lit) else { continue };
                    let line = lit.span().start().line;
                    let shown = match attribute_name(&tokens[..i]) {
                        Some(name) => TEXT_ATTRIBUTES.contains(&name.as_str()),
                        None => true,
                    };
                    if shown && text.chars().any(char::is_alphabetic) {
                        self.inline.push((text, line));
                    }
                }
                TokenTree::Group(group) => {
                    // `{"text"}` is text too, wherever a literal would be.
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    if let [TokenTree::Literal(lit)] = inner.as_slice()
                        && group.delimiter() == Delimiter::Brace
                        && let Some(text) = string(lit)
                    {
                        let shown = match attribute_name(&tokens[..i]) {
                            Some(name) => TEXT_ATTRIBUTES.contains(&name.as_str()),
                            None => true,
                        };
                        if shown && text.chars().any(char::is_alphabetic) {
                            self.inline.push((text, lit.span().start().line));
                        }
                        continue;
                    }
                    self.rust(group.stream())
                }
                _ => {}
            }
        }
    }

    fn sentence(&mut self, text: &str, line: usize) {
        if reads_as_a_sentence(text) {
            self.inline.push((text.to_owned(), line));
        }
    }
}

/// The name of the attribute a literal is the value of (`aria-label="…"`), if it is one.
fn attribute_name(before: &[TokenTree]) -> Option<String> {
    let mut rest = before.iter().rev();
    match rest.next() {
        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {}
        _ => return None,
    }
    let mut name = Vec::new();
    for token in rest {
        match token {
            TokenTree::Ident(ident) => name.push(ident.to_string()),
            TokenTree::Punct(p) if p.as_char() == '-' || p.as_char() == ':' => {
                name.push(p.as_char().to_string())
            }
            _ => break,
        }
    }
    name.reverse();
    Some(name.concat())
}

fn is_bang(token: Option<&TokenTree>) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == '!')
}

fn is_bracket(token: Option<&TokenTree>) -> bool {
    matches!(token, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket)
}

fn is_path_to(tokens: &[TokenTree], segment: &str) -> bool {
    matches!(
        tokens,
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(id), ..]
            if a.as_char() == ':' && b.as_char() == ':' && id == segment
    )
}

fn string(lit: &proc_macro2::Literal) -> Option<String> {
    match syn::Lit::new(lit.clone()) {
        syn::Lit::Str(s) => Some(s.value()),
        _ => None,
    }
}

/// Two or more words, the first capitalised and not an all-capitals keyword (SQL, HTTP), once
/// `{placeholders}` are left out; or three words or more ending a sentence.
fn reads_as_a_sentence(text: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = plain
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    let capitalised = first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().any(char::is_lowercase);
    let ends_a_sentence = plain.trim_end().ends_with(['.', '?', '!', '…']);
    (capitalised && words.len() >= 2) || (ends_a_sentence && words.len() >= 3)
}

#[test]
fn a_sentence_is_told_from_code() {
    assert!(reads_as_a_sentence("No accounts yet."));
    assert!(reads_as_a_sentence("Version {} · saved by {}"));
    assert!(reads_as_a_sentence("nothing was saved at all."));
    assert!(!reads_as_a_sentence(
        "SELECT id FROM accounts WHERE tenant = $1"
    ));
    assert!(!reads_as_a_sentence("notice notice-error"));
    assert!(!reads_as_a_sentence("Bearer {token}"));
    assert!(!reads_as_a_sentence("{} · {}"));
    assert!(!reads_as_a_sentence("Flowhost"));
}
